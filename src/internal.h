/*
 * internal.h - helpers shared by every module but not part of any public
 * interface: the allocation wrappers and a few attribute macros.
 */
#ifndef CANCELATLAS_INTERNAL_H
#define CANCELATLAS_INTERNAL_H

#include <stddef.h>

#define ATLAS_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define ATLAS_NORETURN		__attribute__((noreturn))
#define ATLAS_COUNT(a)		(sizeof(a) / sizeof((a)[0]))

/*
 * Allocation that cannot fail: on exhaustion these print a message and
 * abort, so callers never check for NULL. Results are freed with free().
 */
void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Returns a new copy of @s (or of its first @len bytes, NUL-terminated). */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t len);

#endif
