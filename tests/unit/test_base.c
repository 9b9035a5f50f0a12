/*
 * test_base.c - the small modules everything rests on: buf, arena, utf8,
 * date, juris, and the shell words of esc.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "date.h"
#include "esc.h"
#include "juris.h"
#include "utf8.h"

static void buf_grows_and_detaches(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_string_equal(buf_cstr(&b), "");
	for (int i = 0; i < 10000; i++)
		assert_true(buf_printf(&b, "%d,", i));
	assert_int_equal(b.len, strlen(b.data));
	assert_memory_equal(b.data, "0,1,2,", 6);
	size_t len;
	char *s = buf_detach(&b, &len);
	assert_int_equal(len, strlen(s));
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(s);
	s = buf_detach(&b, NULL);
	assert_string_equal(s, "");
	free(s);
}

static void buf_groups_thousands(void **state)
{
	(void)state;
	static const struct {
		size_t n;
		const char *text;
	} cases[] = {
		{ 0, "0" },
		{ 7, "7" },
		{ 999, "999" },
		{ 1000, "1,000" },
		{ 12345, "12,345" },
		{ 100000, "100,000" },
		{ 1234567, "1,234,567" },
	};
	for (size_t i = 0; i < ATLAS_COUNT(cases); i++) {
		struct buf b = BUF_INIT;
		assert_true(buf_put_grouped(&b, cases[i].n));
		assert_string_equal(buf_cstr(&b), cases[i].text);
		buf_free(&b);
	}
}

static void shell_words(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "demo", "demo" },
		{ "/tmp/data-1/records/x.yaml", "/tmp/data-1/records/x.yaml" },
		{ "https://example.com/a?b=1&c",
		  "'https://example.com/a?b=1&c'" },
		{ "my demo", "'my demo'" },
		{ "it's", "'it'\\''s'" },
		{ "$HOME", "'$HOME'" },
		{ "~/data", "'~/data'" },
		{ "=ls", "'=ls'" },
		{ "", "''" },
	};
	for (size_t i = 0; i < ATLAS_COUNT(cases); i++) {
		struct buf b = BUF_INIT;
		assert_true(esc_shell_word(&b, cases[i][0]));
		assert_string_equal(buf_cstr(&b), cases[i][1]);
		buf_free(&b);
	}
}

static void buf_limit_refuses_and_keeps(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	b.limit = 8;
	assert_true(buf_puts(&b, "12345678"));
	assert_false(buf_putc(&b, '9'));
	assert_false(buf_printf(&b, "%s", "more"));
	assert_string_equal(b.data, "12345678");
	assert_false(buf_reserve(&b, SIZE_MAX));
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_true(buf_puts(&b, "ok"));
	buf_free(&b);
}

static void arena_aligns_zeroes_and_takes_big_blocks(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	for (int i = 1; i < 2000; i++) {
		unsigned char *p = arena_alloc(a, (size_t)i % 97 + 1);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		for (int j = 0; j < i % 97 + 1; j++)
			assert_int_equal(p[j], 0);
		memset(p, 0xab, (size_t)i % 97 + 1);
	}
	char *big = arena_alloc(a, 1 << 20);
	big[(1 << 20) - 1] = 'x';
	assert_string_equal(arena_strndup(a, "hello world", 5), "hello");
	assert_true(arena_bytes(a) >= (1 << 20));
	arena_reset(a);
	assert_true(arena_bytes(a) < (1 << 20));
	assert_non_null(arena_alloc(a, 10));
	arena_free(a);
	arena_free(NULL);
}

/* Past a megabyte an arena takes 2 MiB blocks; what was handed out
 * before and after stays apart and intact. */
