/*
 * test_parsecache.c - records kept between builds.
 *
 * A record packed is made again whole from its bytes alone, and a block
 * of bytes that is not one is refused, never followed out of itself.
 * A record put, saved and read back is the same record; only records
 * used or put are saved; a file saved with the same records, or all but
 * one in a hundred, is not written again; another program's file is
 * ignored quietly, a damaged one with a note, and a damaged record is
 * counted and not given.
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
#include "parsecache.h"
#include "record_yaml.h"
#include "recordpack.h"
#include "yaml_load.h"

#include "fixture.h"
#include "fixtures/record_cmp.h"

static char *root;

static int setup(void **state)
{
	(void)state;
	root = fixture_dir_new("parsecache");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fixture_dir_remove(root);
	return 0;
}

/* A record with every kind of field: texts on several lines, a pause and
 * a deletion, levels and reasons, evidence, and two audits with paths
 * and files of their own. */
static const char *rich(void)
{
	return fixture_append(fixture_worked_example(),
			      "  - date: 2026-05-19\n"
			      "    tier: crowd_verified\n"
			      "    signup_channel: online\n"
			      "    online_path: false\n"
			      "    steps: 5\n"
			      "    path:\n"
			      "      - Find the number\n"
			      "      - Wait in the queue\n"
			      "    retention: none\n"
			      "    channel_symmetry: false\n"
			      "    confirmation: none\n"
			      "    minutes: 25\n"
			      "    clean_exit: false\n"
			      "    notes: >\n"
			      "      An agent offered a discount\n"
			      "      twice.\n");
}

static const char plain[] = "id: other-uk\nname: Other\n";

static struct record *load(const char *text, struct arena *a)
{
	struct diag *d = diag_new();
	struct record *r = yaml_load_record("t.yaml", text, strlen(text), a, d);
	/* Only the text matters here, not whether it would pass check. */
	diag_free(d);
	assert_non_null(r);
	return r;
}

/* Whether @x and @y hold the same facts, written alike, with every byte
 * the same once packed (positions, levels, flags, padding). */
static bool same(const struct record *x, const struct record *y)
{
	struct buf why = BUF_INIT, xs = BUF_INIT, ys = BUF_INIT;
	struct buf xp = BUF_INIT, yp = BUF_INIT;
	bool ok = record_same(&why, x, y);
	if (!ok)
		print_error("%s\n", buf_cstr(&why));
	record_yaml_write(&xs, x);
	record_yaml_write(&ys, y);
	recordpack_put(&xp, x);
	recordpack_put(&yp, y);
	ok = ok && xs.len == ys.len && !memcmp(xs.data, ys.data, xs.len) &&
	     xp.len == yp.len && !memcmp(xp.data, yp.data, xp.len);
	buf_free(&why);
	buf_free(&xs);
	buf_free(&ys);
	buf_free(&xp);
	buf_free(&yp);
	return ok;
}

/* The record made from a block owes nothing to the record packed: that
 * one's memory is gone (ASan and valgrind see any read of it), and what
 * is written of the copy is what was written of it. */
static void a_packed_record_stands_alone(void **state)
{
	(void)state;
	struct arena *from = arena_new(), *to = arena_new();
	struct record *r = load(rich(), from);
	assert_int_equal(r->nflow, 2);
	assert_int_equal(r->flow[1].npath, 2);
	assert_non_null(r->why[2].s);
	struct buf text = BUF_INIT, block = BUF_INIT, again = BUF_INIT;
	record_yaml_write(&text, r);
	recordpack_put(&block, r);
	struct src_pos notes = r->flow[1].notes.pos;
	arena_free(from);

	/* Packed after other bytes, as the cache's buffer may be. */
	struct record *c =
		recordpack_get(block.data, block.len, "records/x.yaml", to);
	assert_non_null(c);
	assert_string_equal(c->file, "records/x.yaml");
	struct buf written = BUF_INIT;
	record_yaml_write(&written, c);
	assert_string_equal(buf_cstr(&written), buf_cstr(&text));
	assert_int_equal(c->flow[1].notes.pos.line, notes.line);
	assert_int_equal(c->flow[1].notes.pos.col, notes.col);
	buf_puts(&again, "some bytes before");
	size_t at = again.len;
	recordpack_put(&again, c);
	assert_int_equal(again.len - at, block.len);
	assert_memory_equal(again.data + at, block.data, block.len);
	buf_free(&text);
	buf_free(&block);
	buf_free(&again);
	buf_free(&written);
	arena_free(to);
}

/* Padding inside a number, a flag and a date may hold anything (an
 * assignment of the whole struct can fill it from the stack): it is not
 * packed, so the same record is always the same bytes. */
