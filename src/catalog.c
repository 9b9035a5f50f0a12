/*
 * catalog.c - score every record once and index the results.
 *
 * Pages, API files, the CSV, charts and badges all need the same scores,
 * groups and orders; computing them here once keeps every output
 * consistent and the build linear in the number of records. Entries are
 * kept in id order (the order of record files) so outputs are stable;
 * the index and each group list them best first, in one total order.
 */
#include "catalog.h"
#include "arena.h"
#include "fresh.h"
#include "internal.h"
#include "jobs.h"
#include "pagestate.h"
#include "record.h"
#include "slug.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : (unsigned char)c;
}

/* Names compare without regard to ASCII case ("eBay" beside "Ebony"),
 * whatever the locale, then byte for byte, so the order is total. */
static int name_cmp(const char *x, const char *y)
{
	for (size_t i = 0;; i++) {
		int a = ascii_lower(x[i]), b = ascii_lower(y[i]);
		if (a != b || !a)
			return a != b ? a - b : strcmp(x, y);
	}
}

/*
 * Best first, as the index and every list page say: the higher headline
 * score, then the better grade (a score whose grade a rule capped comes
 * after an uncapped one), then the name and the id.
 */
static int by_score_cmp(const void *a, const void *b)
{
	const struct entry *x = *(struct entry *const *)a;
	const struct entry *y = *(struct entry *const *)b;
	if (x->headline->score != y->headline->score)
		return y->headline->score - x->headline->score;
	if (x->headline->grade != y->headline->grade)
		return x->headline->grade - y->headline->grade;
	int c = name_cmp(x->r->name.s, y->r->name.s);
	return c ? c : strcmp(x->r->id.s, y->r->id.s);
}

static int by_reviewed_cmp(const void *a, const void *b)
{
	const struct entry *x = *(struct entry *const *)a;
	const struct entry *y = *(struct entry *const *)b;
	if (x->r->reviewed.days != y->r->reviewed.days)
		return x->r->reviewed.days < y->r->reviewed.days ? 1 : -1;
	return strcmp(x->r->id.s, y->r->id.s);
}

/* Oldest review first, then id. */
static int oldest_cmp(const void *a, const void *b)
{
	const struct entry *x = *(struct entry *const *)a;
	const struct entry *y = *(struct entry *const *)b;
	if (x->r->reviewed.days != y->r->reviewed.days)
		return x->r->reviewed.days < y->r->reviewed.days ? -1 : 1;
	return strcmp(x->r->id.s, y->r->id.s);
}

static int by_juris_cmp(const void *a, const void *b)
{
	const struct entry *x = *(struct entry *const *)a;
	const struct entry *y = *(struct entry *const *)b;
	int c = strcmp(x->r->jurisdiction.s, y->r->jurisdiction.s);
	return c ? c : by_score_cmp(a, b);
}

static struct entry **sorted(struct catalog *c,
			     int (*cmp)(const void *, const void *))
{
	struct entry **v = xmalloc((c->n ? c->n : 1) * sizeof(*v));
	for (size_t i = 0; i < c->n; i++)
		v[i] = &c->entries[i];
	qsort(v, c->n, sizeof(*v), cmp);
	return v;
}

static void group_industries(struct catalog *c)
{
	const struct dataset *ds = c->ds;
	c->nindustries = ds->nindustries;
	c->industries = xcalloc(ds->nindustries ? ds->nindustries : 1,
				sizeof(*c->industries));
	size_t *counts = xcalloc(ds->nindustries + 1, sizeof(*counts));
	for (size_t i = 0; i < c->n; i++)
		counts[c->entries[i].industry - ds->industries]++;
	for (size_t i = 0; i < ds->nindustries; i++) {
		struct group *g = &c->industries[i];
		g->key = ds->industries[i].slug.s;
		g->name = ds->industries[i].name.s;
		g->entries = xmalloc((counts[i] ? counts[i] : 1) *
				     sizeof(*g->entries));
	}
	/* Each industry's records in the order of the whole by score. */
	struct entry **best = c->by_score;
	for (size_t i = 0; i < c->n; i++) {
		struct group *g =
			&c->industries[best[i]->industry - ds->industries];
		g->entries[g->n++] = best[i];
	}
	free(counts);
}

static void group_jurisdictions(struct catalog *c)
{
	struct entry **v = sorted(c, by_juris_cmp);
	c->jurisdictions = xcalloc(c->n ? c->n : 1, sizeof(*c->jurisdictions));
	for (size_t i = 0; i < c->n;) {
		size_t j = i;
		while (j < c->n && !strcmp(v[j]->r->jurisdiction.s,
					   v[i]->r->jurisdiction.s))
			j++;
		struct group *g = &c->jurisdictions[c->njurisdictions++];
		g->key = v[i]->juris_slug;
		g->code = v[i]->r->jurisdiction.s;
		g->name = v[i]->juris ? v[i]->juris->name : g->code;
		g->n = j - i;
		g->entries = xmalloc(g->n * sizeof(*g->entries));
		memcpy(g->entries, v + i, g->n * sizeof(*g->entries));
		i = j;
	}
	free(v);
}

