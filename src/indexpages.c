/*
 * indexpages.c - the listings of records, paged, and the search file.
 *
 * A listing of 100,000 records on one page weighs tens of megabytes, so
 * each listing is cut into pages of INDEXPAGES_ROWS rows, linked by a
 * pager that works without JavaScript: previous and next, the first and
 * the last page, and a few around the current one. Searching, sorting
 * and filtering every record is the script's work (assets/index.js),
 * from one compact file that it fetches only when a reader uses them.
 */
#include "indexpages.h"
#include "arena.h"
#include "catalog.h"
#include "date.h"
#include "esc.h"
#include "hash.h"
#include "internal.h"
#include "mustache.h"
#include "outdir.h"
#include "pagekeys.h"
#include "score.h"
#include "sitepages.h"
#include "tmplset.h"
#include "view.h"

#include <stdlib.h>
#include <string.h>

/* Pages linked on each side of the current one, besides the first and
 * the last. */
#define WINDOW 2

size_t indexpages_count(size_t n)
{
	return n ? (n + INDEXPAGES_ROWS - 1) / INDEXPAGES_ROWS : 1;
}

bool indexpages_put_path(struct buf *out, const char *base, size_t k)
{
	return buf_puts(out, base) &&
	       (k <= 1 || buf_printf(out, "page/%zu/", k));
}

/* One listing: where it is served and what it lists. */
struct listing {
	const struct sitepages_page *pg;
	const char *base; /* its first page's path */
	struct entry *const *v;
	size_t n;
	const char *caption;
	const struct group *g; /* the industry or jurisdiction, or NULL */
};

/* How many of listing @l's records page @k shows. */
static size_t rows_on(const struct listing *l, size_t k)
{
	size_t first = (k - 1) * INDEXPAGES_ROWS;
	if (first >= l->n)
		return 0;
	return l->n - first < INDEXPAGES_ROWS ? l->n - first : INDEXPAGES_ROWS;
}

static const char *path_of(struct arena *a, const char *base, size_t k)
{
	struct buf b = BUF_INIT;
	indexpages_put_path(&b, base, k);
	const char *s = arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	return s;
}

/* Item @k of the pager of page @current of @pages. */
static struct mst_value *pager_item(struct arena *a, const char *base, size_t k,
				    size_t current, size_t pages)
{
	struct mst_value *it = mst_map_new(a);
	mst_map_set_int(it, "number", (long long)k);
	mst_map_set_str(it, "path", path_of(a, base, k));
	mst_map_set_bool(it, "current", k == current);
	/* The window's outer pages, which a phone leaves out; never the
	 * first or the last. */
	bool outer = k + WINDOW == current || k == current + WINDOW;
	mst_map_set_bool(it, "far", outer && k != 1 && k != pages);
	return it;
}

/*
 * The pager of page @k of @pages: "any" when there is more than one,
 * "prev" and "next" paths, the items (first, a window around @k, last,
 * with a gap where pages are left out) and the range of rows shown.
 */
