/*
 * fetch.c - the monitor's HTTP client, one libcurl easy handle.
 *
 * A handle is reused for every request so connections to a host are kept
 * alive, as a browser would, which costs the sites less. Redirects are
 * not followed here: the monitor follows them one hop at a time so that
 * each hop is recorded and each new host's robots.txt and delay are
 * honoured. The body is kept only up to the cap; curl decodes any
 * compression first, so the cap bounds memory whatever the server sends.
 * The cookie engine is never switched on, so nothing is remembered
 * between requests.
 */
#include "fetch.h"
#include "internal.h"

#include <ctype.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct fetch {
	CURL *curl;
	struct fetch_opts o;
	char *user_agent;
	char error[CURL_ERROR_SIZE];
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static bool curl_ready;

static void curl_start(void)
{
	curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

struct fetch *fetch_new(const struct fetch_opts *o)
{
	pthread_once(&curl_once, curl_start);
	if (!curl_ready)
		return NULL;
	CURL *curl = curl_easy_init();
	if (!curl)
		return NULL;
	struct fetch *f = xcalloc(1, sizeof(*f));
	f->curl = curl;
	f->o = *o;
	f->user_agent = xstrdup(o->user_agent ? o->user_agent : "");
	return f;
}

void fetch_free(struct fetch *f)
{
	if (!f)
		return;
	curl_easy_cleanup(f->curl);
	free(f->user_agent);
	free(f);
}

struct sink {
	struct fetch_result *r;
	size_t max;
};

static size_t on_body(char *data, size_t size, size_t n, void *user)
{
	struct sink *s = user;
	size_t len = size * n, room = s->max - s->r->body.len;
	if (len > room) {
		buf_put(&s->r->body, data, room);
		s->r->truncated = true;
		return 0; /* stops the transfer: the rest is not wanted */
	}
	buf_put(&s->r->body, data, len);
	return len;
}

static char *header_value(CURL *curl, const char *name)
{
	struct curl_header *h = NULL;
	if (curl_easy_header(curl, name, 0, CURLH_HEADER, -1, &h) !=
		    CURLHE_OK ||
	    !h->value)
		return NULL;
	return xstrdup(h->value);
}

static bool http_scheme(const char *url)
{
	return !strncasecmp(url, "http://", 7) ||
	       !strncasecmp(url, "https://", 8);
}

void fetch_get(struct fetch *f, const char *url, const char *etag,
	       const char *last_modified, struct fetch_result *out)
{
	memset(out, 0, sizeof(*out));
	if (!http_scheme(url)) {
		out->error = xstrdup("not an http:// or https:// URL");
		return;
	}
	CURL *c = f->curl;
	curl_easy_reset(c);
	struct sink sink = { out, f->o.max_bytes };
	struct curl_slist *headers = NULL;
	struct buf h = BUF_INIT;
	if (etag) {
		buf_printf(&h, "If-None-Match: %s", etag);
		headers = curl_slist_append(headers, h.data);
	}
	if (last_modified) {
		buf_reset(&h);
		buf_printf(&h, "If-Modified-Since: %s", last_modified);
		headers = curl_slist_append(headers, h.data);
	}
	buf_free(&h);
	f->error[0] = '\0';
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, f->user_agent);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, f->o.connect_timeout_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, f->o.timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, f->error);
	CURLcode rc = curl_easy_perform(c);
	curl_slist_free_all(headers);
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && out->truncated)) {
		out->timed_out = rc == CURLE_OPERATION_TIMEDOUT;
		out->error = xstrdup(out->timed_out ? "timed out"
				     : f->error[0]  ? f->error
						    : curl_easy_strerror(rc));
		buf_free(&out->body);
		out->truncated = false;
		return;
	}
	out->status = status;
	char *s = NULL;
	if (status >= 300 && status < 400 &&
	    curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &s) == CURLE_OK && s)
		out->location = xstrdup(s);
	s = NULL;
	if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &s) == CURLE_OK && s)
		out->content_type = xstrdup(s);
	out->etag = header_value(c, "ETag");
	out->last_modified = header_value(c, "Last-Modified");
}

void fetch_result_free(struct fetch_result *r)
{
	if (!r)
		return;
	free(r->error);
	free(r->location);
	free(r->content_type);
	free(r->etag);
	free(r->last_modified);
	buf_free(&r->body);
	memset(r, 0, sizeof(*r));
}

char *fetch_media_type(const char *content_type)
{
	if (!content_type)
		return xstrdup("");
	size_t len = strcspn(content_type, ";");
	while (len && isspace((unsigned char)content_type[len - 1]))
		len--;
	char *t = xstrndup(content_type, len);
	for (char *p = t; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return t;
}

char *fetch_charset(const char *content_type)
{
	for (const char *p = content_type ? strchr(content_type, ';') : NULL; p;
	     p = strchr(p + 1, ';')) {
		const char *k = p + 1;
		while (*k == ' ' || *k == '\t')
			k++;
		if (strncasecmp(k, "charset=", 8))
			continue;
		k += 8;
		if (*k == '"')
			k++;
		size_t len = strcspn(k, "\"; \t");
		return len ? xstrndup(k, len) : NULL;
	}
	return NULL;
}
