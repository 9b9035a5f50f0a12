/*
 * loglimit.h - log lines rate-limited by kind, so that what a client can
 * make the server say cannot flood its log.
 */
#ifndef CANCELATLAS_LOGLIMIT_H
#define CANCELATLAS_LOGLIMIT_H

struct loglimit_opts {
	double interval; /* seconds; at most one line per kind in each */
	/* Writes one line (without its newline); called with the limiter's
	 * lock held. NULL: to stderr. */
	void (*write)(void *cls, const char *line);
	/* Seconds on a monotonic clock. NULL: CLOCK_MONOTONIC. */
	double (*clock)(void *cls);
	void *cls; /* for @write and @clock */
};

struct loglimit;

/**
 * loglimit_new() - a limiter with the options in @o (copied).
 *
 * Returns: the limiter; free it with loglimit_free().
 */
struct loglimit *loglimit_new(const struct loglimit_opts *o);

/* loglimit_free() - say what is still held back, then free; accepts
 * NULL. */
void loglimit_free(struct loglimit *l);

/**
 * loglimit_say() - write @line, unless a line of the same @kind was
 * written less than the interval ago: then it is only counted, and said
 * later as "N more like this in the last S s: FIRST LINE".
 * @kind: what makes lines alike, e.g. their printf format; borrowed.
 * @line: the text, one line; borrowed.
 */
void loglimit_say(struct loglimit *l, const char *kind, const char *line);

/* loglimit_flush() - write the count of each kind whose interval is over
 * and that held lines back; call it now and then (once a second). */
void loglimit_flush(struct loglimit *l);

#endif
