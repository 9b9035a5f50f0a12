/*
 * test_stats.c - the aggregate figures. A generated data folder of 600
 * fictional records (with audits, every grade and many channel mixes) is
 * loaded and scored; stats_compute() must agree with a plain recount of
 * the catalog, figure by figure, and with itself on a catalog of none.
 */
#define _GNU_SOURCE /* mkdtemp */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "catalog.h"
#include "dataset.h"
#include "diag.h"
#include "gen.h"
#include "method.h"
#include "outdir.h"
#include "safefile.h"
#include "stats.h"
#include "yaml_load.h"

#define NRECORDS 600

struct fixture {
	char root[64];
	struct arena *arena;
	struct diag *d;
	struct dataset *ds;
	struct catalog *c;
	struct stats s;
};

static struct fixture fx;

static int setup(void **state)
{
	(void)state;
	snprintf(fx.root, sizeof(fx.root), "%s/atlas-stats.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(fx.root))
		return -1;
	fx.arena = arena_new();
	fx.d = diag_new();
	size_t len, n;
	struct industry *ind;
	char *text = safefile_read_all("data/industries.yaml", &len);
	if (!text || yaml_load_industries("data/industries.yaml", text, len,
					  fx.arena, fx.d, &ind, &n) != 0)
		return -1;
	free(text);
	char dir[128];
	snprintf(dir, sizeof(dir), "%s/data", fx.root);
	date_days today = date_from_ymd(2026, 7, 1);
	if (gen_records(dir, NRECORDS, 11, today, ind, n, NULL) != 0)
		return -1;
	struct dataset_opts opts = { .today = today };
	if (dataset_load(dir, &opts, fx.d, &fx.ds) != 0 ||
	    diag_count(fx.d, DIAG_ERROR) != 0)
		return -1;
	fx.c = catalog_new(fx.ds, method_current(), 1782864000);
	stats_compute(fx.c, &fx.s);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	stats_free(&fx.s);
	catalog_free(fx.c);
	dataset_free(fx.ds);
	diag_free(fx.d);
	arena_free(fx.arena);
	outdir_remove_tree(fx.root);
	return 0;
}

static bool close_to(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

static void counts_and_grades(void **state)
{
	(void)state;
	const struct stats *s = &fx.s;
	const struct method *m = method_current();
	assert_int_equal(s->n, NRECORDS);
	assert_int_equal(s->ngrades, m->ngrades);
	size_t audited = 0, policy[STATS_MAX_GRADES] = { 0 },
	       head[STATS_MAX_GRADES] = { 0 }, flow[STATS_MAX_GRADES] = { 0 };
	for (size_t i = 0; i < fx.c->n; i++) {
		const struct entry *e = &fx.c->entries[i];
		policy[stats_grade_index(m, e->policy.grade)]++;
		head[stats_grade_index(m, e->headline->grade)]++;
		if (e->audit) {
			audited++;
			flow[stats_grade_index(m, e->flow.grade)]++;
		}
	}
	assert_int_equal(s->audited, audited);
	assert_true(audited > 0 && audited < NRECORDS);
	assert_true(close_to(s->share_audited, (double)audited / NRECORDS));
	size_t total = 0, spread = 0;
	for (size_t g = 0; g < s->ngrades; g++) {
		assert_int_equal(s->policy_grades[g], policy[g]);
		assert_int_equal(s->headline_grades[g], head[g]);
		assert_int_equal(s->flow_grades[g], flow[g]);
		total += s->headline_grades[g];
		spread += s->headline_grades[g] > 0;
	}
	assert_int_equal(total, NRECORDS);
	assert_true(spread >= 4); /* the generator spreads grades */
	assert_int_equal(stats_grade_index(m, 'A'), 0);
	assert_int_equal(stats_grade_index(m, 'F'), (int)m->ngrades - 1);
	assert_int_equal(stats_grade_index(m, 'E'), -1);
}

static void means(void **state)
{
	(void)state;
	const struct stats *s = &fx.s;
	const struct method *m = method_current();
	double policy = 0, flow = 0, head = 0, gap = 0;
	double pl[METHOD_MAX_DIMS] = { 0 }, fl[METHOD_MAX_DIMS] = { 0 };
	for (size_t i = 0; i < fx.c->n; i++) {
		const struct entry *e = &fx.c->entries[i];
		policy += e->policy.score;
		head += e->headline->score;
		for (size_t k = 0; k < m->policy.ndims; k++)
			pl[k] += e->policy.levels[k];
		if (e->audit) {
			flow += e->flow.score;
			gap += e->policy.score - e->flow.score;
			for (size_t k = 0; k < m->flow.ndims; k++)
				fl[k] += e->flow.levels[k];
		}
	}
	assert_true(close_to(s->mean_policy, policy / NRECORDS));
	assert_true(close_to(s->mean_headline, head / NRECORDS));
	assert_true(close_to(s->mean_flow, flow / (double)s->audited));
	assert_true(close_to(s->mean_gap, gap / (double)s->audited));
	for (size_t k = 0; k < m->policy.ndims; k++)
		assert_true(close_to(s->policy_levels[k], pl[k] / NRECORDS));
	for (size_t k = 0; k < m->flow.ndims; k++)
		assert_true(close_to(s->flow_levels[k],
				     fl[k] / (double)s->audited));
}

static void channels_and_pauses(void **state)
{
	(void)state;
	const struct stats *s = &fx.s;
	size_t no_online = 0, phone = 0, pause = 0, per[CHANNEL_COUNT] = { 0 };
	for (size_t i = 0; i < fx.c->n; i++) {
		const struct record *r = fx.c->entries[i].r;
		bool online = false;
		for (size_t k = 0; k < r->nchannels; k++) {
			per[r->channels[k]]++;
			online |= r->channels[k] == CHANNEL_ONLINE ||
				  r->channels[k] == CHANNEL_IN_APP;
			phone += r->channels[k] == CHANNEL_PHONE;
		}
		no_online += !online;
		pause += r->pause_offered.v;
	}
	assert_int_equal(s->no_online, no_online);
	assert_int_equal(s->phone, phone);
	assert_int_equal(s->pause, pause);
	assert_true(no_online > 0 && phone > 0 && pause > 0);
	assert_true(close_to(s->share_no_online, (double)no_online / NRECORDS));
	assert_true(close_to(s->share_phone, (double)phone / NRECORDS));
	assert_true(close_to(s->share_pause, (double)pause / NRECORDS));
	for (int c = 0; c < CHANNEL_COUNT; c++)
		assert_int_equal(s->channels[c], per[c]);
}

static int gap_cmp(const void *a, const void *b)
{
	const struct entry *x = *(const struct entry *const *)a;
	const struct entry *y = *(const struct entry *const *)b;
	int gx = catalog_gap(x), gy = catalog_gap(y);
	if (gx != gy)
		return gy - gx;
	return strcmp(x->r->id.s, y->r->id.s);
}

static void largest_gaps(void **state)
{
	(void)state;
	const struct stats *s = &fx.s;
	const struct entry **v = calloc(fx.c->n, sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < fx.c->n; i++)
		if (fx.c->entries[i].audit &&
		    catalog_gap(&fx.c->entries[i]) > 0)
			v[n++] = &fx.c->entries[i];
	qsort(v, n, sizeof(*v), gap_cmp);
	assert_true(n > STATS_TOP_GAPS);
	assert_int_equal(s->ntop_gaps, STATS_TOP_GAPS);
	for (size_t i = 0; i < s->ntop_gaps; i++)
		assert_ptr_equal(s->top_gaps[i], v[i]);
	free(v);
}

static void groups(void **state)
{
	(void)state;
	const struct stats *s = &fx.s;
	assert_int_equal(s->nindustries, fx.c->nindustries);
	assert_int_equal(s->njurisdictions, fx.c->njurisdictions);
	assert_true(s->njurisdictions > 1);
	size_t total = 0;
	for (size_t i = 0; i < s->nindustries; i++) {
		const struct stats_group *g = &s->industries[i];
		assert_ptr_equal(g->g, &fx.c->industries[i]);
		double sum = 0;
		size_t audited = 0, grades = 0;
		for (size_t k = 0; k < g->g->n; k++) {
			sum += g->g->entries[k]->headline->score;
			audited += g->g->entries[k]->audit != NULL;
		}
		for (size_t k = 0; k < s->ngrades; k++)
			grades += g->grades[k];
		assert_int_equal(g->n, g->g->n);
		assert_int_equal(g->audited, audited);
		assert_int_equal(grades, g->n);
		assert_true(close_to(g->mean_headline,
				     g->n ? sum / (double)g->n : 0));
		total += g->n;
	}
	assert_int_equal(total, NRECORDS);
	total = 0;
	for (size_t i = 0; i < s->njurisdictions; i++) {
		const struct stats_group *g = &s->jurisdictions[i];
		assert_non_null(g->g->code);
		assert_true(g->n > 0);
		double sum = 0;
		for (size_t k = 0; k < g->g->n; k++)
			sum += g->g->entries[k]->policy.score;
		assert_true(close_to(g->mean_policy, sum / (double)g->n));
		total += g->n;
	}
	assert_int_equal(total, NRECORDS);
}

/* A catalog of no records: every figure is zero, nothing divides by 0. */
static void empty_catalog(void **state)
{
	(void)state;
	struct record *none[1] = { NULL };
	struct dataset ds = { .records = none };
	struct catalog *c = catalog_new(&ds, method_current(), 0);
	struct stats s;
	stats_compute(c, &s);
	assert_int_equal(s.n, 0);
	assert_int_equal(s.ntop_gaps, 0);
	assert_true(s.mean_policy == 0 && s.mean_flow == 0 &&
		    s.share_no_online == 0 && s.mean_gap == 0 &&
		    s.policy_levels[0] == 0);
	stats_free(&s);
	stats_free(NULL);
	catalog_free(c);
}

/*
 * Means are published from STATS_MIN_MEAN records only, and a chart ranks
 * groups best mean first (ties by name), then the small ones by name;
 * empty groups are left out.
 */
static void ranking_and_small_groups(void **state)
{
	(void)state;
	for (size_t i = 0; i < fx.s.nindustries; i++) {
		const struct stats_group *g = &fx.s.industries[i];
		assert_int_equal(g->has_mean, g->n >= STATS_MIN_MEAN);
	}
	static const struct {
		const char *name;
		size_t n;
		double mean;
	} in[] = {
		{ "Streaming", 7, 61.5 },   { "Audiobooks", 2, 99 },
		{ "Insurance", 12, 70.25 }, { "Dating apps", 0, 0 },
		{ "AI tools", 5, 61.5 },    { "Food delivery", 4, 10 },
		{ "Gym & fitness", 9, 40 },
	};
	struct group gr[ATLAS_COUNT(in)];
	struct stats_group sg[ATLAS_COUNT(in)];
	for (size_t i = 0; i < ATLAS_COUNT(in); i++) {
		gr[i] = (struct group){ .key = in[i].name, .name = in[i].name };
		sg[i] = (struct stats_group){ .g = &gr[i],
					      .n = in[i].n,
					      .has_mean =
						      in[i].n >= STATS_MIN_MEAN,
					      .mean_headline = in[i].mean };
	}
	const struct stats_group *out[ATLAS_COUNT(in)];
	size_t n;
	size_t with_mean = stats_rank(sg, ATLAS_COUNT(in), out, &n);
	static const char *const want[] = { "Insurance",  "AI tools",
					    "Streaming",  "Gym & fitness",
					    "Audiobooks", "Food delivery" };
	assert_int_equal(with_mean, 4);
	assert_int_equal(n, ATLAS_COUNT(want));
	for (size_t i = 0; i < n; i++)
		assert_string_equal(out[i]->g->name, want[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_and_grades),
		cmocka_unit_test(means),
		cmocka_unit_test(channels_and_pauses),
		cmocka_unit_test(largest_gaps),
		cmocka_unit_test(groups),
		cmocka_unit_test(ranking_and_small_groups),
		cmocka_unit_test(empty_catalog),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
