/*
 * sitefiles.c - load a built site into memory for the server.
 *
 * Every regular file under the folder is read once, hashed for its strong
 * ETag and compressed once with gzip (zlib) and brotli, on every core; a
 * variant is kept only when it is smaller. The table is an open-addressing
 * hash from URL path to file, immutable after loading, so any number of
 * threads look files up without locks; a new build is a new table. Serving
 * only from this table, with paths cleaned by sitefiles_path_clean(), is
 * what keeps a request from ever reaching a file outside the site: no
 * request path is ever handed to the file system.
 */
#define _GNU_SOURCE
#include "sitefiles.h"
#include "arena.h"
#include "esc.h"
#include "hash.h"
#include "internal.h"
#include "outdir.h"

#include <brotli/encode.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* Smaller files are never worth a compressed variant. */
#define MIN_COMPRESS 128
/* Folders nested deeper than this are not read. */
#define MAX_DEPTH 32

struct slot {
	const char *key;
	size_t len;
	size_t file; /* index + 1; 0 marks an empty slot */
};

struct sitefiles {
	struct arena *arena; /* paths */
	struct sitefile *files;
	size_t n, cap;
	size_t bytes;
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

/* MurmurHash64A over the content: the ETag needs 64 bits, fast. */
static uint64_t hash_content(const unsigned char *p, size_t len)
{
	const uint64_t m = 0xc6a4a7935bd1e995u;
	const int r = 47;
	uint64_t h = 0x9e3779b97f4a7c15u ^ (len * m);
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t k;
		memcpy(&k, p + i, 8);
		k *= m;
		k ^= k >> r;
		k *= m;
		h ^= k;
		h *= m;
	}
	uint64_t t = 0;
	for (size_t j = len - i; j > 0; j--)
		t = t << 8 | p[i + j - 1];
	if (len - i) {
		h ^= t;
		h *= m;
	}
	h ^= h >> r;
	h *= m;
	h ^= h >> r;
	return h;
}

static void table_insert(struct sitefiles *t, const char *key, size_t len,
			 size_t file)
{
	size_t mask = t->nslots - 1;
	for (size_t i = hash_bytes(key, len) & mask;; i = (i + 1) & mask) {
		struct slot *s = &t->slots[i];
		if (!s->file) {
			*s = (struct slot){ key, len, file + 1 };
			return;
		}
		if (s->len == len && !memcmp(s->key, key, len))
			return; /* the first name wins */
	}
}

static void table_build(struct sitefiles *t)
{
	size_t keys = t->n * 2 + 1;
	t->nslots = 16;
	while (t->nslots < keys * 2)
		t->nslots *= 2;
	t->slots = xcalloc(t->nslots, sizeof(*t->slots));
	for (size_t i = 0; i < t->n; i++) {
		const char *path = t->files[i].path;
		size_t len = strlen(path);
		table_insert(t, path, len, i);
		/* ".../index.html" is also ".../". */
		static const char index[] = "index.html";
		size_t il = sizeof(index) - 1;
		if (len > il && !strcmp(path + len - il, index) &&
		    path[len - il - 1] == '/')
			table_insert(t, path, len - il, i);
	}
}

const struct sitefile *sitefiles_find(const struct sitefiles *t,
				      const char *path, size_t len)
{
	size_t mask = t->nslots - 1;
	for (size_t i = hash_bytes(path, len) & mask;; i = (i + 1) & mask) {
		const struct slot *s = &t->slots[i];
		if (!s->file)
			return NULL;
		if (s->len == len && !memcmp(s->key, path, len))
			return &t->files[s->file - 1];
	}
}

size_t sitefiles_count(const struct sitefiles *t)
{
	return t->n;
}

size_t sitefiles_bytes(const struct sitefiles *t)
{
	return t->bytes;
}

const struct sitefile *sitefiles_at(const struct sitefiles *t, size_t i)
{
	return &t->files[i];
}

/* ---- reading --------------------------------------------------------- */

