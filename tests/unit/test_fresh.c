/*
 * test_fresh.c - freshness and history as readers see them: ages in
 * words, the 180-day rule (a record reviewed in January 2025 is due at a
 * July 2026 build), the `stale` list's order and JSON, and a record's
 * page and per-record JSON built from a hand-made history of two
 * versions, one of them a methodology change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "feed.h"
#include "fixture.h"
#include "fresh.h"
#include "history.h"
#include "mustache.h"
#include "opendata.h"
#include "store.h"
#include "view.h"

#define BUILT 1782864000 /* 2026-07-01 */

static const char *ago(int days)
{
	static char s[64];
	struct buf b = BUF_INIT;
	assert_true(fresh_put_ago(&b, days));
	snprintf(s, sizeof(s), "%s", buf_cstr(&b));
	buf_free(&b);
	return s;
}

static void ages_read_as_people_say_them(void **state)
{
	(void)state;
	assert_string_equal(ago(0), "today");
	assert_string_equal(ago(-3), "today");
	assert_string_equal(ago(1), "yesterday");
	assert_string_equal(ago(12), "12 days ago");
	assert_string_equal(ago(14), "2 weeks ago");
	assert_string_equal(ago(95), "3 months ago");
	assert_string_equal(ago(532), "17 months ago");
	assert_string_equal(ago(800), "2 years ago");
	struct buf b = BUF_INIT;
	assert_true(fresh_put_month(&b, date_from_ymd(2025, 1, 15)));
	assert_string_equal(buf_cstr(&b), "Jan 2025");
	buf_free(&b);
}

static void stale_past_180_days_of_the_build(void **state)
{
	(void)state;
	date_days built = fresh_day_of(BUILT);
	assert_int_equal(built, date_from_ymd(2026, 7, 1));
	int jan = fresh_age_days(date_from_ymd(2025, 1, 15), built);
	assert_int_equal(jan, 532);
	assert_true(fresh_is_stale(jan, FRESH_STALE_DAYS));
	int edge = fresh_age_days(date_from_ymd(2026, 1, 2), built);
	assert_int_equal(edge, 180);
	assert_false(fresh_is_stale(edge, FRESH_STALE_DAYS));
	assert_true(fresh_is_stale(edge + 1, FRESH_STALE_DAYS));
	/* A review dated after the build is fresh, not negative. */
	assert_int_equal(fresh_age_days(built + 3, built), 0);
}

static void fake_record(struct record *r, const char *id, date_days reviewed)
{
	memset(r, 0, sizeof(*r));
	r->id.s = id;
	r->id.len = strlen(id);
	r->name.s = id;
	r->name.len = strlen(id);
	r->reviewed.days = reviewed;
}

static void list_is_oldest_first_with_reasons(void **state)
{
	(void)state;
	struct record a, b, c, d;
	fake_record(&a, "newer", date_from_ymd(2025, 12, 1));
	fake_record(&b, "oldest", date_from_ymd(2025, 1, 15));
	fake_record(&c, "fresh", date_from_ymd(2026, 6, 1));
	fake_record(&d, "also-oldest", date_from_ymd(2025, 1, 15));
	struct fresh_list *l =
		fresh_list_new(fresh_day_of(BUILT), FRESH_STALE_DAYS);
	fresh_list_check(l, &a);
	fresh_list_check(l, &b);
	fresh_list_check(l, &c);
	fresh_list_check(l, &d);
	/* Monitoring's reasons join a listed record and list a fresh one. */
	fresh_list_add(l, &b, FRESH_SOURCE_BROKEN, "https://example.com/x");
	fresh_list_add(l, &c, FRESH_SOURCE_CHANGED, "https://example.com/y");
	assert_int_equal(fresh_list_count(l), 4);
	json_t *j = fresh_list_json(l);
	assert_string_equal(json_string_value(json_object_get(j, "today")),
			    "2026-07-01");
	json_t *recs = json_object_get(j, "records");
	static const char *const order[] = { "also-oldest", "oldest", "newer",
					     "fresh" };
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(json_string_value(json_object_get(
					    json_array_get(recs, i), "id")),
				    order[i]);
	json_t *oldest = json_array_get(recs, 1);
	assert_int_equal(
		json_integer_value(json_object_get(oldest, "review_age_days")),
		532);
	json_t *why = json_object_get(oldest, "reasons");
	assert_int_equal(json_array_size(why), 2);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(why, 0), "kind")),
			    "age");
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(why, 1), "kind")),
			    "source_broken");
	json_decref(j);
	fresh_list_free(l);
}

