/*
 * parsecache.c - loaded records kept between builds.
 *
 * The file, in the machine's own byte order (it never leaves the site's
 * machine and one made elsewhere fails the order check):
 *
 *   head     magic "CARECS01", 0x01020304, the program's hash, the count
 *	      of records, a hash of the index
 *   index    per record, sorted by hash: the file's hash, the offset and
 *	      length of its record, a hash of the record's bytes
 *   records  each as recordpack.h packs it
 *
 * The file is mapped, not read: at 20,000 records it is some 50 MB, and
 * copying it would cost much of what it saves.
 */
#define _GNU_SOURCE
#include "parsecache.h"
#include "hash.h"
#include "internal.h"
#include "recordpack.h"
#include "safefile.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC "CARECS01"
#define ORDER 0x01020304u
/* The file is written again only when more than one record in this many
 * changed since it was (parsecache_save()). */
#define PARSECACHE_STALE_SHARE 100

struct head {
	char magic[8];
	uint32_t order;
	uint32_t zero;
	uint64_t program;
	uint64_t count;
	uint64_t check;
};

struct slot {
	uint64_t hash;
	uint64_t off;
	uint64_t len;
	uint64_t check;
};

/* A record put during this build. */
struct added {
	uint64_t hash;
	char *data;
	size_t len;
};

struct parsecache {
	uint64_t program;
	const char *map; /* the file, or NULL */
	size_t size;
	const struct slot *slots;
	size_t nslots;
	atomic_uchar *used; /* by slot */
	atomic_size_t damaged;
	pthread_mutex_t lock;
	struct added *added;
	size_t nadded, cap;
};

/* Check the mapped file; NULL when it is usable, else why not. */
static const char *check_file(const struct parsecache *pc, bool *other)
{
	const struct head *h = (const void *)pc->map;
	*other = false;
	if (pc->size < sizeof(*h) || memcmp(h->magic, MAGIC, 8))
		return "not a parse cache";
	if (h->order != ORDER) {
		*other = true;
		return "made on another machine";
	}
	if (h->program != pc->program) {
		*other = true;
		return "made by another program";
	}
	if (h->count > (pc->size - sizeof(*h)) / sizeof(struct slot))
		return "its index is cut short";
	const struct slot *s = (const void *)(pc->map + sizeof(*h));
	if (hash_data(s, h->count * sizeof(*s)) != h->check)
		return "its index does not match its check";
	size_t start = sizeof(*h) + h->count * sizeof(*s);
	for (size_t i = 0; i < h->count; i++)
		if ((i && s[i].hash <= s[i - 1].hash) || s[i].off < start ||
		    s[i].off > pc->size || s[i].len > pc->size - s[i].off)
			return "its index points outside it";
	return NULL;
}

struct parsecache *parsecache_open(const char *dir, uint64_t program,
				   struct buf *note)
{
	struct parsecache *pc = xcalloc(1, sizeof(*pc));
	pc->program = program;
	pthread_mutex_init(&pc->lock, NULL);
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", dir ? dir : "", PARSECACHE_NAME);
	int fd = dir ? open(path.data, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) : -1;
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size > 0) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ,
			       MAP_PRIVATE | MAP_POPULATE, fd, 0);
		if (m != MAP_FAILED) {
			pc->map = m;
			pc->size = (size_t)st.st_size;
		}
	}
	if (fd >= 0)
		close(fd);
	bool other;
	const char *why = pc->map ? check_file(pc, &other) : NULL;
	if (why) {
		if (!other)
			buf_printf(note,
				   "the parse cache %s is damaged (%s) and "
				   "ignored; every record is parsed",
				   path.data, why);
		munmap((void *)pc->map, pc->size);
		pc->map = NULL;
		pc->size = 0;
	} else if (pc->map) {
		const struct head *h = (const void *)pc->map;
		pc->slots = (const void *)(pc->map + sizeof(*h));
		pc->nslots = h->count;
		pc->used =
			xcalloc(pc->nslots ? pc->nslots : 1, sizeof(*pc->used));
	}
	buf_free(&path);
	return pc;
}

void parsecache_free(struct parsecache *pc)
{
	if (!pc)
		return;
	if (pc->map)
		munmap((void *)pc->map, pc->size);
	free(pc->used);
	for (size_t i = 0; i < pc->nadded; i++)
		free(pc->added[i].data);
	free(pc->added);
	pthread_mutex_destroy(&pc->lock);
	free(pc);
}

struct record *parsecache_get(struct parsecache *pc, uint64_t hash,
			      const char *file, struct arena *arena)
{
	size_t lo = 0, hi = pc->nslots;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (pc->slots[mid].hash < hash)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == pc->nslots || pc->slots[lo].hash != hash)
		return NULL;
	const struct slot *s = &pc->slots[lo];
	const char *data = pc->map + s->off;
	struct record *r = hash_data(data, s->len) == s->check
				   ? recordpack_get(data, s->len, file, arena)
				   : NULL;
	if (!r) {
		/* Loaded instead, and written anew. */
		atomic_fetch_add(&pc->damaged, 1);
		return NULL;
	}
	atomic_store_explicit(&pc->used[lo], 1, memory_order_relaxed);
	return r;
}

