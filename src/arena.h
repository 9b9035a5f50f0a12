/*
 * arena.h - region allocation: everything for one load or build comes from
 * one arena and is released at once with arena_free().
 */
#ifndef CANCELATLAS_ARENA_H
#define CANCELATLAS_ARENA_H

#include <stddef.h>

struct arena;

/**
 * arena_new() - create an empty arena.
 *
 * Returns: a new arena; release it with arena_free().
 */
struct arena *arena_new(void);

/**
 * arena_free() - release an arena and every block allocated from it.
 * @a: the arena, or NULL.
 */
void arena_free(struct arena *a);

/**
 * arena_alloc() - allocate @size zeroed bytes, aligned for any type.
 * @a: the arena that owns the memory.
 * @size: the number of bytes.
 *
 * Returns: memory owned by @a; never NULL.
 */
void *arena_alloc(struct arena *a, size_t size);

/**
 * arena_array() - allocate a zeroed array of @n elements of @size bytes,
 * refusing (by aborting) a product that overflows size_t.
 */
void *arena_array(struct arena *a, size_t n, size_t size);

/**
 * arena_strndup() - copy @len bytes of @s into the arena, NUL-terminated.
 *
 * Returns: the copy, owned by @a.
 */
char *arena_strndup(struct arena *a, const char *s, size_t len);

/* arena_strdup() - as arena_strndup() for a NUL-terminated string. */
char *arena_strdup(struct arena *a, const char *s);

/**
 * arena_reset() - forget every allocation but keep the first block, so a
 * request loop can reuse the memory without returning it to malloc.
 */
void arena_reset(struct arena *a);

/* arena_bytes() - total bytes of blocks the arena holds from malloc. */
size_t arena_bytes(const struct arena *a);

#endif
