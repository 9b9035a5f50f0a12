/*
 * test_treecache.c - parse trees kept between builds: a tree put, saved
 * and read back is the same tree; only trees used or put are saved; a
 * file saved with the same trees, or all but one in a hundred, is not
 * written again; another program's
 * file is ignored quietly, a damaged one with a note, and a damaged tree
 * is counted and not given.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "treecache.h"
#include "ytree.h"

#include "fixture.h"

static char *root;

static int setup(void **state)
{
	(void)state;
	root = fixture_dir_new("treecache");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fixture_dir_remove(root);
	return 0;
}

static const char doc1[] = "id: acme-us\n"
			   "name: \"Acme \\u00e9\"\n"
			   "channels: [online, phone]\n"
			   "empty:\n"
			   "flow:\n"
			   "  - tier: observed\n"
			   "    note: |\n"
			   "      two\n"
			   "      lines\n";
static const char doc2[] = "id: other-uk\nname: Other\n";

static struct ytree_node *parse(const char *text, struct arena *a)
{
	struct diag *d = diag_new();
	struct ytree_node *n = ytree_parse("t.yaml", text, strlen(text), a, d);
	assert_int_equal(diag_count(d, DIAG_ERROR), 0);
	diag_free(d);
	assert_non_null(n);
	return n;
}

/* Whether trees @x and @y are the same, node for node. */
static bool same(const struct ytree_node *x, const struct ytree_node *y)
{
	if (x->kind != y->kind || x->pos.line != y->pos.line ||
	    x->pos.col != y->pos.col || x->plain != y->plain ||
	    x->is_null != y->is_null || x->nitems != y->nitems ||
	    !x->text != !y->text ||
	    (x->text && (x->len != y->len || memcmp(x->text, y->text, x->len))))
		return false;
	size_t n = x->kind == YTREE_MAP ? 2 * x->nitems : x->nitems;
	for (size_t i = 0; i < n; i++)
		if (!same(x->items[i], y->items[i]))
			return false;
	return true;
}

static char *cache_path(void)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s/%s", root, TREECACHE_NAME);
	return buf_detach(&b, NULL);
}

static void round_trip(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct ytree_node *t1 = parse(doc1, a), *t2 = parse(doc2, a);
	struct buf note = BUF_INIT, err = BUF_INIT;
	struct treecache *tc = treecache_open(root, 42, &note);
	assert_null(treecache_get(tc, 1, a));
	treecache_put(tc, 1, t1);
	treecache_put(tc, 2, t2);
	assert_int_equal(treecache_save(tc, root, &err), 0);
	treecache_free(tc);

	tc = treecache_open(root, 42, &note);
	assert_int_equal(note.len, 0);
	struct ytree_node *r1 = treecache_get(tc, 1, a);
	assert_non_null(r1);
	assert_true(same(t1, r1));
	assert_null(treecache_get(tc, 3, a));
	/* Only tree 1 was used: the file is written with it alone. */
	assert_int_equal(treecache_save(tc, root, &err), 0);
	treecache_free(tc);

	tc = treecache_open(root, 42, &note);
	assert_null(treecache_get(tc, 2, a));
	r1 = treecache_get(tc, 1, a);
	assert_true(r1 && same(t1, r1));
	/* The same trees: not written again. */
	char *path = cache_path();
	struct stat before, after;
	assert_int_equal(stat(path, &before), 0);
	assert_int_equal(treecache_save(tc, root, &err), 0);
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	treecache_free(tc);

	/* Another program's file: ignored, quietly. */
	tc = treecache_open(root, 43, &note);
	assert_null(treecache_get(tc, 1, a));
	assert_int_equal(note.len, 0);
	treecache_free(tc);
	free(path);
	buf_free(&note);
	buf_free(&err);
	arena_free(a);
}

static ino_t cache_inode(void)
{
	char *path = cache_path();
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	free(path);
	return st.st_ino;
}

/* A file that holds all but one tree in a hundred of those used and put
 * is kept as it is; past that it is written again. */