static struct mst_value *view_pager(struct arena *a, const struct listing *l,
				    size_t k, size_t pages)
{
	struct mst_value *p = mst_map_new(a);
	mst_map_set_bool(p, "any", pages > 1);
	mst_map_set_int(p, "current", (long long)k);
	mst_map_set_int(p, "last", (long long)pages);
	mst_map_set_bool(p, "later", k > 1);
	mst_map_set_str(p, "base", l->base);
	mst_map_set_int(p, "rows", INDEXPAGES_ROWS);
	if (k > 1)
		mst_map_set_str(p, "prev", path_of(a, l->base, k - 1));
	if (k < pages)
		mst_map_set_str(p, "next", path_of(a, l->base, k + 1));
	struct mst_value *items = mst_list_new(a);
	size_t lo = k > WINDOW + 1 ? k - WINDOW : 1;
	size_t hi = k + WINDOW < pages ? k + WINDOW : pages;
	if (lo > 1)
		mst_list_push(items, pager_item(a, l->base, 1, k, pages));
	if (lo > 2) {
		struct mst_value *gap = mst_map_new(a);
		mst_map_set_bool(gap, "gap", true);
		mst_list_push(items, gap);
	}
	for (size_t i = lo; i <= hi; i++)
		mst_list_push(items, pager_item(a, l->base, i, k, pages));
	if (hi + 1 < pages) {
		struct mst_value *gap = mst_map_new(a);
		mst_map_set_bool(gap, "gap", true);
		mst_list_push(items, gap);
	}
	if (hi < pages)
		mst_list_push(items, pager_item(a, l->base, pages, k, pages));
	mst_map_set(p, "items", items);
	size_t first = (k - 1) * INDEXPAGES_ROWS, shown = rows_on(l, k);
	struct buf b = BUF_INIT;
	buf_puts(&b, "Records ");
	buf_put_grouped(&b, first + 1);
	buf_puts(&b, "\u2013");
	buf_put_grouped(&b, first + shown);
	buf_puts(&b, " of ");
	buf_put_grouped(&b, l->n);
	mst_map_set_str(p, "range_text", arena_strdup(a, buf_cstr(&b)));
	buf_free(&b);
	return p;
}

/* What page @k of listing @l shows besides its rows and pager, set on
 * @root and on @scope (what the table's filters keep to). */
static void put_listing_values(const struct indexpages_in *in,
			       const struct listing *l, struct mst_value *root,
			       struct mst_value *scope)
{
	struct arena *a = in->arena;
	const struct catalog *c = in->cat;
	mst_map_set(root, "site", in->site);
	mst_map_set(root, "share", in->share);
	mst_map_set(root, "filters", in->filters);
	switch (l->pg->kind) {
	case SITEPAGES_INDEX:
		mst_map_set(root, "stale", view_stale(a, c));
		break;
	case SITEPAGES_STALE: {
		struct group due = { .key = "stale",
				     .name = "Due for review",
				     .entries = c->stale,
				     .n = c->nstale };
		mst_map_set(root, "list", view_stale_list(a, &due));
		mst_map_set_str(scope, "stale", "1");
		break;
	}
	default: {
		bool industry = l->pg->kind == SITEPAGES_INDUSTRY;
		mst_map_set(root, "list", view_list(a, l->g, industry));
		mst_map_set_str(scope, industry ? "industry" : "juris",
				l->g->key);
		break;
	}
	}
}

/* The values of page @k of listing @l. */
static struct mst_value *page_root(const struct indexpages_in *in,
				   const struct listing *l, size_t k,
				   size_t pages)
{
	struct arena *a = in->arena;
	struct mst_value *root = mst_map_new(a);
	mst_map_set(root, "page",
		    view_page(a, path_of(a, l->base, k), l->pg->nav));
	struct mst_value *table =
		view_table(a, in->cat, l->v + (k - 1) * INDEXPAGES_ROWS,
			   rows_on(l, k), l->caption);
	struct buf b = BUF_INIT;
	buf_put_grouped(&b, l->n);
	buf_puts(&b, l->n == 1 ? " record" : " records");
	mst_map_set_str(table, "count_text", arena_strdup(a, buf_cstr(&b)));
	buf_free(&b);
	mst_map_set(table, "pager", view_pager(a, l, k, pages));
	struct mst_value *scope = mst_map_new(a);
	put_listing_values(in, l, root, scope);
	mst_map_set(table, "scope", scope);
	mst_map_set(root, "table", table);
	return root;
}

/*
 * The hash of everything listing @l's pages show but their rows, pager
 * and own path: the values every page has, the listing's own (its group's
 * figures, the records due), its caption, size and template.
 */
