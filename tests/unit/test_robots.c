/*
 * test_robots.c - robots.txt as RFC 9309 reads it: group selection by
 * product token, merged groups, longest match, Allow on a tie, '*' and
 * '$', comments, odd spacing, and the files that allow or refuse all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "robots.h"

#define AGENT "CancelAtlas-monitor"

static bool allowed(const char *txt, const char *path)
{
	struct robots *r = robots_parse(txt, strlen(txt), AGENT);
	bool ok = robots_allowed(r, path, NULL);
	robots_free(r);
	return ok;
}

static void no_file_allows_everything(void **state)
{
	(void)state;
	struct robots *r = robots_parse(NULL, 0, AGENT);
	assert_true(robots_allowed(r, "/anything", NULL));
	robots_free(r);
	assert_true(allowed("", "/x"));
	assert_true(allowed("User-agent: *\nDisallow:\n", "/x"));
}

static void the_star_group_applies_when_none_names_us(void **state)
{
	(void)state;
	const char *txt = "User-agent: *\nDisallow: /private\n\n"
			  "User-agent: OtherBot\nDisallow: /\n";
	assert_false(allowed(txt, "/private/policy"));
	assert_true(allowed(txt, "/terms"));
}

static void our_group_replaces_the_star_group(void **state)
{
	(void)state;
	const char *txt = "User-agent: *\nDisallow: /\n\n"
			  "User-agent: cancelatlas-MONITOR\nDisallow: /cart\n";
	assert_true(allowed(txt, "/terms"));
	assert_false(allowed(txt, "/cart/1"));
	/* A product token with a version still names us. */
	assert_false(allowed("User-agent: CancelAtlas-monitor/1.0\n"
			     "Disallow: /x\n",
			     "/x"));
	/* A longer token is another crawler. */
	assert_true(allowed("User-agent: CancelAtlas-monitorX\nDisallow: /\n",
			    "/x"));
}

static void groups_naming_us_are_merged(void **state)
{
	(void)state;
	const char *txt = "User-agent: CancelAtlas-monitor\nDisallow: /a\n"
			  "User-agent: other\nDisallow: /b\n"
			  "User-agent: CancelAtlas-monitor\nDisallow: /c\n";
	assert_false(allowed(txt, "/a"));
	assert_true(allowed(txt, "/b"));
	assert_false(allowed(txt, "/c"));
	/* Consecutive User-agent lines share one group. */
	txt = "User-agent: other\nUser-agent: CancelAtlas-monitor\n"
	      "Disallow: /shared\n";
	assert_false(allowed(txt, "/shared"));
}

static void the_longest_match_wins_and_allow_wins_a_tie(void **state)
{
	(void)state;
	const char *txt =
		"User-agent: *\nDisallow: /help\nAllow: /help/cancel\n"
		"Allow: /page\nDisallow: /page\n";
	assert_false(allowed(txt, "/help/billing"));
	assert_true(allowed(txt, "/help/cancel-subscription"));
	assert_true(allowed(txt, "/page"));
	struct robots *r = robots_parse(txt, strlen(txt), AGENT);
	const char *rule = NULL;
	assert_false(robots_allowed(r, "/help/x", &rule));
	assert_string_equal(rule, "Disallow: /help");
	robots_free(r);
}

static void wildcards_and_end_anchors(void **state)
{
	(void)state;
	const char *txt = "User-agent: *\nDisallow: /*.pdf$\n"
			  "Disallow: /shop/*/cart\n";
	assert_false(allowed(txt, "/docs/terms.pdf"));
	assert_true(allowed(txt, "/docs/terms.pdf?download=1"));
	assert_false(allowed(txt, "/shop/uk/cart"));
	assert_true(allowed(txt, "/shop/cart"));
	assert_false(allowed("User-agent: *\nDisallow: /$\n", "/"));
	assert_true(allowed("User-agent: *\nDisallow: /$\n", "/terms"));
	/* Queries are part of the path matched. */
	assert_false(allowed("User-agent: *\nDisallow: /*?session=\n",
			     "/terms?session=1"));
}

static void comments_case_and_spacing(void **state)
{
	(void)state;
	const char *txt = "# site rules\r\n  USER-AGENT :  *   # everyone\r\n"
			  "disallow:/private # no\r\nSitemap: /s.xml\r\n";
	assert_false(allowed(txt, "/private"));
	assert_true(allowed(txt, "/public"));
	/* Rules before any User-agent line belong to no group. */
	assert_true(allowed("Disallow: /\n", "/x"));
}

static void robots_txt_itself_and_disallow_all(void **state)
{
	(void)state;
	struct robots *r = robots_disallow_all();
	assert_false(robots_allowed(r, "/", NULL));
	assert_false(robots_allowed(r, "/terms", NULL));
	assert_true(robots_allowed(r, "/robots.txt", NULL));
	robots_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(no_file_allows_everything),
		cmocka_unit_test(the_star_group_applies_when_none_names_us),
		cmocka_unit_test(our_group_replaces_the_star_group),
		cmocka_unit_test(groups_naming_us_are_merged),
		cmocka_unit_test(the_longest_match_wins_and_allow_wins_a_tie),
		cmocka_unit_test(wildcards_and_end_anchors),
		cmocka_unit_test(comments_case_and_spacing),
		cmocka_unit_test(robots_txt_itself_and_disallow_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
