/*
 * fetch.h - one polite HTTP GET with libcurl, for `monitor`: http and
 * https only, a User-Agent, conditional requests, time limits, a size
 * cap, no cookies, and redirects returned rather than followed, so the
 * caller sees (and checks) every hop.
 */
#ifndef CANCELATLAS_FETCH_H
#define CANCELATLAS_FETCH_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct fetch_opts {
	const char *user_agent;
	long connect_timeout_ms; /* to open the connection */
	long timeout_ms;	 /* for the whole request */
	size_t max_bytes;	 /* the body is cut past this many bytes */
};

/*
 * What one request gave. @status is the HTTP status, 0 when no answer
 * came (then @error says why: DNS, connection refused, timed out...).
 * @location is the absolute target of a redirect (3xx), else NULL. The
 * strings are NULL when the answer had no such header.
 */
struct fetch_result {
	long status;
	char *error;
	bool timed_out;
	char *location;
	char *content_type;
	char *etag;
	char *last_modified;
	struct buf body;
	bool truncated; /* the body was longer than max_bytes */
};

struct fetch;

/**
 * fetch_new() - a client that keeps its connections open between
 * requests, as a browser would. @o is copied.
 * Returns: the client, or NULL when libcurl cannot start.
 * Release with fetch_free().
 */
struct fetch *fetch_new(const struct fetch_opts *o);

/* fetch_free() - close the client; accepts NULL. */
void fetch_free(struct fetch *f);

/**
 * fetch_get() - GET @url once.
 * @etag: sent as If-None-Match, or NULL.
 * @last_modified: sent as If-Modified-Since, or NULL.
 * @out: filled in; release with fetch_result_free().
 *
 * A scheme other than http or https is refused without a request
 * (@out->error says so).
 */
void fetch_get(struct fetch *f, const char *url, const char *etag,
	       const char *last_modified, struct fetch_result *out);

/* fetch_result_free() - release what fetch_get() filled in. */
void fetch_result_free(struct fetch_result *r);

/**
 * fetch_charset() - the charset a Content-Type names ("text/html;
 * charset=ISO-8859-1" gives "ISO-8859-1"), or NULL.
 * Returns: a new string; caller frees with free().
 */
char *fetch_charset(const char *content_type);

/**
 * fetch_media_type() - the media type of a Content-Type, lower case,
 * without parameters ("text/html"); "" for NULL.
 * Returns: a new string; caller frees with free().
 */
char *fetch_media_type(const char *content_type);

#endif