static int read_fd(int fd, size_t size, unsigned char **out)
{
	unsigned char *data = xmalloc(size ? size : 1);
	size_t got = 0;
	while (got < size) {
		ssize_t n = read(fd, data + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO; /* the file shrank under us */
			free(data);
			return -1;
		}
		got += (size_t)n;
	}
	*out = data;
	return 0;
}

static void add_file(struct sitefiles *t, const char *rel, unsigned char *data,
		     size_t len)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->files = xrealloc(t->files, t->cap * sizeof(*t->files));
	}
	struct sitefile *f = &t->files[t->n];
	memset(f, 0, sizeof(*f));
	struct buf path = BUF_INIT;
	buf_printf(&path, "/%s", rel);
	f->path = arena_strndup(t->arena, path.data, path.len);
	buf_free(&path);
	f->type = sitefiles_content_type(rel, &f->compressible);
	f->index = t->n;
	f->v[SITEFILE_IDENTITY].data = data;
	f->v[SITEFILE_IDENTITY].len = len;
	t->bytes += len;
	t->n++;
}

/* Read folder @dfd (path @rel inside the site) and everything below it. */
static int walk(struct sitefiles *t, int dfd, struct buf *rel, int depth,
		struct buf *err)
{
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		buf_printf(err, "cannot read folder %s: %s", buf_cstr(rel),
			   strerror(errno));
		return -1;
	}
	size_t base = rel->len;
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (errno = 0, e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    (depth == 0 && !strcmp(e->d_name, OUTDIR_MARK)))
			continue;
		rel->len = base;
		if (base)
			buf_putc(rel, '/');
		buf_puts(rel, e->d_name);
		struct stat st;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW)) {
			buf_printf(err, "cannot stat %s: %s", rel->data,
				   strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd(d), e->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
						 O_CLOEXEC);
			if (depth >= MAX_DEPTH) {
				if (sub >= 0)
					close(sub);
			} else if (sub < 0) {
				buf_printf(err, "cannot open %s: %s", rel->data,
					   strerror(errno));
				rc = -1;
			} else {
				rc = walk(t, sub, rel, depth + 1, err);
			}
		} else if (S_ISREG(st.st_mode)) {
			int fd = openat(dirfd(d), e->d_name,
					O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
			unsigned char *data;
			if (fd < 0 || read_fd(fd, (size_t)st.st_size, &data)) {
				buf_printf(err, "cannot read %s: %s", rel->data,
					   strerror(errno));
				rc = -1;
			} else {
				add_file(t, rel->data, data,
					 (size_t)st.st_size);
			}
			if (fd >= 0)
				close(fd);
		}
		/* Symbolic links, sockets and devices are never served. */
	}
	if (rc == 0 && errno) {
		buf_printf(err, "cannot list %s: %s", buf_cstr(rel),
			   strerror(errno));
		rc = -1;
	}
	rel->len = base;
	if (rel->data)
		rel->data[base] = '\0';
	closedir(d);
	return rc;
}

/* ---- compression ----------------------------------------------------- */

static unsigned char *gzip_data(const unsigned char *in, size_t len, int level,
				size_t *out_len)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (len > UINT32_MAX || deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8,
					     Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	size_t cap = deflateBound(&z, (uLong)len);
	unsigned char *out = xmalloc(cap);
	z.next_in = (unsigned char *)in;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	int rc = deflate(&z, Z_FINISH);
	*out_len = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(out);
		return NULL;
	}
	return out;
}

static unsigned char *brotli_data(const unsigned char *in, size_t len,
				  int quality, bool text, size_t *out_len)
{
	size_t cap = BrotliEncoderMaxCompressedSize(len);
	if (!cap)
		return NULL;
	unsigned char *out = xmalloc(cap);
	*out_len = cap;
	if (!BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW,
				   text ? BROTLI_MODE_TEXT
					: BROTLI_MODE_GENERIC,
				   len, in, out_len, out)) {
		free(out);
		return NULL;
	}
	return out;
}

/* Keep @data as variant @e of @f if it is smaller than the original. */
static void keep_variant(struct sitefile *f, enum sitefile_encoding e,
			 unsigned char *data, size_t len)
{
	if (!data || len >= f->v[SITEFILE_IDENTITY].len) {
		free(data);
		return;
	}
	f->v[e].data = xrealloc(data, len);
	f->v[e].len = len;
}

