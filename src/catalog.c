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
#include "hash.h"
#include "internal.h"
#include "jobs.h"
#include "pagestate.h"
#include "record.h"
#include "slug.h"

#include <limits.h>
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
 * after an uncapped one), then the name and the id. Each entry is sorted
 * by a key made once: its score and grade as one number and the first
 * eight bytes of its name as another, so most comparisons compare two
 * numbers and only names alike in their first eight bytes are read.
 */
struct score_key {
	uint64_t rank;	 /* the score, highest first, then the grade */
	uint64_t prefix; /* the name's first bytes, as name_cmp() reads them */
	struct entry *e;
};

static int score_key_cmp(const void *a, const void *b)
{
	const struct score_key *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	int c = name_cmp(x->e->r->name.s, y->e->r->name.s);
	return c ? c : strcmp(x->e->r->id.s, y->e->r->id.s);
}

static struct entry **by_score(struct catalog *c)
{
	struct score_key *keys = xmalloc((c->n ? c->n : 1) * sizeof(*keys));
	for (size_t i = 0; i < c->n; i++) {
		struct entry *e = &c->entries[i];
		const char *name = e->r->name.s;
		uint64_t prefix = 0;
		size_t k = 0;
		for (; k < 8 && name[k]; k++)
			prefix = prefix << 8 | (uint64_t)ascii_lower(name[k]);
		prefix <<= 8 * (8 - k);
		keys[i] = (struct score_key){
			.rank = (uint64_t)((int64_t)INT_MAX -
					   e->headline->score)
					<< 8 |
				(unsigned char)e->headline->grade,
			.prefix = prefix,
			.e = e,
		};
	}
	qsort(keys, c->n, sizeof(*keys), score_key_cmp);
	struct entry **v = xmalloc((c->n ? c->n : 1) * sizeof(*v));
	for (size_t i = 0; i < c->n; i++)
		v[i] = keys[i].e;
	free(keys);
	return v;
}

