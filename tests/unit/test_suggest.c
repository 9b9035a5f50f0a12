/*
 * test_suggest.c - "did you mean": which candidates count as close, their
 * order, the sentence, and speed over 100,000 record ids.
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

#include "suggest.h"

/* The suggestions for @word among @cands, as suggest_put() writes them. */
static char *suggest_among(const char *word, const char *const *cands, size_t n,
			   const char *prefix)
{
	struct suggest *s = suggest_new(word);
	for (size_t i = 0; i < n; i++)
		suggest_add(s, cands[i], strlen(cands[i]));
	struct buf b = BUF_INIT;
	suggest_put(s, &b, prefix);
	suggest_free(s);
	return buf_detach(&b, NULL);
}

#define ASSERT_SUGGESTS(word, cands, prefix, want)                             \
	do {                                                                   \
		char *got_ = suggest_among(word, cands, ATLAS_COUNT(cands),    \
					   prefix);                            \
		assert_string_equal(got_, want);                               \
		free(got_);                                                    \
	} while (0)

static const char *const commands[] = {
	"check", "score",  "build",	  "new",    "gen",     "serve",
	"help",	 "import", "corrections", "audits", "version",
};

static void test_commands(void **state)
{
	(void)state;
	/* A swap of neighbours is one edit. */
	ASSERT_SUGGESTS("chekc", commands, "", "; did you mean 'check'?");
	ASSERT_SUGGESTS("scroe", commands, "", "; did you mean 'score'?");
	ASSERT_SUGGESTS("biuld", commands, "", "; did you mean 'build'?");
	ASSERT_SUGGESTS("hlep", commands, "", "; did you mean 'help'?");
	/* A dropped letter, and a word that starts a command. */
	ASSERT_SUGGESTS("corections", commands, "",
			"; did you mean 'corrections'?");
	ASSERT_SUGGESTS("imp", commands, "", "; did you mean 'import'?");
	/* Case does not matter. */
	ASSERT_SUGGESTS("CHECK", commands, "", "; did you mean 'check'?");
	/* Nothing close: no suggestion at all. */
	ASSERT_SUGGESTS("frobnicate", commands, "", "");
	ASSERT_SUGGESTS("xyz", commands, "", "");
	/* Two letters wrong in a short word is too far. */
	ASSERT_SUGGESTS("chxxk", commands, "", "");
	/* A one-letter word: every command it starts, nearest first. */
	ASSERT_SUGGESTS("s", commands, "",
			"; did you mean 'score' or 'serve'?");
}

static void test_options(void **state)
{
	(void)state;
	static const char *const build[] = { "data", "help", "out", "templates",
					     "db" };
	ASSERT_SUGGESTS("otu", build, "--", "; did you mean '--out'?");
	/* A longer word that starts with an option. */
	ASSERT_SUGGESTS("output", build, "--", "; did you mean '--out'?");
	ASSERT_SUGGESTS("templtes", build, "--",
			"; did you mean '--templates'?");
	/* "db" is too short to be found inside "dbfile". */
	ASSERT_SUGGESTS("dbfile", build, "--", "");
	static const char *const serve[] = { "out",  "templates",  "threads",
					     "port", "rate-limit", "no-build" };
	/* Nearest first: the shorter completion before the longer. */
	ASSERT_SUGGESTS("t", serve, "--",
			"; did you mean '--threads' or '--templates'?");
	ASSERT_SUGGESTS("prot", serve, "--", "; did you mean '--port'?");
	ASSERT_SUGGESTS("ratelimit", serve, "--",
			"; did you mean '--rate-limit'?");
}

static void test_ids_order_and_limit(void **state)
{
	(void)state;
	static const char *const ids[] = {
		"coursera", "courser", "coursera-uk", "netflix", "coursework",
	};
	ASSERT_SUGGESTS("coursra", ids, "",
			"; did you mean 'coursera' or 'courser'?");
	ASSERT_SUGGESTS("Coursera", ids, "",
			"; did you mean 'coursera', 'courser' or "
			"'coursera-uk'?");
	ASSERT_SUGGESTS("netflx", ids, "", "; did you mean 'netflix'?");

	/* Many equally close candidates: the first three in byte order,
	 * whatever order they come in; one offered twice counts once. */
	static const char *const fwd[] = { "abd", "abe", "abf", "abg", "abc" };
	static const char *const rev[] = { "abc", "abg", "abf",
					   "abe", "abd", "abc" };
	ASSERT_SUGGESTS("abx", fwd, "",
			"; did you mean 'abc', 'abd' or 'abe'?");
	ASSERT_SUGGESTS("abx", rev, "",
			"; did you mean 'abc', 'abd' or 'abe'?");

	struct suggest *s = suggest_new("abx");
	for (size_t i = 0; i < ATLAS_COUNT(rev); i++)
		suggest_add(s, rev[i], strlen(rev[i]));
	assert_int_equal(suggest_count(s), SUGGEST_MAX);
	assert_string_equal(suggest_at(s, 0), "abc");
	assert_null(suggest_at(s, SUGGEST_MAX));
	/* A candidate given by length need not end there. */
	suggest_add(s, "abxyz", 3);
	assert_string_equal(suggest_at(s, 0), "abx");
	suggest_free(s);
	suggest_free(NULL);

	/* An empty word suggests nothing. */
	ASSERT_SUGGESTS("", ids, "", "");
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 100,000 ids like a generated data folder's: linear, in milliseconds. */
static void test_100k_ids(void **state)
{
	(void)state;
	const char *wrap = getenv("TEST_WRAPPER");
	/* Quadratic work would take minutes; sanitizers slow this 5x. */
	double bound = wrap && *wrap ? 20 : 2;
	enum { N = 100000 };
	static char ids[N][32];
	for (int i = 0; i < N; i++)
		snprintf(ids[i], sizeof(ids[i]), "northwind-stream-%05d", i);
	double start = now_s();
	struct suggest *s = suggest_new("northwind-straem-04217");
	for (int i = 0; i < N; i++)
		suggest_add(s, ids[i], strlen(ids[i]));
	double took = now_s() - start;
	assert_true(suggest_count(s) >= 1);
	assert_string_equal(suggest_at(s, 0), "northwind-stream-04217");
	suggest_free(s);
	printf("# 100,000 candidates in %.1f ms\n", took * 1000);
	assert_true(took < bound);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_ids_order_and_limit),
		cmocka_unit_test(test_100k_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
