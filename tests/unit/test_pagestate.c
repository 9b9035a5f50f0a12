/*
 * test_pagestate.c - a cited page's state from its stored versions: the
 * baseline on the review date (or the first fetch after it), changed,
 * moved, broken, unchecked, never checked; the cited URLs of a record,
 * each once; and the same answer from a snapshot and from the store.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pagestate.h"

#include "fixture.h"

#define DAY    86400
#define REVIEW 20000				  /* the review's day number */
#define BEFORE ((int64_t)REVIEW * DAY - DAY)	  /* the day before */
#define ON     ((int64_t)REVIEW * DAY + DAY - 60) /* that evening */
#define AFTER  ((int64_t)REVIEW * DAY + 10 * DAY)
#define LATER  ((int64_t)REVIEW * DAY + 20 * DAY)

struct fixture {
	char *dir;  /* a scratch folder */
	char *path; /* the database in it */
	struct store *s;
	struct arena *a;
	struct record r;
	struct evidence ev[3];
};

static struct text txt(const char *s)
{
	return (struct text){ .s = s, .len = strlen(s) };
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	f->dir = fixture_dir_new("pages");
	f->path = fixture_path(f->dir, "m.db");
	struct buf err = BUF_INIT;
	f->s = store_open(f->path, STORE_CREATE, 200, &err);
	buf_free(&err);
	f->a = arena_new();
	f->r.id = txt("acme");
	f->r.reviewed.days = REVIEW;
	f->r.reviewed.set = true;
	f->r.official_page = txt("https://a.example/terms");
	f->r.refund_page = txt("https://a.example/refund");
	f->r.deletion_url = txt("https://a.example/terms");
	f->ev[0].url = txt("https://a.example/help");
	f->ev[1].url = txt("https://a.example/refund");
	f->ev[2].url = txt("https://a.example/gone");
	f->r.evidence = f->ev;
	f->r.nevidence = 3;
	*state = f;
	return f->s ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->s);
	arena_free(f->a);
	free(f->path);
	fixture_dir_remove(f->dir);
	free(f);
	return 0;
}

static void version(struct fixture *f, const char *url, int64_t when,
		    const char *sha, const char *final_url)
{
	struct store_page_version v = {
		.url = url,
		.fetched = when,
		.checked = when,
		.http_status = 200,
		.final_url = final_url ? final_url : url,
		.content_type = "text/html",
		.sha256 = sha,
	};
	struct buf err = BUF_INIT;
	assert_int_equal(
		store_page_version_add(f->s, &v, sha, strlen(sha), NULL, &err),
		0);
	struct store_page_check c = { url, when, "ok", NULL };
	assert_int_equal(store_page_check_set(f->s, &c, &err), 0);
	buf_free(&err);
}

static void check(struct fixture *f, const char *url, int64_t when,
		  const char *outcome, const char *detail)
{
	struct buf err = BUF_INIT;
	struct store_page_check c = { url, when, outcome, detail };
	assert_int_equal(store_page_check_set(f->s, &c, &err), 0);
	buf_free(&err);
}

/* The states of the fixture's record, from the store directly, after
 * checking that a snapshot says the same. */
static struct pagestate *states(struct fixture *f, size_t *n)
{
	struct buf err = BUF_INIT;
	struct pagestate *v, *w;
	assert_int_equal(pagestate_record_load(f->s, &f->r, f->a, &v, n, &err),
			 0);
	struct pagestate_db *db = pagestate_db_load(f->s, &err);
	assert_non_null(db);
	assert_int_equal(pagestate_record(db, &f->r, f->a, &w), *n);
	for (size_t i = 0; i < *n; i++) {
		assert_string_equal(v[i].url, w[i].url);
		assert_int_equal(v[i].status, w[i].status);
		assert_int_equal(v[i].checked, w[i].checked);
		assert_int_equal(v[i].baseline_after_review,
				 w[i].baseline_after_review);
	}
	pagestate_db_free(db);
	buf_free(&err);
	return v;
}

static void cited_urls_each_once_in_order(void **state)
{
	struct fixture *f = *state;
	struct pagestate_cited *c;
	size_t n = pagestate_cited(&f->r, f->a, &c);
	assert_int_equal(n, 4);
	assert_string_equal(c[0].url, "https://a.example/terms");
	assert_string_equal(c[0].role, "official page");
	assert_string_equal(c[1].url, "https://a.example/refund");
	assert_string_equal(c[1].role, "refund page");
	assert_string_equal(c[2].url, "https://a.example/help");
	assert_string_equal(c[2].role, "evidence");
	assert_string_equal(c[3].url, "https://a.example/gone");
}

