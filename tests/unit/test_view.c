/*
 * test_view.c - what pages say, checked at the source: the order of the
 * index and of every industry and jurisdiction list (best first, ties as
 * stated), the flow sentence (each recorded fault named as a fault, never
 * praised), dimension ids that wrap only after an underscore, means only
 * from five records, and insights that give n, rank industries and link
 * every name. A generated data folder of 60 records (small enough that
 * some industries hold fewer than five) is loaded and scored once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "catalog.h"
#include "dataset.h"
#include "fresh.h"
#include "method.h"
#include "mustache.h"
#include "stats.h"
#include "view.h"

#include "fixture.h"

#define NRECORDS 60

struct fixture {
	char *root;
	struct dataset *ds;
	struct catalog *c;
};

static struct fixture fx;

static int setup(void **state)
{
	(void)state;
	fx.root = fixture_dir_new("view");
	char *dir = fixture_path(fx.root, "data");
	fx.ds = fixture_generated_data(dir, NRECORDS, 5);
	free(dir);
	fx.c = catalog_new(fx.ds, method_current(), 1782864000);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	catalog_free(fx.c);
	dataset_free(fx.ds);
	fixture_dir_remove(fx.root);
	return 0;
}

/* The stated order, written out again: higher headline score, better
 * grade, name without regard to ASCII case, then id. */
static int stated_cmp(const struct entry *x, const struct entry *y)
{
	if (x->headline->score != y->headline->score)
		return x->headline->score > y->headline->score ? -1 : 1;
	if (x->headline->grade != y->headline->grade)
		return x->headline->grade < y->headline->grade ? -1 : 1;
	int c = strcasecmp(x->r->name.s, y->r->name.s);
	if (c)
		return c;
	c = strcmp(x->r->name.s, y->r->name.s);
	return c ? c : strcmp(x->r->id.s, y->r->id.s);
}

static void assert_best_first(struct entry *const *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		assert_true(stated_cmp(v[i - 1], v[i]) < 0);
}

static void lists_are_best_first(void **state)
{
	(void)state;
	const struct catalog *c = fx.c;
	assert_best_first(c->by_score, c->n);
	size_t total = 0;
	for (size_t i = 0; i < c->nindustries; i++) {
		const struct group *g = &c->industries[i];
		assert_best_first(g->entries, g->n);
		for (size_t k = 0; k < g->n; k++)
			assert_string_equal(g->entries[k]->industry->slug.s,
					    g->key);
		total += g->n;
	}
	assert_int_equal(total, c->n);
	total = 0;
	for (size_t i = 0; i < c->njurisdictions; i++) {
		const struct group *g = &c->jurisdictions[i];
		assert_best_first(g->entries, g->n);
		for (size_t k = 0; k < g->n; k++)
			assert_string_equal(g->entries[k]->r->jurisdiction.s,
					    g->code);
		total += g->n;
	}
	assert_int_equal(total, c->n);
	/* The check above is no formality: the index has ties to break. */
	size_t index_ties = 0;
	for (size_t k = 1; k < c->n; k++)
		index_ties += c->by_score[k]->headline->score ==
			      c->by_score[k - 1]->headline->score;
	assert_true(index_ties > 0);
}

/* Names alike but for case, or in their first eight bytes, or one the
 * start of another: the catalog compares a prefix of each name first. */
static const char *const alike_names[] = {
	"Streamly",
	"streamly",
	"Streamly Plus",
	"STREAMLY plus",
	"Streaml",
	"Streamly+",
	"Stre",
	"Streamly Plus Max",
	"StreamlyA",
	"Streamlya",
	"streamly plus",
	"Streamly\xc3\xa9",
	"Streamly Max",
	"streamly max",
	"S",
	"s",
	"Zip",
};

