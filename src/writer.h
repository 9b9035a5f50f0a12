/*
 * writer.h - submissions stored by one thread, in the order they came,
 * each answered within a deadline, so that no serving thread ever waits
 * on the database.
 */
#ifndef CANCELATLAS_WRITER_H
#define CANCELATLAS_WRITER_H

#include <stdint.h>

#include "buf.h"
#include "store.h"
#include "submit.h"

/* What became of a submission. */
enum writer_result {
	WRITER_STORED, /* committed: @tracking is its id */
	WRITER_LOCKED, /* another writer held the lock past the deadline */
	WRITER_FAILED, /* not stored: read-only, disk full... (@error) */
	WRITER_FULL,   /* refused at once: too many waiting, or stopping */
};

/*
 * One submission to store. The caller fills in the first fields and keeps
 * the job and everything it points to alive until done() is called;
 * the writer fills in the result before that.
 */
struct writer_job {
	enum store_kind kind;
	const struct submit_correction *correction; /* STORE_CORRECTION */
	const struct submit_audit *audit;	    /* STORE_AUDIT */
	int64_t received; /* seconds since the epoch */
	/* Called once, from the writer's thread (or from writer_submit()
	 * for WRITER_FULL); the writer does not touch the job afterwards. */
	void (*done)(struct writer_job *job);
	void *user;

	enum writer_result result;
	char tracking[STORE_TRACKING_SIZE];
	char error[256]; /* why, when not stored */

	/* the writer's own */
	double deadline;
	struct writer_job *next;
};

struct writer;

/**
 * writer_start() - start the thread that stores submissions in @store.
 * @store: borrowed; from now until writer_drain() only the writer uses it.
 * @capacity: jobs waiting or being stored at once; one more is refused.
 * @lock_timeout_ms: how long a job may wait, from its submission, for
 *                   another writer's lock before it fails.
 * @err: receives the reason on failure.
 *
 * Returns: the writer, or NULL with @err set. Free it with writer_free().
 */
struct writer *writer_start(struct store *store, unsigned capacity,
			    int lock_timeout_ms, struct buf *err);

/**
 * writer_submit() - queue @job to be stored; never waits on the database.
 * @job: borrowed until its done() is called: later by the writer's
 *       thread, or before this returns with WRITER_FULL when the queue is
 *       full or the writer is draining.
 */
void writer_submit(struct writer *w, struct writer_job *job);

/**
 * writer_drain() - refuse new jobs, finish every job queued (each still
 * within its deadline) and stop the thread. Once it returns, every done()
 * has been called and the store is the caller's again.
 */
void writer_drain(struct writer *w);

/* writer_free() - drain and free; accepts NULL. */
void writer_free(struct writer *w);

#endif
