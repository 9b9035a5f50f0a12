/*
 * hash.h - the hash every table of the program uses: 64-bit FNV-1a.
 */
#ifndef CANCELATLAS_HASH_H
#define CANCELATLAS_HASH_H

#include <stddef.h>
#include <stdint.h>

/* The value hash_bytes_more() starts from: FNV-1a's offset basis. */
#define HASH_INIT 0xcbf29ce484222325u

/**
 * hash_bytes_more() - go on hashing: @h (HASH_INIT, or what an earlier
 * call returned) over @len more bytes of @data, so that several parts
 * hash as if they were one string.
 */
uint64_t hash_bytes_more(uint64_t h, const void *data, size_t len);

/* hash_bytes() - the hash of @len bytes of @data. */
uint64_t hash_bytes(const void *data, size_t len);

/* hash_str() - the hash of the NUL-terminated string @s. */
uint64_t hash_str(const char *s);

/*
 * The hash of a file's contents, 32 bytes at a step in four independent
 * lanes: many times faster than FNV-1a over large files (pages, images,
 * the manifest), for telling whether a file's bytes changed. Fed in
 * pieces, it gives what the pieces joined would.
 */
#define HASH_LANES 4
#define HASH_BLOCK (8 * HASH_LANES)

struct hash_stream {
	uint64_t lane[HASH_LANES];
	uint64_t len;
	unsigned char tail[HASH_BLOCK];
	size_t ntail;
};

/* hash_stream_init() - start a content hash. */
void hash_stream_init(struct hash_stream *s);

/* hash_stream_put() - hash @len more bytes of @data. */
void hash_stream_put(struct hash_stream *s, const void *data, size_t len);

/* hash_stream_end() - the hash of everything put. */
uint64_t hash_stream_end(struct hash_stream *s);

/* hash_data() - the content hash of @len bytes at @data. */
uint64_t hash_data(const void *data, size_t len);

#endif
