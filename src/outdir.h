/*
 * outdir.h - write a folder of files so that it replaces the previous one
 * all at once, or not at all.
 */
#ifndef CANCELATLAS_OUTDIR_H
#define CANCELATLAS_OUTDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct manifest;
struct manifest_preload;
struct outdir;

/*
 * The file every folder written here holds at its top: the mark that the
 * folder was built, so the next build may replace it whole. A folder
 * without it, unless empty, is someone else's and is never replaced.
 */
#define OUTDIR_MARK ".cancelatlas-site"

/**
 * outdir_begin() - start writing the folder that will become @path.
 * @path: the final folder. It may exist, and is then replaced at commit,
 *        only when it is empty or holds OUTDIR_MARK; any other folder, or
 *        a file, is refused here, before anything is written.
 * @err: receives the reason on failure.
 *
 * Files are written into a new sibling folder (@path.new-PID), so the old
 * folder stays complete and servable until outdir_commit(). The folders
 * that builds of @path killed half-way left beside it are removed first
 * (see outdir_swept()): only those that carry a build's mark and whose
 * process is gone.
 *
 * Returns: the writer, or NULL with @err set.
 */
struct outdir *outdir_begin(const char *path, struct buf *err);

/**
 * outdir_begin_site() - start a build of the site at @path that keeps a
 * manifest (manifest.h) of what it writes, and reuses what it can.
 * @inputs: a new manifest holding only the build's site-wide inputs
 *	    (manifest_set_input()); taken over, freed with the writer.
 * @preload: the previous manifest being read ahead (manifest_preload()
 *	     of @path), or NULL; taken over.
 * @full: write the whole site into a new folder whatever is there.
 * @note: receives one line for each thing worth saying: why the build is
 *	  a full one, or that an interrupted build is being completed.
 * @err: receives the reason on failure.
 *
 * When @path holds a site whose manifest is whole and whose inputs equal
 * @inputs, the build is incremental (outdir_incremental()): files are
 * replaced in place, each atomically, and only when their bytes differ;
 * files of groups no longer written are deleted at outdir_commit(). Any
 * other case is a full build, as outdir_begin(). A build that finds the
 * journal of an interrupted one rebuilds every group that build had
 * started to replace, and says so in @note.
 *
 * Returns: the writer, or NULL with @err set.
 */
struct outdir *outdir_begin_site(const char *path, struct manifest *inputs,
				 struct manifest_preload *preload, bool full,
				 struct buf *note, struct buf *err);

/* outdir_incremental() - whether @o replaces files in place. */
bool outdir_incremental(const struct outdir *o);

/**
 * outdir_keep() - keep group @group's files as the previous build wrote
 * them, when their inputs' hash was @key then too.
 *
 * Returns: true when kept (nothing of the group is then written), false
 * when the group must be written (full builds always say false).
 */
bool outdir_keep(struct outdir *o, const char *group, uint64_t key);

/**
 * outdir_kept_key() - the inputs' hash the previous build recorded for
 * @group, when @o replaces files in place and no interrupted build left
 * files the manifest does not describe; else 0.
 */
uint64_t outdir_kept_key(const struct outdir *o, const char *group);

/**
 * outdir_keep_file() - keep the file @rel as the previous build wrote it,
 * in the group the calling thread writes to (outdir_group()), as a write
 * of the same bytes would: for a file whose inputs the caller knows did
 * not change. False when it must be written: a full build, or a file the
 * previous build did not make.
 */
bool outdir_keep_file(struct outdir *o, const char *rel);

/**
 * outdir_group() - the files this thread writes next belong to group
 * @group, made from inputs hashing to @key. Until it is called, a
 * thread's files belong to group "site".
 */
void outdir_group(struct outdir *o, const char *group, uint64_t key);

/**
 * outdir_journal() - before an incremental build writes anything, note
 * in the site which groups it replaces: @names, the groups it writes,
 * and every group of the previous build it did not keep.
 *
 * Returns: 0, or -1 with @err set.
 */
int outdir_journal(struct outdir *o, const char *const *names, size_t n,
		   struct buf *err);

/* What an incremental build did: files written, files whose bytes were
 * already there, and files deleted (set by outdir_commit()). */
struct outdir_counts {
	size_t written, same, deleted;
	size_t site_written; /* of @written, in group "site" */
};

/* outdir_counts() - the counts so far. */
struct outdir_counts outdir_counts(const struct outdir *o);

/**
 * outdir_write() - write one file, creating its parent folders. Several
 * threads may write through one outdir at once.
 * @rel: the path inside the folder, without a leading slash and without
 *       "." or ".." segments (checked).
 *
 * Returns: 0, or -1 with @err set (the build must then abort).
 */
