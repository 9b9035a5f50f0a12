/*
 * test_worddiff.c - the monitor's word diff: minimal runs of added and
 * removed words, white space ignored, the bound on the edit distance,
 * and the report lines with their caps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "worddiff.h"

/* The diff of @a and @b as report lines, "- x y" / "+ z". */
static char *diff_lines(const char *a, const char *b, size_t max_edits)
{
	struct worddiff d;
	worddiff_compute(a, b, max_edits, &d);
	struct buf out = BUF_INIT;
	worddiff_put(&d, &out, "", 100, 1000);
	worddiff_free(&d);
	return out.len ? buf_detach(&out, NULL) : xstrdup("");
}

#define ASSERT_DIFF(a, b, want)                                                \
	do {                                                                   \
		char *got_ = diff_lines(a, b, 0);                              \
		assert_string_equal(got_, want);                               \
		free(got_);                                                    \
	} while (0)

static void same_words_are_no_change(void **state)
{
	(void)state;
	ASSERT_DIFF("You can cancel online", "  You can\n\tcancel   online ",
		    "");
	ASSERT_DIFF("", "", "");
}

static void one_word_replaced(void **state)
{
	(void)state;
	ASSERT_DIFF("Cancel online at any time", "Cancel by phone at any time",
		    "- online\n+ by phone\n");
}

static void words_added_and_removed_at_the_ends(void **state)
{
	(void)state;
	ASSERT_DIFF("refunds within 14 days", "Full refunds within 14 days",
		    "+ Full\n");
	ASSERT_DIFF("refunds within 14 days", "refunds within 14", "- days\n");
	ASSERT_DIFF("", "all new text", "+ all new text\n");
	ASSERT_DIFF("all old text", "", "- all old text\n");
}

static void the_script_is_minimal(void **state)
{
	(void)state;
	struct worddiff d;
	worddiff_compute("a b c a b b a", "c b a b a c", 0, &d);
	/* Myers' classic example: five edits, in letters as words. */
	assert_int_equal(d.added + d.removed, 5);
	assert_false(d.capped);
	worddiff_free(&d);
	ASSERT_DIFF("one two three four five six", "one three four six seven",
		    "- two\n- five\n+ seven\n");
}

static void counts_and_positions(void **state)
{
	(void)state;
	struct worddiff d;
	worddiff_compute("a b c d", "a x y d", 0, &d);
	assert_int_equal(d.nruns, 2);
	assert_false(d.runs[0].added);
	assert_string_equal(d.runs[0].words, "b c");
	assert_int_equal(d.runs[0].at, 1);
	assert_true(d.runs[1].added);
	assert_string_equal(d.runs[1].words, "x y");
	assert_int_equal(d.runs[1].nwords, 2);
	assert_int_equal(d.added, 2);
	assert_int_equal(d.removed, 2);
	worddiff_free(&d);
}

static void over_the_bound_the_middle_is_replaced_whole(void **state)
{
	(void)state;
	struct worddiff d;
	worddiff_compute("start a b c d end", "start w x y z end", 3, &d);
	assert_true(d.capped);
	assert_int_equal(d.nruns, 2);
	assert_string_equal(d.runs[0].words, "a b c d");
	assert_string_equal(d.runs[1].words, "w x y z");
	worddiff_free(&d);
}

static void long_texts_with_few_changes_are_quick(void **state)
{
	(void)state;
	/* 200,000 words that differ in two: found well inside the bound. */
	struct buf a = BUF_INIT, b = BUF_INIT;
	for (int i = 0; i < 200000; i++) {
		buf_printf(&a, "w%d ", i);
		buf_printf(&b, "w%d ", i == 1000 ? -1 : i == 150000 ? -2 : i);
	}
	struct worddiff d;
	worddiff_compute(a.data, b.data, 0, &d);
	assert_false(d.capped);
	assert_int_equal(d.added, 2);
	assert_int_equal(d.removed, 2);
	worddiff_free(&d);
	buf_free(&a);
	buf_free(&b);
}

static void report_lines_are_capped(void **state)
{
	(void)state;
	struct worddiff d;
	worddiff_compute("a b c d e f", "a 1 c 2 e 3", 0, &d);
	struct buf out = BUF_INIT;
	worddiff_put(&d, &out, "  ", 2, 1000);
	assert_string_equal(out.data, "  - b\n  + 1\n  (4 more changes)\n");
	worddiff_free(&d);
	buf_reset(&out);
	/* Cut at a character boundary: "é" is two bytes. */
	worddiff_compute("", "ab\xc3\xa9 cd", 0, &d);
	worddiff_put(&d, &out, "", 10, 3);
	assert_string_equal(out.data, "+ ab...\n");
	worddiff_free(&d);
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_words_are_no_change),
		cmocka_unit_test(one_word_replaced),
		cmocka_unit_test(words_added_and_removed_at_the_ends),
		cmocka_unit_test(the_script_is_minimal),
		cmocka_unit_test(counts_and_positions),
		cmocka_unit_test(over_the_bound_the_middle_is_replaced_whole),
		cmocka_unit_test(long_texts_with_few_changes_are_quick),
		cmocka_unit_test(report_lines_are_capped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
