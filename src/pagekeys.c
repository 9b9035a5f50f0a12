/*
 * pagekeys.c - the listing pages' keys kept between builds.
 *
 * The file is text, one line each:
 *
 *   cancelatlas-pages 1 SITEKEY    the site state the keys belong to
 *   KEY PATH                       a page's key, by path, in path order
 *   end LINES CHECK                the count of lines above, a hash of them
 *
 * Hashes are 16 hexadecimal digits. Anything else makes the file count as
 * absent, which costs only rendering every listing page once.
 */
#define _GNU_SOURCE
#include "pagekeys.h"
#include "arena.h"
#include "hash.h"
#include "internal.h"
#include "safefile.h"

#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Far more than the listings of any site; a larger file is not ours. */
#define PAGEKEYS_MAX ((size_t)1 << 28)

struct page {
	const char *path;
	uint64_t key;
};

struct pagekeys {
	struct page *v;
	size_t n, cap;
	size_t *index; /* open-addressed: entry + 1, 0 free */
	size_t slots;
	struct arena *strings;
	pthread_mutex_t lock;
};

struct pagekeys *pagekeys_new(void)
{
	struct pagekeys *k = xcalloc(1, sizeof(*k));
	k->strings = arena_new();
	pthread_mutex_init(&k->lock, NULL);
	return k;
}

void pagekeys_free(struct pagekeys *k)
{
	if (!k)
		return;
	free(k->v);
	free(k->index);
	arena_free(k->strings);
	pthread_mutex_destroy(&k->lock);
	free(k);
}

static void add(struct pagekeys *k, const char *path, uint64_t key)
{
	if (k->n == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 256;
		k->v = xrealloc(k->v, k->cap * sizeof(*k->v));
	}
	k->v[k->n++] = (struct page){ arena_strdup(k->strings, path), key };
}

void pagekeys_put(struct pagekeys *k, const char *path, uint64_t key)
{
	pthread_mutex_lock(&k->lock);
	add(k, path, key);
	pthread_mutex_unlock(&k->lock);
}

/* The slot of @path in @k's index. */
static size_t *slot_of(const struct pagekeys *k, const char *path)
{
	size_t mask = k->slots - 1;
	for (size_t i = (size_t)hash_str(path) & mask;; i = (i + 1) & mask)
		if (!k->index[i] || !strcmp(k->v[k->index[i] - 1].path, path))
			return &k->index[i];
}

/* Index a loaded set; false when a path is there twice. */
static bool index_build(struct pagekeys *k)
{
	k->slots = 16;
	while (k->slots < 2 * k->n)
		k->slots *= 2;
	k->index = xcalloc(k->slots, sizeof(*k->index));
	for (size_t i = 0; i < k->n; i++) {
		size_t *s = slot_of(k, k->v[i].path);
		if (*s)
			return false;
		*s = i + 1;
	}
	return true;
}

bool pagekeys_match(const struct pagekeys *k, const char *path, uint64_t key)
{
	if (!k || !k->index)
		return false;
	size_t *s = slot_of(k, path);
	return *s && k->v[*s - 1].key == key;
}

static bool hex64(const char *s, uint64_t *v)
{
	uint64_t x = 0;
	for (int i = 0; i < 16; i++) {
		char c = s[i];
		if (c >= '0' && c <= '9')
			x = x << 4 | (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			x = x << 4 | (uint64_t)(c - 'a' + 10);
		else
			return false;
	}
	*v = x;
	return true;
}

/* Parse @text into @k; false when it is not a file for @site_key. */
static bool parse(struct pagekeys *k, char *text, size_t len, uint64_t site_key)
{
	static const char head[] = "cancelatlas-pages 1 ";
	size_t hl = sizeof(head) - 1;
	if (len < hl + 17 || memcmp(text, head, hl) || text[len - 1] != '\n')
		return false;
	uint64_t v;
	if (!hex64(text + hl, &v) || v != site_key || text[hl + 16] != '\n')
		return false;
	char *last = memrchr(text, '\n', len - 1);
	if (!last)
		return false;
	last++;
	size_t lines;
	char check[17];
	if (sscanf(last, "end %zu %16s", &lines, check) != 2 ||
	    !hex64(check, &v) || v != hash_data(text, (size_t)(last - text)))
		return false;
	size_t line = 1;
	for (char *p = text + hl + 17; p < last; line++) {
		char *nl = memchr(p, '\n', (size_t)(last - p));
		if (nl - p < 18 || !hex64(p, &v) || p[16] != ' ')
			return false;
		*nl = '\0';
		add(k, p + 17, v);
		p = nl + 1;
	}
	return line == lines && index_build(k);
}

struct pagekeys *pagekeys_load(const char *dir, uint64_t site_key)
{
	struct pagekeys *k = pagekeys_new();
	if (!site_key)
		return k;
	struct buf path = BUF_INIT, text = BUF_INIT;
	buf_printf(&path, "%s/%s", dir, PAGEKEYS_NAME);
	struct stat st;
	bool ok = safefile_read(AT_FDCWD, path.data, PAGEKEYS_MAX, &text,
				&st) == SAFEFILE_OK &&
		  parse(k, text.data, text.len, site_key);
	buf_free(&path);
	buf_free(&text);
	if (!ok) {
		pagekeys_free(k);
		k = pagekeys_new();
	}
	return k;
}

static int page_cmp(const void *a, const void *b)
{
	return strcmp(((const struct page *)a)->path,
		      ((const struct page *)b)->path);
}

int pagekeys_save(struct pagekeys *k, const char *dir, uint64_t site_key,
		  struct buf *err)
{
	pthread_mutex_lock(&k->lock);
	qsort(k->v, k->n, sizeof(*k->v), page_cmp);
	struct buf b = BUF_INIT;
	buf_printf(&b, "cancelatlas-pages 1 %016" PRIx64 "\n", site_key);
	for (size_t i = 0; i < k->n; i++)
		buf_printf(&b, "%016" PRIx64 " %s\n", k->v[i].key,
			   k->v[i].path);
	buf_printf(&b, "end %zu %016" PRIx64 "\n", k->n + 1,
		   hash_data(b.data, b.len));
	pthread_mutex_unlock(&k->lock);
	int rc = safefile_replace(dir, PAGEKEYS_NAME, &b, 1, NULL, err);
	buf_free(&b);
	return rc;
}
