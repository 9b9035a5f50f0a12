/*
 * livereload.c - the browser's side of `serve --watch`: every HTML page
 * gets a script tag (a file, /_watch/reload.js, as the CSP's script-src
 * 'self' wants) that opens an EventSource on /_watch/events and reloads
 * the page when a build finishes; while the data fails its checks, every
 * page is the diagnostics instead.
 *
 * Each build has an id (the server's start time and a counter). The tag
 * carries the id of the build the page came from, and a stream says the
 * current one on connecting ("hello") and after every build ("build"):
 * the page reloads when they differ, so a build finished between the
 * page and its stream, or a restarted server, reloads it too. A stream is
 * a libmicrohttpd callback response whose connection is suspended while
 * there is nothing to say and resumed by a build or the keep-alive tick,
 * so it holds no serving thread. Nothing here is cached by the browser.
 */
#include "livereload.h"
#include "esc.h"
#include "internal.h"
#include "response.h"

#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char script[] =
	"/* cancelatlas serve --watch: reload when a build finishes */\n"
	"(function () {\n"
	"\t'use strict';\n"
	"\tvar tag = document.querySelector('script[data-watch-build]');\n"
	"\tvar build = tag ? tag.getAttribute('data-watch-build') : '';\n"
	"\tvar es = new EventSource('" LIVERELOAD_EVENTS "');\n"
	"\tfunction check(e) {\n"
	"\t\tif (e.data !== build) {\n"
	"\t\t\tes.close();\n"
	"\t\t\tlocation.reload();\n"
	"\t\t}\n"
	"\t}\n"
	"\tes.addEventListener('hello', check);\n"
	"\tes.addEventListener('build', check);\n"
	"})();\n";

/* One open event stream. */
struct client {
	struct livereload *lr;
	struct MHD_Connection *c;
	bool hello;		    /* the first event is sent */
	bool suspended;		    /* waiting for something to say */
	bool evicted;		    /* ended to make room */
	unsigned long seq, alive;   /* the build and keep-alive last sent */
	struct client *prev, *next; /* oldest first */
};

struct livereload {
	pthread_mutex_t lock;
	unsigned long long started; /* ms since the epoch, for the ids */
	unsigned long seq;	    /* builds finished */
	unsigned long alive;	    /* keep-alive ticks */
	time_t last_alive;
	char *diagnostics; /* the last build's problems, or NULL */
	bool closing;
	struct client *head, *tail;
	size_t nclients;
};

struct livereload *livereload_new(void)
{
	struct livereload *lr = xcalloc(1, sizeof(*lr));
	pthread_mutex_init(&lr->lock, NULL);
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	lr->started = (unsigned long long)t.tv_sec * 1000 +
		      (unsigned long long)t.tv_nsec / 1000000;
	lr->last_alive = time(NULL);
	return lr;
}

void livereload_free(struct livereload *lr)
{
	if (!lr)
		return;
	free(lr->diagnostics);
	pthread_mutex_destroy(&lr->lock);
	free(lr);
}

/* The id of the current build; the lock is held. */
static void build_id(const struct livereload *lr, char *out, size_t size)
{
	snprintf(out, size, "%llx-%lu", lr->started, lr->seq);
}

/* Resume every suspended stream (each then says what is new); taken out
 * of the list under the lock, resumed outside it, so libmicrohttpd's own
 * locks are never taken under ours by this thread. */
static void wake_all(struct livereload *lr)
{
	struct MHD_Connection *wake[LIVERELOAD_CLIENTS + 1];
	size_t n = 0;
	for (struct client *cl = lr->head; cl && n < ATLAS_COUNT(wake);
	     cl = cl->next)
		if (cl->suspended) {
			cl->suspended = false;
			wake[n++] = cl->c;
		}
	pthread_mutex_unlock(&lr->lock);
	for (size_t i = 0; i < n; i++)
		MHD_resume_connection(wake[i]);
}

