/*
 * sitefiles.c - index a built site for the server, without reading it.
 *
 * The folder is walked once (openat, fdopendir, fstatat: no file is
 * opened), its folders shared out among a few threads, into arenas of
 * URL paths, an array of small records (size,
 * modification time, inode, type) and an open-addressing hash table of
 * 32-bit slots, about 100 bytes a file in all; the index is immutable once
 * built, so any number of threads look files up without locks, and a
 * reload is a new index. Serving only files of this index, with paths
 * cleaned by sitefiles_path_clean(), is what keeps a request from ever
 * reaching a file outside the site or a hidden one: no request path is
 * handed to the file system, only paths the walk found.
 */
#define _GNU_SOURCE
#include "sitefiles.h"
#include "arena.h"
#include "esc.h"
#include "hash.h"
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Threads that walk the folder, at most. */
#define SITEFILES_WALKERS 8
/* Folders nested deeper than this are not read. */
#define MAX_DEPTH 32
/* A slot's high bit: the key is the path without its "index.html". */
#define SLOT_ALIAS 0x80000000u

static const char index_name[] = "index.html";
#define INDEX_LEN (sizeof(index_name) - 1)

struct slot {
	uint32_t hash;
	uint32_t file; /* index + 1, with SLOT_ALIAS; 0 marks an empty slot */
};

/* What a lazy index has looked up so far (sitefiles_lazy()). */
struct looked_up {
	pthread_rwlock_t lock; /* written only to add what was found */
	struct arena *arena;   /* the entries and their paths */
	struct slot *slots;    /* .file: position in @found, + 1 */
	size_t nslots;	       /* a power of two, 0 until the first */
	const struct sitefile **found;
	size_t n, cap;
};

struct sitefiles {
	char *root;				 /* the folder as named */
	int dirfd;				 /* the folder as indexed */
	struct looked_up *lazy;			 /* NULL once walked */
	struct arena *arenas[SITEFILES_WALKERS]; /* paths, one per walker */
	unsigned narenas;
	struct sitefile *files;
	size_t n, cap;
	size_t bytes;
	size_t path_bytes;
	struct slot *slots;
	size_t nslots; /* a power of two */
};

/* ---- content types --------------------------------------------------- */

static const struct {
	const char *ext;
	const char *type;
	bool text;
} types[] = {
	{ "html", "text/html; charset=utf-8", true },
	{ "css", "text/css; charset=utf-8", true },
	{ "js", "text/javascript; charset=utf-8", true },
	{ "mjs", "text/javascript; charset=utf-8", true },
	{ "json", "application/json; charset=utf-8", true },
	{ "jsonld", "application/ld+json; charset=utf-8", true },
	{ "map", "application/json; charset=utf-8", true },
	{ "svg", "image/svg+xml; charset=utf-8", true },
	{ "xml", "application/xml; charset=utf-8", true },
	{ "atom", "application/atom+xml; charset=utf-8", true },
	{ "rss", "application/rss+xml; charset=utf-8", true },
	{ "csv", "text/csv; charset=utf-8; header=present", true },
	{ "txt", "text/plain; charset=utf-8", true },
	{ "md", "text/markdown; charset=utf-8", true },
	{ "bib", "application/x-bibtex; charset=utf-8", true },
	{ "ris", "application/x-research-info-systems; charset=utf-8", true },
	{ "webmanifest", "application/manifest+json; charset=utf-8", true },
	{ "png", "image/png", false },
	{ "jpg", "image/jpeg", false },
	{ "jpeg", "image/jpeg", false },
	{ "gif", "image/gif", false },
	{ "webp", "image/webp", false },
	{ "avif", "image/avif", false },
	{ "ico", "image/vnd.microsoft.icon", true },
	{ "woff2", "font/woff2", false },
	{ "woff", "font/woff", false },
	{ "pdf", "application/pdf", false },
	{ "webm", "video/webm", false },
	{ "mp4", "video/mp4", false },
	{ "wasm", "application/wasm", true },
};

const char *sitefiles_content_type(const char *name, bool *compressible)
{
	const char *slash = strrchr(name, '/');
	const char *dot = strrchr(slash ? slash : name, '.');
	if (dot) {
		for (size_t i = 0; i < ATLAS_COUNT(types); i++) {
			if (strcasecmp(dot + 1, types[i].ext))
				continue;
			if (compressible)
				*compressible = types[i].text;
			return types[i].type;
		}
	}
	if (compressible)
		*compressible = false;
	return "application/octet-stream";
}

