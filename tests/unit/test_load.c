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
#include <limits.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "validate.h"
#include "yaml_load.h"
#include "ytree.h"

#include "fixture.h"
#include "fixtures/arena_diag.h"

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

/*
 * Thousands of diagnostics in a thousand files, added in no order:
 * printed by file and position, whoever formats which, each file's
 * first 20 with their lines and a count of the rest after them.
 */
static void printing_many_files_in_order(void **state)
{
	struct fixture *f = *state;
	enum { FILES = 1200, LINES = 30, EXTRA = 24 };
	char *dir = fixture_dir_new("print");
	char **path = xmalloc(FILES * sizeof(*path));
	for (size_t i = 0; i < FILES; i++) {
		char rel[32];
		snprintf(rel, sizeof(rel), "r%04zu.yaml", i);
		path[i] = fixture_path(dir, rel);
		struct buf text = BUF_INIT;
		for (int l = 1; l <= LINES; l++)
			buf_printf(&text, "k%02d: v%zu\n", l, i);
		fixture_write_file(dir, rel, text.data, text.len);
		buf_free(&text);
	}
	for (size_t k = FILES; k-- > 0;) {
		diag_add(f->d, DIAG_STALE_REVIEW, path[k], 2, 1, "two");
		diag_add(f->d, DIAG_STALE_REVIEW, path[k], 1, 1, "one");
		for (int l = 2 + EXTRA; k % 50 == 0 && l > 2; l--)
			diag_add(f->d, DIAG_STALE_REVIEW, path[k], (unsigned)l,
				 1, "more");
	}
	struct buf want = BUF_INIT;
	for (size_t i = 0; i < FILES; i++) {
		int shown = i % 50 == 0 ? 20 : 2;
		for (int l = 1; l <= shown; l++)
			buf_printf(&want,
				   "%s:%d:1: warning[W101]: %s\n"
				   "%5d | k%02d: v%zu\n"
				   "      | ^\n",
				   path[i], l,
				   l == 1   ? "one"
				   : l == 2 ? "two"
					    : "more",
				   l, l, i);
		if (i % 50 == 0)
			buf_printf(&want, "%s: %d more diagnostics not shown\n",
				   path[i], EXTRA + 2 - 20);
	}
	char *out = fixture_diag_printed(f->d);
	assert_string_equal(out, want.data);
	free(out);
	buf_free(&want);
	for (size_t i = 0; i < FILES; i++)
		free(path[i]);
	free(path);
	fixture_dir_remove(dir);
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
	char *out = fixture_diag_printed(f->d);
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

/* Lines of @s that start with @prefix. */
static size_t lines_starting(const char *s, const char *prefix)
{
	size_t n = 0, plen = strlen(prefix);
	for (const char *p = s; p && *p;) {
		if (!strncmp(p, prefix, plen))
			n++;
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return n;
}

/* A file with 100,000 problems prints its first 20 by position and one
 * line counting the rest, while the totals count them all. */
static void problems_are_capped_per_file(void **state)
{
	struct fixture *f = *state;
	/* Added last line first: what shows is what sorts first. */
	for (unsigned line = 100000; line >= 1; line--)
		diag_add(f->d, DIAG_DUPLICATE_ITEM, "x.yaml", line, 3,
			 "problem %u", line);
	diag_add(f->d, DIAG_STALE_REVIEW, "y.yaml", 1, 1, "old");
	assert_int_equal(diag_count(f->d, DIAG_ERROR), 100000);
	assert_int_equal(diag_count(f->d, DIAG_WARNING), 1);
	assert_int_equal(diag_files(f->d), 2);
	char *out = fixture_diag_printed(f->d);
	/* 20 problems and the line counting the rest. */
	assert_int_equal(lines_starting(out, "x.yaml:"), 21);
	assert_non_null(strstr(out, "x.yaml:1:3: error[E027]: problem 1\n"));
	assert_non_null(strstr(out, "x.yaml:20:3: error[E027]: problem 20\n"));
	assert_null(strstr(out, "problem 21\n"));
	assert_non_null(strstr(out, "\nx.yaml: 99,980 more diagnostics not "
				    "shown\ny.yaml:1:1: warning[W101]: old\n"));
	free(out);
}

/* Merging keeps the cap and every count, and equal positions keep the
 * order they were added in. */
static void merged_problems_keep_counts(void **state)
{
	struct fixture *f = *state;
	struct diag *part = diag_new();
	for (unsigned i = 0; i < 30; i++)
		diag_add(part, DIAG_BAD_VALUE, "x.yaml", 5, 1, "part %u", i);
	diag_add(f->d, DIAG_BAD_VALUE, "x.yaml", 1, 1, "first");
	diag_merge(f->d, part);
	diag_free(part);
	assert_int_equal(diag_count(f->d, DIAG_ERROR), 31);
	char *out = fixture_diag_printed(f->d);
	assert_int_equal(lines_starting(out, "x.yaml:"), 21);
	assert_non_null(strstr(out, "x.yaml:1:1: error[E025]: first\n"));
	assert_non_null(strstr(out, "part 0\n"));
	assert_non_null(strstr(out, "part 18\n"));
	assert_null(strstr(out, "part 19\n"));
	assert_non_null(strstr(out, "x.yaml: 11 more diagnostics not shown\n"));
	free(out);
}

/* Source lines are found in one pass: each printed line is the right one
 * even far into a long file. */
static void source_lines_far_in(void **state)
{
	struct fixture *f = *state;
	char path[] = "/tmp/atlas-lines-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *fp = fdopen(fd, "w");
	for (int i = 1; i <= 50000; i++)
		fprintf(fp, "line%d: v\n", i);
	fclose(fp);
	diag_add(f->d, DIAG_UNKNOWN_KEY, path, 49999, 1, "b");
	diag_add(f->d, DIAG_UNKNOWN_KEY, path, 7, 1, "a");
	diag_add(f->d, DIAG_UNKNOWN_KEY, path, 50000, 1, "c");
	char *out = fixture_diag_printed(f->d);
	assert_non_null(strstr(out, "    7 | line7: v\n"));
	assert_non_null(strstr(out, "49999 | line49999: v\n"));
	assert_non_null(strstr(out, "50000 | line50000: v\n"));
	free(out);
	unlink(path);
}

/* More than a million values is refused while parsing, before the tree
 * holds them all. */
static void node_limit(void **state)
{
	struct fixture *f = *state;
	struct buf b = BUF_INIT;
	for (int i = 0; i < 1000001; i++)
		buf_puts(&b, "- a\n");
	struct ytree_node *root =
		ytree_parse("many.yaml", b.data, b.len, f->arena, f->d);
	assert_null(root);
	char *out = fixture_diag_printed(f->d);
	/* The list is the first value, so its millionth item is too many. */
	assert_non_null(strstr(out, "many.yaml:1000000:3: error[E006]: more "
				    "than 1000000 values"));
	free(out);
	buf_free(&b);
}

/* An escaped NUL is text the rule sees, not the end of the string. */
static void escaped_control_characters(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = {
		"name: \"Brin\\u0000ara\"\n",
		"name: \"\\x1B[31mred\"\n",
		"name: \"a\\u009Fb\"\n",
		"name: 'a\\x00' \n",
	};
	for (size_t i = 0; i < 3; i++) {
		struct diag *d = diag_new();
		assert_null(ytree_parse("t.yaml", bad[i], strlen(bad[i]),
					f->arena, d));
		assert_int_equal(diag_count(d, DIAG_ERROR), 1);
		diag_free(d);
	}
	/* Single quotes have no escapes: that backslash is text. */
	assert_non_null(
		ytree_parse("t.yaml", bad[3], strlen(bad[3]), f->arena, f->d));
	assert_int_equal(diag_count(f->d, DIAG_ERROR), 0);
}

/* The conversion every stage uses cannot overflow. */
static void numbers_convert_safely(void **state)
{
	(void)state;
	assert_int_equal(record_number_int(1e300, 0, 200), 200);
	assert_int_equal(record_number_int(-1e300, 0, 200), 0);
	assert_int_equal(record_number_int(0.0 / 0.0, 0, 200), 0);
	assert_int_equal(record_number_int(1.0 / 0.0, INT_MIN, INT_MAX),
			 INT_MAX);
	assert_int_equal(record_number_int(42.9, 0, 200), 42);
}

/* An unclosed quote is a syntax error each time, and the parser that
 * reported it is fit for the next file (valgrind checks nothing leaks). */
static void unclosed_quotes_repeatedly(void **state)
{
	struct fixture *f = *state;
	struct yaml_loader *l = yaml_loader_new();
	static const char *const texts[] = { "name: 'abc", "name: 'abc\n",
					     "name: \"abc\n", "- 'abc\n" };
	for (int round = 0; round < 50; round++) {
		const char *t = texts[round % 4];
		assert_null(yaml_loader_record(l, "q.yaml", t, strlen(t),
					       f->arena, f->d));
		assert_null(yaml_load_record("q.yaml", t, strlen(t), f->arena,
					     f->d));
	}
	assert_int_equal(diag_count(f->d, DIAG_ERROR), 100);
	const char *ok = "id: x\n";
	assert_non_null(yaml_loader_record(l, "ok.yaml", ok, strlen(ok),
					   f->arena, f->d));
	yaml_loader_free(l);
}

/* A long run of '' escapes decodes to that many quotes (libfyaml leaks a
 * buffer doing it; tests/valgrind.supp names the leak, found by fuzzing). */
static void escaped_quotes_decode(void **state)
{
	struct fixture *f = *state;
	const char *text =
		"name: \'\'\'\'\'\'\'\'\'\'\'\'\'\'\'\'\'\'\'\'\'\'\'\'\'\'\n";
	struct ytree_node *root =
		ytree_parse("q.yaml", text, strlen(text), f->arena, f->d);
	assert_non_null(root);
	assert_int_equal(root->items[1]->len, 12);
	assert_string_equal(root->items[1]->text, "\'\'\'\'\'\'\'\'\'\'\'\'");
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
		T(printing_many_files_in_order),
		T(printing_has_source_and_caret),
		T(suggestions),
		T(slugs_and_urls),
		T(problems_are_capped_per_file),
		T(merged_problems_keep_counts),
		T(source_lines_far_in),
		T(node_limit),
		T(escaped_control_characters),
		T(numbers_convert_safely),
		T(unclosed_quotes_repeatedly),
		T(escaped_quotes_decode),
	};
	return cmocka_run_group_tests_name("load", tests, NULL, NULL);
}
