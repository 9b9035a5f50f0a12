/*
 * sitefiles.h - a built site folder held in memory: every file by its URL
 * path, with its content type, strong ETag and compressed variants.
 */
#ifndef CANCELATLAS_SITEFILES_H
#define CANCELATLAS_SITEFILES_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* Longest URL path (after decoding) that can name a file. */
#define SITEFILES_PATH_MAX 1024

/* The encodings a file is kept in; identity always exists. */
enum sitefile_encoding {
	SITEFILE_IDENTITY,
	SITEFILE_GZIP,
	SITEFILE_BROTLI,
	SITEFILE_NENCODINGS,
};

/* One encoding of a file. @data is NULL when that variant is not kept
 * (it would not have been smaller, or the type does not compress). */
struct sitefile_variant {
	const unsigned char *data;
	size_t len;
	char etag[40]; /* quoted strong entity tag: "1f3a...-gz" */
};

/*
 * One file of the site, read-only once loaded. @path is its URL path
 * ("/c/coursera/index.html"); @type the Content-Type value with its
 * charset; @index its position, 0 to sitefiles_count() - 1, so callers can
 * keep per-file data in a parallel array.
 */
struct sitefile {
	const char *path;
	const char *type;
	bool compressible;
	size_t index;
	struct sitefile_variant v[SITEFILE_NENCODINGS];
};

struct sitefiles;

/* How hard to work at load time. Zero values pick the defaults. */
struct sitefiles_opts {
	unsigned threads;   /* compressing threads (default: online CPUs) */
	int gzip_level;	    /* 1-9 (default 6) */
	int brotli_quality; /* 0-11 (default 5) */
	/* No compressed variant at all: every file is sent as it is, and a
	 * load is mostly reading (serve --watch). */
	bool identity_only;
};

/**
 * sitefiles_load() - read every regular file under @dir into memory and
 * make its gzip and brotli variants, kept only where they are smaller.
 * @dir: the built site folder.
 * @opts: compression settings, or NULL for the defaults.
 * @out: set to the new table on success.
 * @err: receives the reason on failure.
 *
 * Symbolic links and anything that is not a regular file are skipped, so
 * nothing outside @dir is ever read. A file "X/index.html" is also found
 * as "/X/" (and "index.html" as "/").
 *
 * Returns: 0, or -1 with @err set. The table is freed with
 * sitefiles_free().
 */
int sitefiles_load(const char *dir, const struct sitefiles_opts *opts,
		   struct sitefiles **out, struct buf *err);

/* sitefiles_free() - release the table and every file; accepts NULL. */
void sitefiles_free(struct sitefiles *t);

/* sitefiles_count() - the number of files. */
size_t sitefiles_count(const struct sitefiles *t);

/* sitefiles_bytes() - the size of all files, uncompressed. */
size_t sitefiles_bytes(const struct sitefiles *t);

/* sitefiles_at() - file @i, 0 <= @i < sitefiles_count(). */
const struct sitefile *sitefiles_at(const struct sitefiles *t, size_t i);

/**
 * sitefiles_find() - the file served at URL path @path (already cleaned
 * by sitefiles_path_clean()).
 * @len: the length of @path.
 *
 * Returns: the file, borrowed from @t, or NULL.
 */
const struct sitefile *sitefiles_find(const struct sitefiles *t,
				      const char *path, size_t len);

/**
 * sitefiles_path_clean() - decode a request path and refuse every form of
 * escape: bad or encoded "%2f"/"%5c" separators, NUL and other control
 * bytes, backslashes, empty segments ("//"), "." and ".." segments in any
 * encoding, and anything longer than SITEFILES_PATH_MAX.
 * @raw: the path as it came in the request line, still percent-encoded,
 *       without the query string.
 * @out: receives the decoded path (reset first).
 *
 * Returns: 0 when @out holds a path that may be looked up, -1 when the
 * request must be refused.
 */
int sitefiles_path_clean(const char *raw, struct buf *out);

/**
 * sitefiles_content_type() - the Content-Type for a file name, by its
 * extension ("text/html; charset=utf-8", ...; application/octet-stream
 * when unknown).
 * @compressible: set to whether the type is text worth compressing; may
 *                be NULL.
 */
const char *sitefiles_content_type(const char *name, bool *compressible);

#endif
