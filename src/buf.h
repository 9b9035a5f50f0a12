/*
 * buf.h - the one growable byte buffer every output goes through.
 */
#ifndef CANCELATLAS_BUF_H
#define CANCELATLAS_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "internal.h"

/*
 * A buffer is a plain value: zero-initialise it (BUF_INIT) and it is empty.
 * @limit, when non-zero, caps @len: a write past it fails (returns false)
 * and leaves the buffer as it was, which bounds per-request memory.
 * @data is always NUL-terminated once anything has been written.
 */
struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t limit;
};

#define BUF_INIT                                                               \
	{                                                                      \
		NULL, 0, 0, 0                                                  \
	}

/* Writers return false only when @limit would be exceeded. */
bool buf_put(struct buf *b, const void *data, size_t len);
bool buf_puts(struct buf *b, const char *s);
bool buf_putc(struct buf *b, char c);
bool buf_printf(struct buf *b, const char *fmt, ...) ATLAS_PRINTF(2, 3);
bool buf_vprintf(struct buf *b, const char *fmt, va_list ap) ATLAS_PRINTF(2, 0);

/**
 * buf_put_grouped() - append @n in decimal with its thousands grouped by
 * commas, as the site writes counts: "12,345".
 */
bool buf_put_grouped(struct buf *b, size_t n);

/**
 * buf_reserve() - make room for @extra more bytes without writing them.
 *
 * Returns: false if that would exceed the buffer's limit.
 */
bool buf_reserve(struct buf *b, size_t extra);

/* buf_reset() - empty the buffer but keep its memory for reuse. */
void buf_reset(struct buf *b);

/**
 * buf_detach() - take the buffer's contents as a NUL-terminated string and
 * leave the buffer empty.
 * @len: where to store the length, or NULL.
 *
 * Returns: a new string (never NULL); caller frees with free().
 */
char *buf_detach(struct buf *b, size_t *len);

/* buf_free() - release the buffer's memory; the buffer is empty after. */
void buf_free(struct buf *b);

/* buf_cstr() - the contents as a NUL-terminated string ("" when empty). */
const char *buf_cstr(const struct buf *b);

#endif
