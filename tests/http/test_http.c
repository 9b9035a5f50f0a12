/*
 * test_http.c - `cancelatlas serve` over real sockets, with libcurl.
 *
 * usage: test_http BIN DATA_DIR TEMPLATES_DIR WORK_DIR
 *
 * Each group starts the server on 127.0.0.1 with an ephemeral port
 * (--port 0, the port read from its "serving" line) on a copy of the data,
 * and checks statuses, headers, negotiation, the write API, the store
 * behind it, signals and the editors' command line. Output is TAP, one
 * "ok N - name" line per check. TEST_WRAPPER (e.g. valgrind) also wraps
 * every server and command the test starts.
 *
 * When CANCELATLAS_TEST_PG names a PostgreSQL database (tests/run starts
 * a throwaway server when PostgreSQL is installed), the write API is
 * tested again on it, and two servers sharing it take a flood of writes
 * while each is killed with SIGKILL in turn.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"

static const char *bin, *data_src, *templates, *work;
static char flood_bin[1024]; /* tests/tools/slowflood, built beside us */
static int nrun, nfailed;
static const char *label = ""; /* before every check's name */
static const char *pg_url;     /* CANCELATLAS_TEST_PG */
/* AddressSanitizer's shadow memory and quarantine make the server's
 * resident size its own, not the server's. */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

static double slow = 1; /* timeouts scale under valgrind */

/* ---- TAP ------------------------------------------------------------- */

static bool check(bool ok, const char *name, const char *fmt, ...)
	ATLAS_PRINTF(3, 4);

static bool check(bool ok, const char *name, const char *fmt, ...)
{
	nrun++;
	printf("%s %d - %s%s\n", ok ? "ok" : "not ok", nrun, label, name);
	if (!ok) {
		nfailed++;
		if (fmt) {
			char detail[2048];
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(detail, sizeof(detail), fmt, ap);
			va_end(ap);
			for (char *line = strtok(detail, "\n"); line;
			     line = strtok(NULL, "\n"))
				printf("# %s\n", line);
		}
	}
	fflush(stdout);
	return ok;
}

/* ---- helpers --------------------------------------------------------- */

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(&b, chunk, n);
	fclose(f);
	return buf_detach(&b, NULL);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static int sh(const char *fmt, ...) ATLAS_PRINTF(1, 2);

static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	int rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* Run a cancelatlas command; its stdout (and stderr) into @out. */
static int cli(struct buf *out, const char *fmt, ...) ATLAS_PRINTF(2, 3);

static int cli(struct buf *out, const char *fmt, ...)
{
	char args[2048], cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	const char *wrap = getenv("TEST_WRAPPER");
	snprintf(cmd, sizeof(cmd), "%s '%s' %s 2>&1", wrap ? wrap : "", bin,
		 args);
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	buf_reset(out);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_put(out, chunk, n);
	int rc = pclose(p);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* ---- the server ------------------------------------------------------ */

struct server {
	pid_t pid;
	unsigned port;
	char base[64];
	char dir[256];
	char data[300];
	char db[300];
	char out_log[300];
	char err_log[300];
};

/* A fresh folder with a copy of the data. */
static void server_prepare(struct server *sv, const char *name)
{
	memset(sv, 0, sizeof(*sv));
	snprintf(sv->dir, sizeof(sv->dir), "%s/%s", work, name);
	snprintf(sv->data, sizeof(sv->data), "%s/data", sv->dir);
	snprintf(sv->db, sizeof(sv->db), "%s/cancelatlas.db", sv->dir);
	snprintf(sv->out_log, sizeof(sv->out_log), "%s/out.log", sv->dir);
	snprintf(sv->err_log, sizeof(sv->err_log), "%s/err.log", sv->dir);
	sh("rm -rf '%s' && mkdir -p '%s' && cp -r '%s' '%s'", sv->dir, sv->dir,
	   data_src, sv->data);
}

/* Start `serve` with @extra arguments (NULL-terminated); 0 once it
 * prints its "serving" line. */
static int server_start(struct server *sv, const char *const *extra)
{
	const char *argv[64];
	size_t n = 0;
	char *wrap =
		getenv("TEST_WRAPPER") ? strdup(getenv("TEST_WRAPPER")) : NULL;
	for (char *w = wrap ? strtok(wrap, " ") : NULL; w && n < 20;
	     w = strtok(NULL, " "))
		argv[n++] = w;
	char site[320];
	snprintf(site, sizeof(site), "%s/site", sv->dir);
	const char *fixed[] = { bin,	  "serve", "--data",	  sv->data,
				"--out",  site,	   "--templates", templates,
				"--port", "0",	   "--db",	  sv->db };
	for (size_t i = 0; i < sizeof(fixed) / sizeof(*fixed); i++)
		argv[n++] = fixed[i];
	for (; extra && *extra && n < 62; extra++)
		argv[n++] = *extra;
	argv[n] = NULL;
	unlink(sv->out_log);
	pid_t pid = fork();
	if (pid == 0) {
		int o = open(sv->out_log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open(sv->err_log, O_WRONLY | O_CREAT | O_APPEND, 0644);
		dup2(o, STDOUT_FILENO);
		dup2(e, STDERR_FILENO);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	free(wrap);
	sv->pid = pid;
	double deadline = now_s() + 60 * slow;
	while (now_s() < deadline) {
		char *out = read_all(sv->out_log);
		const char *line = out ? strstr(out, "serving http://") : NULL;
		if (line && sscanf(line, "serving http://127.0.0.1:%u/",
				   &sv->port) == 1) {
			free(out);
			snprintf(sv->base, sizeof(sv->base),
				 "http://127.0.0.1:%u", sv->port);
			return 0;
		}
		free(out);
		int status;
		if (waitpid(pid, &status, WNOHANG) == pid) {
			sv->pid = 0;
			return -1;
		}
		sleep_ms(20);
	}
	return -1;
}

/* Send @sig and wait; returns the exit status (128+N for a signal). */
static int server_stop(struct server *sv, int sig)
{
	if (!sv->pid)
		return -1;
	kill(sv->pid, sig);
	int status = 0;
	double deadline = now_s() + 60 * slow;
	while (waitpid(sv->pid, &status, WNOHANG) == 0) {
		if (now_s() > deadline) {
			kill(sv->pid, SIGKILL);
			waitpid(sv->pid, &status, 0);
			break;
		}
		sleep_ms(10);
	}
	sv->pid = 0;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* Wait until the server's stderr holds @text (its @nth occurrence). */
static bool wait_log(const struct server *sv, const char *text, int nth)
{
	double deadline = now_s() + 60 * slow;
	while (now_s() < deadline) {
		char *log = read_all(sv->err_log);
		int seen = 0;
		for (const char *p = log; p && (p = strstr(p, text)); p++)
			seen++;
		free(log);
		if (seen >= nth)
			return true;
		sleep_ms(20);
	}
	return false;
}

/* ---- HTTP ------------------------------------------------------------ */

struct resp {
	long status;
	struct buf head;
	struct buf body;
	long connects;
};

static size_t on_data(char *p, size_t size, size_t n, void *user)
{
	buf_put(user, p, size * n);
	return size * n;
}

static void resp_free(struct resp *r)
{
	buf_free(&r->head);
	buf_free(&r->body);
	memset(r, 0, sizeof(*r));
}

/* The value of header @name in @r (the last response's), or "". */
static const char *header(const struct resp *r, const char *name)
{
	static char value[1024];
	value[0] = '\0';
	const char *h = buf_cstr(&r->head);
	/* Only the last response's headers (after any 100 Continue). */
	for (const char *s;
	     (s = strstr(h, "\r\n\r\nHTTP/")) && s + 4 < h + r->head.len;)
		h = s + 4;
	size_t nl = strlen(name);
	for (const char *line = h; line && *line;) {
		if (!strncasecmp(line, name, nl) && line[nl] == ':') {
			const char *v = line + nl + 1;
			while (*v == ' ')
				v++;
			size_t len = strcspn(v, "\r\n");
			if (len >= sizeof(value))
				len = sizeof(value) - 1;
			memcpy(value, v, len);
			value[len] = '\0';
			return value;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return value;
}

struct req {
	const char *method;
	const char *path;
	const char *const *headers; /* NULL-terminated */
	const char *body;
	size_t body_len;
	const char *encoding; /* Accept-Encoding, decoded by curl */
	bool as_is;	      /* send the path exactly */
	CURL *reuse;	      /* a handle kept for keep-alive */
};

static void setup_easy(CURL *c, const struct server *sv, const struct req *q,
		       struct resp *r, struct curl_slist **hl, char *url,
		       size_t url_size)
{
	snprintf(url, url_size, "%s%s", sv->base, q->path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)(60 * slow));
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &r->head);
	curl_easy_setopt(c, CURLOPT_PATH_AS_IS, q->as_is ? 1L : 0L);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, q->encoding);
	*hl = NULL;
	for (const char *const *h = q->headers; h && *h; h++)
		*hl = curl_slist_append(*hl, *h);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, *hl);
	const char *m = q->method ? q->method : "GET";
	curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(c, CURLOPT_NOBODY, !strcmp(m, "HEAD") ? 1L : 0L);
	if (q->body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, q->body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)q->body_len);
	}
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST,
			 strcmp(m, "GET") && strcmp(m, "HEAD") &&
					 !(q->body && !strcmp(m, "POST"))
				 ? m
				 : NULL);
}

static long http(const struct server *sv, const struct req *q, struct resp *r)
{
	memset(r, 0, sizeof(*r));
	CURL *c = q->reuse ? q->reuse : curl_easy_init();
	struct curl_slist *hl;
	char url[4096];
	setup_easy(c, sv, q, r, &hl, url, sizeof(url));
	CURLcode rc = curl_easy_perform(c);
	if (rc == CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
		curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &r->connects);
	} else {
		r->status = -(long)rc;
	}
	curl_slist_free_all(hl);
	if (!q->reuse)
		curl_easy_cleanup(c);
	return r->status;
}

static long get(const struct server *sv, const char *path, struct resp *r)
{
	struct req q = { .path = path };
	return http(sv, &q, r);
}

static long post(const struct server *sv, const char *path, const char *type,
		 const char *body, struct resp *r)
{
	char ct[200];
	snprintf(ct, sizeof(ct), "Content-Type: %s", type);
	const char *h[] = { ct, "Expect:", NULL };
	struct req q = { .method = "POST",
			 .path = path,
			 .headers = h,
			 .body = body,
			 .body_len = strlen(body) };
	return http(sv, &q, r);
}

/* The tracking id in a 202 body, or "". */
static const char *tracking_of(const struct resp *r)
{
	static char id[32];
	id[0] = '\0';
	const char *p = strstr(buf_cstr(&r->body), "\"tracking\":\"");
	if (p)
		sscanf(p + 12, "%31[^\"]", id);
	return id;
}

#define CORRECTION(field, email)                                               \
	"{\"record\":\"coursera\",\"field\":\"" field "\","                    \
	"\"wrong\":\"The refund page moved.\","                                \
	"\"proposed\":\"It is now at https://example.com/refunds\","           \
	"\"evidence_url\":\"https://example.com/refunds\","                    \
	"\"email\":\"" email "\"}"

#define SECRET_EMAIL "private-person@example.org"

/* The audit form's fields but the steps and path. */
#define AUDIT_FORM                                                             \
	"record=coursera&email=private-person%40example.org&date=2026-06-10&"  \
	"signup_channel=online&online_path=true&retention=none&"               \
	"channel_symmetry=true&confirmation=immediate&minutes=2.5&"            \
	"clean_exit=true&evidence_title_1=Recording&evidence_url_1="           \
	"https%3A%2F%2Fexample.com%2Fr.webm&"

#define AUDIT(sha)                                                             \
	"{\"record\":\"coursera\",\"email\":\"" SECRET_EMAIL "\","             \
	"\"date\":\"2026-06-10\",\"signup_channel\":\"online\","               \
	"\"online_path\":true,\"steps\":3,"                                    \
	"\"path\":[\"My Purchases\",\"Subscriptions\",\"Cancel\"],"            \
	"\"retention\":\"skippable-offer\",\"channel_symmetry\":true,"         \
	"\"confirmation\":\"immediate\",\"minutes\":2.5,\"clean_exit\":true,"  \
	"\"notes\":\"Offer of 50% off, skipped.\",\"evidence\":[{\"title\":"   \
	"\"Screen recording\",\"url\":\"https://example.com/rec.webm\"" sha    \
	"}]}"

/* ---- reads ----------------------------------------------------------- */

static bool has(const char *haystack, const char *needle)
{
	return haystack && strstr(haystack, needle);
}

