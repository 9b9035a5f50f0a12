/*
 * http.c - the server of `cancelatlas serve`: the built site (from memory
 * or disk, sitecache.c), and the API through which the public sends corrections
 * and crowd audits.
 *
 * libmicrohttpd runs a pool of threads, each with its own epoll loop.
 * Reads come from a generation: an immutable sitefiles index; the files'
 * responses, built on first use and kept within a byte budget, live in a
 * cache the generations share (a file unchanged by a reload keeps its
 * entry), so a hit is two hash lookups and a queue. A request holds a
 * reference on the
 * generation it started with; a reload (cmd_serve.c) swaps a new one in
 * under a short lock, and the main thread frees the old one once its
 * references are gone (RCU-style: no connection is dropped, no request
 * sees a half-loaded site). Writes go through a token bucket per client
 * address (ratelimit.c), a bounded body buffer and the submit checks;
 * then the connection is suspended and the writer's thread stores the
 * submission and resumes it, so a locked database never holds a serving
 * thread. A write is answered 202 only after the commit. A form sent by a
 * browser is answered with pages instead: 303 to the submission's status
 * page, or the form again with its problems. Those pages, the only ones
 * made per request, come from templates compiled with each generation.
 * Every connection is also known to a connguard, which a housekeeping
 * thread asks to close the slow ones, and libmicrohttpd's messages go
 * through a loglimit, since clients decide how many there are.
 */
#define _GNU_SOURCE
#include "http.h"
#include "arena.h"
#include "connguard.h"
#include "date.h"
#include "hash.h"
#include "internal.h"
#include "livepage.h"
#include "loglimit.h"
#include "proxy.h"
#include "ratelimit.h"
#include "response.h"
#include "route.h"
#include "sitecache.h"
#include "siteurl.h"
#include "submit.h"
#include "writer.h"

#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* A body sent without a length is read (not kept) this far past the
 * limit to answer 413; beyond, the connection is closed. */
#define DISCARD_MAX (1024 * 1024)
/* Retry-After of a write refused because others are in the way: the lock
 * or the queue clears in seconds. */
#define RETRY_BUSY 5
/* How often the housekeeping thread closes the connections over their
 * deadline: a deadline is kept within this. */
#define REAP_INTERVAL_MS 200
/* Open files besides the connections: listening socket, each thread's
 * epoll and wake-up pipe, the store, the standard streams. */
#define SPARE_FILES 64

/* One indexed site. */
struct gen {
	struct sitefiles *files;
	const struct sitefile *page404;
	struct livepages *pages; /* made per request */
	atomic_long refs;	 /* requests using it */
	struct gen *next;	 /* in the list of replaced generations */
};

enum req_method {
	REQ_GET,
	REQ_HEAD,
	REQ_POST,
	REQ_OPTIONS,
	REQ_OTHER,
};

/* One client connection and the request it is on; reused from one
 * request to the next on a kept-alive connection. */
struct conn {
	struct sockaddr_storage addr; /* the peer */
	/* The request's client: the peer, or whom a trusted proxy names
	 * (proxy.c); for rate limits, and as text for the access log. */
	struct sockaddr_storage client;
	char ip[PROXY_ADDR_SIZE];
	struct connguard_conn *guard;
	/* The request target as the URI log callback saw it, before any
	 * parsing: where it starts and how long it is up to a NUL. */
	const char *target;
	size_t target_len;
	/* the request in progress */
	struct gen *gen;
	enum route route;
	enum req_method method;
	enum submit_format fmt;
	bool html;		 /* a browser's form: answer with pages */
	unsigned limited;	 /* seconds to wait, when over the rate */
	const char *method_name; /* owned by MHD for the request */
	const char *url;
	const char *version;
	struct buf path; /* decoded and checked */
	struct buf body; /* limited to SUBMIT_BODY_MAX */
	size_t discarded;
	bool too_big;
	bool queued;
	bool submitted; /* handed to the writer; answered on resume */
	struct writer_job job;
	struct arena *arena; /* a submission's strings */
};

struct http_server {
	struct MHD_Daemon *d;
	struct http_opts o;
	unsigned port;
	MHD_socket quiesced;
	pthread_mutex_t gen_lock;
	struct gen *current;
	struct gen *retired;
	struct filecache *cache; /* the files' responses, every generation's */
	atomic_size_t active;
	struct writer *writer; /* NULL without a store */
	pthread_key_t reader;  /* each serving thread's read connection */
	bool has_reader_key;
	struct ratelimit *rl;
	struct MHD_Response *bad_path;
	struct MHD_Response *options_static;
	struct MHD_Response *options_api;
	struct MHD_Response *method_static;
	struct MHD_Response *method_write;
	struct MHD_Response *method_status;
	struct MHD_Response *bad_request; /* and close */
	struct MHD_Response *building_page, *building_api;
	size_t building_page_len, building_api_len;
	struct connguard *guard;
	struct loglimit *log;
	/* The housekeeping thread: closes slow connections, says what the
	 * log held back. */
	pthread_t housekeeper;
	bool housekeeping;
	pthread_mutex_t stop_lock;
	pthread_cond_t stop_cond;
	bool stopping;
	/* libmicrohttpd's last message before the daemon was up, to say why
	 * it did not start; once it is up, its messages go to stderr. */
	atomic_bool started;
	char start_error[256];
};

/* ---- generations ----------------------------------------------------- */

static struct gen *gen_new(struct sitefiles *files, struct livepages *pages)
{
	struct gen *g = xcalloc(1, sizeof(*g));
	g->files = files;
	g->pages = pages;
	g->page404 = files ? sitefiles_find(files, "/404.html", 9) : NULL;
	return g;
}

static void gen_free(struct gen *g)
{
	if (!g)
		return;
	sitefiles_free(g->files);
	livepages_free(g->pages);
	free(g);
}

static struct gen *gen_acquire(struct http_server *s)
{
	pthread_mutex_lock(&s->gen_lock);
	struct gen *g = s->current;
	atomic_fetch_add_explicit(&g->refs, 1, memory_order_relaxed);
	pthread_mutex_unlock(&s->gen_lock);
	return g;
}

static void gen_release(struct gen *g)
{
	atomic_fetch_sub_explicit(&g->refs, 1, memory_order_release);
}

/* ---- logging --------------------------------------------------------- */

/* Copy at most @max bytes of @s into @out, with quotes, backslashes and
 * anything but printable ASCII written as \xHH, so a request cannot forge
 * or break log lines. */
