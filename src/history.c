/*
 * history.c - every record's versions from the data's own git history.
 *
 * One walk of first-parent history from HEAD, newest first, serves all
 * records. Each commit is compared with its first parent (so a merge
 * counts by what it brought to the main line): when the records folder's
 * tree id differs, the two trees' entries are merged by name, and when a
 * commit both adds and removes record files libgit2's rename detection
 * pairs them. Each new version of a file is loaded by the loader the
 * current files go through, scored with the current methodology, and
 * compared with the parent's version; the result per commit goes into the
 * cache (histcache.c) under the commit's id, so a later run reads only the
 * commits it has not seen. The versions are then put together per record
 * by following each file back through renames to the commit that added
 * it. Versions that do not load are kept with the reason and skipped by
 * the comparisons; the methodology in force on each version's date is
 * named, and a change of it is an entry of its own.
 */
#include "history.h"
#include "arena.h"
#include "buf.h"
#include "datafile.h"
#include "dataset.h"
#include "diag.h"
#include "hash.h"
#include "internal.h"
#include "safefile.h"
#include "validate.h"
#include "yaml_load.h"

#include <dirent.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/*
 * Bump when the loader, the scoring or histchange.c would read or report
 * a cached version differently: cached results of another value are not
 * used. The methodology table is in the key by its own fingerprint.
 */
#define HISTORY_LOADER_VERSION 1

/* ---- a small map from strings to pointers ---------------------------- */

struct strmap_slot {
	char *key; /* NULL: empty; TOMBSTONE: removed */
	void *value;
};

struct strmap {
	struct strmap_slot *v;
	size_t cap, used; /* @used counts tombstones too */
};

static char tombstone;
#define TOMBSTONE (&tombstone)

static struct strmap_slot *strmap_slot(const struct strmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	for (size_t i = hash_str(key) % m->cap;; i = (i + 1) % m->cap) {
		struct strmap_slot *s = &m->v[i];
		if (!s->key)
			return NULL;
		if (s->key != TOMBSTONE && !strcmp(s->key, key))
			return s;
	}
}

static void *strmap_get(const struct strmap *m, const char *key)
{
	struct strmap_slot *s = strmap_slot(m, key);
	return s ? s->value : NULL;
}

static void strmap_put(struct strmap *m, const char *key, void *value);

static void strmap_grow(struct strmap *m)
{
	struct strmap old = *m;
	m->cap = old.cap ? old.cap * 2 : 64;
	m->v = xcalloc(m->cap, sizeof(*m->v));
	m->used = 0;
	for (size_t i = 0; i < old.cap; i++) {
		if (old.v[i].key && old.v[i].key != TOMBSTONE) {
			strmap_put(m, old.v[i].key, old.v[i].value);
			free(old.v[i].key);
		}
	}
	free(old.v);
}

/* Set @key (copied) to @value, which must not be NULL. */
static void strmap_put(struct strmap *m, const char *key, void *value)
{
	struct strmap_slot *s = strmap_slot(m, key);
	if (s) {
		s->value = value;
		return;
	}
	if ((m->used + 1) * 2 > m->cap)
		strmap_grow(m);
	size_t i = hash_str(key) % m->cap;
	while (m->v[i].key)
		i = (i + 1) % m->cap;
	m->v[i] = (struct strmap_slot){ xstrdup(key), value };
	m->used++;
}

/* Remove @key; returns its value, or NULL. */
static void *strmap_take(struct strmap *m, const char *key)
{
	struct strmap_slot *s = strmap_slot(m, key);
	if (!s)
		return NULL;
	void *value = s->value;
	free(s->key);
	s->key = TOMBSTONE;
	s->value = NULL;
	return value;
}

static void strmap_free(struct strmap *m, void (*free_value)(void *))
{
	for (size_t i = 0; i < m->cap; i++) {
		if (m->v[i].key && m->v[i].key != TOMBSTONE) {
			if (free_value)
				free_value(m->v[i].value);
			free(m->v[i].key);
		}
	}
	free(m->v);
	*m = (struct strmap){ NULL, 0, 0 };
}

/* ---- the history ----------------------------------------------------- */

/* A record's versions while they are put together. */
struct builder {
	struct history_record rec;
	struct history_version *v;
	const struct histcache_entry **entries; /* NULL: the working file */
	size_t n, cap;
};

struct history {
	char *data_dir;
	char *unavailable;
	git_repository *repo;
	char *records_path; /* the records folder in the repository */
	struct histcache *cache;
	struct yaml_loader *loader;
	struct arena *scratch; /* one loaded record at a time */
	struct arena *arena;   /* strings of the versions */
	/* The industries a version is checked against: those of the data
	 * folder in the same commit (the blob @industries_blob). */
	struct arena *industries_arena;
	unsigned char industries_blob[GIT_OID_RAWSZ];
	bool industries_read;
	struct industry *industries;
	size_t nindustries;
	const struct method *m;
	const struct method *const *published;
	size_t npublished;
	struct strmap pending; /* id -> the parent's version, while walking */
	struct builder **records; /* by id */
	size_t nrecords;
	struct builder **extra; /* working files asked for by history_find */
	size_t nextra;
	struct histchange_list *lists; /* change lists made while assembling */
	size_t nlists;
	struct history_stats stats;
	/* A commit's records tree is its child's old one: the last two
	 * looked up are kept, as is the last commit's records tree id and
	 * the commit whose industries were read last. */
	struct {
		git_oid oid;
		git_tree *tree;
	} trees[2];
	unsigned tree_turn;
	git_oid records_of;
	unsigned char records_id[GIT_OID_RAWSZ];
	bool records_known;
	git_oid industries_of;
	bool industries_known;
};

