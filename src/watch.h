/*
 * watch.h - folders watched with inotify, and a callback once their
 * changes have settled (`serve --watch`).
 */
#ifndef CANCELATLAS_WATCH_H
#define CANCELATLAS_WATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* How long the folders must stay quiet after a change before the
 * callback runs: an editor's save is several events in a few ms. */
#define WATCH_DEBOUNCE_MS 60

/* Called on the watching thread after a burst of changes. */
typedef void (*watch_fn)(void *user);

struct watch;

/**
 * watch_name_ignored() - whether a change to a file called @name (no
 * folder) is an editor's or a tool's scratch file rather than an edit:
 * hidden files (".x.swp", ".#x" locks, ".git"), backups ("x~"), vim's
 * "4913" probe and its swap files, emacs's "#x#" autosaves, and temporary
 * files ending in ".tmp".
 */
bool watch_name_ignored(const char *name);

/**
 * watch_start() - watch @dirs and every folder below them (hidden ones
 * excepted) for files written, moved in, deleted or created, and call
 * @fn on a thread of its own once @debounce_ms pass without another
 * change. Changes made while @fn runs call it again after it returns.
 * Folders created or moved in later are watched as they appear.
 * @dirs: @ndirs folders (borrowed for the call only).
 * @skip: a folder never to watch, such as the site's output when it is
 *        inside a watched one; may be NULL.
 * @err: receives the reason on failure.
 *
 * Returns: the watch, or NULL with @err set. Stop it with watch_stop().
 */
struct watch *watch_start(const char *const *dirs, size_t ndirs,
			  const char *skip, unsigned debounce_ms, watch_fn fn,
			  void *user, struct buf *err);

/* watch_folders() - how many folders are being watched. */
size_t watch_folders(const struct watch *w);

/* watch_stop() - stop the thread (after @fn returns, if it runs) and
 * free; accepts NULL. */
void watch_stop(struct watch *w);

#endif