static void put_log_text(char *out, size_t size, const char *s, size_t max)
{
	size_t n = 0;
	for (const char *p = s ? s : "-"; *p && n < max && n + 5 < size; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			n += (size_t)snprintf(out + n, size - n, "\\x%02x", c);
		else
			out[n++] = (char)c;
	}
	out[n] = '\0';
}

/* One line in the common log format, written with one write(2). */
static void log_request(const struct conn *cc, unsigned status, size_t bytes)
{
	char when[40] = "-";
	time_t t = time(NULL);
	struct tm tm;
	if (gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%d/%b/%Y:%H:%M:%S +0000", &tm);
	char url[600];
	put_log_text(url, sizeof(url), cc->url, 512);
	char method[40];
	put_log_text(method, sizeof(method), cc->method_name, 32);
	char line[900];
	int len = snprintf(line, sizeof(line),
			   "%s - - [%s] \"%s %s %s\" %u %zu\n",
			   cc->ip[0] ? cc->ip : "-", when, method, url,
			   cc->version ? cc->version : "-", status, bytes);
	if (len > 0) {
		size_t w = (size_t)len < sizeof(line) ? (size_t)len
						      : sizeof(line) - 1;
		ssize_t rc = write(STDOUT_FILENO, line, w);
		(void)rc;
	}
}

/* ---- queueing -------------------------------------------------------- */

/* A problem met while answering a request, on stderr through the log
 * limiter: a client that makes it happen again and again gets one line
 * every few seconds, not one each time. */
ATLAS_PRINTF(3, 4)
static void say_problem(struct http_server *s, const char *kind,
			const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	loglimit_say(s->log, kind, line);
}

static enum MHD_Result queue(struct http_server *s, struct MHD_Connection *c,
			     struct conn *cc, unsigned status,
			     struct MHD_Response *r, size_t bytes)
{
	cc->queued = true;
	if (!r)
		return MHD_NO;
	if (cc->guard)
		connguard_answered(s->guard, cc->guard);
	if (s->o.access_log)
		log_request(cc, status,
			    cc->method == REQ_HEAD || status == 304 ? 0
								    : bytes);
	return MHD_queue_response(c, status, r);
}

/* Queue a response made for this request only, then let MHD own it. */
static enum MHD_Result queue_once(struct http_server *s,
				  struct MHD_Connection *c, struct conn *cc,
				  unsigned status, struct MHD_Response *r,
				  size_t bytes)
{
	enum MHD_Result rc = queue(s, c, cc, status, r, bytes);
	if (r)
		MHD_destroy_response(r);
	return rc;
}

static struct MHD_Response *dynamic_response(char *body, size_t len,
					     const char *type, bool api)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return NULL;
	}
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	response_add_common(r, api);
	return r;
}

/* Retry-After: @seconds, when there are any. */
static void add_retry_after(struct MHD_Response *r, unsigned seconds)
{
	if (!r || !seconds)
		return;
	char value[16];
	snprintf(value, sizeof(value), "%u", seconds);
	MHD_add_response_header(r, "Retry-After", value);
}

/* @j as the answer, with a Location when @location is set. */
static enum MHD_Result queue_json(struct http_server *s,
				  struct MHD_Connection *c, struct conn *cc,
				  unsigned status, json_t *j,
				  const char *location, unsigned retry_after)
{
	char *text = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(j);
	if (!text)
		return MHD_NO;
	size_t len = strlen(text);
	struct MHD_Response *r = dynamic_response(
		text, len, "application/json; charset=utf-8", true);
	if (r && location)
		MHD_add_response_header(r, "Location", location);
	add_retry_after(r, retry_after);
	return queue_once(s, c, cc, status, r, len);
}

static enum MHD_Result queue_error(struct http_server *s,
				   struct MHD_Connection *c, struct conn *cc,
				   unsigned status, const char *field,
				   const char *message, unsigned retry_after)
{
	json_t *j = json_pack("{s:s, s:s?}", "error", message, "field", field);
	if (!j)
		return MHD_NO;
	if (!field)
		json_object_set_new(j, "field", json_null());
	return queue_json(s, c, cc, status, j, NULL, retry_after);
}

/* A page rendered for this request; @page is emptied. */
static enum MHD_Result queue_html(struct http_server *s,
				  struct MHD_Connection *c, struct conn *cc,
				  unsigned status, struct buf *page,
				  unsigned retry_after)
{
	size_t len;
	char *text = buf_detach(page, &len);
	struct MHD_Response *r =
		text ? dynamic_response(text, len, "text/html; charset=utf-8",
					false)
		     : NULL;
	add_retry_after(r, retry_after);
	return queue_once(s, c, cc, status, r, len);
}

/* A JSON string, or null for text that is not UTF-8 (a form's key). */
static json_t *json_text(const char *s)
{
	json_t *j = s ? json_string(s) : NULL;
	return j ? j : json_null();
}

/*
 * Refuse a submission with @status: the problems in @errs, or @message
 * for the submission as a whole. A browser's form gets the form again,
 * with what was typed (when the body was read) and every problem beside
 * its field; a program gets JSON: the first problem as `error` and
 * `field`, and all of them in `errors`.
 */
static enum MHD_Result refuse(struct http_server *s, struct MHD_Connection *c,
			      struct conn *cc, unsigned status,
			      const struct submit_errors *errs,
			      const char *message, unsigned retry_after)
{
	if (cc->html && cc->gen->pages) {
		struct submit_pair *pairs = NULL;
		size_t n = 0;
		if (!cc->too_big && cc->body.len) {
			if (!cc->arena)
				cc->arena = arena_new();
			n = submit_form_fields(cc->body.data, cc->body.len,
					       cc->arena, &pairs);
		}
		struct buf page = BUF_INIT, err = BUF_INIT;
		enum formview_kind kind = cc->route == ROUTE_AUDITS
						  ? FORMVIEW_AUDIT
						  : FORMVIEW_CORRECTION;
		int rc = livepage_form(cc->gen->pages, kind, pairs, n, errs,
				       message, &page, &err);
		if (rc == 0) {
			buf_free(&err);
			return queue_html(s, c, cc, status, &page, retry_after);
		}
		say_problem(s, "form page", "the form page: %s",
			    buf_cstr(&err));
		buf_free(&page);
		buf_free(&err);
	}
	json_t *list = json_array();
	const char *first = message, *first_field = NULL;
	if (message)
		json_array_append_new(list, json_pack("{s:o, s:s}", "field",
						      json_null(), "message",
						      message));
	for (size_t i = 0; errs && i < errs->n; i++) {
		const struct submit_error *e = &errs->v[i];
		if (!first) {
			first = e->message;
			first_field = e->field;
		}
		json_array_append_new(list, json_pack("{s:o, s:s}", "field",
						      json_text(e->field),
						      "message", e->message));
	}
	json_t *j =
		json_pack("{s:s, s:o, s:o}", "error", first ? first : "refused",
			  "field", json_text(first_field), "errors", list);
	if (!j)
		return MHD_NO;
	return queue_json(s, c, cc, status, j, NULL, retry_after);
}