static void arena_grows_into_large_blocks(void **state)
{
	(void)state;
	enum { PIECES = 60000, SIZE = 200 };
	struct arena *a = arena_new();
	unsigned char **piece = xmalloc(PIECES * sizeof(*piece));
	for (size_t i = 0; i < PIECES; i++) {
		piece[i] = arena_alloc(a, SIZE);
		assert_int_equal((uintptr_t)piece[i] % _Alignof(max_align_t),
				 0);
		assert_int_equal(piece[i][SIZE - 1], 0);
		memset(piece[i], (int)(i % 251), SIZE);
	}
	assert_true(arena_bytes(a) >= (size_t)PIECES * SIZE);
	/* Some 12 MB in all: within a few blocks of what was asked. */
	assert_true(arena_bytes(a) < (size_t)PIECES * SIZE + (8u << 20));
	for (size_t i = 0; i < PIECES; i++)
		for (size_t j = 0; j < SIZE; j++)
			if (piece[i][j] != i % 251)
				fail_msg("piece %zu byte %zu overwritten", i,
					 j);
	arena_reset(a);
	assert_true(arena_bytes(a) < (1 << 20));
	assert_string_equal(arena_strdup(a, "after"), "after");
	free(piece);
	arena_free(a);
}

/* The VmFlags of the mapping that holds @addr, from /proc/self/smaps;
 * false when no mapping holds it. */
static bool vm_flags_at(const void *addr, char *flags, size_t size)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	if (!f)
		return false;
	char line[512];
	bool inside = false, found = false;
	uintptr_t a = (uintptr_t)addr;
	while (!found && fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
			inside = a >= lo && a < hi;
		else if (inside && !strncmp(line, "VmFlags:", 8)) {
			snprintf(flags, size, "%s", line + 8);
			found = true;
		}
	}
	fclose(f);
	return found;
}

/* An allocation of a megabyte or more, made, zeroed or grown, is made of
 * whole huge pages: aligned to 2 MiB and advised for huge pages. What it
 * held is kept when it grows or shrinks, across that size either way. */
static void big_allocations_are_advised_for_huge_pages(void **state)
{
	(void)state;
	if (access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK) != 0)
		skip(); /* a kernel without transparent huge pages */
	enum { MiB = 1 << 20 };
	unsigned char *small = xmalloc(1000);
	for (size_t k = 0; k < 1000; k++)
		small[k] = (unsigned char)k;
	unsigned char *grown = xrealloc(small, 3 * MiB);
	for (size_t k = 0; k < 1000; k++)
		assert_int_equal(grown[k], (unsigned char)k);
	memset(grown + 1000, 0x5a, 3 * MiB - 1000);
	unsigned char *big = xrealloc(grown, 16 * MiB);
	for (size_t k = 0; k < 1000; k++)
		assert_int_equal(big[k], (unsigned char)k);
	assert_int_equal(big[3 * MiB - 1], 0x5a);
	unsigned char *made = xmalloc(MiB);
	unsigned char *zeroed = xcalloc(5, MiB);
	for (size_t k = 0; k < 5 * MiB; k += 4093)
		assert_int_equal(zeroed[k], 0);
	unsigned char *v[] = { big, made, zeroed };
	size_t sizes[] = { 16 * MiB, MiB, 5 * MiB };
	for (size_t i = 0; i < 3; i++) {
		if ((uintptr_t)v[i] & (2 * MiB - 1))
			fail_msg("allocation %zu (%zu bytes) at %p: not on a "
				 "huge page's boundary",
				 i, sizes[i], (void *)v[i]);
		char flags[512];
		assert_true(vm_flags_at(v[i], flags, sizeof(flags)));
		if (!strstr(flags, " hg"))
			fail_msg("allocation %zu (%zu bytes) not advised: %s",
				 i, sizes[i], flags);
		memset(v[i], 0xa5, sizes[i]);
	}
	/* Shrunk below a megabyte, it keeps its first bytes. */
	big[0] = 7;
	big[MiB / 2 - 1] = 9;
	unsigned char *shrunk = xrealloc(big, MiB / 2);
	assert_int_equal(shrunk[0], 7);
	assert_int_equal(shrunk[MiB / 2 - 1], 9);
	free(shrunk);
	free(made);
	free(zeroed);
}