static void test_reads(const struct server *sv)
{
	struct resp r;
	get(sv, "/", &r);
	check(r.status == 200, "GET / is 200", "status %ld", r.status);
	check(has(header(&r, "Content-Type"), "text/html; charset=utf-8"),
	      "a page is text/html; charset=utf-8", "got %s",
	      header(&r, "Content-Type"));
	const char *csp = header(&r, "Content-Security-Policy");
	check(has(csp, "default-src 'self'") && has(csp, "script-src 'self'") &&
		      !has(csp, "unsafe-inline") &&
		      has(csp, "object-src 'none'") &&
		      has(csp, "frame-ancestors 'none'") &&
		      has(csp, "base-uri 'none'") &&
		      has(csp, "form-action 'self'"),
	      "CSP allows no inline script and no framing", "CSP: %s", csp);
	check(!strcmp(header(&r, "X-Content-Type-Options"), "nosniff"),
	      "X-Content-Type-Options: nosniff", NULL);
	check(header(&r, "Referrer-Policy")[0] != '\0', "Referrer-Policy set",
	      NULL);
	check(has(header(&r, "Cache-Control"), "max-age=60"),
	      "pages have a short Cache-Control", "got %s",
	      header(&r, "Cache-Control"));
	check(header(&r, "ETag")[0] == '"', "pages carry a strong ETag",
	      "got %s", header(&r, "ETag"));
	check(header(&r, "Access-Control-Allow-Origin")[0] == '\0',
	      "no CORS header outside /api/", NULL);
	size_t page_len = r.body.len;
	char etag[128];
	snprintf(etag, sizeof(etag), "%s", header(&r, "ETag"));
	resp_free(&r);

	static const struct {
		const char *path, *type;
	} types[] = {
		{ "/assets/style.css", "text/css; charset=utf-8" },
		{ "/assets/index.js", "text/javascript; charset=utf-8" },
		{ "/assets/favicon.svg", "image/svg+xml" },
		{ "/api/v1/companies.json", "application/json" },
		{ "/api/v1/companies/coursera.json", "application/json" },
		{ "/share/badges/coursera.svg",
		  "image/svg+xml; charset=utf-8" },
		{ "/sitemap.xml", "application/xml" },
		{ "/feed.atom", "application/atom+xml" },
		{ "/data/companies.csv", "text/csv; charset=utf-8" },
		{ "/llms.txt", "text/plain; charset=utf-8" },
		{ "/robots.txt", "text/plain" },
		{ "/c/coursera/cite.bib", "application/x-bibtex" },
		{ "/c/coursera/cite.ris",
		  "application/x-research-info-systems" },
		{ "/c/coursera/cite.json", "application/json" },
	};
	for (size_t i = 0; i < sizeof(types) / sizeof(*types); i++) {
		char name[200];
		snprintf(name, sizeof(name), "%s is %s", types[i].path,
			 types[i].type);
		get(sv, types[i].path, &r);
		check(r.status == 200 &&
			      has(header(&r, "Content-Type"), types[i].type),
		      name, "status %ld, Content-Type %s", r.status,
		      header(&r, "Content-Type"));
		resp_free(&r);
	}
	get(sv, "/assets/style.css", &r);
	check(has(header(&r, "Cache-Control"), "max-age=604800"),
	      "assets have a long Cache-Control", "got %s",
	      header(&r, "Cache-Control"));
	resp_free(&r);
	get(sv, "/api/v1/companies.json", &r);
	check(!strcmp(header(&r, "Access-Control-Allow-Origin"), "*"),
	      "CORS * on /api/", NULL);
	check(has(header(&r, "Cache-Control"), "max-age=60"),
	      "the API has a short Cache-Control", NULL);
	resp_free(&r);

	/* Negotiation: the decoded body is the page itself. */
	struct req q = { .path = "/", .encoding = "gzip" };
	http(sv, &q, &r);
	check(r.status == 200 &&
		      !strcmp(header(&r, "Content-Encoding"), "gzip") &&
		      !strcmp(header(&r, "Vary"), "Accept-Encoding") &&
		      r.body.len == page_len &&
		      strcmp(header(&r, "ETag"), etag),
	      "Accept-Encoding: gzip gets gzip, Vary and its own ETag",
	      "status %ld, encoding %s, vary %s, %zu vs %zu bytes", r.status,
	      header(&r, "Content-Encoding"), header(&r, "Vary"), r.body.len,
	      page_len);
	resp_free(&r);
	q.encoding = "br, gzip";
	http(sv, &q, &r);
	check(r.status == 200 &&
		      !strcmp(header(&r, "Content-Encoding"), "br") &&
		      r.body.len == page_len,
	      "Accept-Encoding: br, gzip gets brotli", "encoding %s",
	      header(&r, "Content-Encoding"));
	resp_free(&r);
	const char *no_br[] = { "Accept-Encoding: gzip;q=0.5, br;q=0", NULL };
	struct req q2 = { .path = "/", .headers = no_br };
	http(sv, &q2, &r);
	check(!strcmp(header(&r, "Content-Encoding"), "gzip"),
	      "br;q=0 is honoured", "encoding %s",
	      header(&r, "Content-Encoding"));
	resp_free(&r);
	get(sv, "/", &r);
	check(header(&r, "Content-Encoding")[0] == '\0' &&
		      r.body.len == page_len,
	      "no Accept-Encoding gets the identity", NULL);
	resp_free(&r);

	/* Conditional requests. */
	char inm[200];
	snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
	const char *h1[] = { inm, NULL };
	struct req q3 = { .path = "/", .headers = h1 };
	http(sv, &q3, &r);
	check(r.status == 304 && r.body.len == 0 &&
		      !strcmp(header(&r, "ETag"), etag),
	      "If-None-Match with the ETag gives 304", "status %ld", r.status);
	resp_free(&r);
	snprintf(inm, sizeof(inm), "If-None-Match: \"x\", W/%s", etag);
	http(sv, &q3, &r);
	check(r.status == 304, "a weak or listed ETag matches too",
	      "status %ld", r.status);
	resp_free(&r);
	const char *h2[] = { "If-None-Match: \"nope\"", NULL };
	struct req q4 = { .path = "/", .headers = h2 };
	http(sv, &q4, &r);
	check(r.status == 200, "another ETag gives 200", "status %ld",
	      r.status);
	resp_free(&r);

	/* HEAD: the headers of GET, no body. */
	struct req head = { .method = "HEAD", .path = "/" };
	http(sv, &head, &r);
	char len[32];
	snprintf(len, sizeof(len), "%zu", page_len);
	check(r.status == 200 && r.body.len == 0 &&
		      !strcmp(header(&r, "Content-Length"), len) &&
		      !strcmp(header(&r, "ETag"), etag),
	      "HEAD gives GET's headers and no body", "status %ld, length %s",
	      r.status, header(&r, "Content-Length"));
	resp_free(&r);

	/* Record pages with and without the slash. */
	get(sv, "/c/coursera/", &r);
	check(r.status == 200 && has(buf_cstr(&r.body), "Coursera"),
	      "/c/coursera/ is the record page", "status %ld", r.status);
	resp_free(&r);
	get(sv, "/c/coursera", &r);
	check(r.status == 301 &&
		      !strcmp(header(&r, "Location"), "/c/coursera/"),
	      "/c/coursera redirects to /c/coursera/", "status %ld, %s",
	      r.status, header(&r, "Location"));
	resp_free(&r);

	/* 404 with the site's page; 405 with Allow. */
	char *page404 = NULL;
	get(sv, "/404.html", &r);
	page404 = buf_detach(&r.body, NULL);
	resp_free(&r);
	get(sv, "/no/such/page/", &r);
	check(r.status == 404 && !strcmp(buf_cstr(&r.body), page404) &&
		      has(header(&r, "Content-Type"), "text/html"),
	      "an unknown path is 404 with 404.html", "status %ld", r.status);
	resp_free(&r);
	free(page404);
	struct req del = { .method = "DELETE", .path = "/" };
	http(sv, &del, &r);
	check(r.status == 405 && has(header(&r, "Allow"), "GET") &&
		      has(header(&r, "Allow"), "HEAD"),
	      "DELETE / is 405 with Allow", "status %ld, Allow %s", r.status,
	      header(&r, "Allow"));
	resp_free(&r);
	get(sv, "/api/v1/corrections", &r);
	check(r.status == 405 && has(header(&r, "Allow"), "POST"),
	      "GET on the write endpoint is 405 with Allow: POST",
	      "status %ld, Allow %s", r.status, header(&r, "Allow"));
	resp_free(&r);
	struct req opt = { .method = "OPTIONS", .path = "/api/v1/corrections" };
	http(sv, &opt, &r);
	check(r.status == 204 &&
		      !strcmp(header(&r, "Access-Control-Allow-Origin"), "*") &&
		      has(header(&r, "Access-Control-Allow-Methods"), "POST"),
	      "OPTIONS answers the CORS preflight", "status %ld", r.status);
	resp_free(&r);
}

static void test_traversal(const struct server *sv)
{
	static const char *const paths[] = {
		"/../../../../etc/passwd",
		"/c/../../../etc/passwd",
		"/%2e%2e/%2e%2e/etc/passwd",
		"/%2E%2E/%2e%2E/etc/passwd",
		"/.%2e/.%2e/etc/passwd",
		"//etc/passwd",
		"/c//coursera/",
		"/c%2fcoursera/",
		"/assets/..%2f..%2f..%2fetc/passwd",
		"/..%5c..%5c..%5cetc/passwd",
		"/assets\\..\\..\\etc\\passwd",
		"/index.html%00.txt",
		"/%00",
		"/%",
		"/%zz",
		"/./index.html",
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++) {
		struct resp r;
		struct req q = { .path = paths[i], .as_is = true };
		http(sv, &q, &r);
		char name[200];
		snprintf(name, sizeof(name), "traversal %s is refused",
			 paths[i]);
		check((r.status == 400 || r.status == 404) &&
			      !has(buf_cstr(&r.body), "root:"),
		      name, "status %ld", r.status);
		resp_free(&r);
	}
	/* Headers past the connection's memory are refused. */
	struct buf big = BUF_INIT;
	buf_puts(&big, "X-Big: ");
	for (int i = 0; i < 40000; i++)
		buf_putc(&big, 'a');
	const char *h[] = { big.data, NULL };
	struct req q = { .path = "/", .headers = h };
	struct resp r;
	http(sv, &q, &r);
	check(r.status == 431 || r.status == 413 || r.status == 400,
	      "oversized request headers are refused", "status %ld", r.status);
	resp_free(&r);
	buf_free(&big);
	get(sv, "/", &r);
	check(r.status == 200, "the server still serves after them",
	      "status %ld", r.status);
	resp_free(&r);
}

/* ---- malformed request lines and slow clients --------------------------- */

static int raw_connect(const struct server *sv)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)sv->port) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Send @len bytes as they are; the status of the answer, 0 when the
 * server closed without one, -1 when it neither answered nor closed. */
static int raw_status(const struct server *sv, const char *req, size_t len)
{
	int fd = raw_connect(sv);
	if (fd < 0 || write(fd, req, len) != (ssize_t)len) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	char answer[64] = "";
	size_t got = 0;
	struct pollfd pfd = { fd, POLLIN, 0 };
	int status = -1;
	while (got < sizeof(answer) - 1 &&
	       poll(&pfd, 1, (int)(5000 * slow)) > 0) {
		ssize_t n = read(fd, answer + got, sizeof(answer) - 1 - got);
		if (n <= 0) {
			status = 0;
			break;
		}
		got += (size_t)n;
	}
	answer[got] = '\0';
	close(fd);
	if (got)
		sscanf(answer, "HTTP/1.1 %d", &status);
	return status;
}

static void test_request_lines(const struct server *sv)
{
	static const struct {
		const char *req;
		size_t len;
		int status;
		const char *name;
	} cases[] = {
#define RAW(s) s, sizeof(s) - 1
		{ RAW("GET /\0x HTTP/1.1\r\nHost: a\r\n\r\n"), 400,
		  "a NUL in the request target is answered 400" },
		{ RAW("GET /?q\0x HTTP/1.1\r\nHost: a\r\n\r\n"), 400,
		  "a NUL in the query is answered 400" },
		{ RAW("GET /a b HTTP/1.1\r\nHost: a\r\n\r\n"), 400,
		  "a space in the request target is answered 400" },
		{ RAW("GET  /  HTTP/1.1\r\nHost: a\r\n\r\n"), 400,
		  "a request line with doubled spaces is answered 400" },
		{ RAW("GET / HTTP/1.1\r\n\r\n"), 400,
		  "HTTP/1.1 without Host is answered 400" },
		{ RAW("GET /?a=b&c=%00 HTTP/1.1\r\nHost: a\r\n\r\n"), 200,
		  "a query string, even with an encoded NUL, is served" },
		{ RAW("GET / HTTP/1.0\r\n\r\n"), 200,
		  "HTTP/1.0 without Host is served" },
#undef RAW
	};
	for (size_t i = 0; i < ATLAS_COUNT(cases); i++) {
		int st = raw_status(sv, cases[i].req, cases[i].len);
		check(st == cases[i].status, cases[i].name,
		      "status %d (0: closed without an answer)", st);
	}
	struct resp r;
	get(sv, "/", &r);
	check(r.status == 200, "the server still serves after them",
	      "status %ld", r.status);
	resp_free(&r);
}

/* A client sending one header line every half second is closed by the
 * head deadline (2 s here), though it is never idle. */
static void test_head_deadline(void)
{
	struct server sv;
	server_prepare(&sv, "deadline");
	const char *args[] = { "--head-timeout", "2", NULL };
	if (!check(server_start(&sv, args) == 0,
		   "serve --head-timeout 2 starts", NULL))
		return;
	int fd = raw_connect(&sv);
	const char *start = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n";
	double t0 = now_s(), closed = -1;
	bool sent = fd >= 0 && write(fd, start, strlen(start)) > 0;
	for (int i = 0; sent && i < 20 && closed < 0; i++) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		if (poll(&pfd, 1, 500) > 0) {
			char sink[512];
			if (read(fd, sink, sizeof(sink)) <= 0)
				closed = now_s() - t0;
			continue;
		}
		char line[40];
		snprintf(line, sizeof(line), "X-Slow-%d: %d\r\n", i, i);
		if (write(fd, line, strlen(line)) < 0)
			closed = now_s() - t0;
	}
	if (fd >= 0)
		close(fd);
	check(closed >= 1.5 && closed <= 3.5 * slow,
	      "a request head still coming after the head deadline is closed",
	      "closed after %.1f s (-1: not in 10 s)", closed);
	/* A whole head, sent at once, is not affected. */
	struct resp r;
	get(&sv, "/", &r);
	check(r.status == 200, "a prompt request is served", "status %ld",
	      r.status);
	resp_free(&r);
	server_stop(&sv, SIGTERM);
}

/* slowflood's last report line, and the greatest value of @key in any. */
struct flood_report {
	double held_max, longest, closed, opened;
	char last[300];
};

static void flood_read(const char *path, struct flood_report *fr)
{
	memset(fr, 0, sizeof(*fr));
	FILE *f = fopen(path, "r");
	char line[300];
	while (f && fgets(line, sizeof(line), f)) {
		const char *p = strstr(line, " held=");
		double held, opened, closed, longest;
		if (!p || sscanf(p, " held=%lf", &held) != 1)
			continue;
		if (held > fr->held_max)
			fr->held_max = held;
		p = strstr(line, " opened=");
		if (p && sscanf(p, " opened=%lf closed=%lf", &opened,
				&closed) == 2) {
			fr->opened = opened;
			fr->closed = closed;
		}
		p = strstr(line, " longest=");
		if (p && sscanf(p, " longest=%lf", &longest) == 1)
			fr->longest = longest;
		snprintf(fr->last, sizeof(fr->last), "%s", line);
	}
	if (f)
		fclose(f);
}

/* Start slowflood against @sv with @args (NULL-terminated); its output
 * goes to @log. */
static pid_t flood_start(const struct server *sv, const char *const *args,
			 const char *log)
{
	const char *argv[32];
	size_t n = 0;
	argv[n++] = flood_bin;
	for (; *args && n < 29; args++)
		argv[n++] = *args;
	char port[16];
	snprintf(port, sizeof(port), "%u", sv->port);
	argv[n++] = port;
	argv[n] = NULL;
	pid_t pid = fork();
	if (pid == 0) {
		int o = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(o, STDOUT_FILENO);
		dup2(o, STDERR_FILENO);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	return pid;
}

static int flood_wait(pid_t pid)
{
	int status = 0;
	if (pid > 0)
		waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Why the flood tests cannot run here, or NULL. */
static const char *flood_unable(size_t files)
{
	static char why[200];
	const char *wrap = getenv("TEST_WRAPPER");
	if (wrap && strstr(wrap, "valgrind"))
		return "thousands of connections are too slow under valgrind";
	if (access(flood_bin, X_OK))
		return "no slowflood beside the test (make test builds it)";
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_max != RLIM_INFINITY && rl.rlim_max < files) {
		snprintf(why, sizeof(why),
			 "the open-file hard limit is %llu, below %zu",
			 (unsigned long long)rl.rlim_max, files);
		return why;
	}
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET };
	inet_pton(AF_INET, "127.0.0.18", &a.sin_addr);
	bool bound = fd >= 0 && !bind(fd, (struct sockaddr *)&a, sizeof(a));
	if (fd >= 0)
		close(fd);
	return bound ? NULL : "cannot bind 127.0.0.18 (no loopback /8)";
}

