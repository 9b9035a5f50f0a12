/*
 * fnv1a.c - the 64-bit FNV-1a hash (Fowler, Noll, Vo): a byte at a time,
 * with no allocation and no table. It spreads short keys well enough for
 * the open-addressed tables of the site's files, the Mustache maps and the
 * importer's ids, which is all they ask of it.
 */
#include "fnv1a.h"

uint64_t fnv1a_hash(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3u;
	return h;
}