/* A catalog of one entry with two committed versions, built by hand. */
struct fake {
	struct record r;
	struct entry e;
	struct catalog c;
	struct history_version v[2];
	struct histchange changes[2];
	struct history_record h;
};

static void fake_init(struct fake *f, date_days reviewed)
{
	memset(f, 0, sizeof(*f));
	const struct method *m = method_current();
	fake_record(&f->r, "coursera", reviewed);
	f->r.name.s = "Coursera";
	f->c.m = m;
	f->c.generated = BUILT;
	f->c.history_read = true;
	f->c.n = 1;
	f->c.entries = &f->e;
	f->e.r = &f->r;
	f->e.headline = &f->e.policy;
	f->e.review_age = fresh_age_days(reviewed, fresh_day_of(BUILT));
	f->e.stale = fresh_is_stale(f->e.review_age, FRESH_STALE_DAYS);
	f->e.policy.tier = &m->policy;
	f->e.policy.score = 72;
	f->e.policy.grade = 'B';
	/* Newest first: a score change and a methodology change, then
	 * the first version. */
	f->changes[0] =
		(struct histchange){ HISTCHANGE_METHODOLOGY, "methodology",
				     "CES-1.0", "CES-1.1",
				     "methodology CES-1.0 → CES-1.1" };
	f->changes[1] = (struct histchange){
		HISTCHANGE_SCORE, "policy", "79", "72",
		"79 → 72 (B → B): refund_disclosed 100 → 50"
	};
	struct history_version *v = f->v;
	strcpy(v[0].commit, "1111111111111111111111111111111111111111");
	strcpy(v[0].short_id, "1111111");
	v[0].date = date_from_ymd(2026, 6, 10);
	v[0].note = "Coursera: refund terms no longer per plan";
	v[0].policy = (struct histcache_score){ .score = 72, .grade = 'B' };
	v[0].changes = f->changes;
	v[0].nchanges = 2;
	strcpy(v[1].commit, "2222222222222222222222222222222222222222");
	strcpy(v[1].short_id, "2222222");
	v[1].date = date_from_ymd(2026, 6, 5);
	v[1].note = "Add Coursera";
	v[1].policy = (struct histcache_score){ .score = 79, .grade = 'B' };
	f->h = (struct history_record){ "coursera", f->v, 2 };
	f->e.history = &f->h;
}

static void page_shows_versions_and_methodology_apart(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f, date_from_ymd(2026, 6, 5));
	struct arena *a = arena_new();
	char *html =
		fixture_render("{{#versions}}{{date}} {{commit}} {{note}}"
			       "{{#methodology}} M:{{.}}{{/methodology}}"
			       "{{#changes}} F:{{.}}{{/changes}}|{{/versions}}"
			       "{{count}}",
			       view_history(a, &f.c, &f.e));
	assert_string_equal(
		html, "2026-06-10 1111111 Coursera: refund terms no longer "
		      "per plan M:methodology CES-1.0 → CES-1.1 F:79 → 72 "
		      "(B → B): refund_disclosed 100 → 50|2026-06-05 2222222 "
		      "Add Coursera|2 versions");
	free(html);
	html = fixture_render("{{{chart}}}", view_history(a, &f.c, &f.e));
	/* One step per version, oldest first, held to the build's day. */
	assert_non_null(strstr(html, "role=\"img\""));
	assert_non_null(strstr(html, "<title id=\"history-chart-title\">"
				     "Score history of Coursera</title>"));
	assert_non_null(strstr(html, "<title>2026-06-05: Documented-Policy "
				     "79/100, grade B</title>"));
	assert_non_null(strstr(html, ">2026-07-01</text>"));
	assert_non_null(strstr(html, "class=\"chart-line\" d=\"M"));
	free(html);
	html = fixture_render("{{ago}}|{{#stale}}stale{{/stale}}",
			      view_review(a, &f.c, &f.e));
	assert_string_equal(html, "3 weeks ago|");
	free(html);
	arena_free(a);
}

static void page_says_when_there_is_no_history(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f, date_from_ymd(2025, 1, 15));
	f.c.history_unavailable = "no git repository contains data";
	f.e.history = NULL;
	struct arena *a = arena_new();
	char *html =
		fixture_render("{{unavailable}}|{{#versions}}v{{/versions}}",
			       view_history(a, &f.c, &f.e));
	assert_non_null(strstr(html, "without the version history"));
	assert_null(strstr(html, "|v"));
	free(html);
	html = fixture_render("{{ago}}|{{#stale}}stale{{/stale}}",
			      view_review(a, &f.c, &f.e));
	assert_string_equal(html, "17 months ago|stale");
	free(html);
	arena_free(a);
}

