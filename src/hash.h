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

#endif