static void nothing_stored_is_unchecked(void **state)
{
	struct fixture *f = *state;
	size_t n;
	struct pagestate *v = states(f, &n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(v[i].status, PAGESTATE_UNCHECKED);
		assert_int_equal(v[i].checked, 0);
		assert_false(pagestate_flagged(v[i].status));
	}
	assert_int_equal(pagestate_last_checked(v, n), 0);
	/* With no store at all, likewise. */
	struct pagestate *w;
	assert_int_equal(pagestate_record(NULL, &f->r, f->a, &w), 4);
	assert_int_equal(w[0].status, PAGESTATE_UNCHECKED);
}

static void changed_since_the_version_of_the_review_day(void **state)
{
	struct fixture *f = *state;
	const char *terms = "https://a.example/terms";
	version(f, terms, BEFORE, "s1", NULL);
	version(f, terms, ON, "s2", NULL); /* what the editor saw */
	version(f, terms, AFTER, "s3", NULL);
	size_t n;
	struct pagestate *v = states(f, &n);
	assert_int_equal(v[0].status, PAGESTATE_CHANGED);
	assert_string_equal(v[0].baseline->sha256, "s2");
	assert_string_equal(v[0].newest->sha256, "s3");
	assert_false(v[0].baseline_after_review);
	assert_int_equal(v[0].checked, AFTER);
	assert_true(pagestate_flagged(v[0].status));
	assert_string_equal(pagestate_status_str(v[0].status), "changed");
}

static void back_to_the_reviewed_text_is_unchanged(void **state)
{
	struct fixture *f = *state;
	const char *terms = "https://a.example/terms";
	version(f, terms, BEFORE, "s1", NULL);
	version(f, terms, AFTER, "s2", NULL);
	version(f, terms, LATER, "s1", NULL);
	size_t n;
	struct pagestate *v = states(f, &n);
	assert_int_equal(v[0].status, PAGESTATE_UNCHANGED);
	assert_int_equal(v[0].checked, LATER);
}

static void a_first_fetch_after_the_review_is_the_baseline(void **state)
{
	struct fixture *f = *state;
	const char *help = "https://a.example/help";
	version(f, help, AFTER, "h1", NULL);
	size_t n;
	struct pagestate *v = states(f, &n);
	assert_int_equal(v[2].status, PAGESTATE_UNCHANGED);
	assert_true(v[2].baseline_after_review);
	version(f, help, LATER, "h2", NULL);
	v = states(f, &n);
	assert_int_equal(v[2].status, PAGESTATE_CHANGED);
	assert_true(v[2].baseline_after_review);
	assert_string_equal(v[2].baseline->sha256, "h1");
}

static void a_new_redirect_is_moved(void **state)
{
	struct fixture *f = *state;
	const char *refund = "https://a.example/refund";
	version(f, refund, BEFORE, "r1", NULL);
	version(f, refund, AFTER, "r1", "https://b.example/refunds");
	size_t n;
	struct pagestate *v = states(f, &n);
	assert_int_equal(v[1].status, PAGESTATE_MOVED);
	assert_string_equal(v[1].detail, "https://b.example/refunds");
	assert_true(pagestate_flagged(v[1].status));
}

static void the_last_attempt_decides_broken_and_unchecked(void **state)
{
	struct fixture *f = *state;
	const char *gone = "https://a.example/gone";
	version(f, gone, BEFORE, "g1", NULL);
	check(f, gone, AFTER, "broken", "HTTP 404");
	check(f, "https://a.example/help", AFTER, "unchecked",
	      "disallowed by robots.txt (Disallow: /help)");
	size_t n;
	struct pagestate *v = states(f, &n);
	assert_int_equal(v[3].status, PAGESTATE_BROKEN);
	assert_string_equal(v[3].detail, "HTTP 404");
	assert_int_equal(v[3].checked, AFTER);
	/* The last good copy is still there for a later comparison. */
	assert_string_equal(v[3].newest->sha256, "g1");
	assert_int_equal(v[2].status, PAGESTATE_UNCHECKED);
	assert_string_equal(v[2].detail,
			    "disallowed by robots.txt (Disallow: /help)");
	assert_int_equal(pagestate_last_checked(v, n), AFTER);
	/* Back again: the page is judged by its text once more. */
	version(f, gone, LATER, "g1", NULL);
	v = states(f, &n);
	assert_int_equal(v[3].status, PAGESTATE_UNCHANGED);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(cited_urls_each_once_in_order),
		T(nothing_stored_is_unchecked),
		T(changed_since_the_version_of_the_review_day),
		T(back_to_the_reviewed_text_is_unchanged),
		T(a_first_fetch_after_the_review_is_the_baseline),
		T(a_new_redirect_is_moved),
		T(the_last_attempt_decides_broken_and_unchecked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