/* ---- paths ----------------------------------------------------------- */

int sitefiles_path_clean(const char *raw, struct buf *out)
{
	buf_reset(out);
	if (raw[0] != '/')
		return -1;
	for (const char *p = raw; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '%') {
			int hi = esc_hex_digit((unsigned char)p[1]);
			int lo = hi < 0 ? -1
					: esc_hex_digit((unsigned char)p[2]);
			if (lo < 0)
				return -1;
			c = (unsigned char)(hi * 16 + lo);
			p += 2;
			/* An encoded separator is never a separator here. */
			if (c == '/')
				return -1;
		}
		if (c < 0x20 || c == 0x7f || c == '\\')
			return -1;
		if (out->len >= SITEFILES_PATH_MAX)
			return -1;
		buf_putc(out, (char)c);
	}
	/* Every segment but a final empty one must be a real name. */
	const char *s = out->data;
	const char *end = s + out->len;
	for (const char *seg = s + 1; seg <= end;) {
		const char *next = memchr(seg, '/', (size_t)(end - seg));
		size_t n = (size_t)((next ? next : end) - seg);
		if (n == 0 && next)
			return -1;
		if ((n == 1 && seg[0] == '.') ||
		    (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return -1;
		if (!next)
			break;
		seg = next + 1;
	}
	return 0;
}

/* ---- the table ------------------------------------------------------- */

/* Put file @file (position + 1, with SLOT_ALIAS) under hash @h among
 * the @nslots (a power of two) @slots. */
static void slot_put(struct slot *slots, size_t nslots, uint32_t h,
		     uint32_t file)
{
	size_t mask = nslots - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		if (!slots[i].file) {
			slots[i] = (struct slot){ h, file };
			return;
		}
	}
}

/* The file under key @path (@len bytes, hash @h) among @slots, where
 * @at(@owner, N) is the file at position N; NULL if none. A key is a
 * file's path, or with SLOT_ALIAS its path without "index.html". */
static inline const struct sitefile *
slot_find(const struct slot *slots, size_t nslots,
	  const struct sitefile *(*at)(const void *owner, uint32_t n),
	  const void *owner, const char *path, size_t len, uint32_t h)
{
	size_t mask = nslots - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		const struct slot *s = &slots[i];
		if (!s->file)
			return NULL;
		if (s->hash != h)
			continue;
		const struct sitefile *f =
			at(owner, (s->file & ~SLOT_ALIAS) - 1);
		size_t flen =
			f->path_len - (s->file & SLOT_ALIAS ? INDEX_LEN : 0);
		if (flen == len && !memcmp(f->path, path, len))
			return f;
	}
}

static void table_insert(struct sitefiles *t, const char *key, size_t len,
			 uint32_t file)
{
	slot_put(t->slots, t->nslots, (uint32_t)hash_bytes(key, len), file);
}

static void table_build(struct sitefiles *t)
{
	size_t keys = t->n * 2 + 1;
	t->nslots = 16;
	while (t->nslots < keys + keys / 2)
		t->nslots *= 2;
	t->slots = xcalloc(t->nslots, sizeof(*t->slots));
	for (size_t i = 0; i < t->n; i++) {
		const struct sitefile *f = &t->files[i];
		size_t len = f->path_len;
		table_insert(t, f->path, len, (uint32_t)i + 1);
		/* ".../index.html" is also ".../". */
		if (len > INDEX_LEN &&
		    !memcmp(f->path + len - INDEX_LEN, index_name, INDEX_LEN) &&
		    f->path[len - INDEX_LEN - 1] == '/')
			table_insert(t, f->path, len - INDEX_LEN,
				     ((uint32_t)i + 1) | SLOT_ALIAS);
	}
}

static const struct sitefile *lazy_find(const struct sitefiles *t,
					const char *path, size_t len);

static const struct sitefile *walked_at(const void *owner, uint32_t n)
{
	return &((const struct sitefiles *)owner)->files[n];
}

static const struct sitefile *table_find(const struct sitefiles *t,
					 const char *path, size_t len)
{
	return slot_find(t->slots, t->nslots, walked_at, t, path, len,
			 (uint32_t)hash_bytes(path, len));
}

const struct sitefile *sitefiles_find(const struct sitefiles *t,
				      const char *path, size_t len)
{
	return t->lazy ? lazy_find(t, path, len) : table_find(t, path, len);
}

