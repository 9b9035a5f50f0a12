/*
 * histcache.c - the commits already read, in memory and in a file.
 *
 * In memory: commits allocated in one arena (stable pointers) and an
 * open-addressing hash of their ids. On disk: a text file, one line per
 * commit ("C"), per record file it touched ("E") and per change ("X"),
 * fields separated by tabs with tab, newline, carriage return and
 * backslash escaped. The first line is the key: a file written for another
 * methodology table, loader or records folder is ignored whole. Loading
 * unescapes in place and keeps the file's bytes as the strings' storage,
 * so reading 100,000 commits copies no text. The file is always replaced
 * whole through a rename, so a crash leaves the old one or the new one.
 */
#include "histcache.h"
#include "buf.h"
#include "internal.h"
#include "safefile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HISTCACHE_MAGIC "cancelatlas-history-cache"

struct histcache {
	char *key;
	struct arena *arena;
	struct histcache_commit **commits;
	size_t n, cap;
	size_t *slots; /* index + 1 into @commits; 0 is empty */
	size_t nslots;
	size_t loaded; /* commits that came from the file */
	char **texts;  /* loaded files' bytes, which strings point into */
	size_t ntexts;
};

struct histcache *histcache_new(const char *key)
{
	struct histcache *c = xcalloc(1, sizeof(*c));
	c->key = xstrdup(key);
	c->arena = arena_new();
	return c;
}

/* Drop every commit: those read from a file that turned out to be
 * unusable, or all of them as the cache goes. */
static void drop_all(struct histcache *c)
{
	for (size_t i = 0; i < c->n; i++)
		for (size_t j = 0; j < c->commits[i]->nentries; j++)
			free(c->commits[i]->entries[j].changes);
	c->n = 0;
	free(c->slots);
	c->slots = NULL;
	c->nslots = 0;
	arena_reset(c->arena);
}

void histcache_free(struct histcache *c)
{
	if (!c)
		return;
	drop_all(c);
	for (size_t i = 0; i < c->ntexts; i++)
		free(c->texts[i]);
	free(c->texts);
	free(c->commits);
	arena_free(c->arena);
	free(c->key);
	free(c);
}

struct arena *histcache_arena(struct histcache *c)
{
	return c->arena;
}

size_t histcache_count(const struct histcache *c)
{
	return c->n;
}

/* Object ids are SHA-1: any 8 of their bytes are already well mixed. */
static size_t slot_of(const unsigned char *oid, size_t nslots)
{
	uint64_t h;
	memcpy(&h, oid, sizeof(h));
	return (size_t)(h % nslots);
}

static void index_put(struct histcache *c, size_t i)
{
	size_t s = slot_of(c->commits[i]->oid, c->nslots);
	while (c->slots[s])
		s = (s + 1) % c->nslots;
	c->slots[s] = i + 1;
}

const struct histcache_commit *
histcache_find(const struct histcache *c,
	       const unsigned char oid[HISTCACHE_OID_LEN])
{
	if (!c->nslots)
		return NULL;
	for (size_t s = slot_of(oid, c->nslots); c->slots[s];
	     s = (s + 1) % c->nslots) {
		const struct histcache_commit *k = c->commits[c->slots[s] - 1];
		if (!memcmp(k->oid, oid, HISTCACHE_OID_LEN))
			return k;
	}
	return NULL;
}

/* Store @k, which lives in the arena, keeping the index at most half full. */
static const struct histcache_commit *store(struct histcache *c,
					    struct histcache_commit *k)
{
	const struct histcache_commit *old = histcache_find(c, k->oid);
	if (old)
		return old;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 1024;
		c->commits = xrealloc(c->commits, c->cap * sizeof(*c->commits));
	}
	c->commits[c->n++] = k;
	if (c->n * 2 > c->nslots) {
		free(c->slots);
		c->nslots = c->n * 4 + 64;
		c->slots = xcalloc(c->nslots, sizeof(*c->slots));
		for (size_t i = 0; i < c->n; i++)
			index_put(c, i);
	} else {
		index_put(c, c->n - 1);
	}
	return k;
}

const struct histcache_commit *
histcache_add(struct histcache *c, const struct histcache_commit *commit,
	      const struct histcache_entry *entries, size_t nentries)
{
	struct histcache_commit *k = arena_alloc(c->arena, sizeof(*k));
	*k = *commit;
	k->entries = nentries
			     ? arena_array(c->arena, nentries, sizeof(*entries))
			     : NULL;
	if (nentries)
		memcpy(k->entries, entries, nentries * sizeof(*entries));
	k->nentries = nentries;
	return store(c, k);
}

/* ---- the file -------------------------------------------------------- */

static void put_escaped(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\':
			buf_puts(b, "\\\\");
			break;
		case '\t':
			buf_puts(b, "\\t");
			break;
		case '\n':
			buf_puts(b, "\\n");
			break;
		case '\r':
			buf_puts(b, "\\r");
			break;
		default:
			buf_putc(b, *s);
		}
	}
}

