/*
 * statcache.c - the record files' stats and hashes kept between builds.
 *
 * The file, in the machine's own byte order (it never leaves the site's
 * machine, and one made elsewhere fails the order check):
 *
 *   head     magic "CASTAT02", 0x01020304, the count of entries, the
 *	      length of the names, the hash of the program that wrote it,
 *	      a hash of entries and names
 *   entries  per file, in name order: device, inode, size, the hash of
 *	      its bytes, mtime and ctime in nanoseconds, the key of the
 *	      checks its record passed with nothing to say (0: none), where
 *	      its name is
 *   names    each name and a NUL
 *
 * The file's own mtime is the time its build started, less a margin
 * (git's rule for racy timestamps, made safe for coarse clocks): an
 * entry whose file was changed later is not trusted. A damaged file is
 * ignored, and costs only reading every record again.
 */
#define _GNU_SOURCE
#include "statcache.h"
#include "hash.h"
#include "internal.h"
#include "safefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAGIC "CASTAT02"
#define ORDER 0x01020304u
/* Far more than any data folder's; a larger file is not ours. */
#define STATCACHE_MAX ((size_t)1 << 30)

struct head {
	char magic[8];
	uint32_t order;
	uint32_t zero;
	uint64_t count;
	uint64_t names_len;
	uint64_t program;
	uint64_t check;
};

struct entry {
	uint64_t dev, ino, size, hash;
	int64_t mtime, ctime;
	uint64_t checked;
	uint64_t name_off, name_len;
};

/* One file as this build saw it. */
struct seen {
	char *name; /* NULL when the file was not seen */
	struct entry e;
};

struct statcache {
	char *data; /* the last build's file, as read */
	const struct entry *old;
	size_t nold;
	const char *names;
	int64_t trusted_before; /* the file's mtime, in nanoseconds */
	int64_t started;	/* this build's start, in nanoseconds */
	uint64_t program;	/* the running program's hash */
	bool checks_kept;	/* the last build was made by this program */
	struct seen *seen;
	size_t nseen;
};

