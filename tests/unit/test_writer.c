/*
 * test_writer.c - the thread that stores submissions: jobs stored in
 * order and each answered once, a burst during another writer's lock
 * answered within the lock timeout (not one timeout after another), a
 * full queue refused at once, a lock released in time still stored, a
 * read-only file refused, and a drain that answers everything.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "writer.h"

#include "fixture.h"

struct fixture {
	char *dir;  /* a scratch folder */
	char *path; /* the database in it */
	struct store *s;
	sqlite3 *locker; /* another writer, when a test holds the lock */
};

/* A job and what the test saw of its answer. */
struct probe {
	struct writer_job job;
	double submitted;
	double answered;
	bool done;
	int calls;
	pthread_t by;
};

static pthread_mutex_t probe_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t probe_cond = PTHREAD_COND_INITIALIZER;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_done(struct writer_job *job)
{
	struct probe *p = job->user;
	pthread_mutex_lock(&probe_lock);
	p->answered = now_s();
	p->done = true;
	p->calls++;
	p->by = pthread_self();
	pthread_cond_broadcast(&probe_cond);
	pthread_mutex_unlock(&probe_lock);
}

static const struct submit_correction correction = {
	.record = "coursera",
	.field = "refund_page",
	.wrong = "The refund page moved.",
	.proposed = "https://example.com/refunds",
	.evidence_url = "https://example.com/refunds",
	.email = "someone@example.com",
};

static void submit(struct writer *w, struct probe *p)
{
	memset(p, 0, sizeof(*p));
	p->job.kind = STORE_CORRECTION;
	p->job.correction = &correction;
	p->job.received = 1000;
	p->job.done = on_done;
	p->job.user = p;
	p->submitted = now_s();
	writer_submit(w, &p->job);
}

/* Wait (at most 10 s) until all @n probes are answered. */
static bool wait_done(struct probe *p, size_t n)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 10;
	pthread_mutex_lock(&probe_lock);
	bool all = false;
	for (;;) {
		all = true;
		for (size_t i = 0; i < n; i++)
			all = all && p[i].done;
		if (all ||
		    pthread_cond_timedwait(&probe_cond, &probe_lock, &until))
			break;
	}
	pthread_mutex_unlock(&probe_lock);
	return all;
}

static size_t stored_corrections(struct fixture *f)
{
	struct arena *a = arena_new();
	struct buf err = BUF_INIT;
	struct store_public *v;
	size_t n = 0;
	assert_int_equal(
		store_list(f->s, STORE_CORRECTION, -1, a, &v, &n, &err), 0);
	buf_free(&err);
	arena_free(a);
	return n;
}

static void hold_lock(struct fixture *f)
{
	assert_int_equal(sqlite3_open(f->path, &f->locker), SQLITE_OK);
	assert_int_equal(
		sqlite3_exec(f->locker, "BEGIN IMMEDIATE", NULL, NULL, NULL),
		SQLITE_OK);
}

static void release_lock(struct fixture *f)
{
	sqlite3_exec(f->locker, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(f->locker);
	f->locker = NULL;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	f->dir = fixture_dir_new("writer");
	f->path = fixture_path(f->dir, "queue.db");
	struct buf err = BUF_INIT;
	f->s = store_open(f->path, STORE_CREATE, 0, &err);
	buf_free(&err);
	*state = f;
	return f->s ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	if (f->locker)
		release_lock(f);
	store_close(f->s);
	free(f->path);
	fixture_dir_remove(f->dir);
	free(f);
	return 0;
}

static void jobs_are_stored_and_answered_once(void **state)
{
	struct fixture *f = *state;
	struct buf err = BUF_INIT;
	struct writer *w = writer_start(f->s, 16, 2000, &err);
	assert_non_null(w);
	struct probe p[5];
	for (size_t i = 0; i < 5; i++)
		submit(w, &p[i]);
	/* An audit goes the same way. */
	struct submit_evidence ev = { "Recording", "https://example.com/r",
				      NULL };
	const char *path[] = { "Account", "Cancel" };
	struct submit_audit audit = {
		.record = "coursera",
		.email = "someone@example.com",
		.signup_channel = CHANNEL_ONLINE,
		.online_path = true,
		.steps = 2,
		.path = path,
		.npath = 2,
		.retention = "none",
		.channel_symmetry = true,
		.confirmation = "immediate",
		.minutes = 1.5,
		.clean_exit = true,
		.evidence = &ev,
		.nevidence = 1,
	};
	struct probe pa;
	memset(&pa, 0, sizeof(pa));
	pa.job.kind = STORE_AUDIT;
	pa.job.audit = &audit;
	pa.job.done = on_done;
	pa.job.user = &pa;
	writer_submit(w, &pa.job);
	assert_true(wait_done(p, 5));
	assert_true(wait_done(&pa, 1));
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(p[i].job.result, WRITER_STORED);
		assert_int_equal(p[i].calls, 1);
		assert_true(store_tracking_valid(p[i].job.tracking));
		assert_int_equal(p[i].job.tracking[0], 'c');
		/* Answered by the writer's thread, not the submitter's. */
		assert_false(pthread_equal(p[i].by, pthread_self()));
		if (i)
			assert_true(p[i].answered >= p[i - 1].answered);
	}
	writer_free(w);
	assert_int_equal(stored_corrections(f), 5);
	assert_int_equal(pa.job.result, WRITER_STORED);
	struct arena *a = arena_new();
	struct store_audit got;
	assert_int_equal(store_audit_get(f->s, pa.job.tracking, a, &got, &err),
			 0);
	assert_int_equal(got.a.npath, 2);
	arena_free(a);
	buf_free(&err);
}