static void names_alike_keep_the_stated_order(void **state)
{
	(void)state;
	/* Every record renamed, so each tie compares names alike. */
	const char **saved = malloc(fx.ds->nrecords * sizeof(*saved));
	for (size_t i = 0; i < fx.ds->nrecords; i++) {
		struct record *r = fx.ds->records[i];
		saved[i] = r->name.s;
		r->name.s = alike_names[i % (sizeof(alike_names) /
					     sizeof(alike_names[0]))];
	}
	struct catalog *c = catalog_new(fx.ds, method_current(), 1782864000);
	assert_best_first(c->by_score, c->n);
	for (size_t i = 0; i < c->nindustries; i++)
		assert_best_first(c->industries[i].entries, c->industries[i].n);
	for (size_t i = 0; i < c->njurisdictions; i++)
		assert_best_first(c->jurisdictions[i].entries,
				  c->jurisdictions[i].n);
	catalog_free(c);
	for (size_t i = 0; i < fx.ds->nrecords; i++)
		fx.ds->records[i]->name.s = saved[i];
	free(saved);
}

/* Newest review first then id (by_reviewed), oldest first then id (the
 * records due), and the jurisdictions in code order, each once. The
 * catalog is made on a day that leaves some reviews due and some not. */
static void review_orders_and_codes(void **state)
{
	(void)state;
	const struct catalog *fresh = fx.c;
	date_days middle = fresh->by_reviewed[fresh->n / 2]->r->reviewed.days;
	int64_t day = (int64_t)(middle + FRESH_STALE_DAYS + 1) * 86400;
	struct catalog *c = catalog_new(fx.ds, method_current(), day);
	size_t same_day = 0, due = 0;
	for (size_t k = 1; k < c->n; k++) {
		const struct record *x = c->by_reviewed[k - 1]->r;
		const struct record *y = c->by_reviewed[k]->r;
		assert_true(x->reviewed.days > y->reviewed.days ||
			    (x->reviewed.days == y->reviewed.days &&
			     strcmp(x->id.s, y->id.s) < 0));
		same_day += x->reviewed.days == y->reviewed.days;
	}
	for (size_t k = 0; k < c->n; k++)
		due += c->entries[k].stale;
	assert_true(same_day > 0);
	assert_true(due > 1 && due < c->n);
	assert_int_equal(c->nstale, due);
	for (size_t k = 0; k < c->nstale; k++)
		assert_true(c->stale[k]->stale);
	for (size_t k = 1; k < c->nstale; k++) {
		const struct record *x = c->stale[k - 1]->r;
		const struct record *y = c->stale[k]->r;
		assert_true(x->reviewed.days < y->reviewed.days ||
			    (x->reviewed.days == y->reviewed.days &&
			     strcmp(x->id.s, y->id.s) < 0));
	}
	assert_true(c->njurisdictions > 1);
	for (size_t i = 1; i < c->njurisdictions; i++)
		assert_true(strcmp(c->jurisdictions[i - 1].code,
				   c->jurisdictions[i].code) < 0);
	catalog_free(c);
}

/* A record with one audit, scored; the audit starts with every fact at
 * its best and each case spoils some of them. */
struct fake {
	struct record r;
	struct audit au;
	struct entry e;
};

static void fake_init(struct fake *f)
{
	memset(f, 0, sizeof(*f));
	f->r.id.s = "acme";
	f->r.name.s = "Acme";
	f->r.jurisdiction.s = "US";
	f->au.date.days = date_from_ymd(2026, 5, 19);
	f->au.signup_channel = CHANNEL_ONLINE;
	f->au.online_path.v = true;
	f->au.steps.v = 2;
	f->au.retention.s = "none";
	f->au.channel_symmetry.v = true;
	f->au.confirmation.s = "immediate";
	f->au.minutes.v = 1.5;
	f->au.clean_exit.v = true;
}

static char *sentence(struct fake *f)
{
	f->e.r = &f->r;
	f->e.audit = &f->au;
	score_flow(method_current(), &f->au, &f->e.flow);
	f->e.headline = &f->e.flow;
	struct buf b = BUF_INIT;
	view_flow_sentence(&b, &f->e);
	return buf_detach(&b, NULL);
}

