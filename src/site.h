/*
 * site.h - build the published site: every page, file and badge.
 */
#ifndef CANCELATLAS_SITE_H
#define CANCELATLAS_SITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "date.h"
#include "diag.h"

struct pagestate_db;
struct store;
struct store_decision;
struct history_opts;

struct site_opts {
	const char *data_dir;	   /* the records (default "data") */
	const char *out_dir;	   /* the site folder (default "site") */
	const char *templates_dir; /* templates and assets */
	/* Replaces site.yaml's url for this build (--base-url), or NULL;
	 * already accepted by siteinfo_base_url_check(). */
	const char *base_url;
	date_days today;   /* for the checker's date rules */
	int64_t generated; /* stamped on every output */
	bool progress;	   /* draw a progress bar on stderr */
	/* Write the whole site into a new folder (--full), even when the
	 * site there could be updated in place, and draw every share
	 * image again rather than link the old site's. */
	bool full;
	/* The public log of decisions on /corrections/, newest first, from
	 * store_decisions_list(); borrowed, NULL when there are none. */
	const struct store_decision *decisions;
	size_t ndecisions;
	/* What `monitor` found of the pages records cite, from
	 * pagestate_db_load(); borrowed, NULL when there is no store. */
	const struct pagestate_db *pages;
	/* Options of the records' history (src/history.h), or NULL for
	 * the defaults. */
	const struct history_opts *history;
	/* Fill in the lists of what the build changed in the site folder
	 * (site_stats' @written_paths and @deleted_paths); free them with
	 * site_stats_free(). */
	bool list_changes;
	/* Leave the site a full build replaced for the caller to delete
	 * (site_stats' @replaced), rather than wait for its deletion. */
	bool leave_replaced;
};

/* The phases of a build that site_stats times. */
#define SITE_PHASES 8

struct site_stats {
	size_t records;
	size_t pages; /* HTML pages */
	size_t files; /* every file, pages included */
	size_t bytes;
	double seconds;
	/* Folders that interrupted builds had left beside the site, removed
	 * (outdir_swept()), and the size of their files. */
	size_t leftovers, leftover_bytes;
	/* An incremental build (outdir_begin_site()): records whose files
	 * were rebuilt; files written (of them, shared ones), files whose
	 * bytes were already there, files deleted. */
	bool incremental;
	size_t rebuilt, written, shared_written, same, deleted;
	/* Lines to say first: why the build is a full one, an interrupted
	 * build completed. */
	char note[1024];
	/* Why the records have no history in this build ("no git
	 * repository contains data"), or empty when they have one. */
	char history_unavailable[256];
	/* What the build changed in the site folder, for a server's index
	 * of its files: @swapped when the folder was replaced whole (a full
	 * build). Otherwise, with @opts->list_changes, the paths relative
	 * to the folder ("c/acme/index.html") of every file written, then
	 * of every file deleted; NULL and 0 without it. Owned by the
	 * stats: free with site_stats_free(). */
	bool swapped;
	char **written_paths;
	size_t nwritten_paths;
	char **deleted_paths;
	size_t ndeleted_paths;
	/* With @opts->leave_replaced, the folder the new site replaced,
	 * for outdir_delete_detached(); NULL when none was. Owned by the
	 * stats: free with site_stats_free(). */
	char *replaced;
	/* Where the time went, phase by phase (build --timings): the
	 * phase's name, what it does, its wall-clock seconds and the CPU
	 * seconds of every thread meanwhile, in order. */
	struct site_phase {
		const char *name, *what;
		double seconds, cpu_seconds;
	} phases[SITE_PHASES];
	size_t nphases;
	double cpu_seconds; /* the whole build's */
};

/**
 * site_stats_free() - free the lists of changed paths and the replaced
 * folder's path in @stats (and set them empty); the rest of @stats
 * stays. Accepts stats that hold none.
 */
void site_stats_free(struct site_stats *stats);

/**
 * site_build() - check the data, then write the whole site into a new
 * folder and swap it in place of @opts->out_dir; or, when that folder
 * holds a site whose manifest says what made each file, rebuild only the
 * files whose inputs changed, each replaced atomically (see
 * outdir_begin_site()).
 * @opts: where to read and write.
 * @d: receives the data's problems; any error refuses the build.
 * @stats: filled in on success.
 * @err: receives the reason for any other failure.
 *
 * A failed build (bad data, a template error, a write error) leaves the
 * previous site exactly as it was.
 *
 * Returns: 0 on success, 1 when the data has errors (see @d), -1 on any
 * other failure (see @err).
 */
int site_build(const struct site_opts *opts, struct diag *d,
	       struct site_stats *stats, struct buf *err);

/**
 * site_read_pages() - what `monitor` found of the cited pages, from
 * @store, for a build (@opts->pages) or anything else that shows it.
 * @store: the review queue, or NULL when it could not be opened.
 * @why: with @store NULL, why it could not be opened; NULL when there is
 *	 no store to read (nothing is said then).
 *
 * What cannot be read is said on stderr ("the monitoring of cited pages
 * is left out: ..."); every page then shows as unchecked.
 *
 * Returns: the snapshot, or NULL; release with pagestate_db_free().
 */
struct pagestate_db *site_read_pages(struct store *store, const char *why);

/**
 * site_build_from_store() - site_build() with the public log of decisions
 * and what `monitor` found of the cited pages, both read from @store
 * first (@opts->decisions, @opts->ndecisions and @opts->pages are filled
 * in here). A part that cannot be read is left out of the site and said
 * on stderr; the build goes on without it.
 * @store: the review queue, or NULL (the log is then empty and every
 *	   page unchecked).
 * @why: as for site_read_pages(); said for the log too.
 *
 * Returns: as site_build().
 */
int site_build_from_store(const struct site_opts *opts, struct store *store,
			  const char *why, struct diag *d,
			  struct site_stats *stats, struct buf *err);

#endif
