/*
 * feed.h - the Atom feeds: the latest changes across the index
 * (/feed.atom) and every change to one record (/c/<id>/feed.atom).
 */
#ifndef CANCELATLAS_FEED_H
#define CANCELATLAS_FEED_H

#include <stdbool.h>

#include "buf.h"
#include "catalog.h"

/* How many entries /feed.atom carries: the latest changes. */
#define FEED_MAX 50

/**
 * feed_put_latest() - append /feed.atom: an Atom 1.0 feed of the
 * FEED_MAX latest changes across the index, newest first: each
 * committed version of a record (what changed, its scores, the editor's
 * note), or a record's review where it has no history.
 *
 * Returns: false only when @out's limit is reached.
 */
bool feed_put_latest(struct buf *out, const struct catalog *c);

/**
 * feed_put_record() - append /c/<id>/feed.atom: every committed version
 * of @e's record as an entry, newest first, or its review when it has no
 * history.
 *
 * Returns: false only when @out's limit is reached.
 */
bool feed_put_record(struct buf *out, const struct catalog *c,
		     const struct entry *e);

#endif