bool sitefiles_walked(const struct sitefiles *t)
{
	return !t->lazy;
}

size_t sitefiles_count(const struct sitefiles *t)
{
	return t->n;
}

size_t sitefiles_bytes(const struct sitefiles *t)
{
	return t->bytes;
}

size_t sitefiles_memory(const struct sitefiles *t)
{
	return t->cap * sizeof(*t->files) + t->nslots * sizeof(*t->slots) +
	       t->path_bytes;
}

const struct sitefile *sitefiles_at(const struct sitefiles *t, size_t i)
{
	return &t->files[i];
}

void sitefile_etag(uint64_t size, int64_t mtime_ns, enum sitefile_encoding e,
		   char *out)
{
	static const char *const suffix[] = { "", "-gz", "-br" };
	snprintf(out, SITEFILE_ETAG_SIZE, "\"%llx-%llx%s\"",
		 (unsigned long long)size, (unsigned long long)mtime_ns,
		 suffix[e]);
}

/* ---- opening --------------------------------------------------------- */

/* open_beneath() without openat2 (kernels before 5.6, valgrind): one
 * folder at a time, none of them a symbolic link, and never "..". */
static int open_by_steps(int dfd, const char *rel, int mode)
{
	char name[NAME_MAX + 1];
	int at = dfd;
	for (;;) {
		size_t n = strcspn(rel, "/");
		if (n > NAME_MAX ||
		    (n == 2 && rel[0] == '.' && rel[1] == '.')) {
			if (at != dfd)
				close(at);
			errno = n > NAME_MAX ? ENAMETOOLONG : EXDEV;
			return -1;
		}
		memcpy(name, rel, n);
		name[n] = '\0';
		bool last = rel[n] == '\0';
		int fd = openat(at, n ? name : ".",
				last ? mode | O_CLOEXEC | O_NOFOLLOW
				     : O_PATH | O_DIRECTORY | O_NOFOLLOW |
						O_CLOEXEC);
		int saved = errno;
		if (at != dfd)
			close(at);
		errno = saved;
		if (fd < 0 || last)
			return fd;
		at = fd;
		rel += n + 1;
	}
}

/* Open @rel beneath folder @dfd with @mode (O_RDONLY, or O_PATH to stat
 * it), refusing any symbolic link on the way. */
static int open_beneath(int dfd, const char *rel, int mode)
{
#ifdef SYS_openat2
	struct open_how how = {
		.flags = (uint64_t)(mode | O_CLOEXEC | O_NOFOLLOW),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
			   RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int)syscall(SYS_openat2, dfd, rel, &how, sizeof(how));
	if (fd >= 0 || errno != ENOSYS)
		return fd;
#endif
	return open_by_steps(dfd, rel, mode);
}

int sitefiles_open(const struct sitefiles *t, const struct sitefile *f,
		   enum sitefile_encoding e, struct stat *st)
{
	static const char *const suffix[] = { "", ".gz", ".br" };
	char rel[SITEFILES_PATH_MAX + 8];
	snprintf(rel, sizeof(rel), "%s%s", f->path + 1, suffix[e]);
	int fd = open_beneath(t->dirfd, rel, O_RDONLY);
	if (fd < 0 && errno == ENOENT) {
		/* The folder may have been swapped for a new build's: the
		 * file of that name in it is what the site now holds. */
		int dfd = open(t->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fd = open_beneath(dfd, rel, O_RDONLY);
			int saved = errno;
			close(dfd);
			errno = saved;
		}
	}
	if (fd < 0)
		return -1;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		close(fd);
		errno = EISDIR;
		return -1;
	}
	return fd;
}

/* ---- the walk -------------------------------------------------------- */

/* One name of a folder being indexed. */
struct entry {
	size_t name; /* offset in the folder's names */
	size_t len;
	bool dir;
	uint64_t size;
	int64_t mtime_ns;
	uint64_t ino;
};

/* A folder waiting to be indexed. */
struct folder {
	char *rel; /* its path in the site, without the first "/" */
	int depth;
};

/* What one walking thread gathers. */
struct part {
	struct arena *arena;
	struct sitefile *files;
	size_t n, cap;
	size_t bytes, path_bytes;
};

/* The folders to index, shared by the walking threads. */
struct walk {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct folder *q;
	size_t n, cap;
	unsigned busy; /* threads indexing a folder */
	bool failed;
	struct buf *err;
	int rootfd; /* the site folder */
};