static void put_oid(struct buf *b, const unsigned char *oid)
{
	static const char hex[] = "0123456789abcdef";
	char s[HISTCACHE_OID_LEN * 2];
	for (size_t i = 0; i < HISTCACHE_OID_LEN; i++) {
		s[2 * i] = hex[oid[i] >> 4];
		s[2 * i + 1] = hex[oid[i] & 15];
	}
	buf_put(b, s, sizeof(s));
}

static void put_score(struct buf *b, const struct histcache_score *s,
		      size_t ndims)
{
	buf_printf(b, "\t%d\t%c\t", s->score, s->grade);
	for (size_t i = 0; i < ndims; i++)
		buf_printf(b, "%s%d", i ? "," : "", s->levels[i]);
}

static void put_commit(struct buf *b, const struct histcache_commit *k)
{
	const struct method *m = method_current();
	buf_puts(b, "C\t");
	put_oid(b, k->oid);
	buf_putc(b, '\t');
	if (k->has_parent)
		put_oid(b, k->parent);
	buf_putc(b, '\t');
	put_oid(b, k->records);
	buf_printf(b, "\t%lld\t%d\t", (long long)k->time, k->offset);
	put_escaped(b, k->note ? k->note : "");
	buf_putc(b, '\n');
	for (size_t i = 0; i < k->nentries; i++) {
		const struct histcache_entry *e = &k->entries[i];
		buf_printf(b, "E\t%c\t", e->status);
		put_escaped(b, e->id);
		buf_putc(b, '\t');
		put_escaped(b, e->old_id ? e->old_id : "");
		buf_putc(b, '\t');
		put_oid(b, e->blob);
		buf_putc(b, '\t');
		put_oid(b, e->old_blob);
		buf_putc(b, '\t');
		put_escaped(b, e->problem ? e->problem : "");
		put_score(b, &e->policy, m->policy.ndims);
		if (e->has_flow)
			put_score(b, &e->flow, m->flow.ndims);
		buf_putc(b, '\n');
		for (size_t j = 0; j < e->nchanges; j++) {
			const struct histchange *x = &e->changes[j];
			buf_printf(b, "X\t%s\t", histchange_kind_id(x->kind));
			put_escaped(b, x->field);
			buf_printf(b, "\t%c%c\t", x->from ? '1' : '0',
				   x->to ? '1' : '0');
			put_escaped(b, x->from ? x->from : "");
			buf_putc(b, '\t');
			put_escaped(b, x->to ? x->to : "");
			buf_putc(b, '\t');
			put_escaped(b, x->text);
			buf_putc(b, '\n');
		}
	}
}

int histcache_save(struct histcache *c, const char *path)
{
	if (c->n == c->loaded)
		return 0;
	struct buf tmp = BUF_INIT, b = BUF_INIT;
	buf_printf(&tmp, "%s.%ld.tmp", path, (long)getpid());
	FILE *f = fopen(tmp.data, "wb");
	if (!f)
		goto fail;
	buf_printf(&b, "%s\t", HISTCACHE_MAGIC);
	put_escaped(&b, c->key);
	buf_putc(&b, '\n');
	bool ok = true;
	for (size_t i = 0; i < c->n && ok; i++) {
		put_commit(&b, c->commits[i]);
		if (b.len >= 1 << 20 || i + 1 == c->n) {
			ok = fwrite(b.data, 1, b.len, f) == b.len;
			buf_reset(&b);
		}
	}
	if (fclose(f) != 0 || !ok || rename(tmp.data, path) != 0) {
		unlink(tmp.data);
		goto fail;
	}
	c->loaded = c->n;
	buf_free(&tmp);
	buf_free(&b);
	return 0;
fail:
	buf_free(&tmp);
	buf_free(&b);
	return -1;
}

/* Split @line at tabs, in place, unescaping each field; at most @max. */
static size_t split(char *line, char **fields, size_t max)
{
	size_t n = 0;
	char *out = line;
	fields[n++] = out;
	for (char *p = line; *p; p++) {
		if (*p == '\t') {
			*out++ = '\0';
			if (n == max)
				return 0;
			fields[n++] = out;
		} else if (*p == '\\' && p[1]) {
			p++;
			*out++ = *p == 't'   ? '\t'
				 : *p == 'n' ? '\n'
				 : *p == 'r' ? '\r'
					     : *p;
		} else {
			*out++ = *p;
		}
	}
	*out = '\0';
	return n;
}

static int hex_value(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
				      : -1;
}

static bool parse_oid(const char *s, unsigned char *oid)
{
	for (size_t i = 0; i < HISTCACHE_OID_LEN; i++) {
		int hi = hex_value(s[2 * i]);
		int lo = hi < 0 ? -1 : hex_value(s[2 * i + 1]);
		if (lo < 0)
			return false;
		oid[i] = (unsigned char)(hi << 4 | lo);
	}
	return s[2 * HISTCACHE_OID_LEN] == '\0';
}

static bool parse_score(char **f, struct histcache_score *s, size_t ndims)
{
	char *end;
	s->score = (int)strtol(f[0], &end, 10);
	if (*end || strlen(f[1]) != 1)
		return false;
	s->grade = f[1][0];
	char *p = f[2];
	for (size_t i = 0; i < ndims; i++) {
		s->levels[i] = (int)strtol(p, &end, 10);
		if (end == p || (*end != (i + 1 == ndims ? '\0' : ',')))
			return false;
		p = end + 1;
	}
	return true;
}

