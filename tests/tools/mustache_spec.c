/*
 * mustache_spec.c - run the Mustache spec's JSON test files against our
 * renderer and print one TAP line per test.
 *
 * Usage: mustache_spec SPECS_DIR
 *
 * Every .json file in SPECS_DIR is loaded with jansson; each test's data
 * becomes a tree of mst values, its partials a registry, and the rendered
 * template must equal "expected" byte for byte. ~lambdas.json is skipped:
 * its data holds code, which C data cannot. Exits 1 if any test failed.
 */
#include "buf.h"
#include "mustache.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct mst_value *from_json(struct arena *a, json_t *j)
{
	const char *key;
	json_t *item;
	size_t i;

	if (!j)
		return mst_null();
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		struct mst_value *map = mst_map_new(a);
		json_object_foreach (j, key, item)
			mst_map_set(map, key, from_json(a, item));
		return map;
	}
	case JSON_ARRAY: {
		struct mst_value *list = mst_list_new(a);
		json_array_foreach (j, i, item)
			mst_list_push(list, from_json(a, item));
		return list;
	}
	case JSON_STRING:
		return mst_strn(a, json_string_value(j), json_string_length(j));
	case JSON_INTEGER:
		return mst_int(a, (long long)json_integer_value(j));
	case JSON_REAL:
		return mst_number(a, json_real_value(j));
	case JSON_TRUE:
		return mst_bool(true);
	case JSON_FALSE:
		return mst_bool(false);
	case JSON_NULL:
		break;
	}
	return mst_null();
}

/* Print @s as a C string literal after @label. */
static void print_quoted(const char *label, const char *s, size_t n)
{
	printf("# %s: \"", label);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\r')
			fputs("\\r", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	fputs("\"\n", stdout);
}

/* Run one test; returns 1 if it passed. */
static int run_test(const char *file, json_t *test, int n)
{
	const char *name = json_string_value(json_object_get(test, "name"));
	json_t *tmpl = json_object_get(test, "template");
	json_t *expected = json_object_get(test, "expected");
	json_t *partials = json_object_get(test, "partials");
	struct arena *a = arena_new();
	struct mst_partials *reg = mst_partials_new();
	struct mst_template *t = NULL;
	struct buf out = BUF_INIT, err = BUF_INIT;
	const char *key;
	json_t *src;
	int ok = 0;

	if (!name || !json_is_string(tmpl) || !json_is_string(expected)) {
		buf_puts(&err, "malformed test");
		goto done;
	}
	json_object_foreach (partials, key, src) {
		if (!json_is_string(src) ||
		    mst_partials_add(reg, key, json_string_value(src),
				     json_string_length(src), &err) < 0)
			goto done;
	}
	t = mst_template_compile("template", json_string_value(tmpl),
				 json_string_length(tmpl), &err);
	if (!t)
		goto done;
	const struct mst_value *data =
		from_json(a, json_object_get(test, "data"));
	if (mst_template_render(t, data, reg, &out, &err) < 0)
		goto done;
	ok = out.len == json_string_length(expected) &&
	     memcmp(buf_cstr(&out), json_string_value(expected), out.len) == 0;
done:
	printf("%s %d - %s: %s\n", ok ? "ok" : "not ok", n, file,
	       name ? name : "(unnamed)");
	if (!ok) {
		if (json_is_string(expected))
			print_quoted("expected", json_string_value(expected),
				     json_string_length(expected));
		print_quoted("got", buf_cstr(&out), out.len);
		if (err.len)
			printf("# error: %s\n", buf_cstr(&err));
	}
	buf_free(&out);
	buf_free(&err);
	mst_template_free(t);
	mst_partials_free(reg);
	arena_free(a);
	return ok;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s SPECS_DIR\n", argv[0]);
		return 2;
	}
	DIR *dir = opendir(argv[1]);
	if (!dir) {
		perror(argv[1]);
		return 2;
	}
	char **files = NULL;
	size_t nfiles = 0;
	struct dirent *de;
	while ((de = readdir(dir))) {
		size_t len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		files = xrealloc(files, (nfiles + 1) * sizeof(*files));
		files[nfiles++] = xstrdup(de->d_name);
	}
	closedir(dir);
	if (nfiles)
		qsort(files, nfiles, sizeof(*files), cmp_names);

	int n = 0, failed = 0;
	for (size_t f = 0; f < nfiles; f++) {
		const char *file = files[f];
		if (strcmp(file, "~lambdas.json") == 0) {
			printf("# skipped %s (optional module: lambdas need "
			       "code in the data)\n",
			       file);
			continue;
		}
		struct buf path = BUF_INIT;
		buf_printf(&path, "%s/%s", argv[1], file);
		json_error_t jerr;
		json_t *root = json_load_file(buf_cstr(&path), 0, &jerr);
		buf_free(&path);
		json_t *tests = json_object_get(root, "tests");
		if (!json_is_array(tests)) {
			printf("not ok %d - %s: cannot load: %s\n", ++n, file,
			       root ? "no tests array" : jerr.text);
			failed++;
			json_decref(root);
			continue;
		}
		size_t i, passed = 0;
		json_t *test;
		json_array_foreach (tests, i, test) {
			if (run_test(file, test, ++n))
				passed++;
			else
				failed++;
		}
		printf("# %s: %zu/%zu passed\n", file, passed,
		       json_array_size(tests));
		json_decref(root);
	}
	for (size_t f = 0; f < nfiles; f++)
		free(files[f]);
	free(files);
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