static void set_unavailable(struct history *h, const char *fmt, ...)
	ATLAS_PRINTF(2, 3);

static void set_unavailable(struct history *h, const char *fmt, ...)
{
	if (h->unavailable)
		return;
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	h->unavailable = buf_detach(&b, NULL);
}

/* The last libgit2 error, for a message. */
static const char *git_why(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "unknown error";
}

/* A fingerprint of everything in the methodology table that scores. */
static uint64_t method_fingerprint(const struct method *m)
{
	struct buf b = BUF_INIT;
	const struct method_tier *tiers[] = { &m->policy, &m->flow };
	buf_printf(&b, "%s|", m->version);
	for (size_t t = 0; t < 2; t++) {
		const struct method_tier *tier = tiers[t];
		for (size_t i = 0; i < tier->ndims; i++) {
			const struct method_dim *d = &tier->dims[i];
			buf_printf(&b, "%s:%d:%d:", d->id, d->weight, d->input);
			for (size_t j = 0; j < d->nlevels; j++)
				buf_printf(&b, "%d/%s/%g,", d->levels[j].value,
					   d->levels[j].match
						   ? d->levels[j].match
						   : "",
					   d->levels[j].upto);
		}
		for (size_t i = 0; i < tier->nrules; i++)
			buf_printf(&b, "r%s:%d:%d:%c,",
				   tier->rules[i].dim ? tier->rules[i].dim : "",
				   tier->rules[i].min, tier->rules[i].fact,
				   tier->rules[i].grade);
	}
	for (size_t i = 0; i < m->ngrades; i++)
		buf_printf(&b, "g%c%d,", m->grades[i].letter, m->grades[i].min);
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < b.len; i++)
		h = (h ^ (unsigned char)b.data[i]) * 1099511628211ull;
	buf_free(&b);
	return h;
}

char *history_default_cache(const char *git_dir, const char *records_path)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	struct buf dir = BUF_INIT;
	if (xdg && *xdg == '/')
		buf_printf(&dir, "%s/cancelatlas", xdg);
	else if (home && *home)
		buf_printf(&dir, "%s/.cache/cancelatlas", home);
	else
		return NULL;
	struct buf key = BUF_INIT;
	buf_printf(&key, "%s\n%s", git_dir, records_path);
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < key.len; i++)
		h = (h ^ (unsigned char)key.data[i]) * 1099511628211ull;
	buf_free(&key);
	buf_printf(&dir, "/history-%016llx.cache", (unsigned long long)h);
	return buf_detach(&dir, NULL);
}

/* mkdir -p of the folder that holds @path; failures show at the write. */
static void make_parent(const char *path)
{
	char *p = xstrdup(path);
	for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(p, 0700);
		*s = '/';
	}
	free(p);
}

/* ---- loading one version ---------------------------------------------- */

/*
 * The first error of @d as one line ("FILE:LINE:COL: error[E0nn]: ..."),
 * with how many more there are.
 */
static char *first_error(struct diag *d, const char *file)
{
	size_t errors = diag_count(d, DIAG_ERROR);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (f) {
		diag_print(d, f, false);
		fclose(f);
	}
	struct buf b = BUF_INIT;
	char *line = text, *found = NULL;
	while (line && *line && !found) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (line[0] != ' ' && strstr(line, ": error["))
			found = line;
		line = nl ? nl + 1 : NULL;
	}
	if (found)
		buf_puts(&b, found);
	else
		buf_printf(&b, "%s: not a record", file);
	if (errors > 1)
		buf_printf(&b, " (and %zu more error%s)", errors - 1,
			   errors == 2 ? "" : "s");
	free(text);
	return buf_detach(&b, NULL);
}

/* Load @text as the record file @file and reduce it to its facts. */
static struct histchange_facts *load_text(struct history *h, const char *file,
					  const char *text, size_t len)
{
	h->stats.blobs_loaded++;
	if (len > DATAFILE_MAX) {
		struct buf b = BUF_INIT;
		buf_printf(&b, "%s: a record file is at most 1 MiB (%zu bytes)",
			   file, len);
		struct histchange_facts *f = histchange_facts_broken(b.data);
		buf_free(&b);
		return f;
	}
	struct diag *d = diag_new();
	arena_reset(h->scratch);
	struct record *r =
		yaml_loader_record(h->loader, file, text, len, h->scratch, d);
	struct histchange_facts *f;
	if (r && !diag_count(d, DIAG_ERROR)) {
		struct validate_ctx ctx = { h->m, h->industries, h->nindustries,
					    date_today() };
		validate_record(r, &ctx, d);
	}
	if (r && !diag_count(d, DIAG_ERROR)) {
		f = histchange_facts_new(h->m, r);
	} else {
		char *why = first_error(d, file);
		f = histchange_facts_broken(why);
		free(why);
	}
	diag_free(d);
	return f;
}

/*
 * Whether the industries read last are those of @blob; when they are not,
 * they are dropped to make room for @blob's, which the caller reads next.
 */
static bool industries_cached(struct history *h, const unsigned char *blob)
{
	if (h->industries_read &&
	    !memcmp(h->industries_blob, blob, GIT_OID_RAWSZ))
		return true;
	memcpy(h->industries_blob, blob, GIT_OID_RAWSZ);
	h->industries_read = true;
	arena_reset(h->industries_arena);
	h->industries = NULL;
	h->nindustries = 0;
	return false;
}

