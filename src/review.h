/*
 * review.h - what `cancelatlas corrections` and `cancelatlas audits` do:
 * list the queue, show a submission, log an editor's decision and say
 * which record file to change.
 */
#ifndef CANCELATLAS_REVIEW_H
#define CANCELATLAS_REVIEW_H

#include <stdio.h>

#include "buf.h"
#include "store.h"

/* Exit statuses, as main.c's: 0 done, 1 not found or not stored. */
#define REVIEW_FAILED 1

/* Where a command reads and writes. */
struct review_ctx {
	const char *db_path;  /* the review queue */
	const char *data_dir; /* the records, to point at the file to edit */
	FILE *out;	      /* results */
	FILE *err;	      /* problems */
};

/**
 * review_default_db() - the default database of a data folder: the file
 * cancelatlas.db beside it (in its parent folder), so `--data data`
 * gives ./cancelatlas.db. Never inside the data folder, which is
 * published: the database holds contact addresses.
 * @out: receives the path (reset first).
 */
void review_default_db(const char *data_dir, struct buf *out);

/**
 * review_list() - print one line per submission of @kind, oldest first:
 * tracking id, date received, status, record, field.
 * @status: only this status, or -1 for all.
 *
 * Returns: 0, or REVIEW_FAILED with the reason on @ctx->err.
 */
int review_list(const struct review_ctx *ctx, enum store_kind kind, int status);

/**
 * review_show() - print everything about one submission, the contact
 * email included (for the editor only). Text sent by the public is
 * printed with control characters escaped, so it cannot drive the
 * terminal.
 *
 * Returns: 0, or REVIEW_FAILED when there is no such submission.
 */
int review_show(const struct review_ctx *ctx, enum store_kind kind,
		const char *tracking);

/**
 * review_decide() - accept or reject a pending submission, logging the
 * reason and today's date. An accepted correction prints the record file
 * and the field (with its line) to change; an accepted audit prints the
 * `flow:` entry to add and the commands that fetch and hash its
 * evidence. Nothing here edits a record: a score changes only when an
 * editor changes the file.
 * @reason: required for STORE_REJECTED, optional for STORE_ACCEPTED.
 *
 * Returns: 0, or REVIEW_FAILED (no such submission, already decided,
 * the database cannot be written).
 */
int review_decide(const struct review_ctx *ctx, enum store_kind kind,
		  const char *tracking, enum store_status decision,
		  const char *reason);

/**
 * review_flow_yaml() - append the `flow:` list entry for an accepted
 * crowd audit: the audit's facts, tier crowd_verified, a note naming the
 * tracking id, and per evidence item a title, a file path under
 * audits/RECORD/ and its sha256 (as submitted, else a value that `check`
 * refuses until the editor puts in the hash of the fetched file).
 * @out: the buffer to append to.
 * @au: the audit as stored.
 * @tracking: its tracking id.
 */
void review_flow_yaml(struct buf *out, const struct submit_audit *au,
		      const char *tracking);

#endif