static int cmp_entry(const void *a, const void *b, void *names)
{
	const struct entry *x = a, *y = b;
	const char *s = names;
	return strcmp(s + x->name, s + y->name);
}

/* The regular file named @name (of @len bytes) among @ents, or NULL. */
static const struct entry *find_entry(const struct entry *ents, size_t n,
				      const char *names, const char *name,
				      size_t len)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *m = names + ents[mid].name;
		int c = strncmp(m, name, len);
		if (c == 0)
			c = m[len] ? 1 : 0;
		if (c == 0)
			return ents[mid].dir ? NULL : &ents[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static bool has_suffix(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len > n && !memcmp(s + len - n, suffix, n);
}

static void fail(struct walk *w, const char *fmt, ...) ATLAS_PRINTF(2, 3);

static void fail(struct walk *w, const char *fmt, ...)
{
	pthread_mutex_lock(&w->lock);
	if (!w->failed) {
		va_list ap;
		va_start(ap, fmt);
		char msg[SITEFILES_PATH_MAX + 200];
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		buf_puts(w->err, msg);
		w->failed = true;
	}
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

static void push(struct walk *w, char *rel, int depth)
{
	pthread_mutex_lock(&w->lock);
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 256;
		w->q = xrealloc(w->q, w->cap * sizeof(*w->q));
	}
	w->q[w->n++] = (struct folder){ rel, depth };
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

static void add_file(struct part *p, const char *rel, size_t rel_len,
		     const struct entry *e, uint8_t siblings)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 1024;
		p->files = xrealloc(p->files, p->cap * sizeof(*p->files));
	}
	struct sitefile *f = &p->files[p->n++];
	char *path = arena_alloc(p->arena, rel_len + 2);
	path[0] = '/';
	memcpy(path + 1, rel, rel_len);
	*f = (struct sitefile){
		.path = path,
		.size = e->size,
		.mtime_ns = e->mtime_ns,
		.ino = e->ino,
		.path_len = (uint16_t)(rel_len + 1),
		.siblings = siblings,
	};
	f->type = sitefiles_content_type(path, &f->compressible);
	p->bytes += e->size;
	p->path_bytes += rel_len + 2;
}

/* Index the sorted entries @ents of folder @f: files into @p, folders
 * onto the queue. */
static int index_entries(struct walk *w, struct part *p, const struct folder *f,
			 const struct entry *ents, size_t n, const char *names)
{
	struct buf rel = BUF_INIT;
	for (size_t i = 0; i < n && !w->failed; i++) {
		const struct entry *e = &ents[i];
		const char *name = names + e->name;
		buf_reset(&rel);
		if (f->rel[0])
			buf_printf(&rel, "%s/", f->rel);
		buf_put(&rel, name, e->len);
		if (rel.len + 1 >= SITEFILES_PATH_MAX)
			continue; /* no request can name it */
		if (e->dir) {
			/* Opened when its turn comes: a queue of open
			 * folders would run out of descriptors. */
			if (f->depth < MAX_DEPTH)
				push(w, xstrdup(rel.data), f->depth + 1);
			continue;
		}
		/* X.gz and X.br beside X are X's, not files of their own. */
		if ((has_suffix(name, e->len, ".gz") ||
		     has_suffix(name, e->len, ".br")) &&
		    find_entry(ents, n, names, name, e->len - 3))
			continue;
		uint8_t siblings = 0;
		char alt[NAME_MAX + 8];
		static const char *const ext[] = { NULL, ".gz", ".br" };
		for (int k = SITEFILE_GZIP; k < SITEFILE_NENCODINGS; k++) {
			int m = snprintf(alt, sizeof(alt), "%s%s", name,
					 ext[k]);
			const struct entry *s =
				find_entry(ents, n, names, alt, (size_t)m);
			if (s && s->mtime_ns >= e->mtime_ns)
				siblings |= (uint8_t)(1u << k);
		}
		add_file(p, rel.data, rel.len, e, siblings);
	}
	buf_free(&rel);
	return w->failed ? -1 : 0;
}