/* A page that says what went wrong, or JSON when the pages are not
 * available. */
static enum MHD_Result queue_problem(struct http_server *s,
				     struct MHD_Connection *c, struct conn *cc,
				     unsigned status, const char *title,
				     const char *message, unsigned retry_after)
{
	struct buf page = BUF_INIT, err = BUF_INIT;
	if (cc->gen->pages && livepage_problem(cc->gen->pages, title, message,
					       &page, &err) == 0) {
		buf_free(&err);
		return queue_html(s, c, cc, status, &page, retry_after);
	}
	buf_free(&page);
	buf_free(&err);
	return queue_error(s, c, cc, status, NULL, message, retry_after);
}

/* ---- reads ----------------------------------------------------------- */

static void reader_close(void *reader)
{
	store_close(reader);
}

/* This thread's own read connection to the store, opened on first use
 * and closed when the thread ends, so that a read waits neither behind
 * the writer nor behind another thread's read; its short busy timeout
 * bounds the rare wait on a checkpoint. NULL (said on stderr) when the
 * store cannot be opened. */
static struct store *thread_reader(struct http_server *s)
{
	struct store *r = pthread_getspecific(s->reader);
	if (r)
		return r;
	struct buf err = BUF_INIT;
	r = store_reader_open(s->o.store, HTTP_READ_BUSY_MS, &err);
	if (r)
		pthread_setspecific(s->reader, r);
	else
		say_problem(s, "reader", "%s", buf_cstr(&err));
	buf_free(&err);
	return r;
}

/* The queueing sitecache_serve() calls for a file's answer. */
struct file_queue {
	struct http_server *s;
	struct MHD_Connection *c;
	struct conn *cc;
};

static enum MHD_Result queue_file(void *arg, unsigned status,
				  struct MHD_Response *r, size_t len)
{
	struct file_queue *q = arg;
	return queue(q->s, q->c, q->cc, status, r, len);
}

/* Answer with file @f (the 404 page when @missing); a file gone from
 * disk since the index was made is not found. */
static enum MHD_Result send_file(struct http_server *s,
				 struct MHD_Connection *c, struct conn *cc,
				 const struct sitefile *f, bool missing)
{
	struct file_queue q = { s, c, cc };
	struct sitecache_req rq = {
		.accept_encoding = MHD_lookup_connection_value(
			c, MHD_HEADER_KIND, "Accept-Encoding"),
		.if_none_match = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							     "If-None-Match"),
		.missing = missing,
		.queue = queue_file,
		.arg = &q,
	};
	int rc = sitecache_serve(s->cache, cc->gen->files, f, &rq);
	if (rc != SITECACHE_GONE)
		return (enum MHD_Result)rc;
	if (missing || !cc->gen->page404)
		return queue_error(s, c, cc, 404, NULL, "not found", 0);
	return send_file(s, c, cc, cc->gen->page404, true);
}

static enum MHD_Result serve_404(struct http_server *s,
				 struct MHD_Connection *c, struct conn *cc)
{
	const struct sitefile *f = cc->gen->page404;
	if (!f)
		return queue_error(s, c, cc, 404, NULL, "not found", 0);
	return send_file(s, c, cc, f, true);
}

static enum MHD_Result serve_redirect(struct http_server *s,
				      struct MHD_Connection *c, struct conn *cc,
				      size_t len)
{
	return queue_once(s, c, cc, 301, response_redirect(cc->path.data, len),
			  0);
}

static enum MHD_Result serve_file(struct http_server *s,
				  struct MHD_Connection *c, struct conn *cc)
{
	const struct sitefiles *files = cc->gen->files;
	const struct sitefile *f =
		sitefiles_find(files, cc->path.data, cc->path.len);
	if (!f) {
		/* A folder named without its slash, such as /c/ID: redirect
		 * to the one address every page links to. */
		size_t len = cc->path.len;
		if (cc->path.data[len - 1] != '/' && buf_putc(&cc->path, '/') &&
		    sitefiles_find(files, cc->path.data, cc->path.len))
			return serve_redirect(s, c, cc, cc->path.len);
		return serve_404(s, c, cc);
	}
	return send_file(s, c, cc, f, false);
}

/* Watch mode: pages with the reload script, the stream (livereload.c). */
static enum MHD_Result serve_live(struct http_server *s,
				  struct MHD_Connection *c, struct conn *cc)
{
	struct livereload_answer a = livereload_response(
		s->o.live, c, cc->gen->files, cc->path.data);
	return a.r ? queue_once(s, c, cc, a.status, a.r, a.bytes)
		   : serve_file(s, c, cc);
}

static json_t *json_time(int64_t t)
{
	if (!t)
		return json_null();
	char s[DATE_TIME_SIZE];
	date_format_time(t, DATE_TIME_RFC3339, s);
	return json_string(s);
}

/* The public face of submission @id, through this thread's reader; as
 * store_public_get(), with a failure said (rate-limited) on stderr. */
static int read_public(struct http_server *s, const char *id, struct arena *a,
		       struct store_public *p)
{
	struct store *reader = thread_reader(s);
	if (!reader) /* thread_reader() said why */
		return -1;
	struct buf err = BUF_INIT;
	int rc = store_public_get(reader, id, a, p, &err);
	if (rc < 0)
		say_problem(s, "status read", "%s", buf_cstr(&err));
	buf_free(&err);
	return rc;
}