/* The part of @s after @label up to the next full stop, or "". */
static const char *part(const char *s, const char *label, char *out,
			size_t size)
{
	const char *p = strstr(s, label);
	out[0] = '\0';
	if (!p)
		return out;
	p += strlen(label);
	size_t n = strcspn(p, ".");
	if (n >= size)
		n = size - 1;
	memcpy(out, p, n);
	out[n] = '\0';
	return out;
}

static void flow_sentence_names_each_fault(void **state)
{
	(void)state;
	struct fake f;
	char bad[512], good[512];

	/* Everything went well: nothing falls short. */
	fake_init(&f);
	char *s = sentence(&f);
	assert_string_equal(
		s, "In a recorded cancellation on 2026-05-19, Acme scored "
		   "100/100 (grade A) for what actually happens when you "
		   "cancel. All went well: an online cancel path, 2 steps, no "
		   "retention step, the same channel as sign-up, written "
		   "confirmation at once, 1.5 minutes in all and no charge "
		   "after cancelling.");
	free(s);

	/* The failing flow of the fixture site, fault by fault. */
	fake_init(&f);
	f.au.online_path.v = false;
	f.au.steps.v = 5;
	f.au.retention.s = "mandatory-agent";
	f.au.channel_symmetry.v = false;
	f.au.confirmation.s = "none";
	f.au.minutes.v = 42;
	s = sentence(&f);
	assert_non_null(strstr(s, "scored 22/100 (grade F)"));
	assert_string_equal(part(s, "Where it fell short: ", bad, sizeof(bad)),
			    "no online cancel path, 5 steps, a mandatory "
			    "call or chat with an agent, a different channel "
			    "from sign-up, no confirmation and 42 minutes in "
			    "all");
	assert_string_equal(part(s, "What went well: ", good, sizeof(good)),
			    "no charge after cancelling");
	free(s);

	/* Each fault alone is named where faults are, and only there. */
	static const char *const faults[] = {
		"no online cancel path",
		"9 steps",
		"a retention offer to skip",
		"a mandatory retention offer or survey",
		"a different channel from sign-up",
		"written confirmation only later that day",
		"confirmation only later",
		"25 minutes in all",
		"a charge or lost access after cancelling",
	};
	for (size_t i = 0; i < ATLAS_COUNT(faults); i++) {
		fake_init(&f);
		switch (i) {
		case 0:
			f.au.online_path.v = false;
			break;
		case 1:
			f.au.steps.v = 9;
			break;
		case 2:
			f.au.retention.s = "skippable-offer";
			break;
		case 3:
			f.au.retention.s = "mandatory-offer";
			break;
		case 4:
			f.au.channel_symmetry.v = false;
			break;
		case 5:
			f.au.confirmation.s = "same-day";
			break;
		case 6:
			f.au.confirmation.s = "later";
			break;
		case 7:
			f.au.minutes.v = 25;
			break;
		default:
			f.au.clean_exit.v = false;
			break;
		}
		s = sentence(&f);
		assert_string_equal(
			part(s, "Where it fell short: ", bad, sizeof(bad)),
			faults[i]);
		part(s, "What went well: ", good, sizeof(good));
		assert_null(strstr(good, faults[i]));
		assert_null(strstr(s, "All went well"));
		/* The fact, not its opposite, is what the page says. */
		if (i == 0)
			assert_null(strstr(good, "online cancel path"));
		if (i == 4)
			assert_null(strstr(good, "same channel"));
		if (i == 8)
			assert_null(strstr(good, "no charge"));
		free(s);
	}
}

static void ids_wrap_after_underscores(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	assert_string_equal(view_id_html(a, "channel_disclosed"),
			    "channel_<wbr>disclosed");
	assert_string_equal(view_id_html(a, "a_b_c"), "a_<wbr>b_<wbr>c");
	assert_string_equal(view_id_html(a, "steps"), "steps");
	assert_string_equal(view_id_html(a, "end_"), "end_");
	assert_string_equal(view_id_html(a, "<i>_&"), "&lt;i&gt;_<wbr>&amp;");
	assert_string_equal(view_id_html(a, ""), "");
	arena_free(a);
}

