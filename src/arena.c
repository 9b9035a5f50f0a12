/*
 * arena.c - bump allocation in chained blocks, plus the process-wide
 * allocation wrappers of internal.h.
 *
 * A load or a build creates thousands of small strings and structs that all
 * live exactly as long as the whole job. Allocating them from large blocks
 * and freeing the blocks at the end is faster than malloc/free per object
 * and makes leaks structurally impossible. Requests larger than a quarter
 * of a block get a block of their own so big scalars waste nothing.
 */
#include "arena.h"
#include "internal.h"

#include <malloc.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define ARENA_BLOCK_SIZE (64 * 1024)
/*
 * An arena that has grown past HUGE_AFTER bytes takes blocks of
 * HUGE_BLOCK_SIZE, aligned so the kernel can back each with one huge
 * page: a load of 100,000 records touches some 250 MB of new memory,
 * and in a virtual machine a fault per 4 KiB page cost more than
 * copying the bytes into it.
 */
#define HUGE_BLOCK_SIZE (2 * 1024 * 1024)
#define HUGE_AFTER	(1024 * 1024)

struct arena_block {
	struct arena_block *next;
	size_t size;
	size_t used;
	alignas(max_align_t) unsigned char data[];
};

struct arena {
	struct arena_block *head;
	size_t bytes;
};

static ATLAS_NORETURN void out_of_memory(size_t size)
{
	fprintf(stderr, "cancelatlas: out of memory (%zu bytes)\n", size);
	abort();
}

/*
 * Allocations of BIG_ALLOCATION bytes or more (a manifest's lines, a
 * site's file list, a large file's bytes) are made of whole huge pages,
 * as arena blocks are: aligned to HUGE_BLOCK_SIZE, rounded up to a
 * multiple of it and advised for huge pages. Filled 4 KiB at a time, on
 * a virtual machine, memory costs a page fault of some 10 us per 4 KiB
 * (2.5 ms a MiB); in huge pages, some 0.1 ms a MiB.
 */
#define BIG_ALLOCATION (1024 * 1024)

static void *big_alloc(size_t size)
{
	size_t whole =
		(size + HUGE_BLOCK_SIZE - 1) & ~(size_t)(HUGE_BLOCK_SIZE - 1);
	void *p;
	if (whole < size || posix_memalign(&p, HUGE_BLOCK_SIZE, whole) != 0)
		out_of_memory(size);
	/* Only advice: where huge pages are off, small ones serve. */
	madvise(p, whole, MADV_HUGEPAGE);
	return p;
}

void *xmalloc(size_t size)
{
	if (size >= BIG_ALLOCATION)
		return big_alloc(size);
	void *p = malloc(size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		out_of_memory(SIZE_MAX);
	if (nmemb * size >= BIG_ALLOCATION)
		return memset(big_alloc(nmemb * size), 0, nmemb * size);
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		out_of_memory(nmemb * size);
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	if (size >= BIG_ALLOCATION) {
		/* Grown within its huge pages in place, else moved. */
		size_t have = ptr ? malloc_usable_size(ptr) : 0;
		if (have >= size &&
		    ((uintptr_t)ptr & (HUGE_BLOCK_SIZE - 1)) == 0)
			return ptr;
		void *p = big_alloc(size);
		if (ptr) {
			memcpy(p, ptr, have < size ? have : size);
			free(ptr);
		}
		return p;
	}
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

char *xstrndup(const char *s, size_t len)
{
	char *p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

struct arena *arena_new(void)
{
	return xcalloc(1, sizeof(struct arena));
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	for (struct arena_block *b = a->head, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

static struct arena_block *block_new(size_t size)
{
	if (size > SIZE_MAX - sizeof(struct arena_block))
		out_of_memory(size);
	struct arena_block *b = xmalloc(sizeof(*b) + size);
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

/* A block of HUGE_BLOCK_SIZE bytes in all, header included. */
static struct arena_block *huge_block_new(void)
{
	void *p;
	if (posix_memalign(&p, HUGE_BLOCK_SIZE, HUGE_BLOCK_SIZE) != 0)
		out_of_memory(HUGE_BLOCK_SIZE);
	/* Only advice: where huge pages are off, small ones serve. */
	madvise(p, HUGE_BLOCK_SIZE, MADV_HUGEPAGE);
	struct arena_block *b = p;
	b->next = NULL;
	b->size = HUGE_BLOCK_SIZE - sizeof(*b);
	b->used = 0;
	return b;
}

/* @size bytes aligned to @align (a power of two), not cleared. */
static void *bump(struct arena *a, size_t size, size_t align)
{
	if (size > SIZE_MAX - align)
		out_of_memory(size);
	struct arena_block *b = a->head;
	size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;
	if (!b || at > b->size || b->size - at < size) {
		if (size > ARENA_BLOCK_SIZE / 4) {
			/* A big request gets its own block behind the head so
			 * the head's free space stays usable. */
			struct arena_block *big = block_new(size);
			a->bytes += size;
			if (b) {
				big->next = b->next;
				b->next = big;
			} else {
				a->head = big;
			}
			big->used = size;
			return big->data;
		}
		b = a->bytes >= HUGE_AFTER ? huge_block_new()
					   : block_new(ARENA_BLOCK_SIZE);
		a->bytes += b->size;
		b->next = a->head;
		a->head = b;
		at = 0;
	}
	b->used = at + size;
	return b->data + at;
}

void *arena_alloc(struct arena *a, size_t size)
{
	void *p = bump(a, size, alignof(max_align_t));
	memset(p, 0, size);
	return p;
}

void *arena_array(struct arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		out_of_memory(SIZE_MAX);
	return arena_alloc(a, n * size);
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	if (len == SIZE_MAX)
		out_of_memory(len);
	/* Strings need no alignment, and no clearing before the copy. */
	char *p = bump(a, len + 1, 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

void arena_reset(struct arena *a)
{
	struct arena_block *keep = NULL;
	for (struct arena_block *b = a->head, *next; b; b = next) {
		next = b->next;
		if (!keep && b->size == ARENA_BLOCK_SIZE) {
			keep = b;
			continue;
		}
		free(b);
	}
	a->head = keep;
	a->bytes = 0;
	if (keep) {
		keep->next = NULL;
		keep->used = 0;
		a->bytes = keep->size;
	}
}

size_t arena_bytes(const struct arena *a)
{
	return a->bytes;
}
