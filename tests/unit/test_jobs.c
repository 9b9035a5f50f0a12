/*
 * test_jobs.c - independent jobs run at the same time: two jobs that
 * each wait for the other finish (run one after the other, the first
 * would give up), every job runs whatever another returns, and the
 * result says whether all succeeded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include "jobs.h"

/* A meeting of two jobs: each arrives, then waits up to 5 s for the
 * other. */
struct meeting {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int arrived;
};

static int meet(void *arg)
{
	struct meeting *m = arg;
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 5;
	pthread_mutex_lock(&m->lock);
	m->arrived++;
	pthread_cond_broadcast(&m->cond);
	int rc = 0;
	while (m->arrived < 2 && rc == 0)
		rc = pthread_cond_timedwait(&m->cond, &m->lock, &until);
	pthread_mutex_unlock(&m->lock);
	return m->arrived >= 2 ? 0 : -1;
}

static void jobs_run_at_the_same_time(void **state)
{
	(void)state;
	struct meeting m = { PTHREAD_MUTEX_INITIALIZER,
			     PTHREAD_COND_INITIALIZER, 0 };
	const struct jobs_job jobs[] = { { meet, &m }, { meet, &m } };
	assert_int_equal(jobs_run(jobs, 2), 0);
	assert_int_equal(m.arrived, 2);
}

struct counted {
	int runs;
	int rc;
};

static int count(void *arg)
{
	struct counted *c = arg;
	c->runs++;
	return c->rc;
}

static void every_job_runs_and_one_failure_fails_all(void **state)
{
	(void)state;
	struct counted c[4] = { { 0, 0 }, { 0, -1 }, { 0, 0 }, { 0, 0 } };
	struct jobs_job jobs[4];
	for (size_t i = 0; i < 4; i++)
		jobs[i] = (struct jobs_job){ count, &c[i] };
	assert_int_equal(jobs_run(jobs, 4), -1);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(c[i].runs, 1);
	c[1].rc = 0;
	assert_int_equal(jobs_run(jobs, 4), 0);
	assert_int_equal(jobs_run(jobs, 1), 0);
	assert_int_equal(c[0].runs, 3);
	assert_int_equal(c[3].runs, 2);
	assert_int_equal(jobs_run(NULL, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(jobs_run_at_the_same_time),
		cmocka_unit_test(every_job_runs_and_one_failure_fails_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
