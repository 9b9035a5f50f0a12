/*
 * dataset.c - load a whole data folder: list the record files, read and
 * parse each, then validate each record and the set as a whole.
 *
 * Files are read in name order so diagnostics and every output are
 * deterministic, by a few worker threads that each own an arena; nothing
 * is freed until the dataset is.
 *
 * A data folder comes from pull requests, so its files are hostile: each
 * is read by datafile_read_at() relative to the records folder it was
 * listed from, without following a link or waiting on a FIFO, and only
 * when the opened descriptor is a regular file of at most 1 MiB. A
 * folder that cannot be listed is an error, never an empty dataset.
 */
#include "dataset.h"
#include "datafile.h"
#include "hash.h"
#include "internal.h"
#include "method.h"
#include "parsecache.h"
#include "statcache.h"
#include "strsort.h"
#include "suggest.h"
#include "validate.h"
#include "yaml_load.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool is_record_name(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 5 && !strcmp(name + n - 5, ".yaml");
}

/*
 * Open @records_dir, a folder of the data folder itself (a link to one
 * elsewhere is refused). Returns it, or NULL: with *@missing set when
 * there is none, else with the reason in @d.
 */
static DIR *open_records(const char *records_dir, struct diag *d, bool *missing)
{
	*missing = false;
	int fd = open(records_dir,
		      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *dp = fd >= 0 ? fdopendir(fd) : NULL;
	if (dp)
		return dp;
	int saved = errno;
	if (fd >= 0)
		close(fd);
	struct stat st;
	if (saved == ENOENT)
		*missing = true;
	else if (lstat(records_dir, &st) == 0 && S_ISLNK(st.st_mode))
		diag_add(d, DIAG_NOT_REGULAR, records_dir, 0, 0,
			 "not a folder (a symbolic link); records/ must be a "
			 "folder of the data folder itself, so it was not "
			 "read");
	else
		diag_add(d, DIAG_IO, records_dir, 0, 0,
			 "cannot list records: %s", strerror(saved));
	return NULL;
}

/* The record file names in @dp, sorted; caller frees each and all. A
 * listing that fails part-way is an error in @d and lists nothing. */
static char **list_records(DIR *dp, const char *records_dir, struct diag *d,
			   size_t *n)
{
	*n = 0;
	size_t cap = 64;
	char **names = xmalloc(cap * sizeof(*names));
	struct dirent *de;
	for (;;) {
		errno = 0;
		if ((de = readdir(dp)) == NULL)
			break;
		if (!is_record_name(de->d_name))
			continue;
		if (*n == cap) {
			cap *= 2;
			names = xrealloc(names, cap * sizeof(*names));
		}
		names[(*n)++] = xstrdup(de->d_name);
	}
	if (errno != 0) {
		diag_add(d, DIAG_IO, records_dir, 0, 0,
			 "cannot list records: %s", strerror(errno));
		for (size_t i = 0; i < *n; i++)
			free(names[i]);
		*n = 0;
	}
	strsort((const char **)names, *n);
	return names;
}

static char *path_join(const char *a, const char *b)
{
	struct buf p = BUF_INIT;
	buf_printf(&p, "%s/%s", a, b);
	return buf_detach(&p, NULL);
}

void dataset_suggest_id(const char *dir, const char *id, struct buf *out)
{
	char *records_dir = path_join(dir, "records");
	DIR *dp = opendir(records_dir);
	free(records_dir);
	if (!dp)
		return;
	struct suggest *s = suggest_new(id);
	struct dirent *de;
	while ((de = readdir(dp)) != NULL)
		if (is_record_name(de->d_name))
			suggest_add(s, de->d_name, strlen(de->d_name) - 5);
	closedir(dp);
	suggest_put(s, out, "");
	suggest_free(s);
}

int dataset_industries_read(const char *dir, struct arena *arena,
			    struct diag *d, struct industry_list *out)
{
	char *path = path_join(dir, "industries.yaml");
	*out = (struct industry_list){ .file = arena_strdup(arena, path) };
	free(path);
	size_t len;
	char *text;
	int rc = datafile_read(out->file, d, &text, &len);
	if (rc != 0)
		return rc; /* nothing was read, nothing to free */
	out->text = arena_strndup(arena, text, len);
	out->len = len;
	if (yaml_load_industries(out->file, text, len, arena, d, &out->v,
				 &out->n) != 0)
		rc = -2;
	free(text);
	return rc;
}

static void load_industries(struct dataset *ds, struct diag *d)
{
	struct industry_list list;
	int rc = dataset_industries_read(ds->dir, ds->arena, d, &list);
	ds->industries_file = list.file;
	ds->industries = list.v;
	ds->nindustries = list.n;
	if (rc == -1)
		diag_add(d, DIAG_IO, list.file, 0, 0,
			 "cannot read the industries list: %s",
			 strerror(errno));
	else if (rc == 0)
		validate_industries(ds->industries_file, ds->industries,
				    ds->nindustries, d);
}

/*
 * Records are independent until the cross-record checks, so a pool of
 * workers loads and validates slices of the file list in parallel, each
 * with its own parser, arena and diagnostics; results land in the slot of
 * their file, so the outcome does not depend on scheduling.
 */
struct worker {
	pthread_t thread;
	const char *records_dir;
	int records_fd; /* the folder the names were listed from */
	char **names;
	struct record **slots;
	size_t from, to;
	const struct validate_ctx *ctx;
	uint64_t checks_key; /* validate_ctx_key() of @ctx */
	struct arena *arena;
	struct diag *d;
	const struct dataset_opts *opts;
	size_t total;
	atomic_size_t *done;
	bool reports_progress;
};

static size_t diag_total(const struct diag *d)
{
	return diag_count(d, DIAG_ERROR) + diag_count(d, DIAG_WARNING);
}

/* The record in @text: from the cache when it is there (not asked again
 * when @looked), else parsed and loaded (and cached when that found
 * nothing to say). */
static struct record *load_one(struct worker *w, struct yaml_loader *loader,
			       const char *path, const char *text, size_t len,
			       bool looked)
{
	struct parsecache *pc = w->opts->parsed;
	/* Hashed here, while in memory, so that a build need not read the
	 * file again for its key. */
	uint64_t hash = hash_data(text, len);
	struct record *r =
		pc && !looked ? parsecache_get(pc, hash, path, w->arena) : NULL;
	if (!r) {
		size_t before = diag_total(w->d);
		r = yaml_loader_record(loader, path, text, len, w->arena, w->d);
		if (r && pc && !w->opts->caches_read_only &&
		    diag_total(w->d) == before)
			parsecache_put(pc, hash, r);
	}
	if (r)
		r->file_hash = hash;
	return r;
}

/*
 * The record in file @i, without reading it when its stat is the one the
 * last build saw (statcache.h) and its record is kept: true with *@r
 * set, and *@checked the key of the checks it passed then. False when
 * it must be read; *@looked then says whether the cache was asked
 * already. The stat is taken before any read, so that a change made
 * while the file is read makes the next build read it again.
 */
static bool load_unread(struct worker *w, size_t i, const char *path,
			struct stat *st, bool *seen, bool *looked,
			struct record **r, uint64_t *checked)
{
	struct statcache *files = w->opts->files;
	*looked = false;
	*r = NULL;
	*checked = 0;
	*seen = files && w->opts->parsed &&
		fstatat(w->records_fd, w->names[i], st, AT_SYMLINK_NOFOLLOW) ==
			0 &&
		S_ISREG(st->st_mode);
	uint64_t hash;
	if (!*seen ||
	    !statcache_lookup(files, i, w->names[i], st, &hash, checked))
		return false;
	*r = parsecache_get(w->opts->parsed, hash, path, w->arena);
	*looked = true;
	if (!*r)
		return false;
	(*r)->file_hash = hash;
	return true;
}

/* Check record @r, unless it passed the same checks with nothing to say
 * (@checked): the key of the checks it now passed so, or 0. */
static uint64_t check_record(struct worker *w, const struct record *r,
			     uint64_t checked)
{
	if (checked && checked == w->checks_key)
		return checked;
	size_t before = diag_total(w->d);
	validate_record(r, w->ctx, w->d);
	return diag_total(w->d) == before ? w->checks_key : 0;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct yaml_loader *loader = yaml_loader_new();
	struct buf path = BUF_INIT;
	for (size_t i = w->from; i < w->to; i++) {
		buf_reset(&path);
		buf_printf(&path, "%s/%s", w->records_dir, w->names[i]);
		struct stat st;
		bool seen, looked;
		uint64_t checked;
		size_t len;
		char *text = NULL;
		int rc = load_unread(w, i, path.data, &st, &seen, &looked,
				     &w->slots[i], &checked)
				 ? 1
				 : datafile_read_at(w->records_fd, w->names[i],
						    path.data, w->d, &text,
						    &len);
		if (rc == -1) {
			diag_add(w->d, DIAG_IO, path.data, 0, 0,
				 "cannot read: %s", strerror(errno));
		} else if (rc == 0) {
			w->slots[i] = load_one(w, loader, path.data, text, len,
					       looked);
			free(text);
			checked = 0;
		}
		if (w->slots[i]) {
			checked = check_record(w, w->slots[i], checked);
			if (seen && !w->opts->caches_read_only)
				statcache_set(w->opts->files, i, w->names[i],
					      &st, w->slots[i]->file_hash,
					      checked);
		}
		size_t done = atomic_fetch_add(w->done, 1) + 1;
		if (w->reports_progress && w->opts->progress)
			w->opts->progress(done, w->total,
					  w->opts->progress_user);
	}
	buf_free(&path);
	yaml_loader_free(loader);
	return NULL;
}

static size_t worker_count(size_t files)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = cpus > 0 ? (size_t)cpus : 1;
	if (n > DATASET_MAX_THREADS)
		n = DATASET_MAX_THREADS;
	/* Threads only pay off once there is real work for each. */
	size_t useful = files / 256 + 1;
	return n < useful ? n : useful;
}

