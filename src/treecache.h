/*
 * treecache.h - the parsed YAML trees of record files, kept between
 * builds in the site folder (TREECACHE_NAME) and found by the hash of
 * the file's bytes, so that a build parses only the records that changed.
 *
 * A tree is the parser's output alone: the loader and the checker still
 * run on every record, so every diagnostic is what a parse would give.
 * Only trees whose parse gave no diagnostic are kept. The file is made by
 * one program (its own hash is in it); any other program's, and a file
 * damaged anywhere, is ignored.
 */
#ifndef CANCELATLAS_TREECACHE_H
#define CANCELATLAS_TREECACHE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "ytree.h"

/* The cache, at the top of a built site; a dot-file, never served. */
#define TREECACHE_NAME ".cancelatlas-trees"

struct treecache;

/**
 * treecache_open() - map DIR/TREECACHE_NAME, made by the program whose
 * bytes hash to @program; with @dir NULL, an empty cache.
 * @note: set to why the file was ignored when it is damaged (nothing for
 *	  a missing file or another program's).
 *
 * Returns: a cache, empty when the file was absent or ignored; never NULL.
 */
struct treecache *treecache_open(const char *dir, uint64_t program,
				 struct buf *note);

/* treecache_free() - release @tc; accepts NULL. */
void treecache_free(struct treecache *tc);

/**
 * treecache_get() - the tree of the file whose bytes hash to @hash, made
 * in @arena, and the entry marked as used. Safe from several threads.
 *
 * Returns: the root, or NULL when there is none (or it is damaged).
 */
struct ytree_node *treecache_get(struct treecache *tc, uint64_t hash,
				 struct arena *arena);

/* treecache_damaged() - how many trees treecache_get() found damaged
 * (and so did not give). */
size_t treecache_damaged(const struct treecache *tc);

/* treecache_put() - keep the tree @root of the file whose bytes hash to
 * @hash. Safe from several threads. */
void treecache_put(struct treecache *tc, uint64_t hash,
		   const struct ytree_node *root);

/**
 * treecache_save() - write DIR/TREECACHE_NAME atomically with the trees
 * used or put since treecache_open(), sorted by hash (so that the same
 * records always give the same file), unless the file holds them all
 * but one in a hundred (trees put or not used since it was written):
 * those few are parsed again by the builds until it is written.
 *
 * Returns: 0, or -1 with @err set.
 */
int treecache_save(struct treecache *tc, const char *dir, struct buf *err);

#endif
