/*
 * test_siteurl.c - where a record's files are served and written, which
 * paths are record pages, and where each page of the table is written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "indexpages.h"
#include "sitepages.h"
#include "siteurl.h"

static void record_files_are_served_where_they_are_written(void **state)
{
	(void)state;
	static const struct {
		enum siteurl_record_file f;
		const char *path, *file;
	} cases[] = {
		{ SITEURL_PAGE, "/c/coursera/", "c/coursera/index.html" },
		{ SITEURL_FEED, "/c/coursera/feed.atom",
		  "c/coursera/feed.atom" },
		{ SITEURL_API, "/api/v1/companies/coursera.json",
		  "api/v1/companies/coursera.json" },
		{ SITEURL_BADGE, "/share/badges/coursera.svg",
		  "share/badges/coursera.svg" },
		{ SITEURL_CARD, "/share/cards/coursera.png",
		  "share/cards/coursera.png" },
		{ SITEURL_CITE, "/c/coursera/cite.", "c/coursera/cite." },
	};
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		assert_true(
			siteurl_put_record_path(&b, "coursera", cases[i].f));
		assert_string_equal(b.data, cases[i].path);
		buf_reset(&b);
		assert_true(
			siteurl_put_record_file(&b, "coursera", cases[i].f));
		assert_string_equal(b.data, cases[i].file);
	}
	buf_free(&b);
}

static void record_pages_are_told_apart(void **state)
{
	(void)state;
	assert_true(siteurl_is_record_page("/c/coursera/index.html"));
	assert_false(siteurl_is_record_page("/c/coursera/feed.atom"));
	assert_false(siteurl_is_record_page("/c//index.html"));
	assert_false(siteurl_is_record_page("/c/index.html"));
	assert_false(siteurl_is_record_page("/industries/x/index.html"));
}

static void pages_are_written_as_their_paths_say(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_true(sitepages_put_file(&b, "/"));
	assert_string_equal(b.data, "index.html");
	buf_reset(&b);
	assert_true(sitepages_put_file(&b, "/corrections/audit/"));
	assert_string_equal(b.data, "corrections/audit/index.html");
	buf_reset(&b);
	assert_true(sitepages_put_file(&b, "/404.html"));
	assert_string_equal(b.data, "404.html");
	buf_free(&b);
	/* Every page but the records' has a path; only 404 is unlisted. */
	for (size_t i = 0; i < sitepages_count; i++) {
		const struct sitepages_page *p = &sitepages_table[i];
		assert_true(p->kind == SITEPAGES_RECORD || p->path);
		assert_true(p->template && *p->template);
		assert_int_equal(p->dated == SITEPAGES_UNLISTED,
				 p->kind == SITEPAGES_NOT_FOUND);
	}
}

/* A listing's pages: the first at its own path, page k at PATH/page/k/,
 * as many as its rows fill, and one (saying so) when it has none. */
static void listings_are_paged(void **state)
{
	(void)state;
	assert_int_equal(indexpages_count(0), 1);
	assert_int_equal(indexpages_count(1), 1);
	assert_int_equal(indexpages_count(INDEXPAGES_ROWS), 1);
	assert_int_equal(indexpages_count(INDEXPAGES_ROWS + 1), 2);
	assert_int_equal(indexpages_count(1000 * INDEXPAGES_ROWS), 1000);
	struct buf b = BUF_INIT;
	assert_true(indexpages_put_path(&b, "/", 1));
	assert_string_equal(b.data, "/");
	buf_reset(&b);
	assert_true(indexpages_put_path(&b, "/", 2));
	assert_string_equal(b.data, "/page/2/");
	buf_reset(&b);
	assert_true(indexpages_put_path(&b, "/industries/streaming/", 12));
	assert_string_equal(b.data, "/industries/streaming/page/12/");
	buf_reset(&b);
	assert_true(sitepages_put_file(&b, "/page/2/"));
	assert_string_equal(b.data, "page/2/index.html");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			record_files_are_served_where_they_are_written),
		cmocka_unit_test(record_pages_are_told_apart),
		cmocka_unit_test(pages_are_written_as_their_paths_say),
		cmocka_unit_test(listings_are_paged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