static void load_records(struct dataset *ds, const char *records_dir,
			 int records_fd, char **names, size_t n,
			 const struct validate_ctx *ctx,
			 const struct dataset_opts *opts, struct diag *d)
{
	struct record **slots = xcalloc(n ? n : 1, sizeof(*slots));
	size_t nw = worker_count(n);
	struct worker *w = xcalloc(nw, sizeof(*w));
	ds->arenas = xcalloc(nw, sizeof(*ds->arenas));
	ds->narenas = nw;
	atomic_size_t done = 0;
	for (size_t i = 0; i < nw; i++) {
		w[i] = (struct worker){
			.records_dir = records_dir,
			.records_fd = records_fd,
			.names = names,
			.slots = slots,
			.from = n * i / nw,
			.to = n * (i + 1) / nw,
			.ctx = ctx,
			.checks_key = validate_ctx_key(ctx),
			.arena = arena_new(),
			.d = diag_new(),
			.opts = opts,
			.total = n,
			.done = &done,
			.reports_progress = i == 0,
		};
		ds->arenas[i] = w[i].arena;
	}
	/* Worker 0 runs on this thread; the others get their own. */
	for (size_t i = 1; i < nw; i++)
		if (pthread_create(&w[i].thread, NULL, work, &w[i]) != 0)
			work(&w[i]);
	work(&w[0]);
	for (size_t i = 1; i < nw; i++)
		if (w[i].thread)
			pthread_join(w[i].thread, NULL);
	if (opts->progress)
		opts->progress(n, n, opts->progress_user);
	for (size_t i = 0; i < nw; i++) {
		diag_merge(d, w[i].d);
		diag_free(w[i].d);
	}
	for (size_t i = 0; i < n; i++)
		if (slots[i])
			ds->records[ds->nrecords++] = slots[i];
	ds->files = n;
	free(slots);
	free(w);
}

