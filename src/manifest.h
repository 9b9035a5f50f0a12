/*
 * manifest.h - what a built site holds and what each file was made from:
 * every output file with the hash of its bytes, grouped by the inputs
 * that made it (a record, or the whole data for the shared pages), each
 * group with the hash of those inputs. A build that finds it rebuilds
 * only the groups whose inputs changed.
 */
#ifndef CANCELATLAS_MANIFEST_H
#define CANCELATLAS_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* The manifest, at the top of a built site; a dot-file, never served. */
#define MANIFEST_NAME ".cancelatlas-manifest"
/* Present only while a build replaces files in place: the groups whose
 * files it replaces or deletes. */
#define MANIFEST_JOURNAL ".cancelatlas-journal"

/* One output file: its path in the site, and its bytes' hash and size. */
struct manifest_file {
	char *path;
	uint64_t hash;
	uint64_t size;
	size_t group;
};

/* The files made from one set of inputs, and the hash of those inputs. */
struct manifest_group {
	char *name; /* "record/ID", "site" */
	uint64_t key;
	/* In a loaded manifest, the group's files are files[first..+n). */
	size_t first, n;
	bool copied; /* added by manifest_copy_group() */
	/* In a loaded manifest and its copies, while unchanged: the group's
	 * lines in the file read, a NUL for each newline, which a save
	 * writes again as they were; NULL once the group changed. */
	const char *lines;
	size_t lines_len;
};

struct manifest;
struct manifest_preload;

/* manifest_new() - an empty manifest, to fill during a build. */
struct manifest *manifest_new(void);

/* manifest_free() - release @m; accepts NULL. */
void manifest_free(struct manifest *m);

/**
 * manifest_set_input() - record a site-wide input (the templates' hash,
 * the methodology version, the day...) by name; a build whose inputs
 * differ from its manifest's rebuilds everything. @value has no newline.
 */
void manifest_set_input(struct manifest *m, const char *name,
			const char *value);

/* manifest_input() - the value of input @name, or NULL. */
const char *manifest_input(const struct manifest *m, const char *name);

/**
 * manifest_changed_input() - the first input of @now whose value differs
 * in @then (or that only one of them has).
 *
 * Returns: its name, or NULL when they all agree.
 */
const char *manifest_changed_input(const struct manifest *then,
				   const struct manifest *now);

/**
 * manifest_add_group() - start group @name with input hash @key. Safe
 * from several threads at once.
 *
 * Returns: the group's number, for manifest_add_file().
 */
size_t manifest_add_group(struct manifest *m, const char *name, uint64_t key);

/* manifest_add_file() - add a file to group @group. Thread-safe. */
void manifest_add_file(struct manifest *m, size_t group, const char *path,
		       uint64_t hash, uint64_t size);

/* manifest_reserve() - make room for @groups groups and @files files in
 * all, for a manifest whose size is known (a site built again). */
void manifest_reserve(struct manifest *m, size_t groups, size_t files);

/**
 * manifest_copy_group() - add group @g of @from, with its files, to @to.
 * Thread-safe on @to. The names and paths are @from's: free @from after
 * @to (or once @to is no longer used).
 *
 * Returns: the group's number in @to.
 */
size_t manifest_copy_group(struct manifest *to, const struct manifest *from,
			   const struct manifest_group *g);

/* manifest_set_key() - set the input hash of group @group. Thread-safe. */
void manifest_set_key(struct manifest *m, size_t group, uint64_t key);

/* manifest_find_group() - group @name of a loaded manifest, or NULL. */
const struct manifest_group *manifest_find_group(const struct manifest *m,
						 const char *name);

/* manifest_find_file() - the file at @path of a loaded manifest, or NULL. */
const struct manifest_file *manifest_find_file(const struct manifest *m,
					       const char *path);

/* manifest_index() - make manifest_find_group() and manifest_find_file()
 * work on a manifest filled here; false when a name is there twice. */
bool manifest_index(struct manifest *m);

/* The groups and files, to walk; in a loaded manifest files are ordered
 * by group. */
size_t manifest_groups(const struct manifest *m,
		       const struct manifest_group **groups);
size_t manifest_files(const struct manifest *m,
		      const struct manifest_file **files);

/* manifest_forget_group() - make group @name of a loaded manifest match
 * no inputs, so that the next build rebuilds or deletes its files. */
void manifest_forget_group(struct manifest *m, const char *name);

/**
 * manifest_save() - write @m as DIR/MANIFEST_NAME, atomically (a
 * temporary file renamed over it). Groups and files are sorted by name,
 * so the same site always has the same manifest.
 *
 * Returns: 0, or -1 with @err set.
 */
int manifest_save(struct manifest *m, const char *dir, struct buf *err);

/**
 * manifest_load() - read DIR/MANIFEST_NAME.
 * @out: set to the manifest on success.
 * @why: on failure, why there is none ("there is no manifest", "the
 *	 manifest is damaged: line 12").
 *
 * Returns: 0, or -1 when absent or damaged (a manifest is checked whole:
 * its last line holds the count of its lines and a hash of the rest).
 */
int manifest_load(const char *dir, struct manifest **out, struct buf *why);

/**
 * manifest_preload() - start reading DIR/MANIFEST_NAME on a thread of its
 * own, so that a build can do other work meanwhile (at 100,000 records
 * the manifest is some 55 MB of text).
 *
 * Returns: the read in progress, for manifest_preload_finish() or
 * manifest_preload_cancel().
 */
struct manifest_preload *manifest_preload(const char *dir);

/**
 * manifest_preload_finish() - as manifest_load() of DIR, taking the
 * manifest @p read when the file is still the one it read, else reading
 * it now (another build may have replaced it before this one took the
 * site's lock). @p may be NULL; it is freed.
 */
int manifest_preload_finish(struct manifest_preload *p, const char *dir,
			    struct manifest **out, struct buf *why);

/* manifest_preload_cancel() - wait for @p (may be NULL) and free it. */
void manifest_preload_cancel(struct manifest_preload *p);

/**
 * manifest_journal_write() - write DIR/MANIFEST_JOURNAL atomically, with
 * the names of the @n groups a build is about to replace or delete.
 *
 * Returns: 0, or -1 with @err set.
 */
int manifest_journal_write(const char *dir, const char *const *names, size_t n,
			   struct buf *err);

/**
 * manifest_journal_read() - the group names of DIR/MANIFEST_JOURNAL, one
 * per line into @names (NUL-separated lines in one buffer).
 *
 * Returns: how many, or -1 when there is no journal. A journal that
 * cannot be read whole counts as one naming every group (-2).
 */
long manifest_journal_read(const char *dir, struct buf *names);

/* manifest_journal_remove() - delete DIR/MANIFEST_JOURNAL. Returns 0 or
 * -1 (errno set); a missing journal is no error. */
int manifest_journal_remove(const char *dir);

#endif