void parsecache_put(struct parsecache *pc, uint64_t hash,
		    const struct record *r)
{
	struct buf b = BUF_INIT;
	recordpack_put(&b, r);
	size_t len;
	char *data = buf_detach(&b, &len);
	pthread_mutex_lock(&pc->lock);
	if (pc->nadded == pc->cap) {
		pc->cap = pc->cap ? 2 * pc->cap : 64;
		pc->added = xrealloc(pc->added, pc->cap * sizeof(*pc->added));
	}
	pc->added[pc->nadded++] = (struct added){ hash, data, len };
	pthread_mutex_unlock(&pc->lock);
}

size_t parsecache_damaged(const struct parsecache *pc)
{
	return atomic_load(&pc->damaged);
}

/* ---- saving ----------------------------------------------------------- */

/* A record of the new file: its hash and bytes. */
struct piece {
	uint64_t hash;
	const char *data;
	size_t len;
	uint64_t check; /* of a record from the file, checked when used */
};

static int piece_cmp(const void *a, const void *b)
{
	const struct piece *x = a, *y = b;
	return x->hash < y->hash ? -1 : x->hash > y->hash;
}

static bool write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return false;
		p += w, n -= (size_t)w;
	}
	return true;
}

/* Write through a buffer of @b's size; false on a write error. */
static bool out(int fd, struct buf *b, const void *data, size_t len, bool flush)
{
	if (b->len + len > 1 << 20 || flush) {
		if (!write_all(fd, b->data, b->len))
			return false;
		buf_reset(b);
	}
	if (len >= 1 << 20)
		return write_all(fd, data, len);
	if (len)
		buf_put(b, data, len);
	return true;
}

int parsecache_save(struct parsecache *pc, const char *dir, struct buf *err)
{
	size_t n = 0, used = 0;
	struct piece *v = xmalloc((pc->nslots + pc->nadded + 1) * sizeof(*v));
	for (size_t i = 0; i < pc->nslots; i++)
		if (atomic_load_explicit(&pc->used[i], memory_order_relaxed)) {
			const struct slot *s = &pc->slots[i];
			v[n++] = (struct piece){ s->hash, pc->map + s->off,
						 s->len, s->check };
			used++;
		}
	struct buf tmp = BUF_INIT, path = BUF_INIT, b = BUF_INIT;
	/* One build at a time writes a site (outdir locks it), so the name
	 * is fixed, and one left by a build killed while writing it goes. */
	buf_printf(&tmp, "%s/%s.tmp", dir, PARSECACHE_NAME);
	buf_printf(&path, "%s/%s", dir, PARSECACHE_NAME);
	unlink(tmp.data);
	/* The file holds these records already, or all but a few: at
	 * 100,000 records it is some 225 MB, and loading again the few
	 * changed since it was written costs less than writing it. A
	 * damaged record is never kept: it would be noted on every build. */
	size_t changed = (pc->nslots - used) + pc->nadded;
	if (pc->map && !atomic_load(&pc->damaged) &&
	    changed <= pc->nslots / PARSECACHE_STALE_SHARE) {
		buf_free(&tmp);
		buf_free(&path);
		free(v);
		return 0;
	}
	/* Earlier programs kept parse trees there, of no use now. */
	buf_printf(&b, "%s/.cancelatlas-trees", dir);
	unlink(b.data);
	buf_reset(&b);
	for (size_t i = 0; i < pc->nadded; i++)
		v[n++] = (struct piece){
			pc->added[i].hash, pc->added[i].data, pc->added[i].len,
			hash_data(pc->added[i].data, pc->added[i].len)
		};
	qsort(v, n, sizeof(*v), piece_cmp);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!k || v[i].hash != v[k - 1].hash)
			v[k++] = v[i];
	n = k;
	struct slot *slots = xcalloc(n ? n : 1, sizeof(*slots));
	uint64_t off = sizeof(struct head) + n * sizeof(*slots);
	for (size_t i = 0; i < n; i++) {
		slots[i] =
			(struct slot){ v[i].hash, off, v[i].len, v[i].check };
		off += v[i].len;
	}
	struct head h = { .order = ORDER,
			  .program = pc->program,
			  .count = n,
			  .check = hash_data(slots, n * sizeof(*slots)) };
	memcpy(h.magic, MAGIC, 8);

	int fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	bool ok = fd >= 0 && out(fd, &b, &h, sizeof(h), false) &&
		  out(fd, &b, slots, n * sizeof(*slots), false);
	for (size_t i = 0; ok && i < n; i++)
		ok = out(fd, &b, v[i].data, v[i].len, false);
	ok = ok && out(fd, &b, NULL, 0, true);
	int saved = errno;
	if (fd >= 0 && close(fd) != 0 && ok)
		ok = false, saved = errno;
	if (ok && rename(tmp.data, path.data) != 0)
		ok = false, saved = errno;
	if (!ok) {
		buf_printf(err, "cannot write %s: %s", path.data,
			   strerror(saved));
		unlink(tmp.data);
	}
	buf_free(&tmp);
	buf_free(&path);
	buf_free(&b);
	free(slots);
	free(v);
	return ok ? 0 : -1;
}