/* Set @ds->by_id: the checker finds ids used twice side by side there,
 * and the catalog takes its order from it. */
static void order_by_id(struct dataset *ds)
{
	size_t n = ds->nrecords, m = 0;
	struct record **with_id = xmalloc((n ? n : 1) * sizeof(*with_id));
	const char **ids = xmalloc((n ? n : 1) * sizeof(*ids));
	for (size_t i = 0; i < n; i++)
		if (ds->records[i]->id.s) {
			with_id[m] = ds->records[i];
			ids[m++] = ds->records[i]->id.s;
		}
	size_t *order = xmalloc((m ? m : 1) * sizeof(*order));
	strsort_order(ids, m, order);
	ds->by_id = arena_array(ds->arena, m, sizeof(*ds->by_id));
	for (size_t k = 0; k < m; k++)
		ds->by_id[k] = with_id[order[k]];
	ds->nby_id = m;
	free(order);
	free(ids);
	free(with_id);
}

int dataset_load(const char *dir, const struct dataset_opts *opts,
		 struct diag *d, struct dataset **out)
{
	*out = NULL;
	char *records_dir = path_join(dir, "records");
	bool missing;
	DIR *records = open_records(records_dir, d, &missing);
	if (missing) {
		diag_add(d, DIAG_IO, records_dir, 0, 0,
			 "not a data folder: there is no records/ directory "
			 "(use --data DIR)");
		free(records_dir);
		return -1;
	}

