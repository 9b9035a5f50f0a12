/*
 * treecache.c - parsed record trees kept between builds.
 *
 * The file, in the machine's own byte order (it never leaves the site's
 * machine and one made elsewhere fails the order check):
 *
 *   head    magic "CATREE01", 0x01020304, the program's hash, the count
 *	     of trees, a hash of the index
 *   index   per tree, sorted by hash: the file's hash, the offset and
 *	     length of its tree, a hash of the tree's bytes
 *   trees   each node: kind (1 byte), flags (1), line (4), column (4),
 *	     text length (4), the text, item count (4: pairs in a
 *	     mapping), the items (a key and a value per pair)
 *
 * The file is mapped, not read: at 20,000 records it is some 50 MB, and
 * copying it would cost much of what it saves.
 */
#define _GNU_SOURCE
#include "treecache.h"
#include "hash.h"
#include "internal.h"
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

#define MAGIC "CATREE01"
#define ORDER 0x01020304u
/* The file is written again only when more than one tree in this many
 * changed since it was (treecache_save()). */
#define TREECACHE_STALE_SHARE 100
/* Deeper trees are not kept: records are a few levels deep. */
#define MAX_DEPTH 64

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

/* A tree put during this build. */
struct added {
	uint64_t hash;
	char *data;
	size_t len;
};

struct treecache {
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
static const char *check_file(const struct treecache *tc, bool *other)
{
	const struct head *h = (const void *)tc->map;
	*other = false;
	if (tc->size < sizeof(*h) || memcmp(h->magic, MAGIC, 8))
		return "not a parse cache";
	if (h->order != ORDER) {
		*other = true;
		return "made on another machine";
	}
	if (h->program != tc->program) {
		*other = true;
		return "made by another program";
	}
	if (h->count > (tc->size - sizeof(*h)) / sizeof(struct slot))
		return "its index is cut short";
	const struct slot *s = (const void *)(tc->map + sizeof(*h));
	if (hash_data(s, h->count * sizeof(*s)) != h->check)
		return "its index does not match its check";
	size_t start = sizeof(*h) + h->count * sizeof(*s);
	for (size_t i = 0; i < h->count; i++)
		if ((i && s[i].hash <= s[i - 1].hash) || s[i].off < start ||
		    s[i].off > tc->size || s[i].len > tc->size - s[i].off)
			return "its index points outside it";
	return NULL;
}

struct treecache *treecache_open(const char *dir, uint64_t program,
				 struct buf *note)
{
	struct treecache *tc = xcalloc(1, sizeof(*tc));
	tc->program = program;
	pthread_mutex_init(&tc->lock, NULL);
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", dir ? dir : "", TREECACHE_NAME);
	int fd = dir ? open(path.data, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) : -1;
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size > 0) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ,
			       MAP_PRIVATE | MAP_POPULATE, fd, 0);
		if (m != MAP_FAILED) {
			tc->map = m;
			tc->size = (size_t)st.st_size;
		}
	}
	if (fd >= 0)
		close(fd);
	bool other;
	const char *why = tc->map ? check_file(tc, &other) : NULL;
	if (why) {
		if (!other)
			buf_printf(note,
				   "the parse cache %s is damaged (%s) and "
				   "ignored; every record is parsed",
				   path.data, why);
		munmap((void *)tc->map, tc->size);
		tc->map = NULL;
		tc->size = 0;
	} else if (tc->map) {
		const struct head *h = (const void *)tc->map;
		tc->slots = (const void *)(tc->map + sizeof(*h));
		tc->nslots = h->count;
		tc->used =
			xcalloc(tc->nslots ? tc->nslots : 1, sizeof(*tc->used));
	}
	buf_free(&path);
	return tc;
}

void treecache_free(struct treecache *tc)
{
	if (!tc)
		return;
	if (tc->map)
		munmap((void *)tc->map, tc->size);
	free(tc->used);
	for (size_t i = 0; i < tc->nadded; i++)
		free(tc->added[i].data);
	free(tc->added);
	pthread_mutex_destroy(&tc->lock);
	free(tc);
}

/* ---- one tree's bytes ------------------------------------------------- */

struct reader {
	const char *p, *end;
	struct arena *arena;
};

static bool take(struct reader *r, void *out, size_t n)
{
	if ((size_t)(r->end - r->p) < n)
		return false;
	memcpy(out, r->p, n);
	r->p += n;
	return true;
}

static struct ytree_node *read_node(struct reader *r, int depth)
{
	unsigned char kind, flags;
	uint32_t line, col, len, n;
	if (depth > MAX_DEPTH || !take(r, &kind, 1) || !take(r, &flags, 1) ||
	    !take(r, &line, 4) || !take(r, &col, 4) || !take(r, &len, 4) ||
	    kind > YTREE_SEQ || (size_t)(r->end - r->p) < len)
		return NULL;
	struct ytree_node *node = arena_alloc(r->arena, sizeof(*node));
	node->kind = (enum ytree_kind)kind;
	node->plain = flags & 1;
	node->is_null = flags & 2;
	node->pos = (struct src_pos){ line, col };
	node->len = len;
	node->text = flags & 4 ? arena_strndup(r->arena, r->p, len) : NULL;
	r->p += len;
	if (!take(r, &n, 4) || n > (size_t)(r->end - r->p))
		return NULL;
	/* A mapping counts its pairs, and holds a key and a value each. */
	size_t slots = node->kind == YTREE_MAP ? 2 * (size_t)n : n;
	node->nitems = n;
	node->items =
		n ? arena_alloc(r->arena, slots * sizeof(*node->items)) : NULL;
	for (size_t i = 0; i < slots; i++)
		if (!(node->items[i] = read_node(r, depth + 1)))
			return NULL;
	return node;
}