/* The data folder's own industries.yaml, as `check` reads it. */
static void industries_here(struct history *h)
{
	/* No blob has this id: it stands for the file in the folder. */
	static const unsigned char here[GIT_OID_RAWSZ] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
	};
	if (industries_cached(h, here))
		return;
	struct diag *d = diag_new();
	struct industry_list list;
	dataset_industries_read(h->data_dir, h->industries_arena, d, &list);
	h->industries = list.v;
	h->nindustries = list.n;
	diag_free(d);
}

/* Read @text as the industries list @file of @blob. */
static void industries_use(struct history *h, const unsigned char *blob,
			   const char *file, const char *text, size_t len)
{
	if (industries_cached(h, blob))
		return;
	struct diag *d = diag_new();
	yaml_load_industries(file, text, len, h->industries_arena, d,
			     &h->industries, &h->nindustries);
	diag_free(d);
}

/*
 * Versions are checked against the industries file of their own commit,
 * so renaming an industry later does not break older versions; without
 * one there, against the data folder's.
 */
static void industries_at(struct history *h, const unsigned char *commit)
{
	git_oid oid;
	git_commit *c = NULL;
	git_tree *root = NULL;
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	memcpy(oid.id, commit, GIT_OID_RAWSZ);
	if (h->industries_known && git_oid_equal(&oid, &h->industries_of))
		return;
	h->industries_of = oid;
	h->industries_known = true;
	struct buf path = BUF_INIT;
	size_t folder = strlen(h->records_path) - strlen("records");
	buf_printf(&path, "%.*sindustries.yaml", (int)folder, h->records_path);
	if (git_commit_lookup(&c, h->repo, &oid) == 0 &&
	    git_commit_tree(&root, c) == 0 &&
	    git_tree_entry_bypath(&e, root, path.data) == 0 &&
	    git_blob_lookup(&blob, h->repo, git_tree_entry_id(e)) == 0)
		industries_use(h, git_blob_id(blob)->id, path.data,
			       git_blob_rawcontent(blob),
			       (size_t)git_blob_rawsize(blob));
	else
		industries_here(h);
	git_blob_free(blob);
	git_tree_entry_free(e);
	git_tree_free(root);
	git_commit_free(c);
	buf_free(&path);
}

/*
 * Load blob @oid, the file records/@id.yaml of commit @commit; in
 * diagnostics it is "COMMIT7:PATH", as git names a file of a commit.
 */
static struct histchange_facts *load_blob(struct history *h,
					  const unsigned char *oid,
					  const unsigned char *commit,
					  const char *id)
{
	char hex[GIT_OID_HEXSZ + 1];
	git_oid c;
	memcpy(c.id, commit, GIT_OID_RAWSZ);
	git_oid_tostr(hex, 8, &c);
	struct buf file = BUF_INIT;
	buf_printf(&file, "%s:%s/%s.yaml", hex, h->records_path, id);
	git_oid b;
	memcpy(b.id, oid, GIT_OID_RAWSZ);
	git_blob *blob;
	struct histchange_facts *f;
	industries_at(h, commit);
	if (git_blob_lookup(&blob, h->repo, &b) != 0) {
		struct buf why = BUF_INIT;
		buf_printf(&why, "%s: cannot be read: %s", file.data,
			   git_why());
		f = histchange_facts_broken(why.data);
		buf_free(&why);
	} else {
		f = load_text(h, file.data, git_blob_rawcontent(blob),
			      (size_t)git_blob_rawsize(blob));
		git_blob_free(blob);
	}
	buf_free(&file);
	return f;
}

/* ---- reading one commit ----------------------------------------------- */

/* A version waiting, under its id, for the commit that wrote it. */
struct pending {
	unsigned char blob[GIT_OID_RAWSZ];
	struct histchange_facts *facts;
};

static void pending_free(void *p)
{
	struct pending *x = p;
	histchange_facts_free(x->facts);
	free(x);
}

/*
 * The facts of blob @blob of record @id: the version the walk loaded as a
 * parent's when it is that one, else loaded now.
 */
static struct histchange_facts *take_facts(struct history *h, const char *id,
					   const unsigned char *blob,
					   const unsigned char *commit)
{
	struct pending *p = strmap_take(&h->pending, id);
	struct histchange_facts *f = NULL;
	if (p && !memcmp(p->blob, blob, GIT_OID_RAWSZ)) {
		f = p->facts;
		p->facts = NULL;
	}
	if (p)
		pending_free(p);
	return f ? f : load_blob(h, blob, commit, id);
}

static void keep_facts(struct history *h, const char *id,
		       const unsigned char *blob, struct histchange_facts *f)
{
	struct pending *p = xmalloc(sizeof(*p));
	memcpy(p->blob, blob, GIT_OID_RAWSZ);
	p->facts = f;
	struct pending *old = strmap_take(&h->pending, id);
	if (old)
		pending_free(old);
	strmap_put(&h->pending, id, p);
}

static void copy_score(struct histcache_score *to, const struct score_result *s,
		       size_t ndims)
{
	to->score = s->score;
	to->grade = s->grade;
	for (size_t i = 0; i < ndims; i++)
		to->levels[i] = s->levels[i];
}

/* A record file in a tree: a regular file named ID.yaml. */
static bool is_record(const git_tree_entry *e)
{
	if (!e)
		return false;
	git_filemode_t mode = git_tree_entry_filemode(e);
	const char *name = git_tree_entry_name(e);
	size_t len = strlen(name);
	return (mode == GIT_FILEMODE_BLOB ||
		mode == GIT_FILEMODE_BLOB_EXECUTABLE) &&
	       len > 5 && !strcmp(name + len - 5, ".yaml");
}

