/*
 * datafile.c - the files of a data folder, read as hostile input.
 *
 * A data folder comes from pull requests, so any of its files may be a
 * link to a secret, a FIFO that never ends or a file of gigabytes.
 * safefile_read() refuses each of those without blocking or reading past
 * the limit; this module adds the limit of the record format and says
 * in a diagnostic, with a stable code, why a file was not read.
 */
#include "datafile.h"
#include "buf.h"
#include "safefile.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <sys/stat.h>

/* What a file that is not a regular file is, for the message. */
static const char *file_kind(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFLNK:
		return "a symbolic link";
	case S_IFIFO:
		return "a FIFO";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	case S_IFSOCK:
		return "a socket";
	case S_IFDIR:
		return "a folder";
	default:
		return "of an unknown kind";
	}
}

static void refuse_kind(struct diag *d, const char *path, mode_t mode)
{
	diag_add(d, DIAG_NOT_REGULAR, path, 0, 0,
		 "not a regular file (%s); records, industries.yaml and "
		 "site.yaml must be regular files, so it was not read",
		 file_kind(mode));
}

static void refuse_size(struct diag *d, const char *path, const char *size)
{
	diag_add(d, DIAG_TOO_LARGE, path, 0, 0,
		 "too large (%s bytes); a file of the data folder may hold at "
		 "most 1 MiB (%zu bytes), and a record needs a few KiB",
		 size, DATAFILE_MAX);
}

int datafile_read_at(int dirfd, const char *name, const char *path,
		     struct diag *d, char **text, size_t *len)
{
	*text = NULL;
	*len = 0;
	struct buf b = BUF_INIT;
	struct stat st;
	char size[32];
	switch (safefile_read(dirfd, name, DATAFILE_MAX, &b, &st)) {
	case SAFEFILE_OK:
		*text = buf_detach(&b, len);
		return 0;
	case SAFEFILE_ERROR: {
		int saved = errno;
		buf_free(&b);
		errno = saved;
		return -1;
	}
	case SAFEFILE_NOT_REGULAR:
		refuse_kind(d, path, st.st_mode);
		break;
	case SAFEFILE_TOO_LARGE:
		if ((uintmax_t)st.st_size > DATAFILE_MAX)
			snprintf(size, sizeof(size), "%jd",
				 (intmax_t)st.st_size);
		else /* it grew while read, or says no size (/proc) */
			snprintf(size, sizeof(size), "more than %zu",
				 DATAFILE_MAX);
		refuse_size(d, path, size);
		break;
	}
	buf_free(&b);
	return -2;
}

int datafile_read(const char *path, struct diag *d, char **text, size_t *len)
{
	return datafile_read_at(AT_FDCWD, path, path, d, text, len);
}
