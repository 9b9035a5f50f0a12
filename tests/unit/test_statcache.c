/*
 * test_statcache.c - the record files' stats kept between builds: a file
 * whose stat is unchanged and old enough gives its kept hash; any change
 * of size, mtime, ctime or inode, a file changed too near the last
 * build's start, and a damaged cache file all mean reading it again. The
 * key of the checks a record passed is kept with its stat, and trusted
 * only by the program that wrote it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "statcache.h"

#include "fixture.h"

static char *root;

static int setup(void **state)
{
	(void)state;
	root = fixture_dir_new("statcache");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fixture_dir_remove(root);
	return 0;
}

/* A stat as of a file changed @ago seconds before now. */
static struct stat old_stat(long ino, long size, time_t ago)
{
	struct stat st;
	memset(&st, 0, sizeof(st));
	st.st_dev = 8;
	st.st_ino = (ino_t)ino;
	st.st_size = size;
	st.st_mode = S_IFREG | 0644;
	st.st_mtim.tv_sec = time(NULL) - ago;
	st.st_mtim.tv_nsec = 123;
	st.st_ctim = st.st_mtim;
	return st;
}

/* The program the tests' caches are written by. */
#define PROGRAM 0x5eed

/* Save @n files, file i with hash 1000 + i and checks key 2000 + i. */
static void save(const struct stat *v, const char *const *names, size_t n)
{
	struct statcache *sc = statcache_open(NULL, PROGRAM);
	struct buf err = BUF_INIT;
	statcache_reserve(sc, n);
	for (size_t i = 0; i < n; i++)
		statcache_set(sc, i, names[i], &v[i], 1000 + i, 2000 + i);
	assert_int_equal(statcache_save(sc, root, &err), 0);
	buf_free(&err);
	statcache_free(sc);
}

static void trusted_when_unchanged(void **state)
{
	(void)state;
	const char *names[] = { "acme.yaml", "beta.yaml", "fresh.yaml" };
	struct stat v[] = { old_stat(1, 10, 3600), old_stat(2, 20, 3600),
			    old_stat(3, 30, 0) };
	save(v, names, 3);
	struct statcache *sc = statcache_open(root, PROGRAM);
	uint64_t hash = 0, checked = 0;
	assert_true(
		statcache_lookup(sc, 0, "acme.yaml", &v[0], &hash, &checked));
	assert_int_equal(hash, 1000);
	assert_int_equal(checked, 2000);
	assert_true(
		statcache_lookup(sc, 1, "beta.yaml", &v[1], &hash, &checked));
	assert_int_equal(hash, 1001);
	assert_int_equal(checked, 2001);
	/* Changed as the build started: read again, whatever its stat. */
	assert_false(
		statcache_lookup(sc, 2, "fresh.yaml", &v[2], &hash, &checked));
	assert_false(
		statcache_lookup(sc, 0, "other.yaml", &v[0], &hash, &checked));

	struct stat st = v[0];
	st.st_ctim.tv_nsec++; /* written and its mtime put back */
	assert_false(
		statcache_lookup(sc, 0, "acme.yaml", &st, &hash, &checked));
	st = v[0];
	st.st_mtim.tv_sec++;
	assert_false(
		statcache_lookup(sc, 0, "acme.yaml", &st, &hash, &checked));
	st = v[0];
	st.st_size++;
	assert_false(
		statcache_lookup(sc, 0, "acme.yaml", &st, &hash, &checked));
	st = v[0];
	st.st_ino++; /* replaced by another file */
	assert_false(
		statcache_lookup(sc, 0, "acme.yaml", &st, &hash, &checked));
	statcache_free(sc);

	/* --full opens none: nothing is trusted. */
	sc = statcache_open(NULL, PROGRAM);
	assert_false(
		statcache_lookup(sc, 0, "acme.yaml", &v[0], &hash, &checked));
	statcache_free(sc);
}

/* A file is found wherever it now is in the list (files added or gone
 * before it), and whatever place the caller guesses. */
