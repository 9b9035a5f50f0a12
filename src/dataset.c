/*
 * dataset.c - load a whole data folder: list the record files, read and
 * parse each, then validate each record and the set as a whole.
 *
 * Files are read in name order so diagnostics and every output are
 * deterministic. One arena holds every record; nothing is freed until the
 * dataset is.
 */
#include "dataset.h"
#include "method.h"
#include "validate.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *dataset_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct buf b = BUF_INIT;
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		buf_reserve(&b, (size_t)st.st_size);
	char chunk[65536];
	size_t got;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(&b, chunk, got);
	int failed = ferror(f);
	int saved = errno;
	fclose(f);
	if (failed) {
		buf_free(&b);
		errno = saved ? saved : EIO;
		return NULL;
	}
	return buf_detach(&b, len);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_record_name(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 5 && !strcmp(name + n - 5, ".yaml");
}

/* The record file names under @dir, sorted; caller frees each and all. */
static char **list_records(const char *dir, size_t *n)
{
	*n = 0;
	DIR *dp = opendir(dir);
	if (!dp)
		return NULL;
	size_t cap = 64;
	char **names = xmalloc(cap * sizeof(*names));
	struct dirent *de;
	while ((de = readdir(dp)) != NULL) {
		if (!is_record_name(de->d_name))
			continue;
		if (*n == cap) {
			cap *= 2;
			names = xrealloc(names, cap * sizeof(*names));
		}
		names[(*n)++] = xstrdup(de->d_name);
	}
	closedir(dp);
	qsort(names, *n, sizeof(*names), name_cmp);
	return names;
}

static char *path_join(const char *a, const char *b)
{
	struct buf p = BUF_INIT;
	buf_printf(&p, "%s/%s", a, b);
	return buf_detach(&p, NULL);
}

static void load_industries(struct dataset *ds, struct diag *d)
{
	char *path = path_join(ds->dir, "industries.yaml");
	ds->industries_file = arena_strdup(ds->arena, path);
	size_t len;
	char *text = dataset_read_file(path, &len);
	if (!text) {
		diag_add(d, DIAG_IO, path, 0, 0,
			 "cannot read the industries list: %s",
			 strerror(errno));
	} else if (yaml_load_industries(path, text, len, ds->arena, d,
					&ds->industries,
					&ds->nindustries) == 0) {
		validate_industries(ds->industries_file, ds->industries,
				    ds->nindustries, d);
	}
	free(text);
	free(path);
}

static struct record *load_record(struct dataset *ds, const char *path,
				  struct diag *d)
{
	size_t len;
	char *text = dataset_read_file(path, &len);
	if (!text) {
		diag_add(d, DIAG_IO, path, 0, 0, "cannot read: %s",
			 strerror(errno));
		return NULL;
	}
	struct record *r = yaml_load_record(path, text, len, ds->arena, d);
	free(text);
	return r;
}

int dataset_load(const char *dir, const struct dataset_opts *opts,
		 struct diag *d, struct dataset **out)
{
	*out = NULL;
	char *records_dir = path_join(dir, "records");
	struct stat st;
	if (stat(records_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		diag_add(d, DIAG_IO, records_dir, 0, 0,
			 "not a data folder: there is no records/ directory "
			 "(use --data DIR)");
		free(records_dir);
		return -1;
	}

	struct dataset *ds = xcalloc(1, sizeof(*ds));
	ds->arena = arena_new();
	ds->dir = arena_strdup(ds->arena, dir);
	load_industries(ds, d);

	size_t nnames = 0;
	char **names;
	if (opts->only_id) {
		names = xmalloc(sizeof(*names));
		struct buf b = BUF_INIT;
		buf_printf(&b, "%s.yaml", opts->only_id);
		names[nnames++] = buf_detach(&b, NULL);
	} else {
		names = list_records(records_dir, &nnames);
	}
	ds->records = arena_array(ds->arena, nnames, sizeof(*ds->records));
	struct validate_ctx ctx = { method_current(), ds->industries,
				    ds->nindustries, opts->today };
	for (size_t i = 0; i < nnames; i++) {
		char *path = path_join(records_dir, names[i]);
		struct record *r = load_record(ds, path, d);
		if (r) {
			validate_record(r, &ctx, d);
			ds->records[ds->nrecords++] = r;
		}
		ds->files++;
		free(path);
		free(names[i]);
		if (opts->progress)
			opts->progress(i + 1, nnames, opts->progress_user);
	}
	free(names);
	free(records_dir);
	validate_records(ds->records, ds->nrecords, d);
	*out = ds;
	return 0;
}

void dataset_free(struct dataset *ds)
{
	if (!ds)
		return;
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