static int64_t ns_of(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static void entry_of(struct entry *e, const struct stat *st, uint64_t hash,
		     uint64_t checked)
{
	*e = (struct entry){ .checked = checked };
	e->dev = (uint64_t)st->st_dev;
	e->ino = (uint64_t)st->st_ino;
	e->size = (uint64_t)st->st_size;
	e->hash = hash;
	e->mtime = ns_of(&st->st_mtim);
	e->ctime = ns_of(&st->st_ctim);
}

/* Whether the @len bytes at @data are a whole cache file; sets the
 * entries and names of @sc when they are. */
static bool take(struct statcache *sc, const char *data, size_t len)
{
	struct head h;
	if (len < sizeof(h))
		return false;
	memcpy(&h, data, sizeof(h));
	if (memcmp(h.magic, MAGIC, 8) || h.order != ORDER || h.zero ||
	    h.count > len / sizeof(struct entry) ||
	    h.names_len != len - sizeof(h) - h.count * sizeof(struct entry) ||
	    h.check != hash_data(data + sizeof(h), len - sizeof(h)))
		return false;
	const struct entry *v = (const void *)(data + sizeof(h));
	const char *names = (const char *)(v + h.count);
	for (size_t i = 0; i < h.count; i++)
		if (v[i].name_off >= h.names_len ||
		    v[i].name_len >= h.names_len - v[i].name_off ||
		    names[v[i].name_off + v[i].name_len] != '\0')
			return false;
	sc->old = v;
	sc->nold = h.count;
	sc->names = names;
	sc->checks_kept = h.program == sc->program;
	return true;
}

struct statcache *statcache_open(const char *dir, uint64_t program)
{
	struct statcache *sc = xcalloc(1, sizeof(*sc));
	sc->program = program;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	sc->started = ns_of(&now);
	if (!dir)
		return sc;
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", dir, STATCACHE_NAME);
	int fd = open(path.data, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	buf_free(&path);
	struct stat st;
	if (fd < 0)
		return sc;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > STATCACHE_MAX) {
		close(fd);
		return sc;
	}
	size_t len = (size_t)st.st_size, got = 0;
	/* Entries are read in place: the buffer is aligned by malloc. */
	char *data = xmalloc(len ? len : 1);
	while (got < len) {
		ssize_t n = read(fd, data + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got == len && take(sc, data, len)) {
		sc->data = data;
		sc->trusted_before = ns_of(&st.st_mtim);
	} else {
		free(data);
	}
	return sc;
}

void statcache_free(struct statcache *sc)
{
	if (!sc)
		return;
	for (size_t i = 0; i < sc->nseen; i++)
		free(sc->seen[i].name);
	free(sc->seen);
	free(sc->data);
	free(sc);
}

size_t statcache_files(const struct statcache *sc)
{
	return sc->nold;
}

/* Whether the old entry @was, of the same name, still describes the file
 * now seen with @st; then its hash and checks key are the file's. */
static bool still(const struct statcache *sc, const struct entry *was,
		  const struct stat *st, uint64_t *hash, uint64_t *checked)
{
	struct entry now;
	entry_of(&now, st, was->hash, was->checked);
	if (now.dev != was->dev || now.ino != was->ino ||
	    now.size != was->size || now.mtime != was->mtime ||
	    now.ctime != was->ctime || was->mtime >= sc->trusted_before ||
	    was->ctime >= sc->trusted_before)
		return false;
	*hash = was->hash;
	*checked = sc->checks_kept ? was->checked : 0;
	return true;
}

bool statcache_lookup(const struct statcache *sc, size_t at, const char *name,
		      const struct stat *st, uint64_t *hash, uint64_t *checked)
{
	/* The same files as last time, listed in the same order: @at is
	 * nearly always the place, and no search is needed. */
	if (at < sc->nold && !strcmp(name, sc->names + sc->old[at].name_off))
		return still(sc, &sc->old[at], st, hash, checked);
	size_t lo = 0, hi = sc->nold;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(name, sc->names + sc->old[mid].name_off);
		if (cmp == 0)
			return still(sc, &sc->old[mid], st, hash, checked);
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

void statcache_reserve(struct statcache *sc, size_t n)
{
	for (size_t i = 0; i < sc->nseen; i++)
		free(sc->seen[i].name);
	free(sc->seen);
	sc->seen = xcalloc(n ? n : 1, sizeof(*sc->seen));
	sc->nseen = n;
}

void statcache_set(struct statcache *sc, size_t i, const char *name,
		   const struct stat *st, uint64_t hash, uint64_t checked)
{
	if (i >= sc->nseen)
		return;
	free(sc->seen[i].name);
	sc->seen[i].name = xstrdup(name);
	entry_of(&sc->seen[i].e, st, hash, checked);
}

static int seen_cmp(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	return strcmp(x->name, y->name);
}

int statcache_save(const struct statcache *sc, const char *dir, struct buf *err)
{
	struct seen *v = xmalloc((sc->nseen ? sc->nseen : 1) * sizeof(*v));
	size_t n = 0, names_len = 0;
	for (size_t i = 0; i < sc->nseen; i++)
		if (sc->seen[i].name) {
			v[n] = sc->seen[i];
			names_len += strlen(v[n++].name) + 1;
		}
	/* Looked up by binary search: in name order, as the files are
	 * nearly always set already. */
	size_t sorted = 1;
	while (sorted < n && seen_cmp(&v[sorted - 1], &v[sorted]) <= 0)
		sorted++;
	if (sorted < n)
		qsort(v, n, sizeof(*v), seen_cmp);
	struct buf b = BUF_INIT;
	struct head h = { .order = ORDER,
			  .count = n,
			  .names_len = names_len,
			  .program = sc->program };
	memcpy(h.magic, MAGIC, 8);
	buf_put(&b, &h, sizeof(h));
	size_t off = 0;
	for (size_t i = 0; i < n; i++) {
		struct entry e = v[i].e;
		e.name_len = strlen(v[i].name);
		e.name_off = off;
		off += e.name_len + 1;
		buf_put(&b, &e, sizeof(e));
	}
	for (size_t i = 0; i < n; i++)
		buf_put(&b, v[i].name, strlen(v[i].name) + 1);
	h.check = hash_data(b.data + sizeof(h), b.len - sizeof(h));
	memcpy(b.data, &h, sizeof(h));
	free(v);

	/* The entries are trusted only for files changed before this. */
	int64_t t = sc->started - STATCACHE_MARGIN_NS;
	struct timespec trusted = { .tv_sec = t / 1000000000LL,
				    .tv_nsec = t % 1000000000LL };
	int rc = safefile_replace(dir, STATCACHE_NAME, &b, 1, &trusted, err);
	buf_free(&b);
	return rc;
}
