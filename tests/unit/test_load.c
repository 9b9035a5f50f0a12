/*
 * test_load.c - YAML into records: positions, every value type, the
 * problems the loader reports, hostile inputs, and how diagnostics print.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "validate.h"
#include "yaml_load.h"
#include "ytree.h"

#include "fixtures/arena_diag.h"

/* The diagnostics of @f as printed, in a new string. */
static char *printed(struct fixture *f)
{
	char *out = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&out, &len);
	diag_print(f->d, mem, false);
	fclose(mem);
	return out;
}

static void tree_positions(void **state)
{
	struct fixture *f = *state;
	const char *text = "a: 1\nb:\n  - x\n  - {c: \"d\"}\n";
	struct ytree_node *root =
		ytree_parse("t.yaml", text, strlen(text), f->arena, f->d);
	assert_non_null(root);
	assert_int_equal(root->kind, YTREE_MAP);
	assert_int_equal(root->nitems, 2);
	struct ytree_node *b = root->items[3];
	assert_int_equal(b->kind, YTREE_SEQ);
	assert_int_equal(b->pos.line, 3);
	assert_int_equal(b->pos.col, 3);
	assert_int_equal(b->items[1]->kind, YTREE_MAP);
	struct ytree_node *d = b->items[1]->items[1];
	assert_string_equal(d->text, "d");
	assert_false(d->plain);
	assert_int_equal(d->pos.line, 4);
	struct ytree_node *one = root->items[1];
	assert_true(one->plain);
	assert_int_equal(one->pos.col, 4);
}

static void nulls_and_styles(void **state)
{
	struct fixture *f = *state;
	const char *text = "a:\nb: ~\nc: null\nd: ''\ne: |\n  two\n  lines\n";
	struct ytree_node *root =
		ytree_parse("t.yaml", text, strlen(text), f->arena, f->d);
	assert_non_null(root);
	assert_true(root->items[1]->is_null);
	assert_true(root->items[3]->is_null);
	assert_true(root->items[5]->is_null);
	assert_false(root->items[7]->is_null); /* quoted empty string */
	assert_string_equal(root->items[9]->text, "two\nlines\n");
}

static void deep_nesting_fails_cleanly(void **state)
{
	struct fixture *f = *state;
	size_t depth = 10000;
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < depth; i++)
		buf_putc(&b, '[');
	for (size_t i = 0; i < depth; i++)
		buf_putc(&b, ']');
	clock_t t0 = clock();
	struct ytree_node *root =
		ytree_parse("deep.yaml", b.data, b.len, f->arena, f->d);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	/* Either a tree or a syntax error; never a crash, never slow. */
	if (!root)
		assert_true(diag_count(f->d, DIAG_ERROR) >= 1);
	assert_true(secs < 5.0);
	buf_free(&b);
}

static void megabyte_scalar(void **state)
{
	struct fixture *f = *state;
	size_t n = 1 << 20;
	struct buf b = BUF_INIT;
	buf_puts(&b, "summary: ");
	for (size_t i = 0; i < n; i++)
		buf_putc(&b, (char)('a' + i % 26));
	buf_putc(&b, '\n');
	struct ytree_node *root =
		ytree_parse("big.yaml", b.data, b.len, f->arena, f->d);
	assert_non_null(root);
	assert_int_equal(root->items[1]->len, n);
	buf_free(&b);
}

static void many_unknown_keys_are_capped(void **state)
{
	struct fixture *f = *state;
	struct buf b = BUF_INIT;
	for (int i = 0; i < 5000; i++)
		buf_printf(&b, "k%d: v\n", i);
	struct record *r =
		yaml_load_record("keys.yaml", b.data, b.len, f->arena, f->d);
	assert_non_null(r);
	/* 20 unknown keys, one "more not shown", and the missing fields. */
	size_t errors = diag_count(f->d, DIAG_ERROR);
	assert_true(errors > 20 && errors < 40);
	buf_free(&b);
}

static void bom_and_crlf(void **state)
{
	struct fixture *f = *state;
	const char *text = "\xef\xbb\xbf"
			   "a: 1\r\nb: two\r\n";
	struct ytree_node *root =
		ytree_parse("t.yaml", text, strlen(text), f->arena, f->d);
	assert_non_null(root);
	assert_string_equal(root->items[0]->text, "a");
	assert_string_equal(root->items[3]->text, "two");
	assert_int_equal(diag_count(f->d, DIAG_ERROR), 0);
}

static void printing_has_source_and_caret(void **state)
{
	struct fixture *f = *state;
	const char *path = "/tmp/atlas-test-print.yaml";
	FILE *fp = fopen(path, "w");
	fputs("id: acme\nname: \xc3\xa9t\xc3\xa9 \xe2\x80\x94 x\n", fp);
	fclose(fp);
	diag_add(f->d, DIAG_BAD_VALUE, path, 2, 13, "bad %s", "thing");
	diag_add(f->d, DIAG_STALE_REVIEW, path, 1, 1, "old");
	diag_add(f->d, DIAG_IO, "/tmp/a-first.yaml", 0, 0, "whole file");
	char *out = printed(f);
	const char *want =
		"/tmp/a-first.yaml: error[E001]: whole file\n"
		"/tmp/atlas-test-print.yaml:1:1: warning[W101]: old\n"
		"    1 | id: acme\n"
		"      | ^\n"
		"/tmp/atlas-test-print.yaml:2:13: error[E025]: bad thing\n"
		"    2 | name: \xc3\xa9t\xc3\xa9 \xe2\x80\x94 x\n"
		"      |             ^\n";
	assert_string_equal(out, want);
	free(out);
	assert_int_equal(diag_count(f->d, DIAG_ERROR), 2);
	assert_int_equal(diag_count(f->d, DIAG_WARNING), 1);
	remove(path);
}

static void suggestions(void **state)
{
	(void)state;
	const char *names[] = { "official_page", "summary", "channels" };
	assert_string_equal(diag_suggest("offical_page", names, 3),
			    "official_page");
	assert_string_equal(diag_suggest("chanels", names, 3), "channels");
	assert_null(diag_suggest("zzz", names, 3));
}

static void slugs_and_urls(void **state)
{
	(void)state;
	assert_true(validate_slug("coursera"));
	assert_true(validate_slug("puregym-uk"));
	assert_true(validate_slug("a1-b2-c3"));
	assert_false(validate_slug(""));
	assert_false(validate_slug("-a"));
	assert_false(validate_slug("a-"));
	assert_false(validate_slug("a--b"));
	assert_false(validate_slug("A"));
	assert_false(validate_slug("a_b"));
	assert_false(validate_slug("../etc"));
	assert_true(validate_url("https://www.coursera.org/about/terms"));
	assert_true(validate_url("http://example.com"));
	assert_true(validate_url("https://example.com:8443/a?b=c#d"));
	assert_false(validate_url("https://"));
	assert_false(validate_url("ftp://example.com"));
	assert_false(validate_url("javascript:alert(1)"));
	assert_false(validate_url("https://exa mple.com"));
	assert_false(validate_url("https://example.com/\"><script>"));
	assert_false(validate_url("//example.com"));
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(tree_positions),
		T(nulls_and_styles),
		T(deep_nesting_fails_cleanly),
		T(megabyte_scalar),
		T(many_unknown_keys_are_capped),
		T(bom_and_crlf),
		T(printing_has_source_and_caret),
		T(suggestions),
		T(slugs_and_urls),
	};
	return cmocka_run_group_tests_name("load", tests, NULL, NULL);
}