static enum MHD_Result serve_status(struct http_server *s,
				    struct MHD_Connection *c, struct conn *cc)
{
	bool audit = cc->route == ROUTE_AUDIT_STATUS;
	const char *what = audit ? "audit" : "correction";
	const char *id = strrchr(cc->path.data, '/') + 1;
	char msg[120];
	snprintf(msg, sizeof(msg), "no %s has that tracking id", what);
	if (!store_tracking_valid(id) || (id[0] == 'a') != audit)
		return queue_error(s, c, cc, 404, "id", msg, 0);
	if (!s->o.store)
		return queue_error(s, c, cc, 503, NULL,
				   "the review queue is not available", 30);
	struct arena *a = arena_new();
	struct store_public p;
	int rc = read_public(s, id, a, &p);
	enum MHD_Result ret;
	if (rc < 0) {
		ret = queue_error(s, c, cc, 503, NULL,
				  "the review queue cannot be read now", 30);
	} else if (rc > 0) {
		ret = queue_error(s, c, cc, 404, "id", msg, 0);
	} else {
		/* The public face only: no email, no submitted text. */
		json_t *j = json_pack(
			"{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s?}", "tracking",
			p.tracking, "kind", what, "record", p.record, "field",
			p.field, "status", store_status_str(p.status),
			"received", json_time(p.received), "decided",
			json_time(p.decided), "reason", p.reason);
		if (j && !p.reason)
			json_object_set_new(j, "reason", json_null());
		ret = j ? queue_json(s, c, cc, 200, j, NULL, 0) : MHD_NO;
	}
	arena_free(a);
	return ret;
}

/* The status page of a submission, /corrections/status/ID/. */
static enum MHD_Result serve_status_page(struct http_server *s,
					 struct MHD_Connection *c,
					 struct conn *cc)
{
	const char *rest = cc->path.data + strlen(ROUTE_STATUS_PREFIX);
	char id[STORE_TRACKING_SIZE + 1];
	snprintf(id, sizeof(id), "%.*s", (int)strcspn(rest, "/"), rest);
	if (!store_tracking_valid(id))
		return serve_404(s, c, cc);
	if (!s->o.store)
		return queue_problem(s, c, cc, 503, "Not available now",
				     "The review queue is not available now; "
				     "try again later.",
				     30);
	struct arena *a = arena_new();
	struct store_public p;
	struct buf err = BUF_INIT, page = BUF_INIT;
	int rc = read_public(s, id, a, &p);
	enum MHD_Result ret;
	if (rc < 0) {
		ret = queue_problem(s, c, cc, 503, "Not available now",
				    "The review queue cannot be read now; try "
				    "again later.",
				    30);
	} else if (rc > 0) {
		ret = serve_404(s, c, cc);
	} else if (cc->gen->pages &&
		   livepage_status(cc->gen->pages, &p, &page, &err) == 0) {
		ret = queue_html(s, c, cc, 200, &page, 0);
	} else {
		say_problem(s, "status page", "the status page: %s",
			    buf_cstr(&err));
		ret = queue_error(s, c, cc, 500, NULL,
				  "the status page could not be made", 0);
	}
	buf_free(&page);
	buf_free(&err);
	arena_free(a);
	return ret;
}

/* ---- writes ---------------------------------------------------------- */

static bool record_exists(void *user, const char *id)
{
	const struct gen *g = user;
	struct buf path = BUF_INIT;
	siteurl_put_record_path(&path, id, SITEURL_PAGE);
	bool found = sitefiles_find(g->files, path.data, path.len) != NULL;
	buf_free(&path);
	return found;
}

/* The refusals that may come before the body is read, or after it. */
static enum MHD_Result refuse_too_big(struct http_server *s,
				      struct MHD_Connection *c, struct conn *cc)
{
	return refuse(s, c, cc, 413, NULL, "the body is larger than 16 KiB", 0);
}

static enum MHD_Result refuse_limited(struct http_server *s,
				      struct MHD_Connection *c, struct conn *cc)
{
	char msg[160];
	snprintf(msg, sizeof(msg),
		 "too many submissions from your address: at most %d a "
		 "minute; try again in %u s",
		 s->o.rate_per_min, cc->limited);
	return refuse(s, c, cc, 429, NULL, msg, cc->limited);
}

/* What the first call learns of a write before any body is read:
 * content type, declared length, rate. Returns 0 to go on. */
static int check_write(struct http_server *s, struct MHD_Connection *c,
		       struct conn *cc, enum MHD_Result *ret)
{
	const char *type =
		MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	size_t tlen = type ? strcspn(type, "; \t") : 0;
	bool json = type && tlen == 16 &&
		    !strncasecmp(type, "application/json", 16);
	bool form = type && tlen == 33 &&
		    !strncasecmp(type, "application/x-www-form-urlencoded", 33);
	const char *accept =
		MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept");
	cc->fmt = form ? SUBMIT_FORM : SUBMIT_JSON;
	cc->html = form && accept && strstr(accept, "text/html");
	unsigned retry = 0;
	if (ratelimit_take(s->rl, &cc->client, &retry))
		cc->limited = retry ? retry : 1;
	if (!json && !form) {
		*ret = refuse(s, c, cc, 415, NULL,
			      "send submissions as application/json or "
			      "application/x-www-form-urlencoded",
			      0);
		return -1;
	}
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     "Content-Length");
	if (cl && strtoull(cl, NULL, 10) > SUBMIT_BODY_MAX) {
		cc->too_big = true;
		*ret = refuse_too_big(s, c, cc);
		return -1;
	}
	/* A person's form is read to its end, to be shown again with what
	 * they typed; a program is answered at once. */
	if (cc->limited && !cc->html) {
		*ret = refuse_limited(s, c, cc);
		return -1;
	}
	return 0;
}

/* Called by the writer once the submission is stored or refused: the
 * handler is called again, and answers. The job is in @cc, which this
 * must not touch after the resume. */
static void on_write_done(struct writer_job *job)
{
	MHD_resume_connection(job->user);
}

/* The answer to a write the writer is done with. */
static enum MHD_Result answer_write(struct http_server *s,
				    struct MHD_Connection *c, struct conn *cc)
{
	const struct writer_job *job = &cc->job;
	if (job->result == WRITER_FULL)
		return refuse(s, c, cc, 503, NULL,
			      "too many submissions are waiting to be stored; "
			      "nothing was kept, try again in a few seconds",
			      RETRY_BUSY);
	if (job->result != WRITER_STORED) {
		say_problem(s, "store", "%s", job->error);
		return refuse(s, c, cc, 503, NULL,
			      "the submission could not be stored; nothing "
			      "was kept, try again later",
			      job->result == WRITER_LOCKED ? RETRY_BUSY : 30);
	}
	bool audit = job->kind == STORE_AUDIT;
	struct buf loc = BUF_INIT;
	if (cc->fmt == SUBMIT_FORM) {
		/* A form's answer is its status page, whose address the
		 * browser shows and the person can keep. */
		buf_printf(&loc, ROUTE_STATUS_PREFIX "%s/", job->tracking);
		static const char body303[] = "Stored; see its status page\n";
		struct MHD_Response *r = MHD_create_response_from_buffer(
			sizeof(body303) - 1, (void *)body303,
			MHD_RESPMEM_PERSISTENT);
		if (r) {
			MHD_add_response_header(r, "Location", loc.data);
			MHD_add_response_header(r, "Content-Type",
						"text/plain; charset=utf-8");
			MHD_add_response_header(r, "Cache-Control", "no-store");
			response_add_common(r, true);
		}
		buf_free(&loc);
		return queue_once(s, c, cc, 303, r, sizeof(body303) - 1);
	}
	buf_printf(&loc, "/api/v1/%s/%s", audit ? "audits" : "corrections",
		   job->tracking);
	json_t *j = json_pack("{s:s, s:s, s:s}", "tracking", job->tracking,
			      "status", "pending", "status_url", loc.data);
	enum MHD_Result ret =
		j ? queue_json(s, c, cc, 202, j, loc.data, 0) : MHD_NO;
	buf_free(&loc);
	return ret;
}

