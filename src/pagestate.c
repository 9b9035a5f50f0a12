/*
 * pagestate.c - a cited page's state, from its stored versions.
 *
 * The store keeps a page's versions (one per distinct text) and the
 * outcome of the last attempt at it. The state is the comparison of the
 * newest version with the one that was current when the record was
 * reviewed, so a page that changed once since the review stays "changed"
 * until an editor reviews the record again, however many runs found it
 * unchanged since. A snapshot holds every URL's rows sorted by URL, so a
 * build asks about each record with two binary searches.
 */
#include "pagestate.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const status_names[] = {
	[PAGESTATE_UNCHECKED] = "unchecked",
	[PAGESTATE_UNCHANGED] = "unchanged",
	[PAGESTATE_CHANGED] = "changed",
	[PAGESTATE_MOVED] = "moved",
	[PAGESTATE_BROKEN] = "broken",
};

const char *pagestate_status_str(enum pagestate_status st)
{
	return (unsigned)st < ATLAS_COUNT(status_names) ? status_names[st]
							: "unchecked";
}

bool pagestate_flagged(enum pagestate_status st)
{
	return st == PAGESTATE_CHANGED || st == PAGESTATE_MOVED ||
	       st == PAGESTATE_BROKEN;
}

static size_t add_cited(struct pagestate_cited *v, size_t n, const char *url,
			const char *role)
{
	if (!url)
		return n;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].url, url))
			return n;
	v[n] = (struct pagestate_cited){ url, role };
	return n + 1;
}

size_t pagestate_cited(const struct record *r, struct arena *a,
		       struct pagestate_cited **out)
{
	struct pagestate_cited *v =
		arena_array(a, 3 + r->nevidence, sizeof(*v));
	size_t n = 0;
	n = add_cited(v, n, r->official_page.s, "official page");
	n = add_cited(v, n, r->refund_page.s, "refund page");
	n = add_cited(v, n, r->deletion_url.s, "deletion page");
	for (size_t i = 0; i < r->nevidence; i++)
		n = add_cited(v, n, r->evidence[i].url.s, "evidence");
	*out = v;
	return n;
}

struct pagestate_db {
	struct arena *a;
	struct store_page_version *versions; /* by URL, then oldest first */
	size_t nversions;
	struct store_page_check *checks; /* by URL */
	size_t nchecks;
};

struct pagestate_db *pagestate_db_load(struct store *s, struct buf *err)
{
	struct pagestate_db *db = xcalloc(1, sizeof(*db));
	db->a = arena_new();
	if (store_page_versions(s, NULL, db->a, &db->versions, &db->nversions,
				err) != 0 ||
	    store_page_checks(s, NULL, db->a, &db->checks, &db->nchecks, err) !=
		    0) {
		pagestate_db_free(db);
		return NULL;
	}
	return db;
}

void pagestate_db_free(struct pagestate_db *db)
{
	if (!db)
		return;
	arena_free(db->a);
	free(db);
}

/* The first version of @url and how many there are. SQLite sorted them
 * by URL in byte order, which is strcmp()'s. */
static const struct store_page_version *
versions_of(const struct pagestate_db *db, const char *url, size_t *n)
{
	size_t lo = 0, hi = db->nversions;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(db->versions[mid].url, url) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < db->nversions && !strcmp(db->versions[end].url, url))
		end++;
	*n = end - lo;
	return *n ? &db->versions[lo] : NULL;
}

static const struct store_page_check *check_of(const struct pagestate_db *db,
					       const char *url)
{
	size_t lo = 0, hi = db->nchecks;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(db->checks[mid].url, url);
		if (c == 0)
			return &db->checks[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The state of one URL, from its versions (@n, oldest first) and last
 * attempt, against a review on day @reviewed. */
static void state_of(struct pagestate *p, const struct store_page_version *v,
		     size_t n, const struct store_page_check *c,
		     date_days reviewed)
{
	p->status = PAGESTATE_UNCHECKED;
	p->checked = c ? c->checked : 0;
	p->detail = c ? c->detail : NULL;
	if (n) {
		p->newest = &v[n - 1];
		/* The review day counts whole: a fetch that evening is
		 * what the editor saw. */
		int64_t review_end = ((int64_t)reviewed + 1) * 86400;
		p->baseline = &v[0];
		p->baseline_after_review = v[0].fetched >= review_end;
		for (size_t i = 0; i < n && v[i].fetched < review_end; i++)
			p->baseline = &v[i];
		if (!c || p->newest->checked > p->checked)
			p->checked = p->newest->checked;
	}
	if (c && !strcmp(c->outcome, "broken")) {
		p->status = PAGESTATE_BROKEN;
		return;
	}
	if ((c && !strcmp(c->outcome, "unchecked")) || !n) {
		if (!p->detail)
			p->detail = "not checked yet";
		return;
	}
	p->detail = NULL;
	if (strcmp(p->newest->final_url, p->baseline->final_url)) {
		p->status = PAGESTATE_MOVED;
		p->detail = p->newest->final_url;
	} else if (strcmp(p->newest->sha256, p->baseline->sha256)) {
		p->status = PAGESTATE_CHANGED;
	} else {
		p->status = PAGESTATE_UNCHANGED;
	}
}

size_t pagestate_record(const struct pagestate_db *db, const struct record *r,
			struct arena *a, struct pagestate **out)
{
	struct pagestate_cited *cited;
	size_t n = pagestate_cited(r, a, &cited);
	struct pagestate *v = arena_array(a, n ? n : 1, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		size_t nv = 0;
		const struct store_page_version *versions =
			db ? versions_of(db, cited[i].url, &nv) : NULL;
		memset(&v[i], 0, sizeof(v[i]));
		v[i].url = cited[i].url;
		v[i].role = cited[i].role;
		state_of(&v[i], versions, nv,
			 db ? check_of(db, cited[i].url) : NULL,
			 r->reviewed.days);
	}
	*out = v;
	return n;
}

int pagestate_record_load(struct store *s, const struct record *r,
			  struct arena *a, struct pagestate **out, size_t *n,
			  struct buf *err)
{
	struct pagestate_cited *cited;
	size_t nc = pagestate_cited(r, a, &cited);
	struct pagestate *v = arena_array(a, nc ? nc : 1, sizeof(*v));
	for (size_t i = 0; i < nc; i++) {
		struct store_page_version *versions;
		struct store_page_check *checks;
		size_t nv, nch;
		if (store_page_versions(s, cited[i].url, a, &versions, &nv,
					err) != 0 ||
		    store_page_checks(s, cited[i].url, a, &checks, &nch, err) !=
			    0)
			return -1;
		memset(&v[i], 0, sizeof(v[i]));
		v[i].url = cited[i].url;
		v[i].role = cited[i].role;
		state_of(&v[i], versions, nv, nch ? checks : NULL,
			 r->reviewed.days);
	}
	*out = v;
	*n = nc;
	return 0;
}

int64_t pagestate_last_checked(const struct pagestate *v, size_t n)
{
	int64_t last = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].checked > last)
			last = v[i].checked;
	return last;
}