void livereload_built(struct livereload *lr, const char *diagnostics)
{
	pthread_mutex_lock(&lr->lock);
	free(lr->diagnostics);
	lr->diagnostics = diagnostics ? xstrdup(diagnostics) : NULL;
	lr->seq++;
	wake_all(lr); /* unlocks */
}

void livereload_tick(struct livereload *lr)
{
	pthread_mutex_lock(&lr->lock);
	time_t now = time(NULL);
	if (now - lr->last_alive < LIVERELOAD_KEEPALIVE) {
		pthread_mutex_unlock(&lr->lock);
		return;
	}
	lr->last_alive = now;
	lr->alive++;
	wake_all(lr); /* unlocks */
}

void livereload_close(struct livereload *lr)
{
	pthread_mutex_lock(&lr->lock);
	lr->closing = true;
	wake_all(lr); /* unlocks */
}

/* ---- the event stream ------------------------------------------------ */

static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	(void)pos;
	struct client *cl = cls;
	struct livereload *lr = cl->lr;
	char id[48];
	int n = 0;
	pthread_mutex_lock(&lr->lock);
	build_id(lr, id, sizeof(id));
	if (lr->closing || cl->evicted) {
		pthread_mutex_unlock(&lr->lock);
		return MHD_CONTENT_READER_END_OF_STREAM;
	}
	if (!cl->hello || cl->seq != lr->seq) {
		/* retry: how soon the browser reconnects when the server
		 * restarts. */
		n = snprintf(out, max, "%sevent: %s\ndata: %s\n\n",
			     cl->hello ? "" : "retry: 500\n",
			     cl->hello ? "build" : "hello", id);
		cl->hello = true;
		cl->seq = lr->seq;
		cl->alive = lr->alive;
	} else if (cl->alive != lr->alive) {
		n = snprintf(out, max, ": keep-alive\n\n");
		cl->alive = lr->alive;
	} else {
		cl->suspended = true;
		MHD_suspend_connection(cl->c);
	}
	pthread_mutex_unlock(&lr->lock);
	/* The buffer is the block size asked for, far above any event. */
	return n < 0 || (size_t)n >= max ? 0 : n;
}

static void stream_free(void *cls)
{
	struct client *cl = cls;
	struct livereload *lr = cl->lr;
	pthread_mutex_lock(&lr->lock);
	if (cl->prev)
		cl->prev->next = cl->next;
	else
		lr->head = cl->next;
	if (cl->next)
		cl->next->prev = cl->prev;
	else
		lr->tail = cl->prev;
	lr->nclients--;
	pthread_mutex_unlock(&lr->lock);
	free(cl);
}

static struct MHD_Response *
stream_open(struct livereload *lr, struct MHD_Connection *c, unsigned *status)
{
	struct client *cl = xcalloc(1, sizeof(*cl));
	cl->lr = lr;
	cl->c = c;
	struct MHD_Response *r = MHD_create_response_from_callback(
		MHD_SIZE_UNKNOWN, 1024, stream_read, cl, stream_free);
	if (!r) {
		free(cl);
		return NULL;
	}
	MHD_add_response_header(r, "Content-Type", "text/event-stream");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Accel-Buffering", "no");
	response_add_common(r, false);
	struct MHD_Connection *evict = NULL;
	pthread_mutex_lock(&lr->lock);
	cl->prev = lr->tail;
	if (lr->tail)
		lr->tail->next = cl;
	else
		lr->head = cl;
	lr->tail = cl;
	/* Full: the oldest goes (a tab long closed, most likely: a stream
	 * that is suspended does not see its client leave). */
	if (++lr->nclients > LIVERELOAD_CLIENTS) {
		for (struct client *o = lr->head; o != cl; o = o->next)
			if (!o->evicted) {
				o->evicted = true;
				if (o->suspended) {
					o->suspended = false;
					evict = o->c;
				}
				break;
			}
	}
	pthread_mutex_unlock(&lr->lock);
	if (evict)
		MHD_resume_connection(evict);
	*status = MHD_HTTP_OK;
	return r;
}

