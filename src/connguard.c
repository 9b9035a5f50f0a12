/*
 * connguard.c - the server's bookkeeping of its connections, to close
 * those that would otherwise shut everyone else out.
 *
 * libmicrohttpd's idle timeout counts idle time only: a client sending
 * one header line every few seconds keeps its connection forever, and a
 * few thousand such fill the server. Each connection here is in one
 * state: waiting for its request head, in its body (head done, no answer
 * yet), answered, or shed. The first two are lists ordered by when the
 * connection entered the state, so the expired ones and the oldest slow
 * one are at their fronts: every operation is O(1), and a reap is O(shed).
 * Addresses are counted in a small chained hash table. Shedding calls
 * shutdown(), never close(): the server still owns the socket and closes
 * it when it reads the end; it tells us first (connguard_close), under
 * the same lock, so a socket is never shut after its number was reused.
 */
#include "connguard.h"
#include "hash.h"
#include "internal.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define ADDR_BUCKETS 4096

enum guard_state {
	GUARD_NEW, /* not yet in a state */
	GUARD_HEAD,
	GUARD_BODY,
	GUARD_ANSWERED,
	GUARD_SHED,
};

struct guard_list {
	struct connguard_conn *first, *last;
};

struct addr_count {
	unsigned char key[16];
	size_t n;
	struct addr_count *next;
};

struct connguard_conn {
	struct connguard_conn *prev, *next; /* in the list of its state */
	struct addr_count *addr;
	int fd;
	enum guard_state state;
	double since; /* when it entered the state */
};

struct connguard {
	pthread_mutex_t lock;
	struct connguard_opts o;
	struct guard_list head, body; /* oldest first */
	struct connguard_stats st;
	struct addr_count *addrs[ADDR_BUCKETS];
};

static double monotonic_seconds(void *cls)
{
	(void)cls;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void shutdown_socket(void *cls, int fd)
{
	(void)cls;
	shutdown(fd, SHUT_RDWR);
}

struct connguard *connguard_new(const struct connguard_opts *o)
{
	struct connguard *g = xcalloc(1, sizeof(*g));
	g->o = *o;
	if (!g->o.shed)
		g->o.shed = shutdown_socket;
	if (!g->o.clock)
		g->o.clock = monotonic_seconds;
	pthread_mutex_init(&g->lock, NULL);
	return g;
}

void connguard_free(struct connguard *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < ADDR_BUCKETS; i++) {
		while (g->addrs[i]) {
			struct addr_count *a = g->addrs[i];
			g->addrs[i] = a->next;
			free(a);
		}
	}
	pthread_mutex_destroy(&g->lock);
	free(g);
}

/* ---- lists and addresses ----------------------------------------------- */

static struct guard_list *list_of(struct connguard *g, enum guard_state s)
{
	return s == GUARD_HEAD ? &g->head : s == GUARD_BODY ? &g->body : NULL;
}

static void list_remove(struct connguard *g, struct connguard_conn *c)
{
	struct guard_list *l = list_of(g, c->state);
	if (!l)
		return;
	if (c->prev)
		c->prev->next = c->next;
	else
		l->first = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		l->last = c->prev;
	c->prev = c->next = NULL;
}

/* Move @c to state @s, entered @now: at the end of its list, which
 * stays in order since the clock only goes forward. */
static void enter(struct connguard *g, struct connguard_conn *c,
		  enum guard_state s, double now)
{
	list_remove(g, c);
	c->state = s;
	c->since = now;
	struct guard_list *l = list_of(g, s);
	if (!l)
		return;
	c->prev = l->last;
	if (l->last)
		l->last->next = c;
	else
		l->first = c;
	l->last = c;
}

static size_t addr_hash(const unsigned char key[16])
{
	return (size_t)(hash_bytes(key, 16) & (ADDR_BUCKETS - 1));
}

static struct addr_count *addr_take(struct connguard *g,
				    const unsigned char key[16])
{
	struct addr_count **pp = &g->addrs[addr_hash(key)];
	for (struct addr_count *a = *pp; a; a = a->next)
		if (!memcmp(a->key, key, 16)) {
			a->n++;
			return a;
		}
	struct addr_count *a = xcalloc(1, sizeof(*a));
	memcpy(a->key, key, 16);
	a->n = 1;
	a->next = *pp;
	*pp = a;
	return a;
}