/* Check a write's body and hand it to the writer, with the connection
 * suspended until the writer is done; or refuse it at once. */
static enum MHD_Result accept_write(struct http_server *s,
				    struct MHD_Connection *c, struct conn *cc)
{
	if (cc->submitted)
		return answer_write(s, c, cc);
	if (cc->too_big)
		return refuse_too_big(s, c, cc);
	if (cc->limited)
		return refuse_limited(s, c, cc);
	if (!s->writer)
		return refuse(s, c, cc, 503, NULL,
			      "submissions cannot be stored now", 30);
	struct submit_rules rules = { record_exists, cc->gen, date_today() };
	struct submit_errors errs;
	if (!cc->arena)
		cc->arena = arena_new();
	const char *body = cc->body.data ? cc->body.data : "";
	struct writer_job *job = &cc->job;
	memset(job, 0, sizeof(*job));
	int rc;
	if (cc->route == ROUTE_AUDITS) {
		struct submit_audit *sa = arena_alloc(cc->arena, sizeof(*sa));
		rc = submit_audit_parse(body, cc->body.len, cc->fmt, &rules,
					cc->arena, sa, &errs);
		job->kind = STORE_AUDIT;
		job->audit = sa;
	} else {
		struct submit_correction *sc =
			arena_alloc(cc->arena, sizeof(*sc));
		rc = submit_correction_parse(body, cc->body.len, cc->fmt,
					     &rules, cc->arena, sc, &errs);
		job->kind = STORE_CORRECTION;
		job->correction = sc;
	}
	if (rc)
		return refuse(s, c, cc, 400, &errs, NULL, 0);
	job->received = time(NULL);
	job->done = on_write_done;
	job->user = c;
	/* Suspended before it is submitted, so that the writer's resume
	 * can never come first. */
	cc->submitted = true;
	MHD_suspend_connection(c);
	writer_submit(s->writer, job);
	return MHD_YES;
}

/* ---- the request handler --------------------------------------------- */

static enum req_method parse_method(const char *m)
{
	if (!strcmp(m, "GET"))
		return REQ_GET;
	if (!strcmp(m, "HEAD"))
		return REQ_HEAD;
	if (!strcmp(m, "POST"))
		return REQ_POST;
	if (!strcmp(m, "OPTIONS"))
		return REQ_OPTIONS;
	return REQ_OTHER;
}

static enum route parse_route(struct conn *cc, const char *url)
{
	if (sitefiles_path_clean(url, &cc->path))
		return ROUTE_BAD_PATH;
	return route_parse(cc->path.data);
}

/*
 * Whether the request line or head is one RFC 9112 says to answer 400
 * and libmicrohttpd 0.9.75 lets through (it is not strict, see
 * http_server_start()): a target with a space in it ("GET /a b
 * HTTP/1.1"), a target with a NUL in it ("GET /\0x HTTP/1.1", which
 * would reach us as "/"), or an HTTP/1.1 request without Host. MHD keeps
 * the request line in its read buffer and cuts it in place, so the
 * version follows the target and its separator; a version further on
 * than the target's length (taken before any cut, by on_uri) means the
 * target held a NUL. Where the version is anywhere else (no version, or
 * another layout) nothing is concluded from it.
 */
static bool request_line_bad(struct MHD_Connection *c, const struct conn *cc,
			     const char *url, const char *version)
{
	if (strchr(url, ' '))
		return true;
	if (cc->target == url) {
		uintptr_t u = (uintptr_t)url, v = (uintptr_t)version;
		uintptr_t expected = u + cc->target_len + 1;
		if (v > expected && v - u <= HTTP_CONN_MEMORY)
			return true;
	}
	return !strcmp(version, "HTTP/1.1") &&
	       !MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
}

static bool is_write(enum route r)
{
	return r == ROUTE_CORRECTIONS || r == ROUTE_AUDITS;
}

/* Whether the request is for the watch mode's stream or script, which
 * are answered whether or not there is a site. */
static bool is_watch_channel(const struct http_server *s, const struct conn *cc)
{
	return s->o.live && cc->route == ROUTE_STATIC &&
	       (!strcmp(cc->path.data, LIVERELOAD_EVENTS) ||
		!strcmp(cc->path.data, LIVERELOAD_SCRIPT));
}

/* 503 while the first build runs (response_building()). */
static enum MHD_Result serve_building(struct http_server *s,
				      struct MHD_Connection *c, struct conn *cc)
{
	bool api = cc->url && response_is_api(cc->url);
	return queue(s, c, cc, 503, api ? s->building_api : s->building_page,
		     api ? s->building_api_len : s->building_page_len);
}

