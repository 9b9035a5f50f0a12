/*
 * history.h - every record's versions, from the data's own git history.
 *
 * One walk of first-parent history serves every record at once: a build
 * asks history_load() once and then history_find() for each record.
 */
#ifndef CANCELATLAS_HISTORY_H
#define CANCELATLAS_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "histcache.h"
#include "histchange.h"
#include "method.h"

/*
 * One version of a record: the commit that wrote it (@commit is empty for
 * the working file when there is no history), its committer date, the
 * first line of its message (@note), the file's path in the repository,
 * and the methodology in force on @date. A version that did not load has
 * @skipped (why, "FILE:LINE:COL: error[E0nn]: ...") and no scores. Else
 * @policy and, when the record had an audit, @flow hold its scores under
 * the current methodology, and @changes what changed since the previous
 * version that loaded, newest version first in the record.
 */
struct history_version {
	char commit[HISTCACHE_OID_LEN * 2 + 1];
	char short_id[8];
	date_days date;
	bool dated;
	const char *note;
	const char *path;
	const char *methodology;
	const char *skipped;
	struct histcache_score policy;
	bool has_flow;
	struct histcache_score flow;
	const struct histchange *changes;
	size_t nchanges;
};

/* A record's versions, newest first. */
struct history_record {
	const char *id;
	const struct history_version *versions;
	size_t nversions;
};

struct history_opts {
	/* The cache file; NULL: history_default_cache()'s. */
	const char *cache;
	/* Read and write no cache at all. */
	bool no_cache;
	/* Only this record's versions are put together (the walk is the
	 * same); NULL: every record. */
	const char *only_id;
	/* The methodologies published, oldest first; NULL:
	 * method_published(). */
	const struct method *const *published;
	size_t npublished;
};

struct history;

/**
 * history_load() - read the history of the records in @data_dir/records.
 *
 * The data folder's git repository is found by searching up from it.
 * When there is none, the clone is shallow or the repository has no
 * commit, the history is unavailable (history_unavailable() says why) and
 * each record has one version: its working file. A version that does not
 * load is kept with the reason, never fatal.
 *
 * Returns: the history, never NULL; release with history_free().
 */
struct history *history_load(const char *data_dir,
			     const struct history_opts *opts);

/* history_free() - release @h and everything it returned; accepts NULL. */
void history_free(struct history *h);

/**
 * history_unavailable() - why the records have no history ("no git
 * repository contains the data folder"), or NULL when they have one.
 */
const char *history_unavailable(const struct history *h);

/**
 * history_find() - the versions of record @id, newest first.
 *
 * Returns: the record (borrowed from @h), or NULL when the history knows
 * no record @id and the data folder has no file for it.
 */
const struct history_record *history_find(struct history *h, const char *id);

/* history_count() - how many records history_at() can give. */
size_t history_count(const struct history *h);

/* history_at() - the @i-th record, by id. */
const struct history_record *history_at(const struct history *h, size_t i);

/*
 * What the last load read: commits of first-parent history in all, and of
 * them the ones read from git because the cache did not hold them.
 */
struct history_stats {
	size_t commits;
	size_t commits_read;
	size_t blobs_loaded;
};

/* history_stats() - the figures of @h's load. */
struct history_stats history_stats(const struct history *h);

/**
 * history_default_cache() - where the cache of the repository at
 * @git_dir lives: $XDG_CACHE_HOME/cancelatlas (or ~/.cache/cancelatlas),
 * one file per repository and records folder, so no repository and no
 * data folder is ever written to.
 *
 * Returns: a new path (caller frees with free()), or NULL when neither
 * variable is set.
 */
char *history_default_cache(const char *git_dir, const char *records_path);

#endif
