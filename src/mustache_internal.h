/*
 * mustache_internal.h - what the files of the Mustache engine share: the
 * value tree's and the compiled template's layout, and the lookups the
 * renderer makes into values and partials. Not for use outside
 * mustache*.c; mustache.h is the interface.
 *
 *	mustache.c           templates compiled to a flat array of ops
 *	mustache_value.c     the value tree: scalars, lists, maps
 *	mustache_partials.c  the registry of named templates
 *	mustache_render.c    a compiled template rendered against values
 */
#ifndef CANCELATLAS_MUSTACHE_INTERNAL_H
#define CANCELATLAS_MUSTACHE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "hash.h"
#include "internal.h"
#include "mustache.h"

static inline bool bytes_eq(const char *a, const char *b, size_t n)
{
	return n == 0 || memcmp(a, b, n) == 0;
}

/* The hash of a name, folded to the 32 bits ops and map entries keep. */
static inline uint32_t mst_hash(const char *s, size_t n)
{
	uint64_t h = hash_bytes(s, n);
	return (uint32_t)(h ^ (h >> 32));
}

/* Grow an array of @size-byte elements so that one more fits. */
static inline void *array_grow(void *p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return p;
	size_t ncap = *cap ? *cap : 16;
	if (ncap > SIZE_MAX / 2 / size)
		return xrealloc(p, SIZE_MAX); /* aborts: out of memory */
	*cap = ncap * 2;
	return xrealloc(p, *cap * size);
}

static inline bool starts_with_eol(const char *s, size_t n)
{
	return (n >= 1 && s[0] == '\n') ||
	       (n >= 2 && s[0] == '\r' && s[1] == '\n');
}

/*
 * Values
 */

struct mst_entry {
	const char *key;
	size_t klen;
	uint32_t hash;
	const struct mst_value *val;
};

struct mst_value {
	enum mst_type type;
	union {
		bool b;
		/* Strings, and the printed form of numbers. */
		struct {
			const char *s;
			size_t len;
		} str;
		struct {
			const struct mst_value **items;
			size_t n, cap;
			struct arena *arena;
		} list;
		struct {
			struct mst_entry *ents;
			uint32_t *index; /* 2 * cap slots of entry + 1, or 0 */
			size_t n, cap;
			struct arena *arena;
		} map;
	} u;
};

/**
 * mst_map_find() - the entry of @key (@klen bytes, hashed by mst_hash()
 * to @hash) in map @m, or NULL.
 */
const struct mst_entry *mst_map_find(const struct mst_value *m, const char *key,
				     size_t klen, uint32_t hash);

/*
 * Compiled templates
 */

enum op_kind {
	OP_TEXT,
	OP_VAR, /* {{name}}, escaped */
	OP_RAW, /* {{{name}}} and {{&name}} */
	OP_SECTION,
	OP_INVERTED,
	OP_PARTIAL,
	OP_PARENT,
	OP_BLOCK,
	OP_INDENT, /* only the indentation of a line that starts here */
};

#define OPF_STANDALONE 1 /* partial, parent or block alone on its line */
#define OPF_DYNAMIC    2 /* {{>*name}}: the name is looked up in the data */
#define OPF_LINES      4 /* text with a line start after its first byte */

struct op {
	unsigned char kind;
	unsigned char flags;
	bool bol;		 /* begins a line: indentation comes first */
	unsigned line;		 /* of the tag, for messages */
	uint32_t hash;		 /* of the name */
	size_t end;		 /* ops with a body: the index just past it */
	size_t off, len;	 /* the text, or the tag's name, in the pool */
	size_t ind_off, ind_len; /* standalone: indentation, in the pool */
	size_t part, nparts;	 /* the parts of a dotted name */
};

struct part {
	size_t off, len;
	uint32_t hash;
};

struct mst_template {
	char *name;
	char *pool;
	struct op *ops;
	struct part *parts;
	size_t nops;
};

static inline bool op_has_body(const struct op *op)
{
	return op->kind == OP_SECTION || op->kind == OP_INVERTED ||
	       op->kind == OP_PARENT || op->kind == OP_BLOCK;
}

/*
 * Partials
 */

/**
 * mst_partials_get() - the template registered as the @len bytes at
 * @name (hashed to @hash), asking the loader once for an unknown name.
 * @out: set to the template, borrowed from @p, or NULL when there is none.
 *
 * Returns: 0, or -1 when the loader fails or its template does not
 * compile (the reason is appended to @err).
 */
int mst_partials_get(struct mst_partials *p, const char *name, size_t len,
		     uint32_t hash, struct buf *err,
		     const struct mst_template **out);

#endif