/* Read folder @f and index what it holds. */
static void index_folder(struct walk *w, struct part *p, struct folder *f)
{
	int fd = f->rel[0] ? openat(w->rootfd, f->rel,
				    O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					    O_CLOEXEC)
			   : dup(w->rootfd);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		fail(w, "cannot read folder /%s: %s", f->rel, strerror(errno));
		return;
	}
	struct buf names = BUF_INIT;
	struct entry *ents = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	bool ok = true;
	while ((errno = 0, de = readdir(d)) != NULL) {
		/* Hidden names (".", "..", the build's marks and manifests)
		 * are never part of the site. */
		if (de->d_name[0] == '.')
			continue;
		/* Symbolic links, sockets and devices are never served. */
		if (de->d_type != DT_DIR && de->d_type != DT_REG &&
		    de->d_type != DT_UNKNOWN)
			continue;
		struct stat st = { 0 };
		bool dir = de->d_type == DT_DIR;
		if (!dir) {
			if (fstatat(dirfd(d), de->d_name, &st,
				    AT_SYMLINK_NOFOLLOW)) {
				if (errno == ENOENT)
					continue; /* removed while we looked */
				fail(w, "cannot stat %s/%s: %s", f->rel,
				     de->d_name, strerror(errno));
				ok = false;
				break;
			}
			if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
				continue;
			dir = S_ISDIR(st.st_mode);
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			ents = xrealloc(ents, cap * sizeof(*ents));
		}
		size_t len = strlen(de->d_name);
		ents[n++] = (struct entry){
			.name = names.len,
			.len = len,
			.dir = dir,
			.size = (uint64_t)st.st_size,
			.mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 +
				    st.st_mtim.tv_nsec,
			.ino = (uint64_t)st.st_ino,
		};
		buf_put(&names, de->d_name, len + 1);
	}
	if (ok && errno) {
		fail(w, "cannot list %s: %s", f->rel, strerror(errno));
		ok = false;
	}
	if (ok && n) {
		qsort_r(ents, n, sizeof(*ents), cmp_entry, names.data);
		index_entries(w, p, f, ents, n, names.data);
	}
	free(ents);
	buf_free(&names);
	closedir(d);
}

struct walker {
	struct walk *w;
	struct part part;
};

static void *walker_run(void *arg)
{
	struct walker *me = arg;
	struct walk *w = me->w;
	for (;;) {
		pthread_mutex_lock(&w->lock);
		while (!w->n && w->busy && !w->failed)
			pthread_cond_wait(&w->cond, &w->lock);
		if (!w->n || w->failed) {
			pthread_cond_broadcast(&w->cond);
			pthread_mutex_unlock(&w->lock);
			return NULL;
		}
		struct folder f = w->q[--w->n];
		w->busy++;
		pthread_mutex_unlock(&w->lock);
		index_folder(w, &me->part, &f);
		free(f.rel);
		pthread_mutex_lock(&w->lock);
		w->busy--;
		if (!w->busy && !w->n)
			pthread_cond_broadcast(&w->cond);
		pthread_mutex_unlock(&w->lock);
	}
}

/* Walk the site folder @t->dirfd on @threads threads into @t. */
static int walk_all(struct sitefiles *t, unsigned threads, struct buf *err)
{
	struct walk w = { .err = err, .rootfd = t->dirfd };
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.cond, NULL);
	push(&w, xstrdup(""), 0);
	struct walker me[SITEFILES_WALKERS];
	pthread_t tid[SITEFILES_WALKERS];
	bool made[SITEFILES_WALKERS] = { false };
	for (unsigned i = 0; i < threads; i++) {
		me[i] = (struct walker){ &w, { .arena = arena_new() } };
		made[i] = i && pthread_create(&tid[i], NULL, walker_run,
					      &me[i]) == 0;
	}
	walker_run(&me[0]);
	for (unsigned i = 1; i < threads; i++)
		if (made[i])
			pthread_join(tid[i], NULL);
	for (size_t i = 0; i < w.n; i++) /* left by a failure */
		free(w.q[i].rel);
	free(w.q);
	pthread_cond_destroy(&w.cond);
	pthread_mutex_destroy(&w.lock);
	size_t total = 0;
	for (unsigned i = 0; i < threads; i++)
		total += me[i].part.n;
	t->files = xmalloc((total ? total : 1) * sizeof(*t->files));
	t->cap = total;
	for (unsigned i = 0; i < threads; i++) {
		struct part *p = &me[i].part;
		if (p->n) /* a thread that found nothing has no array */
			memcpy(t->files + t->n, p->files,
			       p->n * sizeof(*p->files));
		t->n += p->n;
		t->bytes += p->bytes;
		t->path_bytes += p->path_bytes;
		t->arenas[t->narenas++] = p->arena;
		free(p->files);
	}
	for (size_t i = 0; i < t->n; i++)
		t->files[i].index = (uint32_t)i;
	return w.failed ? -1 : 0;
}

