/*
 * test_connguard.c - who the connection guard sheds, and when: on a fake
 * clock, with the sockets it would shut down recorded instead.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "connguard.h"

#define MAX_SHED 64

struct world {
	double now;
	int shed[MAX_SHED];
	size_t nshed;
};

static void record_shed(void *cls, int fd)
{
	struct world *w = cls;
	assert_true(w->nshed < MAX_SHED);
	w->shed[w->nshed++] = fd;
}

static double fake_clock(void *cls)
{
	return ((struct world *)cls)->now;
}

static struct connguard *guard(struct world *w, size_t max_conns,
			       size_t per_addr)
{
	memset(w, 0, sizeof(*w));
	w->now = 100;
	struct connguard_opts o = {
		.max_conns = max_conns,
		.per_addr = per_addr,
		.head_timeout = 10,
		.body_timeout = 30,
		.shed = record_shed,
		.clock = fake_clock,
		.cls = w,
	};
	return connguard_new(&o);
}

/* An IPv4 address key, v4-mapped: 10.0.0.@n. */
static const unsigned char *key(unsigned char n)
{
	static unsigned char k[16];
	memset(k, 0, sizeof(k));
	k[10] = k[11] = 0xff;
	k[12] = 10;
	k[15] = n;
	return k;
}

static void test_head_deadline(void **state)
{
	(void)state;
	struct world w;
	struct connguard *g = guard(&w, 100, 10);
	struct connguard_conn *c = connguard_open(g, 7, key(1));
	w.now += 9.9;
	assert_int_equal(connguard_reap(g), 0);
	w.now += 0.1;
	assert_int_equal(connguard_reap(g), 1);
	assert_int_equal(w.nshed, 1);
	assert_int_equal(w.shed[0], 7);
	/* Shed once only: the server closes it when it reads the end. */
	w.now += 60;
	assert_int_equal(connguard_reap(g), 0);
	struct connguard_stats st;
	connguard_stats(g, &st);
	assert_int_equal(st.head_late, 1);
	assert_int_equal(st.live, 0);
	assert_int_equal(st.open, 1);
	connguard_close(g, c);
	connguard_stats(g, &st);
	assert_int_equal(st.open, 0);
	connguard_free(g);
}

/* The head clock stops at the head; the body has its own, longer one;
 * an answered request has none; a kept-alive connection starts again. */
static void test_request_phases(void **state)
{
	(void)state;
	struct world w;
	struct connguard *g = guard(&w, 100, 10);
	struct connguard_conn *c = connguard_open(g, 7, key(1));
	w.now += 5;
	connguard_head_done(g, c);
	w.now += 20; /* past the head deadline, within the body's */
	assert_int_equal(connguard_reap(g), 0);
	connguard_answered(g, c);
	w.now += 1000; /* a long download is not the guard's business */
	assert_int_equal(connguard_reap(g), 0);
	connguard_request_done(g, c);
	w.now += 9;
	assert_int_equal(connguard_reap(g), 0);
	w.now += 1;
	assert_int_equal(connguard_reap(g), 1);
	connguard_close(g, c);

	struct connguard_conn *b = connguard_open(g, 8, key(1));
	connguard_head_done(g, b);
	w.now += 29;
	assert_int_equal(connguard_reap(g), 0);
	w.now += 1;
	assert_int_equal(connguard_reap(g), 1);
	assert_int_equal(w.shed[1], 8);
	struct connguard_stats st;
	connguard_stats(g, &st);
	assert_int_equal(st.head_late, 1);
	assert_int_equal(st.body_late, 1);
	connguard_close(g, b);
	connguard_free(g);
}