static void padding_is_not_packed(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct record *r = load(rich(), a);
	struct buf clean = BUF_INIT, dirty = BUF_INIT;
	recordpack_put(&clean, r);
	char *steps = (char *)&r->flow[0].steps;
	char *fictional = (char *)&r->fictional;
	char *reviewed = (char *)&r->reviewed;
	char *level = (char *)&r->policy[1];
	memset(steps + offsetof(struct number, set) + 1, 0xAA,
	       offsetof(struct number, pos) - offsetof(struct number, set) - 1);
	memset(fictional + offsetof(struct flag, set) + 1, 0xAA,
	       offsetof(struct flag, pos) - offsetof(struct flag, set) - 1);
	memset(reviewed + offsetof(struct date_value, set) + 1, 0xAA,
	       offsetof(struct date_value, pos) -
		       offsetof(struct date_value, set) - 1);
	memset(level + offsetof(struct number, set) + 1, 0xAA,
	       offsetof(struct number, pos) - offsetof(struct number, set) - 1);
	recordpack_put(&dirty, r);
	assert_int_equal(clean.len, dirty.len);
	assert_memory_equal(clean.data, dirty.data, clean.len);
	buf_free(&clean);
	buf_free(&dirty);
	arena_free(a);
}

/* Set the pointer-sized word at @off of @b to @v. */
static void poke(struct buf *b, size_t off, uint64_t v)
{
	memcpy(b->data + off, &v, sizeof(v));
}

static void a_bad_block_is_refused(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct buf block = BUF_INIT;
	recordpack_put(&block, load(rich(), a));
	struct buf bad = BUF_INIT;

	/* Cut anywhere: the last text loses its NUL at least. */
	for (size_t len = 0; len < block.len; len++)
		assert_null(recordpack_get(block.data, len, "t", a));

	/* A text, a list and the file name pointing outside the block. */
	size_t slots[] = { offsetof(struct record, name.s),
			   offsetof(struct record, flow),
			   offsetof(struct record, file) };
	for (size_t i = 0; i < sizeof(slots) / sizeof(*slots); i++) {
		buf_reset(&bad);
		buf_put(&bad, block.data, block.len);
		poke(&bad, slots[i], block.len + 64);
		assert_null(recordpack_get(bad.data, bad.len, "t", a));
	}

	/* A list longer than the block holds, and one not aligned. */
	buf_reset(&bad);
	buf_put(&bad, block.data, block.len);
	size_t many = (size_t)-1 / sizeof(struct audit);
	memcpy(bad.data + offsetof(struct record, nflow), &many, sizeof(many));
	assert_null(recordpack_get(bad.data, bad.len, "t", a));
	buf_reset(&bad);
	buf_put(&bad, block.data, block.len);
	uint64_t flow;
	memcpy(&flow, block.data + offsetof(struct record, flow), sizeof(flow));
	poke(&bad, offsetof(struct record, flow), flow + 1);
	assert_null(recordpack_get(bad.data, bad.len, "t", a));

	/* A text whose NUL is overwritten. */
	buf_reset(&bad);
	buf_put(&bad, block.data, block.len);
	uint64_t name;
	memcpy(&name, block.data + offsetof(struct record, name.s),
	       sizeof(name));
	size_t name_len;
	memcpy(&name_len, block.data + offsetof(struct record, name.len),
	       sizeof(name_len));
	bad.data[name + name_len] = 'X';
	assert_null(recordpack_get(bad.data, bad.len, "t", a));

	/* The block as it was is a record still. */
	assert_non_null(recordpack_get(block.data, block.len, "t", a));
	buf_free(&block);
	buf_free(&bad);
	arena_free(a);
}

static char *cache_path(void)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s/%s", root, PARSECACHE_NAME);
	return buf_detach(&b, NULL);
}