/* Eight jobs at once during a lock of 300 ms: each is answered within
 * the timeout of its own submission (plus a generous margin), where one
 * wait after another would take 2.4 s for the last. */
static void a_burst_during_a_lock_ends_with_the_first_wait(void **state)
{
	struct fixture *f = *state;
	const char *wrap = getenv("TEST_WRAPPER");
	double margin = wrap && *wrap ? 1.5 : 0.5; /* valgrind is slow */
	hold_lock(f);
	struct buf err = BUF_INIT;
	struct writer *w = writer_start(f->s, 16, 300, &err);
	assert_non_null(w);
	struct probe p[8];
	for (size_t i = 0; i < 8; i++)
		submit(w, &p[i]);
	assert_true(wait_done(p, 8));
	for (size_t i = 0; i < 8; i++) {
		double waited = p[i].answered - p[i].submitted;
		assert_int_equal(p[i].job.result, WRITER_LOCKED);
		assert_non_null(strstr(p[i].job.error, "locked"));
		assert_true(waited < 0.3 + margin);
	}
	/* The first did wait for the lock. */
	assert_true(p[0].answered - p[0].submitted >= 0.25);
	writer_free(w);
	release_lock(f);
	assert_int_equal(stored_corrections(f), 0);
	buf_free(&err);
}

static void a_full_queue_refuses_at_once(void **state)
{
	struct fixture *f = *state;
	hold_lock(f);
	struct buf err = BUF_INIT;
	struct writer *w = writer_start(f->s, 2, 5000, &err);
	assert_non_null(w);
	struct probe p[3];
	submit(w, &p[0]);
	submit(w, &p[1]);
	submit(w, &p[2]);
	/* The third was answered before writer_submit() returned. */
	assert_true(p[2].done);
	assert_int_equal(p[2].job.result, WRITER_FULL);
	assert_true(pthread_equal(p[2].by, pthread_self()));
	assert_false(p[0].done && p[1].done);
	/* A lock released within the deadline: the waiting ones are
	 * stored. */
	release_lock(f);
	assert_true(wait_done(p, 2));
	assert_int_equal(p[0].job.result, WRITER_STORED);
	assert_int_equal(p[1].job.result, WRITER_STORED);
	/* Room again. */
	struct probe again;
	submit(w, &again);
	assert_true(wait_done(&again, 1));
	assert_int_equal(again.job.result, WRITER_STORED);
	writer_free(w);
	assert_int_equal(stored_corrections(f), 3);
	buf_free(&err);
}

static void draining_answers_every_job(void **state)
{
	struct fixture *f = *state;
	struct buf err = BUF_INIT;
	struct writer *w = writer_start(f->s, 16, 2000, &err);
	assert_non_null(w);
	struct probe p[8];
	for (size_t i = 0; i < 8; i++)
		submit(w, &p[i]);
	writer_drain(w);
	for (size_t i = 0; i < 8; i++) {
		assert_true(p[i].done);
		assert_int_equal(p[i].calls, 1);
		assert_int_equal(p[i].job.result, WRITER_STORED);
	}
	struct probe late;
	submit(w, &late);
	assert_true(late.done);
	assert_int_equal(late.job.result, WRITER_FULL);
	assert_non_null(strstr(late.job.error, "stopping"));
	writer_free(w);
	assert_int_equal(stored_corrections(f), 8);
	buf_free(&err);
}

static void a_read_only_file_fails_cleanly(void **state)
{
	struct fixture *f = *state;
	store_close(f->s);
	assert_int_equal(chmod(f->path, 0444), 0);
	struct buf err = BUF_INIT;
	f->s = store_open(f->path, STORE_CREATE, 0, &err);
	assert_non_null(f->s);
	struct writer *w = writer_start(f->s, 16, 2000, &err);
	struct probe p;
	submit(w, &p);
	assert_true(wait_done(&p, 1));
	assert_int_equal(p.job.result, WRITER_FAILED);
	assert_non_null(strstr(p.job.error, "read-only"));
	writer_free(w);
	chmod(f->path, 0644);
	buf_free(&err);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(jobs_are_stored_and_answered_once),
		T(a_burst_during_a_lock_ends_with_the_first_wait),
		T(a_full_queue_refuses_at_once),
		T(draining_answers_every_job),
		T(a_read_only_file_fails_cleanly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