/* One file the commit touched: what the walk learnt of it. */
struct touched {
	char status;
	char *id, *old_id;
	unsigned char blob[GIT_OID_RAWSZ], old_blob[GIT_OID_RAWSZ];
};

struct touched_list {
	struct touched *v;
	size_t n, cap;
};

static void touched_add(struct touched_list *l, char status,
			const git_tree_entry *old, const git_tree_entry *new)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	struct touched *t = &l->v[l->n++];
	memset(t, 0, sizeof(*t));
	t->status = status;
	if (new) {
		const char *name = git_tree_entry_name(new);
		t->id = xstrndup(name, strlen(name) - 5);
		memcpy(t->blob, git_tree_entry_id(new)->id, GIT_OID_RAWSZ);
	}
	if (old) {
		const char *name = git_tree_entry_name(old);
		t->old_id = xstrndup(name, strlen(name) - 5);
		memcpy(t->old_blob, git_tree_entry_id(old)->id, GIT_OID_RAWSZ);
	}
}

static void touched_free(struct touched_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].id);
		free(l->v[i].old_id);
	}
	free(l->v);
}

/* The touched file of @status named @name (ID.yaml), or NULL. */
static struct touched *touched_find(struct touched_list *l, char status,
				    const char *name, bool old)
{
	size_t len = strlen(name);
	if (len <= 5)
		return NULL;
	for (size_t i = 0; i < l->n; i++) {
		const char *id = old ? l->v[i].old_id : l->v[i].id;
		if (l->v[i].status == status && id && strlen(id) == len - 5 &&
		    !strncmp(id, name, len - 5))
			return &l->v[i];
	}
	return NULL;
}

/*
 * Pair removed and added files that are one file renamed, as libgit2's
 * rename detection sees them (the same or a similar blob).
 */
static int find_renames(struct history *h, git_tree *old, git_tree *new,
			struct touched_list *l)
{
	git_diff *diff = NULL;
	git_diff_options opts;
	git_diff_find_options find;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
	find.flags = GIT_DIFF_FIND_RENAMES;
	if (git_diff_tree_to_tree(&diff, h->repo, old, new, &opts) != 0 ||
	    git_diff_find_similar(diff, &find) != 0) {
		git_diff_free(diff);
		return -1;
	}
	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		if (d->status != GIT_DELTA_RENAMED)
			continue;
		struct touched *gone =
			touched_find(l, 'D', d->old_file.path, true);
		struct touched *added =
			touched_find(l, 'A', d->new_file.path, false);
		if (!gone || !added)
			continue;
		added->status = 'R';
		added->old_id = gone->old_id;
		memcpy(added->old_blob, gone->old_blob, GIT_OID_RAWSZ);
		gone->old_id = NULL;
		gone->status = '-';
	}
	git_diff_free(diff);
	return 0;
}

/* The tree @oid, kept by @h (the caller does not free it). */
static git_tree *tree_get(struct history *h, const git_oid *oid)
{
	for (size_t i = 0; i < 2; i++)
		if (h->trees[i].tree && git_oid_equal(&h->trees[i].oid, oid))
			return h->trees[i].tree;
	git_tree *t;
	if (git_tree_lookup(&t, h->repo, oid) != 0)
		return NULL;
	unsigned slot = h->tree_turn++ % 2;
	git_tree_free(h->trees[slot].tree);
	h->trees[slot].tree = t;
	h->trees[slot].oid = *oid;
	return t;
}

/*
 * The record files that differ between the records trees @old_id and
 * @new_id (either may be all zero: no records folder).
 */
static int diff_records(struct history *h, const unsigned char *old_id,
			const unsigned char *new_id, struct touched_list *l)
{
	static const unsigned char zero[GIT_OID_RAWSZ];
	git_tree *old = NULL, *new = NULL;
	git_oid oid;
	memcpy(oid.id, new_id, GIT_OID_RAWSZ);
	if (memcmp(new_id, zero, GIT_OID_RAWSZ) && !(new = tree_get(h, &oid)))
		return -1;
	memcpy(oid.id, old_id, GIT_OID_RAWSZ);
	if (memcmp(old_id, zero, GIT_OID_RAWSZ) && !(old = tree_get(h, &oid)))
		return -1;
	size_t i = 0, j = 0, nold = old ? git_tree_entrycount(old) : 0,
	       nnew = new ? git_tree_entrycount(new) : 0;
	size_t added = 0, gone = 0;
	while (i < nold || j < nnew) {
		const git_tree_entry *a =
			i < nold ? git_tree_entry_byindex(old, i) : NULL;
		const git_tree_entry *b =
			j < nnew ? git_tree_entry_byindex(new, j) : NULL;
		int cmp = !a ? 1 : !b ? -1 : git_tree_entry_cmp(a, b);
		if (cmp == 0) {
			i++, j++;
			if (!git_oid_equal(git_tree_entry_id(a),
					   git_tree_entry_id(b)) ||
			    is_record(a) != is_record(b)) {
				if (is_record(a) && is_record(b))
					touched_add(l, 'M', a, b);
				else if (is_record(b))
					touched_add(l, 'A', NULL, b), added++;
				else if (is_record(a))
					touched_add(l, 'D', a, NULL), gone++;
			}
		} else if (cmp < 0) {
			i++;
			if (is_record(a))
				touched_add(l, 'D', a, NULL), gone++;
		} else {
			j++;
			if (is_record(b))
				touched_add(l, 'A', NULL, b), added++;
		}
	}
	return added && gone ? find_renames(h, old, new, l) : 0;
}