static uint64_t listing_key(const struct indexpages_in *in,
			    const struct listing *l, size_t template)
{
	struct arena *a = in->arena;
	struct mst_value *root = mst_map_new(a);
	struct mst_value *scope = mst_map_new(a);
	put_listing_values(in, l, root, scope);
	mst_map_set(root, "scope", scope);
	mst_map_set_str(root, "base", l->base);
	mst_map_set_str(root, "caption", l->caption);
	mst_map_set_int(root, "records", (long long)l->n);
	mst_map_set_int(root, "template", (long long)template);
	uint64_t key = mst_value_hash(root);
	arena_reset(a);
	return key;
}

/*
 * The key of page @k of listing @l (whose key is @listing): the rows it
 * shows, each by its record's id and input key (a row shows its record
 * alone), and where it sits among the listing's pages. 0 when the
 * records' keys are not known.
 */
static uint64_t page_key(const struct indexpages_in *in,
			 const struct listing *l, uint64_t listing, size_t k,
			 size_t pages)
{
	if (!in->record_keys)
		return 0;
	struct hash_stream h;
	hash_stream_init(&h);
	uint64_t head[3] = { listing, k, pages };
	hash_stream_put(&h, head, sizeof(head));
	struct entry *const *v = l->v + (k - 1) * INDEXPAGES_ROWS;
	for (size_t i = 0, n = rows_on(l, k); i < n; i++) {
		const char *id = v[i]->r->id.s;
		uint64_t key = in->record_keys[v[i] - in->cat->entries];
		hash_stream_put(&h, id, strlen(id) + 1);
		hash_stream_put(&h, &key, sizeof(key));
	}
	uint64_t key = hash_stream_end(&h);
	return key ? key : 1;
}

static int write_listing(const struct indexpages_in *in,
			 const struct listing *l, size_t template,
			 struct buf *html, size_t *written, size_t *seq)
{
	size_t pages = indexpages_count(l->n);
	struct buf file = BUF_INIT;
	int rc = 0;
	uint64_t listing = 0;
	for (size_t k = 1; k <= pages && rc == 0; k++) {
		/* Another part's page. */
		if (in->parts > 1 && (*seq)++ % in->parts != in->part)
			continue;
		if (!listing && in->record_keys)
			listing = listing_key(in, l, template);
		uint64_t key = page_key(in, l, listing, k, pages);
		buf_reset(&file);
		sitepages_put_file(&file, path_of(in->arena, l->base, k));
		/* A page whose values did not change since the last build
		 * is kept as it was, not rendered again. */
		bool kept = key &&
			    pagekeys_match(in->old_keys, file.data, key) &&
			    outdir_keep_file(in->out, file.data);
		if (!kept) {
			struct mst_value *root = page_root(in, l, k, pages);
			buf_reset(html);
			rc = tmplset_render(in->tmpl, template, root, html,
					    in->err);
			if (rc == 0)
				rc = outdir_write(in->out, file.data,
						  html->data, html->len,
						  in->err);
		}
		if (rc == 0 && key && in->new_keys)
			pagekeys_put(in->new_keys, file.data, key);
		if (rc == 0)
			(*written)++;
		arena_reset(in->arena);
	}
	buf_free(&file);
	return rc;
}

/* Every listing of the table's row @pg. */
static int write_kind(const struct indexpages_in *in,
		      const struct sitepages_page *pg, struct buf *html,
		      size_t *written, size_t *seq)
{
	const struct catalog *c = in->cat;
	struct listing l = { .pg = pg, .base = pg->path };
	switch (pg->kind) {
	case SITEPAGES_INDEX:
		l.v = c->by_score, l.n = c->n, l.caption = "Every record";
		return write_listing(in, &l, in->index_template, html, written,
				     seq);
	case SITEPAGES_STALE:
		l.v = c->stale, l.n = c->nstale,
		l.caption = "Due for review, oldest review first";
		return write_listing(in, &l, in->list_template, html, written,
				     seq);
	case SITEPAGES_INDUSTRY:
	case SITEPAGES_JURISDICTION: {
		bool industry = pg->kind == SITEPAGES_INDUSTRY;
		const struct group *groups =
			industry ? c->industries : c->jurisdictions;
		size_t n = industry ? c->nindustries : c->njurisdictions;
		struct buf base = BUF_INIT;
		int rc = 0;
		for (size_t i = 0; i < n && rc == 0; i++) {
			if (!groups[i].n)
				continue; /* no page for an empty group */
			buf_reset(&base);
			buf_printf(&base, "%s%s/", pg->path, groups[i].key);
			l.base = base.data;
			l.v = groups[i].entries, l.n = groups[i].n;
			l.caption = groups[i].name, l.g = &groups[i];
			rc = write_listing(in, &l, in->list_template, html,
					   written, seq);
		}
		buf_free(&base);
		return rc;
	}
	default:
		return 0;
	}
}

