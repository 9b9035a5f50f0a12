/*
 * test_strsort.c - strings sorted by a key of their first eight bytes
 * come out in strcmp() order, equal strings in their given order: checked
 * against qsort() on strings alike in every way the key could get wrong
 * (ending before, at and after eight bytes, prefixes of each other, bytes
 * past 0x7f, empty, equal).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strsort.h"

struct ref {
	const char *s;
	size_t at;
};

static int ref_cmp(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;
	int c = strcmp(x->s, y->s);
	return c ? c : (x->at > y->at) - (x->at < y->at);
}

/* Check strsort_order() and strsort() on @v against qsort(). */
static void check_sorted(const char *const *v, size_t n)
{
	struct ref *want = malloc((n ? n : 1) * sizeof(*want));
	size_t *order = malloc((n ? n : 1) * sizeof(*order));
	const char **copy = malloc((n ? n : 1) * sizeof(*copy));
	assert_non_null(want);
	assert_non_null(order);
	assert_non_null(copy);
	for (size_t i = 0; i < n; i++)
		want[i] = (struct ref){ v[i], i };
	qsort(want, n, sizeof(*want), ref_cmp);
	strsort_order(v, n, order);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(order[i], want[i].at);
	memcpy(copy, v, n * sizeof(*copy));
	strsort(copy, n);
	for (size_t i = 0; i < n; i++)
		assert_ptr_equal(copy[i], want[i].s);
	free(copy);
	free(order);
	free(want);
}

static void alike_strings(void **state)
{
	(void)state;
	const char *v[] = {
		"abcdefgh",
		"abcdefg",
		"abcdefghi",
		"abcdefgh-x",
		"abcdefgh",
		"abc",
		"",
		"ab",
		"abcdefgi",
		"abcdefgh.yaml",
		"a-b.yaml",
		"a.yaml",
		"a-b",
		"a",
		"\xc3\xa9t\xc3\xa9",
		"\xff",
		"\x7f",
		"Zeta",
		"zeta",
		"",
		"abcdefg\x80",
		"abcdefg\x7f",
		"abcdefgh\xff",
		"abcdefgh\x01",
		"abcdefg",
	};
	check_sorted(v, sizeof(v) / sizeof(v[0]));
	check_sorted(v, 0);
	check_sorted(v, 1);
}

/* Many strings from a small alphabet, of lengths 0 to 12: many equal,
 * many alike in their first eight bytes. */
static void random_strings(void **state)
{
	(void)state;
	enum { N = 5000 };
	static char text[N][16];
	const char *v[N];
	uint32_t x = 12345;
	for (size_t i = 0; i < N; i++) {
		x = x * 1103515245u + 12345u;
		size_t len = (x >> 16) % 13;
		for (size_t k = 0; k < len; k++) {
			x = x * 1103515245u + 12345u;
			text[i][k] = "ab-.\xe9"[(x >> 16) % 5];
		}
		text[i][len] = '\0';
		v[i] = text[i];
	}
	check_sorted(v, N);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(alike_strings),
		cmocka_unit_test(random_strings),
	};
	return cmocka_run_group_tests_name("strsort", tests, NULL, NULL);
}
