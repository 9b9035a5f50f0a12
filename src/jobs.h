/*
 * jobs.h - run a few independent jobs at the same time, a thread each.
 */
#ifndef CANCELATLAS_JOBS_H
#define CANCELATLAS_JOBS_H

#include <stddef.h>

/* One job: @run(@arg) returns 0 when it succeeded, else -1. */
struct jobs_job {
	int (*run)(void *arg);
	void *arg;
};

/**
 * jobs_run() - run the @n jobs of @jobs at the same time and wait for
 * every one: the first on the calling thread, each other on a thread of
 * its own (or, when no thread can be made, on the calling thread after
 * the first). Jobs must share nothing they write; each runs to its end
 * whatever the others return.
 *
 * Returns: 0 when every job returned 0, else -1.
 */
int jobs_run(const struct jobs_job *jobs, size_t n);

#endif
