/*
 * test_mustache.c - unit tests of the Mustache renderer: escaping, compile
 * errors, limits on hostile templates, number formatting, partials and
 * the ownership rules of the value API (run these under ASan/valgrind).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "buf.h"
#include "mustache.h"

/* Compile and render; the template must compile. Caller frees. */
static char *render(const char *tmpl, const struct mst_value *data,
		    struct mst_partials *p, int *rc, struct buf *err)
{
	struct buf out = BUF_INIT;
	struct mst_template *t =
		mst_template_compile("t.mustache", tmpl, strlen(tmpl), err);
	assert_non_null(t);
	*rc = mst_template_render(t, data, p, &out, err);
	mst_template_free(t);
	return buf_detach(&out, NULL);
}

/* Render and expect success and @want. */
static void check(const char *tmpl, const struct mst_value *data,
		  struct mst_partials *p, const char *want)
{
	struct buf err = BUF_INIT;
	int rc;
	char *got = render(tmpl, data, p, &rc, &err);
	assert_int_equal(rc, 0);
	assert_string_equal(buf_cstr(&err), "");
	assert_string_equal(got, want);
	free(got);
	buf_free(&err);
}

/* Expect compiling @tmpl to fail with exactly @msg. */
static void check_error(const char *name, const char *tmpl, const char *msg)
{
	struct buf err = BUF_INIT;
	struct mst_template *t =
		mst_template_compile(name, tmpl, strlen(tmpl), &err);
	assert_null(t);
	assert_string_equal(buf_cstr(&err), msg);
	buf_free(&err);
	/* No message buffer is fine too. */
	assert_null(mst_template_compile(name, tmpl, strlen(tmpl), NULL));
}

static void test_escape(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct mst_value *d = mst_map_new(a);
	mst_map_set_str(d, "x", "a&b<c>d\"e'f");
	check("{{x}}", d, NULL, "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	check("{{ x }}|{{#x}}{{.}}{{/x}}", d, NULL,
	      "a&amp;b&lt;c&gt;d&quot;e&#39;f|a&amp;b&lt;c&gt;d&quot;e&#39;f");
	check("{{{x}}}|{{&x}}|{{& x }}", d, NULL,
	      "a&b<c>d\"e'f|a&b<c>d\"e'f|a&b<c>d\"e'f");
	arena_free(a);
}

static void test_data_is_inert(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct mst_partials *p = mst_partials_new();
	struct mst_value *d = mst_map_new(a);
	assert_int_equal(mst_partials_add(p, "p", "PARTIAL", 7, NULL), 0);
	mst_map_set_str(d, "x", "{{y}}{{>p}}{{#y}}{{/y}}{{=<% %>=}}");
	mst_map_set_str(d, "y", "SECRET");
	check("{{x}}|{{{x}}}", d, p,
	      "{{y}}{{&gt;p}}{{#y}}{{/y}}{{=&lt;% %&gt;=}}|"
	      "{{y}}{{>p}}{{#y}}{{/y}}{{=<% %>=}}");
	mst_partials_free(p);
	arena_free(a);
}

static void test_compile_errors(void **state)
{
	(void)state;
	check_error("page.mustache", "<ul>\n{{#items}}\n  <li>{{.}}</li>\n",
		    "page.mustache:2: unclosed section {{#items}}");
	check_error("page.mustache", "{{^a}}\n\n{{$b}}x",
		    "page.mustache:3: unclosed block {{$b}}");
	check_error("page.mustache", "{{<layout}}",
		    "page.mustache:1: unclosed parent {{<layout}}");
	check_error("page.mustache", "{{#a}}\n{{#b}}\n{{/a}}\n{{/b}}",
		    "page.mustache:3: closing tag {{/a}} does not match "
		    "{{#b}} on line 2");
	check_error("page.mustache", "x\n{{/a}}",
		    "page.mustache:2: closing tag {{/a}} has no open section");
	check_error("page.mustache", "a\nb {{name",
		    "page.mustache:2: unclosed tag: no }} after {{");
	check_error("page.mustache", "{{{name}}",
		    "page.mustache:1: unclosed tag: no }}} after {{{");
	check_error("page.mustache", "{{=<% %>=}}\n<%#a%>\n<%/b%>",
		    "page.mustache:3: closing tag <%/b%> does not match "
		    "<%#a%> on line 2");
	check_error("page.mustache", "\n{{=<% =}}",
		    "page.mustache:2: bad delimiter change: expected two "
		    "delimiters as in {{=<% %>=}}");
	check_error("page.mustache", "{{=a b c=}}",
		    "page.mustache:1: bad delimiter change: expected two "
		    "delimiters as in {{=<% %>=}}");
	check_error("page.mustache", "{{=a= b=}}",
		    "page.mustache:1: bad delimiter change: expected two "
		    "delimiters as in {{=<% %>=}}");
	check_error("page.mustache", "{{ }}",
		    "page.mustache:1: empty tag name in {{}}");
	check_error("page.mustache", "{{#a b}}{{/a b}}",
		    "page.mustache:1: space in tag name {{#a b}}");
	/* Multi-line comments count their lines. */
	check_error("page.mustache", "{{!\n\n}}\n{{#x}}",
		    "page.mustache:4: unclosed section {{#x}}");
}

/* A repeated string, built in a new buffer. */
static char *repeat(const char *s, size_t times)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < times; i++)
		buf_puts(&b, s);
	return buf_detach(&b, NULL);
}

