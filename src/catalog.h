/*
 * catalog.h - a checked dataset with every record scored once, grouped
 * and ordered the ways pages and files need it.
 */
#ifndef CANCELATLAS_CATALOG_H
#define CANCELATLAS_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "juris.h"
#include "method.h"
#include "score.h"

struct history_record;
struct store_decision;

/* One record with everything derived from it. */
struct entry {
	const struct record *r;
	const struct industry *industry;
	const struct juris *juris;
	struct score_result policy;
	const struct audit *audit; /* the audit that counts, or NULL */
	struct score_result flow;  /* valid when @audit is set */
	const struct score_result *headline; /* flow if audited, else policy */
	char juris_slug[16];		     /* "us", "us-ca" */
	int review_age; /* days from the review to the build */
	bool aged;	/* review_age past FRESH_STALE_DAYS */
	/* Monitoring found a cited page changed, moved or broken since the
	 * review (catalog_set_pages()). */
	bool sources_flagged;
	bool stale; /* aged or sources_flagged: due for review */
	/* Set by the build before it writes pages, borrowed (NULL and 0
	 * elsewhere): the record's versions, newest first, and the
	 * decisions about it, newest first. */
	const struct history_record *history;
	const struct store_decision **decisions;
	size_t ndecisions;
};

/* A set of entries sharing an industry or a jurisdiction. */
struct group {
	const char *key;	/* industry slug or jurisdiction slug */
	const char *name;	/* "Gym & fitness", "Germany" */
	const char *code;	/* jurisdiction code; NULL for industries */
	struct entry **entries; /* best first, as catalog.by_score */
	size_t n;
};

struct pagestate_db;

struct catalog {
	const struct method *m;
	const struct dataset *ds;
	const struct site_info *site; /* the dataset's: name, base URL... */
	int64_t generated;	      /* seconds since the epoch */
	struct entry *entries;	      /* in id order */
	size_t n;
	/* Best first: headline score, then grade (a capped grade after an
	 * uncapped one), then name (ASCII case ignored), then id. */
	struct entry **by_score;
	struct entry **by_reviewed; /* newest review first, then id */
	struct group *industries;   /* every industry of the list, in order */
	size_t nindustries;
	struct group *jurisdictions; /* those with records, by code */
	size_t njurisdictions;
	/* What monitoring found of the cited pages (src/pagestate.h), or
	 * NULL: every page unchecked. Set by the caller; borrowed. */
	const struct pagestate_db *pages;
	struct entry **stale; /* due for review, oldest review first */
	size_t nstale;
	/* Whether the build read the records' history, and when it could
	 * not, why (borrowed; NULL when it was not asked for). */
	bool history_read;
	const char *history_unavailable;
};

/**
 * catalog_set_pages() - what monitoring found of the cited pages (@pages,
 * borrowed, or NULL: all unchecked); a record with a page changed, moved
 * or broken since its review becomes due for review too.
 */
void catalog_set_pages(struct catalog *c, const struct pagestate_db *pages);

/**
 * catalog_new() - score and group every record of a dataset that passed
 * the checker.
 * @ds: the dataset; borrowed, must outlive the catalog.
 * @m: the methodology to score with.
 * @generated: the build time stamped on outputs.
 *
 * Returns: a new catalog; release with catalog_free().
 */
struct catalog *catalog_new(const struct dataset *ds, const struct method *m,
			    int64_t generated);

/* catalog_free() - release the catalog (not the dataset); accepts NULL. */
void catalog_free(struct catalog *c);

/* catalog_find() - the entry with id @id, or NULL. */
const struct entry *catalog_find(const struct catalog *c, const char *id);

/* catalog_id_cmp() - compare id @at with the @len bytes at @id (which
 * may hold a NUL), as strcmp() compares strings: @at is before them
 * when it is a prefix of them. */
int catalog_id_cmp(const char *at, const char *id, size_t len);

/* catalog_find_n() - the entry whose id is the @len bytes at @id, or
 * NULL. */
const struct entry *catalog_find_n(const struct catalog *c, const char *id,
				   size_t len);

/**
 * catalog_seek() - walk on from entry *@i to the entry whose id is the
 * @len bytes at @id, for ids met in increasing order (as in the files a
 * build writes): *@i stops at the first entry whose id is not before
 * @id.
 *
 * Returns: whether that entry's id is @id.
 */
bool catalog_seek(const struct catalog *c, size_t *i, const char *id,
		  size_t len);

/* catalog_gap() - policy minus flow score; 0 when there is no audit. */
int catalog_gap(const struct entry *e);

#endif