/* Expired connections go in the order they came, and only those. */
static void test_reap_oldest_only(void **state)
{
	(void)state;
	struct world w;
	struct connguard *g = guard(&w, 100, 10);
	struct connguard_conn *c[5];
	for (int i = 0; i < 5; i++) {
		c[i] = connguard_open(g, 10 + i, key((unsigned char)i));
		w.now += 1;
	}
	/* Opened at 100..104: at 112.5 the first three are late. */
	w.now = 112.5;
	assert_int_equal(connguard_reap(g), 3);
	assert_int_equal(w.nshed, 3);
	assert_int_equal(w.shed[0], 10);
	assert_int_equal(w.shed[1], 11);
	assert_int_equal(w.shed[2], 12);
	for (int i = 0; i < 5; i++)
		connguard_close(g, c[i]);
	/* Closed connections are forgotten: nothing left to shed. */
	w.now += 100;
	assert_int_equal(connguard_reap(g), 0);
	assert_int_equal(w.nshed, 3);
	connguard_free(g);
}

static void test_per_address_cap(void **state)
{
	(void)state;
	struct world w;
	struct connguard *g = guard(&w, 100, 3);
	struct connguard_conn *c[4];
	for (int i = 0; i < 3; i++)
		c[i] = connguard_open(g, 20 + i, key(1));
	assert_int_equal(w.nshed, 0);
	/* The fourth from the same address is refused at once... */
	c[3] = connguard_open(g, 23, key(1));
	assert_int_equal(w.nshed, 1);
	assert_int_equal(w.shed[0], 23);
	/* ...one from another address is not. */
	struct connguard_conn *other = connguard_open(g, 30, key(2));
	assert_int_equal(w.nshed, 1);
	struct connguard_stats st;
	connguard_stats(g, &st);
	assert_int_equal(st.addr_full, 1);
	assert_int_equal(st.live, 4);
	/* Once one closes, the address may connect again. */
	connguard_close(g, c[3]);
	connguard_close(g, c[0]);
	c[0] = connguard_open(g, 24, key(1));
	assert_int_equal(w.nshed, 1);
	for (int i = 0; i < 3; i++)
		connguard_close(g, c[i]);
	connguard_close(g, other);
	connguard_free(g);
}

/* A connection opened without a key (a trusted proxy's) is counted in
 * all but under no address: none of them is shed for the cap, and the
 * keyed ones keep theirs; the global limit still applies to all. */
static void test_no_key_no_cap(void **state)
{
	(void)state;
	struct world w;
	struct connguard *g = guard(&w, 8, 2);
	struct connguard_conn *c[6];
	for (int i = 0; i < 5; i++)
		c[i] = connguard_open(g, 40 + i, NULL);
	assert_int_equal(w.nshed, 0);
	struct connguard_conn *k[3];
	for (int i = 0; i < 3; i++)
		k[i] = connguard_open(g, 50 + i, key(7));
	assert_int_equal(w.nshed, 1);
	assert_int_equal(w.shed[0], 52);
	struct connguard_stats st;
	connguard_stats(g, &st);
	assert_int_equal(st.addr_full, 1);
	assert_int_equal(st.live, 7);
	/* Past max_conns, the oldest slow one goes, keyed or not. */
	c[5] = connguard_open(g, 45, NULL);
	connguard_stats(g, &st);
	assert_int_equal(st.live, 8);
	struct connguard_conn *more = connguard_open(g, 46, NULL);
	assert_int_equal(w.nshed, 2);
	assert_int_equal(w.shed[1], 40);
	for (int i = 0; i < 6; i++)
		connguard_close(g, c[i]);
	for (int i = 0; i < 3; i++)
		connguard_close(g, k[i]);
	connguard_close(g, more);
	connguard_stats(g, &st);
	assert_int_equal(st.open, 0);
	connguard_free(g);
}

/* When full, a new connection sheds the oldest one still sending its
 * head; requests being handled or answered are never shed for room. */
