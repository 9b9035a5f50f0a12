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
 *
 * A build killed half-way leaves its temporary folder behind. While a
 * build owns one (the new site, or the old one being deleted) it holds
 * BUILD_MARK, naming the process by pid, start time, pid namespace, boot
 * and host, so the next build removes exactly the leftovers whose build
 * is gone, and never a folder without the mark or one still in use.
 */
#define _GNU_SOURCE
#include "outdir.h"
#include "hash.h"
#include "internal.h"
#include "manifest.h"
#include "rmtree.h"
#include "safefile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

int (*outdir_fail_hook)(const char *op, const char *path);

/* In a folder a build owns until it is published or deleted; never in a
 * published site. */
#define BUILD_MARK ".cancelatlas-build"
/* A mark is one line of five short words; anything longer is no mark. */
#define BUILD_MARK_MAX 511

/* Which process a build is, as written in BUILD_MARK. */
struct owner {
	long pid;
	unsigned long long start; /* clock ticks after boot */
	char pidns[64];		  /* "pid:[4026531836]" */
	char boot[64];		  /* the boot's random id */
	char host[256];
};

struct outdir {
	char *final;
	char *tmp;
	bool previous; /* @final is a site a build wrote */
	struct owner me;
	size_t swept, swept_bytes; /* leftovers removed at the start */
	atomic_size_t files;
	atomic_size_t bytes;
	/* Kept by outdir_begin_site() builds; NULL for outdir_begin(). */
	struct manifest *old;  /* the previous build's, when whole */
	struct manifest *next; /* this build's */
	bool in_place;	       /* incremental: @tmp is @final */
	bool *kept;	       /* by group of @old, for outdir_keep() */
	/* An interrupted build's journal was found: files on disk may be
	 * newer than @old says. */
	bool interrupted;
	size_t site_group;    /* group "site" of @next */
	unsigned long serial; /* tells this writer's groups from others' */
	int lockfd;	      /* @final, locked while this build runs */
	/* Where outdir_commit() puts the path of the folder it replaced,
	 * left for outdir_delete_detached(); NULL: delete it at once. */
	struct buf *replaced;
	atomic_size_t written, same, site_written;
	atomic_ulong seq;     /* names temporary files in place */
	pthread_mutex_t lock; /* makes group "site" once; guards @undo */
	/* In place: each file replaced so far, and the hard link that
	 * keeps its previous version (NULL for a new file), so that a
	 * failed build puts the site back as it was. */
	struct undo {
		char *rel;
		char *backup;
	} * undo;
	size_t nundo, undocap;
};

/* The group a thread writes to: its writer's serial and group number. */
static _Thread_local unsigned long group_serial;
static _Thread_local size_t group_id;
static atomic_ulong serials;

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

/* The start time of process @pid (field 22 of /proc/PID/stat, after the
 * command name, which may hold spaces and parentheses); -1 when there is
 * no such process or it cannot be read. */
static int process_start(long pid, unsigned long long *start)
{
	char path[64], text[1024];
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	text[n] = '\0';
	const char *p = strrchr(text, ')');
	/* Fields 3 to 21 are skipped, 22 is read. */
	if (!p || sscanf(p + 1,
			 " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u "
			 "%*u %*d %*d %*d %*d %*d %*d %llu",
			 start) != 1)
		return -1;
	return 0;
}

/* The first line of the file @path into @out (empty when unreadable). */
static void read_line(const char *path, char *out, size_t size)
{
	out[0] = '\0';
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	if (!fgets(out, (int)size, f))
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	fclose(f);
}

/* This process as BUILD_MARK names it; -1 when something is unknown. */
static int owner_self(struct owner *me)
{
	memset(me, 0, sizeof(*me));
	me->pid = (long)getpid();
	ssize_t n =
		readlink("/proc/self/ns/pid", me->pidns, sizeof(me->pidns) - 1);
	me->pidns[n > 0 ? n : 0] = '\0';
	read_line("/proc/sys/kernel/random/boot_id", me->boot,
		  sizeof(me->boot));
	if (gethostname(me->host, sizeof(me->host) - 1) != 0)
		me->host[0] = '\0';
	/* The mark is read back word by word. */
	me->boot[strcspn(me->boot, " \t")] = '\0';
	me->host[strcspn(me->host, " \t\n")] = '\0';
	if (process_start(me->pid, &me->start) != 0 || !me->pidns[0] ||
	    !me->boot[0] || !me->host[0])
		return -1;
	return 0;
}

static int write_build_mark(const char *dir, const struct owner *me)
{
	struct buf p = BUF_INIT;
	buf_printf(&p, "%s/%s", dir, BUILD_MARK);
	FILE *f = fopen(p.data, "we");
	buf_free(&p);
	if (!f)
		return -1;
	fprintf(f, "pid %ld start %llu pidns %s boot %s host %s\n", me->pid,
		me->start, me->pidns[0] ? me->pidns : "-",
		me->boot[0] ? me->boot : "-", me->host[0] ? me->host : "-");
	return fclose(f);
}