static enum MHD_Result respond(struct http_server *s, struct MHD_Connection *c,
			       struct conn *cc)
{
	enum req_method m = cc->method;
	bool read = m == REQ_GET || m == REQ_HEAD;
	/* No site until the first build ends. */
	if (!cc->gen->files && cc->route != ROUTE_BAD_PATH &&
	    !is_watch_channel(s, cc))
		return serve_building(s, c, cc);
	switch (cc->route) {
	case ROUTE_BAD_PATH:
		if (cc->url && response_is_api(cc->url))
			return queue_error(s, c, cc, 400, NULL,
					   "the path is not valid", 0);
		return queue(s, c, cc, 400, s->bad_path,
			     strlen("Bad request\n"));
	case ROUTE_STATIC:
		if (read)
			return (s->o.live ? serve_live : serve_file)(s, c, cc);
		if (m == REQ_OPTIONS)
			return queue(s, c, cc, 204,
				     response_is_api(cc->path.data)
					     ? s->options_api
					     : s->options_static,
				     0);
		return queue(s, c, cc, 405, s->method_static, 0);
	case ROUTE_CORRECTIONS:
	case ROUTE_AUDITS:
		if (m == REQ_POST)
			return accept_write(s, c, cc);
		if (m == REQ_OPTIONS)
			return queue(s, c, cc, 204, s->options_api, 0);
		return queue(s, c, cc, 405, s->method_write, 0);
	case ROUTE_CORRECTION_STATUS:
	case ROUTE_AUDIT_STATUS:
		if (read)
			return serve_status(s, c, cc);
		if (m == REQ_OPTIONS)
			return queue(s, c, cc, 204, s->options_api, 0);
		return queue(s, c, cc, 405, s->method_status, 0);
	case ROUTE_STATUS_PAGE:
		if (read)
			return serve_status_page(s, c, cc);
		if (m == REQ_OPTIONS)
			return queue(s, c, cc, 204, s->options_static, 0);
		return queue(s, c, cc, 405, s->method_static, 0);
	}
	return MHD_NO;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **req_cls)
{
	struct http_server *s = cls;
	struct conn *cc = *req_cls;
	if (!cc) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
			c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
		cc = ci ? ci->socket_context : NULL;
		if (!cc)
			return MHD_NO;
		*req_cls = cc;
		atomic_fetch_add_explicit(&s->active, 1, memory_order_relaxed);
		if (cc->guard)
			connguard_head_done(s->guard, cc->guard);
		cc->gen = gen_acquire(s);
		cc->method_name = method;
		cc->method = parse_method(method);
		cc->url = url;
		cc->version = version;
		cc->queued = false;
		cc->too_big = false;
		cc->discarded = 0;
		cc->route = parse_route(cc, url);
		cc->fmt = SUBMIT_JSON;
		cc->html = false;
		cc->limited = 0;
		proxy_request_client(s->o.trust, c, &cc->addr, &cc->client,
				     cc->ip);
		bool bad = request_line_bad(c, cc, url, version);
		cc->target = NULL;
		/* Answered now, so libmicrohttpd closes the connection after:
		 * what follows a malformed head cannot be trusted. */
		if (bad)
			return queue(s, c, cc, 400, s->bad_request,
				     strlen("Bad request\n"));
		enum MHD_Result ret = MHD_YES;
		if (cc->method == REQ_POST && is_write(cc->route))
			check_write(s, c, cc, &ret);
		/* Answering in this first call would make libmicrohttpd close
		 * the connection; the answer comes with the next call. */
		return ret;
	}
	if (cc->queued)
		return MHD_YES;
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		if (cc->method == REQ_POST && is_write(cc->route)) {
			if (!cc->too_big && buf_put(&cc->body, upload, n))
				return MHD_YES;
			/* A chunked body past the limit: keep nothing more,
			 * read on to answer 413 at its end, and hang up on
			 * one that goes on and on. */
			if (!cc->too_big) {
				cc->too_big = true;
				buf_free(&cc->body);
				cc->body.limit = SUBMIT_BODY_MAX;
			}
			cc->discarded += n;
			return cc->discarded > DISCARD_MAX ? MHD_NO : MHD_YES;
		}
		cc->discarded += n;
		return cc->discarded > SUBMIT_BODY_MAX ? MHD_NO : MHD_YES;
	}
	return respond(s, c, cc);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)c;
	(void)toe;
	struct http_server *s = cls;
	struct conn *cc = *req_cls;
	if (!cc)
		return;
	if (cc->gen)
		gen_release(cc->gen);
	cc->gen = NULL;
	cc->url = cc->method_name = cc->version = NULL;
	/* Writes are rare: give their memory back at once. */
	buf_free(&cc->body);
	cc->body.limit = SUBMIT_BODY_MAX;
	arena_free(cc->arena);
	cc->arena = NULL;
	cc->submitted = false;
	*req_cls = NULL;
	if (cc->guard)
		connguard_request_done(s->guard, cc->guard);
	atomic_fetch_sub_explicit(&s->active, 1, memory_order_release);
}

static void on_connection(void *cls, struct MHD_Connection *c,
			  void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	struct http_server *s = cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		struct conn *cc = xcalloc(1, sizeof(*cc));
		cc->body.limit = SUBMIT_BODY_MAX;
		cc->path.limit = SITEFILES_PATH_MAX + 2;
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
			c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		const struct sockaddr *sa = ci ? ci->client_addr : NULL;
		if (sa && sa->sa_family == AF_INET)
			memcpy(&cc->addr, sa, sizeof(struct sockaddr_in));
		else if (sa && sa->sa_family == AF_INET6)
			memcpy(&cc->addr, sa, sizeof(struct sockaddr_in6));
		ci = MHD_get_connection_info(c,
					     MHD_CONNECTION_INFO_CONNECTION_FD);
		if (ci) {
			/* Before any header: by the peer alone, and a trusted
			 * proxy, the many clients behind it, not at all. */
			unsigned char key[16];
			ratelimit_key(&cc->addr, key);
			bool proxy = proxy_list_trusts(s->o.trust, &cc->addr);
			cc->guard = connguard_open(s->guard, ci->connect_fd,
						   proxy ? NULL : key);
		}
		*socket_context = cc;
	} else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		/* libmicrohttpd says this before it closes the socket. */
		struct conn *cc = *socket_context;
		if (cc) {
			connguard_close(s->guard, cc->guard);
			buf_free(&cc->path);
			buf_free(&cc->body);
			arena_free(cc->arena);
			free(cc);
		}
		*socket_context = NULL;
	}
}

/* Paths reach the handler exactly as sent: sitefiles_path_clean()
 * decodes them itself, so an encoded "/" or NUL can be refused. */
static size_t keep_escaped(void *cls, struct MHD_Connection *c, char *uri)
{
	(void)cls;
	(void)c;
	return strlen(uri);
}

/* The request target before libmicrohttpd cuts it, for
 * request_line_bad(). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn *cc = ci ? ci->socket_context : NULL;
	if (cc && uri) {
		cc->target = uri;
		cc->target_len = strlen(uri);
	}
	return NULL;
}

/* ---- the server ------------------------------------------------------ */

