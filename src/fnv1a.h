/*
 * fnv1a.h - the 64-bit FNV-1a hash of a run of bytes, for hash tables
 * keyed by short strings.
 */
#ifndef CANCELATLAS_FNV1A_H
#define CANCELATLAS_FNV1A_H

#include <stddef.h>
#include <stdint.h>

/**
 * fnv1a_hash() - the 64-bit FNV-1a hash of @len bytes at @data.
 * @data: the bytes (NUL bytes allowed); may be NULL when @len is 0.
 * @len: their number.
 *
 * Returns: the hash. Its low bits are what a table of 2^k slots uses.
 */
uint64_t fnv1a_hash(const void *data, size_t len);

#endif