/* ---- pages ----------------------------------------------------------- */

/* The tag, with the id of the build; the lock is held. */
static void put_tag(const struct livereload *lr, struct buf *out)
{
	char id[48];
	build_id(lr, id, sizeof(id));
	buf_printf(out,
		   "<script src=\"" LIVERELOAD_SCRIPT "\" "
		   "data-watch-build=\"%s\" defer></script>\n",
		   id);
}

/* The last "</body>" of @html, in any case, or NULL. */
static const char *find_body_end(const char *html, size_t len)
{
	static const char tag[] = "</body>";
	size_t n = sizeof(tag) - 1;
	for (size_t i = len >= n ? len - n + 1 : 0; i-- > 0;)
		if (!strncasecmp(html + i, tag, n))
			return html + i;
	return NULL;
}

static bool inject_locked(const struct livereload *lr, const char *html,
			  size_t len, struct buf *out)
{
	const char *end = find_body_end(html, len);
	size_t head = end ? (size_t)(end - html) : len;
	buf_put(out, html, head);
	put_tag(lr, out);
	return buf_put(out, html + head, len - head);
}

bool livereload_inject(struct livereload *lr, const char *html, size_t len,
		       struct buf *out)
{
	pthread_mutex_lock(&lr->lock);
	bool ok = inject_locked(lr, html, len, out);
	pthread_mutex_unlock(&lr->lock);
	return ok;
}

/* The diagnostics page; the lock is held. */
static void put_diagnostics(const struct livereload *lr, struct buf *out)
{
	buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		      "<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" "
		      "content=\"width=device-width, initial-scale=1\">\n"
		      "<title>The data fails its checks</title>\n"
		      "</head>\n<body>\n<main>\n"
		      "<h1>The data fails its checks</h1>\n"
		      "<p>The site was not rebuilt. This page reloads "
		      "itself when the data is fixed.</p>\n"
		      "<pre class=\"diagnostics\">\n");
	esc_xml_str(out, lr->diagnostics);
	buf_puts(out, "</pre>\n</main>\n");
	put_tag(lr, out);
	buf_puts(out, "</body>\n</html>\n");
}

static bool is_html(const struct sitefile *f)
{
	return !strncmp(f->type, "text/html", 9);
}

static struct MHD_Response *page_response(struct buf *page, size_t *bytes)
{
	size_t len;
	char *body = buf_detach(page, &len);
	*bytes = len;
	struct MHD_Response *r = MHD_create_response_from_buffer(
		len, body ? body : (char *)"",
		body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!r) {
		free(body);
		return NULL;
	}
	MHD_add_response_header(r, "Content-Type", "text/html; charset=utf-8");
	/* Made per request and different after every build. */
	MHD_add_response_header(r, "Cache-Control", "no-store");
	response_add_common(r, false);
	return r;
}

/* The file's bytes, read whole: a page is sent with the tag put in. */
static int read_whole(int fd, size_t size, struct buf *out)
{
	char chunk[65536];
	while (out->len <= size) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		buf_put(out, chunk, (size_t)n);
	}
	return 0;
}

/* Any other file: as always, but checked again on every use. */
static struct MHD_Response *file_response(struct MHD_Connection *c,
					  const struct sitefiles *files,
					  const struct sitefile *f,
					  unsigned *status, size_t *bytes)
{
	struct stat st;
	int fd = sitefiles_open(files, f, SITEFILE_IDENTITY, &st);
	if (fd < 0)
		return NULL;
	char etag[SITEFILE_ETAG_SIZE];
	sitefile_etag((uint64_t)st.st_size,
		      (int64_t)st.st_mtim.tv_sec * 1000000000 +
			      st.st_mtim.tv_nsec,
		      SITEFILE_IDENTITY, etag);
	const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						      "If-None-Match");
	bool nm = inm && response_etag_matches(inm, etag);
	struct MHD_Response *r;
	if (nm) {
		close(fd);
		r = MHD_create_response_from_buffer(0, (void *)"",
						    MHD_RESPMEM_PERSISTENT);
	} else {
		r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
		if (!r)
			close(fd);
	}
	if (!r)
		return NULL;
	response_file_headers(r, f, SITEFILE_IDENTITY, etag, nm, false);
	const char *cc = MHD_get_response_header(r, "Cache-Control");
	if (cc) {
		char old[128];
		snprintf(old, sizeof(old), "%s", cc);
		MHD_del_response_header(r, "Cache-Control", old);
	}
	MHD_add_response_header(r, "Cache-Control", "no-cache");
	*status = nm ? MHD_HTTP_NOT_MODIFIED : MHD_HTTP_OK;
	*bytes = nm ? 0 : (size_t)st.st_size;
	return r;
}