/* An index of folder @dir holding nothing yet, or NULL with @err set. */
static struct sitefiles *index_open(const char *dir, struct buf *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		buf_printf(err, "cannot open the site folder %s: %s", dir,
			   strerror(errno));
		return NULL;
	}
	struct sitefiles *t = xcalloc(1, sizeof(*t));
	t->root = xstrdup(dir);
	t->dirfd = fd;
	return t;
}

int sitefiles_load(const char *dir, struct sitefiles **out, struct buf *err)
{
	*out = NULL;
	struct sitefiles *t = index_open(dir, err);
	if (!t)
		return -1;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = cpus < 1		      ? 1
			   : cpus > SITEFILES_WALKERS ? SITEFILES_WALKERS
						      : (unsigned)cpus;
	int rc = walk_all(t, threads, err);
	if (rc == 0 && t->n == 0) {
		buf_printf(err, "the site folder %s holds no file", dir);
		rc = -1;
	}
	if (rc == 0 && t->n >= SLOT_ALIAS) {
		buf_printf(err, "the site folder %s holds too many files", dir);
		rc = -1;
	}
	if (rc != 0) {
		sitefiles_free(t);
		return -1;
	}
	table_build(t);
	*out = t;
	return 0;
}

/* ---- one file, as the walk would index it ---------------------------- */

/* fstat() of @rel beneath folder @dfd, reached as sitefiles_open()
 * reaches it. */
static int stat_beneath(int dfd, const char *rel, struct stat *st)
{
	int fd = open_beneath(dfd, rel, O_PATH);
	if (fd < 0)
		return -1;
	int rc = fstat(fd, st);
	close(fd);
	return rc;
}

/* Whether the walk would index @rel: no hidden segment, not too deep, not
 * too long. */
static bool walkable(const char *rel, size_t len)
{
	if (!len || len + 1 >= SITEFILES_PATH_MAX)
		return false;
	int depth = 0;
	for (const char *seg = rel; seg;) {
		if (seg[0] == '.' || seg[0] == '/' || seg[0] == '\0')
			return false;
		seg = strchr(seg, '/');
		if (seg && ++depth > MAX_DEPTH)
			return false;
		seg = seg ? seg + 1 : NULL;
	}
	return true;
}

static int64_t mtime_of(const struct stat *st)
{
	return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

/* Which of @rel.gz and @rel.br lie beside @rel, no older than it. */
static uint8_t siblings_of(int dfd, const char *rel, const struct stat *st)
{
	static const char *const ext[] = { NULL, ".gz", ".br" };
	uint8_t siblings = 0;
	char alt[SITEFILES_PATH_MAX + 8];
	for (int k = SITEFILE_GZIP; k < SITEFILE_NENCODINGS; k++) {
		struct stat s;
		snprintf(alt, sizeof(alt), "%s%s", rel, ext[k]);
		if (stat_beneath(dfd, alt, &s) == 0 && S_ISREG(s.st_mode) &&
		    mtime_of(&s) >= mtime_of(st))
			siblings |= (uint8_t)(1u << k);
	}
	return siblings;
}

/* Whether @rel (of @len bytes) is "X.gz" or "X.br" with a regular file X:
 * X's compressed copy, not a file of its own. */
static bool is_sibling(int dfd, const char *rel, size_t len)
{
	if (!has_suffix(rel, len, ".gz") && !has_suffix(rel, len, ".br"))
		return false;
	char base[SITEFILES_PATH_MAX + 8];
	snprintf(base, sizeof(base), "%.*s", (int)(len - 3), rel);
	struct stat st;
	return stat_beneath(dfd, base, &st) == 0 && S_ISREG(st.st_mode);
}

/* Whether @rel (of @len bytes) is a file the walk would index: a
 * walkable name, a regular file reached without a link, not X's copy;
 * then @st is its stat and @siblings its copies. */
static bool file_as_walked(int dfd, const char *rel, size_t len,
			   struct stat *st, uint8_t *siblings)
{
	if (!walkable(rel, len) || stat_beneath(dfd, rel, st) != 0 ||
	    !S_ISREG(st->st_mode) || is_sibling(dfd, rel, len))
		return false;
	*siblings = siblings_of(dfd, rel, st);
	return true;
}

/* @f as file_as_walked() found @rel: its path "/REL" kept in @a. */
static void file_fill(struct sitefile *f, struct arena *a, const char *rel,
		      size_t len, const struct stat *st, uint8_t siblings)
{
	char *path = arena_alloc(a, len + 2);
	path[0] = '/';
	memcpy(path + 1, rel, len);
	path[len + 1] = '\0';
	*f = (struct sitefile){
		.path = path,
		.size = (uint64_t)st->st_size,
		.mtime_ns = mtime_of(st),
		.ino = (uint64_t)st->st_ino,
		.path_len = (uint16_t)(len + 1),
		.siblings = siblings,
	};
	f->type = sitefiles_content_type(path, &f->compressible);
}

/* ---- updating ------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names to look at again, sorted and each once: every walkable one
 * of @changed, with for a compressed copy "X.gz" the file X it may
 * belong to, and for a file X its copies. Strings are in @a. */
static char **names_to_redo(const char *const *changed, size_t n,
			    struct arena *a, size_t *count)
{
	char **names = xmalloc((3 * n + 1) * sizeof(*names));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(changed[i]);
		if (!walkable(changed[i], len))
			continue;
		names[k++] = arena_strndup(a, changed[i], len);
		if (has_suffix(changed[i], len, ".gz") ||
		    has_suffix(changed[i], len, ".br")) {
			names[k++] = arena_strndup(a, changed[i], len - 3);
		} else {
			/* X gone makes X.gz a file of its own. */
			names[k] = arena_alloc(a, len + 4);
			sprintf(names[k++], "%s.gz", changed[i]);
			names[k] = arena_alloc(a, len + 4);
			sprintf(names[k++], "%s.br", changed[i]);
		}
	}
	qsort(names, k, sizeof(*names), cmp_str);
	size_t u = 0;
	for (size_t i = 0; i < k; i++)
		if (!u || strcmp(names[u - 1], names[i]))
			names[u++] = names[i];
	*count = u;
	return names;
}