/* The owner named by @dir's BUILD_MARK; -1 when it has none that can be
 * read whole. A link or anything but a small regular file is no mark. */
static int read_build_mark(const char *dir, struct owner *o)
{
	struct buf p = BUF_INIT, text = BUF_INIT;
	buf_printf(&p, "%s/%s", dir, BUILD_MARK);
	struct stat st;
	int rc = -1;
	if (safefile_read(AT_FDCWD, p.data, BUILD_MARK_MAX, &text, &st) ==
		    SAFEFILE_OK &&
	    text.len > 0) {
		memset(o, 0, sizeof(*o));
		rc = sscanf(text.data,
			    "pid %ld start %llu pidns %63s boot %63s host "
			    "%255s",
			    &o->pid, &o->start, o->pidns, o->boot, o->host) == 5
			     ? 0
			     : -1;
	}
	buf_free(&text);
	buf_free(&p);
	return rc;
}

/*
 * Whether the build @them that marked a folder is gone, as seen by @us:
 * on this host, either the machine has booted since, or in this boot and
 * pid namespace no process has its pid and start time (a pid reused by
 * another process does not keep it alive). Another host's or container's
 * build cannot be seen from here, so it is never taken for gone.
 */
static bool owner_gone(const struct owner *them, const struct owner *us)
{
	if (them->pid <= 0 || strcmp(them->host, us->host))
		return false;
	if (strcmp(them->boot, us->boot))
		return true;
	if (strcmp(them->pidns, us->pidns))
		return false;
	if (kill((pid_t)them->pid, 0) != 0 && errno == ESRCH)
		return true;
	unsigned long long start;
	return process_start(them->pid, &start) == 0 && start != them->start;
}

static _Thread_local size_t tree_bytes_sum;

static int add_bytes(const char *path, const struct stat *st, int flag,
		     struct FTW *ftw)
{
	(void)path;
	(void)ftw;
	if (flag == FTW_F && S_ISREG(st->st_mode))
		tree_bytes_sum += (size_t)st->st_size;
	return 0;
}

/* The bytes of the regular files under @path. */
static size_t tree_bytes(const char *path)
{
	tree_bytes_sum = 0;
	nftw(path, add_bytes, 32, FTW_PHYS);
	return tree_bytes_sum;
}

/* Delete a folder a build owns, its BUILD_MARK last, so that a build
 * killed while deleting it leaves a folder the next one still knows. */
static int remove_owned(const char *dir)
{
	if (rmtree_contents(dir, BUILD_MARK) != 0)
		return -1;
	struct buf p = BUF_INIT;
	buf_printf(&p, "%s/%s", dir, BUILD_MARK);
	int rc = unlink(p.data) == 0 || errno == ENOENT ? 0 : -1;
	buf_free(&p);
	return rc == 0 && rmdir(dir) == 0 ? 0 : -1;
}

/* Whether @name is @base.new-PID or @base.old-PID, the temporary names. */
static bool temporary_name(const char *name, const char *base, size_t blen)
{
	if (strncmp(name, base, blen) || (strncmp(name + blen, ".new-", 5) &&
					  strncmp(name + blen, ".old-", 5)))
		return false;
	const char *pid = name + blen + 5;
	return *pid && strspn(pid, "0123456789") == strlen(pid);
}

/*
 * Remove what builds of @o->final that are gone left beside it: folders
 * with a temporary name and BUILD_MARK, whose pid is their name's and
 * whose build owner_gone() says is gone. Counted in @o->swept.
 */