static void test_deep_nesting(void **state)
{
	(void)state;
	clock_t start = clock();
	char *open = repeat("{{#a}}", 10000), *close = repeat("{{/a}}", 10000);
	struct buf src = BUF_INIT, err = BUF_INIT;

	buf_printf(&src, "%sx%s", open, close);
	struct mst_template *t =
		mst_template_compile("deep.mustache", src.data, src.len, &err);
	assert_null(t);
	assert_string_equal(buf_cstr(&err),
			    "deep.mustache:1: sections nested deeper than "
			    "256 levels");

	/* The same with inverted sections, parents and blocks. */
	free(open);
	open = repeat("{{^a}}{{<b}}{{$c}}", 5000);
	buf_reset(&err);
	assert_null(mst_template_compile("deep.mustache", open, strlen(open),
					 &err));
	assert_string_equal(buf_cstr(&err),
			    "deep.mustache:1: sections nested deeper than "
			    "256 levels");

	/* As deep as allowed renders. */
	free(open);
	free(close);
	open = repeat("{{#a}}", MST_NEST_MAX);
	close = repeat("{{/a}}", MST_NEST_MAX);
	buf_reset(&src);
	buf_printf(&src, "%sx%s", open, close);
	struct arena *a = arena_new();
	struct mst_value *d = mst_map_new(a);
	mst_map_set_bool(d, "a", true);
	check(src.data, d, NULL, "x");

	assert_true((double)(clock() - start) / CLOCKS_PER_SEC < 5.0);
	arena_free(a);
	free(open);
	free(close);
	buf_free(&src);
	buf_free(&err);
}

static void test_big_scalar_and_template(void **state)
{
	(void)state;
	const size_t mb = 1024 * 1024;
	struct arena *a = arena_new();
	struct mst_value *d = mst_map_new(a);
	char *big = malloc(mb + 1);
	for (size_t i = 0; i < mb; i++)
		big[i] = "ab<\n"[i % 4];
	big[mb] = '\0';
	mst_map_setn(d, "big", 3, mst_strn(a, big, mb));

	struct buf err = BUF_INIT;
	int rc;
	char *got = render("[{{{big}}}]", d, NULL, &rc, &err);
	assert_int_equal(rc, 0);
	assert_int_equal(strlen(got), mb + 2);
	assert_memory_equal(got + 1, big, mb);
	free(got);

	got = render("{{big}}", d, NULL, &rc, &err);
	assert_int_equal(rc, 0);
	assert_int_equal(strlen(got), mb + mb / 4 * 3); /* "<" -> "&lt;" */
	free(got);

	/* A 1 MB template of text and tags, inside a partial too. */
	struct mst_partials *p = mst_partials_new();
	char *tmpl = repeat("line {{x}} {{#l}}{{.}}{{/l}}\n", mb / 32);
	assert_int_equal(mst_partials_add(p, "big", tmpl, strlen(tmpl), &err),
			 0);
	mst_map_set_str(d, "x", "X");
	struct mst_value *l = mst_list_new(a);
	mst_list_push(l, mst_int(a, 1));
	mst_list_push(l, mst_int(a, 2));
	mst_map_set(d, "l", l);
	got = render("  {{>big}}\n", d, p, &rc, &err);
	assert_int_equal(rc, 0);
	assert_int_equal(strlen(got), mb / 32 * strlen("  line X 12\n"));
	assert_memory_equal(got, "  line X 12\n  line X 12\n", 24);
	free(got);

	mst_partials_free(p);
	free(tmpl);
	free(big);
	buf_free(&err);
	arena_free(a);
}

