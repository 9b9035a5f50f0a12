/*
 * fuzz_mustache.c - libFuzzer harness for the Mustache compiler and
 * renderer.
 *
 * The input is split at NUL bytes. The first piece is the template; each
 * later piece (up to 8) is a partial whose name is its first line and whose
 * source is the rest. A loader serves one more partial, "lazy", on demand.
 * The template renders against a small fixed value tree, with the output
 * capped at 1 MB; a successful render is repeated and must give the same
 * output. Compile and render errors are expected; crashes, leaks,
 * sanitizer reports and hangs are bugs.
 *
 * Build with `make fuzz`, then e.g.
 *	build/fuzz/bin/fuzz_mustache -max_total_time=60 fuzz/corpus/mustache
 */
#include "arena.h"
#include "buf.h"
#include "mustache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct arena *arena;
static const struct mst_value *root;

static struct mst_value *item(const char *name, long long n, bool flag)
{
	struct mst_value *m = mst_map_new(arena);
	mst_map_set_str(m, "name", name);
	mst_map_set_int(m, "n", n);
	mst_map_set_bool(m, "flag", flag);
	return m;
}

static const struct mst_value *tree(void)
{
	struct mst_value *m = mst_map_new(arena);
	struct mst_value *list = mst_list_new(arena);
	struct mst_value *nested = mst_map_new(arena);
	struct mst_value *nodes = mst_list_new(arena);
	struct mst_value *leaf = mst_map_new(arena);

	mst_map_set_str(m, "a", "<b>&\"'</b>");
	mst_map_set_str(m, "b", "{{a}}{{>p}}");
	mst_map_set_str(m, "x", "x");
	mst_map_set_str(m, "p", "q");
	mst_map_set_str(m, "dynamic", "p");
	mst_map_set_str(m, "empty", "");
	mst_map_set_str(m, "multi", "one\ntwo\n");
	mst_map_set_int(m, "n", 85);
	mst_map_set_int(m, "zero", 0);
	mst_map_set_number(m, "f", 1.21);
	mst_map_set_bool(m, "yes", true);
	mst_map_set_bool(m, "no", false);
	mst_map_set(m, "null", mst_null());
	mst_list_push(list, item("one", 1, true));
	mst_list_push(list, item("two", 2, false));
	mst_list_push(list, mst_str(arena, "three"));
	mst_list_push(list, mst_int(arena, 4));
	mst_list_push(list, mst_list_new(arena));
	mst_map_set(m, "list", list);
	mst_map_set(m, "items", list);
	mst_map_set(nested, "c", item("deep", 3, true));
	mst_map_set(nested, "list", mst_list_new(arena));
	mst_map_set_str(nested, "a", "inner");
	mst_map_set(m, "nested", nested);
	mst_map_set_str(leaf, "content", "leaf");
	mst_map_set(leaf, "nodes", mst_list_new(arena));
	mst_list_push(nodes, leaf);
	mst_map_set(m, "nodes", nodes);
	mst_map_set_str(m, "content", "root");
	return m;
}

static int load(void *user, const char *name, struct buf *src, struct buf *err)
{
	(void)user;
	(void)err;
	if (strcmp(name, "lazy") != 0)
		return 0;
	buf_puts(src, "[{{x}}{{>lazy}}]");
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *end = s + size;
	const char *nul = memchr(s, '\0', size);
	const char *tend = nul ? nul : end;
	struct mst_partials *p = mst_partials_new();
	struct buf one = BUF_INIT, two = BUF_INIT, err = BUF_INIT;

	if (!arena) {
		arena = arena_new();
		root = tree();
	}
	mst_partials_set_loader(p, load, NULL);
	for (int i = 0; i < 8 && nul; i++) {
		const char *piece = nul + 1;
		nul = memchr(piece, '\0', (size_t)(end - piece));
		const char *pend = nul ? nul : end;
		const char *nl = memchr(piece, '\n', (size_t)(pend - piece));
		const char *body = nl ? nl + 1 : pend;
		char *name =
			xstrndup(piece, (size_t)((nl ? nl : pend) - piece));
		mst_partials_add(p, name, body, (size_t)(pend - body), &err);
		free(name);
	}

	struct mst_template *t =
		mst_template_compile("fuzz", s, (size_t)(tend - s), &err);
	if (t) {
		one.limit = two.limit = 1 << 20;
		/* A second render must give the same output. Failures (most
		 * often the step limit) are not repeated: they are slow. */
		if (mst_template_render(t, root, p, &one, &err) == 0 &&
		    (mst_template_render(t, root, p, &two, &err) != 0 ||
		     one.len != two.len ||
		     (one.len && memcmp(one.data, two.data, one.len) != 0)))
			abort();
		mst_template_free(t);
	}
	mst_partials_free(p);
	buf_free(&one);
	buf_free(&two);
	buf_free(&err);
	return 0;
}
