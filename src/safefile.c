/*
 * safefile.c - hostile files read safely. The type is checked on the
 * opened descriptor, so a file swapped for a link between a check and
 * the open is still refused; O_NONBLOCK keeps a FIFO from hanging the
 * open, and the read stops one byte past the limit.
 */
#include "safefile.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

enum safefile_status safefile_read(int dirfd, const char *name, size_t max,
				   struct buf *out, struct stat *st)
{
	int fd = openat(dirfd, name,
			O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
				O_CLOEXEC);
	if (fd < 0) {
		/* A link fails with ELOOP under O_NOFOLLOW, a socket with
		 * ENXIO: say what it is rather than why open failed. */
		int saved = errno;
		if ((saved == ELOOP || saved == ENXIO) &&
		    fstatat(dirfd, name, st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    !S_ISREG(st->st_mode))
			return SAFEFILE_NOT_REGULAR;
		errno = saved;
		return SAFEFILE_ERROR;
	}
	enum safefile_status rc = SAFEFILE_OK;
	if (fstat(fd, st) != 0)
		rc = SAFEFILE_ERROR;
	else if (!S_ISREG(st->st_mode))
		rc = SAFEFILE_NOT_REGULAR;
	else if (st->st_size > 0)
		buf_reserve(out, (size_t)st->st_size < max ? (size_t)st->st_size
							   : max);
	size_t start = out->len;
	char chunk[65536];
	while (rc == SAFEFILE_OK) {
		size_t want = max + 1 - (out->len - start);
		ssize_t got = read(fd, chunk,
				   want < sizeof(chunk) ? want : sizeof(chunk));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			if (got < 0)
				rc = SAFEFILE_ERROR;
			break;
		}
		buf_put(out, chunk, (size_t)got);
		if (out->len - start > max) {
			out->len = start + max;
			out->data[out->len] = '\0';
			rc = SAFEFILE_TOO_LARGE;
		}
	}
	int saved = errno;
	close(fd);
	if (rc == SAFEFILE_ERROR || rc == SAFEFILE_NOT_REGULAR) {
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
	}
	errno = saved;
	return rc;
}