/* The id of the records folder's tree in @commit, or all zero. */
static int records_tree_of(struct history *h, const git_commit *commit,
			   unsigned char *out)
{
	git_tree *root;
	memset(out, 0, GIT_OID_RAWSZ);
	if (git_commit_tree(&root, commit) != 0)
		return -1;
	git_tree_entry *e = NULL;
	if (git_tree_entry_bypath(&e, root, h->records_path) == 0 &&
	    git_tree_entry_type(e) == GIT_OBJECT_TREE)
		memcpy(out, git_tree_entry_id(e)->id, GIT_OID_RAWSZ);
	git_tree_entry_free(e);
	git_tree_free(root);
	return 0;
}

static char *first_line(struct arena *a, const char *message)
{
	message += strspn(message, "\n");
	return arena_strndup(a, message, strcspn(message, "\n"));
}

/* Turn what the commit touched into cache entries, loading each version. */
static void make_entries(struct history *h, const unsigned char *commit,
			 const unsigned char *parent, struct touched_list *l,
			 struct histcache_entry *out, size_t *nout)
{
	struct arena *a = histcache_arena(h->cache);
	const struct method *m = h->m;
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++) {
		struct touched *t = &l->v[i];
		if (t->status != 'A' && t->status != 'M' && t->status != 'R')
			continue;
		struct histcache_entry *e = &out[n++];
		memset(e, 0, sizeof(*e));
		e->status = t->status;
		e->id = arena_strdup(a, t->id);
		e->old_id =
			t->status == 'R' ? arena_strdup(a, t->old_id) : NULL;
		memcpy(e->blob, t->blob, GIT_OID_RAWSZ);
		memcpy(e->old_blob, t->old_blob, GIT_OID_RAWSZ);
		struct histchange_facts *f =
			take_facts(h, t->id, t->blob, commit);
		struct histchange_list changes = { NULL, 0, 0 };
		const char *problem = histchange_facts_problem(f);
		if (problem) {
			e->problem = arena_strdup(a, problem);
		} else {
			copy_score(&e->policy, histchange_facts_policy(f),
				   m->policy.ndims);
			const struct score_result *flow =
				histchange_facts_flow(f);
			e->has_flow = flow != NULL;
			if (flow)
				copy_score(&e->flow, flow, m->flow.ndims);
		}
		if (t->status == 'R') {
			struct buf text = BUF_INIT;
			buf_printf(&text, "renamed from %s (%s/%s.yaml)",
				   t->old_id, h->records_path, t->old_id);
			histchange_add(&changes, a, HISTCHANGE_RENAMED, "id",
				       t->old_id, t->id, text.data);
			buf_free(&text);
		}
		if (t->status == 'A') {
			if (!problem)
				histchange_created(f, &changes, a);
		} else {
			const char *old_id =
				t->status == 'R' ? t->old_id : t->id;
			/* The parent's version is the next the walk meets. */
			struct histchange_facts *old =
				load_blob(h, t->old_blob, parent, old_id);
			if (!problem && !histchange_facts_problem(old))
				histchange_compare(old, f, &changes, a);
			keep_facts(h, old_id, t->old_blob, old);
		}
		histchange_facts_free(f);
		e->changes = changes.v;
		e->nchanges = changes.n;
	}
	*nout = n;
}

/* Read commit @oid from git into the cache. */
static int read_commit(struct history *h, const git_oid *oid)
{
	git_commit *commit = NULL, *parent = NULL;
	struct touched_list touched = { NULL, 0, 0 };
	struct histcache_entry *entries = NULL;
	int rc = -1;
	if (git_commit_lookup(&commit, h->repo, oid) != 0)
		goto done;
	struct histcache_commit k;
	memset(&k, 0, sizeof(k));
	memcpy(k.oid, oid->id, GIT_OID_RAWSZ);
	k.time = git_commit_time(commit);
	k.offset = git_commit_time_offset(commit);
	if (h->records_known && git_oid_equal(oid, &h->records_of))
		memcpy(k.records, h->records_id, GIT_OID_RAWSZ);
	else if (records_tree_of(h, commit, k.records) != 0)
		goto done;
	unsigned char parent_records[GIT_OID_RAWSZ] = { 0 };
	if (git_commit_parentcount(commit) > 0) {
		const git_oid *p = git_commit_parent_id(commit, 0);
		k.has_parent = true;
		memcpy(k.parent, p->id, GIT_OID_RAWSZ);
		const struct histcache_commit *cached =
			histcache_find(h->cache, p->id);
		if (cached)
			memcpy(parent_records, cached->records, GIT_OID_RAWSZ);
		else if (git_commit_parent(&parent, commit, 0) != 0 ||
			 records_tree_of(h, parent, parent_records) != 0)
			goto done;
		/* The walk reads the parent next. */
		h->records_of = *p;
		memcpy(h->records_id, parent_records, GIT_OID_RAWSZ);
		h->records_known = true;
	}
	size_t nentries = 0;
	if (memcmp(parent_records, k.records, GIT_OID_RAWSZ)) {
		if (diff_records(h, parent_records, k.records, &touched) != 0)
			goto done;
		k.note = first_line(histcache_arena(h->cache),
				    git_commit_message(commit));
		entries = xcalloc(touched.n ? touched.n : 1, sizeof(*entries));
		make_entries(h, k.oid, k.parent, &touched, entries, &nentries);
	}
	histcache_add(h->cache, &k, entries, nentries);
	h->stats.commits_read++;
	rc = 0;
done:
	free(entries);
	touched_free(&touched);
	git_commit_free(parent);
	git_commit_free(commit);
	return rc;
}

/*
 * Read first-parent history from @start, newest first, into the cache
 * until a commit the cache already holds. The walk follows the parents
 * as they are, unsorted: sorting by time would put a commit after its
 * parent when the committer's clock was behind, and the walk would stop
 * at the cached parent before reading the commit.
 */
