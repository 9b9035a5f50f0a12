/*
 * utf8.h - strict UTF-8 decoding (RFC 3629: no overlongs, no surrogates,
 * nothing above U+10FFFF).
 */
#ifndef CANCELATLAS_UTF8_H
#define CANCELATLAS_UTF8_H

#include <stddef.h>
#include <stdint.h>

/**
 * utf8_decode() - decode the code point at the start of @s.
 * @s: the bytes.
 * @len: how many bytes are available (at least 1).
 * @cp: where to store the code point.
 *
 * Returns: the length of the sequence (1-4), or 0 if it is not valid UTF-8.
 */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/**
 * utf8_check() - find the first invalid byte in @s.
 *
 * Returns: the offset of the first invalid sequence, or @len when all of
 * @s is valid.
 */
size_t utf8_check(const char *s, size_t len);

/* utf8_chars() - the number of code points in @len valid bytes of @s. */
size_t utf8_chars(const char *s, size_t len);

#endif
