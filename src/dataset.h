/*
 * dataset.h - a data folder loaded and checked: industries and records.
 */
#ifndef CANCELATLAS_DATASET_H
#define CANCELATLAS_DATASET_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "date.h"
#include "diag.h"
#include "record.h"
#include "siteinfo.h"
#include "yaml_load.h"

/* Record files are loaded by up to this many threads at once. */
#define DATASET_MAX_THREADS 8

struct parsecache;
struct statcache;

struct dataset {
	struct arena *arena;   /* owns the lists below */
	struct arena **arenas; /* own the records, one per loading thread */
	size_t narenas;
	const char *dir;
	const char *industries_file;
	struct site_info site; /* DIR/site.yaml; check site.loaded */
	struct industry *industries;
	size_t nindustries;
	struct record **records; /* in file-name order */
	size_t nrecords;
	/* Those with an id (all of them when there is no error), in id
	 * order, records of the same id in file-name order. */
	struct record **by_id;
	size_t nby_id;
	size_t files; /* record files read, including unusable ones */
};

/* Called after each record file is read: (done, total, user). */
typedef void (*dataset_progress_fn)(size_t done, size_t total, void *user);

struct dataset_opts {
	date_days today;
	const char *only_id; /* load just DIR/records/ID.yaml */
	/* What the command needs of DIR/site.yaml (by default, nothing:
	 * it is checked when present), and a base URL that replaces its
	 * url (build --base-url). */
	enum siteinfo_need site;
	const char *base_url;
	dataset_progress_fn progress;
	void *progress_user;
	/* Records kept from the last build (parsecache.h), or NULL to
	 * load every record; records loaded cleanly are put there. */
	struct parsecache *parsed;
	/* With @parsed, the record files' stats and hashes kept from the
	 * last build (statcache.h), or NULL to read every file: a file
	 * whose stat did not change is not read, its record taken from
	 * @parsed by the hash kept. What this load sees is set there. */
	struct statcache *files;
	/* @parsed and @files are only read: nothing this load sees is put
	 * there (check, which keeps nothing). */
	bool caches_read_only;
};

/**
 * dataset_load() - read DIR/site.yaml, DIR/industries.yaml and
 * DIR/records/\*.yaml, and apply every rule of the record format.
 * @dir: the data folder.
 * @opts: today's date, optionally one id to load alone, and what the
 *	  caller needs of the site settings (siteinfo_load()).
 * @d: receives every problem in every file.
 * @out: set to the dataset (also when there are data errors, so callers
 *       can count what was read); NULL when the folder cannot be used.
 *
 * Returns: 0 when the folder was read (data errors are in @d, among them
 * a records folder that cannot be listed, which is never taken for an
 * empty one), -1 when it does not exist or is not a data folder (a message
 * is in @d).
 */
int dataset_load(const char *dir, const struct dataset_opts *opts,
		 struct diag *d, struct dataset **out);

/* dataset_free() - release the dataset and all its records; accepts NULL. */
void dataset_free(struct dataset *ds);

/**
 * dataset_find() - the record with id @id.
 *
 * Returns: the record, or NULL.
 */
const struct record *dataset_find(const struct dataset *ds, const char *id);

/**
 * dataset_suggest_id() - append "; did you mean 'a'?" to @out, naming the
 * record ids of DIR/records closest to @id (see suggest_new()); nothing
 * when none is close or the folder cannot be read. Only file names are
 * read, so it is quick with 100,000 records.
 */
void dataset_suggest_id(const char *dir, const char *id, struct buf *out);

/* A data folder's list of industries, as read from its industries.yaml. */
struct industry_list {
	const char *file; /* DIR/industries.yaml, for diagnostics */
	struct industry *v;
	size_t n;
	const char *text; /* the file as read, NULL when it was not */
	size_t len;
};

/**
 * dataset_industries_read() - read DIR/industries.yaml, the one way the
 * list of industries is read: the file as datafile_read() reads a file
 * of a data folder, its list as yaml_load_industries() parses it. The
 * list is not checked here (validate_industries() does, for `check`).
 * @dir: the data folder.
 * @arena: owns everything @out points to.
 * @d: receives the problems of the file.
 * @out: filled in; an empty list when there is none.
 *
 * Returns: 0 when the file was read and parsed (with any problems in
 * @d); -1 with errno set when it cannot be read, with nothing added to @d
 * (the caller says what it needs the list for); -2 when it was refused or
 * is not a list, with the reason in @d.
 */
int dataset_industries_read(const char *dir, struct arena *arena,
			    struct diag *d, struct industry_list *out);

/**
 * dataset_industry() - the industry named @name.
 *
 * Returns: the industry, or NULL.
 */
const struct industry *dataset_industry(const struct dataset *ds,
					const char *name);

#endif