static int read_from(struct history *h, const git_oid *start)
{
	git_revwalk *walk = NULL;
	int rc = -1;
	if (git_revwalk_new(&walk, h->repo) != 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_NONE) != 0 ||
	    git_revwalk_simplify_first_parent(walk) != 0 ||
	    git_revwalk_push(walk, start) != 0)
		goto done;
	git_oid oid;
	int next;
	while ((next = git_revwalk_next(&oid, walk)) == 0) {
		if (histcache_find(h->cache, oid.id))
			break;
		if (read_commit(h, &oid) != 0)
			goto done;
	}
	rc = next == 0 || next == GIT_ITEROVER ? 0 : -1;
done:
	git_revwalk_free(walk);
	return rc;
}

/* ---- putting the versions together ------------------------------------ */

static struct builder *builder_new(const char *id)
{
	struct builder *b = xcalloc(1, sizeof(*b));
	b->rec.id = xstrdup(id);
	return b;
}

static void builder_free(struct builder *b)
{
	if (!b)
		return;
	free((char *)b->rec.id);
	free(b->v);
	free(b->entries);
	free(b);
}

static struct history_version *builder_push(struct builder *b,
					    const struct histcache_entry *e)
{
	if (b->n == b->cap) {
		/* Most records have a version or two: a larger first
		 * array per record leaves pages half used. */
		b->cap = b->cap ? b->cap * 2 : 1;
		b->v = xrealloc(b->v, b->cap * sizeof(*b->v));
		b->entries = xrealloc(b->entries, b->cap * sizeof(*b->entries));
	}
	b->entries[b->n] = e;
	struct history_version *v = &b->v[b->n++];
	memset(v, 0, sizeof(*v));
	return v;
}

static void version_of(struct history *h, struct history_version *v,
		       const struct histcache_commit *k,
		       const struct histcache_entry *e)
{
	git_oid oid;
	memcpy(oid.id, k->oid, GIT_OID_RAWSZ);
	git_oid_tostr(v->commit, sizeof(v->commit), &oid);
	memcpy(v->short_id, v->commit, 7);
	v->short_id[7] = '\0';
	int64_t local = k->time + (int64_t)k->offset * 60;
	int64_t day = local / 86400 - (local % 86400 < 0);
	v->date = (date_days)day;
	v->dated = true;
	v->note = k->note;
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s.yaml", h->records_path, e->id);
	v->path = arena_strdup(h->arena, path.data);
	buf_free(&path);
	v->skipped = e->problem;
	v->policy = e->policy;
	v->has_flow = e->has_flow;
	v->flow = e->flow;
	v->changes = e->changes;
	v->nchanges = e->nchanges;
}

static struct histchange_list *new_list(struct history *h)
{
	h->lists = xrealloc(h->lists, (h->nlists + 1) * sizeof(*h->lists));
	struct histchange_list *l = &h->lists[h->nlists++];
	*l = (struct histchange_list){ NULL, 0, 0 };
	return l;
}

/*
 * Finish a record's versions, oldest to newest: a version whose parent's
 * file did not load is compared with the last version that did (or is the
 * first one that loads), and a change of methodology in force is put
 * first among a version's changes.
 */
static void builder_finish(struct history *h, struct builder *b)
{
	ptrdiff_t prev = -1;
	for (size_t i = b->n; i-- > 0;) {
		struct history_version *v = &b->v[i];
		const struct histcache_entry *e = b->entries[i];
		v->methodology =
			v->dated ? method_in_force(h->published, h->npublished,
						   v->date)
					   ->version
				 : h->m->version;
		if (v->skipped)
			continue;
		const struct histcache_entry *pe =
			prev >= 0 ? b->entries[prev] : NULL;
		struct histchange_list *l = NULL;
		bool mismatch =
			e && e->status != 'A' &&
			(!pe || memcmp(e->old_blob, pe->blob, GIT_OID_RAWSZ));
		if (e && mismatch) {
			l = new_list(h);
			/* The renames of the skipped versions and this one
			 * still happened: keep them, oldest first. */
			size_t oldest = prev >= 0 ? (size_t)prev : b->n;
			for (size_t j = oldest; j-- > i;)
				for (size_t c = 0; c < b->v[j].nchanges; c++) {
					const struct histchange *x =
						&b->v[j].changes[c];
					if (x->kind == HISTCHANGE_RENAMED)
						histchange_add(
							l, h->arena, x->kind,
							x->field, x->from,
							x->to, x->text);
				}
			git_oid at;
			git_oid_fromstr(&at, v->commit);
			struct histchange_facts *nf =
				load_blob(h, e->blob, at.id, e->id);
			if (pe) {
				git_oid_fromstr(&at, b->v[prev].commit);
				struct histchange_facts *of =
					load_blob(h, pe->blob, at.id, pe->id);
				if (!histchange_facts_problem(of) &&
				    !histchange_facts_problem(nf))
					histchange_compare(of, nf, l, h->arena);
				histchange_facts_free(of);
			} else if (!histchange_facts_problem(nf)) {
				histchange_created(nf, l, h->arena);
			}
			histchange_facts_free(nf);
		}
		if (prev >= 0 &&
		    strcmp(b->v[prev].methodology, v->methodology)) {
			struct histchange_list *with = new_list(h);
			struct buf text = BUF_INIT;
			buf_printf(&text, "methodology %s \u2192 %s",
				   b->v[prev].methodology, v->methodology);
			histchange_add(with, h->arena, HISTCHANGE_METHODOLOGY,
				       "methodology", b->v[prev].methodology,
				       v->methodology, text.data);
			buf_free(&text);
			const struct histchange *from = l ? l->v : v->changes;
			size_t n = l ? l->n : v->nchanges;
			for (size_t c = 0; c < n; c++)
				histchange_add(with, h->arena, from[c].kind,
					       from[c].field, from[c].from,
					       from[c].to, from[c].text);
			l = with;
		}
		if (l) {
			v->changes = l->v;
			v->nchanges = l->n;
		}
		prev = (ptrdiff_t)i;
	}
}