static bool put_search(const struct indexpages_in *in, struct buf *out)
{
	if (indexpages_put_search(out, in->cat, in->search_rows,
				  in->search_lens))
		return true;
	buf_puts(in->err, "cannot serialise " INDEXPAGES_SEARCH_FILE);
	return false;
}

int indexpages_write(const struct indexpages_in *in, size_t *pages)
{
	struct buf html = BUF_INIT;
	int rc = 0;
	size_t seq = 0;
	for (size_t i = 0; i < sitepages_count && rc == 0; i++)
		rc = write_kind(in, &sitepages_table[i], &html, pages, &seq);
	if (rc == 0 && in->part == 0) {
		buf_reset(&html);
		rc = put_search(in, &html)
			     ? outdir_write(in->out, INDEXPAGES_SEARCH_FILE,
					    html.data, html.len, in->err)
			     : -1;
	}
	buf_free(&html);
	return rc;
}

/* --- the search file ---------------------------------------------------- */

/* @s as a JSON string. Names that could reverse the text around them are
 * isolated, as the pages show them. */
static bool put_json_str(struct buf *out, const char *s)
{
	struct buf iso = BUF_INIT;
	if (s && esc_bidi_risky(s) && esc_bidi_isolate(&iso, s))
		s = iso.data;
	bool ok = buf_putc(out, '"');
	for (const unsigned char *p = (const unsigned char *)(s ? s : "");
	     *p && ok; p++) {
		if (*p == '"' || *p == '\\')
			ok = buf_putc(out, '\\') && buf_putc(out, (char)*p);
		else if (*p < 0x20)
			ok = buf_printf(out, "\\u%04x", *p);
		else
			ok = buf_putc(out, (char)*p);
	}
	buf_free(&iso);
	return ok && buf_putc(out, '"');
}

static size_t group_of(const struct group *g, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(g[i].key, key))
			return i;
	return 0;
}

static bool put_row(struct buf *out, const struct catalog *c,
		    const struct entry *e, struct buf *cap)
{
	char day[DATE_ISO_LEN + 1];
	date_format(e->r->reviewed.days, day);
	buf_reset(cap);
	if (e->headline->rules_applied) {
		buf_printf(cap, "%d/100 alone gives %c; ", e->headline->score,
			   e->headline->band);
		score_put_cap(cap, e->headline);
	}
	bool ok = buf_putc(out, '[') && put_json_str(out, e->r->id.s) &&
		  buf_putc(out, ',') && put_json_str(out, e->r->name.s) &&
		  buf_printf(out, ",%d,\"%c\",%d,\"%c\",", e->headline->score,
			     e->headline->grade, e->policy.score,
			     e->policy.grade);
	if (e->audit)
		ok = ok && buf_printf(out, "%d,\"%c\",%d,", e->flow.score,
				      e->flow.grade, catalog_gap(e));
	else
		ok = ok && buf_puts(out, "null,null,null,");
	return ok &&
	       buf_printf(out, "%zu,%zu,\"%s\",%d,%d,",
			  group_of(c->industries, c->nindustries,
				   e->industry->slug.s),
			  group_of(c->jurisdictions, c->njurisdictions,
				   e->juris_slug),
			  day, e->stale ? 1 : 0, e->r->fictional.v ? 1 : 0) &&
	       put_json_str(out, buf_cstr(cap)) && buf_putc(out, ']');
}