int sitefiles_update(const struct sitefiles *old, const char *const *changed,
		     size_t n, struct sitefiles **out, struct buf *err)
{
	/* Nothing kept by a lazy index is kept past a change. */
	if (old->lazy)
		return sitefiles_lazy(old->root, out, err);
	*out = NULL;
	struct sitefiles *t = xcalloc(1, sizeof(*t));
	t->root = xstrdup(old->root);
	t->dirfd = fcntl(old->dirfd, F_DUPFD_CLOEXEC, 0);
	struct arena *a = arena_new();
	t->arenas[t->narenas++] = a;
	if (t->dirfd < 0) {
		buf_printf(err, "cannot open the site folder %s again: %s",
			   old->root, strerror(errno));
		sitefiles_free(t);
		return -1;
	}
	size_t nnames;
	char **names = names_to_redo(changed, n, a, &nnames);
	/* Files of @old that are not looked at again stay as they are. */
	bool *redo = xcalloc(old->n ? old->n : 1, sizeof(*redo));
	char path[SITEFILES_PATH_MAX + 8];
	for (size_t i = 0; i < nnames; i++) {
		int m = snprintf(path, sizeof(path), "/%s", names[i]);
		const struct sitefile *f = sitefiles_find(old, path, (size_t)m);
		if (f)
			redo[f->index] = true;
	}
	t->cap = old->n + nnames;
	t->files = xmalloc((t->cap ? t->cap : 1) * sizeof(*t->files));
	for (size_t i = 0; i < old->n; i++) {
		if (redo[i])
			continue;
		struct sitefile *f = &t->files[t->n++];
		*f = old->files[i];
		f->path = arena_strndup(a, f->path, f->path_len);
	}
	free(redo);
	for (size_t i = 0; i < nnames; i++) {
		const char *rel = names[i];
		size_t len = strlen(rel);
		struct stat st;
		uint8_t siblings;
		if (file_as_walked(t->dirfd, rel, len, &st, &siblings))
			file_fill(&t->files[t->n++], a, rel, len, &st,
				  siblings);
	}
	free(names);
	if (t->n == 0) {
		buf_printf(err, "the site folder %s holds no file", old->root);
		sitefiles_free(t);
		return -1;
	}
	for (size_t i = 0; i < t->n; i++) {
		t->files[i].index = (uint32_t)i;
		t->bytes += t->files[i].size;
		t->path_bytes += t->files[i].path_len + 1u;
	}
	table_build(t);
	*out = t;
	return 0;
}