/* The growing entry and change arrays of the commit being read. */
struct reading {
	struct histcache_commit *k;
	struct histcache_entry *entries;
	size_t nentries, cap;
	struct histchange_list changes;
};

static void finish_entry(struct reading *r)
{
	if (r->nentries) {
		struct histcache_entry *e = &r->entries[r->nentries - 1];
		e->changes = r->changes.v;
		e->nchanges = r->changes.n;
		r->changes = (struct histchange_list){ NULL, 0, 0 };
	}
}

static void finish_commit(struct histcache *c, struct reading *r)
{
	if (!r->k)
		return;
	finish_entry(r);
	r->k->entries = r->nentries ? arena_array(c->arena, r->nentries,
						  sizeof(*r->entries))
				    : NULL;
	if (r->nentries)
		memcpy(r->k->entries, r->entries,
		       r->nentries * sizeof(*r->entries));
	r->k->nentries = r->nentries;
	store(c, r->k);
	r->k = NULL;
	r->nentries = 0;
}

static bool read_line(struct histcache *c, struct reading *r, char *line)
{
	const struct method *m = method_current();
	char *f[16];
	size_t n = split(line, f, ATLAS_COUNT(f));
	if (n == 7 && !strcmp(f[0], "C")) {
		finish_commit(c, r);
		struct histcache_commit *k = arena_alloc(c->arena, sizeof(*k));
		memset(k, 0, sizeof(*k));
		char *end;
		k->has_parent = *f[2] != '\0';
		if (!parse_oid(f[1], k->oid) ||
		    (k->has_parent && !parse_oid(f[2], k->parent)) ||
		    !parse_oid(f[3], k->records))
			return false;
		k->time = strtoll(f[4], &end, 10);
		if (*end)
			return false;
		k->offset = (int)strtol(f[5], &end, 10);
		if (*end)
			return false;
		k->note = f[6];
		r->k = k;
		return true;
	}
	if ((n == 10 || n == 13) && !strcmp(f[0], "E") && r->k &&
	    strlen(f[1]) == 1) {
		finish_entry(r);
		if (r->nentries == r->cap) {
			r->cap = r->cap ? r->cap * 2 : 8;
			r->entries = xrealloc(r->entries,
					      r->cap * sizeof(*r->entries));
		}
		struct histcache_entry *e = &r->entries[r->nentries++];
		memset(e, 0, sizeof(*e));
		e->status = f[1][0];
		e->id = f[2];
		e->old_id = *f[3] ? f[3] : NULL;
		e->problem = *f[6] ? f[6] : NULL;
		e->has_flow = n == 13;
		return parse_oid(f[4], e->blob) &&
		       parse_oid(f[5], e->old_blob) &&
		       parse_score(f + 7, &e->policy, m->policy.ndims) &&
		       (!e->has_flow ||
			parse_score(f + 10, &e->flow, m->flow.ndims));
	}
	if (n == 7 && !strcmp(f[0], "X") && r->nentries && strlen(f[3]) == 2) {
		int kind = histchange_kind_parse(f[1]);
		if (kind < 0)
			return false;
		struct histchange_list *l = &r->changes;
		if (l->n == l->cap) {
			l->cap = l->cap ? l->cap * 2 : 4;
			l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
		}
		l->v[l->n++] =
			(struct histchange){ (enum histchange_kind)kind, f[2],
					     f[3][0] == '1' ? f[4] : NULL,
					     f[3][1] == '1' ? f[5] : NULL,
					     f[6] };
		return true;
	}
	return false;
}

size_t histcache_load(struct histcache *c, const char *path)
{
	char *text = safefile_read_all(path, NULL);
	if (!text)
		return 0;
	char *nl = strchr(text, '\n');
	char *fields[3];
	if (!nl) {
		free(text);
		return 0;
	}
	*nl = '\0';
	if (split(text, fields, 3) != 2 || strcmp(fields[0], HISTCACHE_MAGIC) ||
	    strcmp(fields[1], c->key)) {
		free(text);
		return 0;
	}
	c->texts = xrealloc(c->texts, (c->ntexts + 1) * sizeof(*c->texts));
	c->texts[c->ntexts++] = text;
	struct reading r = { NULL, NULL, 0, 0, { NULL, 0, 0 } };
	bool ok = true;
	for (char *line = nl + 1; ok && *line;) {
		char *end = strchr(line, '\n');
		if (!end) {
			ok = false; /* a file cut short */
			break;
		}
		*end = '\0';
		ok = read_line(c, &r, line);
		line = end + 1;
	}
	if (ok) {
		finish_commit(c, &r);
	} else {
		finish_entry(&r);
		for (size_t i = 0; i < r.nentries; i++)
			free(r.entries[i].changes);
	}
	free(r.entries);
	histchange_list_free(&r.changes);
	if (!ok) {
		drop_all(c);
		return 0;
	}
	c->loaded = c->n;
	return c->n;
}
