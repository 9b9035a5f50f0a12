/*
 * livereload.h - what `serve --watch` adds to the server: pages that
 * reload themselves when a build finishes (a script and a Server-Sent
 * Events stream), and the data's diagnostics in place of the pages while
 * the data fails its checks.
 */
#ifndef CANCELATLAS_LIVERELOAD_H
#define CANCELATLAS_LIVERELOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "sitefiles.h"

struct MHD_Connection;
struct MHD_Response;

/* The paths served in watch mode only. */
#define LIVERELOAD_PREFIX "/_watch/"
#define LIVERELOAD_EVENTS "/_watch/events"
#define LIVERELOAD_SCRIPT "/_watch/reload.js"
/* Event streams open at once; past it the oldest is closed. */
#define LIVERELOAD_CLIENTS 32
/* Seconds between two comments on an idle stream, so that proxies and
 * browsers keep it open. */
#define LIVERELOAD_KEEPALIVE 15

struct livereload;

/* A response for one request, its status and its body's length (for the
 * access log). */
struct livereload_answer {
	struct MHD_Response *r;
	unsigned status;
	size_t bytes;
};

/* livereload_new() - the state of watch mode, before any build; free
 * with livereload_free(). */
struct livereload *livereload_new(void);

/**
 * livereload_built() - a build has finished: every open page reloads.
 * Call it after the new site is swapped in (or was not, on failure).
 * @diagnostics: NULL when the build worked; else what was wrong, as
 *               diag_print() writes it without colour ("file:line:col:
 *               error[E012]: message", the source line, a caret), shown
 *               in place of every page until a build works (copied).
 */
void livereload_built(struct livereload *lr, const char *diagnostics);

/**
 * livereload_tick() - send the keep-alive comment on the streams when
 * LIVERELOAD_KEEPALIVE seconds have passed since the last; call it about
 * once a second.
 */
void livereload_tick(struct livereload *lr);

/**
 * livereload_close() - end every stream and refuse new ones; call it
 * before the server stops (libmicrohttpd must not stop with a stream
 * waiting, suspended).
 */
void livereload_close(struct livereload *lr);

/* livereload_free() - free, after the server has stopped; accepts NULL. */
void livereload_free(struct livereload *lr);

/**
 * livereload_inject() - @html with the reload script's tag put before
 * its last "</body>" (at the end when there is none).
 * @out: receives the page (appended to).
 */
bool livereload_inject(struct livereload *lr, const char *html, size_t len,
		       struct buf *out);

/**
 * livereload_response() - the answer to a GET or HEAD for @path in
 * watch mode: the event stream and the script at their paths; an HTML
 * page of @files (or the 404 page) with the script, never cached, or the
 * diagnostics page while the last build failed; any other file as
 * always, but revalidated on every use (no-cache and its ETag).
 * @c: the connection (the stream suspends and resumes it).
 * @path: the cleaned request path.
 *
 * Returns: the answer; its response is made for this request (the caller
 * queues it, then destroys its reference), or NULL when it is not for
 * watch mode to answer (a folder named without its slash: redirected as
 * always) or could not be made.
 */
struct livereload_answer livereload_response(struct livereload *lr,
					     struct MHD_Connection *c,
					     const struct sitefiles *files,
					     const char *path);

#endif
