/*
 * ratelimit.c - how many writes an address may send: a token bucket per
 * client address, IPv6 counted by its /64, which one holder owns.
 *
 * The buckets live in one open-addressed table of RATE_SLOTS under a
 * mutex; a bucket that has refilled is the same as none, so when the
 * table is three-quarters full those are swept out. When that leaves no
 * room, every new address is refused for a minute rather than the table
 * grown (a flood of addresses must not cost memory) or someone's bucket
 * forgotten (which would refill it).
 */
#include "ratelimit.h"
#include "hash.h"
#include "internal.h"

#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Buckets of the rate limiter (addresses seen within a few minutes). */
#define RATE_SLOTS 16384

struct bucket {
	unsigned char key[16];
	bool used;
	double tokens;
	double last;
};

/* A token bucket per client address (IPv6 by /64): @burst writes at
 * once, refilled at @per_sec. */
struct ratelimit {
	pthread_mutex_t lock;
	struct bucket *v;
	size_t n;
	double per_sec;
	double burst;
};

struct ratelimit *ratelimit_new(int per_min)
{
	struct ratelimit *rl = xcalloc(1, sizeof(*rl));
	pthread_mutex_init(&rl->lock, NULL);
	rl->v = xcalloc(RATE_SLOTS, sizeof(*rl->v));
	if (per_min > 0) {
		rl->per_sec = per_min / 60.0;
		rl->burst = per_min;
	}
	return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
	if (!rl)
		return;
	free(rl->v);
	pthread_mutex_destroy(&rl->lock);
	free(rl);
}

static double monotonic(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void ratelimit_key(const struct sockaddr_storage *sa, unsigned char key[16])
{
	memset(key, 0, 16);
	if (sa->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;
		key[10] = key[11] = 0xff;
		memcpy(key + 12, &in->sin_addr, 4);
	} else if (sa->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;
		const unsigned char *a = in6->sin6_addr.s6_addr;
		/* A v4-mapped address is that v4 address; any other v6
		 * client is counted by its /64, which one holder owns. */
		static const unsigned char mapped[12] = {
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
		};
		memcpy(key, a, memcmp(a, mapped, 12) ? 8 : 16);
	}
}

static struct bucket *rate_slot(struct bucket *v, const unsigned char *key)
{
	for (size_t i = hash_bytes(key, 16) & (RATE_SLOTS - 1);;
	     i = (i + 1) & (RATE_SLOTS - 1))
		if (!v[i].used || !memcmp(v[i].key, key, 16))
			return &v[i];
}

/* Forget every address whose bucket has refilled: it is the same as a
 * new one. */
static void rate_sweep(struct ratelimit *rl, double now)
{
	struct bucket *old = rl->v;
	rl->v = xcalloc(RATE_SLOTS, sizeof(*rl->v));
	rl->n = 0;
	for (size_t i = 0; i < RATE_SLOTS; i++) {
		struct bucket *b = &old[i];
		if (!b->used ||
		    b->tokens + (now - b->last) * rl->per_sec >= rl->burst)
			continue;
		*rate_slot(rl->v, b->key) = *b;
		rl->n++;
	}
	free(old);
}

int ratelimit_take(struct ratelimit *rl, const struct sockaddr_storage *sa,
		   unsigned *retry)
{
	if (rl->per_sec <= 0)
		return 0;
	unsigned char key[16];
	ratelimit_key(sa, key);
	double now = monotonic();
	int rc = 0;
	pthread_mutex_lock(&rl->lock);
	struct bucket *b = rate_slot(rl->v, key);
	if (!b->used && rl->n >= RATE_SLOTS * 3 / 4) {
		rate_sweep(rl, now);
		b = rate_slot(rl->v, key);
	}
	if (!b->used && rl->n >= RATE_SLOTS * 3 / 4) {
		/* Too many busy addresses at once: refuse rather than grow
		 * or forget someone's bucket. */
		*retry = 60;
		rc = -1;
	} else {
		if (!b->used) {
			memcpy(b->key, key, 16);
			b->used = true;
			b->tokens = rl->burst;
			b->last = now;
			rl->n++;
		}
		b->tokens += (now - b->last) * rl->per_sec;
		if (b->tokens > rl->burst)
			b->tokens = rl->burst;
		b->last = now;
		if (b->tokens >= 1) {
			b->tokens -= 1;
		} else {
			*retry = (unsigned)ceil((1 - b->tokens) / rl->per_sec);
			rc = -1;
		}
	}
	pthread_mutex_unlock(&rl->lock);
	return rc;
}
