/*
 * test_loglimit.c - at most one line per kind per interval, then one line
 * with the count of those held back; on a fake clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "loglimit.h"

struct world {
	double now;
	struct buf out;
	int lines;
};

static void record(void *cls, const char *line)
{
	struct world *w = cls;
	buf_printf(&w->out, "%s\n", line);
	w->lines++;
}

static double fake_clock(void *cls)
{
	return ((struct world *)cls)->now;
}

static struct loglimit *limiter(struct world *w)
{
	memset(w, 0, sizeof(*w));
	w->now = 50;
	struct loglimit_opts o = {
		.interval = 10, .write = record, .clock = fake_clock, .cls = w
	};
	return loglimit_new(&o);
}

static void test_one_line_then_a_count(void **state)
{
	(void)state;
	struct world w;
	struct loglimit *l = limiter(&w);
	for (int i = 0; i < 1000; i++) {
		char line[64];
		snprintf(line, sizeof(line), "refused client %d", i);
		loglimit_say(l, "refused client %d", line);
		w.now += 0.005; /* 1000 lines in 5 s */
	}
	assert_int_equal(w.lines, 1);
	assert_string_equal(w.out.data, "refused client 0\n");
	loglimit_flush(l); /* the window is not over yet */
	assert_int_equal(w.lines, 1);
	w.now = 60;
	loglimit_flush(l);
	assert_int_equal(w.lines, 2);
	assert_string_equal(w.out.data,
			    "refused client 0\n"
			    "999 more like this in the last 10 s: refused "
			    "client 0\n");
	/* Said once: a second flush has nothing to add. */
	loglimit_flush(l);
	assert_int_equal(w.lines, 2);
	/* The next one, after the window, is written again. */
	loglimit_say(l, "refused client %d", "refused client 1000");
	assert_int_equal(w.lines, 3);
	loglimit_free(l);
	buf_free(&w.out);
}

/* A line after the window says the count of the last one first. */
static void test_count_before_next_window(void **state)
{
	(void)state;
	struct world w;
	struct loglimit *l = limiter(&w);
	loglimit_say(l, "k", "one");
	loglimit_say(l, "k", "two");
	loglimit_say(l, "k", "three");
	w.now += 10;
	loglimit_say(l, "k", "four");
	assert_string_equal(w.out.data,
			    "one\n"
			    "2 more like this in the last 10 s: one\n"
			    "four\n");
	loglimit_free(l);
	buf_free(&w.out);
}

static void test_kinds_are_apart(void **state)
{
	(void)state;
	struct world w;
	struct loglimit *l = limiter(&w);
	for (int i = 0; i < 5; i++) {
		loglimit_say(l, "a", "alpha");
		loglimit_say(l, "b", "beta");
	}
	assert_string_equal(w.out.data, "alpha\nbeta\n");
	/* What is held is said when the limiter goes, not lost. */
	loglimit_free(l);
	assert_string_equal(w.out.data,
			    "alpha\nbeta\n"
			    "4 more like this in the last 10 s: alpha\n"
			    "4 more like this in the last 10 s: beta\n");
	buf_free(&w.out);
}

/* More kinds than the table holds: the stalest makes way, its count
 * said first; every kind still gets its line. */
static void test_many_kinds(void **state)
{
	(void)state;
	struct world w;
	struct loglimit *l = limiter(&w);
	loglimit_say(l, "kind 0", "line 0");
	loglimit_say(l, "kind 0", "line 0 again");
	for (int i = 1; i < 200; i++) {
		char kind[32];
		snprintf(kind, sizeof(kind), "kind %d", i);
		w.now += 0.001;
		loglimit_say(l, kind, kind);
	}
	assert_int_equal(w.lines, 201);
	assert_non_null(strstr(w.out.data,
			       "1 more like this in the last 10 s: line 0\n"));
	loglimit_free(l);
	buf_free(&w.out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_line_then_a_count),
		cmocka_unit_test(test_count_before_next_window),
		cmocka_unit_test(test_kinds_are_apart),
		cmocka_unit_test(test_many_kinds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