static void test_partial_recursion(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct mst_partials *p = mst_partials_new();
	struct buf err = BUF_INIT;
	int rc;

	/* A tree 100 levels deep renders through a recursive partial. */
	const char *node = "{{name}}({{#kids}}{{>node}}{{/kids}})";
	assert_int_equal(mst_partials_add(p, "node", node, strlen(node), &err),
			 0);
	struct mst_value *root = mst_map_new(a), *cur = root;
	for (int i = 0; i < 100; i++) {
		struct mst_value *kid = mst_map_new(a);
		mst_map_set_int(cur, "name", i);
		mst_map_set(cur, "kids", kid);
		cur = kid;
	}
	mst_map_set_str(cur, "name", "leaf");
	mst_map_set_bool(cur, "kids", false);
	char *got = render("{{>node}}", root, p, &rc, &err);
	assert_int_equal(rc, 0);
	assert_int_equal(strncmp(got, "0(1(2(", 6), 0);
	assert_non_null(strstr(got, "99(leaf()"));
	free(got);

	/* Endless recursion fails with a message, not a crash. */
	assert_int_equal(mst_partials_add(p, "loop", "a{{>loop}}", 10, &err),
			 0);
	got = render("{{>loop}}", root, p, &rc, &err);
	assert_int_equal(rc, -1);
	assert_string_equal(buf_cstr(&err),
			    "loop:1: nesting deeper than 512 levels at "
			    "{{>loop}}");
	free(got);

	/* The same through a parent tag. */
	buf_reset(&err);
	assert_int_equal(mst_partials_add(p, "layout", "{{<layout}}{{/layout}}",
					  22, &err),
			 0);
	got = render("{{<layout}}{{/layout}}", root, p, &rc, &err);
	assert_int_equal(rc, -1);
	assert_string_equal(buf_cstr(&err),
			    "layout:1: nesting deeper than 512 levels at "
			    "{{<layout}}");
	free(got);

	/* Exponential templates stop at the step limit. */
	buf_reset(&err);
	struct mst_value *d = mst_map_new(a), *l = mst_list_new(a);
	for (int i = 0; i < 4; i++)
		mst_list_push(l, mst_int(a, i));
	mst_map_set(d, "l", l);
	char *open = repeat("{{#l}}", 40), *close = repeat("{{/l}}", 40);
	struct buf src = BUF_INIT;
	buf_printf(&src, "%s{{.}}%s", open, close);
	got = render(src.data, d, NULL, &rc, &err);
	assert_int_equal(rc, -1);
	assert_string_equal(buf_cstr(&err),
			    "t.mustache:1: rendering takes more than 20000000 "
			    "steps");
	free(got);
	free(open);
	free(close);
	buf_free(&src);

	mst_partials_free(p);
	buf_free(&err);
	arena_free(a);
}

static void test_numbers(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct mst_value *d = mst_map_new(a);
	mst_map_set_int(d, "i", 85);
	mst_map_set_number(d, "f", 1.21);
	mst_map_set_number(d, "whole", 3.0);
	mst_map_set_number(d, "neg", -0.5);
	mst_map_set_number(d, "negzero", -0.0);
	mst_map_set_number(d, "sum", 0.1 + 0.2);
	mst_map_set_number(d, "big", 1e20);
	mst_map_set_number(d, "tiny", 1.5e-10);
	mst_map_set_int(d, "min", LLONG_MIN);
	mst_map_set_number(d, "nan", NAN);
	mst_map_set_number(d, "inf", -INFINITY);
	check("{{i}} {{f}} {{whole}} {{neg}} {{negzero}} {{sum}}", d, NULL,
	      "85 1.21 3 -0.5 0 0.30000000000000004");
	check("{{big}} {{tiny}} {{min}} {{nan}} {{inf}}", d, NULL,
	      "100000000000000000000 1.5e-10 -9223372036854775808 NaN "
	      "-Infinity");
	/* Zero is a true value: a score of 0 still shows. */
	mst_map_set_int(d, "zero", 0);
	check("{{#zero}}[{{.}}]{{/zero}}", d, NULL, "[0]");
	arena_free(a);
}

