/*
 * sitefiles.h - the index of a built site folder: every file by its URL
 * path, with its size, modification time, inode and content type, and
 * whether a compressed copy (FILE.gz, FILE.br) lies beside it. Contents
 * are not read here: sitecache.h serves them.
 */
#ifndef CANCELATLAS_SITEFILES_H
#define CANCELATLAS_SITEFILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "buf.h"

/* Longest URL path (after decoding) that can name a file. */
#define SITEFILES_PATH_MAX 1024

/* Size of a quoted entity tag with its NUL: "1f3a-17e2c6a1b0c4d2f8-gz". */
#define SITEFILE_ETAG_SIZE 48

/* The encodings a file may be sent in; identity always exists. */
enum sitefile_encoding {
	SITEFILE_IDENTITY,
	SITEFILE_GZIP,
	SITEFILE_BROTLI,
	SITEFILE_NENCODINGS,
};

/* Bits of sitefile.siblings: a compressed copy lies beside the file. */
#define SITEFILE_HAS_GZ (1u << SITEFILE_GZIP)
#define SITEFILE_HAS_BR (1u << SITEFILE_BROTLI)

/*
 * One file of the site as the folder was indexed. @path is its URL path
 * ("/c/coursera/index.html"); @type the Content-Type value with its
 * charset; @compressible whether the type is text worth compressing;
 * @size, @mtime_ns and @ino what fstatat() said; @siblings which of
 * FILE.gz and FILE.br lie beside it, no older than it; @index its position,
 * 0 to sitefiles_count() - 1 (UINT32_MAX in a lazy index).
 */
struct sitefile {
	const char *path;
	const char *type;
	uint64_t size;
	int64_t mtime_ns;
	uint64_t ino;
	uint32_t index;
	uint16_t path_len;
	bool compressible;
	uint8_t siblings;
};

struct sitefiles;

/**
 * sitefiles_load() - index every regular file under @dir, without reading
 * any: one arena of paths and a hash table.
 * @dir: the built site folder.
 * @out: set to the new index on success.
 * @err: receives the reason on failure.
 *
 * Symbolic links, anything that is not a regular file or a folder, and
 * every name starting with "." (the build's marks and manifests) are
 * skipped, so nothing outside @dir and nothing hidden is ever served. A
 * file "X.gz" or "X.br" beside a file "X" is not a file of its own but
 * X's compressed copy (kept only when not older than X). A file
 * "X/index.html" is also found as "/X/" (and "index.html" as "/").
 *
 * Returns: 0, or -1 with @err set. The index is freed with
 * sitefiles_free().
 */
int sitefiles_load(const char *dir, struct sitefiles **out, struct buf *err);

/**
 * sitefiles_lazy() - an index of @dir that has walked nothing: each file
 * is looked up on the disk, by the walk's rules, when sitefiles_find()
 * is first asked for it, and then kept. It serves a large folder at once
 * while sitefiles_load() walks it (900,000 files take seconds); a path
 * that names no file costs a few system calls each time it is asked for.
 * @dir: the built site folder.
 * @out: set to the new index on success.
 * @err: receives the reason on failure.
 *
 * Its sitefiles_count() and sitefiles_bytes() are 0: it knows nothing of
 * the folder as a whole.
 *
 * Returns: 0, or -1 with @err set.
 */
int sitefiles_lazy(const char *dir, struct sitefiles **out, struct buf *err);

/* sitefiles_walked() - whether @t holds every file (not sitefiles_lazy()). */
bool sitefiles_walked(const struct sitefiles *t);

/**
 * sitefiles_update() - the index of the same folder after some of its
 * files were written or removed: @old's files, with each named in
 * @changed looked at again.
 * @old: the index as it was; left as it is, and still usable.
 * @changed: paths relative to the folder ("c/x/index.html"), of files
 *           written or removed since @old was made; a compressed copy
 *           ("X.gz") counts for X. Hidden and unreachable names are
 *           ignored, as sitefiles_load() would.
 * @n: the number of paths.
 * @out: set to the new index on success.
 * @err: receives the reason on failure.
 *
 * The result is what sitefiles_load() would make of the folder now,
 * provided nothing else in it changed, in time linear in @old's files
 * rather than in the folder's names: a one-record rebuild is served
 * without walking 180,000 files again. The update of a lazy index is a
 * new lazy index.
 *
 * Returns: 0, or -1 with @err set.
 */
int sitefiles_update(const struct sitefiles *old, const char *const *changed,
		     size_t n, struct sitefiles **out, struct buf *err);

/* sitefiles_free() - release the index; accepts NULL. */
void sitefiles_free(struct sitefiles *t);

/* sitefiles_count() - the number of files. */
size_t sitefiles_count(const struct sitefiles *t);

/* sitefiles_bytes() - the size of all files, uncompressed. */
size_t sitefiles_bytes(const struct sitefiles *t);

/* sitefiles_memory() - bytes the index itself holds, roughly. */
size_t sitefiles_memory(const struct sitefiles *t);

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
 * sitefiles_open() - open file @f of @t for reading, or its compressed
 * copy beside it (@e SITEFILE_GZIP: "X.gz", SITEFILE_BROTLI: "X.br").
 * @st: receives fstat() of what was opened, so that what is sent and the
 *      ETag made from @st always agree even when the file was replaced
 *      since it was indexed.
 *
 * The file is opened beneath the folder indexed, without following any
 * symbolic link; when that folder has been replaced as a whole since
 * (a rebuild swaps folders), the file of the same name in the folder now
 * at that path is opened instead.
 *
 * Returns: the descriptor (O_CLOEXEC), or -1 with errno set.
 */
int sitefiles_open(const struct sitefiles *t, const struct sitefile *f,
		   enum sitefile_encoding e, struct stat *st);

/**
 * sitefile_etag() - the strong entity tag of a file of @size bytes last
 * modified at @mtime_ns, in encoding @e: "SIZE-MTIME" in hex, with "-gz"
 * or "-br" for a compressed variant. It is the same across restarts
 * while the file is not rewritten. @out holds SITEFILE_ETAG_SIZE bytes.
 */
void sitefile_etag(uint64_t size, int64_t mtime_ns, enum sitefile_encoding e,
		   char *out);

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
