/*
 * hash.c - FNV-1a, 64 bits: one exclusive or and one multiply per byte,
 * no state beyond the value, and spread enough for every table the
 * program keeps (names, ids, URLs, site paths, client addresses), so one
 * function serves them all. It is not made to resist keys chosen to
 * collide; the tables keyed by what clients send are bounded in size.
 */
#include "hash.h"

#define FNV_PRIME 0x100000001b3u

uint64_t hash_bytes_more(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * FNV_PRIME;
	return h;
}

uint64_t hash_bytes(const void *data, size_t len)
{
	return hash_bytes_more(HASH_INIT, data, len);
}

uint64_t hash_str(const char *s)
{
	uint64_t h = HASH_INIT;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		h = (h ^ *p) * FNV_PRIME;
	return h;
}