static void test_truth_and_types(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct mst_value *d = mst_map_new(a);
	mst_map_set(d, "null", mst_null());
	mst_map_set(d, "no", mst_bool(false));
	mst_map_set_str(d, "empty", "");
	mst_map_set(d, "none", mst_list_new(a));
	mst_map_set(d, "map", mst_map_new(a));
	mst_map_set(d, "yes", mst_bool(true));
	mst_map_set(d, "nul", NULL);
	check("{{#null}}1{{/null}}{{#no}}2{{/no}}{{#empty}}3{{/empty}}"
	      "{{#none}}4{{/none}}{{#missing}}5{{/missing}}{{#nul}}6{{/nul}}",
	      d, NULL, "");
	check("{{#map}}a{{/map}}{{#yes}}b{{/yes}}{{^empty}}c{{/empty}}", d,
	      NULL, "abc");
	check("{{yes}} {{no}} [{{none}}] [{{map}}] [{{null}}]", d, NULL,
	      "true false [] [] []");
	assert_int_equal(mst_value_type(mst_map_get(d, "map")), MST_MAP);
	assert_int_equal(mst_value_type(mst_map_get(d, "nul")), MST_NULL);
	assert_int_equal(mst_value_type(NULL), MST_NULL);
	assert_null(mst_map_get(d, "missing"));
	assert_null(mst_map_get(mst_bool(true), "x"));
	arena_free(a);
}

static void test_render_twice(void **state)
{
	(void)state;
	const char *src = "<h1>{{title}}</h1>\n<ul>\n{{#items}}\n"
			  "  <li>{{name}}: {{score}}</li>\n{{/items}}\n</ul>\n";
	struct arena *a = arena_new();
	struct mst_value *d = mst_map_new(a), *items = mst_list_new(a);
	mst_map_set_str(d, "title", "Gyms & clubs");
	mst_map_set(d, "items", items);
	for (int i = 0; i < 3; i++) {
		struct mst_value *it = mst_map_new(a);
		mst_map_set_str(it, "name", i ? "B" : "A");
		mst_map_set_int(it, "score", i * 10);
		mst_list_push(items, it);
	}
	struct mst_template *t =
		mst_template_compile("page", src, strlen(src), NULL);
	assert_non_null(t);
	assert_string_equal(mst_template_name(t), "page");
	struct buf one = BUF_INIT, two = BUF_INIT;
	assert_int_equal(mst_template_render(t, d, NULL, &one, NULL), 0);
	assert_int_equal(mst_template_render(t, d, NULL, &two, NULL), 0);
	assert_string_equal(buf_cstr(&one), buf_cstr(&two));
	assert_string_equal(buf_cstr(&one),
			    "<h1>Gyms &amp; clubs</h1>\n<ul>\n"
			    "  <li>A: 0</li>\n  <li>B: 10</li>\n"
			    "  <li>B: 20</li>\n</ul>\n");
	/* Other data through the same template. */
	buf_reset(&two);
	assert_int_equal(mst_template_render(t, NULL, NULL, &two, NULL), 0);
	assert_string_equal(buf_cstr(&two), "<h1></h1>\n<ul>\n</ul>\n");
	mst_template_free(t);
	buf_free(&one);
	buf_free(&two);
	arena_free(a);
}