static int make_address(const char *host, unsigned port,
			struct sockaddr_storage *ss, bool *v6)
{
	memset(ss, 0, sizeof(*ss));
	struct sockaddr_in *in = (void *)ss;
	struct sockaddr_in6 *in6 = (void *)ss;
	if (inet_pton(AF_INET, host, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		*v6 = false;
		return 0;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*v6 = true;
		return 0;
	}
	return -1;
}

int http_listen(const char *bind_addr, unsigned port, struct buf *err)
{
	struct sockaddr_storage addr;
	bool v6;
	if (make_address(bind_addr, port, &addr, &v6)) {
		buf_printf(err, "'%s' is not an IPv4 or IPv6 address",
			   bind_addr);
		return -1;
	}
	int fd = socket(v6 ? AF_INET6 : AF_INET,
			SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	/* As libmicrohttpd sets them on its own sockets: a restart binds
	 * at once, and an IPv6 address is IPv6 only. */
	int on = 1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) ||
	    (v6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on))))
		goto fail;
	socklen_t len =
		v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	if (bind(fd, (struct sockaddr *)&addr, len) ||
	    listen(fd, HTTP_LISTEN_BACKLOG))
		goto fail;
	return fd;
fail:
	buf_printf(err, "cannot listen on %s port %u: %s", bind_addr, port,
		   strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

/* libmicrohttpd's own messages, in our form. A failed start is reported
 * once, by http_server_start() with its reason, not also here. */
ATLAS_PRINTF(2, 0)
static void on_mhd_message(void *cls, const char *fmt, va_list ap)
{
	struct http_server *s = cls;
	char msg[sizeof(s->start_error)];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	if (atomic_load(&s->started))
		loglimit_say(s->log, fmt, msg);
	else
		memcpy(s->start_error, msg, sizeof(msg));
}

static void write_log_line(void *cls, const char *line)
{
	(void)cls;
	fprintf(stderr, "cancelatlas: serve: %s\n", line);
}

/* Close the connections over their deadline, five times a second, and say
 * what the log held back, until the server stops. */
static void *housekeep(void *cls)
{
	struct http_server *s = cls;
	pthread_mutex_lock(&s->stop_lock);
	while (!s->stopping) {
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += REAP_INTERVAL_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&s->stop_cond, &s->stop_lock, &until);
		if (s->stopping)
			break;
		pthread_mutex_unlock(&s->stop_lock);
		connguard_reap(s->guard);
		loglimit_flush(s->log);
		pthread_mutex_lock(&s->stop_lock);
	}
	pthread_mutex_unlock(&s->stop_lock);
	return NULL;
}

/*
 * Raise the open-file limit to its hard limit, and lower @o->conn_limit
 * to what it allows (libmicrohttpd is let keep @extra more, shed but not
 * yet closed), saying so. Returns the limit libmicrohttpd gets.
 */
static unsigned fit_open_files(struct http_opts *o, unsigned extra)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl))
		return o->conn_limit + extra;
	if (rl.rlim_cur < rl.rlim_max) {
		rlim_t want = rl.rlim_cur;
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl))
			rl.rlim_cur = want;
	}
	rlim_t need = (rlim_t)o->conn_limit + extra + SPARE_FILES;
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
		return o->conn_limit + extra;
	unsigned room = rl.rlim_cur > SPARE_FILES + 16
				? (unsigned)(rl.rlim_cur - SPARE_FILES)
				: 16;
	unsigned fit = room - room / 9; /* room = fit + fit / 8 */
	fprintf(stderr,
		"cancelatlas: serve: the open-file limit is %llu: at most %u "
		"connections, not %u (raise it with ulimit -n)\n",
		(unsigned long long)rl.rlim_cur, fit, o->conn_limit);
	o->conn_limit = fit;
	return room;
}

