/*
 * strsort.c - strings sorted by a key made once: the first eight bytes as
 * one big-endian number (unsigned, as strcmp() compares them, with zeros
 * past the end), then the rest of the string, then the index.
 */
#include "strsort.h"
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct item {
	uint64_t prefix;
	const char *s;
	size_t at;
};

static int item_cmp(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	/* The same first eight bytes: a string that ends among them ends
	 * at the same place in the other, and they are equal. */
	if (memchr(x->s, '\0', 8) == NULL) {
		int c = strcmp(x->s + 8, y->s + 8);
		if (c)
			return c;
	}
	return x->at < y->at ? -1 : x->at > y->at;
}

static struct item *items_of(const char *const *v, size_t n)
{
	struct item *items = xmalloc((n ? n : 1) * sizeof(*items));
	for (size_t i = 0; i < n; i++) {
		const unsigned char *s = (const unsigned char *)v[i];
		uint64_t prefix = 0;
		size_t k = 0;
		for (; k < 8 && s[k]; k++)
			prefix = prefix << 8 | s[k];
		/* Left-aligned: "ab" before "abc" as "ab\0" before "abc". */
		if (k)
			prefix <<= 8 * (8 - k);
		items[i] = (struct item){ prefix, v[i], i };
	}
	qsort(items, n, sizeof(*items), item_cmp);
	return items;
}

void strsort_order(const char *const *v, size_t n, size_t *order)
{
	struct item *items = items_of(v, n);
	for (size_t i = 0; i < n; i++)
		order[i] = items[i].at;
	free(items);
}

void strsort(const char **v, size_t n)
{
	struct item *items = items_of(v, n);
	for (size_t i = 0; i < n; i++)
		v[i] = items[i].s;
	free(items);
}