/*
 * 4,200 slow connections from 17 addresses (at most 256 each, which the
 * per-address cap allows) against the default limits: more than the
 * server takes in all. A new client is still answered within a second,
 * every time, because each new connection closes the oldest slow one.
 */
static void test_slow_flood(void)
{
	const char *why = flood_unable(5000);
	if (why) {
		nrun++;
		printf("ok %d - a new client is answered within 1 s during a "
		       "slow flood # SKIP %s\n",
		       nrun, why);
		return;
	}
	struct server sv;
	server_prepare(&sv, "flood");
	const char *args[] = { "--head-timeout", "4", NULL };
	if (!check(server_start(&sv, args) == 0, "serve starts for the flood",
		   NULL))
		return;
	char log[400];
	snprintf(log, sizeof(log), "%s/flood.log", sv.dir);
	const char *fargs[] = { "-n", "4200", "-a", "17", "-f",	 "2", "-i",
				"1",  "-t",   "14", "-r", "0.5", NULL };
	pid_t pid = flood_start(&sv, fargs, log);
	/* Until the flood holds what the server takes in all. */
	struct flood_report fr;
	double deadline = now_s() + 10;
	do {
		sleep_ms(250);
		flood_read(log, &fr);
	} while (fr.held_max < 4000 && now_s() < deadline);
	int answered = 0, tries = 0;
	double worst = 0;
	long worst_status = 0;
	for (; tries < 16; tries++) {
		CURL *c = curl_easy_init();
		struct resp r;
		struct req q = { .path = "/", .reuse = c };
		double t = now_s();
		http(&sv, &q, &r);
		t = now_s() - t;
		curl_easy_cleanup(c);
		if (r.status == 200 && t < 1.0)
			answered++;
		if (t > worst || r.status != 200) {
			worst = t;
			worst_status = r.status;
		}
		resp_free(&r);
		sleep_ms(300);
	}
	int rc = flood_wait(pid);
	flood_read(log, &fr);
	check(rc == 0 && fr.held_max >= 4000,
	      "the flood holds 4,000 slow connections from 17 addresses",
	      "exit %d, at most %.0f held: %s", rc, fr.held_max, fr.last);
	check(answered == tries,
	      "a new client is answered within 1 s during a slow flood",
	      "%d of %d within 1 s; worst %.2f s (status %ld)", answered, tries,
	      worst, worst_status);
	check(fr.longest <= 4 + 1.0,
	      "no slow connection outlives the head deadline in the flood",
	      "%s", fr.last);
	/* The connections it closes do not each make a line. */
	char *err = read_all(sv.err_log);
	int lines = 0;
	for (const char *p = err; p && (p = strchr(p, '\n')); p++)
		lines++;
	check(fr.closed > 1000 && lines < 40,
	      "the log says the closed connections in a few lines",
	      "%d lines for %.0f closed", lines, fr.closed);
	free(err);
	check(server_stop(&sv, SIGTERM) == 0,
	      "SIGTERM exits with status 0 after the flood", NULL);
}

/* Fewer slow connections than the server takes: each lives until the
 * head deadline (2 s), not less, not (much) more. */
static void test_flood_deadline(void)
{
	const char *why = flood_unable(2000);
	if (why) {
		nrun++;
		printf("ok %d - slow connections are closed by the head "
		       "deadline # SKIP %s\n",
		       nrun, why);
		return;
	}
	struct server sv;
	server_prepare(&sv, "flood-deadline");
	const char *args[] = { "--head-timeout", "2", NULL };
	if (!check(server_start(&sv, args) == 0,
		   "serve --head-timeout 2 starts for a flood", NULL))
		return;
	char log[400];
	snprintf(log, sizeof(log), "%s/flood.log", sv.dir);
	const char *fargs[] = { "-n",  "1000", "-a", "17", "-f",  "2", "-i",
				"0.5", "-t",   "6",  "-r", "0.5", NULL };
	int rc = flood_wait(flood_start(&sv, fargs, log));
	struct flood_report fr;
	flood_read(log, &fr);
	check(rc == 0 && fr.closed >= 1000 && fr.longest >= 1.8 &&
		      fr.longest <= 3.0,
	      "slow connections are closed by the head deadline", "exit %d: %s",
	      rc, fr.last);
	server_stop(&sv, SIGTERM);
}

/* ---- writes ---------------------------------------------------------- */

