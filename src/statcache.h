/*
 * statcache.h - what each record file's stat said when the last build
 * read it, and the hash of its bytes then, kept in the site folder
 * (STATCACHE_NAME) so that a build reads and hashes only the files whose
 * stat changed, as make and git trust an unchanged stat.
 */
#ifndef CANCELATLAS_STATCACHE_H
#define CANCELATLAS_STATCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "buf.h"

/* The cache, at the top of a built site; a dot-file, never served. */
#define STATCACHE_NAME ".cancelatlas-stat"

struct statcache;

/**
 * statcache_open() - start a build's cache: load DIR/STATCACHE_NAME as
 * the last build left it (nothing when @dir is NULL, the file is absent
 * or damaged: every file is then read), and note the time, before which
 * the files this build sees must have been changed to be trusted next
 * time. The checks keys kept are trusted only when the file was written
 * by the program whose bytes hash to @program, whose checks they are.
 *
 * Returns: the cache; never NULL. Release with statcache_free().
 */
struct statcache *statcache_open(const char *dir, uint64_t program);

/* statcache_free() - release @sc; accepts NULL. */
void statcache_free(struct statcache *sc);

/* statcache_files() - how many files the last build's cache holds. */
size_t statcache_files(const struct statcache *sc);

/**
 * statcache_lookup() - the hash of record file @name's bytes, when the
 * last build saw it with the stat @st has now (device, inode, size,
 * mtime and ctime to the nanosecond) and it had not been changed for a
 * while then (its mtime is older than the cache file's own, which is
 * set back from the time that build started by STATCACHE_MARGIN_NS, so
 * that a change in the same tick of a coarse clock is never missed).
 * @at: where @name was in the last build's list, most likely: the
 *	file's place in this build's sorted list.
 * @checked: set to the key of the checks its record passed with nothing
 *	     to say (statcache_set()), or 0.
 * Safe from several threads.
 *
 * Returns: true with *@hash and *@checked set, or false: read and hash
 * the file.
 */
bool statcache_lookup(const struct statcache *sc, size_t at, const char *name,
		      const struct stat *st, uint64_t *hash, uint64_t *checked);

/* statcache_reserve() - make room for the @n files this build lists;
 * call before statcache_set(). */
void statcache_reserve(struct statcache *sc, size_t n);

/* statcache_set() - file @i of this build is @name, seen with @st, its
 * bytes hashing to @hash, its record passing with nothing to say the
 * checks whose key is @checked (0 when it did not, or they did not run).
 * Safe from several threads for distinct @i. */
void statcache_set(struct statcache *sc, size_t i, const char *name,
		   const struct stat *st, uint64_t hash, uint64_t checked);

/**
 * statcache_save() - write DIR/STATCACHE_NAME atomically with the files
 * set since statcache_reserve(), its mtime the time statcache_open()
 * noted less STATCACHE_MARGIN_NS.
 *
 * Returns: 0, or -1 with @err set.
 */
int statcache_save(const struct statcache *sc, const char *dir,
		   struct buf *err);

/* A file changed this close to a build's start is read by the next. */
#define STATCACHE_MARGIN_NS 2000000000LL

#endif