static void round_trip(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct record *t1 = load(rich(), a), *t2 = load(plain, a);
	struct buf note = BUF_INIT, err = BUF_INIT;
	struct parsecache *pc = parsecache_open(root, 42, &note);
	assert_null(parsecache_get(pc, 1, "t.yaml", a));
	parsecache_put(pc, 1, t1);
	parsecache_put(pc, 2, t2);
	assert_int_equal(parsecache_save(pc, root, &err), 0);
	parsecache_free(pc);

	pc = parsecache_open(root, 42, &note);
	assert_int_equal(note.len, 0);
	struct record *r1 = parsecache_get(pc, 1, "t.yaml", a);
	assert_non_null(r1);
	assert_true(same(t1, r1));
	assert_null(parsecache_get(pc, 3, "t.yaml", a));
	/* Only record 1 was used: the file is written with it alone. */
	assert_int_equal(parsecache_save(pc, root, &err), 0);
	parsecache_free(pc);

	pc = parsecache_open(root, 42, &note);
	assert_null(parsecache_get(pc, 2, "t.yaml", a));
	r1 = parsecache_get(pc, 1, "t.yaml", a);
	assert_true(r1 && same(t1, r1));
	/* The same records: not written again. */
	char *path = cache_path();
	struct stat before, after;
	assert_int_equal(stat(path, &before), 0);
	assert_int_equal(parsecache_save(pc, root, &err), 0);
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	parsecache_free(pc);

	/* Another program's file: ignored, quietly. */
	pc = parsecache_open(root, 43, &note);
	assert_null(parsecache_get(pc, 1, "t.yaml", a));
	assert_int_equal(note.len, 0);
	parsecache_free(pc);
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

/* A file that holds all but one record in a hundred of those used and put
 * is kept as it is; past that it is written again. */
static void a_few_changes_are_not_written(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct record *t = load(plain, a);
	struct buf note = BUF_INIT, err = BUF_INIT;
	struct parsecache *pc = parsecache_open(root, 42, &note);
	for (uint64_t h = 1; h <= 200; h++)
		parsecache_put(pc, h, t);
	assert_int_equal(parsecache_save(pc, root, &err), 0);
	parsecache_free(pc);
	ino_t first = cache_inode();

	/* One record no longer used, one new: 2 of 200. */
	pc = parsecache_open(root, 42, &note);
	for (uint64_t h = 1; h <= 199; h++)
		assert_non_null(parsecache_get(pc, h, "t.yaml", a));
	parsecache_put(pc, 1000, t);
	assert_int_equal(parsecache_save(pc, root, &err), 0);
	parsecache_free(pc);
	assert_int_equal(cache_inode(), first);

	/* The file as it was: record 200 still there, 1000 not. */
	pc = parsecache_open(root, 42, &note);
	assert_non_null(parsecache_get(pc, 200, "t.yaml", a));
	assert_null(parsecache_get(pc, 1000, "t.yaml", a));
	for (uint64_t h = 1; h <= 199; h++)
		assert_non_null(parsecache_get(pc, h, "t.yaml", a));
	for (uint64_t h = 1000; h < 1003; h++)
		parsecache_put(pc, h, t);
	/* Three new: written again, with them. */
	assert_int_equal(parsecache_save(pc, root, &err), 0);
	parsecache_free(pc);
	assert_int_not_equal(cache_inode(), first);
	pc = parsecache_open(root, 42, &note);
	for (uint64_t h = 1000; h < 1003; h++) {
		struct record *r = parsecache_get(pc, h, "t.yaml", a);
		assert_true(r && same(t, r));
	}
	assert_int_equal(note.len, 0);
	parsecache_free(pc);
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
	struct parsecache *pc = parsecache_open(root, 42, &note);
	parsecache_put(pc, 1, load(rich(), a));
	parsecache_put(pc, 2, load(plain, a));
	assert_int_equal(parsecache_save(pc, root, &err), 0);
	parsecache_free(pc);
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
	struct parsecache *pc = parsecache_open(root, 42, &note);
	assert_non_null(strstr(buf_cstr(&note), "is damaged"));
	assert_null(parsecache_get(pc, 1, "t.yaml", a));
	parsecache_free(pc);

	save_two(a);
	damage(-3, 3); /* in the last record */
	buf_reset(&note);
	pc = parsecache_open(root, 42, &note);
	assert_int_equal(note.len, 0);
	size_t got = (parsecache_get(pc, 1, "t.yaml", a) != NULL) +
		     (parsecache_get(pc, 2, "t.yaml", a) != NULL);
	assert_int_equal(got, 1);
	assert_int_equal(parsecache_damaged(pc), 1);
	parsecache_free(pc);

	/* Cut short: the index points outside it. */
	save_two(a);
	char *path = cache_path();
	assert_int_equal(truncate(path, 60), 0);
	free(path);
	buf_reset(&note);
	pc = parsecache_open(root, 42, &note);
	assert_non_null(strstr(buf_cstr(&note), "is damaged"));
	parsecache_free(pc);

	/* No directory: an empty cache. */
	pc = parsecache_open(NULL, 42, &note);
	assert_null(parsecache_get(pc, 1, "t.yaml", a));
	parsecache_free(pc);
	buf_free(&note);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_packed_record_stands_alone),
		cmocka_unit_test(padding_is_not_packed),
		cmocka_unit_test(a_bad_block_is_refused),
		cmocka_unit_test_setup_teardown(round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(damaged, setup, teardown),
		cmocka_unit_test_setup_teardown(a_few_changes_are_not_written,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
