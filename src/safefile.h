/*
 * safefile.h - read a whole file: one that may be hostile (only a
 * regular file, never through a symbolic link, never waiting on a FIFO or
 * a device, and never more than a limit, however large it is or grows
 * meanwhile), or one the program trusts.
 */
#ifndef CANCELATLAS_SAFEFILE_H
#define CANCELATLAS_SAFEFILE_H

#include <stddef.h>
#include <sys/stat.h>
#include <time.h>

#include "buf.h"

enum safefile_status {
	SAFEFILE_OK,
	SAFEFILE_ERROR,	      /* it could not be opened or read: errno */
	SAFEFILE_NOT_REGULAR, /* a link, FIFO, device, socket or folder */
	SAFEFILE_TOO_LARGE,   /* it holds more than the limit */
};

/**
 * safefile_read() - append the file @name (relative to the folder @dirfd,
 * or AT_FDCWD) to @out.
 * @max: the most bytes kept; one more is read to tell a larger file.
 * @st: its status: for SAFEFILE_NOT_REGULAR, its kind (st_mode), found
 * without opening a link; for SAFEFILE_TOO_LARGE, its size when known.
 *
 * Returns: SAFEFILE_OK with the whole file in @out; SAFEFILE_TOO_LARGE
 * with its first @max bytes in @out; otherwise nothing was kept.
 */
enum safefile_status safefile_read(int dirfd, const char *name, size_t max,
				   struct buf *out, struct stat *st);

/**
 * safefile_read_all() - read the whole of a file the program trusts: a
 * template, an asset, a file it wrote itself. Links are followed and
 * there is no limit; a file that may be hostile goes through
 * safefile_read() instead.
 * @path: the file.
 * @len: set to its length; may be NULL.
 *
 * Returns: a new NUL-terminated buffer, caller frees with free(); NULL
 * with errno set when the file cannot be read.
 */
char *safefile_read_all(const char *path, size_t *len);

/**
 * safefile_replace() - write the @n buffers of @parts, in order, to
 * DIR/NAME through a temporary file (DIR/NAME.tmp-PID) renamed over it,
 * so a reader or a crash sees the old file or the new one, never a mix.
 * @mtime: the new file's modification (and access) time, or NULL for now.
 * @err: receives "cannot write PATH: reason" on failure.
 *
 * Returns: 0, or -1 with @err set and no temporary file left.
 */
int safefile_replace(const char *dir, const char *name, const struct buf *parts,
		     size_t n, const struct timespec *mtime, struct buf *err);

#endif
