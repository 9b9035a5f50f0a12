/*
 * hash.c - FNV-1a, 64 bits: one exclusive or and one multiply per byte,
 * no state beyond the value, and spread enough for every table the
 * program keeps (names, ids, URLs, site paths, client addresses), so one
 * function serves them all. It is not made to resist keys chosen to
 * collide; the tables keyed by what clients send are bounded in size.
 */
#include "hash.h"

#include <string.h>

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

#define MIX_K1 0x9e3779b97f4a7c15u
#define MIX_K2 0xc2b2ae3d27d4eb4fu

static uint64_t mix_word(uint64_t h, uint64_t w)
{
	h ^= w * MIX_K1;
	h = (h << 31) | (h >> 33);
	return h * MIX_K2;
}

/* Four words of a block, one to each lane: the lanes' multiplies do not
 * wait on each other, so a block costs about what one word did. */
static void mix_block(uint64_t *lane, const unsigned char *p)
{
	for (size_t i = 0; i < HASH_LANES; i++) {
		uint64_t w;
		memcpy(&w, p + 8 * i, 8);
		lane[i] = mix_word(lane[i], w);
	}
}

void hash_stream_init(struct hash_stream *s)
{
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < HASH_LANES; i++)
		s->lane[i] = HASH_INIT + i * MIX_K1;
}

void hash_stream_put(struct hash_stream *s, const void *data, size_t len)
{
	const unsigned char *p = data;
	s->len += len;
	if (s->ntail) {
		size_t n = HASH_BLOCK - s->ntail;
		if (n > len)
			n = len;
		memcpy(s->tail + s->ntail, p, n);
		s->ntail += n;
		p += n;
		len -= n;
		if (s->ntail < HASH_BLOCK)
			return;
		mix_block(s->lane, s->tail);
		s->ntail = 0;
	}
	uint64_t lane[HASH_LANES];
	memcpy(lane, s->lane, sizeof(lane));
	for (; len >= HASH_BLOCK; p += HASH_BLOCK, len -= HASH_BLOCK)
		mix_block(lane, p);
	memcpy(s->lane, lane, sizeof(lane));
	memcpy(s->tail, p, len);
	s->ntail = len;
}

uint64_t hash_stream_end(struct hash_stream *s)
{
	memset(s->tail + s->ntail, 0, HASH_BLOCK - s->ntail);
	mix_block(s->lane, s->tail);
	uint64_t h = s->len;
	for (size_t i = 0; i < HASH_LANES; i++)
		h = mix_word(h, s->lane[i]);
	/* The finaliser of MurmurHash3: every input bit reaches every
	 * output bit. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdu;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53u;
	h ^= h >> 33;
	return h;
}

uint64_t hash_data(const void *data, size_t len)
{
	struct hash_stream s;
	hash_stream_init(&s);
	hash_stream_put(&s, data, len);
	return hash_stream_end(&s);
}