struct http_server *http_server_start(const struct http_opts *o, int listen_fd,
				      struct sitefiles *files,
				      struct livepages *pages, struct buf *err)
{
	struct http_server *s = xcalloc(1, sizeof(*s));
	s->o = *o;
	if (!s->o.bind)
		s->o.bind = "127.0.0.1";
	if (!s->o.threads)
		s->o.threads = HTTP_THREADS;
	if (!s->o.timeout)
		s->o.timeout = HTTP_TIMEOUT;
	if (!s->o.conn_limit)
		s->o.conn_limit = HTTP_CONN_LIMIT;
	if (!s->o.per_ip_limit)
		s->o.per_ip_limit = HTTP_PER_IP_LIMIT;
	if (!s->o.rate_per_min)
		s->o.rate_per_min = HTTP_RATE_PER_MIN;
	if (!s->o.head_timeout)
		s->o.head_timeout = HTTP_HEAD_TIMEOUT;
	if (!s->o.body_timeout)
		s->o.body_timeout = HTTP_BODY_TIMEOUT;
	/* libmicrohttpd stops accepting at its own limit, and new clients
	 * would wait: it gets room above ours for the connections shed but
	 * not yet closed, and for its threads' uneven shares (it splits its
	 * limit between them). */
	unsigned mhd_limit =
		fit_open_files(&s->o, s->o.conn_limit / 8 + 4 * s->o.threads);
	struct connguard_opts go = {
		.max_conns = s->o.conn_limit,
		.per_addr = s->o.per_ip_limit,
		.head_timeout = s->o.head_timeout,
		.body_timeout = s->o.body_timeout,
	};
	s->guard = connguard_new(&go);
	struct loglimit_opts lo = { .interval = HTTP_LOG_INTERVAL,
				    .write = write_log_line };
	s->log = loglimit_new(&lo);
	pthread_mutex_init(&s->stop_lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->stop_cond, &ca);
	pthread_condattr_destroy(&ca);
	s->quiesced = MHD_INVALID_SOCKET;
	pthread_mutex_init(&s->gen_lock, NULL);
	s->rl = ratelimit_new(s->o.rate_per_min);
	s->cache = filecache_new(s->o.cache_bytes ? s->o.cache_bytes
						  : HTTP_CACHE_BYTES);
	s->current = gen_new(files, pages);
	if (s->o.store) {
		int timeout = s->o.lock_timeout_ms > 0 ? s->o.lock_timeout_ms
						       : HTTP_LOCK_TIMEOUT_MS;
		s->writer = writer_start(s->o.store, HTTP_WRITE_QUEUE, timeout,
					 err);
		if (!s->writer ||
		    pthread_key_create(&s->reader, reader_close)) {
			if (s->writer)
				buf_printf(err, "cannot make the readers' key");
			close(listen_fd);
			http_server_stop(s);
			return NULL;
		}
		s->has_reader_key = true;
	}
	s->bad_path = response_fixed("Bad request\n",
				     "text/plain; charset=utf-8", false, NULL);
	s->options_static =
		response_fixed("", NULL, false, "GET, HEAD, OPTIONS");
	s->options_api = response_fixed("", NULL, true,
					"GET, HEAD, POST, "
					"OPTIONS");
	s->method_static = response_fixed(
		"{\"error\":\"this address only answers GET and HEAD\","
		"\"field\":null}",
		"application/json; charset=utf-8", false, "GET, HEAD, OPTIONS");
	s->method_write = response_fixed(
		"{\"error\":\"send submissions with POST\",\"field\":null}",
		"application/json; charset=utf-8", true, "POST, OPTIONS");
	s->method_status = response_fixed(
		"{\"error\":\"a status is read with GET\",\"field\":null}",
		"application/json; charset=utf-8", true, "GET, HEAD, OPTIONS");
	s->bad_request = response_fixed(
		"Bad request\n", "text/plain; charset=utf-8", false, NULL);
	if (s->bad_request)
		MHD_add_response_header(s->bad_request, "Connection", "close");
	s->building_page = response_building(false, &s->building_page_len);
	s->building_api = response_building(true, &s->building_api_len);

	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			 MHD_USE_TURBO | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	if (strchr(s->o.bind, ':'))
		flags |= MHD_USE_IPv6;
	/* Writes wait for the store with their connection suspended. */
	flags |= MHD_ALLOW_SUSPEND_RESUME;
	/* The socket is libmicrohttpd's from here: it closes it when it
	 * stops. Whether it does when it fails to start is not said, so
	 * then it is left open (serve exits) rather than closed twice.
	 * Strict mode is off: in 0.9.75 its only effects are to close a
	 * connection whose target has a space without a word, and to refuse
	 * HTTP/1.1 without Host; request_line_bad() answers both with 400.
	 * Its per-address limit counts whole addresses, and is off when
	 * proxies are trusted (whose connections are many clients'); the
	 * guard's counts an IPv6 client by its /64 and spares proxies. */
	s->d = MHD_start_daemon(
		flags, (uint16_t)s->o.port, NULL, NULL, on_request, s,
		MHD_OPTION_EXTERNAL_LOGGER, on_mhd_message, s,
		MHD_OPTION_LISTEN_SOCKET, (MHD_socket)listen_fd,
		MHD_OPTION_THREAD_POOL_SIZE, s->o.threads,
		MHD_OPTION_CONNECTION_TIMEOUT, s->o.timeout,
		MHD_OPTION_CONNECTION_LIMIT, mhd_limit,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		proxy_list_count(s->o.trust) ? 0 : s->o.per_ip_limit,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONN_MEMORY,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)HTTP_LISTEN_BACKLOG,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
		MHD_OPTION_UNESCAPE_CALLBACK, keep_escaped, NULL,
		MHD_OPTION_STRICT_FOR_CLIENT, 0, MHD_OPTION_END);
	if (!s->d) {
		buf_printf(err, "cannot listen on %s port %u: %s", s->o.bind,
			   s->o.port,
			   errno	     ? strerror(errno)
			   : *s->start_error ? s->start_error
					     : "libmicrohttpd refused");
		http_server_stop(s);
		return NULL;
	}
	atomic_store(&s->started, true);
	s->housekeeping =
		pthread_create(&s->housekeeper, NULL, housekeep, s) == 0;
	if (!s->housekeeping)
		fprintf(stderr, "cancelatlas: serve: no housekeeping thread: "
				"slow connections stay open\n");
	const union MHD_DaemonInfo *di =
		MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : s->o.port;
	return s;
}

unsigned http_server_port(const struct http_server *s)
{
	return s->port;
}

size_t http_server_active(const struct http_server *s)
{
	return atomic_load(&s->active);
}

void http_server_swap(struct http_server *s, struct sitefiles *files,
		      struct livepages *pages)
{
	struct gen *g = gen_new(files, pages);
	pthread_mutex_lock(&s->gen_lock);
	struct gen *old = s->current;
	s->current = g;
	old->next = s->retired;
	s->retired = old;
	pthread_mutex_unlock(&s->gen_lock);
}

size_t http_server_reclaim(struct http_server *s)
{
	size_t left = 0;
	pthread_mutex_lock(&s->gen_lock);
	struct gen **pp = &s->retired;
	while (*pp) {
		struct gen *g = *pp;
		if (atomic_load_explicit(&g->refs, memory_order_acquire) == 0) {
			*pp = g->next;
			gen_free(g);
		} else {
			pp = &g->next;
			left++;
		}
	}
	pthread_mutex_unlock(&s->gen_lock);
	return left;
}

void http_server_quiesce(struct http_server *s)
{
	if (s->d && s->quiesced == MHD_INVALID_SOCKET)
		s->quiesced = MHD_quiesce_daemon(s->d);
}

void http_server_cache_stats(struct http_server *s, struct filecache_stats *st)
{
	filecache_stats(s->cache, st);
}

void http_server_stop(struct http_server *s)
{
	if (!s)
		return;
	/* Every write still waiting is answered (within its lock timeout)
	 * first: libmicrohttpd must not stop with a connection suspended. */
	if (s->writer)
		writer_drain(s->writer);
	if (s->housekeeping) {
		pthread_mutex_lock(&s->stop_lock);
		s->stopping = true;
		pthread_cond_signal(&s->stop_cond);
		pthread_mutex_unlock(&s->stop_lock);
		pthread_join(s->housekeeper, NULL);
	}
	if (s->d)
		MHD_stop_daemon(s->d);
	/* Its threads have ended, and closed their readers. */
	writer_free(s->writer);
	if (s->has_reader_key)
		pthread_key_delete(s->reader);
	if (s->quiesced != MHD_INVALID_SOCKET)
		close(s->quiesced);
	struct MHD_Response *fixed[] = {
		s->bad_path,	  s->options_static, s->options_api,
		s->method_static, s->method_write,   s->method_status,
		s->bad_request,	  s->building_page,  s->building_api,
	};
	for (size_t i = 0; i < ATLAS_COUNT(fixed); i++)
		if (fixed[i])
			MHD_destroy_response(fixed[i]);
	while (s->retired) {
		struct gen *g = s->retired;
		s->retired = g->next;
		gen_free(g);
	}
	gen_free(s->current);
	filecache_free(s->cache);
	ratelimit_free(s->rl);
	connguard_free(s->guard);
	loglimit_free(s->log);
	pthread_cond_destroy(&s->stop_cond);
	pthread_mutex_destroy(&s->stop_lock);
	pthread_mutex_destroy(&s->gen_lock);
	free(s);
}