static void test_writes(const struct server *sv)
{
	struct resp r;
	post(sv, "/api/v1/corrections", "application/json",
	     CORRECTION("refund_page", SECRET_EMAIL), &r);
	char id[32];
	snprintf(id, sizeof(id), "%s", tracking_of(&r));
	check(r.status == 202 && id[0] == 'c', "a JSON correction is 202",
	      "status %ld: %s", r.status, buf_cstr(&r.body));
	char loc[80];
	snprintf(loc, sizeof(loc), "/api/v1/corrections/%s", id);
	check(!strcmp(header(&r, "Location"), loc) &&
		      !strcmp(header(&r, "Access-Control-Allow-Origin"), "*"),
	      "202 names the status URL; CORS on the API", "Location %s",
	      header(&r, "Location"));
	resp_free(&r);
	get(sv, loc, &r);
	check(r.status == 200 && has(buf_cstr(&r.body), "\"pending\"") &&
		      has(buf_cstr(&r.body), "\"refund_page\"") &&
		      has(buf_cstr(&r.body), "\"coursera\"") &&
		      !has(buf_cstr(&r.body), SECRET_EMAIL) &&
		      !has(buf_cstr(&r.body), "@") &&
		      !has(buf_cstr(&r.body), "refund page moved"),
	      "the public status shows record, field, status, never the "
	      "email",
	      "status %ld: %s", r.status, buf_cstr(&r.body));
	check(has(header(&r, "Cache-Control"), "no-store"),
	      "a status is not cached", NULL);
	resp_free(&r);
	get(sv, "/api/v1/corrections/c-000000000000", &r);
	check(r.status == 404 && has(buf_cstr(&r.body), "\"field\":\"id\""),
	      "an unknown tracking id is 404", "status %ld", r.status);
	resp_free(&r);
	get(sv, "/api/v1/audits/c-000000000000", &r);
	check(r.status == 404, "a correction id is no audit id", "status %ld",
	      r.status);
	resp_free(&r);

	/* The form: 303 to the submission's own status page. */
	post(sv, "/api/v1/corrections", "application/x-www-form-urlencoded",
	     "record=coursera&field=summary&wrong=Old+text&proposed=New%0D%0A"
	     "text&evidence_url=https%3A%2F%2Fexample.com%2Fa&email="
	     "private-person%40example.org",
	     &r);
	const char *l = header(&r, "Location");
	check(r.status == 303 && !strncmp(l, "/corrections/status/c-", 22) &&
		      strlen(l) == 22 + 12 + 1 && l[strlen(l) - 1] == '/',
	      "the form is answered 303 to its status page",
	      "status %ld, Location %s", r.status, l);
	char page[100], cid[32];
	snprintf(page, sizeof(page), "%s", l);
	snprintf(cid, sizeof(cid), "c-%.12s", page + 22);
	resp_free(&r);
	get(sv, page, &r);
	const char *b = buf_cstr(&r.body);
	char json_link[100];
	snprintf(json_link, sizeof(json_link),
		 "href=\"/api/v1/corrections/%s\"", cid);
	check(r.status == 200 && has(header(&r, "Content-Type"), "text/html") &&
		      has(b, cid) && has(b, "<strong>pending</strong>") &&
		      has(b, "<dd>summary</dd>") && has(b, json_link) &&
		      has(b, "<header class=\"site-header\">") &&
		      has(b, "href=\"/privacy/\"") && !has(b, SECRET_EMAIL) &&
		      !has(b, "Old text") &&
		      has(header(&r, "Cache-Control"), "no-store"),
	      "the status page shows the tracking id, status and JSON link, "
	      "in the site's layout, never the email or the text",
	      "status %ld: %s", r.status, b);
	resp_free(&r);
	get(sv, "/corrections/status/c-000000000000/", &r);
	check(r.status == 404 && has(buf_cstr(&r.body), "<html"),
	      "an unknown tracking id's status page is the 404 page",
	      "status %ld", r.status);
	resp_free(&r);
	get(sv, "/corrections/status/x%3Cscript%3E/", &r);
	check(r.status == 404, "a status page for a malformed id is 404",
	      "status %ld", r.status);
	resp_free(&r);

	/* A refused form comes back as the form, values kept, each problem
	 * beside its field. */
	const char *html[] = {
		"Content-Type: application/x-www-form-urlencoded",
		"Accept: text/html,*/*", "Expect:", NULL
	};
	const char *bad_form =
		"record=nope&field=summary&wrong=%3Cscript%3Ealert(1)%3C%2F"
		"script%3E+%22q%22&proposed=b&evidence_url=ftp%3A%2F%2Fx&"
		"email=" SECRET_EMAIL;
	struct req qf = { .method = "POST",
			  .path = "/api/v1/corrections",
			  .headers = html,
			  .body = bad_form,
			  .body_len = strlen(bad_form) };
	http(sv, &qf, &r);
	b = buf_cstr(&r.body);
	check(r.status == 400 && has(header(&r, "Content-Type"), "text/html") &&
		      has(b, "<header class=\"site-header\">") &&
		      has(b, "<form class=\"submission\" method=\"post\" "
			     "action=\"/api/v1/corrections\">"),
	      "a browser's refused form is the site's form page, 400",
	      "status %ld: %s", r.status, b);
	check(has(b, "2 problems to fix") &&
		      has(b,
			  "<a href=\"#c-record\">no record <code>nope</code> "
			  "is published</a>") &&
		      has(b, "<a href=\"#c-evidence_url\">"),
	      "its summary lists every problem, linked to its field", "%s", b);
	check(has(b, "<span class=\"error\" id=\"c-record-error\">") &&
		      has(b, "id=\"c-record\" name=\"record\" type=\"text\" "
			     "value=\"nope\"") &&
		      has(b, "aria-describedby=\"c-record-hint "
			     "c-record-error\" aria-invalid=\"true\"") &&
		      has(b, "id=\"c-evidence_url-error\"") &&
		      !has(b, "id=\"c-wrong-error\""),
	      "each problem is beside its field, which says it is invalid",
	      "%s", b);
	check(has(b, "&lt;script&gt;alert(1)&lt;/script&gt; &quot;q&quot;"
		     "</textarea>") &&
		      !has(b, "<script>alert") &&
		      has(b, "<option value=\"summary\" selected>") &&
		      has(b, "value=\"" SECRET_EMAIL "\""),
	      "what was typed is kept, escaped, the choice still chosen", "%s",
	      b);
	resp_free(&r);
	post(sv, "/api/v1/corrections", "application/x-www-form-urlencoded",
	     bad_form, &r);
	check(r.status == 400 && has(buf_cstr(&r.body), "\"errors\":[") &&
		      has(header(&r, "Content-Type"), "application/json"),
	      "a form from a program (no Accept: text/html) is refused in "
	      "JSON",
	      "status %ld: %s", r.status, buf_cstr(&r.body));
	resp_free(&r);

	/* Refusals: 400 with the field, 413, 415. */
	static const struct {
		const char *body, *field, *name;
	} bad[] = {
		{ "{\"record\":", "null", "malformed JSON" },
		{ "record=coursera", "null", "a form body sent as JSON" },
		{ "{\"record\":\"no-such-record\",\"field\":\"summary\","
		  "\"wrong\":\"a\",\"proposed\":\"b\","
		  "\"evidence_url\":\"https://example.com/\"}",
		  "\"record\"", "an unknown record" },
		{ "{\"record\":\"coursera\",\"field\":\"summary\","
		  "\"proposed\":\"b\",\"evidence_url\":\"https://example.com/"
		  "\"}",
		  "\"wrong\"", "a missing field" },
		{ "{\"record\":\"coursera\",\"field\":\"summary\","
		  "\"wrong\":\"a\",\"proposed\":\"b\","
		  "\"evidence_url\":\"javascript:alert(1)\"}",
		  "\"evidence_url\"", "an evidence_url that is not http(s)" },
		{ CORRECTION("summary", "not an email"), "\"email\"",
		  "a bad email" },
		{ CORRECTION("score", "a@example.com"), "\"field\"",
		  "a field the record format does not have" },
		{ "{\"record\":\"coursera\",\"field\":\"summary\","
		  "\"wrong\":\"a\",\"proposed\":\"b\",\"evidence_url\":"
		  "\"https://example.com/\",\"admin\":true}",
		  "null", "an unknown key" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		post(sv, "/api/v1/corrections", "application/json", bad[i].body,
		     &r);
		char want[64], name[160];
		snprintf(want, sizeof(want), "\"field\":%s", bad[i].field);
		snprintf(name, sizeof(name), "400 names the field: %s",
			 bad[i].name);
		check(r.status == 400 && has(buf_cstr(&r.body), want) &&
			      has(buf_cstr(&r.body), "\"error\":"),
		      name, "status %ld: %s", r.status, buf_cstr(&r.body));
		resp_free(&r);
	}
	post(sv, "/api/v1/corrections", "application/json",
	     "{\"record\":\"nope\",\"field\":\"summary\",\"wrong\":\"a\","
	     "\"proposed\":\"b\",\"evidence_url\":\"ftp://x\"}",
	     &r);
	check(r.status == 400 &&
		      has(buf_cstr(&r.body), "\"field\":\"record\"") &&
		      has(buf_cstr(&r.body),
			  "\"errors\":[{\"field\":\"record\",") &&
		      has(buf_cstr(&r.body), "{\"field\":\"evidence_url\","),
	      "400 in JSON: the first problem as error and field, every "
	      "problem in errors",
	      "status %ld: %s", r.status, buf_cstr(&r.body));
	resp_free(&r);
	struct buf longtext = BUF_INIT;
	buf_puts(&longtext, "{\"record\":\"coursera\",\"field\":\"summary\","
			    "\"proposed\":\"b\",\"evidence_url\":"
			    "\"https://example.com/\",\"wrong\":\"");
	for (int i = 0; i < 2001; i++)
		buf_putc(&longtext, 'x');
	buf_puts(&longtext, "\"}");
	post(sv, "/api/v1/corrections", "application/json", longtext.data, &r);
	check(r.status == 400 && has(buf_cstr(&r.body), "\"field\":\"wrong\""),
	      "400 for a text over its length limit", "status %ld: %s",
	      r.status, buf_cstr(&r.body));
	resp_free(&r);
	buf_free(&longtext);
	post(sv, "/api/v1/audits", "application/json",
	     "{\"record\":\"coursera\",\"email\":\"a@example.com\","
	     "\"date\":\"2026-06-10\",\"signup_channel\":\"online\","
	     "\"online_path\":true,\"steps\":3,\"retention\":\"sometimes\"}",
	     &r);
	check(r.status == 400 &&
		      has(buf_cstr(&r.body), "\"field\":\"retention\"") &&
		      has(buf_cstr(&r.body), "skippable-offer"),
	      "400 for a retention outside the methodology's vocabulary",
	      "status %ld: %s", r.status, buf_cstr(&r.body));
	resp_free(&r);
	post(sv, "/api/v1/audits", "application/json",
	     "{\"record\":\"coursera\",\"email\":\"a@example.com\","
	     "\"date\":\"2099-01-01\"}",
	     &r);
	check(r.status == 400 && has(buf_cstr(&r.body), "\"field\":\"date\""),
	      "400 for an audit dated in the future", "status %ld: %s",
	      r.status, buf_cstr(&r.body));
	resp_free(&r);

	struct buf big = BUF_INIT;
	buf_puts(&big, "{\"record\":\"coursera\",\"wrong\":\"");
	for (int i = 0; i < 17 * 1024; i++)
		buf_putc(&big, 'x');
	buf_puts(&big, "\"}");
	post(sv, "/api/v1/corrections", "application/json", big.data, &r);
	check(r.status == 413, "a body over 16 KiB is 413", "status %ld",
	      r.status);
	resp_free(&r);
	const char *chunked[] = { "Content-Type: application/json",
				  "Transfer-Encoding: chunked",
				  "Expect:", NULL };
	struct req qc = { .method = "POST",
			  .path = "/api/v1/corrections",
			  .headers = chunked,
			  .body = big.data,
			  .body_len = big.len };
	http(sv, &qc, &r);
	check(r.status == 413, "a chunked body over 16 KiB is 413",
	      "status %ld", r.status);
	resp_free(&r);
	buf_free(&big);
	post(sv, "/api/v1/corrections", "text/plain", "hello", &r);
	check(r.status == 415 && has(buf_cstr(&r.body), "\"error\""),
	      "text/plain is 415", "status %ld", r.status);
	resp_free(&r);
	/* An audit from its form, and one refused. */
	post(sv, "/api/v1/audits", "application/x-www-form-urlencoded",
	     AUDIT_FORM "steps=3&path=Account%0D%0AMembership%0D%0ACancel", &r);
	l = header(&r, "Location");
	check(r.status == 303 && !strncmp(l, "/corrections/status/a-", 22),
	      "the audit form is answered 303 to its status page",
	      "status %ld, Location %s: %s", r.status, l, buf_cstr(&r.body));
	snprintf(page, sizeof(page), "%s", l);
	resp_free(&r);
	get(sv, page, &r);
	b = buf_cstr(&r.body);
	check(r.status == 200 && has(b, "<dd>audit</dd>") &&
		      has(b, "<dd>flow</dd>") && !has(b, SECRET_EMAIL) &&
		      has(b, "href=\"/api/v1/audits/a-"),
	      "an audit's status page names it an audit, without the email",
	      "status %ld: %s", r.status, b);
	resp_free(&r);
	const char *bad_audit = AUDIT_FORM "steps=2&path=a%0D%0Ab%0D%0Ac";
	struct req qa = { .method = "POST",
			  .path = "/api/v1/audits",
			  .headers = html,
			  .body = bad_audit,
			  .body_len = strlen(bad_audit) };
	http(sv, &qa, &r);
	b = buf_cstr(&r.body);
	check(r.status == 400 &&
		      has(b, "<h1>Submit a cancellation audit</h1>") &&
		      has(b, "id=\"a-path-error\"><code>path</code> lists 3 "
			     "steps but <code>steps</code> is 2") &&
		      has(b, "a\r\nb\r\nc</textarea>") &&
		      has(b, "value=\"true\" checked") && !has(b, "c-record"),
	      "a refused audit form comes back with its values and the "
	      "problem beside the path",
	      "status %ld: %s", r.status, b);
	resp_free(&r);
	const char *unsure = "record=coursera&online_path=maybe";
	qa.body = unsure;
	qa.body_len = strlen(unsure);
	http(sv, &qa, &r);
	b = buf_cstr(&r.body);
	check(r.status == 400 && has(b, "<a href=\"#a-email\">") &&
		      has(b, "<a href=\"#a-online_path-yes\">") &&
		      has(b, "<a href=\"#a-clean_exit-yes\">") &&
		      !has(b, "href=\"#a-online_path\""),
	      "a refused audit's summary links each problem to its control, "
	      "a yes/no question to its first answer",
	      "status %ld: %s", r.status, b);
	resp_free(&r);

	/* An audit, and its public status. */
	post(sv, "/api/v1/audits", "application/json", AUDIT(""), &r);
	snprintf(id, sizeof(id), "%s", tracking_of(&r));
	check(r.status == 202 && id[0] == 'a', "a crowd audit is 202",
	      "status %ld: %s", r.status, buf_cstr(&r.body));
	resp_free(&r);
	snprintf(loc, sizeof(loc), "/api/v1/audits/%s", id);
	get(sv, loc, &r);
	check(r.status == 200 && has(buf_cstr(&r.body), "\"kind\":\"audit\"") &&
		      !has(buf_cstr(&r.body), SECRET_EMAIL),
	      "an audit's public status has no email", "status %ld: %s",
	      r.status, buf_cstr(&r.body));
	resp_free(&r);
}

/* ---- rate limit and failing stores ----------------------------------- */

static void test_rate_limit(void)
{
	struct server sv;
	server_prepare(&sv, "rate");
	const char *args[] = { "--rate-limit", "3", NULL };
	if (!check(server_start(&sv, args) == 0, "serve --rate-limit 3 starts",
		   NULL))
		return;
	struct resp r;
	long codes[4];
	for (int i = 0; i < 4; i++) {
		/* Refused submissions count too. */
		post(&sv, "/api/v1/corrections", "application/json",
		     i == 1 ? "{" : CORRECTION("summary", "a@example.com"), &r);
		codes[i] = r.status;
		if (i < 3)
			resp_free(&r);
	}
	int retry = atoi(header(&r, "Retry-After"));
	check(codes[0] == 202 && codes[1] == 400 && codes[2] == 202 &&
		      codes[3] == 429 && retry >= 1 && retry <= 60,
	      "the 4th write in a minute is 429 with Retry-After",
	      "codes %ld %ld %ld %ld, Retry-After %d", codes[0], codes[1],
	      codes[2], codes[3], retry);
	check(has(buf_cstr(&r.body), "\"error\""), "429 says why in JSON",
	      NULL);
	resp_free(&r);
	const char *html[] = {
		"Content-Type: application/x-www-form-urlencoded",
		"Accept: text/html", "Expect:", NULL
	};
	const char *form = "record=coursera&field=summary&wrong=kept+text";
	struct req q = { .method = "POST",
			 .path = "/api/v1/corrections",
			 .headers = html,
			 .body = form,
			 .body_len = strlen(form) };
	http(&sv, &q, &r);
	check(r.status == 429 && has(header(&r, "Content-Type"), "text/html") &&
		      atoi(header(&r, "Retry-After")) >= 1 &&
		      has(buf_cstr(&r.body), "too many submissions") &&
		      has(buf_cstr(&r.body), ">\nkept text</textarea>"),
	      "a browser's form over the limit is 429 as the form page, "
	      "with what was typed",
	      "status %ld: %s", r.status, buf_cstr(&r.body));
	resp_free(&r);
	get(&sv, "/", &r);
	check(r.status == 200, "reads are not rate-limited", NULL);
	resp_free(&r);
	server_stop(&sv, SIGTERM);
}

/* ---- behind a proxy --------------------------------------------------- */

/* A correction sent with "X-Forwarded-For: @xff" (none when NULL); its
 * status. */
static long post_xff(const struct server *sv, const char *xff)
{
	char h[300];
	snprintf(h, sizeof(h), "X-Forwarded-For: %s", xff ? xff : "");
	const char *headers[] = { "Content-Type: application/json",
				  "Expect:", xff ? h : NULL, NULL };
	const char *body = CORRECTION("summary", "a@example.com");
	struct req q = { .method = "POST",
			 .path = "/api/v1/corrections",
			 .headers = headers,
			 .body = body,
			 .body_len = strlen(body) };
	struct resp r;
	long status = http(sv, &q, &r);
	resp_free(&r);
	return status;
}

/* Open @n connections at once and keep them; then ask for / on each.
 * Returns how many were answered 200. */
static int held_connections_answered(const struct server *sv, int n)
{
	int fd[8], answered = 0;
	/* The server has closed the connections of the requests before. */
	sleep_ms((int)(300 * slow));
	for (int i = 0; i < n && i < 8; i++)
		fd[i] = raw_connect(sv);
	sleep_ms(200); /* the server has seen every one of them */
	static const char req[] = "GET / HTTP/1.1\r\nHost: x\r\n"
				  "Connection: close\r\n\r\n";
	for (int i = 0; i < n && i < 8; i++) {
		if (fd[i] < 0)
			continue;
		char answer[32] = "";
		int status = 0;
		struct pollfd pfd = { fd[i], POLLIN, 0 };
		if (write(fd[i], req, sizeof(req) - 1) ==
			    (ssize_t)sizeof(req) - 1 &&
		    poll(&pfd, 1, (int)(5000 * slow)) > 0 &&
		    read(fd[i], answer, sizeof(answer) - 1) > 0)
			sscanf(answer, "HTTP/1.1 %d", &status);
		answered += status == 200;
		close(fd[i]);
	}
	return answered;
}

/* The access log's lines that start with @addr and a space. */
static int log_lines_from(const struct server *sv, const char *addr)
{
	char *log = read_all(sv->out_log);
	int n = 0;
	size_t len = strlen(addr);
	for (const char *line = log; line && *line;) {
		if (!strncmp(line, addr, len) && line[len] == ' ')
			n++;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	free(log);
	return n;
}

/*
 * X-Forwarded-For: ignored from a direct client (without --trust-proxy,
 * or from a peer not in it); from a trusted proxy, the rightmost address
 * that is not a trusted proxy is the client of the rate limit and the
 * access log, and a malformed header counts as the proxy itself. The
 * per-address connection cap sees only the peer, and spares a trusted
 * one.
 */
static void test_trust_proxy(void)
{
	struct server sv;
	server_prepare(&sv, "xff-off");
	const char *off[] = { "--rate-limit",  "2", "--access-log",
			      "--per-address", "2", NULL };
	if (check(server_start(&sv, off) == 0,
		  "serve without --trust-proxy starts", NULL)) {
		long a = post_xff(&sv, "203.0.113.1");
		long b = post_xff(&sv, "203.0.113.2");
		long c = post_xff(&sv, "2001:db8::1");
		check(a == 202 && b == 202 && c == 429,
		      "without --trust-proxy, forged X-Forwarded-For headers "
		      "change nothing: the third write of one peer is 429",
		      "codes %ld %ld %ld", a, b, c);
		char *log = read_all(sv.out_log);
		check(log_lines_from(&sv, "127.0.0.1") == 3 &&
			      !has(log, "203.0.113.") && !has(log, "2001:db8"),
		      "without --trust-proxy the access log gives the peer",
		      "%s", log ? log : "(none)");
		free(log);
		int n = held_connections_answered(&sv, 4);
		check(n == 2,
		      "without --trust-proxy the per-address cap holds for "
		      "127.0.0.1",
		      "%d of 4 held connections answered", n);
		server_stop(&sv, SIGTERM);
	}

	/* A list that does not name the peer: the same. */
	server_prepare(&sv, "xff-other");
	const char *other[] = { "--rate-limit", "1", "--trust-proxy",
				"10.0.0.0/8,::1", NULL };
	if (check(server_start(&sv, other) == 0,
		  "serve --trust-proxy 10.0.0.0/8,::1 starts", NULL)) {
		long a = post_xff(&sv, "203.0.113.1");
		long b = post_xff(&sv, "203.0.113.2");
		check(a == 202 && b == 429,
		      "X-Forwarded-For from a peer not in --trust-proxy is "
		      "ignored",
		      "codes %ld %ld", a, b);
		server_stop(&sv, SIGTERM);
	}

	server_prepare(&sv, "xff-on");
	const char *on[] = { "--rate-limit",
			     "2",
			     "--access-log",
			     "--per-address",
			     "2",
			     "--trust-proxy",
			     "192.0.2.0/24",
			     "--trust-proxy",
			     "127.0.0.1",
			     NULL };
	if (!check(server_start(&sv, on) == 0,
		   "serve --trust-proxy 192.0.2.0/24 --trust-proxy 127.0.0.1 "
		   "starts",
		   NULL))
		return;
	long c1[3], c2;
	for (int i = 0; i < 3; i++)
		c1[i] = post_xff(&sv, "203.0.113.1");
	c2 = post_xff(&sv, "203.0.113.2");
	check(c1[0] == 202 && c1[1] == 202 && c1[2] == 429 && c2 == 202,
	      "behind a trusted proxy each X-Forwarded-For client has its own "
	      "rate limit",
	      "203.0.113.1: %ld %ld %ld, 203.0.113.2: %ld", c1[0], c1[1], c1[2],
	      c2);
	long forged = post_xff(&sv, "203.0.113.9, 203.0.113.1");
	long chain = post_xff(&sv, "203.0.113.1, 203.0.113.3, 192.0.2.7");
	check(forged == 429 && chain == 202,
	      "the client is the rightmost address that is not a trusted "
	      "proxy: a forged left part is not read, trusted hops are "
	      "skipped",
	      "forged %ld, chain %ld", forged, chain);
	long m1 = post_xff(&sv, "203.0.113.4, unknown");
	long m2 = post_xff(&sv, "203.0.113.5:4711");
	long none = post_xff(&sv, NULL);
	check(m1 == 202 && m2 == 202 && none == 429,
	      "a malformed X-Forwarded-For counts as the proxy itself",
	      "codes %ld %ld, then without the header %ld", m1, m2, none);
	long v6[4];
	v6[0] = post_xff(&sv, "2001:db8::1");
	v6[1] = post_xff(&sv, "2001:db8::2");
	v6[2] = post_xff(&sv, "2001:db8::3");
	v6[3] = post_xff(&sv, "2001:db8:0:1::1");
	check(v6[0] == 202 && v6[1] == 202 && v6[2] == 429 && v6[3] == 202,
	      "an IPv6 client behind the proxy is limited by its /64",
	      "codes %ld %ld %ld %ld", v6[0], v6[1], v6[2], v6[3]);
	int from1 = log_lines_from(&sv, "203.0.113.1");
	int from3 = log_lines_from(&sv, "203.0.113.3");
	int v6lines = log_lines_from(&sv, "2001:db8::1");
	int peer = log_lines_from(&sv, "127.0.0.1");
	check(from1 == 4 && from3 == 1 && v6lines == 1 && peer == 3,
	      "the access log gives the client behind the proxy",
	      "203.0.113.1: %d, 203.0.113.3: %d, 2001:db8::1: %d, "
	      "127.0.0.1: %d lines",
	      from1, from3, v6lines, peer);
	int n = held_connections_answered(&sv, 5);
	check(n == 5,
	      "a trusted proxy is not held to the per-address connection cap",
	      "%d of 5 held connections answered", n);
	struct resp r;
	get(&sv, "/", &r);
	check(r.status == 200, "reads behind a proxy are not rate-limited",
	      NULL);
	resp_free(&r);
	server_stop(&sv, SIGTERM);
}

static void test_store_failures(void)
{
	struct server sv;
	server_prepare(&sv, "locked");
	if (!check(server_start(&sv, NULL) == 0, "serve starts", NULL))
		return;
	struct resp r;
	sqlite3 *db;
	sqlite3_open(sv.db, &db);
	int lock = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	post(&sv, "/api/v1/corrections", "application/json",
	     CORRECTION("summary", "a@example.com"), &r);
	check(lock == SQLITE_OK && r.status == 503 &&
		      header(&r, "Retry-After")[0] &&
		      has(buf_cstr(&r.body), "\"error\""),
	      "503 with Retry-After while another writer holds the database",
	      "status %ld: %s", r.status, buf_cstr(&r.body));
	resp_free(&r);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	post(&sv, "/api/v1/corrections", "application/json",
	     CORRECTION("summary", "a@example.com"), &r);
	check(r.status == 202, "202 again once the lock is gone", "status %ld",
	      r.status);
	resp_free(&r);
	server_stop(&sv, SIGTERM);

	/* A read-only database file: reads go on, writes are 503. */
	chmod(sv.db, 0444);
	if (!check(server_start(&sv, NULL) == 0,
		   "serve starts on a read-only database", NULL))
		return;
	post(&sv, "/api/v1/corrections", "application/json",
	     CORRECTION("summary", "a@example.com"), &r);
	check(r.status == 503, "a read-only database gives 503", "status %ld",
	      r.status);
	resp_free(&r);
	get(&sv, "/", &r);
	check(r.status == 200, "reads go on with a read-only database", NULL);
	resp_free(&r);
	server_stop(&sv, SIGTERM);
	chmod(sv.db, 0644);
}

/* ---- durability and concurrency -------------------------------------- */

static int count_rows(const char *path, const char *table)
{
	sqlite3 *db;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	char sql[100];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	sqlite3_stmt *st;
	int n = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void test_kill_and_concurrency(void)
{
	struct server sv;
	server_prepare(&sv, "durable");
	const char *args[] = { "--rate-limit", "0", NULL };
	if (!check(server_start(&sv, args) == 0, "serve --rate-limit 0 starts",
		   NULL))
		return;
	struct resp r;
	post(&sv, "/api/v1/corrections", "application/json",
	     CORRECTION("refund_page", "a@example.com"), &r);
	char id[32];
	snprintf(id, sizeof(id), "%s", tracking_of(&r));
	long status = r.status;
	resp_free(&r);
	int sig = server_stop(&sv, SIGKILL);
	check(status == 202 && sig == 128 + SIGKILL,
	      "kill -9 right after a 202", "status %ld, exit %d", status, sig);
	if (!check(server_start(&sv, args) == 0, "serve restarts after kill -9",
		   NULL))
		return;
	char loc[80];
	snprintf(loc, sizeof(loc), "/api/v1/corrections/%s", id);
	get(&sv, loc, &r);
	check(r.status == 200 && has(buf_cstr(&r.body), id),
	      "the submission acknowledged before kill -9 is there",
	      "status %ld", r.status);
	resp_free(&r);

	/* 200 submissions at once, on 200 connections. */
	enum { N = 200 };
	CURLM *m = curl_multi_init();
	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, 0L);
	static struct resp rs[N];
	CURL *e[N];
	struct curl_slist *hl[N];
	char url[N][64];
	const char *h[] = { "Content-Type: application/json", "Expect:", NULL };
	const char *body = CORRECTION("summary", "a@example.com");
	for (int i = 0; i < N; i++) {
		memset(&rs[i], 0, sizeof(rs[i]));
		e[i] = curl_easy_init();
		struct req q = { .method = "POST",
				 .path = "/api/v1/corrections",
				 .headers = h,
				 .body = body,
				 .body_len = strlen(body) };
		setup_easy(e[i], &sv, &q, &rs[i], &hl[i], url[i],
			   sizeof(url[i]));
		curl_easy_setopt(e[i], CURLOPT_FRESH_CONNECT, 1L);
		curl_multi_add_handle(m, e[i]);
	}
	int running = 1;
	while (running) {
		curl_multi_perform(m, &running);
		if (running)
			curl_multi_poll(m, NULL, 0, 1000, NULL);
	}
	int ok = 0, unique = 1;
	static char ids[N][32];
	for (int i = 0; i < N; i++) {
		long code = 0;
		curl_easy_getinfo(e[i], CURLINFO_RESPONSE_CODE, &code);
		snprintf(ids[i], sizeof(ids[i]), "%s", tracking_of(&rs[i]));
		ok += code == 202 && ids[i][0] == 'c';
		for (int j = 0; j < i; j++)
			if (!strcmp(ids[i], ids[j]))
				unique = 0;
		curl_multi_remove_handle(m, e[i]);
		curl_easy_cleanup(e[i]);
		curl_slist_free_all(hl[i]);
		resp_free(&rs[i]);
	}
	curl_multi_cleanup(m);
	check(ok == N && unique,
	      "200 concurrent submissions: all 202, ids unique",
	      "%d of %d were 202; unique %d", ok, N, unique);
	int rows = count_rows(sv.db, "corrections");
	check(rows == N + 1, "all 200 are stored", "%d rows", rows);
	check(server_stop(&sv, SIGTERM) == 0, "SIGTERM exits with status 0",
	      NULL);
}

/* ---- a locked store --------------------------------------------------- */

enum { BURST = 6 }; /* more POSTs than the serving threads (2) */

/* POSTs sent at once, each on its own connection, from a thread. */
struct burst {
	const struct server *sv;
	long status[BURST];
	double seconds[BURST]; /* from the start to the answer */
	char retry_after[BURST][16];
	atomic_bool done;
};

static void *burst_run(void *arg)
{
	struct burst *b = arg;
	CURLM *m = curl_multi_init();
	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, 0L);
	struct resp rs[BURST];
	CURL *e[BURST];
	struct curl_slist *hl[BURST];
	char url[BURST][64];
	const char *h[] = { "Content-Type: application/json", "Expect:", NULL };
	const char *body = CORRECTION("summary", "a@example.com");
	for (int i = 0; i < BURST; i++) {
		memset(&rs[i], 0, sizeof(rs[i]));
		e[i] = curl_easy_init();
		struct req q = { .method = "POST",
				 .path = "/api/v1/corrections",
				 .headers = h,
				 .body = body,
				 .body_len = strlen(body) };
		setup_easy(e[i], b->sv, &q, &rs[i], &hl[i], url[i],
			   sizeof(url[i]));
		curl_easy_setopt(e[i], CURLOPT_FRESH_CONNECT, 1L);
		curl_multi_add_handle(m, e[i]);
	}
	int running = 1;
	while (running) {
		curl_multi_perform(m, &running);
		if (running)
			curl_multi_poll(m, NULL, 0, 1000, NULL);
	}
	for (int i = 0; i < BURST; i++) {
		curl_easy_getinfo(e[i], CURLINFO_RESPONSE_CODE, &b->status[i]);
		curl_easy_getinfo(e[i], CURLINFO_TOTAL_TIME, &b->seconds[i]);
		snprintf(b->retry_after[i], sizeof(b->retry_after[i]), "%s",
			 header(&rs[i], "Retry-After"));
		curl_multi_remove_handle(m, e[i]);
		curl_easy_cleanup(e[i]);
		curl_slist_free_all(hl[i]);
		resp_free(&rs[i]);
	}
	curl_multi_cleanup(m);
	atomic_store(&b->done, true);
	return NULL;
}

/* Seconds that one GET of @path takes; its status in *@status. */
static double timed_get(const struct server *sv, const char *path, long *status)
{
	struct resp r;
	double t0 = now_s();
	*status = get(sv, path, &r);
	double t = now_s() - t0;
	resp_free(&r);
	return t;
}

/*
 * While another process holds the write lock, reads go on at once and
 * each POST is answered 503 with Retry-After within the lock timeout
 * (default 2 s), however many are sent at once; once the lock is gone a
 * POST is stored again.
 */
static void test_write_lock(void)
{
	struct server sv;
	server_prepare(&sv, "write-lock");
	const char *args[] = { "--rate-limit", "0", NULL };
	if (!check(server_start(&sv, args) == 0, "serve starts", NULL))
		return;
	struct resp r;
	post(&sv, "/api/v1/corrections", "application/json",
	     CORRECTION("summary", "a@example.com"), &r);
	char status_path[80];
	snprintf(status_path, sizeof(status_path), "/api/v1/corrections/%s",
		 tracking_of(&r));
	resp_free(&r);
	int rows_before = count_rows(sv.db, "corrections");

	sqlite3 *db;
	sqlite3_open(sv.db, &db);
	int lock = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	check(lock == SQLITE_OK, "the test holds the write lock", NULL);
	struct burst b = { .sv = &sv };
	pthread_t tid;
	pthread_create(&tid, NULL, burst_run, &b);
	double slowest_page = 0, slowest_status = 0;
	long page_status = 200, read_status = 200, st;
	int rounds = 0;
	double deadline = now_s() + 60 * slow;
	while ((!atomic_load(&b.done) || rounds < 3) && now_s() < deadline) {
		double t = timed_get(&sv, "/", &st);
		if (t > slowest_page)
			slowest_page = t;
		if (st != 200)
			page_status = st;
		t = timed_get(&sv, status_path, &st);
		if (t > slowest_status)
			slowest_status = t;
		if (st != 200)
			read_status = st;
		rounds++;
		sleep_ms(50);
	}
	pthread_join(tid, NULL);
	check(page_status == 200 && slowest_page < 0.5 * slow,
	      "GET / is answered at once while the store is locked",
	      "slowest %.3f s over %d rounds, status %ld", slowest_page, rounds,
	      page_status);
	check(read_status == 200 && slowest_status < 0.5 * slow,
	      "a submission's status is read at once while the store is "
	      "locked",
	      "slowest %.3f s, status %ld", slowest_status, read_status);
	int answered = 0;
	double slowest_post = 0;
	struct buf detail = BUF_INIT;
	for (int i = 0; i < BURST; i++) {
		if (b.status[i] == 503 && atoi(b.retry_after[i]) >= 1 &&
		    b.seconds[i] < (2.0 + 1.0) * slow)
			answered++;
		if (b.seconds[i] > slowest_post)
			slowest_post = b.seconds[i];
		buf_printf(&detail, "%ld in %.3f s (Retry-After '%s')\n",
			   b.status[i], b.seconds[i], b.retry_after[i]);
	}
	check(answered == BURST,
	      "each of a burst of POSTs is 503 with Retry-After within the "
	      "lock timeout",
	      "%s", buf_cstr(&detail));
	buf_free(&detail);
	printf("# %d POSTs during a lock: slowest answered in %.3f s; "
	       "slowest GET / %.3f s\n",
	       BURST, slowest_post, slowest_page);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);

	post(&sv, "/api/v1/corrections", "application/json",
	     CORRECTION("summary", "a@example.com"), &r);
	char loc[80];
	snprintf(loc, sizeof(loc), "/api/v1/corrections/%s", tracking_of(&r));
	check(r.status == 202, "a POST once the lock is gone is 202",
	      "status %ld: %s", r.status, buf_cstr(&r.body));
	resp_free(&r);
	int rows = count_rows(sv.db, "corrections");
	check(rows == rows_before + 1,
	      "it is stored, and nothing refused was kept",
	      "%d rows, %d before", rows, rows_before);
	get(&sv, loc, &r);
	check(r.status == 200, "its status is there", "status %ld", r.status);
	resp_free(&r);
	check(server_stop(&sv, SIGTERM) == 0, "SIGTERM exits with status 0",
	      NULL);
}

