/*
 * writer.c - one thread that stores submissions, so that waiting for the
 * database never holds a serving thread.
 *
 * Jobs wait in a FIFO list bounded by a capacity, counted until each is
 * done. Each job carries a deadline, its submission time plus the lock
 * timeout, and waits for another writer's lock only until then: a burst
 * that arrives while an editor holds the lock is answered when the first
 * job's wait ends, not one timeout after another. A job already past its
 * deadline still gets one try without waiting, since the lock may have
 * gone meanwhile. The thread owns the write connection while it runs;
 * readers use connections of their own (store_reader_open()).
 */
#include "writer.h"
#include "internal.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct writer {
	struct store *store;
	int lock_timeout_ms;
	unsigned capacity;
	pthread_t thread;
	bool running; /* the thread is started and not yet joined */
	pthread_mutex_t lock;
	pthread_cond_t wake;
	/* under @lock */
	bool draining;
	unsigned count; /* jobs waiting or being stored */
	struct writer_job *head;
	struct writer_job **tail;
};

static double monotonic(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void store_job(struct writer *w, struct writer_job *job)
{
	double left = job->deadline - monotonic();
	store_busy_timeout_set(w->store, left > 0 ? (int)(left * 1000) + 1 : 0);
	struct buf err = BUF_INIT;
	int rc =
		job->kind == STORE_AUDIT
			? store_audit_insert(w->store, job->audit,
					     job->received, job->tracking, &err)
			: store_correction_insert(w->store, job->correction,
						  job->received, job->tracking,
						  &err);
	job->result = rc == 0	? WRITER_STORED
		      : rc == 1 ? WRITER_LOCKED
				: WRITER_FAILED;
	snprintf(job->error, sizeof(job->error), "%s", buf_cstr(&err));
	buf_free(&err);
	job->done(job);
}

static void *writer_run(void *arg)
{
	struct writer *w = arg;
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->head && !w->draining)
			pthread_cond_wait(&w->wake, &w->lock);
		struct writer_job *job = w->head;
		if (!job)
			break; /* draining, and nothing left */
		w->head = job->next;
		if (!w->head)
			w->tail = &w->head;
		pthread_mutex_unlock(&w->lock);
		store_job(w, job);
		pthread_mutex_lock(&w->lock);
		w->count--;
	}
	pthread_mutex_unlock(&w->lock);
	store_busy_timeout_set(w->store, w->lock_timeout_ms);
	return NULL;
}

struct writer *writer_start(struct store *store, unsigned capacity,
			    int lock_timeout_ms, struct buf *err)
{
	struct writer *w = xcalloc(1, sizeof(*w));
	w->store = store;
	w->capacity = capacity;
	w->lock_timeout_ms = lock_timeout_ms;
	w->tail = &w->head;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	int rc = pthread_create(&w->thread, NULL, writer_run, w);
	if (rc) {
		buf_printf(err, "cannot start the thread that stores "
				"submissions");
		writer_free(w);
		return NULL;
	}
	w->running = true;
	return w;
}

void writer_submit(struct writer *w, struct writer_job *job)
{
	job->result = WRITER_FULL;
	job->tracking[0] = '\0';
	job->error[0] = '\0';
	job->next = NULL;
	job->deadline = monotonic() + w->lock_timeout_ms / 1000.0;
	pthread_mutex_lock(&w->lock);
	bool draining = w->draining, full = w->count >= w->capacity;
	if (!draining && !full) {
		*w->tail = job;
		w->tail = &job->next;
		w->count++;
		pthread_cond_signal(&w->wake);
	}
	pthread_mutex_unlock(&w->lock);
	if (draining || full) {
		snprintf(job->error, sizeof(job->error), "%s",
			 draining ? "the server is stopping"
				  : "too many submissions are waiting to be "
				    "stored");
		job->done(job);
	}
}

void writer_drain(struct writer *w)
{
	pthread_mutex_lock(&w->lock);
	w->draining = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	if (w->running) {
		pthread_join(w->thread, NULL);
		w->running = false;
	}
}

void writer_free(struct writer *w)
{
	if (!w)
		return;
	writer_drain(w);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