static void sweep_leftovers(struct outdir *o)
{
	const char *slash = strrchr(o->final, '/');
	const char *base = slash ? slash + 1 : o->final;
	char *parent = slash ? xstrndup(o->final, (size_t)(slash - o->final))
			     : xstrdup(".");
	if (slash == o->final) {
		free(parent);
		parent = xstrdup("/");
	}
	size_t blen = strlen(base);
	DIR *d = opendir(parent);
	if (!d) {
		free(parent);
		return;
	}
	struct buf path = BUF_INIT;
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (!temporary_name(e->d_name, base, blen))
			continue;
		buf_reset(&path);
		buf_printf(&path, "%s/%s", parent, e->d_name);
		struct stat st;
		struct owner them;
		if (lstat(path.data, &st) != 0 || !S_ISDIR(st.st_mode) ||
		    read_build_mark(path.data, &them) != 0 ||
		    them.pid != strtol(e->d_name + blen + 5, NULL, 10) ||
		    !owner_gone(&them, &o->me))
			continue;
		size_t bytes = tree_bytes(path.data);
		if (remove_owned(path.data) == 0) {
			o->swept++;
			o->swept_bytes += bytes;
		}
	}
	closedir(d);
	buf_free(&path);
	free(parent);
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
	o->lockfd = -1;
	o->site_group = SIZE_MAX;
	pthread_mutex_init(&o->lock, NULL);
	o->final = final;
	o->previous = previous;
	struct buf tmp = BUF_INIT;
	buf_printf(&tmp, "%s.new-%ld", final, (long)getpid());
	o->tmp = buf_detach(&tmp, NULL);
	/* Without knowing who we are, no one else's build can be judged. */
	if (owner_self(&o->me) == 0)
		sweep_leftovers(o);
	/* The parents of a new site folder are created as `mkdir -p` would. */
	for (char *p = o->tmp + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(o->tmp, 0755);
		*p = '/';
	}
	if (mkdir(o->tmp, 0755) != 0) {
		buf_printf(err, "cannot create %s: %s", o->tmp,
			   strerror(errno));
		free(o->final);
		free(o->tmp);
		free(o);
		return NULL;
	}
	if (write_build_mark(o->tmp, &o->me) != 0 || write_mark(o->tmp) != 0) {
		buf_printf(err, "cannot create %s: %s", o->tmp,
			   strerror(errno));
		outdir_abort(o);
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

/*
 * Write the @n pieces of a file to @fd in order, up to IOV_MAX at a time:
 * companies.json is two pieces a record, and a write(2) each cost more
 * than the rest of a one-record build.
 */
static int write_parts(int fd, const char *const *parts, const size_t *lens,
		       size_t n)
{
	struct iovec v[IOV_MAX];
	size_t i = 0, off = 0; /* the next byte: piece @i, from @off */
	while (i < n) {
		int k = 0;
		for (size_t j = i; j < n && k < IOV_MAX; j++) {
			size_t skip = j == i ? off : 0;
			if (lens[j] == skip)
				continue;
			v[k].iov_base = (void *)(parts[j] + skip);
			v[k++].iov_len = lens[j] - skip;
		}
		if (k == 0)
			break;
		ssize_t got = writev(fd, v, k);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			if (got == 0)
				errno = EIO;
			return -1;
		}
		/* Step past what was written, which may end mid-piece. */
		size_t left = (size_t)got;
		while (i < n && left >= lens[i] - off) {
			left -= lens[i] - off;
			i++;
			off = 0;
		}
		off += left;
	}
	return 0;
}

/* The group "site" of @next, made at its first use. */
static size_t site_group(struct outdir *o)
{
	pthread_mutex_lock(&o->lock);
	if (o->site_group == SIZE_MAX)
		o->site_group = manifest_add_group(o->next, "site", 0);
	size_t g = o->site_group;
	pthread_mutex_unlock(&o->lock);
	return g;
}

/* The group of @next the calling thread writes to. */
static size_t current_group(struct outdir *o)
{
	return group_serial == o->serial ? group_id : site_group(o);
}

static void note_file(struct outdir *o, const char *rel, uint64_t hash,
		      uint64_t size)
{
	if (o->next)
		manifest_add_file(o->next, current_group(o), rel, hash, size);
}

/* Write @rel in place: into a temporary file at the top of the site,
 * renamed over the old one. */
static int write_in_place(struct outdir *o, const char *rel,
			  const char *const *parts, const size_t *lens,
			  size_t n, struct buf *err)
{
	struct buf tmp = BUF_INIT, path = BUF_INIT;
	buf_printf(&tmp, "%s/.tmp-%ld-%lu", o->final, (long)getpid(),
		   (unsigned long)atomic_fetch_add(&o->seq, 1));
	buf_printf(&path, "%s/%s", o->final, rel);
	int fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int rc = fd < 0 ? -1 : injected("write", rel);
	if (rc == 0)
		rc = write_parts(fd, parts, lens, n);
	int saved = errno;
	if (fd >= 0 && close(fd) != 0 && rc == 0)
		rc = -1, saved = errno;
	if (rc == 0 && (rc = injected("rename", rel)) != 0)
		saved = errno;
	/* The previous version stays reachable until the commit. */
	char *backup = NULL;
	if (rc == 0) {
		struct buf b = BUF_INIT;
		buf_printf(&b, "%s/.bak-%ld-%lu", o->final, (long)getpid(),
			   (unsigned long)atomic_fetch_add(&o->seq, 1));
		if (link(path.data, b.data) == 0)
			backup = buf_detach(&b, NULL);
		else if (errno != ENOENT)
			rc = -1, saved = errno;
		buf_free(&b);
	}
	if (rc == 0) {
		pthread_mutex_lock(&o->lock);
		if (o->nundo == o->undocap) {
			o->undocap = o->undocap ? 2 * o->undocap : 64;
			o->undo = xrealloc(o->undo,
					   o->undocap * sizeof(*o->undo));
		}
		o->undo[o->nundo++] =
			(struct undo){ .rel = xstrdup(rel), .backup = backup };
		pthread_mutex_unlock(&o->lock);
	}
	if (rc == 0 && rename(tmp.data, path.data) != 0) {
		saved = errno;
		if (saved == ENOENT && make_parents(o, path.data) == 0)
			rc = rename(tmp.data, path.data);
		else
			rc = -1;
		if (rc != 0)
			saved = errno;
	}
	if (rc != 0) {
		buf_printf(err, "cannot write %s: %s", path.data,
			   strerror(saved));
		unlink(tmp.data);
	}
	buf_free(&tmp);
	buf_free(&path);
	return rc;
}