static int builder_cmp(const void *a, const void *b)
{
	const struct builder *x = *(struct builder *const *)a;
	const struct builder *y = *(struct builder *const *)b;
	return strcmp(x->rec.id, y->rec.id);
}

/* Every record file in the records tree @oid: their ids into @out. */
static void list_records(struct history *h, const unsigned char *oid,
			 struct strmap *out, struct builder ***all, size_t *n)
{
	static const unsigned char zero[GIT_OID_RAWSZ];
	git_tree *tree;
	git_oid id;
	memcpy(id.id, oid, GIT_OID_RAWSZ);
	if (!memcmp(oid, zero, GIT_OID_RAWSZ) ||
	    git_tree_lookup(&tree, h->repo, &id) != 0)
		return;
	size_t count = git_tree_entrycount(tree);
	*all = xrealloc(*all, (*n + count + 1) * sizeof(**all));
	for (size_t i = 0; i < count; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		if (!is_record(e))
			continue;
		const char *name = git_tree_entry_name(e);
		char *rid = xstrndup(name, strlen(name) - 5);
		struct builder *b = builder_new(rid);
		(*all)[(*n)++] = b;
		strmap_put(out, rid, b);
		free(rid);
	}
	git_tree_free(tree);
}

/*
 * Put the versions of the records at HEAD (or of @only_id) together from
 * @chain, the first-parent commits newest first.
 */
static void assemble(struct history *h, const struct histcache_commit **chain,
		     size_t n, const char *only_id)
{
	struct strmap live = { NULL, 0, 0 };
	struct builder **all = NULL;
	size_t nall = 0;
	if (only_id) {
		all = xmalloc(sizeof(*all));
		all[nall++] = builder_new(only_id);
		strmap_put(&live, only_id, all[0]);
	} else if (n) {
		list_records(h, chain[0]->records, &live, &all, &nall);
	}
	for (size_t i = 0; i < n; i++) {
		const struct histcache_commit *k = chain[i];
		for (size_t j = 0; j < k->nentries; j++) {
			const struct histcache_entry *e = &k->entries[j];
			struct builder *b = strmap_get(&live, e->id);
			if (!b)
				continue;
			version_of(h, builder_push(b, e), k, e);
			if (e->status == 'A' || e->status == 'R')
				strmap_take(&live, e->id);
			if (e->status == 'R' && !strmap_get(&live, e->old_id))
				strmap_put(&live, e->old_id, b);
		}
	}
	strmap_free(&live, NULL);
	h->records = xmalloc((nall ? nall : 1) * sizeof(*h->records));
	for (size_t i = 0; i < nall; i++) {
		if (!all[i]->n) {
			builder_free(all[i]);
			continue;
		}
		builder_finish(h, all[i]);
		all[i]->rec.versions = all[i]->v;
		all[i]->rec.nversions = all[i]->n;
		h->records[h->nrecords++] = all[i];
	}
	free(all);
	qsort(h->records, h->nrecords, sizeof(*h->records), builder_cmp);
}

/* ---- opening ---------------------------------------------------------- */

/*
 * The records folder's path inside the repository's working tree, or
 * NULL (and the history unavailable) when the data folder is not in it.
 */
static char *records_path_in(struct history *h, const char *data_dir)
{
	const char *workdir = git_repository_workdir(h->repo);
	if (!workdir) {
		set_unavailable(h,
				"the git repository that contains %s is "
				"bare (it has no working tree)",
				data_dir);
		return NULL;
	}
	char *data = realpath(data_dir, NULL), *work = realpath(workdir, NULL);
	char *path = NULL;
	size_t len = work ? strlen(work) : 0;
	if (data && work && !strncmp(data, work, len) &&
	    (data[len] == '/' || data[len] == '\0')) {
		struct buf b = BUF_INIT;
		const char *rel = data[len] ? data + len + 1 : "";
		buf_printf(&b, "%s%srecords", rel, *rel ? "/" : "");
		path = buf_detach(&b, NULL);
	} else {
		set_unavailable(h,
				"%s is not in the working tree of the git "
				"repository found above it",
				data_dir);
	}
	free(data);
	free(work);
	return path;
}

/* Walk from HEAD through the cache and git; NULL-free chain into @out. */
static int walk(struct history *h, const git_oid *head,
		const struct histcache_commit ***out, size_t *n)
{
	const struct histcache_commit **chain = NULL;
	size_t len = 0, cap = 0;
	git_oid next = *head;
	for (;;) {
		const struct histcache_commit *k =
			histcache_find(h->cache, next.id);
		if (!k && (read_from(h, &next) != 0 ||
			   (!(k = histcache_find(h->cache, next.id)) &&
			    (read_commit(h, &next) != 0 ||
			     !(k = histcache_find(h->cache, next.id)))))) {
			free(chain);
			return -1;
		}
		if (len == cap) {
			cap = cap ? cap * 2 : 1024;
			chain = xrealloc(chain, cap * sizeof(*chain));
		}
		chain[len++] = k;
		if (!k->has_parent)
			break;
		memcpy(next.id, k->parent, GIT_OID_RAWSZ);
	}
	*out = chain;
	*n = len;
	return 0;
}