/* One correction POSTed (on a thread of its own, or not): its status and
 * Retry-After. */
struct one_post {
	const struct server *sv;
	long status;
	char retry_after[16];
};

static void *one_post_run(void *arg)
{
	struct one_post *p = arg;
	struct resp r;
	p->status = post(p->sv, "/api/v1/corrections", "application/json",
			 CORRECTION("summary", "a@example.com"), &r);
	snprintf(p->retry_after, sizeof(p->retry_after), "%s",
		 header(&r, "Retry-After"));
	resp_free(&r);
	return NULL;
}

/* --lock-timeout sets the wait; SIGTERM answers a write still waiting
 * for the lock and exits promptly. */
static void test_lock_timeout_and_stop(void)
{
	struct server sv;
	server_prepare(&sv, "lock-timeout");
	const char *args[] = { "--lock-timeout", "300", NULL };
	if (!check(server_start(&sv, args) == 0,
		   "serve --lock-timeout 300 starts", NULL))
		return;
	sqlite3 *db;
	sqlite3_open(sv.db, &db);
	sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	struct resp r;
	double t0 = now_s();
	post(&sv, "/api/v1/corrections", "application/json",
	     CORRECTION("summary", "a@example.com"), &r);
	double took = now_s() - t0;
	check(r.status == 503 && took >= 0.25 && took < (0.3 + 1.0) * slow,
	      "--lock-timeout 300: a POST during a lock is 503 after 0.3 s",
	      "status %ld after %.3f s", r.status, took);
	resp_free(&r);

	struct one_post p = { .sv = &sv };
	pthread_t tid;
	pthread_create(&tid, NULL, one_post_run, &p);
	sleep_ms(100);
	t0 = now_s();
	int status = server_stop(&sv, SIGTERM);
	took = now_s() - t0;
	pthread_join(tid, NULL);
	check(p.status == 503 && p.retry_after[0],
	      "a write waiting for the lock at SIGTERM is answered 503",
	      "status %ld", p.status);
	check(status == 0 && took < (0.3 + 1.5) * slow,
	      "SIGTERM with a write waiting exits 0 promptly",
	      "exit %d after %.3f s", status, took);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	char *log = read_all(sv.err_log);
	check(!has(log, "still running"), "nothing was left to close", "%s",
	      log ? log : "");
	free(log);
}

/* ---- signals --------------------------------------------------------- */