static void test_full_sheds_oldest_slow(void **state)
{
	(void)state;
	struct world w;
	struct connguard *g = guard(&w, 4, 100);
	struct connguard_conn *busy = connguard_open(g, 1, key(1));
	connguard_head_done(g, busy);
	w.now += 1;
	struct connguard_conn *slow1 = connguard_open(g, 2, key(2));
	w.now += 1;
	struct connguard_conn *answered = connguard_open(g, 3, key(3));
	connguard_head_done(g, answered);
	connguard_answered(g, answered);
	w.now += 1;
	struct connguard_conn *slow2 = connguard_open(g, 4, key(4));
	assert_int_equal(w.nshed, 0);
	w.now += 1;
	struct connguard_conn *fresh = connguard_open(g, 5, key(5));
	assert_int_equal(w.nshed, 1);
	assert_int_equal(w.shed[0], 2); /* slow1, the oldest slow one */
	w.now += 1;
	struct connguard_conn *fresh2 = connguard_open(g, 6, key(6));
	assert_int_equal(w.nshed, 2);
	assert_int_equal(w.shed[1], 4); /* then slow2 */
	/* fresh and fresh2 get their heads in; the next newcomer finds no
	 * slow one but itself. */
	connguard_head_done(g, fresh);
	connguard_head_done(g, fresh2);
	struct connguard_conn *late = connguard_open(g, 7, key(7));
	assert_int_equal(w.nshed, 3);
	assert_int_equal(w.shed[2], 7);
	struct connguard_stats st;
	connguard_stats(g, &st);
	assert_int_equal(st.crowded, 3);
	assert_int_equal(st.live, 4);
	assert_int_equal(st.open, 7);
	/* Shed ones are not shed again by their deadline. */
	w.now += 100;
	assert_int_equal(connguard_reap(g), 3); /* the three in their body */
	assert_int_equal(w.nshed, 6);
	struct connguard_conn *all[] = { busy,	slow1,	answered, slow2,
					 fresh, fresh2, late };
	for (size_t i = 0; i < sizeof(all) / sizeof(*all); i++)
		connguard_close(g, all[i]);
	connguard_stats(g, &st);
	assert_int_equal(st.open, 0);
	assert_int_equal(st.live, 0);
	connguard_free(g);
}

/* A kept-alive connection waiting for its next request is as slow as
 * one that never sent a head: it is shed by age like the others. */
static void test_kept_alive_counts_from_its_last_request(void **state)
{
	(void)state;
	struct world w;
	struct connguard *g = guard(&w, 2, 100);
	struct connguard_conn *a = connguard_open(g, 1, key(1));
	w.now += 1;
	struct connguard_conn *b = connguard_open(g, 2, key(2));
	w.now += 1;
	/* a finishes a request after b arrived: b is now the older. */
	connguard_head_done(g, a);
	connguard_answered(g, a);
	connguard_request_done(g, a);
	w.now += 1;
	struct connguard_conn *c = connguard_open(g, 3, key(3));
	assert_int_equal(w.nshed, 1);
	assert_int_equal(w.shed[0], 2);
	connguard_close(g, a);
	connguard_close(g, b);
	connguard_close(g, c);
	connguard_free(g);
}

static void test_no_limits(void **state)
{
	(void)state;
	struct world w;
	memset(&w, 0, sizeof(w));
	struct connguard_opts o = { .shed = record_shed,
				    .clock = fake_clock,
				    .cls = &w };
	struct connguard *g = connguard_new(&o);
	struct connguard_conn *c[50];
	for (int i = 0; i < 50; i++)
		c[i] = connguard_open(g, i, key(1));
	w.now += 1e6;
	assert_int_equal(connguard_reap(g), 0);
	assert_int_equal(w.nshed, 0);
	for (int i = 0; i < 50; i++)
		connguard_close(g, c[i]);
	connguard_free(g);
	connguard_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_head_deadline),
		cmocka_unit_test(test_request_phases),
		cmocka_unit_test(test_reap_oldest_only),
		cmocka_unit_test(test_per_address_cap),
		cmocka_unit_test(test_no_key_no_cap),
		cmocka_unit_test(test_full_sheds_oldest_slow),
		cmocka_unit_test(test_kept_alive_counts_from_its_last_request),
		cmocka_unit_test(test_no_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