static void test_ownership(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct mst_value *d = mst_map_new(a);

	/* Copied strings survive their source; borrowed ones point at it. */
	char *tmp = strdup("copied");
	mst_map_set(d, "c", mst_str_copy(a, tmp, strlen(tmp)));
	free(tmp);
	static const char borrowed[] = "borrowed";
	mst_map_set_str(d, "b", borrowed);

	/* The template copies what it needs from its source and name. */
	char *src = strdup("{{c}} {{b}} {{>p}}");
	char *name = strdup("page");
	struct mst_template *t =
		mst_template_compile(name, src, strlen(src), NULL);
	free(src);
	free(name);
	assert_non_null(t);

	/* The registry takes a compiled template; names are copied. */
	struct mst_partials *p = mst_partials_new();
	char *pname = strdup("p");
	mst_partials_add_take(
		p, pname,
		mst_template_compile("p.mustache", "[{{c}}]", 7, NULL));
	free(pname);
	/* Replacing a partial frees the old one. */
	mst_partials_add_take(
		p, "p", mst_template_compile("p.mustache", "({{c}})", 7, NULL));

	struct buf out = BUF_INIT;
	assert_int_equal(mst_template_render(t, d, p, &out, NULL), 0);
	assert_string_equal(buf_cstr(&out), "copied borrowed (copied)");

	/* Keys set twice keep one entry and the last value. */
	mst_map_set_str(d, "b", "again");
	buf_reset(&out);
	assert_int_equal(mst_template_render(t, d, p, &out, NULL), 0);
	assert_string_equal(buf_cstr(&out), "copied again (copied)");

	/* Mutators ignore values of the wrong type. */
	mst_list_push(d, mst_null());
	mst_map_set_str(mst_list_new(a), "x", "y");

	mst_template_free(t);
	mst_partials_free(p);
	mst_template_free(NULL);
	mst_partials_free(NULL);
	buf_free(&out);
	arena_free(a);
}

static void test_big_map(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct mst_value *d = mst_map_new(a);
	char keys[1000][8];
	for (int i = 0; i < 1000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%d", i);
		mst_map_set_int(d, keys[i], i);
	}
	mst_map_set_int(d, "k500", -1);
	for (int i = 0; i < 1000; i++)
		assert_non_null(mst_map_get(d, keys[i]));
	assert_null(mst_map_get(d, "k1000"));
	check("{{k0}} {{k500}} {{k999}} {{k1000}}", d, NULL, "0 -1 999 ");
	arena_free(a);
}

static int loads;

static int load(void *user, const char *name, struct buf *src, struct buf *err)
{
	(void)user;
	loads++;
	if (strcmp(name, "header") == 0) {
		buf_puts(src, "<h1>{{title}}</h1>");
		return 1;
	}
	if (strcmp(name, "broken") == 0) {
		buf_puts(src, "{{#x}}");
		return 1;
	}
	if (strcmp(name, "unreadable") == 0) {
		buf_puts(err, "unreadable.mustache: permission denied");
		return -1;
	}
	return 0;
}

static void test_loader(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct mst_partials *p = mst_partials_new();
	struct mst_value *d = mst_map_new(a);
	struct buf err = BUF_INIT;
	int rc;

	mst_map_set_str(d, "title", "Hi");
	mst_partials_set_loader(p, load, NULL);
	loads = 0;
	check("{{>header}}{{>nope}}|{{>header}}{{>nope}}", d, p,
	      "<h1>Hi</h1>|<h1>Hi</h1>");
	check("{{>header}}{{>nope}}", d, p, "<h1>Hi</h1>");
	assert_int_equal(loads, 2); /* each name is asked for once */

	char *got = render("{{>broken}}", d, p, &rc, &err);
	assert_int_equal(rc, -1);
	assert_string_equal(buf_cstr(&err),
			    "broken:1: unclosed section {{#x}}");
	free(got);

	buf_reset(&err);
	got = render("{{>unreadable}}", d, p, &rc, &err);
	assert_int_equal(rc, -1);
	assert_string_equal(buf_cstr(&err),
			    "unreadable.mustache: permission denied");
	free(got);

	/* Compile errors from mst_partials_add() leave nothing behind. */
	buf_reset(&err);
	assert_int_equal(mst_partials_add(p, "bad", "{{/x}}", 6, &err), -1);
	assert_string_equal(buf_cstr(&err),
			    "bad:1: closing tag {{/x}} has no open section");

	mst_partials_free(p);
	buf_free(&err);
	arena_free(a);
}

