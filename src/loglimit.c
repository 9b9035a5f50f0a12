/*
 * loglimit.c - log lines rate-limited by kind.
 *
 * Every refused connection makes libmicrohttpd say a line, so a client
 * that opens thousands would fill the log (and the disk) with the same
 * sentence. Each kind of line (its printf format) has a window: the first
 * line opens it and is written; the others within the interval are only
 * counted, and the count is written once the window is over, as one line
 * with the first one's text. A few dozen kinds exist, so they live in a
 * small fixed table, searched in order; when it is full the kind whose
 * window opened longest ago makes way (its count is written first).
 */
#include "loglimit.h"
#include "internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KINDS	  64
#define KIND_SIZE 96
#define LINE_SIZE 240

struct log_kind {
	char kind[KIND_SIZE]; /* "" when the slot is free */
	char first[LINE_SIZE];
	double opened;
	size_t held; /* lines counted, not written, since @opened */
};

struct loglimit {
	pthread_mutex_t lock;
	struct loglimit_opts o;
	struct log_kind v[KINDS];
};

static double monotonic_seconds(void *cls)
{
	(void)cls;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void write_stderr(void *cls, const char *line)
{
	(void)cls;
	fprintf(stderr, "%s\n", line);
}

struct loglimit *loglimit_new(const struct loglimit_opts *o)
{
	struct loglimit *l = xcalloc(1, sizeof(*l));
	l->o = *o;
	if (!l->o.write)
		l->o.write = write_stderr;
	if (!l->o.clock)
		l->o.clock = monotonic_seconds;
	pthread_mutex_init(&l->lock, NULL);
	return l;
}

/* Write how many lines like @k's were held back, and start afresh. */
static void say_held(struct loglimit *l, struct log_kind *k)
{
	if (!k->held)
		return;
	char line[LINE_SIZE + 64];
	snprintf(line, sizeof(line), "%zu more like this in the last %g s: %s",
		 k->held, l->o.interval, k->first);
	k->held = 0;
	l->o.write(l->o.cls, line);
}

void loglimit_free(struct loglimit *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < KINDS; i++)
		say_held(l, &l->v[i]);
	pthread_mutex_destroy(&l->lock);
	free(l);
}

/* The slot of @kind: its own, a free one, or the stalest one's. */
static struct log_kind *slot(struct loglimit *l, const char *kind)
{
	struct log_kind *stalest = &l->v[0];
	for (size_t i = 0; i < KINDS; i++) {
		struct log_kind *k = &l->v[i];
		if (!k->kind[0] || !strncmp(k->kind, kind, KIND_SIZE - 1))
			return k;
		if (k->opened < stalest->opened)
			stalest = k;
	}
	say_held(l, stalest);
	stalest->kind[0] = '\0';
	return stalest;
}

void loglimit_say(struct loglimit *l, const char *kind, const char *line)
{
	pthread_mutex_lock(&l->lock);
	double now = l->o.clock(l->o.cls);
	struct log_kind *k = slot(l, kind);
	if (k->kind[0] && now - k->opened < l->o.interval) {
		k->held++;
	} else {
		say_held(l, k);
		snprintf(k->kind, sizeof(k->kind), "%s", kind);
		snprintf(k->first, sizeof(k->first), "%s", line);
		k->opened = now;
		l->o.write(l->o.cls, line);
	}
	pthread_mutex_unlock(&l->lock);
}

void loglimit_flush(struct loglimit *l)
{
	pthread_mutex_lock(&l->lock);
	double now = l->o.clock(l->o.cls);
	for (size_t i = 0; i < KINDS; i++) {
		struct log_kind *k = &l->v[i];
		if (k->held && now - k->opened >= l->o.interval)
			say_held(l, k);
	}
	pthread_mutex_unlock(&l->lock);
}
