/*
 * test_pagekeys.c - the listing pages' keys kept between builds: read
 * back as written for the site state they were saved for; for any other
 * state, a damaged file or none at all, no page matches.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "internal.h"
#include "pagekeys.h"

#include "fixture.h"

static char *root;

static int setup(void **state)
{
	(void)state;
	root = fixture_dir_new("pagekeys");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fixture_dir_remove(root);
	return 0;
}

static char *file_path(void)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s/%s", root, PAGEKEYS_NAME);
	return buf_detach(&b, NULL);
}

static void save(uint64_t site_key)
{
	struct pagekeys *k = pagekeys_new();
	pagekeys_put(k, "page/2/index.html", 0x22);
	pagekeys_put(k, "index.html", 0x11);
	pagekeys_put(k, "industries/retail/index.html", 0x33);
	struct buf err = BUF_INIT;
	assert_int_equal(pagekeys_save(k, root, site_key, &err), 0);
	buf_free(&err);
	pagekeys_free(k);
}

static void read_back_for_their_state(void **state)
{
	(void)state;
	save(0xabc);
	struct pagekeys *k = pagekeys_load(root, 0xabc);
	assert_true(pagekeys_match(k, "index.html", 0x11));
	assert_true(pagekeys_match(k, "page/2/index.html", 0x22));
	assert_true(pagekeys_match(k, "industries/retail/index.html", 0x33));
	assert_false(pagekeys_match(k, "index.html", 0x12));
	assert_false(pagekeys_match(k, "page/3/index.html", 0x22));
	pagekeys_free(k);
	/* Sorted by path, whatever the order they were put in. */
	char *path = file_path();
	char *text = fixture_read_file(path, NULL);
	assert_non_null(strstr(text, "0000000000000011 index.html\n"
				     "0000000000000033 industries/retail/"
				     "index.html\n"
				     "0000000000000022 page/2/index.html\n"));
	free(text);
	free(path);
}

static void no_match_for_another_state(void **state)
{
	(void)state;
	save(0xabc);
	struct pagekeys *k = pagekeys_load(root, 0xabd);
	assert_false(pagekeys_match(k, "index.html", 0x11));
	pagekeys_free(k);
	/* A forgotten state (an interrupted build's) is 0. */
	k = pagekeys_load(root, 0);
	assert_false(pagekeys_match(k, "index.html", 0x11));
	pagekeys_free(k);
}

static void no_match_from_a_damaged_file(void **state)
{
	(void)state;
	save(0xabc);
	char *path = file_path();
	char *text = fixture_read_file(path, NULL);
	size_t len = strlen(text);
	/* Every byte changed in turn, and every length cut short. */
	for (size_t i = 0; i < len; i++) {
		char *bad = xstrdup(text);
		bad[i] = bad[i] == '1' ? '2' : '1';
		fixture_write_file(root, PAGEKEYS_NAME, bad, strlen(bad));
		struct pagekeys *k = pagekeys_load(root, 0xabc);
		if (pagekeys_match(k, "index.html", 0x11) &&
		    pagekeys_match(k, "page/2/index.html", 0x22) &&
		    pagekeys_match(k, "industries/retail/index.html", 0x33))
			fail_msg("byte %zu changed, still read whole", i);
		pagekeys_free(k);
		free(bad);
	}
	for (size_t cut = 0; cut < len; cut++) {
		char *bad = xstrndup(text, cut);
		fixture_write_file(root, PAGEKEYS_NAME, bad, strlen(bad));
		struct pagekeys *k = pagekeys_load(root, 0xabc);
		assert_false(pagekeys_match(k, "page/2/index.html", 0x22));
		pagekeys_free(k);
		free(bad);
	}
	free(text);
	free(path);
}

static void no_match_without_a_file(void **state)
{
	(void)state;
	char *path = file_path();
	remove(path);
	free(path);
	struct pagekeys *k = pagekeys_load(root, 0xabc);
	assert_false(pagekeys_match(k, "index.html", 0x11));
	pagekeys_free(k);
	assert_false(pagekeys_match(NULL, "index.html", 0x11));
}

struct putter {
	struct pagekeys *k;
	int from;
};

static void *put_many(void *arg)
{
	struct putter *p = arg;
	char path[64];
	for (int i = p->from; i < p->from + 2000; i++) {
		snprintf(path, sizeof(path), "page/%d/index.html", i);
		pagekeys_put(p->k, path, (uint64_t)i + 1);
	}
	return NULL;
}

static void put_from_several_threads(void **state)
{
	(void)state;
	struct pagekeys *k = pagekeys_new();
	struct putter p[4];
	pthread_t t[4];
	for (int i = 0; i < 4; i++) {
		p[i] = (struct putter){ k, i * 2000 };
		assert_int_equal(pthread_create(&t[i], NULL, put_many, &p[i]),
				 0);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	struct buf err = BUF_INIT;
	assert_int_equal(pagekeys_save(k, root, 7, &err), 0);
	buf_free(&err);
	pagekeys_free(k);
	k = pagekeys_load(root, 7);
	char path[64];
	for (int i = 0; i < 8000; i++) {
		snprintf(path, sizeof(path), "page/%d/index.html", i);
		if (!pagekeys_match(k, path, (uint64_t)i + 1))
			fail_msg("%s lost", path);
	}
	pagekeys_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(read_back_for_their_state),
		cmocka_unit_test(no_match_for_another_state),
		cmocka_unit_test(no_match_from_a_damaged_file),
		cmocka_unit_test(no_match_without_a_file),
		cmocka_unit_test(put_from_several_threads),
	};
	return cmocka_run_group_tests_name("pagekeys", tests, setup, teardown);
}