static void addr_release(struct connguard *g, struct addr_count *a)
{
	if (--a->n)
		return;
	struct addr_count **pp = &g->addrs[addr_hash(a->key)];
	while (*pp != a)
		pp = &(*pp)->next;
	*pp = a->next;
	free(a);
}

/* ---- shedding ---------------------------------------------------------- */

static void shed(struct connguard *g, struct connguard_conn *c, size_t *why)
{
	list_remove(g, c);
	c->state = GUARD_SHED;
	g->st.live--;
	(*why)++;
	g->o.shed(g->o.cls, c->fd);
}

/* Shed the oldest connections still sending a head while too many are
 * live: slow ones are cheap to lose and the client can reconnect, and
 * the oldest has had the most time already. */
static void make_room(struct connguard *g)
{
	while (g->st.live > g->o.max_conns && g->head.first)
		shed(g, g->head.first, &g->st.crowded);
}

/* Shed from the front of @l every connection in it since @deadline. */
static size_t expire(struct connguard *g, struct guard_list *l, double deadline,
		     size_t *why)
{
	size_t n = 0;
	while (l->first && l->first->since <= deadline) {
		shed(g, l->first, why);
		n++;
	}
	return n;
}

/* ---- the public calls -------------------------------------------------- */

struct connguard_conn *connguard_open(struct connguard *g, int fd,
				      const unsigned char key[16])
{
	struct connguard_conn *c = xcalloc(1, sizeof(*c));
	c->fd = fd;
	pthread_mutex_lock(&g->lock);
	double now = g->o.clock(g->o.cls);
	c->addr = key ? addr_take(g, key) : NULL;
	g->st.open++;
	g->st.live++;
	enter(g, c, GUARD_HEAD, now);
	if (g->o.per_addr && c->addr && c->addr->n > g->o.per_addr)
		shed(g, c, &g->st.addr_full);
	else if (g->o.max_conns)
		make_room(g);
	pthread_mutex_unlock(&g->lock);
	return c;
}

void connguard_head_done(struct connguard *g, struct connguard_conn *c)
{
	pthread_mutex_lock(&g->lock);
	if (c->state == GUARD_HEAD)
		enter(g, c, GUARD_BODY, g->o.clock(g->o.cls));
	pthread_mutex_unlock(&g->lock);
}

void connguard_answered(struct connguard *g, struct connguard_conn *c)
{
	pthread_mutex_lock(&g->lock);
	if (c->state != GUARD_SHED)
		enter(g, c, GUARD_ANSWERED, 0);
	pthread_mutex_unlock(&g->lock);
}

void connguard_request_done(struct connguard *g, struct connguard_conn *c)
{
	pthread_mutex_lock(&g->lock);
	if (c->state != GUARD_SHED)
		enter(g, c, GUARD_HEAD, g->o.clock(g->o.cls));
	pthread_mutex_unlock(&g->lock);
}

void connguard_close(struct connguard *g, struct connguard_conn *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&g->lock);
	list_remove(g, c);
	if (c->state != GUARD_SHED)
		g->st.live--;
	g->st.open--;
	if (c->addr)
		addr_release(g, c->addr);
	pthread_mutex_unlock(&g->lock);
	free(c);
}

size_t connguard_reap(struct connguard *g)
{
	size_t n = 0;
	pthread_mutex_lock(&g->lock);
	double now = g->o.clock(g->o.cls);
	if (g->o.head_timeout > 0)
		n += expire(g, &g->head, now - g->o.head_timeout,
			    &g->st.head_late);
	if (g->o.body_timeout > 0)
		n += expire(g, &g->body, now - g->o.body_timeout,
			    &g->st.body_late);
	pthread_mutex_unlock(&g->lock);
	return n;
}

void connguard_stats(struct connguard *g, struct connguard_stats *st)
{
	pthread_mutex_lock(&g->lock);
	*st = g->st;
	pthread_mutex_unlock(&g->lock);
}