int outdir_write(struct outdir *o, const char *rel, const void *data,
		 size_t len, struct buf *err);

/**
 * outdir_write_parts() - write one file from @n pieces, in order, without
 * joining them in memory first (for the largest files).
 *
 * Returns: 0, or -1 with @err set.
 */
int outdir_write_parts(struct outdir *o, const char *rel,
		       const char *const *parts, const size_t *lens, size_t n,
		       struct buf *err);

/**
 * outdir_previous() - where @rel is in the site this build replaces, to
 * reuse a file whose inputs did not change.
 * @path: receives the path.
 *
 * Returns: true, or false when there is no previous site (the folder did
 * not exist or no build wrote it).
 */
bool outdir_previous(const struct outdir *o, const char *rel, struct buf *path);

/**
 * outdir_link() - put the file at @from into the new site as @rel without
 * copying it: a hard link, which the old site's removal leaves intact.
 *
 * Returns: 0, or -1 when it cannot be linked (the file is gone, links are
 * refused here, or @rel is no path inside the site): the caller then
 * writes the file itself, and outdir_write() says what is wrong.
 */
int outdir_link(struct outdir *o, const char *rel, const char *from);

/**
 * outdir_commit() - put the new folder in place of the old one, atomically
 * where the system allows (renameat2 RENAME_EXCHANGE), then delete the old
 * one. The writer is freed whatever the result.
 *
 * Returns: 0, or -1 with @err set and the old folder untouched.
 */
int outdir_commit(struct outdir *o, struct buf *err);

/**
 * outdir_leave_replaced() - have outdir_commit() leave the folder it
 * replaced, still marked as this build's, instead of deleting it, and
 * put its path in @replaced (left empty when nothing was replaced): for
 * outdir_delete_detached(), so that the build need not wait for it.
 */
void outdir_leave_replaced(struct outdir *o, struct buf *replaced);

/**
 * outdir_delete_detached() - delete @replaced, a folder that
 * outdir_leave_replaced() left, in a process of its own that outlives
 * this one: it takes the folder over (renamed @site.old-PID after itself,
 * marked as its own) before this returns, so that a later build leaves it
 * alone while it runs and removes it if it was killed. Deletes the folder
 * here instead when this process has more than one thread (a child forked
 * beside other threads may inherit a lock one of them held) or the child
 * cannot be made.
 *
 * Returns: 0 once the folder is handed over or deleted, -1 with errno set
 * when deleting it here failed.
 */
int outdir_delete_detached(const char *replaced);

/**
 * outdir_commit_counts() - outdir_commit() that also says what an
 * incremental build wrote and deleted in @counts.
 */
int outdir_commit_counts(struct outdir *o, struct outdir_counts *counts,
			 struct buf *err);

/* What a build changed in the published folder, for a server that keeps
 * an index of its files: @swapped when the folder was replaced whole (a
 * full build; the lists are then empty), else the paths inside it of the
 * files written and of those deleted. The strings and arrays are the
 * caller's; outdir_changes_free() frees them. */
struct outdir_changes {
	bool swapped;
	char **written;
	size_t nwritten;
	char **deleted;
	size_t ndeleted;
};

/**
 * outdir_commit_changes() - outdir_commit_counts() that also lists in
 * @changes (when not NULL) what the build changed in the folder.
 */
int outdir_commit_changes(struct outdir *o, struct outdir_counts *counts,
			  struct outdir_changes *changes, struct buf *err);

/* outdir_changes_free() - free the lists of @c and empty it; accepts a
 * zeroed one. */
void outdir_changes_free(struct outdir_changes *c);

/* outdir_abort() - delete everything written and free; accepts NULL. */
void outdir_abort(struct outdir *o);

/**
 * outdir_swept() - what outdir_begin() removed that interrupted builds had
 * left beside the folder.
 * @bytes: set to the size of the files in it.
 *
 * Returns: how many folders.
 */
size_t outdir_swept(const struct outdir *o, size_t *bytes);

/* outdir_dir() - the folder files are being written into: beside the
 * site's for a full build, the site's own for an incremental one; for
 * files kept with the site but outside its manifest (dot-files). */
const char *outdir_dir(const struct outdir *o);

/* outdir_files() / outdir_bytes() - what has been written so far. */
size_t outdir_files(const struct outdir *o);
size_t outdir_bytes(const struct outdir *o);

/*
 * For tests only: when set, called before each write and rename with the
 * operation ("write", "rename") and path, and in the process of
 * outdir_delete_detached() before it deletes ("delete"); a non-zero
 * return makes that operation fail with EIO, as a full disk or a failing
 * device would.
 */
extern int (*outdir_fail_hook)(const char *op, const char *path);

#endif
