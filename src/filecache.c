/*
 * filecache.c - a byte-budgeted cache of ready responses for files.
 *
 * One mutex guards a chained hash table and a CLOCK ring of entries. A
 * lookup marks its entry used; room for a new entry is made first by
 * sweeping the ring, clearing the used marks and evicting the first entry
 * found unused, so what is asked for again stays and what was read once
 * goes. An entry's response is queued by the caller's function while the
 * lock is held (MHD_queue_response() takes its own reference on the
 * response), so eviction, which destroys the cache's reference under the
 * same lock, never frees a response between a lookup and its queueing;
 * a connection still sending an evicted response keeps it alive until it
 * is done, and the body is freed with the response.
 */
#include "filecache.h"
#include "hash.h"
#include "internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a remembered "not worth keeping" costs. */
#define NEGATIVE_CHARGE 128

struct filecache {
	pthread_mutex_t lock;
	size_t budget;
	size_t bytes, peak;
	struct filecache_entry **buckets;
	size_t nbuckets; /* a power of two */
	struct filecache_entry **ring;
	size_t n, cap;
	size_t hand;
	uint64_t hits, misses, evictions;
};

struct filecache *filecache_new(size_t budget)
{
	struct filecache *c = xcalloc(1, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
	c->budget = budget;
	c->nbuckets = 1024;
	c->buckets = xcalloc(c->nbuckets, sizeof(*c->buckets));
	return c;
}

static void entry_destroy(struct filecache_entry *e)
{
	if (e->ok)
		MHD_destroy_response(e->ok);
	if (e->nm)
		MHD_destroy_response(e->nm);
	free(e);
}

void filecache_free(struct filecache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		entry_destroy(c->ring[i]);
	free(c->ring);
	free(c->buckets);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

size_t filecache_max_entry(const struct filecache *c)
{
	return c->budget / 8;
}

static size_t key_hash(const struct filecache_key *k)
{
	uint64_t h = k->path ^ (k->ino * 0x9e3779b97f4a7c15u) ^
		     ((uint64_t)k->mtime_ns * 0xc2b2ae3d27d4eb4fu) ^
		     (k->size << 7) ^ k->variant;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9u;
	h ^= h >> 32;
	return (size_t)h;
}

static bool key_equal(const struct filecache_key *a,
		      const struct filecache_key *b)
{
	return a->path == b->path && a->ino == b->ino && a->size == b->size &&
	       a->mtime_ns == b->mtime_ns && a->variant == b->variant;
}

static struct filecache_entry **bucket_of(struct filecache *c,
					  const struct filecache_key *k)
{
	return &c->buckets[key_hash(k) & (c->nbuckets - 1)];
}

static struct filecache_entry *lookup(struct filecache *c,
				      const struct filecache_key *k)
{
	for (struct filecache_entry *e = *bucket_of(c, k); e; e = e->next)
		if (key_equal(&e->key, k))
			return e;
	return NULL;
}

static void grow_buckets(struct filecache *c)
{
	size_t old = c->nbuckets;
	struct filecache_entry **ob = c->buckets;
	c->nbuckets = old * 2;
	c->buckets = xcalloc(c->nbuckets, sizeof(*c->buckets));
	for (size_t i = 0; i < old; i++) {
		for (struct filecache_entry *e = ob[i], *next; e; e = next) {
			next = e->next;
			struct filecache_entry **b = bucket_of(c, &e->key);
			e->next = *b;
			*b = e;
		}
	}
	free(ob);
}

/* Remove the entry at ring position @i and destroy it. */
static void evict_at(struct filecache *c, size_t i)
{
	struct filecache_entry *e = c->ring[i];
	for (struct filecache_entry **p = bucket_of(c, &e->key); *p;
	     p = &(*p)->next) {
		if (*p == e) {
			*p = e->next;
			break;
		}
	}
	c->ring[i] = c->ring[--c->n];
	c->ring[i]->ring = i;
	c->bytes -= e->charge;
	c->evictions++;
	entry_destroy(e);
}

/* Evict until @charge more bytes fit in the budget. */
static void make_room(struct filecache *c, size_t charge)
{
	while (c->n && c->bytes + charge > c->budget) {
		if (c->hand >= c->n)
			c->hand = 0;
		struct filecache_entry *e = c->ring[c->hand];
		if (e->used) {
			e->used = false;
			c->hand++;
		} else {
			evict_at(c, c->hand);
		}
	}
}

bool filecache_use(struct filecache *c, const struct filecache_key *k,
		   filecache_fn fn, void *arg, int *ret)
{
	pthread_mutex_lock(&c->lock);
	struct filecache_entry *e = lookup(c, k);
	if (e) {
		c->hits++;
		e->used = true;
		*ret = fn(arg, e);
	} else {
		c->misses++;
	}
	pthread_mutex_unlock(&c->lock);
	return e != NULL;
}

void filecache_put(struct filecache *c, const struct filecache_key *k,
		   struct MHD_Response *ok, size_t len, const char *etag,
		   filecache_fn fn, void *arg, int *ret)
{
	pthread_mutex_lock(&c->lock);
	struct filecache_entry *e = lookup(c, k);
	if (e) {
		if (ok)
			MHD_destroy_response(ok);
		*ret = fn(arg, e);
		pthread_mutex_unlock(&c->lock);
		return;
	}
	size_t charge = ok ? len + FILECACHE_OVERHEAD : NEGATIVE_CHARGE;
	make_room(c, charge);
	e = xcalloc(1, sizeof(*e));
	e->ok = ok;
	e->len = len;
	snprintf(e->etag, sizeof(e->etag), "%s", etag ? etag : "");
	e->key = *k;
	e->charge = charge;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 1024;
		c->ring = xrealloc(c->ring, c->cap * sizeof(*c->ring));
	}
	e->ring = c->n;
	c->ring[c->n++] = e;
	if (c->n > c->nbuckets)
		grow_buckets(c);
	struct filecache_entry **b = bucket_of(c, k);
	e->next = *b;
	*b = e;
	c->bytes += charge;
	if (c->bytes > c->peak)
		c->peak = c->bytes;
	*ret = fn(arg, e);
	pthread_mutex_unlock(&c->lock);
}

void filecache_stats(struct filecache *c, struct filecache_stats *st)
{
	pthread_mutex_lock(&c->lock);
	*st = (struct filecache_stats){
		.budget = c->budget,
		.bytes = c->bytes,
		.peak = c->peak,
		.entries = c->n,
		.hits = c->hits,
		.misses = c->misses,
		.evictions = c->evictions,
	};
	pthread_mutex_unlock(&c->lock);
}
