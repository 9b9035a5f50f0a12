/*
 * uri.h - a record's URL in RFC 3986 form.
 */
#ifndef CANCELATLAS_URI_H
#define CANCELATLAS_URI_H

#include <stdbool.h>

#include "buf.h"

/**
 * uri_put() - append an http(s) URL from a record in RFC 3986 form: bytes
 * a URI may not hold in that part (non-ASCII, spaces, a second '#', a '%'
 * that starts no escape) are percent-encoded, so the result passes any URI
 * check and still names the same resource.
 *
 * Returns: false only when @out's limit is reached.
 */
bool uri_put(struct buf *out, const char *url);

#endif
