/*
 * histcache.h - what each commit did to the records, kept between runs so
 * that reading a record's history reads only commits not seen before.
 */
#ifndef CANCELATLAS_HISTCACHE_H
#define CANCELATLAS_HISTCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "histchange.h"
#include "method.h"

#define HISTCACHE_OID_LEN 20 /* bytes of a SHA-1 object id */

/* A tier's score as a version had it. */
struct histcache_score {
	int score;
	char grade;
	int levels[METHOD_MAX_DIMS];
};

/*
 * One record file a commit added ('A'), changed ('M') or renamed ('R',
 * from @old_id) against its first parent. @problem is set when that
 * version did not load; else @policy (and @flow when @has_flow) hold its
 * scores, and @changes what changed from the parent's version (or
 * "created" for 'A').
 */
struct histcache_entry {
	char status;
	const char *id;
	const char *old_id;
	unsigned char blob[HISTCACHE_OID_LEN];
	unsigned char old_blob[HISTCACHE_OID_LEN];
	const char *problem;
	struct histcache_score policy;
	bool has_flow;
	struct histcache_score flow;
	struct histchange *changes;
	size_t nchanges;
};

/*
 * A commit of first-parent history: its first parent, the records
 * folder's tree (all zero when the commit has none), its committer time
 * and the first line of its message, and the record files it touched.
 */
struct histcache_commit {
	unsigned char oid[HISTCACHE_OID_LEN];
	unsigned char parent[HISTCACHE_OID_LEN];
	bool has_parent;
	unsigned char records[HISTCACHE_OID_LEN];
	int64_t time;
	int offset; /* minutes east of UTC */
	const char *note;
	struct histcache_entry *entries;
	size_t nentries;
};

struct histcache;

/**
 * histcache_new() - an empty cache.
 * @key: what the cached results depend on (the methodology table, the
 *	 loader's version, the records folder's path); a file saved under
 *	 another key is not used. Copied.
 *
 * Returns: a new cache; release with histcache_free().
 */
struct histcache *histcache_new(const char *key);

/* histcache_free() - release the cache and every commit; accepts NULL. */
void histcache_free(struct histcache *c);

/**
 * histcache_load() - add the commits saved in @path. A missing file, one
 * saved under another key or one that cannot be parsed leaves the cache
 * empty: it is only a cache.
 *
 * Returns: the number of commits read.
 */
size_t histcache_load(struct histcache *c, const char *path);

/**
 * histcache_save() - write every commit to @path (through a temporary
 * file renamed over it), when any was added since the load.
 *
 * Returns: 0, or -1 when it could not be written (nothing is left half
 * written).
 */
int histcache_save(struct histcache *c, const char *path);

/* histcache_find() - the commit @oid, or NULL when it is not cached. */
const struct histcache_commit *
histcache_find(const struct histcache *c,
	       const unsigned char oid[HISTCACHE_OID_LEN]);

/**
 * histcache_add() - store @commit (copied) with @entries (its own arrays
 * of changes; strings must live in histcache_arena()).
 *
 * Returns: the stored commit.
 */
const struct histcache_commit *
histcache_add(struct histcache *c, const struct histcache_commit *commit,
	      const struct histcache_entry *entries, size_t nentries);

/* histcache_arena() - where the strings of added commits are to live. */
struct arena *histcache_arena(struct histcache *c);

/* histcache_count() - how many commits the cache holds. */
size_t histcache_count(const struct histcache *c);

#endif