static void utf8_strict(void **state)
{
	(void)state;
	assert_int_equal(utf8_check("caf\xc3\xa9", 5), 5);
	assert_int_equal(utf8_check("ab\xc0\xaf", 4), 2);	/* overlong */
	assert_int_equal(utf8_check("\xed\xa0\x80", 3), 0);	/* surrogate */
	assert_int_equal(utf8_check("\xf4\x90\x80\x80", 4), 0); /* > 10FFFF */
	assert_int_equal(utf8_check("x\xe2\x82", 3), 1);	/* truncated */
	assert_int_equal(utf8_chars("\xd7\xa9\xd7\x9c", 4), 2);
	uint32_t cp;
	assert_int_equal(
		utf8_decode((const unsigned char *)"\xe2\x80\x94", 3, &cp), 3);
	assert_int_equal(cp, 0x2014);
}

static void dates(void **state)
{
	(void)state;
	date_days d;
	assert_int_equal(date_parse("1970-01-01", 10, &d), 0);
	assert_int_equal(d, 0);
	assert_int_equal(date_parse("2024-02-29", 10, &d), 0);
	assert_int_equal(date_parse("2026-02-29", 10, &d), -2);
	assert_int_equal(date_parse("2100-02-29", 10, &d), -2);
	assert_int_equal(date_parse("2000-02-29", 10, &d), 0);
	assert_int_equal(date_parse("2026-13-01", 10, &d), -2);
	assert_int_equal(date_parse("2026-1-01", 9, &d), -1);
	assert_int_equal(date_parse("2026/01/01", 10, &d), -1);
	assert_int_equal(date_parse("2026-06-05", 10, &d), 0);
	char s[DATE_ISO_LEN + 1];
	date_format(d, s);
	assert_string_equal(s, "2026-06-05");
	/* Every day for 400 years survives a round trip. */
	for (date_days x = date_from_ymd(1900, 1, 1);
	     x < date_from_ymd(2300, 1, 1); x++) {
		int y, m, dd;
		date_to_ymd(x, &y, &m, &dd);
		assert_int_equal(date_from_ymd(y, m, dd), x);
	}
	setenv("SOURCE_DATE_EPOCH", "1782864000", 1);
	date_format(date_today(), s);
	assert_string_equal(s, "2026-07-01");
	char t[DATE_TIME_SIZE];
	date_format_time(1782864000 + 3723, DATE_TIME_RFC3339, t);
	assert_string_equal(t, "2026-07-01T01:02:03Z");
	date_format_time(0, DATE_TIME_RFC3339, t);
	assert_string_equal(t, "1970-01-01T00:00:00Z");
	date_format_time(1782864000 + 3723, DATE_TIME_MINUTE, t);
	assert_string_equal(t, "2026-07-01 01:02 UTC");
	date_format_time(1782864000 + 3723, DATE_TIME_MINUTE_ISO, t);
	assert_string_equal(t, "2026-07-01T01:02Z");
}

static void jurisdictions(void **state)
{
	(void)state;
	assert_non_null(juris_lookup("US"));
	assert_non_null(juris_lookup("UK"));
	assert_non_null(juris_lookup("EU"));
	assert_non_null(juris_lookup("DE"));
	assert_non_null(juris_lookup("US-CA"));
	assert_null(juris_lookup("XX"));
	assert_null(juris_lookup("us"));
	assert_null(juris_lookup("US-ZZ"));
	assert_null(juris_lookup(""));
	struct buf b = BUF_INIT;
	const char *codes[] = { "US", "UK", "NL", "FR", "US-CA" };
	const char *phrases[] = { "the US", "the UK", "the Netherlands",
				  "France", "California (US)" };
	for (size_t i = 0; i < ATLAS_COUNT(codes); i++) {
		buf_reset(&b);
		juris_put_phrase(&b, codes[i]);
		assert_string_equal(b.data, phrases[i]);
	}
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_grows_and_detaches),
		cmocka_unit_test(buf_groups_thousands),
		cmocka_unit_test(shell_words),
		cmocka_unit_test(buf_limit_refuses_and_keeps),
		cmocka_unit_test(arena_aligns_zeroes_and_takes_big_blocks),
		cmocka_unit_test(arena_grows_into_large_blocks),
		cmocka_unit_test(big_allocations_are_advised_for_huge_pages),
		cmocka_unit_test(utf8_strict),
		cmocka_unit_test(dates),
		cmocka_unit_test(jurisdictions),
	};
	return cmocka_run_group_tests_name("base", tests, NULL, NULL);
}