static void found_at_any_place(void **state)
{
	(void)state;
	const char *names[] = { "acme.yaml", "beta.yaml", "cero.yaml",
				"dune.yaml" };
	struct stat v[] = { old_stat(1, 10, 3600), old_stat(2, 20, 3600),
			    old_stat(3, 30, 3600), old_stat(4, 40, 3600) };
	save(v, names, 4);
	struct statcache *sc = statcache_open(root, PROGRAM);
	for (size_t i = 0; i < 4; i++)
		for (size_t at = 0; at < 6; at++) {
			uint64_t hash = 0, checked = 0;
			assert_true(statcache_lookup(sc, at, names[i], &v[i],
						     &hash, &checked));
			assert_int_equal(hash, 1000 + i);
			assert_int_equal(checked, 2000 + i);
		}
	uint64_t hash, checked;
	/* At the place of another file, a name not there is not it. */
	assert_false(
		statcache_lookup(sc, 1, "bet.yaml", &v[1], &hash, &checked));
	assert_false(
		statcache_lookup(sc, 3, "dunes.yaml", &v[3], &hash, &checked));
	statcache_free(sc);

	/* Saved out of order, found all the same. */
	const char *shuffled[] = { "dune.yaml", "acme.yaml", "cero.yaml",
				   "beta.yaml" };
	struct stat w[] = { v[3], v[0], v[2], v[1] };
	save(w, shuffled, 4);
	sc = statcache_open(root, PROGRAM);
	for (size_t i = 0; i < 4; i++) {
		assert_true(statcache_lookup(sc, i, shuffled[i], &w[i], &hash,
					     &checked));
		assert_int_equal(hash, 1000 + i);
	}
	statcache_free(sc);
}

/* Another program's checks may differ: their keys are not given, while
 * the hashes of the files' bytes still are. */
static void checks_kept_for_the_same_program(void **state)
{
	(void)state;
	const char *names[] = { "acme.yaml" };
	struct stat v[] = { old_stat(1, 10, 3600) };
	save(v, names, 1);
	struct statcache *sc = statcache_open(root, PROGRAM + 1);
	uint64_t hash = 0, checked = 99;
	assert_true(
		statcache_lookup(sc, 0, "acme.yaml", &v[0], &hash, &checked));
	assert_int_equal(hash, 1000);
	assert_int_equal(checked, 0);
	statcache_free(sc);
}

static void damaged_is_ignored(void **state)
{
	(void)state;
	const char *names[] = { "acme.yaml" };
	struct stat v[] = { old_stat(1, 10, 3600) };
	save(v, names, 1);
	char *path = fixture_path(root, STATCACHE_NAME);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	struct timespec times[2] = { st.st_mtim, st.st_mtim };
	/* One byte of the entry's hash changed (which, unchecked, would be
	 * given), the file's time kept. */
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	fseek(f, 48 + 24, SEEK_SET);
	fputc(0x5a, f);
	fclose(f);
	assert_int_equal(utimensat(AT_FDCWD, path, times, 0), 0);
	struct statcache *sc = statcache_open(root, PROGRAM);
	uint64_t hash, checked;
	assert_false(
		statcache_lookup(sc, 0, "acme.yaml", &v[0], &hash, &checked));
	statcache_free(sc);
	/* Cut short. */
	save(v, names, 1);
	assert_int_equal(truncate(path, 50), 0);
	sc = statcache_open(root, PROGRAM);
	assert_false(
		statcache_lookup(sc, 0, "acme.yaml", &v[0], &hash, &checked));
	statcache_free(sc);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(trusted_when_unchanged, setup,
						teardown),
		cmocka_unit_test_setup_teardown(found_at_any_place, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			checks_kept_for_the_same_program, setup, teardown),
		cmocka_unit_test_setup_teardown(damaged_is_ignored, setup,
						teardown),
	};
	return cmocka_run_group_tests_name("statcache", tests, NULL, NULL);
}