/* What precedes the rows: their fields, and the industries and
 * jurisdictions the rows count by position. */
static bool put_search_head(struct buf *out, const struct catalog *c)
{
	bool ok = buf_printf(
		out,
		"{\"rows_per_page\":%d,\"fields\":[\"id\",\"name\","
		"\"score\",\"grade\",\"policy\",\"policy_grade\",\"flow\","
		"\"flow_grade\",\"gap\",\"industry\",\"jurisdiction\","
		"\"reviewed\",\"stale\",\"fictional\",\"cap\"],\n"
		"\"industries\":[",
		INDEXPAGES_ROWS);
	for (size_t i = 0; i < c->nindustries && ok; i++)
		ok = buf_puts(out, i ? ",[" : "[") &&
		     put_json_str(out, c->industries[i].key) &&
		     buf_putc(out, ',') &&
		     put_json_str(out, c->industries[i].name) &&
		     buf_putc(out, ']');
	ok = ok && buf_puts(out, "],\n\"jurisdictions\":[");
	for (size_t i = 0; i < c->njurisdictions && ok; i++) {
		const struct group *g = &c->jurisdictions[i];
		ok = buf_puts(out, i ? ",[" : "[") &&
		     put_json_str(out, g->key) && buf_putc(out, ',') &&
		     put_json_str(out, g->n ? g->entries[0]->r->jurisdiction.s
					    : g->key) &&
		     buf_putc(out, ']');
	}
	return ok && buf_puts(out, "],\n\"rows\":[\n");
}

bool indexpages_put_search(struct buf *out, const struct catalog *c,
			   const char *const *rows, const size_t *lens)
{
	bool ok = put_search_head(out, c);
	struct buf cap = BUF_INIT;
	for (size_t i = 0; i < c->n && ok; i++) {
		size_t k = (size_t)(c->by_score[i] - c->entries);
		ok = (rows && rows[k]
			      ? buf_put(out, rows[k], lens[k])
			      : put_row(out, c, c->by_score[i], &cap)) &&
		     buf_puts(out, i + 1 < c->n ? ",\n" : "\n");
	}
	buf_free(&cap);
	return ok && buf_puts(out, "]}\n");
}

void indexpages_find_search_rows(const char *text, size_t len,
				 const struct catalog *c, const char **rows,
				 size_t *lens)
{
	/* A row counts industries and jurisdictions by position: taken
	 * only when they are the same. */
	struct buf head = BUF_INIT;
	bool same = put_search_head(&head, c) && len >= head.len &&
		    !memcmp(text, head.data, head.len);
	const char *p = text + head.len, *end = text + len;
	buf_free(&head);
	/* Each entry's place in the index order. */
	size_t *rank = xmalloc((c->n ? c->n : 1) * sizeof(*rank));
	for (size_t i = 0; i < c->n; i++)
		rank[c->by_score[i] - c->entries] = i;
	size_t next_best = 0;
	while (same && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		/* ["ID",...] then "," or nothing: an id is a slug, never
		 * escaped. */
		size_t n = (size_t)(nl - p) - (nl > p && nl[-1] == ',');
		const char *quote = n > 3 && !strncmp(p, "[\"", 2)
					    ? memchr(p + 2, '"', n - 2)
					    : NULL;
		const struct entry *e = NULL;
		if (quote && p[n - 1] == ']') {
			/* Mostly in the order of the last build, which
			 * is mostly this one's: the next entry first. */
			size_t idlen = (size_t)(quote - p - 2);
			const struct entry *next =
				next_best < c->n ? c->by_score[next_best]
						 : NULL;
			e = next && !catalog_id_cmp(next->r->id.s, p + 2, idlen)
				    ? next
				    : catalog_find_n(c, p + 2, idlen);
			if (e)
				next_best = rank[e - c->entries] + 1;
		}
		if (e) {
			rows[e - c->entries] = p;
			lens[e - c->entries] = n;
		}
		p = nl + 1;
	}
	free(rank);
}
