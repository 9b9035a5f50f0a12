/*
 * parsecache.h - the records of record files as the loader made them,
 * kept between builds in the site folder (PARSECACHE_NAME) and found by
 * the hash of the file's bytes, so that a build parses and loads only
 * the records that changed.
 *
 * A kept record is the loader's output alone: the checker still runs on
 * every record, so every diagnostic is what a load would give. Only
 * records whose parse and load gave no diagnostic are kept. The file is
 * made by one program (its own hash is in it); any other program's, and
 * a file damaged anywhere, is ignored.
 */
#ifndef CANCELATLAS_PARSECACHE_H
#define CANCELATLAS_PARSECACHE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "record.h"

/* The cache, at the top of a built site; a dot-file, never served. */
#define PARSECACHE_NAME ".cancelatlas-parsed"

struct parsecache;

/**
 * parsecache_open() - map DIR/PARSECACHE_NAME, made by the program whose
 * bytes hash to @program; with @dir NULL, an empty cache.
 * @note: set to why the file was ignored when it is damaged (nothing for
 *	  a missing file or another program's).
 *
 * Returns: a cache, empty when the file was absent or ignored; never NULL.
 */
struct parsecache *parsecache_open(const char *dir, uint64_t program,
				   struct buf *note);

/* parsecache_free() - release @pc; accepts NULL. */
void parsecache_free(struct parsecache *pc);

/**
 * parsecache_get() - the record of the file @file whose bytes hash to
 * @hash, made in @arena, and the entry marked as used. Safe from several
 * threads.
 *
 * Returns: the record, or NULL when there is none (or it is damaged).
 */
struct record *parsecache_get(struct parsecache *pc, uint64_t hash,
			      const char *file, struct arena *arena);

/* parsecache_damaged() - how many records parsecache_get() found damaged
 * (and so did not give). */
size_t parsecache_damaged(const struct parsecache *pc);

/* parsecache_put() - keep the record @r of the file whose bytes hash to
 * @hash. Safe from several threads. */
void parsecache_put(struct parsecache *pc, uint64_t hash,
		    const struct record *r);

/**
 * parsecache_save() - write DIR/PARSECACHE_NAME atomically with the
 * records used or put since parsecache_open(), sorted by hash (so that
 * the same records always give the same file), unless the file holds
 * them all but one in a hundred (records put or not used since it was
 * written): those few are loaded again by the builds until it is written.
 *
 * Returns: 0, or -1 with @err set.
 */
int parsecache_save(struct parsecache *pc, const char *dir, struct buf *err);

#endif