static void record_json_has_freshness_and_history(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f, date_from_ymd(2025, 1, 15));
	json_t *j = json_object();
	opendata_record_extras(&f.c, &f.e, j);
	assert_true(json_is_true(json_object_get(j, "stale")));
	assert_int_equal(
		json_integer_value(json_object_get(j, "review_age_days")), 532);
	assert_true(json_is_true(json_object_get(j, "history_available")));
	json_t *h = json_object_get(j, "history");
	assert_int_equal(json_array_size(h), 2);
	json_t *v0 = json_array_get(h, 0);
	assert_string_equal(json_string_value(json_object_get(v0, "date")),
			    "2026-06-10");
	assert_string_equal(json_string_value(json_object_get(v0, "commit")),
			    "1111111");
	assert_int_equal(json_integer_value(json_object_get(v0, "score")), 72);
	assert_int_equal(json_array_size(json_object_get(v0, "changes")), 2);
	json_decref(j);

	f.c.history_unavailable = "shallow";
	f.e.history = NULL;
	f.e.stale = false;
	j = json_object();
	opendata_record_extras(&f.c, &f.e, j);
	assert_true(json_is_false(json_object_get(j, "stale")));
	assert_true(json_is_false(json_object_get(j, "history_available")));
	assert_int_equal(json_array_size(json_object_get(j, "history")), 0);
	json_decref(j);
}

static void feeds_have_stable_tag_ids(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f, date_from_ymd(2026, 6, 5));
	struct dataset ds;
	memset(&ds, 0, sizeof(ds));
	ds.site.name.s = "Cancel Atlas";
	ds.site.url.s = "https://atlas.example.org:8443";
	ds.site.url.len = strlen(ds.site.url.s);
	ds.site.license_name.s = "CC BY-SA 4.0";
	f.c.site = &ds.site;
	struct buf b = BUF_INIT;
	assert_true(feed_put_record(&b, &f.c, &f.e));
	assert_non_null(strstr(
		b.data, "<id>tag:atlas.example.org,2026-06-10:c/coursera/"
			"1111111111111111111111111111111111111111</id>"));
	assert_non_null(strstr(b.data, "<id>tag:atlas.example.org,2026-06-05:"
				       "c/coursera/2222222"));
	assert_non_null(strstr(b.data, "<updated>2026-06-10T00:00:00Z"));
	assert_non_null(strstr(b.data,
			       "rel=\"self\" type=\"application/"
			       "atom+xml\" href=\"https://atlas."
			       "example.org:8443/c/coursera/feed.atom"));
	buf_reset(&b);
	/* The index's feed: the same entries, newest first. */
	assert_true(feed_put_latest(&b, &f.c));
	const char *newer = strstr(b.data, "c/coursera/1111111");
	const char *older = strstr(b.data, "c/coursera/2222222");
	assert_true(newer && older && newer < older);
	buf_free(&b);
}

static void page_lists_the_decisions_about_the_record(void **state)
{
	(void)state;
	struct fake f;
	fake_init(&f, date_from_ymd(2026, 6, 5));
	const struct store_decision log[2] = {
		{ STORE_AUDIT, "A-2", "coursera", "flow", "rejected",
		  "The recording does not show the cancel page.", 0,
		  "2026-06-20" },
		{ STORE_CORRECTION, "C-1", "coursera", "refund_disclosed",
		  "accepted", NULL, 0, "2026-06-12" },
	};
	const struct store_decision *mine[2] = { &log[0], &log[1] };
	f.e.decisions = mine;
	f.e.ndecisions = 2;
	struct arena *a = arena_new();
	char *html =
		fixture_render("{{#any}}{{#list}}{{date}} {{kind}} {{field}} "
			       "{{decision}}: {{reason}}|{{/list}}{{/any}}",
			       view_decisions(a, &f.e));
	assert_string_equal(html,
			    "2026-06-20 Audit flow rejected: The recording "
			    "does not show the cancel page.|2026-06-12 "
			    "Correction refund_disclosed accepted: |");
	free(html);
	f.e.ndecisions = 0;
	html = fixture_render("{{^any}}none{{/any}}", view_decisions(a, &f.e));
	assert_string_equal(html, "none");
	free(html);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ages_read_as_people_say_them),
		cmocka_unit_test(stale_past_180_days_of_the_build),
		cmocka_unit_test(list_is_oldest_first_with_reasons),
		cmocka_unit_test(page_shows_versions_and_methodology_apart),
		cmocka_unit_test(page_says_when_there_is_no_history),
		cmocka_unit_test(record_json_has_freshness_and_history),
		cmocka_unit_test(feeds_have_stable_tag_ids),
		cmocka_unit_test(page_lists_the_decisions_about_the_record),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
