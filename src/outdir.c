/*
 * outdir.c - atomic replacement of a published folder.
 *
 * A build writes every file into a fresh sibling of the target and only
 * at the end swaps the two with renameat2(RENAME_EXCHANGE): readers and
 * web servers see either the whole old site or the whole new one, and a
 * build that fails at any point (bad data, a full disk, a template error)
 * leaves the last good site exactly as it was. Where the exchange is not
 * supported the old folder is first renamed aside, which leaves a moment
 * without a folder but never a half-written one.
 *
 * Replacing a folder deletes what was in it, so only a folder that a
 * build wrote (it holds OUTDIR_MARK) or an empty one is ever replaced:
 * `--out ~` or `--out .` is refused, not emptied.
 */
#define _GNU_SOURCE
#include "outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int (*outdir_fail_hook)(const char *op, const char *path);

struct outdir {
	char *final;
	char *tmp;
	bool previous; /* @final is a site a build wrote */
	atomic_size_t files;
	atomic_size_t bytes;
};

static int injected(const char *op, const char *path)
{
	if (outdir_fail_hook && outdir_fail_hook(op, path)) {
		errno = EIO;
		return -1;
	}
	return 0;
}

static int write_mark(const char *dir)
{
	struct buf p = BUF_INIT;
	buf_printf(&p, "%s/%s", dir, OUTDIR_MARK);
	FILE *f = fopen(p.data, "w");
	buf_free(&p);
	if (!f)
		return -1;
	fputs("Built by cancelatlas. Each build replaces this folder whole.\n",
	      f);
	return fclose(f);
}

/* Whether @path may be replaced whole: absent, an empty folder, or a
 * folder that holds the mark of a build (then *@marked is set). */
static bool replaceable(const char *path, bool *marked, struct buf *err)
{
	*marked = false;
	struct stat st;
	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return true;
		buf_printf(err, "cannot use %s: %s", path, strerror(errno));
		return false;
	}
	if (!S_ISDIR(st.st_mode)) {
		buf_printf(err, "%s exists and is not a folder", path);
		return false;
	}
	int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0 && faccessat(dfd, OUTDIR_MARK, F_OK, 0) == 0) {
		close(dfd);
		*marked = true;
		return true;
	}
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		buf_printf(err, "cannot read %s: %s", path, strerror(errno));
		return false;
	}
	bool empty = true;
	for (struct dirent *e; empty && (e = readdir(d)) != NULL;)
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	closedir(d);
	if (!empty)
		buf_printf(err,
			   "%s holds files that no build wrote (it has no "
			   "%s), and a build replaces its folder whole: "
			   "name a new or empty folder",
			   path, OUTDIR_MARK);
	return empty;
}

/* @path without trailing slashes ("site/" is "site"), so that the new
 * folder is made beside it, not inside it; NULL with @err set when it
 * names no folder of its own ("", "/", "." or ".."). */
static char *folder_name(const char *path, struct buf *err)
{
	size_t len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	const char *last = memrchr(path, '/', len);
	last = last ? last + 1 : path;
	size_t n = len - (size_t)(last - path);
	if (n == 0 || (n == 1 && last[0] == '.') ||
	    (n == 2 && last[0] == '.' && last[1] == '.')) {
		buf_printf(err,
			   "'%s' names no folder of its own: give the "
			   "site folder's own name",
			   path);
		return NULL;
	}
	return xstrndup(path, len);
}

struct outdir *outdir_begin(const char *path, struct buf *err)
{
	char *final = folder_name(path, err);
	bool previous;
	if (!final || !replaceable(final, &previous, err)) {
		free(final);
		return NULL;
	}
	struct outdir *o = xcalloc(1, sizeof(*o));
	o->final = final;
	o->previous = previous;
	struct buf tmp = BUF_INIT;
	buf_printf(&tmp, "%s.new-%ld", final, (long)getpid());
	o->tmp = buf_detach(&tmp, NULL);
	/* A previous build killed half-way may have left this name. */
	outdir_remove_tree(o->tmp);
	/* The parents of a new site folder are created as `mkdir -p` would. */
	for (char *p = o->tmp + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(o->tmp, 0755);
		*p = '/';
	}
	if (mkdir(o->tmp, 0755) != 0 || write_mark(o->tmp) != 0) {
		buf_printf(err, "cannot create %s: %s", o->tmp,
			   strerror(errno));
		outdir_remove_tree(o->tmp);
		free(o->final);
		free(o->tmp);
		free(o);
		return NULL;
	}
	return o;
}