static bool put_node(struct buf *b, const struct ytree_node *node, int depth)
{
	if (depth > MAX_DEPTH || node->len > UINT32_MAX ||
	    node->nitems > UINT32_MAX)
		return false;
	unsigned char kind = (unsigned char)node->kind;
	unsigned char flags =
		(unsigned char)((node->plain ? 1 : 0) |
				(node->is_null ? 2 : 0) | (node->text ? 4 : 0));
	uint32_t line = node->pos.line, col = node->pos.col;
	uint32_t len = node->text ? (uint32_t)node->len : 0;
	uint32_t n = (uint32_t)node->nitems;
	buf_put(b, &kind, 1);
	buf_put(b, &flags, 1);
	buf_put(b, &line, 4);
	buf_put(b, &col, 4);
	buf_put(b, &len, 4);
	if (len)
		buf_put(b, node->text, len);
	buf_put(b, &n, 4);
	size_t slots =
		node->kind == YTREE_MAP ? 2 * node->nitems : node->nitems;
	for (size_t i = 0; i < slots; i++)
		if (!put_node(b, node->items[i], depth + 1))
			return false;
	return true;
}

struct ytree_node *treecache_get(struct treecache *tc, uint64_t hash,
				 struct arena *arena)
{
	size_t lo = 0, hi = tc->nslots;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (tc->slots[mid].hash < hash)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == tc->nslots || tc->slots[lo].hash != hash)
		return NULL;
	const struct slot *s = &tc->slots[lo];
	const char *data = tc->map + s->off;
	struct reader r = { data, data + s->len, arena };
	struct ytree_node *root =
		hash_data(data, s->len) == s->check ? read_node(&r, 0) : NULL;
	if (!root || r.p != r.end) {
		/* Parsed instead, and written anew. */
		atomic_fetch_add(&tc->damaged, 1);
		return NULL;
	}
	atomic_store_explicit(&tc->used[lo], 1, memory_order_relaxed);
	return root;
}

void treecache_put(struct treecache *tc, uint64_t hash,
		   const struct ytree_node *root)
{
	struct buf b = BUF_INIT;
	if (!put_node(&b, root, 0)) {
		buf_free(&b);
		return;
	}
	size_t len;
	char *data = buf_detach(&b, &len);
	pthread_mutex_lock(&tc->lock);
	if (tc->nadded == tc->cap) {
		tc->cap = tc->cap ? 2 * tc->cap : 64;
		tc->added = xrealloc(tc->added, tc->cap * sizeof(*tc->added));
	}
	tc->added[tc->nadded++] = (struct added){ hash, data, len };
	pthread_mutex_unlock(&tc->lock);
}

size_t treecache_damaged(const struct treecache *tc)
{
	return atomic_load(&tc->damaged);
}

/* ---- saving ----------------------------------------------------------- */

/* A tree of the new file: its hash and bytes. */
struct piece {
	uint64_t hash;
	const char *data;
	size_t len;
	uint64_t check; /* of a tree from the file, checked when used */
};

static int piece_cmp(const void *a, const void *b)
{
	const struct piece *x = a, *y = b;
	return x->hash < y->hash ? -1 : x->hash > y->hash;
}

/* Write through a buffer of @b's size; false on a write error. */
static bool out(int fd, struct buf *b, const void *data, size_t len, bool flush)
{
	if (b->len + len > 1 << 20 || flush) {
		const char *p = b->data;
		size_t n = b->len;
		while (n) {
			ssize_t w = write(fd, p, n);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return false;
			p += w, n -= (size_t)w;
		}
		buf_reset(b);
	}
	if (len >= 1 << 20) {
		const char *p = data;
		while (len) {
			ssize_t w = write(fd, p, len);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return false;
			p += w, len -= (size_t)w;
		}
		return true;
	}
	if (len)
		buf_put(b, data, len);
	return true;
}

int treecache_save(struct treecache *tc, const char *dir, struct buf *err)
{
	size_t n = 0, used = 0;
	struct piece *v = xmalloc((tc->nslots + tc->nadded + 1) * sizeof(*v));
	for (size_t i = 0; i < tc->nslots; i++)
		if (atomic_load_explicit(&tc->used[i], memory_order_relaxed)) {
			const struct slot *s = &tc->slots[i];
			v[n++] = (struct piece){ s->hash, tc->map + s->off,
						 s->len, s->check };
			used++;
		}
	struct buf tmp = BUF_INIT, path = BUF_INIT, b = BUF_INIT;
	/* One build at a time writes a site (outdir locks it), so the name
	 * is fixed, and one left by a build killed while writing it goes. */
	buf_printf(&tmp, "%s/%s.tmp", dir, TREECACHE_NAME);
	buf_printf(&path, "%s/%s", dir, TREECACHE_NAME);
	unlink(tmp.data);
	/* The file holds these trees already, or all but a few: at 100,000
	 * records it is some 290 MB, and parsing again the few records
	 * changed since it was written costs less than writing it. A
	 * damaged tree is never kept: it would be noted on every build. */
	size_t changed = (tc->nslots - used) + tc->nadded;
	if (tc->map && !atomic_load(&tc->damaged) &&
	    changed <= tc->nslots / TREECACHE_STALE_SHARE) {
		buf_free(&tmp);
		buf_free(&path);
		free(v);
		return 0;
	}
	for (size_t i = 0; i < tc->nadded; i++)
		v[n++] = (struct piece){
			tc->added[i].hash, tc->added[i].data, tc->added[i].len,
			hash_data(tc->added[i].data, tc->added[i].len)
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
			  .program = tc->program,
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