/* A POST whose body is sent in two halves over a raw socket. */
struct slow_post {
	int fd;
	const char *body;
	size_t half;
};

static int slow_post_begin(struct slow_post *p, const struct server *sv,
			   const char *body)
{
	p->fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)sv->port) };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (connect(p->fd, (struct sockaddr *)&a, sizeof(a)))
		return -1;
	p->body = body;
	p->half = strlen(body) / 2;
	char head[300];
	int n = snprintf(head, sizeof(head),
			 "POST /api/v1/corrections HTTP/1.1\r\n"
			 "Host: 127.0.0.1\r\nContent-Type: application/json\r\n"
			 "Content-Length: %zu\r\n\r\n",
			 strlen(body));
	if (write(p->fd, head, (size_t)n) != n ||
	    write(p->fd, body, p->half) != (ssize_t)p->half)
		return -1;
	return 0;
}

/* Send the rest; the status of the answer, or -1. */
static int slow_post_end(struct slow_post *p)
{
	size_t rest = strlen(p->body) - p->half;
	if (write(p->fd, p->body + p->half, rest) != (ssize_t)rest) {
		close(p->fd);
		return -1;
	}
	char answer[2048];
	size_t got = 0;
	struct pollfd pfd = { p->fd, POLLIN, 0 };
	while (got < sizeof(answer) - 1 &&
	       poll(&pfd, 1, (int)(30000 * slow)) > 0) {
		ssize_t n = read(p->fd, answer + got, sizeof(answer) - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
		answer[got] = '\0';
		if (strstr(answer, "\r\n\r\n") && strstr(answer, "}"))
			break;
	}
	answer[got] = '\0';
	close(p->fd);
	int status = -1;
	sscanf(answer, "HTTP/1.1 %d", &status);
	return status;
}

struct hammer {
	const struct server *sv;
	volatile int stop;
	int requests;
	int failures;
};

static void *hammer_run(void *arg)
{
	struct hammer *h = arg;
	CURL *c = curl_easy_init();
	while (!h->stop) {
		struct resp r;
		struct req q = { .path = h->requests % 2 ? "/c/coursera/" : "/",
				 .encoding = "gzip",
				 .reuse = c };
		http(h->sv, &q, &r);
		h->requests++;
		if (r.status != 200)
			h->failures++;
		resp_free(&r);
	}
	curl_easy_cleanup(c);
	return NULL;
}

static void test_signals(void)
{
	struct server sv;
	server_prepare(&sv, "signals");
	if (!check(server_start(&sv, NULL) == 0, "serve starts", NULL))
		return;
	struct resp r;
	get(&sv, "/c/coursera-two/", &r);
	check(r.status == 404, "a record not yet in the data is 404", NULL);
	resp_free(&r);

	/* A kept-alive connection, a request in flight and a stream of
	 * reads, across a rebuild. */
	CURL *keep = curl_easy_init();
	struct req q = { .path = "/", .reuse = keep };
	http(&sv, &q, &r);
	resp_free(&r);
	struct hammer h = { .sv = &sv };
	pthread_t tid;
	pthread_create(&tid, NULL, hammer_run, &h);
	struct slow_post p;
	int began = slow_post_begin(&p, &sv,
				    CORRECTION("summary", "a@example.com"));
	char path[400];
	snprintf(path, sizeof(path), "%s/records/coursera.yaml", sv.data);
	char *yaml = read_all(path);
	char *idline = yaml ? strstr(yaml, "id: coursera\n") : NULL;
	if (idline) {
		struct buf two = BUF_INIT;
		buf_put(&two, yaml, (size_t)(idline - yaml));
		buf_puts(&two, "id: coursera-two\n");
		buf_puts(&two, idline + strlen("id: coursera\n"));
		snprintf(path, sizeof(path), "%s/records/coursera-two.yaml",
			 sv.data);
		write_text(path, two.data);
		buf_free(&two);
	}
	free(yaml);
	kill(sv.pid, SIGHUP);
	bool swapped = wait_log(&sv, "now serving", 1);
	int posted = slow_post_end(&p);
	h.stop = 1;
	pthread_join(tid, NULL);
	check(swapped, "SIGHUP rebuilds and swaps the site", NULL);
	check(began == 0 && posted == 202,
	      "a request in flight across the swap completes (202)",
	      "began %d, status %d", began, posted);
	check(h.requests > 0 && h.failures == 0,
	      "reads during the swap all succeed", "%d of %d failed",
	      h.failures, h.requests);
	http(&sv, &q, &r);
	check(r.status == 200 && r.connects == 0,
	      "a kept-alive connection survives the swap",
	      "status %ld, new connections %ld", r.status, r.connects);
	resp_free(&r);
	curl_easy_cleanup(keep);
	get(&sv, "/c/coursera-two/", &r);
	check(r.status == 200, "the rebuilt site is served", "status %ld",
	      r.status);
	resp_free(&r);

	/* A broken rebuild keeps the site. */
	snprintf(path, sizeof(path), "%s/records/broken.yaml", sv.data);
	write_text(path, "id: [broken\n");
	kill(sv.pid, SIGHUP);
	check(wait_log(&sv, "still serving the previous site", 1),
	      "a failed rebuild says so and keeps the old site", NULL);
	get(&sv, "/c/coursera-two/", &r);
	check(r.status == 200, "the previous site is still served",
	      "status %ld", r.status);
	resp_free(&r);
	unlink(path);

	/* SIGTERM lets a request in flight finish, then exits 0. */
	began = slow_post_begin(&p, &sv,
				CORRECTION("summary", "a@example.com"));
	sleep_ms(100);
	kill(sv.pid, SIGTERM);
	sleep_ms((long)(300 * slow));
	posted = slow_post_end(&p);
	check(began == 0 && posted == 202,
	      "a request in flight at SIGTERM completes", "status %d", posted);
	int status = server_stop(&sv, SIGTERM);
	check(status == 0, "SIGTERM exits with status 0", "exit status %d",
	      status);
}

/* ---- files from disk and memory --------------------------------------- */

/* Write @len bytes of text (line @seed repeated) to @dir/@rel. */
static void write_lines(const char *dir, const char *rel, size_t len,
			unsigned seed)
{
	char path[600];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	FILE *f = fopen(path, "w");
	if (!f)
		return;
	for (size_t n = 0; n < len;) {
		char line[80];
		int k = snprintf(line, sizeof(line),
				 "<p>line %zu of file %u, some text</p>\n", n,
				 seed);
		size_t w = (size_t)k < len - n ? (size_t)k : len - n;
		fwrite(line, 1, w, f);
		n += w;
	}
	fclose(f);
}

/* The ETag serve gives the file at @path as it is now. */
static void etag_of(const char *path, const char *suffix, char *out,
		    size_t size)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		snprintf(out, size, "(none)");
		return;
	}
	long long ns = (long long)st.st_mtim.tv_sec * 1000000000LL +
		       st.st_mtim.tv_nsec;
	snprintf(out, size, "\"%llx-%llx%s\"", (long long)st.st_size, ns,
		 suffix);
}

/* VmHWM of process @pid in KiB, or -1. */
static long peak_kib(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	char *s = read_all(path);
	const char *p = s ? strstr(s, "VmHWM:") : NULL;
	long kib = p ? strtol(p + 6, NULL, 10) : -1;
	free(s);
	return kib;
}

static bool same_bytes(const struct resp *r, const char *path)
{
	struct stat st;
	char *want = read_all(path);
	bool ok = want && stat(path, &st) == 0 &&
		  r->body.len == (size_t)st.st_size &&
		  !memcmp(r->body.data, want, r->body.len);
	free(want);
	return ok;
}

/* A folder served as found (--no-build) with --cache-mb 1: what comes
 * from disk, from memory, beside a file, made on first use, replaced,
 * hidden; and the budget held. */
static void test_files(void)
{
	struct server sv;
	server_prepare(&sv, "files");
	char site[320], path[600], etag[128], old_etag[128];
	snprintf(site, sizeof(site), "%s/site", sv.dir);
	sh("mkdir -p '%s/many' '%s/.hidden'", site, site);
	write_lines(site, "index.html", 20000, 1);
	write_lines(site, "404.html", 300, 2);
	write_lines(site, "big.txt", 3 << 20, 3); /* over 1/8 of 1 MiB */
	write_lines(site, "style.css", 5000, 4);
	write_lines(site, ".cancelatlas-manifest", 100, 5);
	write_lines(site, ".hidden/x.txt", 100, 6);
	for (int i = 0; i < 600; i++) {
		char rel[64];
		snprintf(rel, sizeof(rel), "many/%d.html", i);
		write_lines(site, rel, 100000, 100 + (unsigned)i);
	}
	/* The copy beside style.css is what goes, byte for byte. */
	sh("gzip -9 -k -n '%s/style.css'", site);
	const char *args[] = { "--no-build", "--cache-mb", "1", NULL };
	if (!check(server_start(&sv, args) == 0,
		   "serve --no-build --cache-mb 1 starts", NULL))
		return;

	struct resp r;
	snprintf(path, sizeof(path), "%s/big.txt", site);
	get(&sv, "/big.txt", &r);
	etag_of(path, "", etag, sizeof(etag));
	check(r.status == 200 && same_bytes(&r, path) &&
		      !strcmp(header(&r, "ETag"), etag),
	      "a file too big to keep comes from disk, with size-time ETag",
	      "status %ld, %zu bytes, ETag %s (want %s)", r.status, r.body.len,
	      header(&r, "ETag"), etag);
	resp_free(&r);
	struct req head = { .method = "HEAD", .path = "/big.txt" };
	http(&sv, &head, &r);
	check(r.status == 200 && r.body.len == 0 &&
		      !strcmp(header(&r, "Content-Length"), "3145728"),
	      "HEAD of a file from disk gives its length, no body",
	      "status %ld, length %s", r.status, header(&r, "Content-Length"));
	resp_free(&r);
	char inm[200];
	snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
	const char *h1[] = { inm, NULL };
	struct req q304 = { .path = "/big.txt", .headers = h1 };
	http(&sv, &q304, &r);
	check(r.status == 304 && r.body.len == 0,
	      "a file from disk answers If-None-Match with 304", "status %ld",
	      r.status);
	resp_free(&r);

	snprintf(path, sizeof(path), "%s/index.html", site);
	for (int i = 0; i < 3; i++) { /* the third is from the cache */
		resp_free(&r);
		get(&sv, "/", &r);
	}
	etag_of(path, "", etag, sizeof(etag));
	check(r.status == 200 && same_bytes(&r, path) &&
		      !strcmp(header(&r, "ETag"), etag),
	      "a kept file is the same again", "status %ld, ETag %s", r.status,
	      header(&r, "ETag"));
	resp_free(&r);

	const char *gz[] = { "Accept-Encoding: gzip", NULL };
	struct req qgz = { .path = "/style.css", .headers = gz };
	http(&sv, &qgz, &r);
	snprintf(path, sizeof(path), "%s/style.css.gz", site);
	etag_of(path, "-gz", etag, sizeof(etag));
	check(r.status == 200 &&
		      !strcmp(header(&r, "Content-Encoding"), "gzip") &&
		      same_bytes(&r, path) && !strcmp(header(&r, "ETag"), etag),
	      "FILE.gz beside a file is sent for gzip, with its own ETag",
	      "status %ld, encoding %s, %zu bytes, ETag %s", r.status,
	      header(&r, "Content-Encoding"), r.body.len, header(&r, "ETag"));
	resp_free(&r);
	get(&sv, "/style.css.gz", &r);
	check(r.status == 404, "FILE.gz is not a URL of its own", "status %ld",
	      r.status);
	resp_free(&r);

	struct req qbr = { .path = "/many/7.html", .encoding = "br" };
	http(&sv, &qbr, &r);
	snprintf(path, sizeof(path), "%s/many/7.html", site);
	check(r.status == 200 &&
		      !strcmp(header(&r, "Content-Encoding"), "br") &&
		      same_bytes(&r, path) &&
		      has(header(&r, "ETag"), "-br\"") &&
		      !strcmp(header(&r, "Vary"), "Accept-Encoding"),
	      "brotli is made on first use when no FILE.br lies beside",
	      "status %ld, encoding %s, ETag %s", r.status,
	      header(&r, "Content-Encoding"), header(&r, "ETag"));
	resp_free(&r);

	static const char *const hidden[] = { "/.cancelatlas-manifest",
					      "/.cancelatlas-site",
					      "/.hidden/x.txt", "/.hidden/" };
	bool all404 = true;
	for (size_t i = 0; i < sizeof(hidden) / sizeof(*hidden); i++) {
		get(&sv, hidden[i], &r);
		all404 = all404 && r.status == 404;
		resp_free(&r);
	}
	check(all404, "names starting with a dot are never served", NULL);

	/* Every file, in every encoding: memory stays in the budget. */
	bool all200 = true;
	static const char *const encs[] = { NULL, "gzip", "br" };
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < 600; i++) {
			char url[64];
			snprintf(url, sizeof(url), "/many/%d.html", i);
			struct req q = { .path = url, .encoding = encs[i % 3] };
			http(&sv, &q, &r);
			all200 = all200 && r.status == 200 &&
				 r.body.len == 100000;
			resp_free(&r);
		}
	}
	check(all200, "600 files of 100 KB in three encodings, twice", NULL);
	long kib = peak_kib(sv.pid);
	if (slow > 1 || UNDER_ASAN)
		check(true,
		      "memory stays bounded # SKIP the resident size is the "
		      "checker's own under valgrind and AddressSanitizer",
		      NULL);
	else
		check(kib > 0 && kib < 40 * 1024,
		      "serving 60 MB with --cache-mb 1 peaks under 40 MiB",
		      "VmHWM %ld KiB", kib);

	/* A file replaced by rename: old or new bytes, each with its tag;
	 * after a reload, the new ones. */
	snprintf(path, sizeof(path), "%s/index.html", site);
	etag_of(path, "", old_etag, sizeof(old_etag));
	write_lines(site, "index.new", 25000, 7);
	sh("mv '%s/index.new' '%s/index.html'", site, site);
	etag_of(path, "", etag, sizeof(etag));
	get(&sv, "/", &r);
	bool old = !strcmp(header(&r, "ETag"), old_etag) && r.body.len == 20000;
	bool new = !strcmp(header(&r, "ETag"), etag) && same_bytes(&r, path);
	check(r.status == 200 && (old || new),
	      "a file replaced on disk is sent old or new, with its own tag",
	      "status %ld, %zu bytes, ETag %s", r.status, r.body.len,
	      header(&r, "ETag"));
	resp_free(&r);
	snprintf(path, sizeof(path), "%s/big.txt", site);
	write_lines(site, "big.new", 2 << 20, 8);
	sh("mv '%s/big.new' '%s/big.txt'", site, site);
	etag_of(path, "", etag, sizeof(etag));
	get(&sv, "/big.txt", &r);
	check(r.status == 200 && same_bytes(&r, path) &&
		      !strcmp(header(&r, "ETag"), etag),
	      "a file from disk replaced is sent new, with the new tag",
	      "status %ld, %zu bytes, ETag %s (want %s)", r.status, r.body.len,
	      header(&r, "ETag"), etag);
	resp_free(&r);
	kill(sv.pid, SIGHUP);
	check(wait_log(&sv, "now serving", 1), "SIGHUP reloads the folder",
	      NULL);
	snprintf(path, sizeof(path), "%s/index.html", site);
	etag_of(path, "", etag, sizeof(etag));
	snprintf(inm, sizeof(inm), "If-None-Match: %s", old_etag);
	struct req qold = { .path = "/", .headers = h1 };
	http(&sv, &qold, &r);
	check(r.status == 200 && same_bytes(&r, path) &&
		      !strcmp(header(&r, "ETag"), etag),
	      "after the reload the new file goes, the old tag gives 200",
	      "status %ld, ETag %s (want %s)", r.status, header(&r, "ETag"),
	      etag);
	resp_free(&r);

	/* The whole folder swapped for another, then the old one removed:
	 * files not kept come from the folder now at that path. */
	sh("cp -a '%s' '%s.next' && rm -f '%s.next/big.txt'", site, site, site);
	write_lines(sv.dir, "site.next/big.txt", 1 << 20, 9);
	sh("mv '%s' '%s.old' && mv '%s.next' '%s' && rm -rf '%s.old'", site,
	   site, site, site, site);
	snprintf(path, sizeof(path), "%s/big.txt", site);
	get(&sv, "/big.txt", &r);
	check(r.status == 200 && same_bytes(&r, path),
	      "after the folder is swapped, a file from disk is the new one",
	      "status %ld, %zu bytes", r.status, r.body.len);
	resp_free(&r);

	int status = server_stop(&sv, SIGTERM);
	char *err = read_all(sv.err_log);
	const char *line = err ? strstr(err, "files in memory:") : NULL;
	unsigned long long hits = 0, peak = 0, budget = 0;
	if (line)
		sscanf(line,
		       "files in memory: %llu hits, %*u misses, %*u evicted, "
		       "at most %llu of %llu bytes",
		       &hits, &peak, &budget);
	check(status == 0 && hits > 0 && budget == 1 << 20 && peak > 0 &&
		      peak <= budget,
	      "on exit: hits counted, memory for files never over budget",
	      "exit %d; %s", status, line ? line : "(no line)");
	free(err);
}