static bool safe_rel(const char *rel)
{
	if (!*rel || rel[0] == '/')
		return false;
	for (const char *p = rel; *p;) {
		size_t seg = strcspn(p, "/");
		if (seg == 0 || (seg == 1 && p[0] == '.') ||
		    (seg == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		p += seg;
		if (*p)
			p++;
	}
	return true;
}

/* mkdir -p for the parents of @p, a full path under the folder. Another
 * thread may create the same folder at the same time: EEXIST is fine. */
static int make_parents(const struct outdir *o, char *p)
{
	size_t base = strlen(o->tmp);
	for (char *s = p + base + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		int rc = mkdir(p, 0755);
		int saved = errno;
		*s = '/';
		if (rc != 0 && saved != EEXIST) {
			errno = saved;
			return -1;
		}
	}
	return 0;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

int outdir_write_parts(struct outdir *o, const char *rel,
		       const char *const *parts, const size_t *lens, size_t n,
		       struct buf *err)
{
	if (!safe_rel(rel)) {
		buf_printf(err, "refusing to write outside the site: %s", rel);
		return -1;
	}
	/* Safe to call from several threads: no shared scratch. */
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", o->tmp, rel);
	int fd =
		open(path.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 && errno == ENOENT && make_parents(o, path.data) == 0)
		fd = open(path.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			  0644);
	int rc = fd < 0 ? -1 : 0;
	if (rc == 0)
		rc = injected("write", rel);
	size_t total = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = write_all(fd, parts[i], lens[i]);
		total += lens[i];
	}
	int saved = errno;
	if (fd >= 0 && close(fd) != 0 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	if (rc != 0) {
		buf_printf(err, "cannot write %s: %s", path.data,
			   strerror(saved));
		buf_free(&path);
		return -1;
	}
	buf_free(&path);
	atomic_fetch_add(&o->files, 1);
	atomic_fetch_add(&o->bytes, total);
	return 0;
}

bool outdir_previous(const struct outdir *o, const char *rel, struct buf *path)
{
	buf_reset(path);
	if (!o->previous || !safe_rel(rel))
		return false;
	buf_printf(path, "%s/%s", o->final, rel);
	return true;
}

int outdir_link(struct outdir *o, const char *rel, const char *from)
{
	if (!safe_rel(rel))
		return -1;
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", o->tmp, rel);
	int rc = injected("write", rel);
	if (rc == 0) {
		rc = link(from, path.data);
		if (rc != 0 && errno == ENOENT &&
		    make_parents(o, path.data) == 0)
			rc = link(from, path.data);
	}
	struct stat st;
	if (rc == 0 && stat(path.data, &st) == 0) {
		atomic_fetch_add(&o->files, 1);
		atomic_fetch_add(&o->bytes, (size_t)st.st_size);
	}
	buf_free(&path);
	return rc == 0 ? 0 : -1;
}

int outdir_write(struct outdir *o, const char *rel, const void *data,
		 size_t len, struct buf *err)
{
	const char *part = data;
	return outdir_write_parts(o, rel, &part, &len, 1, err);
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

int outdir_remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	return nftw(path, remove_entry, 32, FTW_DEPTH | FTW_PHYS);
}

static void outdir_free(struct outdir *o)
{
	free(o->final);
	free(o->tmp);
	free(o);
}

int outdir_commit(struct outdir *o, struct buf *err)
{
	int rc = injected("rename", o->final);
	struct stat st;
	bool exists = lstat(o->final, &st) == 0;
	if (rc == 0 && exists) {
		rc = renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->final,
			       RENAME_EXCHANGE);
		if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) {
			/* No exchange on this file system: move the old
			 * folder aside, then the new one in. */
			struct buf old = BUF_INIT;
			buf_printf(&old, "%s.old-%ld", o->final,
				   (long)getpid());
			rc = rename(o->final, old.data);
			if (rc == 0 && rename(o->tmp, o->final) != 0) {
				int saved = errno;
				rename(old.data, o->final);
				errno = saved;
				rc = -1;
			}
			if (rc == 0)
				outdir_remove_tree(old.data);
			buf_free(&old);
			if (rc == 0) {
				outdir_free(o);
				return 0;
			}
		}
	} else if (rc == 0) {
		rc = rename(o->tmp, o->final);
	}
	if (rc != 0) {
		buf_printf(err, "cannot put %s in place: %s", o->final,
			   strerror(errno));
		outdir_remove_tree(o->tmp);
		outdir_free(o);
		return -1;
	}
	/* After an exchange the old site sits at the temporary name. */
	if (exists)
		outdir_remove_tree(o->tmp);
	outdir_free(o);
	return 0;
}

void outdir_abort(struct outdir *o)
{
	if (!o)
		return;
	outdir_remove_tree(o->tmp);
	outdir_free(o);
}

size_t outdir_files(const struct outdir *o)
{
	return o->files;
}

size_t outdir_bytes(const struct outdir *o)
{
	return o->bytes;
}
