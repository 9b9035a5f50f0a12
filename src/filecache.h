/*
 * filecache.h - ready responses for files of the site, kept in memory
 * within a byte budget and evicted by CLOCK, shared by every serving
 * thread (sitecache.c fills it).
 */
#ifndef CANCELATLAS_FILECACHE_H
#define CANCELATLAS_FILECACHE_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sitefiles.h"

/* What an entry is charged besides its body: the response and headers. */
#define FILECACHE_OVERHEAD 1024

/* What an entry stands for: one variant of one version of one file. A
 * file rewritten on disk has another inode, size or time, so another
 * key: an entry is never served for bytes it does not hold. */
struct filecache_key {
	uint64_t path; /* hash of the URL path */
	uint64_t ino;
	uint64_t size;
	int64_t mtime_ns;
	uint32_t variant; /* the encoding, and which kind of answer */
};

/*
 * One kept response. @ok is the full answer, its body @len bytes in
 * memory, with ETag @etag; NULL marks a variant found not worth keeping
 * (not smaller, or too big), so it is not tried again. @nm, the 304 for
 * the same tag, is made by the first request that needs it (under the
 * cache's lock, like every use of an entry). The other fields are the
 * cache's.
 */
struct filecache_entry {
	struct MHD_Response *ok;
	struct MHD_Response *nm;
	size_t len;
	char etag[SITEFILE_ETAG_SIZE];
	struct filecache_key key;
	size_t charge;
	struct filecache_entry *next; /* in its bucket */
	size_t ring;		      /* its place in the CLOCK ring */
	bool used;		      /* CLOCK's reference bit */
};

/* Called with an entry under the cache's lock: queue its response (which
 * the cache keeps), fill @e->nm if needed. Its result is passed back. */
typedef int (*filecache_fn)(void *arg, struct filecache_entry *e);

struct filecache_stats {
	size_t budget;	 /* bytes */
	size_t bytes;	 /* charged now */
	size_t peak;	 /* most ever charged */
	size_t entries;	 /* now */
	uint64_t hits;	 /* lookups that found an entry */
	uint64_t misses; /* lookups that did not */
	uint64_t evictions;
};

struct filecache;

/**
 * filecache_new() - an empty cache that keeps at most @budget bytes of
 * bodies plus FILECACHE_OVERHEAD an entry.
 */
struct filecache *filecache_new(size_t budget);

/* filecache_free() - destroy every kept response; accepts NULL. */
void filecache_free(struct filecache *c);

/* filecache_max_entry() - the largest body worth keeping: an eighth of
 * the budget, so that one file never sweeps the cache. */
size_t filecache_max_entry(const struct filecache *c);

/**
 * filecache_use() - find the entry of @k and call @fn on it.
 * @ret: receives @fn's result.
 *
 * Returns: whether the entry was there (@fn was called).
 */
bool filecache_use(struct filecache *c, const struct filecache_key *k,
		   filecache_fn fn, void *arg, int *ret);

/**
 * filecache_put() - keep @ok (a response of @len body bytes with tag
 * @etag, or NULL for a variant not worth keeping) as the entry of @k,
 * evicting others to stay in the budget, and call @fn on the entry.
 * @ok: taken (the cache destroys it when evicted). When another thread
 * put @k first, @ok is destroyed and @fn gets that entry.
 * @ret: receives @fn's result.
 *
 * A body larger than filecache_max_entry() is refused by the caller's
 * check, not here.
 */
void filecache_put(struct filecache *c, const struct filecache_key *k,
		   struct MHD_Response *ok, size_t len, const char *etag,
		   filecache_fn fn, void *arg, int *ret);

/* filecache_stats() - the counters, at one moment. */
void filecache_stats(struct filecache *c, struct filecache_stats *st);

#endif