	struct dataset *ds = xcalloc(1, sizeof(*ds));
	ds->arena = arena_new();
	ds->dir = arena_strdup(ds->arena, dir);
	siteinfo_load(dir, opts->base_url, opts->site, ds->arena, d, &ds->site);
	load_industries(ds, d);

	size_t nnames = 0;
	char **names = NULL;
	if (records && opts->only_id) {
		names = xmalloc(sizeof(*names));
		struct buf b = BUF_INIT;
		buf_printf(&b, "%s.yaml", opts->only_id);
		names[nnames++] = buf_detach(&b, NULL);
	} else if (records) {
		names = list_records(records, records_dir, d, &nnames);
	}
	ds->records = arena_array(ds->arena, nnames, sizeof(*ds->records));
	struct validate_ctx ctx = { method_current(), ds->industries,
				    ds->nindustries, opts->today };
	if (opts->files)
		statcache_reserve(opts->files, nnames);
	load_records(ds, records_dir, records ? dirfd(records) : -1, names,
		     nnames, &ctx, opts, d);
	for (size_t i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	if (records)
		closedir(records);
	free(records_dir);
	order_by_id(ds);
	validate_records(ds->by_id, ds->nby_id, d);
	*out = ds;
	return 0;
}

void dataset_free(struct dataset *ds)
{
	if (!ds)
		return;
	for (size_t i = 0; i < ds->narenas; i++)
		arena_free(ds->arenas[i]);
	free(ds->arenas);
	arena_free(ds->arena);
	free(ds);
}

const struct record *dataset_find(const struct dataset *ds, const char *id)
{
	for (size_t i = 0; i < ds->nrecords; i++)
		if (ds->records[i]->id.s && !strcmp(ds->records[i]->id.s, id))
			return ds->records[i];
	return NULL;
}

const struct industry *dataset_industry(const struct dataset *ds,
					const char *name)
{
	for (size_t i = 0; i < ds->nindustries; i++)
		if (!strcmp(ds->industries[i].name.s, name))
			return &ds->industries[i];
	return NULL;
}