/* The industries page: a mean from five records, none from fewer. */
static void groups_mean_needs_five(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct mst_value *root = mst_map_new(a);
	mst_map_set(root, "groups", view_groups(a, fx.c, true));
	char *out = fixture_render(
		"{{#groups.items}}{{n}}|{{mean}}\n{{/groups.items}}", root);
	size_t small = 0, big = 0;
	for (const char *line = out; *line; line = strchr(line, '\n') + 1) {
		long n = strtol(line, NULL, 10);
		const char *mean = strchr(line, '|') + 1;
		if (n < STATS_MIN_MEAN) {
			assert_memory_equal(mean, "\u2013\n",
					    strlen("\u2013\n"));
			small += n > 0;
		} else {
			assert_true(mean[0] >= '0' && mean[0] <= '9');
			big++;
		}
	}
	assert_true(small > 0 && big > 0); /* both cases are exercised */
	free(out);
	arena_free(a);
}

/* Insights: every chart gives its n; industries are ranked by mean, the
 * small ones listed without a mean; every industry name links to its
 * page, every grade to the index filtered by it. */
static void insights_rank_count_and_link(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct mst_value *root = mst_map_new(a);
	struct stats st;
	stats_compute(fx.c, &st);
	mst_map_set(root, "insights", view_insights(a, fx.c, &st));
	char *out =
		fixture_render("{{#insights.charts}}#{{id}} {{n_text}}\n"
			       "{{#table.rows}}{{href}}|{{n}}|{{value}}\n"
			       "{{/table.rows}}{{#small}}small {{path}} {{n}}\n"
			       "{{/small}}{{/insights.charts}}",
			       root);
	/* n for every chart, as a count of records. */
	for (const char *p = strchr(out, '#'); p; p = strchr(p + 1, '#')) {
		if (p != out && p[-1] != '\n')
			continue;
		const char *n = strstr(p, " n = ");
		assert_non_null(n);
		assert_true(n < strchr(p, '\n'));
	}
	const char *ind = strstr(out, "#industries ");
	assert_non_null(ind);
	const char *end = strstr(ind + 1, "\n#");
	double last = 1000;
	bool seen_small = false;
	size_t rows = 0, smalls = 0;
	for (const char *line = strchr(ind, '\n') + 1; line && line < end;
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (!strncmp(line, "small ", 6)) {
			smalls++;
			continue;
		}
		assert_memory_equal(line, "/industries/", 12);
		const char *n = strchr(line, '|') + 1;
		const char *value = strchr(n, '|') + 1;
		long count = strtol(n, NULL, 10);
		if (count >= STATS_MIN_MEAN) {
			double mean = strtod(value, NULL);
			assert_false(seen_small); /* ranked ones come first */
			assert_true(mean <= last);
			last = mean;
		} else {
			assert_memory_equal(value, "\u2013 (under 5)",
					    strlen("\u2013 (under 5)"));
			seen_small = true;
		}
		rows++;
	}
	assert_true(seen_small && last < 1000);
	assert_true(smalls > 0 && smalls < rows);
	assert_non_null(strstr(out, "/?grade=A|"));
	assert_non_null(strstr(out, "/methodology/#cancel_url|60|"));
	free(out);
	stats_free(&st);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lists_are_best_first),
		cmocka_unit_test(names_alike_keep_the_stated_order),
		cmocka_unit_test(review_orders_and_codes),
		cmocka_unit_test(flow_sentence_names_each_fault),
		cmocka_unit_test(ids_wrap_after_underscores),
		cmocka_unit_test(groups_mean_needs_five),
		cmocka_unit_test(insights_rank_count_and_link),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