static int record_id_cmp(const void *a, const void *b)
{
	const struct record *x = *(const struct record *const *)a;
	const struct record *y = *(const struct record *const *)b;
	return strcmp(x->id.s, y->id.s);
}

/* The records due for review, oldest review first. */
static void list_stale(struct catalog *c)
{
	c->nstale = 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->entries[i].stale)
			c->stale[c->nstale++] = &c->entries[i];
	if (c->nstale)
		qsort(c->stale, c->nstale, sizeof(*c->stale), oldest_cmp);
}

void catalog_set_pages(struct catalog *c, const struct pagestate_db *pages)
{
	c->pages = pages;
	if (!pages)
		return;
	struct arena *a = arena_new();
	for (size_t i = 0; i < c->n; i++) {
		struct entry *e = &c->entries[i];
		struct pagestate *v;
		size_t n = pagestate_record(pages, e->r, a, &v);
		for (size_t k = 0; k < n; k++)
			if (pagestate_flagged(v[k].status))
				e->sources_flagged = true;
		e->stale = e->aged || e->sources_flagged;
		arena_reset(a);
	}
	arena_free(a);
	list_stale(c);
}

/* Up to this many threads make a catalog's entries. */
#define CATALOG_THREADS 8

/* The entries [@from, @to) of @c, of the records @ids (in id order). */
struct entry_slice {
	struct catalog *c;
	const struct record **ids;
	size_t from, to;
};

static int entries_fill(void *arg)
{
	struct entry_slice *sl = arg;
	struct catalog *c = sl->c;
	const struct dataset *ds = c->ds;
	const struct method *m = c->m;
	for (size_t i = sl->from; i < sl->to; i++) {
		struct entry *e = &c->entries[i];
		e->r = sl->ids[i];
		e->industry = dataset_industry(ds, e->r->industry.s);
		e->juris = juris_lookup(e->r->jurisdiction.s);
		score_policy(m, e->r, &e->policy);
		e->audit = record_latest_audit(e->r);
		if (e->audit)
			score_flow(m, e->audit, &e->flow);
		e->headline = e->audit ? &e->flow : &e->policy;
		slug_from_code(e->r->jurisdiction.s, e->juris_slug,
			       sizeof(e->juris_slug));
		e->review_age = fresh_age_days(e->r->reviewed.days,
					       fresh_day_of(c->generated));
		e->aged = fresh_is_stale(e->review_age, FRESH_STALE_DAYS);
		e->stale = e->aged;
	}
	return 0;
}

struct catalog *catalog_new(const struct dataset *ds, const struct method *m,
			    int64_t generated)
{
	struct catalog *c = xcalloc(1, sizeof(*c));
	c->m = m;
	c->ds = ds;
	c->site = &ds->site;
	c->generated = generated;
	c->n = ds->nrecords;
	c->entries = xcalloc(c->n ? c->n : 1, sizeof(*c->entries));
	/* File-name order is not id order ("a-b.yaml" < "a.yaml"). */
	const struct record **ids = xmalloc((c->n ? c->n : 1) * sizeof(*ids));
	if (c->n)
		memcpy(ids, ds->records, c->n * sizeof(*ids));
	qsort(ids, c->n, sizeof(*ids), record_id_cmp);
	/* Each entry depends on its record alone: scored in slices, one
	 * thread each, for a large catalog. */
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nt = c->n < 4096 || cpus < 2 ? 1 : (size_t)cpus;
	if (nt > CATALOG_THREADS)
		nt = CATALOG_THREADS;
	struct entry_slice slices[CATALOG_THREADS];
	struct jobs_job jobs[CATALOG_THREADS];
	for (size_t t = 0; t < nt; t++) {
		slices[t] = (struct entry_slice){ c, ids, c->n * t / nt,
						  c->n * (t + 1) / nt };
		jobs[t] = (struct jobs_job){ entries_fill, &slices[t] };
	}
	jobs_run(jobs, nt);
	free(ids);
	c->by_score = sorted(c, by_score_cmp);
	c->by_reviewed = sorted(c, by_reviewed_cmp);
	c->stale = xmalloc((c->n ? c->n : 1) * sizeof(*c->stale));
	list_stale(c);
	group_industries(c);
	group_jurisdictions(c);
	return c;
}

void catalog_free(struct catalog *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nindustries; i++)
		free(c->industries[i].entries);
	for (size_t i = 0; i < c->njurisdictions; i++)
		free(c->jurisdictions[i].entries);
	free(c->industries);
	free(c->jurisdictions);
	free(c->by_score);
	free(c->by_reviewed);
	free(c->stale);
	free(c->entries);
	free(c);
}

const struct entry *catalog_find(const struct catalog *c, const char *id)
{
	size_t lo = 0, hi = c->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(c->entries[mid].r->id.s, id);
		if (!cmp)
			return &c->entries[mid];
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int catalog_gap(const struct entry *e)
{
	return e->audit ? e->policy.score - e->flow.score : 0;
}
