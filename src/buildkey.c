/*
 * buildkey.c - the content hashes of a build's inputs.
 *
 * A record's page, badge, card, JSON and citations depend on that record
 * alone, plus what every page depends on; the shared pages (index, group
 * pages, insights, feeds, sitemap, CSV, API lists) depend on every
 * record. Hashing the inputs, not the outputs, is what lets a build skip
 * rendering a record whose inputs did not change.
 */
#define _GNU_SOURCE
#include "buildkey.h"
#include "arena.h"
#include "buf.h"
#include "catalog.h"
#include "dataset.h"
#include "fresh.h"
#include "hash.h"
#include "history.h"
#include "internal.h"
#include "manifest.h"
#include "method.h"
#include "pagestate.h"
#include "safefile.h"
#include "store.h"

#include <ftw.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put_str(struct hash_stream *h, const char *s)
{
	/* With its NUL, so that "ab","c" and "a","bc" differ. */
	if (!s)
		s = "\x01";
	hash_stream_put(h, s, strlen(s) + 1);
}

static void put_int(struct hash_stream *h, int64_t v)
{
	hash_stream_put(h, &v, sizeof(v));
}

/* The content hash of the file at @path, with its name; 0 when absent. */
static uint64_t file_hash(const char *path)
{
	size_t len;
	char *data = path ? safefile_read_all(path, &len) : NULL;
	if (!data)
		return 0;
	uint64_t h = hash_data(data, len);
	free(data);
	return h;
}

static uint64_t program_hash;

static void hash_program(void)
{
	program_hash = file_hash("/proc/self/exe");
}

uint64_t buildkey_program(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, hash_program);
	return program_hash;
}

static void set_hex(struct manifest *m, const char *name, uint64_t v)
{
	char hex[17];
	snprintf(hex, sizeof(hex), "%016" PRIx64, v);
	manifest_set_input(m, name, hex);
}

/* The files under a templates folder, collected by nftw(). */
static _Thread_local struct buf *tree_paths;

static int collect(const char *path, const struct stat *st, int flag,
		   struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_F)
		buf_put(tree_paths, path, strlen(path) + 1);
	return 0;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every file under @dir, by path and bytes, in path order. */
static uint64_t tree_hash(const char *dir)
{
	struct buf paths = BUF_INIT;
	tree_paths = &paths;
	nftw(dir, collect, 16, FTW_PHYS);
	tree_paths = NULL;
	size_t n = 0;
	for (size_t i = 0; i < paths.len; i++)
		n += paths.data[i] == '\0';
	const char **v = xmalloc((n ? n : 1) * sizeof(*v));
	size_t k = 0;
	for (char *p = paths.data; k < n; p += strlen(p) + 1)
		v[k++] = p;
	qsort(v, n, sizeof(*v), str_cmp);
	struct hash_stream h;
	hash_stream_init(&h);
	for (size_t i = 0; i < n; i++) {
		put_str(&h, v[i]);
		put_int(&h, (int64_t)file_hash(v[i]));
	}
	free(v);
	buf_free(&paths);
	return hash_stream_end(&h);
}

void buildkey_inputs(struct manifest *m, const struct catalog *c,
		     const char *templates_dir, const char *base_url)
{
	char num[32];
	set_hex(m, "program", buildkey_program());
	set_hex(m, "templates", tree_hash(templates_dir));
	manifest_set_input(m, "methodology", c->m->version);
	set_hex(m, "site.yaml", file_hash(c->site->file));
	set_hex(m, "industries.yaml", file_hash(c->ds->industries_file));
	set_hex(m, "base-url", hash_str(base_url ? base_url : ""));
	snprintf(num, sizeof(num), "%lld",
		 (long long)fresh_day_of(c->generated));
	manifest_set_input(m, "day", num);
	snprintf(num, sizeof(num), "%zu", c->n);
	manifest_set_input(m, "records", num);
	set_hex(m, "history",
		hash_str(!c->history_read	  ? "unread"
			 : c->history_unavailable ? c->history_unavailable
						  : "read"));
}

static void put_decision(struct hash_stream *h, const struct store_decision *d)
{
	put_int(h, d->kind);
	put_str(h, d->tracking);
	put_str(h, d->record);
	put_str(h, d->field);
	put_str(h, d->decision);
	put_str(h, d->reason);
	put_int(h, d->decided);
	put_str(h, d->day);
}

static void put_version(struct hash_stream *h,
			const struct store_page_version *v)
{
	if (!v) {
		put_int(h, -1);
		return;
	}
	put_int(h, v->id);
	put_int(h, v->fetched);
	put_int(h, v->checked);
	put_int(h, v->http_status);
	put_str(h, v->final_url);
	put_str(h, v->sha256);
}

uint64_t buildkey_record(const struct catalog *c, const struct entry *e,
			 struct arena *a)
{
	struct hash_stream h;
	hash_stream_init(&h);
	/* The loader hashed the bytes it read; read them only for a record
	 * made some other way. */
	put_int(&h, (int64_t)(e->r->file_hash ? e->r->file_hash
					      : file_hash(e->r->file)));
	put_str(&h, e->r->file);
	const struct history_record *hr = e->history;
	for (size_t i = 0; hr && i < hr->nversions; i++) {
		const struct history_version *v = &hr->versions[i];
		put_str(&h, v->commit);
		put_str(&h, v->path);
		put_str(&h, v->note);
		put_str(&h, v->methodology);
		put_str(&h, v->skipped);
		put_int(&h, v->dated ? v->date : -1);
	}
	for (size_t i = 0; i < e->ndecisions; i++)
		put_decision(&h, e->decisions[i]);
	struct pagestate *pages;
	size_t n = pagestate_record(c->pages, e->r, a, &pages);
	for (size_t i = 0; i < n; i++) {
		put_str(&h, pages[i].url);
		put_str(&h, pages[i].role);
		put_int(&h, pages[i].status);
		put_int(&h, pages[i].checked);
		put_str(&h, pages[i].detail);
		put_int(&h, pages[i].baseline_after_review);
		put_version(&h, pages[i].baseline);
		put_version(&h, pages[i].newest);
	}
	uint64_t key = hash_stream_end(&h);
	return key ? key : 1;
}

uint64_t buildkey_shared(const struct catalog *c, const uint64_t *keys,
			 const struct store_decision *d, size_t n)
{
	struct hash_stream h;
	hash_stream_init(&h);
	for (size_t i = 0; i < c->n; i++) {
		put_str(&h, c->entries[i].r->id.s);
		put_int(&h, (int64_t)keys[i]);
	}
	for (size_t i = 0; i < n; i++)
		put_decision(&h, &d[i]);
	uint64_t key = hash_stream_end(&h);
	return key ? key : 1;
}