/* ---- the editors' command line ---------------------------------------- */

static void test_review(void)
{
	struct server sv;
	server_prepare(&sv, "review");
	if (!check(server_start(&sv, NULL) == 0, "serve starts", NULL))
		return;
	struct resp r;
	post(&sv, "/api/v1/corrections", "application/json",
	     CORRECTION("refund_page", SECRET_EMAIL), &r);
	char cid[32];
	snprintf(cid, sizeof(cid), "%s", tracking_of(&r));
	resp_free(&r);
	post(&sv, "/api/v1/audits", "application/json",
	     AUDIT(",\"sha256\":\"0f3c0f3c0f3c0f3c0f3c0f3c0f3c0f3c"
		   "0f3c0f3c0f3c0f3c0f3c0f3c0f3c0f3c\""),
	     &r);
	char aid[32];
	snprintf(aid, sizeof(aid), "%s", tracking_of(&r));
	resp_free(&r);
	post(&sv, "/api/v1/audits", "application/json", AUDIT(""), &r);
	char aid2[32];
	snprintf(aid2, sizeof(aid2), "%s", tracking_of(&r));
	resp_free(&r);

	struct buf out = BUF_INIT;
	static const char *const helps[] = { "serve", "corrections", "audits" };
	for (size_t i = 0; i < 3; i++) {
		char name[80];
		snprintf(name, sizeof(name), "%s --help exits 0", helps[i]);
		int hrc = cli(&out, "%s --help", helps[i]);
		check(hrc == 0 && has(out.data, "usage: cancelatlas"), name,
		      "exit %d", hrc);
	}
	int mrc = cli(&out, "corrections --db '%s/none.db' list", sv.dir);
	check(mrc == 1 && has(out.data, "no database"),
	      "a missing database is an error, not an empty queue",
	      "exit %d: %s", mrc, buf_cstr(&out));
	mrc = cli(&out, "corrections --db '%s' frobnicate", sv.db);
	check(mrc == 2, "an unknown action is a usage error", "exit %d", mrc);
	char common[700];
	snprintf(common, sizeof(common), "--data '%s' --db '%s'", sv.data,
		 sv.db);
	int rc = cli(&out, "corrections %s list --status pending", common);
	check(rc == 0 && has(out.data, cid) && has(out.data, "pending") &&
		      has(out.data, "refund_page"),
	      "corrections list shows the submission pending", "exit %d:\n%s",
	      rc, buf_cstr(&out));
	rc = cli(&out, "corrections %s show %s", common, cid);
	check(rc == 0 && has(out.data, SECRET_EMAIL) &&
		      has(out.data, "refund page moved"),
	      "corrections show gives the editor everything, email included",
	      "exit %d:\n%s", rc, buf_cstr(&out));
	rc = cli(&out, "corrections %s reject %s", common, cid);
	check(rc == 2, "reject without --reason is a usage error", "exit %d",
	      rc);
	rc = cli(&out, "corrections %s accept %s --reason 'The page moved.'",
		 common, cid);
	check(rc == 0 && has(out.data, "accepted") &&
		      has(out.data, "records/coursera.yaml") &&
		      has(out.data, "refund_page"),
	      "accept names the record file and field to change",
	      "exit %d:\n%s", rc, buf_cstr(&out));
	rc = cli(&out, "corrections %s accept %s", common, cid);
	check(rc == 1 && has(out.data, "already accepted"),
	      "a decision is final", "exit %d:\n%s", rc, buf_cstr(&out));
	rc = cli(&out, "corrections %s show %s", common, cid);
	check(rc == 0 && has(out.data, "accepted on") &&
		      has(out.data, "The page moved."),
	      "show gives the decision, its date and reason", "exit %d:\n%s",
	      rc, buf_cstr(&out));
	rc = cli(&out, "corrections %s show c-000000000000", common);
	check(rc == 1, "show of an unknown id exits 1", "exit %d", rc);
	char loc[80];
	snprintf(loc, sizeof(loc), "/api/v1/corrections/%s", cid);
	get(&sv, loc, &r);
	check(r.status == 200 && has(buf_cstr(&r.body), "\"accepted\"") &&
		      has(buf_cstr(&r.body), "The page moved.") &&
		      has(buf_cstr(&r.body), "\"decided\":\"") &&
		      !has(buf_cstr(&r.body), SECRET_EMAIL),
	      "the public status shows the decision, never the email", "%s",
	      buf_cstr(&r.body));
	resp_free(&r);

	/* Audits: accept prints a flow entry that `check` takes. */
	rc = cli(&out, "audits %s accept %s --reason 'Recording checked.'",
		 common, aid);
	const char *entry = has(out.data, "  - date: ")
				    ? strstr(out.data, "  - date: ")
				    : NULL;
	check(rc == 0 && entry && has(out.data, "tier: crowd_verified") &&
		      has(out.data, "sha256sum"),
	      "audits accept prints the flow entry and how to fetch the "
	      "evidence",
	      "exit %d:\n%s", rc, buf_cstr(&out));
	if (entry) {
		const char *end = strstr(entry, "\n\n");
		char dir[400], file[500];
		snprintf(dir, sizeof(dir), "%s/checkdata", sv.dir);
		sh("rm -rf '%s' && cp -r '%s' '%s'", dir, sv.data, dir);
		snprintf(file, sizeof(file), "%s/records/coursera.yaml", dir);
		FILE *f = fopen(file, "a");
		if (f) {
			fputs("flow:\n", f);
			fwrite(entry, 1,
			       end ? (size_t)(end - entry) + 1 : strlen(entry),
			       f);
			fclose(f);
		}
		struct buf chk = BUF_INIT;
		rc = cli(&chk, "check --data '%s'", dir);
		check(rc == 0, "the printed flow entry passes `check`",
		      "exit %d:\n%s", rc, buf_cstr(&chk));
		buf_free(&chk);
	}
	rc = cli(&out,
		 "audits %s reject %s --reason 'No recording at the URL.'",
		 common, aid2);
	check(rc == 0 && has(out.data, "rejected"), "audits reject logs it",
	      "exit %d:\n%s", rc, buf_cstr(&out));
	rc = cli(&out, "audits %s list", common);
	check(rc == 0 && has(out.data, "accepted") && has(out.data, "rejected"),
	      "audits list shows both decisions", "%s", buf_cstr(&out));
	snprintf(loc, sizeof(loc), "/api/v1/audits/%s", aid2);
	get(&sv, loc, &r);
	check(r.status == 200 && has(buf_cstr(&r.body), "\"rejected\"") &&
		      has(buf_cstr(&r.body), "No recording at the URL.") &&
		      !has(buf_cstr(&r.body), SECRET_EMAIL),
	      "an audit's rejection is public, its email is not", "%s",
	      buf_cstr(&r.body));
	resp_free(&r);
	rc = cli(&out, "corrections %s show %s", common, aid);
	check(rc == 1, "an audit id is not a correction id", "exit %d", rc);

	/* Decisions reach the public log at the next build. */
	kill(sv.pid, SIGHUP);
	wait_log(&sv, "now serving", 1);
	get(&sv, "/corrections/", &r);
	check(r.status == 200 && has(buf_cstr(&r.body), cid) &&
		      has(buf_cstr(&r.body), aid2) &&
		      has(buf_cstr(&r.body), "No recording at the URL.") &&
		      !has(buf_cstr(&r.body), SECRET_EMAIL),
	      "the rebuilt corrections page logs the decisions, no email",
	      "status %ld", r.status);
	resp_free(&r);
	buf_free(&out);
	check(server_stop(&sv, SIGTERM) == 0, "SIGTERM exits with status 0",
	      NULL);
}

/* A second server on the port of @sv: it fails with one line that says
 * why, in our words, and nothing from libmicrohttpd beside it. */
static void test_port_in_use(const struct server *sv)
{
	struct server second;
	server_prepare(&second, "second");
	/* Data with an error: checking it would say so. */
	sh("printf 'id: broken\\n' > '%s/records/broken.yaml'", second.data);
	char port[16];
	snprintf(port, sizeof(port), "%u", sv->port);
	const char *args[] = { "--port", port, NULL };
	check(server_start(&second, args) != 0,
	      "a second serve on a port in use does not start", NULL);
	char *log = read_all(second.err_log);
	char want[128];
	snprintf(want, sizeof(want),
		 "cancelatlas: cannot listen on 127.0.0.1 port %s: Address "
		 "already in use\n",
		 port);
	check(log && !strcmp(log, want),
	      "a port in use is said once, in one line, with the reason, "
	      "before the data is checked",
	      "stderr: %s", log ? log : "(none)");
	free(log);
	char site[320];
	snprintf(site, sizeof(site), "%s/site", second.dir);
	check(access(site, F_OK) != 0 && access(second.db, F_OK) != 0,
	      "a port in use is found before the build and the database",
	      "%s or %s exists", site, second.db);
}

/* serve --base-url builds with that address: every absolute link the
 * served site holds is on it, not on site.yaml's url. */
static void test_base_url(void)
{
	struct server sv;
	server_prepare(&sv, "staging");
	const char *args[] = { "--base-url", "http://127.0.0.1:9/", NULL };
	if (!check(server_start(&sv, args) == 0, "serve --base-url starts",
		   NULL))
		return;
	struct resp r = { 0 };
	get(&sv, "/robots.txt", &r);
	check(r.status == 200 &&
		      has(buf_cstr(&r.body),
			  "Sitemap: http://127.0.0.1:9/sitemap.xml\n"),
	      "serve --base-url: robots.txt names the sitemap on that address",
	      "%s", buf_cstr(&r.body));
	resp_free(&r);
	get(&sv, "/c/coursera/", &r);
	check(r.status == 200 &&
		      has(buf_cstr(&r.body),
			  "<link rel=\"canonical\" "
			  "href=\"http://127.0.0.1:9/c/coursera/\">") &&
		      !has(buf_cstr(&r.body), "cancelatlas.com"),
	      "serve --base-url: a record page's links are on that address",
	      NULL);
	resp_free(&r);
	server_stop(&sv, SIGTERM);
}

/* ---- PostgreSQL ------------------------------------------------------ */

/* The rows of @sql on pg_url (the first column of each), or NULL when it
 * fails; @n set to their number. Free with pg_rows_free(). */
static PGresult *pg_query(const char *sql)
{
	PGconn *c = PQconnectdb(pg_url);
	PGresult *r = NULL;
	if (PQstatus(c) == CONNECTION_OK) {
		PQclear(PQexec(c, "SET client_min_messages = warning"));
		r = PQexec(c, sql);
		ExecStatusType st = PQresultStatus(r);
		if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
			fprintf(stderr, "%s: %s", sql, PQresultErrorMessage(r));
			PQclear(r);
			r = NULL;
		}
	}
	PQfinish(c);
	return r;
}

/* A server on the PostgreSQL database, on an empty schema when @fresh. */
static bool pg_prepare(struct server *sv, const char *name, bool fresh)
{
	server_prepare(sv, name);
	snprintf(sv->db, sizeof(sv->db), "%s", pg_url);
	if (!fresh)
		return true;
	PGresult *r = pg_query("DROP SCHEMA public CASCADE; "
			       "CREATE SCHEMA public");
	PQclear(r);
	return r != NULL;
}

/* The write API, as on SQLite; a decision made with the command line
 * shows at once through a server. */
static void test_pg_writes(void)
{
	struct server sv;
	label = "postgresql: ";
	const char *args[] = { "--rate-limit", "0", NULL };
	if (check(pg_prepare(&sv, "pg-main", true) &&
			  server_start(&sv, args) == 0,
		  "serve --db postgresql://... starts", NULL)) {
		test_writes(&sv);
		check(server_stop(&sv, SIGTERM) == 0,
		      "SIGTERM exits with status 0", NULL);
	}
	label = "";
}

/* The number of the server's sessions waiting for a lock (@waiting) or
 * all of them, ended by the database's administrator when @end. */
static int pg_sessions(PGconn *admin, bool waiting, bool end)
{
	char sql[300];
	snprintf(sql, sizeof(sql),
		 "SELECT count(%s) FROM pg_stat_activity WHERE "
		 "application_name = 'cancelatlas'%s",
		 end ? "pg_terminate_backend(pid)" : "*",
		 waiting ? " AND wait_event_type = 'Lock'" : "");
	PGresult *r = PQexec(admin, sql);
	int n = PQresultStatus(r) == PGRES_TUPLES_OK ? atoi(PQgetvalue(r, 0, 0))
						     : -1;
	PQclear(r);
	return n;
}