static void read_history(struct history *h, const struct history_opts *o)
{
	if (git_repository_open_ext(&h->repo, h->data_dir, 0, NULL) != 0) {
		set_unavailable(h, "no git repository contains %s",
				h->data_dir);
		return;
	}
	if (git_repository_is_shallow(h->repo) == 1) {
		set_unavailable(h, "the git repository is a shallow clone, so "
				   "older versions are missing (git fetch "
				   "--unshallow fetches them)");
		return;
	}
	if (!(h->records_path = records_path_in(h, h->data_dir)))
		return;
	git_oid head;
	if (git_reference_name_to_id(&head, h->repo, "HEAD") != 0) {
		set_unavailable(h, "the git repository has no commit yet");
		return;
	}
	struct buf key = BUF_INIT;
	buf_printf(&key, "%s %016llx loader-%d %s", h->m->version,
		   (unsigned long long)method_fingerprint(h->m),
		   HISTORY_LOADER_VERSION, h->records_path);
	h->cache = histcache_new(key.data);
	buf_free(&key);
	char *cache = NULL;
	if (!o->no_cache)
		cache = o->cache ? xstrdup(o->cache)
				 : history_default_cache(
					   git_repository_commondir(h->repo),
					   h->records_path);
	if (cache)
		histcache_load(h->cache, cache);

	const struct histcache_commit **chain = NULL;
	size_t n = 0;
	if (walk(h, &head, &chain, &n) != 0) {
		set_unavailable(h, "the git history cannot be read: %s",
				git_why());
	} else {
		h->stats.commits = n;
		assemble(h, chain, n, o->only_id);
		if (cache && h->stats.commits_read) {
			make_parent(cache);
			histcache_save(h->cache, cache);
		}
	}
	free(chain);
	free(cache);
	strmap_free(&h->pending, pending_free);
}

struct history *history_load(const char *data_dir,
			     const struct history_opts *opts)
{
	static const struct history_opts none = { 0 };
	const struct history_opts *o = opts ? opts : &none;
	struct history *h = xcalloc(1, sizeof(*h));
	git_libgit2_init();
	h->data_dir = xstrdup(data_dir);
	h->loader = yaml_loader_new();
	h->scratch = arena_new();
	h->arena = arena_new();
	h->industries_arena = arena_new();
	h->m = method_current();
	h->published = o->published;
	h->npublished = o->npublished;
	if (!h->published)
		h->published = method_published(&h->npublished);
	read_history(h, o);
	return h;
}

void history_free(struct history *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->nrecords; i++)
		builder_free(h->records[i]);
	free(h->records);
	for (size_t i = 0; i < h->nextra; i++)
		builder_free(h->extra[i]);
	free(h->extra);
	for (size_t i = 0; i < h->nlists; i++)
		histchange_list_free(&h->lists[i]);
	free(h->lists);
	strmap_free(&h->pending, pending_free);
	for (size_t i = 0; i < 2; i++)
		git_tree_free(h->trees[i].tree);
	histcache_free(h->cache);
	git_repository_free(h->repo);
	yaml_loader_free(h->loader);
	arena_free(h->scratch);
	arena_free(h->arena);
	arena_free(h->industries_arena);
	free(h->records_path);
	free(h->unavailable);
	free(h->data_dir);
	free(h);
	git_libgit2_shutdown();
}

const char *history_unavailable(const struct history *h)
{
	return h->unavailable;
}

size_t history_count(const struct history *h)
{
	return h->nrecords;
}

const struct history_record *history_at(const struct history *h, size_t i)
{
	return i < h->nrecords ? &h->records[i]->rec : NULL;
}

struct history_stats history_stats(const struct history *h)
{
	return h->stats;
}

/* The record's working file as its one version, or NULL when none. */
static struct builder *working_version(struct history *h, const char *id)
{
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/records/%s.yaml", h->data_dir, id);
	size_t len;
	char *text = safefile_read_all(path.data, &len);
	if (!text) {
		buf_free(&path);
		return NULL;
	}
	industries_here(h);
	struct histchange_facts *facts = load_text(h, path.data, text, len);
	struct builder *b = builder_new(id);
	struct history_version *v = builder_push(b, NULL);
	v->path = arena_strdup(h->arena, path.data);
	v->methodology = h->m->version;
	const char *problem = histchange_facts_problem(facts);
	if (problem) {
		v->skipped = arena_strdup(h->arena, problem);
	} else {
		copy_score(&v->policy, histchange_facts_policy(facts),
			   h->m->policy.ndims);
		const struct score_result *flow = histchange_facts_flow(facts);
		v->has_flow = flow != NULL;
		if (flow)
			copy_score(&v->flow, flow, h->m->flow.ndims);
	}
	histchange_facts_free(facts);
	b->rec.versions = b->v;
	b->rec.nversions = b->n;
	free(text);
	buf_free(&path);
	return b;
}

const struct history_record *history_find(struct history *h, const char *id)
{
	size_t lo = 0, hi = h->nrecords;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int cmp = strcmp(h->records[mid]->rec.id, id);
		if (!cmp)
			return &h->records[mid]->rec;
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = 0; i < h->nextra; i++)
		if (!strcmp(h->extra[i]->rec.id, id))
			return &h->extra[i]->rec;
	if (strchr(id, '/') || !*id || *id == '.')
		return NULL;
	struct builder *b = working_version(h, id);
	if (!b)
		return NULL;
	h->extra = xrealloc(h->extra, (h->nextra + 1) * sizeof(*h->extra));
	h->extra[h->nextra++] = b;
	return &b->rec;
}