static void a_few_changes_are_not_written(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct ytree_node *t = parse(doc2, a);
	struct buf note = BUF_INIT, err = BUF_INIT;
	struct treecache *tc = treecache_open(root, 42, &note);
	for (uint64_t h = 1; h <= 200; h++)
		treecache_put(tc, h, t);
	assert_int_equal(treecache_save(tc, root, &err), 0);
	treecache_free(tc);
	ino_t first = cache_inode();

	/* One tree no longer used, one new: 2 of 200. */
	tc = treecache_open(root, 42, &note);
	for (uint64_t h = 1; h <= 199; h++)
		assert_non_null(treecache_get(tc, h, a));
	treecache_put(tc, 1000, t);
	assert_int_equal(treecache_save(tc, root, &err), 0);
	treecache_free(tc);
	assert_int_equal(cache_inode(), first);

	/* The file as it was: tree 200 still there, 1000 not. */
	tc = treecache_open(root, 42, &note);
	assert_non_null(treecache_get(tc, 200, a));
	assert_null(treecache_get(tc, 1000, a));
	for (uint64_t h = 1; h <= 199; h++)
		assert_non_null(treecache_get(tc, h, a));
	for (uint64_t h = 1000; h < 1003; h++)
		treecache_put(tc, h, t);
	/* Three new: written again, with them. */
	assert_int_equal(treecache_save(tc, root, &err), 0);
	treecache_free(tc);
	assert_int_not_equal(cache_inode(), first);
	tc = treecache_open(root, 42, &note);
	for (uint64_t h = 1000; h < 1003; h++) {
		struct ytree_node *r = treecache_get(tc, h, a);
		assert_true(r && same(t, r));
	}
	assert_int_equal(note.len, 0);
	treecache_free(tc);
	buf_free(&note);
	buf_free(&err);
	arena_free(a);
}

/* Overwrite @n bytes at @off of the cache file with 'X'. */
static void damage(long off, size_t n)
{
	char *path = cache_path();
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	if (off < 0) {
		fseek(f, 0, SEEK_END);
		off += ftell(f);
	}
	fseek(f, off, SEEK_SET);
	for (size_t i = 0; i < n; i++)
		fputc('X', f);
	fclose(f);
	free(path);
}

static void save_two(struct arena *a)
{
	struct buf note = BUF_INIT, err = BUF_INIT;
	struct treecache *tc = treecache_open(root, 42, &note);
	treecache_put(tc, 1, parse(doc1, a));
	treecache_put(tc, 2, parse(doc2, a));
	assert_int_equal(treecache_save(tc, root, &err), 0);
	treecache_free(tc);
	buf_free(&note);
	buf_free(&err);
}

static void damaged(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct buf note = BUF_INIT;

	save_two(a);
	damage(48, 4); /* in the index */
	struct treecache *tc = treecache_open(root, 42, &note);
	assert_non_null(strstr(buf_cstr(&note), "is damaged"));
	assert_null(treecache_get(tc, 1, a));
	treecache_free(tc);

	save_two(a);
	damage(-3, 3); /* in the last tree */
	buf_reset(&note);
	tc = treecache_open(root, 42, &note);
	assert_int_equal(note.len, 0);
	size_t got = (treecache_get(tc, 1, a) != NULL) +
		     (treecache_get(tc, 2, a) != NULL);
	assert_int_equal(got, 1);
	assert_int_equal(treecache_damaged(tc), 1);
	treecache_free(tc);

	/* Cut short: the index points outside it. */
	save_two(a);
	char *path = cache_path();
	assert_int_equal(truncate(path, 60), 0);
	free(path);
	buf_reset(&note);
	tc = treecache_open(root, 42, &note);
	assert_non_null(strstr(buf_cstr(&note), "is damaged"));
	treecache_free(tc);

	/* No directory: an empty cache. */
	tc = treecache_open(NULL, 42, &note);
	assert_null(treecache_get(tc, 1, a));
	treecache_free(tc);
	buf_free(&note);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(damaged, setup, teardown),
		cmocka_unit_test_setup_teardown(a_few_changes_are_not_written,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