/*
 * Another writer holding the table past --lock-timeout makes a POST 503
 * with Retry-After, as a locked SQLite file does, while reads go on; a
 * connection the database ends between requests is made again by the
 * next one, and one ended under a request in flight fails that request
 * with 503, keeping nothing.
 */
static void test_pg_lock_and_lost_connection(void)
{
	struct server sv;
	label = "postgresql: ";
	const char *args[] = { "--rate-limit", "0", "--lock-timeout", "1500",
			       NULL };
	if (!check(pg_prepare(&sv, "pg-lock", true) &&
			   server_start(&sv, args) == 0,
		   "serve --lock-timeout 1500 starts", NULL)) {
		label = "";
		return;
	}
	struct resp r;
	post(&sv, "/api/v1/corrections", "application/json",
	     CORRECTION("summary", "a@example.com"), &r);
	char loc[80];
	snprintf(loc, sizeof(loc), "/api/v1/corrections/%s", tracking_of(&r));
	resp_free(&r);
	PGconn *holder = PQconnectdb(pg_url), *admin = PQconnectdb(pg_url);
	PQclear(PQexec(holder,
		       "BEGIN; LOCK TABLE corrections IN EXCLUSIVE MODE"));
	double t0 = now_s();
	struct one_post p = { .sv = &sv };
	one_post_run(&p);
	double took = now_s() - t0;
	long read = get(&sv, loc, &r);
	resp_free(&r);
	check(p.status == 503 && *p.retry_after && took < 5 && read == 200,
	      "a POST while another writer holds the table past the lock "
	      "timeout is 503 with Retry-After; reads go on",
	      "status %ld in %.2f s, Retry-After '%s'; GET %ld", p.status, took,
	      p.retry_after, read);

	/* The writer's session ended while it waits for the lock. */
	struct one_post q = { .sv = &sv };
	pthread_t th;
	pthread_create(&th, NULL, one_post_run, &q);
	int ended = 0;
	for (int i = 0; i < 500 && !ended; i++) {
		ended = pg_sessions(admin, true, true);
		if (!ended)
			sleep_ms(2);
	}
	pthread_join(th, NULL);
	PQclear(PQexec(holder, "ROLLBACK"));
	PGresult *n = PQexec(admin, "SELECT count(*) FROM corrections");
	int rows = PQresultStatus(n) == PGRES_TUPLES_OK
			   ? atoi(PQgetvalue(n, 0, 0))
			   : -1;
	PQclear(n);
	check(ended == 1 && q.status == 503 && rows == 1,
	      "a write whose connection is lost in flight is 503 and keeps "
	      "nothing",
	      "ended %d; status %ld; %d rows", ended, q.status, rows);

	/* Every session ended between requests: the next ones connect. */
	int all = pg_sessions(admin, false, true);
	long st = post(&sv, "/api/v1/corrections", "application/json",
		       CORRECTION("summary", "a@example.com"), &r);
	resp_free(&r);
	read = get(&sv, loc, &r);
	resp_free(&r);
	check(all >= 1 && st == 202 && read == 200,
	      "after the database ends every session, the next write and "
	      "read connect again",
	      "%d ended; POST %ld, GET %ld", all, st, read);
	PQfinish(holder);
	PQfinish(admin);
	check(server_stop(&sv, SIGTERM) == 0, "SIGTERM exits with status 0",
	      NULL);
	label = "";
}

enum { FLOOD_CLIENTS = 4, FLOOD_EACH = 100 };

/* Writes sent one after another to both servers, in turn, from one of
 * several threads. */
struct flood {
	const struct server *sv[2];
	pthread_mutex_t *lock;
	atomic_int *answered; /* by every thread */
	/* under @lock, shared by every thread */
	char (*acked)[32];
	int *nacked;
	int acked_by[2];
	int refused; /* answered, but not 202 */
};

static void *flood_run(void *arg)
{
	struct flood *f = arg;
	const char *h[] = { "Content-Type: application/json", "Expect:", NULL };
	const char *body = CORRECTION("summary", "a@example.com");
	CURL *c[2] = { curl_easy_init(), curl_easy_init() };
	for (int i = 0; i < FLOOD_EACH; i++) {
		int to = i % 2;
		struct req q = { .method = "POST",
				 .path = "/api/v1/corrections",
				 .headers = h,
				 .body = body,
				 .body_len = strlen(body),
				 .reuse = c[to] };
		struct resp r;
		long status = http(f->sv[to], &q, &r);
		atomic_fetch_add(f->answered, 1);
		pthread_mutex_lock(f->lock);
		if (status == 202 && tracking_of(&r)[0] == 'c') {
			snprintf(f->acked[*f->nacked], 32, "%s",
				 tracking_of(&r));
			++*f->nacked;
			f->acked_by[to]++;
		} else if (status > 0) {
			f->refused++;
		}
		pthread_mutex_unlock(f->lock);
		resp_free(&r);
	}
	curl_easy_cleanup(c[0]);
	curl_easy_cleanup(c[1]);
	return NULL;
}

/* Wait until @n answers are in, or a minute (scaled) has gone. */
static void wait_answers(atomic_int *answered, int n)
{
	double deadline = now_s() + 60 * slow;
	while (atomic_load(answered) < n && now_s() < deadline)
		sleep_ms(5);
}

/*
 * Two servers behind one imaginary load balancer, on one PostgreSQL: a
 * submission made through one is read through the other, a decision
 * made by an editor shows through both; then several clients send
 * hundreds of writes to both while one server and then the other is
 * killed with SIGKILL: every write answered 202 is in the database, once.
 */
static void test_pg_two_servers(void)
{
	struct server a, b;
	label = "postgresql: ";
	const char *args[] = { "--rate-limit", "0", NULL };
	bool fresh = pg_prepare(&a, "pg-a", true);
	pg_prepare(&b, "pg-b", false);
	if (!check(fresh && server_start(&a, args) == 0 &&
			   server_start(&b, args) == 0,
		   "two servers start on one database", NULL)) {
		server_stop(&a, SIGKILL);
		label = "";
		return;
	}
	struct resp r;
	post(&a, "/api/v1/corrections", "application/json",
	     CORRECTION("refund_page", "a@example.com"), &r);
	char id[32], loc[80];
	snprintf(id, sizeof(id), "%s", tracking_of(&r));
	snprintf(loc, sizeof(loc), "/api/v1/corrections/%s", id);
	resp_free(&r);
	get(&b, loc, &r);
	check(r.status == 200 && has(buf_cstr(&r.body), "\"pending\""),
	      "a submission made through one server is read through the "
	      "other",
	      "status %ld: %s", r.status, buf_cstr(&r.body));
	resp_free(&r);
	struct buf out = BUF_INIT;
	int rc = cli(&out, "corrections --data '%s' --db '%s' accept %s",
		     a.data, pg_url, id);
	get(&a, loc, &r);
	struct resp r2;
	get(&b, loc, &r2);
	check(rc == 0 && has(buf_cstr(&r.body), "\"accepted\"") &&
		      has(buf_cstr(&r2.body), "\"accepted\""),
	      "an editor's decision shows at once through both servers",
	      "exit %d: %s\nA: %s\nB: %s", rc, buf_cstr(&out),
	      buf_cstr(&r.body), buf_cstr(&r2.body));
	resp_free(&r);
	resp_free(&r2);
	rc = cli(&out,
		 "corrections --data '%s' --db '%s' reject %s --reason "
		 "Again.",
		 a.data, pg_url, id);
	check(rc == 1 && has(buf_cstr(&out), "final"),
	      "a decision is final across the shared database", "exit %d: %s",
	      rc, buf_cstr(&out));
	rc = cli(&out,
		 "build --data '%s' --out '%s/site2' --templates '%s' --db "
		 "'%s'",
		 a.data, a.dir, templates, pg_url);
	char page[400];
	snprintf(page, sizeof(page), "%s/site2/corrections/index.html", a.dir);
	char *html = read_all(page);
	check(rc == 0 && has(html, id),
	      "build --db postgresql://... puts the decision in the public log",
	      "exit %d: %s", rc, buf_cstr(&out));
	free(html);
	rc = cli(&out, "stale --data '%s' --db '%s'", a.data, pg_url);
	check(rc == 0 && !has(buf_cstr(&out), "no database"),
	      "stale --db postgresql://... reads the monitor's tables there",
	      "exit %d: %s", rc, buf_cstr(&out));

	/* The flood: kill A a third of the way, B at two thirds. */
	enum { TOTAL = FLOOD_CLIENTS * FLOOD_EACH };
	static char acked[TOTAL][32];
	int nacked = 0;
	atomic_int answered = 0;
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	struct flood fl = { .sv = { &a, &b },
			    .lock = &lock,
			    .answered = &answered,
			    .acked = acked,
			    .nacked = &nacked };
	pthread_t th[FLOOD_CLIENTS];
	for (int i = 0; i < FLOOD_CLIENTS; i++)
		pthread_create(&th[i], NULL, flood_run, &fl);
	wait_answers(&answered, TOTAL / 3);
	int sig_a = server_stop(&a, SIGKILL);
	pthread_mutex_lock(&lock);
	int acked_a = fl.acked_by[0];
	pthread_mutex_unlock(&lock);
	wait_answers(&answered, 2 * TOTAL / 3);
	/* What A acknowledged is read through B, which still runs. */
	int readable = 0, tried = 0;
	pthread_mutex_lock(&lock);
	int upto = nacked;
	pthread_mutex_unlock(&lock);
	for (int i = 0; i < upto && tried < 40; i++, tried++) {
		snprintf(loc, sizeof(loc), "/api/v1/corrections/%.31s",
			 acked[i]);
		readable += get(&b, loc, &r) == 200;
		resp_free(&r);
	}
	int sig_b = server_stop(&b, SIGKILL);
	for (int i = 0; i < FLOOD_CLIENTS; i++)
		pthread_join(th[i], NULL);
	check(sig_a == 128 + SIGKILL && sig_b == 128 + SIGKILL &&
		      acked_a > 20 && fl.acked_by[1] > acked_a,
	      "both servers took writes at once, then were killed with -9",
	      "exits %d %d; 202s: A %d, B %d; refused %d", sig_a, sig_b,
	      fl.acked_by[0], fl.acked_by[1], fl.refused);
	check(tried > 0 && readable == tried,
	      "what one server acknowledged is read through the other",
	      "%d of %d", readable, tried);

	PGresult *rows = pg_query("SELECT tracking FROM corrections");
	int missing = 0, stored = rows ? PQntuples(rows) : -1;
	for (int i = 0; rows && i < nacked; i++) {
		bool found = false;
		for (int j = 0; j < stored && !found; j++)
			found = !strcmp(PQgetvalue(rows, j, 0), acked[i]);
		missing += !found;
	}
	PQclear(rows);
	check(rows && missing == 0,
	      "every write answered 202 by either server is stored",
	      "%d of %d missing", missing, nacked);
	PGresult *dup = pg_query("SELECT count(*) - count(DISTINCT tracking) "
				 "FROM corrections");
	check(dup && !strcmp(PQgetvalue(dup, 0, 0), "0") && stored > nacked,
	      "no tracking id is stored twice",
	      "%s duplicates; %d rows, %d acknowledged",
	      dup ? PQgetvalue(dup, 0, 0) : "?", stored, nacked);
	PQclear(dup);
	printf("# flood on two servers: %d POSTs, 202 from A %d (killed at "
	       "%d), from B %d; %d refused; %d rows stored\n",
	       TOTAL, fl.acked_by[0], acked_a, fl.acked_by[1], fl.refused,
	       stored);
	buf_free(&out);
	label = "";
}

/* The reads and the refused paths again, from a server that never walks
 * its folder but looks each file up when asked for. */
static void test_no_walk(void)
{
	struct server sv;
	server_prepare(&sv, "no-walk");
	const char *args[] = { "--no-walk", "--rate-limit", "0", NULL };
	if (!check(server_start(&sv, args) == 0, "serve --no-walk starts",
		   NULL))
		return;
	label = "no-walk: ";
	test_reads(&sv);
	test_traversal(&sv);
	label = "";
	char *err = read_all(sv.err_log);
	check(err && !strstr(err, "indexed "),
	      "serve --no-walk never indexes the whole folder", "%s",
	      err ? err : "(nothing)");
	free(err);
	check(server_stop(&sv, SIGTERM) == 0,
	      "serve --no-walk: SIGTERM exits with status 0", NULL);
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: test_http BIN DATA_DIR TEMPLATES_DIR "
				"WORK_DIR\n");
		return 2;
	}
	bin = argv[1];
	data_src = argv[2];
	templates = argv[3];
	work = argv[4];
	/* build/tests/http/test_http: the tools are in build/tests. */
	const char *slash = strrchr(argv[0], '/');
	snprintf(flood_bin, sizeof(flood_bin), "%.*s/../slowflood",
		 slash ? (int)(slash - argv[0]) : 1, slash ? argv[0] : ".");
	const char *wrap = getenv("TEST_WRAPPER");
	if (wrap && strstr(wrap, "valgrind"))
		slow = 10;
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_ALL);

	struct server sv;
	server_prepare(&sv, "main");
	/* Many writes from one address: the limit is tested on its own. */
	const char *args[] = { "--rate-limit", "0", NULL };
	if (check(server_start(&sv, args) == 0,
		  "serve starts and prints its URL", NULL)) {
		char *out = read_all(sv.out_log);
		check(has(out, "serving http://127.0.0.1:") &&
			      has(out, " files, ") && has(out, " MiB, ") &&
			      has(out, " record"),
		      "the startup line gives the URL, files, size and records",
		      "%s", out ? out : "(none)");
		free(out);
		test_reads(&sv);
		test_traversal(&sv);
		test_request_lines(&sv);
		test_writes(&sv);
		test_port_in_use(&sv);
		check(server_stop(&sv, SIGTERM) == 0,
		      "SIGTERM exits with status 0", NULL);
	}
	test_no_walk();
	test_rate_limit();
	test_trust_proxy();
	test_store_failures();
	test_kill_and_concurrency();
	test_write_lock();
	test_lock_timeout_and_stop();
	test_signals();
	test_files();
	test_review();
	test_base_url();
	test_head_deadline();
	test_flood_deadline();
	test_slow_flood();
	pg_url = getenv("CANCELATLAS_TEST_PG");
	if (pg_url && *pg_url) {
		test_pg_writes();
		test_pg_lock_and_lost_connection();
		test_pg_two_servers();
	} else {
		nrun++;
		printf("ok %d - postgresql: the write API and two servers on "
		       "one database # SKIP postgresql not installed\n",
		       nrun);
	}
	curl_global_cleanup();
	printf("1..%d\n", nrun);
	return nfailed ? 1 : 0;
}