/* ---- looking up on demand -------------------------------------------- */

int sitefiles_lazy(const char *dir, struct sitefiles **out, struct buf *err)
{
	struct sitefiles *t = *out = index_open(dir, err);
	if (!t)
		return -1;
	t->lazy = xcalloc(1, sizeof(*t->lazy));
	pthread_rwlock_init(&t->lazy->lock, NULL);
	t->lazy->arena = arena_new();
	return 0;
}

static const struct sitefile *found_at(const void *owner, uint32_t n)
{
	return ((const struct looked_up *)owner)->found[n];
}

/* The entry @l found for key @path, or NULL. */
static const struct sitefile *
found_find(const struct looked_up *l, const char *path, size_t len, uint32_t h)
{
	return l->nslots ? slot_find(l->slots, l->nslots, found_at, l, path,
				     len, h)
			 : NULL;
}

/* Keep @f (in @l's arena) under key @h; the table stays under 2/3 full. */
static void found_add(struct looked_up *l, const struct sitefile *f, uint32_t h,
		      bool alias)
{
	if ((l->n + 1) * 3 >= l->nslots * 2) {
		struct slot *old = l->slots;
		size_t n = l->nslots;
		l->nslots = n ? n * 2 : 64;
		l->slots = xcalloc(l->nslots, sizeof(*l->slots));
		for (size_t i = 0; i < n; i++)
			if (old[i].file)
				slot_put(l->slots, l->nslots, old[i].hash,
					 old[i].file);
		free(old);
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->found = xrealloc(l->found, l->cap * sizeof(*l->found));
	}
	l->found[l->n++] = f;
	slot_put(l->slots, l->nslots, h,
		 (uint32_t)l->n | (alias ? SLOT_ALIAS : 0));
}

/*
 * The file at URL path @path, looked up on the disk by the walk's rules
 * when first asked for, then kept: what sitefiles_find() would find in
 * an index made by sitefiles_load() now. Files are kept and never
 * forgotten, so what is returned lives as long as the index; paths that
 * name no file are not kept, so they cost nothing but time.
 */
static const struct sitefile *lazy_find(const struct sitefiles *t,
					const char *path, size_t len)
{
	struct looked_up *l = t->lazy;
	uint32_t h = (uint32_t)hash_bytes(path, len);
	/* "/X/" is "/X/index.html", as the walk's aliases have it. */
	bool alias = len && path[len - 1] == '/';
	char rel[SITEFILES_PATH_MAX + INDEX_LEN + 1];
	if (!len || path[0] != '/' || len + INDEX_LEN >= sizeof(rel))
		return NULL;
	size_t rel_len = len - 1;
	memcpy(rel, path + 1, rel_len);
	if (alias) {
		memcpy(rel + rel_len, index_name, INDEX_LEN);
		rel_len += INDEX_LEN;
	}
	rel[rel_len] = '\0';
	pthread_rwlock_rdlock(&l->lock);
	const struct sitefile *f = found_find(l, path, len, h);
	pthread_rwlock_unlock(&l->lock);
	if (f)
		return f;
	/* Looked up with no lock held: the disk is slow, and other threads
	 * go on finding what is kept. */
	struct stat st;
	uint8_t siblings;
	if (!file_as_walked(t->dirfd, rel, rel_len, &st, &siblings))
		return NULL;
	pthread_rwlock_wrlock(&l->lock);
	/* Another thread may have kept it meanwhile. */
	f = found_find(l, path, len, h);
	if (!f) {
		struct sitefile *e = arena_alloc(l->arena, sizeof(*e));
		file_fill(e, l->arena, rel, rel_len, &st, siblings);
		e->index = UINT32_MAX;
		found_add(l, e, h, alias);
		f = e;
	}
	pthread_rwlock_unlock(&l->lock);
	return f;
}

void sitefiles_free(struct sitefiles *t)
{
	if (!t)
		return;
	if (t->lazy) {
		pthread_rwlock_destroy(&t->lazy->lock);
		arena_free(t->lazy->arena);
		free(t->lazy->slots);
		free(t->lazy->found);
		free(t->lazy);
	}
	if (t->dirfd >= 0)
		close(t->dirfd);
	free(t->root);
	free(t->files);
	free(t->slots);
	for (unsigned i = 0; i < t->narenas; i++)
		arena_free(t->arenas[i]);
	free(t);
}