static void test_output_limit(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct mst_value *d = mst_map_new(a);
	mst_map_set_str(d, "x", "0123456789");
	struct mst_template *t =
		mst_template_compile("page", "{{x}}{{x}}", 10, NULL);
	struct buf out = BUF_INIT, err = BUF_INIT;
	out.limit = 15;
	assert_int_equal(mst_template_render(t, d, NULL, &out, &err), -1);
	assert_string_equal(buf_cstr(&err), "page: output exceeds 15 bytes");
	mst_template_free(t);
	buf_free(&out);
	buf_free(&err);
	arena_free(a);
}

static void test_indentation(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct mst_partials *p = mst_partials_new();
	struct mst_value *d = mst_map_new(a), *l = mst_list_new(a);
	mst_list_push(l, mst_str(a, "a"));
	mst_list_push(l, mst_str(a, "b"));
	mst_map_set(d, "l", l);
	mst_map_set_str(d, "multi", "x\ny");
	assert_int_equal(
		mst_partials_add(p, "item", "<li>{{.}}</li>\n", 15, NULL), 0);
	const char *list = "<ul>\n{{#l}}\n  {{>item}}\n{{/l}}\n</ul>\n";
	assert_int_equal(mst_partials_add(p, "list", list, strlen(list), NULL),
			 0);
	/* Indentation adds up; empty lines and data stay unindented. */
	check("<body>\n  {{>list}}\n\n  {{multi}}\n</body>\n", d, p,
	      "<body>\n  <ul>\n    <li>a</li>\n    <li>b</li>\n  </ul>\n\n"
	      "  x\ny\n</body>\n");
	/* Several tags on a line that holds nothing else vanish with it. */
	check("<ul>\n  {{#l}}{{>item}}{{/l}}\n</ul>\n", d, p,
	      "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n");
	/* Inline partials are not indented. */
	check("  x {{>list}}", d, p,
	      "  x <ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n");
	mst_partials_free(p);
	arena_free(a);
}

/* A row of a table as a page would have it, with one thing changed by
 * @change (0: nothing). */
static struct mst_value *hashed_row(struct arena *a, int change)
{
	struct mst_value *row = mst_map_new(a);
	mst_map_set_str(row, "name", change == 1 ? "Acme Plus" : "Acme");
	mst_map_set_int(row, "score", change == 2 ? 71 : 70);
	mst_map_set_bool(row, "stale", change == 3);
	struct mst_value *tags = mst_list_new(a);
	mst_list_push(tags, mst_str(a, "a"));
	if (change != 4)
		mst_list_push(tags, mst_str(a, "b"));
	mst_map_set(row, "tags", tags);
	if (change == 5)
		mst_map_set(row, "flow", mst_null());
	mst_map_set_str(row, change == 6 ? "gaps" : "gap", "-");
	/* The same bytes moved between neighbours. */
	mst_map_set_str(row, "x", change == 7 ? "ab" : "a");
	mst_map_set_str(row, "y", change == 7 ? "c" : "bc");
	mst_map_set(row, "n", change == 8 ? mst_str(a, "1") : mst_int(a, 1));
	return row;
}

static void test_value_hash(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	uint64_t same = mst_value_hash(hashed_row(a, 0));
	assert_int_equal(mst_value_hash(hashed_row(a, 0)), same);
	for (int change = 1; change <= 8; change++)
		if (mst_value_hash(hashed_row(a, change)) == same)
			fail_msg("change %d not seen", change);
	assert_int_not_equal(mst_value_hash(mst_null()),
			     mst_value_hash(mst_bool(false)));
	assert_int_not_equal(mst_value_hash(mst_list_new(a)),
			     mst_value_hash(mst_map_new(a)));
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_data_is_inert),
		cmocka_unit_test(test_compile_errors),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_big_scalar_and_template),
		cmocka_unit_test(test_partial_recursion),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_truth_and_types),
		cmocka_unit_test(test_render_twice),
		cmocka_unit_test(test_ownership),
		cmocka_unit_test(test_big_map),
		cmocka_unit_test(test_loader),
		cmocka_unit_test(test_output_limit),
		cmocka_unit_test(test_indentation),
		cmocka_unit_test(test_value_hash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
