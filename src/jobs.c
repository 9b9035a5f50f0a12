/*
 * jobs.c - run a few independent jobs at the same time, a thread each.
 *
 * A build's last phases (the index and group pages, the API files, the
 * CSV, the feeds, the sitemap) are each a single pass that depends on
 * nothing the others write; run one after another they leave all but one
 * core idle. This runs a short fixed list of such jobs at once, the
 * calling thread taking the first, and gathers their results. It is no
 * pool: a thread is made for each job and joined when it ends, which
 * costs microseconds against jobs that take tenths of a second.
 */
#include "jobs.h"
#include "internal.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

struct slot {
	const struct jobs_job *job;
	pthread_t thread;
	bool started;
	int rc;
};

static void *slot_run(void *arg)
{
	struct slot *s = arg;
	s->rc = s->job->run(s->job->arg);
	return NULL;
}

int jobs_run(const struct jobs_job *jobs, size_t n)
{
	if (n == 0)
		return 0;
	struct slot *slots = xcalloc(n, sizeof(*slots));
	for (size_t i = 0; i < n; i++)
		slots[i].job = &jobs[i];
	for (size_t i = 1; i < n; i++)
		slots[i].started = pthread_create(&slots[i].thread, NULL,
						  slot_run, &slots[i]) == 0;
	slot_run(&slots[0]);
	int rc = slots[0].rc;
	for (size_t i = 1; i < n; i++) {
		if (slots[i].started)
			pthread_join(slots[i].thread, NULL);
		else
			slot_run(&slots[i]);
		if (slots[i].rc != 0)
			rc = -1;
	}
	free(slots);
	return rc == 0 ? 0 : -1;
}