static int by_reviewed_cmp(const void *a, const void *b)
{
	const struct entry *x = *(struct entry *const *)a;
	const struct entry *y = *(struct entry *const *)b;
	if (x->r->reviewed.days != y->r->reviewed.days)
		return x->r->reviewed.days < y->r->reviewed.days ? 1 : -1;
	return strcmp(x->r->id.s, y->r->id.s);
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

struct code_rank {
	const char *code;
	size_t num;   /* the code's number, in the order met */
	size_t first; /* the first entry with the code */
};

static int code_rank_cmp(const void *a, const void *b)
{
	return strcmp(((const struct code_rank *)a)->code,
		      ((const struct code_rank *)b)->code);
}

/*
 * The jurisdictions in code order, each with its records in the order of
 * the whole by score. The codes are numbered as they are met, through a
 * table with twice as many slots as records (so never full), and only
 * the few distinct codes are sorted: sorting the records by code and
 * score cost a fifth of a one-record rebuild's catalog at 100,000.
 */
static void group_jurisdictions(struct catalog *c)
{
	size_t n = c->n, nslots = 16;
	while (nslots < 2 * n)
		nslots *= 2;
	size_t *slots = xcalloc(nslots, sizeof(*slots)); /* number + 1 */
	size_t *num = xmalloc((n ? n : 1) * sizeof(*num));
	struct code_rank *codes = xmalloc((n ? n : 1) * sizeof(*codes));
	size_t ncodes = 0;
	for (size_t i = 0; i < n; i++) {
		const char *code = c->entries[i].r->jurisdiction.s;
		size_t h = hash_str(code) & (nslots - 1);
		while (slots[h] && strcmp(codes[slots[h] - 1].code, code))
			h = (h + 1) & (nslots - 1);
		if (!slots[h]) {
			codes[ncodes] = (struct code_rank){ code, ncodes, i };
			slots[h] = ++ncodes;
		}
		num[i] = slots[h] - 1;
	}
	free(slots);
	qsort(codes, ncodes, sizeof(*codes), code_rank_cmp);
	size_t *rank = xmalloc((ncodes ? ncodes : 1) * sizeof(*rank));
	c->njurisdictions = ncodes;
	c->jurisdictions =
		xcalloc(ncodes ? ncodes : 1, sizeof(*c->jurisdictions));
	for (size_t k = 0; k < ncodes; k++) {
		const struct entry *e = &c->entries[codes[k].first];
		struct group *g = &c->jurisdictions[k];
		rank[codes[k].num] = k;
		g->key = e->juris_slug;
		g->code = e->r->jurisdiction.s;
		g->name = e->juris ? e->juris->name : g->code;
	}
	for (size_t i = 0; i < n; i++)
		c->jurisdictions[rank[num[i]]].n++;
	for (size_t k = 0; k < ncodes; k++) {
		struct group *g = &c->jurisdictions[k];
		g->entries = xmalloc(g->n * sizeof(*g->entries));
		g->n = 0; /* counted again as they are filled */
	}
	for (size_t i = 0; i < n; i++) {
		struct entry *e = c->by_score[i];
		struct group *g = &c->jurisdictions[rank[num[e - c->entries]]];
		g->entries[g->n++] = e;
	}
	free(rank);
	free(codes);
	free(num);
}

/*
 * Newest review first, then id. The entries are in id order, so a stable
 * counting sort by day gives that order without a comparison; reviews
 * span a few thousand days, and a wider span (a date far off) is sorted.
 */
static struct entry **by_reviewed(struct catalog *c)
{
	size_t n = c->n;
	if (n == 0)
		return sorted(c, by_reviewed_cmp);
	date_days lo = c->entries[0].r->reviewed.days, hi = lo;
	for (size_t i = 1; i < n; i++) {
		date_days d = c->entries[i].r->reviewed.days;
		lo = d < lo ? d : lo;
		hi = d > hi ? d : hi;
	}
	size_t span = (size_t)((int64_t)hi - lo) + 1;
	if (span > 4 * n + 4096)
		return sorted(c, by_reviewed_cmp);
	struct entry **v = xmalloc(n * sizeof(*v));
	size_t *at = xcalloc(span + 1, sizeof(*at));
	for (size_t i = 0; i < n; i++)
		at[hi - c->entries[i].r->reviewed.days + 1]++;
	for (size_t k = 1; k <= span; k++)
		at[k] += at[k - 1];
	for (size_t i = 0; i < n; i++)
		v[at[hi - c->entries[i].r->reviewed.days]++] = &c->entries[i];
	free(at);
	return v;
}

/* The records due for review, oldest review first, then id: the runs of
 * one day of by_reviewed, last run first. */
static void list_stale(struct catalog *c)
{
	struct entry **v = c->by_reviewed;
	c->nstale = 0;
	for (size_t end = c->n; end > 0;) {
		size_t start = end - 1;
		while (start > 0 && v[start - 1]->r->reviewed.days ==
					    v[end - 1]->r->reviewed.days)
			start--;
		for (size_t i = start; i < end; i++)
			if (v[i]->stale)
				c->stale[c->nstale++] = v[i];
		end = start;
	}
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
	struct record *const *ids;
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
	/* Every record of a dataset without errors has an id. */
	c->n = ds->nby_id;
	c->entries = xcalloc(c->n ? c->n : 1, sizeof(*c->entries));
	/* Each entry depends on its record alone: scored in slices, one
	 * thread each, for a large catalog. */
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nt = c->n < 4096 || cpus < 2 ? 1 : (size_t)cpus;
	if (nt > CATALOG_THREADS)
		nt = CATALOG_THREADS;
	struct entry_slice slices[CATALOG_THREADS];
	struct jobs_job jobs[CATALOG_THREADS];
	for (size_t t = 0; t < nt; t++) {
		slices[t] = (struct entry_slice){ c, ds->by_id, c->n * t / nt,
						  c->n * (t + 1) / nt };
		jobs[t] = (struct jobs_job){ entries_fill, &slices[t] };
	}
	jobs_run(jobs, nt);
	c->by_score = by_score(c);
	c->by_reviewed = by_reviewed(c);
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

int catalog_id_cmp(const char *at, const char *id, size_t len)
{
	int cmp = strncmp(at, id, len);
	if (cmp)
		return cmp;
	/* Equal as far as either goes: @id may hold a NUL (a damaged
	 * file), so @at is not read past its own end. */
	size_t n = strnlen(at, len + 1);
	return n < len ? -1 : n > len;
}

const struct entry *catalog_find_n(const struct catalog *c, const char *id,
				   size_t len)
{
	size_t lo = 0, hi = c->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = catalog_id_cmp(c->entries[mid].r->id.s, id, len);
		if (!cmp)
			return &c->entries[mid];
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct entry *catalog_find(const struct catalog *c, const char *id)
{
	return catalog_find_n(c, id, strlen(id));
}

bool catalog_seek(const struct catalog *c, size_t *i, const char *id,
		  size_t len)
{
	int cmp = 1;
	while (*i < c->n &&
	       (cmp = catalog_id_cmp(c->entries[*i].r->id.s, id, len)) < 0)
		++*i;
	return *i < c->n && cmp == 0;
}

int catalog_gap(const struct entry *e)
{
	return e->audit ? e->policy.score - e->flow.score : 0;
}