struct work {
	struct sitefiles *t;
	const struct sitefiles_opts *opts;
	atomic_size_t next;
};

static void prepare(struct sitefile *f, const struct sitefiles_opts *opts)
{
	struct sitefile_variant *id = &f->v[SITEFILE_IDENTITY];
	uint64_t h = hash_content(id->data, id->len);
	snprintf(id->etag, sizeof(id->etag), "\"%zx-%016llx\"", id->len,
		 (unsigned long long)h);
	if (opts->identity_only || !f->compressible || id->len < MIN_COMPRESS)
		return;
	size_t len;
	unsigned char *z = gzip_data(id->data, id->len, opts->gzip_level, &len);
	keep_variant(f, SITEFILE_GZIP, z, len);
	unsigned char *br = brotli_data(id->data, id->len, opts->brotli_quality,
					strncmp(f->type, "image/", 6), &len);
	keep_variant(f, SITEFILE_BROTLI, br, len);
	static const char *const suffix[] = { "", "-gz", "-br" };
	for (int e = SITEFILE_GZIP; e < SITEFILE_NENCODINGS; e++)
		if (f->v[e].data)
			snprintf(f->v[e].etag, sizeof(f->v[e].etag),
				 "\"%zx-%016llx%s\"", id->len,
				 (unsigned long long)h, suffix[e]);
}

static void *compress_worker(void *arg)
{
	struct work *w = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&w->next, 1);
		if (i >= w->t->n)
			return NULL;
		prepare(&w->t->files[i], w->opts);
	}
}

static void compress_all(struct sitefiles *t, const struct sitefiles_opts *o)
{
	struct work w = { t, o, 0 };
	unsigned n = o->threads;
	if (n > 64)
		n = 64;
	pthread_t tid[64];
	unsigned started = 0;
	for (unsigned i = 1; i < n; i++)
		if (pthread_create(&tid[started], NULL, compress_worker, &w) ==
		    0)
			started++;
	compress_worker(&w);
	for (unsigned i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
}

static int cmp_path(const void *a, const void *b)
{
	const struct sitefile *x = a, *y = b;
	return strcmp(x->path, y->path);
}

int sitefiles_load(const char *dir, const struct sitefiles_opts *opts,
		   struct sitefiles **out, struct buf *err)
{
	struct sitefiles_opts o = opts ? *opts : (struct sitefiles_opts){ 0 };
	if (!o.threads) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		o.threads = cpus > 0 ? (unsigned)cpus : 1;
	}
	if (o.gzip_level < 1 || o.gzip_level > 9)
		o.gzip_level = 6;
	if (o.brotli_quality < 1 || o.brotli_quality > 11)
		o.brotli_quality = 5;

	*out = NULL;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		buf_printf(err, "cannot open the site folder %s: %s", dir,
			   strerror(errno));
		return -1;
	}
	struct sitefiles *t = xcalloc(1, sizeof(*t));
	t->arena = arena_new();
	struct buf rel = BUF_INIT;
	int rc = walk(t, fd, &rel, 0, err);
	buf_free(&rel);
	if (rc == 0 && t->n == 0) {
		buf_printf(err, "the site folder %s holds no file", dir);
		rc = -1;
	}
	if (rc != 0) {
		sitefiles_free(t);
		return -1;
	}
	/* File order is the folder's order; sort it so indices are stable
	 * from one load of the same site to the next. */
	qsort(t->files, t->n, sizeof(*t->files), cmp_path);
	for (size_t i = 0; i < t->n; i++)
		t->files[i].index = i;
	compress_all(t, &o);
	table_build(t);
	*out = t;
	return 0;
}

void sitefiles_free(struct sitefiles *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		for (int e = 0; e < SITEFILE_NENCODINGS; e++)
			free((void *)t->files[i].v[e].data);
	free(t->files);
	free(t->slots);
	arena_free(t->arena);
	free(t);
}