int outdir_write_parts(struct outdir *o, const char *rel,
		       const char *const *parts, const size_t *lens, size_t n,
		       struct buf *err)
{
	if (!safe_rel(rel)) {
		buf_printf(err, "refusing to write outside the site: %s", rel);
		return -1;
	}
	size_t total = 0;
	uint64_t hash = 0;
	if (o->next) {
		struct hash_stream hs;
		hash_stream_init(&hs);
		for (size_t i = 0; i < n; i++)
			hash_stream_put(&hs, parts[i], lens[i]);
		hash = hash_stream_end(&hs);
	}
	for (size_t i = 0; i < n; i++)
		total += lens[i];
	if (o->in_place) {
		const struct manifest_file *was =
			manifest_find_file(o->old, rel);
		/* After an interrupted build, the bytes on disk may not be
		 * the ones the manifest says: every file made is written. */
		if (was && !o->interrupted && was->hash == hash &&
		    was->size == total) {
			atomic_fetch_add(&o->same, 1);
		} else {
			if (write_in_place(o, rel, parts, lens, n, err) != 0)
				return -1;
			atomic_fetch_add(&o->written, 1);
			if (current_group(o) == o->site_group)
				atomic_fetch_add(&o->site_written, 1);
		}
		note_file(o, rel, hash, total);
		atomic_fetch_add(&o->files, 1);
		atomic_fetch_add(&o->bytes, total);
		return 0;
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
	if (rc == 0)
		rc = write_parts(fd, parts, lens, n);
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
	note_file(o, rel, hash, total);
	atomic_fetch_add(&o->files, 1);
	atomic_fetch_add(&o->bytes, total);
	return 0;
}

bool outdir_previous(const struct outdir *o, const char *rel, struct buf *path)
{
	buf_reset(path);
	if (!o->previous || !safe_rel(rel))
		return false;
	if (o->in_place && !manifest_find_file(o->old, rel))
		return false;
	buf_printf(path, "%s/%s", o->final, rel);
	return true;
}

/* The hash of the file at @from, which is @rel of the previous site:
 * from its manifest, or read. False when it cannot be read. */
static bool linked_hash(const struct outdir *o, const char *rel,
			const char *from, uint64_t *hash, uint64_t *size)
{
	const struct manifest_file *was =
		o->old && !o->interrupted ? manifest_find_file(o->old, rel)
					  : NULL;
	struct buf path = BUF_INIT;
	if (was && outdir_previous(o, rel, &path) && !strcmp(path.data, from)) {
		buf_free(&path);
		*hash = was->hash;
		*size = was->size;
		return true;
	}
	buf_free(&path);
	size_t len;
	char *data = safefile_read_all(from, &len);
	if (!data)
		return false;
	*hash = hash_data(data, len);
	*size = len;
	free(data);
	return true;
}

int outdir_link(struct outdir *o, const char *rel, const char *from)
{
	if (!safe_rel(rel))
		return -1;
	uint64_t hash = 0, size = 0;
	if (o->next && !linked_hash(o, rel, from, &hash, &size))
		return -1;
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", o->tmp, rel);
	if (o->in_place && !strcmp(path.data, from)) {
		/* The file is already where it goes. */
		buf_free(&path);
		atomic_fetch_add(&o->same, 1);
		note_file(o, rel, hash, size);
		atomic_fetch_add(&o->files, 1);
		atomic_fetch_add(&o->bytes, size);
		return 0;
	}
	if (o->in_place) {
		buf_free(&path);
		return -1; /* the caller writes it */
	}
	int rc = injected("write", rel);
	if (rc == 0) {
		rc = link(from, path.data);
		if (rc != 0 && errno == ENOENT &&
		    make_parents(o, path.data) == 0)
			rc = link(from, path.data);
	}
	struct stat st;
	if (rc == 0 && stat(path.data, &st) == 0) {
		note_file(o, rel, hash, size);
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

static void outdir_free(struct outdir *o)
{
	if (o->lockfd >= 0)
		close(o->lockfd);
	manifest_free(o->old);
	manifest_free(o->next);
	free(o->kept);
	for (size_t i = 0; i < o->nundo; i++) {
		free(o->undo[i].rel);
		free(o->undo[i].backup);
	}
	free(o->undo);
	pthread_mutex_destroy(&o->lock);
	free(o->final);
	free(o->tmp);
	free(o);
}

/* The mark of a build's own folder, in @dir or gone from it. */
static void build_mark_unlink(const char *dir)
{
	struct buf p = BUF_INIT;
	buf_printf(&p, "%s/%s", dir, BUILD_MARK);
	unlink(p.data);
	buf_free(&p);
}

int outdir_commit(struct outdir *o, struct buf *err)
{
	return outdir_commit_changes(o, NULL, NULL, err);
}

int outdir_commit_counts(struct outdir *o, struct outdir_counts *counts,
			 struct buf *err)
{
	return outdir_commit_changes(o, counts, NULL, err);
}

void outdir_changes_free(struct outdir_changes *c)
{
	for (size_t i = 0; i < c->nwritten; i++)
		free(c->written[i]);
	for (size_t i = 0; i < c->ndeleted; i++)
		free(c->deleted[i]);
	free(c->written);
	free(c->deleted);
	*c = (struct outdir_changes){ 0 };
}

static int commit_in_place(struct outdir *o, struct outdir_counts *counts,
			   struct outdir_changes *changes, struct buf *err);

void outdir_leave_replaced(struct outdir *o, struct buf *replaced)
{
	o->replaced = replaced;
	buf_reset(replaced);
}

/* The folder @dir that the new site replaced, marked as this build's:
 * deleted now, or left for outdir_delete_detached(). */
static void drop_replaced(struct outdir *o, const char *dir)
{
	if (o->replaced)
		buf_puts(o->replaced, dir);
	else
		remove_owned(dir);
}

/* How many threads this process runs (1 when it cannot be told: the
 * caller only forks on a clear answer, so unknown counts as many). */
static long thread_count(void)
{
	char line[128];
	long n = 0;
	FILE *f = fopen("/proc/self/status", "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Threads: %ld", &n) == 1)
			break;
	fclose(f);
	return n;
}

/*
 * The detached deleter, a grandchild of the build: takes @dir over as
 * @site.old-PID, marked with its own name, says so through @ready, then
 * lets go of everything the build had open (the site's lock, the
 * terminal, a pipe someone reads the build's output from) and deletes
 * the folder at a low priority. Never returns.
 */
static ATLAS_NORETURN void deleter_run(const char *dir, int ready)
{
	struct owner me;
	const char *suffix = strrchr(dir, '.');
	struct buf name = BUF_INIT;
	bool taken = false;
	if (suffix && owner_self(&me) == 0) {
		buf_printf(&name, "%.*s.old-%ld", (int)(suffix - dir), dir,
			   me.pid);
		taken = rename(dir, name.data) == 0;
	}
	if (taken) {
		/* Unmarked (a full disk), it still names the build, and a
		 * build after that one's end would delete it too: either
		 * way it goes. */
		(void)write_build_mark(name.data, &me);
		(void)!write(ready, "1", 1);
	}
	close(ready);
	if (!taken)
		_exit(1);
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (int fd = 0; fd < 3 && null >= 0; fd++)
		dup2(null, fd);
	closefrom(3);
	/* The user's next command comes first; the scheduler groups a new
	 * session on its own, so its group is lowered too. */
	setpriority(PRIO_PROCESS, 0, 10);
	int group = open("/proc/self/autogroup", O_WRONLY | O_CLOEXEC);
	if (group >= 0) {
		(void)!write(group, "10", 2);
		close(group);
	}
	_exit(injected("delete", name.data) == 0 && remove_owned(name.data) == 0
		      ? 0
		      : 1);
}

int outdir_delete_detached(const char *replaced)
{
	int ready[2];
	if (thread_count() != 1 || pipe(ready) != 0)
		return remove_owned(replaced);
	/* Nothing the build has yet to print may be printed twice. */
	fflush(NULL);
	pid_t child = fork();
	if (child == 0) {
		close(ready[0]);
		/* Out of the build's session, so that its terminal's
		 * hangup does not reach the deleter; then a grandchild,
		 * which no one need wait for. */
		setsid();
		pid_t grandchild = fork();
		if (grandchild == 0)
			deleter_run(replaced, ready[1]);
		_exit(grandchild > 0 ? 0 : 1);
	}
	close(ready[1]);
	char said = 0;
	if (child > 0) {
		while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
			;
		while (read(ready[0], &said, 1) < 0 && errno == EINTR)
			;
	}
	close(ready[0]);
	/* Not taken over (no child, or it could not rename the folder):
	 * the folder is still where it was, and still this build's. */
	return said == '1' ? 0 : remove_owned(replaced);
}

int outdir_commit_changes(struct outdir *o, struct outdir_counts *counts,
			  struct outdir_changes *changes, struct buf *err)
{
	if (changes)
		*changes = (struct outdir_changes){ 0 };
	if (o->in_place)
		return commit_in_place(o, counts, changes, err);
	if (counts)
		*counts = outdir_counts(o);
	if (changes)
		changes->swapped = true;
	if (o->next && manifest_save(o->next, o->tmp, err) != 0) {
		outdir_abort(o);
		return -1;
	}
	int rc = injected("rename", o->final);
	struct stat st;
	bool exists = lstat(o->final, &st) == 0;
	/* The site is published without it; were this build killed now,
	 * its folder would be left, but never a published site taken. */
	if (rc == 0)
		build_mark_unlink(o->tmp);
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
			if (rc == 0)
				write_build_mark(old.data, &o->me);
			if (rc == 0 && rename(o->tmp, o->final) != 0) {
				int saved = errno;
				build_mark_unlink(old.data);
				rename(old.data, o->final);
				errno = saved;
				rc = -1;
			}
			if (rc == 0)
				drop_replaced(o, old.data);
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
		write_build_mark(o->tmp, &o->me);
		remove_owned(o->tmp);
		outdir_free(o);
		return -1;
	}
	/* After an exchange the old site sits at the temporary name: it is
	 * this build's to delete now, and marked so first. */
	if (exists) {
		write_build_mark(o->tmp, &o->me);
		drop_replaced(o, o->tmp);
	}
	outdir_free(o);
	return 0;
}

static void remove_empty_parents(const char *dir, char *rel);

/*
 * Put back what a failed incremental build replaced: each previous
 * version renamed over its replacement, each new file deleted; then the
 * journal goes, since the site is as the manifest says. What cannot be
 * put back stays under the journal, for the next build to complete.
 */
static void roll_back(struct outdir *o)
{
	bool whole = true;
	struct buf path = BUF_INIT;
	for (size_t i = o->nundo; i-- > 0;) {
		buf_reset(&path);
		buf_printf(&path, "%s/%s", o->final, o->undo[i].rel);
		if (o->undo[i].backup) {
			if (rename(o->undo[i].backup, path.data) != 0)
				whole = false;
		} else if (unlink(path.data) != 0 && errno != ENOENT) {
			whole = false;
		} else {
			char *rel = xstrdup(o->undo[i].rel);
			remove_empty_parents(o->final, rel);
			free(rel);
		}
	}
	buf_free(&path);
	if (whole)
		manifest_journal_remove(o->final);
}

void outdir_abort(struct outdir *o)
{
	if (!o)
		return;
	if (o->in_place)
		roll_back(o);
	else
		remove_owned(o->tmp);
	outdir_free(o);
}

size_t outdir_swept(const struct outdir *o, size_t *bytes)
{
	*bytes = o->swept_bytes;
	return o->swept;
}

const char *outdir_dir(const struct outdir *o)
{
	return o->tmp;
}

size_t outdir_files(const struct outdir *o)
{
	return o->files;
}

size_t outdir_bytes(const struct outdir *o)
{
	return o->bytes;
}

/* ---- builds that keep a manifest ------------------------------------- */

bool outdir_incremental(const struct outdir *o)
{
	return o->in_place;
}

/* Remove the temporary files that writes in place killed half-way left
 * at the top of @dir. */
static void sweep_in_place(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		if (!strncmp(e->d_name, ".tmp-", 5) ||
		    !strncmp(e->d_name, ".bak-", 5) ||
		    /* safefile_replace()'s of the manifest, the journal,
		     * the stat cache */
		    (!strncmp(e->d_name, ".cancelatlas-", 13) &&
		     strstr(e->d_name, ".tmp-")))
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
}

/*
 * Whether the build of @o can be incremental; when not, why in @note.
 * Reads the previous manifest into @o->old, and completes what an
 * interrupted build left: its groups are forgotten, so rebuilt.
 */
static bool plan(struct outdir *o, const struct manifest *inputs, bool full,
		 struct manifest_preload *preload, struct buf *note)
{
	if (!o->previous) {
		manifest_preload_cancel(preload);
		buf_printf(note, "full build: %s holds no site yet", o->final);
		return false;
	}
	struct buf why = BUF_INIT, names = BUF_INIT;
	if (manifest_preload_finish(preload, o->final, &o->old, &why) != 0)
		o->old = NULL;
	long n = manifest_journal_read(o->final, &names);
	bool ok = true;
	o->interrupted = n != -1;
	if (n != -1) {
		buf_printf(note,
			   "the last build of %s was interrupted before it "
			   "finished; ",
			   o->final);
		if (full || !o->old || n < 0)
			buf_puts(note,
				 "this full build replaces its site whole");
		else
			buf_printf(note,
				   "the %ld group%s of files it was replacing "
				   "are rebuilt now",
				   n, n == 1 ? "" : "s");
		buf_putc(note, '\n');
		ok = n >= 0;
		for (const char *p = names.data; ok && p && n-- > 0;
		     p += strlen(p) + 1)
			manifest_forget_group(o->old, p);
	}
	const char *changed = NULL;
	if (full)
		ok = false;
	else if (!o->old) {
		buf_printf(note, "full build: %s\n", why.data);
		ok = false;
	} else if (ok && (changed = manifest_changed_input(o->old, inputs))) {
		buf_printf(note,
			   "full build: %s changed since the last build\n",
			   changed);
		ok = false;
	}
	buf_free(&why);
	buf_free(&names);
	return ok;
}

struct outdir *outdir_begin_site(const char *path, struct manifest *inputs,
				 struct manifest_preload *preload, bool full,
				 struct buf *note, struct buf *err)
{
	char *final = folder_name(path, err);
	bool previous;
	if (!final || !replaceable(final, &previous, err)) {
		free(final);
		manifest_free(inputs);
		manifest_preload_cancel(preload);
		return NULL;
	}
	int lockfd = -1;
	if (previous) {
		/* One build of a site at a time: the next one waits. */
		lockfd = open(final, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (lockfd >= 0)
			flock(lockfd, LOCK_EX);
	}
	struct outdir *o = xcalloc(1, sizeof(*o));
	pthread_mutex_init(&o->lock, NULL);
	o->lockfd = lockfd;
	o->final = final;
	o->previous = previous;
	o->next = inputs;
	o->serial = atomic_fetch_add(&serials, 1) + 1;
	o->site_group = SIZE_MAX;
	if (plan(o, inputs, full, preload, note)) {
		o->in_place = true;
		o->tmp = xstrdup(final);
		size_t ng = manifest_groups(
			o->old, &(const struct manifest_group *){ NULL });
		o->kept = xcalloc(ng ? ng : 1, sizeof(*o->kept));
		/* Nearly what the last build made, not grown a step at a
		 * time. */
		size_t nf = manifest_files(
			o->old, &(const struct manifest_file *){ NULL });
		manifest_reserve(o->next, ng + ng / 16 + 16, nf + nf / 16 + 64);
		sweep_in_place(final);
		owner_self(&o->me);
		return o;
	}
	/* A full build: the new folder beside the old one, as
	 * outdir_begin(). */
	struct outdir *f = outdir_begin(path, err);
	if (!f) {
		outdir_free(o);
		return NULL;
	}
	f->lockfd = o->lockfd;
	f->interrupted = o->interrupted;
	f->old = o->old;
	f->next = o->next;
	f->serial = o->serial;
	f->site_group = o->site_group;
	o->lockfd = -1;
	o->old = o->next = NULL;
	outdir_free(o);
	return f;
}

bool outdir_keep(struct outdir *o, const char *group, uint64_t key)
{
	if (!o->in_place || !key)
		return false;
	const struct manifest_group *g = manifest_find_group(o->old, group);
	if (!g || g->key != key)
		return false;
	const struct manifest_group *all;
	manifest_groups(o->old, &all);
	o->kept[g - all] = true;
	size_t id = manifest_copy_group(o->next, o->old, g);
	if (!strcmp(group, "site")) {
		pthread_mutex_lock(&o->lock);
		o->site_group = id;
		pthread_mutex_unlock(&o->lock);
	}
	atomic_fetch_add(&o->files, g->n);
	return true;
}

uint64_t outdir_kept_key(const struct outdir *o, const char *group)
{
	if (!o->in_place || o->interrupted)
		return 0;
	const struct manifest_group *g = manifest_find_group(o->old, group);
	return g ? g->key : 0;
}

bool outdir_keep_file(struct outdir *o, const char *rel)
{
	if (!o->in_place || o->interrupted)
		return false;
	const struct manifest_file *was = manifest_find_file(o->old, rel);
	if (!was)
		return false;
	atomic_fetch_add(&o->same, 1);
	note_file(o, rel, was->hash, was->size);
	atomic_fetch_add(&o->files, 1);
	atomic_fetch_add(&o->bytes, was->size);
	return true;
}

void outdir_group(struct outdir *o, const char *group, uint64_t key)
{
	group_serial = o->serial;
	if (!o->next) {
		group_id = 0;
		return;
	}
	if (!strcmp(group, "site")) {
		group_id = site_group(o);
		manifest_set_key(o->next, group_id, key);
	} else {
		group_id = manifest_add_group(o->next, group, key);
	}
}

int outdir_journal(struct outdir *o, const char *const *names, size_t n,
		   struct buf *err)
{
	if (!o->in_place)
		return 0;
	const struct manifest_group *g;
	size_t ng = manifest_groups(o->old, &g);
	const char **all = xmalloc((n + ng + 1) * sizeof(*all));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		all[k++] = names[i];
	for (size_t i = 0; i < ng; i++)
		if (!o->kept[i] && !manifest_find_group(o->next, g[i].name))
			all[k++] = g[i].name;
	int rc = 0;
	/* A build that keeps everything replaces nothing. */
	if (k)
		rc = manifest_journal_write(o->final, all, k, err);
	free(all);
	return rc;
}

struct outdir_counts outdir_counts(const struct outdir *o)
{
	return (struct outdir_counts){ .written = o->written,
				       .same = o->same,
				       .site_written = o->site_written };
}

/* Remove the folders of @rel's path under @dir that are left empty. */
static void remove_empty_parents(const char *dir, char *rel)
{
	for (char *slash; (slash = strrchr(rel, '/')) != NULL;) {
		*slash = '\0';
		struct buf p = BUF_INIT;
		buf_printf(&p, "%s/%s", dir, rel);
		int rc = rmdir(p.data);
		buf_free(&p);
		if (rc != 0)
			break;
	}
}

static int commit_in_place(struct outdir *o, struct outdir_counts *counts,
			   struct outdir_changes *changes, struct buf *err)
{
	size_t deleted = 0;
	char **gone = NULL;
	int rc = 0;
	/*
	 * Only the files written this time, those of the groups not copied
	 * from the last manifest, are looked at: a copied group's files are
	 * the last build's, each at a path of its own. A written file must
	 * not have the path of another, or of a kept group's file; a file
	 * of a group not kept that was not written again is deleted.
	 */
	struct manifest *fresh = manifest_new();
	size_t fresh_group = manifest_add_group(fresh, "written", 0);
	const struct manifest_group *ng;
	manifest_groups(o->next, &ng);
	const struct manifest_file *nf;
	size_t nnf = manifest_files(o->next, &nf);
	for (size_t i = 0; i < nnf; i++)
		if (!ng[nf[i].group].copied)
			manifest_add_file(fresh, fresh_group, nf[i].path, 0, 0);
	bool unique = manifest_index(fresh);
	const struct manifest_file *f;
	size_t nfresh = manifest_files(fresh, &f);
	for (size_t i = 0; i < nfresh && unique; i++) {
		const struct manifest_file *was =
			manifest_find_file(o->old, f[i].path);
		unique = !was || !o->kept[was->group];
	}
	if (!unique) {
		buf_printf(err, "two files of the build have one path");
		rc = -1;
	}
	size_t nf_old = manifest_files(o->old, &f);
	struct buf path = BUF_INIT;
	for (size_t i = 0; i < nf_old && rc == 0; i++) {
		if (o->kept[f[i].group] || manifest_find_file(fresh, f[i].path))
			continue;
		buf_reset(&path);
		buf_printf(&path, "%s/%s", o->final, f[i].path);
		if (unlink(path.data) != 0 && errno != ENOENT) {
			buf_printf(err, "cannot delete %s: %s", path.data,
				   strerror(errno));
			rc = -1;
			break;
		}
		if (changes) {
			gone = xrealloc(gone, (deleted + 1) * sizeof(*gone));
			gone[deleted] = xstrdup(f[i].path);
		}
		deleted++;
		char *rel = xstrdup(f[i].path);
		remove_empty_parents(o->final, rel);
		free(rel);
	}
	buf_free(&path);
	manifest_free(fresh);
	if (rc == 0)
		rc = manifest_save(o->next, o->final, err);
	for (size_t i = 0; rc == 0 && i < o->nundo; i++)
		if (o->undo[i].backup)
			unlink(o->undo[i].backup);
	if (rc == 0 && manifest_journal_remove(o->final) != 0) {
		buf_printf(err, "cannot delete %s/%s: %s", o->final,
			   MANIFEST_JOURNAL, strerror(errno));
		rc = -1;
	}
	if (counts) {
		*counts = outdir_counts(o);
		counts->deleted = deleted;
	}
	if (changes && rc == 0) {
		/* The files written are those the undo list could put back;
		 * it owns their paths until now. */
		changes->written = xmalloc((o->nundo ? o->nundo : 1) *
					   sizeof(*changes->written));
		for (size_t i = 0; i < o->nundo; i++) {
			changes->written[i] = o->undo[i].rel;
			o->undo[i].rel = NULL;
		}
		changes->nwritten = o->nundo;
		changes->deleted = gone;
		changes->ndeleted = deleted;
		gone = NULL;
	}
	for (size_t i = 0; gone && i < deleted; i++)
		free(gone[i]);
	free(gone);
	outdir_free(o);
	return rc;
}