/* livereload_response(), with the status and length set by the callee. */
static struct MHD_Response *respond(struct livereload *lr,
				    struct MHD_Connection *c,
				    const struct sitefiles *files,
				    const char *path, unsigned *status,
				    size_t *bytes)
{
	if (!strcmp(path, LIVERELOAD_EVENTS))
		return stream_open(lr, c, status);
	if (!strcmp(path, LIVERELOAD_SCRIPT)) {
		struct MHD_Response *r = MHD_create_response_from_buffer(
			sizeof(script) - 1, (void *)script,
			MHD_RESPMEM_PERSISTENT);
		if (!r)
			return NULL;
		MHD_add_response_header(r, "Content-Type",
					"text/javascript; charset=utf-8");
		MHD_add_response_header(r, "Cache-Control", "no-cache");
		response_add_common(r, false);
		*status = MHD_HTTP_OK;
		*bytes = sizeof(script) - 1;
		return r;
	}
	size_t len = strlen(path);
	const struct sitefile *f = NULL;
	if (strncmp(path, LIVERELOAD_PREFIX, strlen(LIVERELOAD_PREFIX)))
		f = sitefiles_find(files, path, len);
	*status = MHD_HTTP_OK;
	if (!f) {
		/* A folder named without its slash is redirected as ever. */
		struct buf slash = BUF_INIT;
		buf_printf(&slash, "%s/", path);
		bool folder = path[len - 1] != '/' &&
			      strncmp(path, LIVERELOAD_PREFIX,
				      strlen(LIVERELOAD_PREFIX)) &&
			      sitefiles_find(files, slash.data, slash.len);
		buf_free(&slash);
		if (folder)
			return NULL;
		f = sitefiles_find(files, "/404.html", 9);
		*status = MHD_HTTP_NOT_FOUND;
	}
	if (f && !is_html(f))
		return file_response(c, files, f, status, bytes);
	struct buf html = BUF_INIT, page = BUF_INIT;
	if (f) {
		struct stat st;
		int fd = sitefiles_open(files, f, SITEFILE_IDENTITY, &st);
		int rc =
			fd < 0 ? -1 : read_whole(fd, (size_t)st.st_size, &html);
		if (fd >= 0)
			close(fd);
		if (rc != 0) {
			buf_free(&html);
			return NULL;
		}
	}
	pthread_mutex_lock(&lr->lock);
	if (lr->diagnostics) {
		put_diagnostics(lr, &page);
		*status = MHD_HTTP_INTERNAL_SERVER_ERROR;
	} else if (f) {
		inject_locked(lr, html.len ? html.data : "", html.len, &page);
	} else {
		static const char none[] = "<!DOCTYPE html>\n<title>Not found"
					   "</title>\n<h1>Not found</h1>\n";
		inject_locked(lr, none, sizeof(none) - 1, &page);
	}
	pthread_mutex_unlock(&lr->lock);
	buf_free(&html);
	return page_response(&page, bytes);
}

struct livereload_answer livereload_response(struct livereload *lr,
					     struct MHD_Connection *c,
					     const struct sitefiles *files,
					     const char *path)
{
	struct livereload_answer a = { NULL, MHD_HTTP_OK, 0 };
	a.r = respond(lr, c, files, path, &a.status, &a.bytes);
	return a;
}
