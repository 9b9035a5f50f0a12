/*
 * safefile.c - whole files read into memory, the one way the program
 * reads a file whole.
 *
 * A hostile file (one a pull request or another user controls) is
 * judged by the descriptor that was opened, so a file swapped for a link
 * between a check and the open is still refused; O_NONBLOCK keeps a FIFO
 * from hanging the open, and the read stops one byte past the limit. A
 * file the program trusts (a template, an asset, a cache it wrote) is
 * read the plain way, following links, with no limit.
 */
#include "safefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Append what @fd holds to @out, reading at most one byte past @max.
 * @expect is the size fstat() gave, or 0: a read asked for one byte more
 * that stops at that size has met the end of the file, with no read
 * more to learn it (a file of many thousands read, a syscall each).
 * Returns SAFEFILE_OK, SAFEFILE_TOO_LARGE with the first @max bytes kept,
 * or SAFEFILE_ERROR (errno) with what was read still in @out.
 */
static enum safefile_status read_fd(int fd, size_t max, size_t expect,
				    struct buf *out)
{
	size_t start = out->len;
	for (;;) {
		size_t have = out->len - start;
		size_t want = max + 1 - have;
		size_t step = expect > have ? expect - have + 1 : 65536;
		if (step < want)
			want = step;
		if (!buf_reserve(out, want)) {
			errno = EFBIG;
			return SAFEFILE_ERROR;
		}
		ssize_t got = read(fd, out->data + out->len, want);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			out->data[out->len] = '\0';
			return SAFEFILE_ERROR;
		}
		out->len += (size_t)got;
		out->data[out->len] = '\0';
		if (got == 0)
			return SAFEFILE_OK;
		if (out->len - start > max) {
			out->len = start + max;
			out->data[out->len] = '\0';
			return SAFEFILE_TOO_LARGE;
		}
		if (expect && out->len - start == expect && (size_t)got < want)
			return SAFEFILE_OK;
	}
}

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
	size_t start = out->len;
	enum safefile_status rc = SAFEFILE_OK;
	if (fstat(fd, st) != 0) {
		rc = SAFEFILE_ERROR;
	} else if (!S_ISREG(st->st_mode)) {
		rc = SAFEFILE_NOT_REGULAR;
	} else {
		rc = read_fd(fd, max, st->st_size > 0 ? (size_t)st->st_size : 0,
			     out);
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

char *safefile_read_all(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct buf b = BUF_INIT;
	struct stat st;
	size_t expect =
		fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0
			? (size_t)st.st_size
			: 0;
	enum safefile_status rc = read_fd(fd, SIZE_MAX - 1, expect, &b);
	int saved = errno;
	close(fd);
	if (rc != SAFEFILE_OK) {
		buf_free(&b);
		errno = saved ? saved : EIO;
		return NULL;
	}
	return buf_detach(&b, len);
}

int safefile_replace(const char *dir, const char *name, const struct buf *parts,
		     size_t n, const struct timespec *mtime, struct buf *err)
{
	struct buf tmp = BUF_INIT, path = BUF_INIT;
	buf_printf(&tmp, "%s/%s.tmp-%ld", dir, name, (long)getpid());
	buf_printf(&path, "%s/%s", dir, name);
	int fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int rc = fd < 0 ? -1 : 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *data = parts[i].data;
		size_t len = parts[i].len;
		while (rc == 0 && len) {
			ssize_t k = write(fd, data, len);
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0)
				rc = -1;
			else
				data += k, len -= (size_t)k;
		}
	}
	if (rc == 0 && mtime) {
		struct timespec times[2] = { *mtime, *mtime };
		rc = futimens(fd, times);
	}
	int saved = errno;
	if (fd >= 0 && close(fd) != 0 && rc == 0)
		rc = -1, saved = errno;
	if (rc == 0 && rename(tmp.data, path.data) != 0)
		rc = -1, saved = errno;
	if (rc != 0) {
		buf_printf(err, "cannot write %s: %s", path.data,
			   strerror(saved));
		if (fd >= 0)
			unlink(tmp.data);
	}
	buf_free(&tmp);
	buf_free(&path);
	return rc;
}
