/*
 * indexpages.h - the listings of records, paged, and the search file.
 *
 * The index (/), each industry's and each jurisdiction's page and the
 * records due for review (/stale/) list their records best first,
 * INDEXPAGES_ROWS to a page: the first page at the listing's own path,
 * page k at PATH/page/k/, each with links to the others. The search file,
 * /data/search.json, holds what the tables show of every record, for the
 * index's script to search, sort and filter all of them once a reader
 * asks it to.
 */
#ifndef CANCELATLAS_INDEXPAGES_H
#define CANCELATLAS_INDEXPAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct arena;
struct catalog;
struct mst_value;
struct outdir;
struct pagekeys;
struct tmplset;

/* Rows of a records table on one page. */
#define INDEXPAGES_ROWS 50

/* Where the search file is written, relative to the site folder. */
#define INDEXPAGES_SEARCH_FILE "data/search.json"

/* What the listings are rendered with; everything borrowed. */
struct indexpages_in {
	const struct catalog *cat;
	const struct tmplset *tmpl;
	size_t index_template; /* the tmplset entry of index.mustache */
	size_t list_template;  /* and of list.mustache */
	struct outdir *out;
	/* Values every page has: the site, the filter choices, the site's
	 * share card. */
	const struct mst_value *site, *filters, *share;
	struct arena *arena; /* reset after each page */
	struct buf *err;     /* receives the reason for a failure */
	/* With @parts > 1, write only every @parts-th page of the
	 * listings, from page @part (counted over every listing), and,
	 * with @part 0, the search file: @parts threads each write a
	 * part. 0 writes everything. */
	size_t part, parts;
	/* With @record_keys (each catalog entry's input key, in the
	 * catalog's order), a page whose values hash to the key
	 * @old_keys holds for it is kept as the last build wrote it; every
	 * page's key goes into @new_keys. Either may be NULL. */
	const uint64_t *record_keys;
	const struct pagekeys *old_keys;
	struct pagekeys *new_keys;
	/* The search file's rows to take as they are, by entry (as
	 * indexpages_find_search_rows() finds them); NULL to make all. */
	const char *const *search_rows;
	const size_t *search_lens;
};

/**
 * indexpages_write() - write every page of every listing (the index,
 * each industry and jurisdiction with records, /stale/) and the search
 * file.
 * @in: what to render with.
 * @pages: incremented by the number of HTML pages written.
 *
 * Page k of a listing shows its records from (k-1)*INDEXPAGES_ROWS in the
 * catalog's order for it, so it depends on every record of the listing
 * (a changed score can move any record to another page).
 *
 * Returns: 0, or -1 with @in->err set.
 */
int indexpages_write(const struct indexpages_in *in, size_t *pages);

/**
 * indexpages_count() - how many pages a listing of @n records has: at
 * least one, which says when there are none.
 */
size_t indexpages_count(size_t n);

/**
 * indexpages_put_path() - append the path of page @k (from 1) of the
 * listing served at @base ("/", "/industries/retail/"): @base itself for
 * page 1, else @base "page/K/".
 *
 * Returns: false only when @out's limit is reached.
 */
bool indexpages_put_path(struct buf *out, const char *base, size_t k);

/**
 * indexpages_put_search() - append the search file of @c: JSON, an
 * object with "rows", one array per record in the index's order (id,
 * name, score, grade, policy score and grade, flow score and grade or
 * null, gap or null, industry and jurisdiction as positions in
 * "industries" and "jurisdictions" ([slug, name] and [slug, code]),
 * reviewed, stale 0/1, fictional 0/1, cap text or ""), with "fields"
 * naming them and "rows_per_page". One row a line.
 * @rows: NULL, or by entry (in catalog order) a row already made,
 *	  @lens[i] bytes, as indexpages_find_search_rows() finds them;
 *	  where NULL, the row is made.
 *
 * Returns: false only when @out's limit is reached.
 */
bool indexpages_put_search(struct buf *out, const struct catalog *c,
			   const char *const *rows, const size_t *lens);

/**
 * indexpages_find_search_rows() - find the row of each entry of @c in
 * @text, a search file indexpages_put_search() wrote (@len bytes, not
 * NUL-ended): @rows[i] and @lens[i] for the entries it has a row of,
 * found by the id the row starts with. None is taken unless what
 * precedes the rows, which the rows refer to by position (the
 * industries and jurisdictions), is what @c's file has.
 */
void indexpages_find_search_rows(const char *text, size_t len,
				 const struct catalog *c, const char **rows,
				 size_t *lens);

#endif
