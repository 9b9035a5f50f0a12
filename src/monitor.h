/*
 * monitor.h - `cancelatlas monitor`: fetch every page the records cite,
 * politely, keep each new version in the store, and report what changed
 * since each record's review.
 */
#ifndef CANCELATLAS_MONITOR_H
#define CANCELATLAS_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "record.h"
#include "siteinfo.h"
#include "store.h"

/* The defaults of `monitor`'s options. */
#define MONITOR_DELAY_MS	   1000
#define MONITOR_TIMEOUT_MS	   30000
#define MONITOR_CONNECT_TIMEOUT_MS 10000
#define MONITOR_MAX_BYTES	   (5u << 20)
#define MONITOR_RETRIES		   2
#define MONITOR_MAX_REDIRECTS	   5

struct monitor_opts {
	const struct site_info *site; /* names the crawler and its contact */
	long delay_ms;		      /* between two requests to one host */
	long timeout_ms;  /* for one request; a third of it to connect */
	size_t max_bytes; /* a longer body is cut there (and said) */
	int retries;	  /* more attempts after a network error or 5xx,
			     each after twice the wait of the one before */
	FILE *log;	  /* one line per request, or NULL */
};

/**
 * monitor_user_agent() - the crawler's User-Agent, from the site's
 * settings: "CancelAtlas-monitor/1.0 (+https://site; contact)".
 * @token: receives the product token robots.txt groups are matched
 *	   against ("CancelAtlas-monitor"), when not NULL.
 * Returns: a new string; caller frees with free() (and *@token too).
 */
char *monitor_user_agent(const struct site_info *site, char **token);

/**
 * monitor_run() - fetch every URL the records cite, each once, and store
 * what was found: a new version when the text changed, else the time it
 * was seen unchanged; and the outcome of the attempt.
 * @s: the store, writable.
 * @records: the records (@n); borrowed.
 *
 * One request at a time, with @o->delay_ms between two to one host;
 * robots.txt is read once per host and honoured; validators of the last
 * version make the requests conditional; at most MONITOR_MAX_REDIRECTS
 * redirects are followed, each hop checked and recorded.
 *
 * Returns: 0, or -1 with @err set when the store cannot be written or
 * libcurl cannot start (a page that fails is an outcome, not an error).
 */
int monitor_run(struct store *s, const struct record *const *records, size_t n,
		const struct monitor_opts *o, struct buf *err);

/**
 * monitor_report() - what the store says of each record's cited pages,
 * against its review: text (or JSON with @json) on @out. A changed or
 * moved page shows the words added and removed since the baseline.
 * Returns: 0 when no page changed, moved or broke; 1 when one did; -1
 * with @err set when the store cannot be read.
 */
int monitor_report(struct store *s, const struct record *const *records,
		   size_t n, bool json, FILE *out, struct buf *err);

#endif
