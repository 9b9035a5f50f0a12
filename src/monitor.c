/*
 * monitor.c - fetch the pages records cite and report their changes.
 *
 * A run walks the distinct URLs in the order records cite them, one
 * request at a time. Each host has an entry with its robots.txt rules
 * (read the first time the host is met) and the time of its last
 * request, which sets the wait before the next. Redirects are followed
 * hop by hop, so each new host is asked for its robots.txt and waited
 * for like any other. What a run learns goes to the store at once, one
 * transaction per page, so an interrupted run keeps what it fetched.
 * The report is separate and reads only the store (src/pagestate.c), so
 * it says the same thing whether the pages were fetched now or before.
 */
#include "monitor.h"
#include "arena.h"
#include "date.h"
#include "fetch.h"
#include "hash.h"
#include "htmltext.h"
#include "internal.h"
#include "pagestate.h"
#include "robots.h"
#include "worddiff.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MONITOR_VERSION "1.0"

/* What robots.txt files may hold that is read (RFC 9309 asks for at
 * least 500 KiB). */
#define ROBOTS_MAX_BYTES (512u << 10)

/* The word diff in a report: at most this many runs of this many bytes. */
#define REPORT_RUNS  8
#define REPORT_CHARS 160

char *monitor_user_agent(const struct site_info *site, char **token)
{
	struct buf b = BUF_INIT;
	const char *name = site && site->name.s ? site->name.s : "";
	for (const char *p = name; *p; p++)
		if (isalnum((unsigned char)*p))
			buf_putc(&b, *p);
	if (!b.len)
		buf_puts(&b, "CancelAtlas");
	buf_puts(&b, "-monitor");
	if (token)
		*token = xstrdup(b.data);
	buf_printf(&b, "/%s", MONITOR_VERSION);
	const char *url = site && site->url.s ? site->url.s : NULL;
	const char *contact = site && site->contact.s ? site->contact.s : NULL;
	if (url || contact)
		buf_printf(&b, " (%s%s%s%s)", url ? "+" : "", url ? url : "",
			   url && contact ? "; " : "", contact ? contact : "");
	return buf_detach(&b, NULL);
}

/* ---- a map from strings to indexes ---------------------------------- */

/* Open addressing over borrowed keys: a run meets every URL and host
 * once, and 100,000 records cite some 400,000 URLs. */
struct index_map {
	const char **keys;
	size_t *vals;
	size_t cap, n;
};

static size_t map_probe(const struct index_map *m, const char *key)
{
	size_t i = hash_str(key) & (m->cap - 1);
	while (m->keys[i] && strcmp(m->keys[i], key))
		i = (i + 1) & (m->cap - 1);
	return i;
}

/* The value of @key, or SIZE_MAX. */
static size_t map_get(const struct index_map *m, const char *key)
{
	if (!m->cap)
		return SIZE_MAX;
	size_t i = map_probe(m, key);
	return m->keys[i] ? m->vals[i] : SIZE_MAX;
}

static void map_put(struct index_map *m, const char *key, size_t val)
{
	if (2 * (m->n + 1) > m->cap) {
		struct index_map old = *m;
		m->cap = old.cap ? 2 * old.cap : 64;
		m->keys = xcalloc(m->cap, sizeof(*m->keys));
		m->vals = xcalloc(m->cap, sizeof(*m->vals));
		m->n = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.keys[i])
				map_put(m, old.keys[i], old.vals[i]);
		free(old.keys);
		free(old.vals);
	}
	size_t i = map_probe(m, key);
	if (!m->keys[i])
		m->n++;
	m->keys[i] = key;
	m->vals[i] = val;
}

static void map_free(struct index_map *m)
{
	free(m->keys);
	free(m->vals);
}

/* ---- hosts ----------------------------------------------------------- */

struct host {
	char *key; /* "https://example.com:443" */
	struct robots *robots;
	char *broken;	 /* why its pages cannot be reached, or NULL */
	char *unchecked; /* why its pages may not be fetched, or NULL */
	struct timespec last;
	bool requested;
};

struct run {
	struct store *s;
	const struct monitor_opts *o;
	struct fetch *f;
	char *agent; /* the product token */
	struct host **hosts;
	size_t nhosts;
	struct index_map by_key; /* host key to index in @hosts */
};

/* The parts of @url a run needs: its host key and its path and query. */
static bool url_split(const char *url, char **key, char **path)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *p = NULL, *q = NULL;
	bool ok = u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
		  curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
		  curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
		  curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) ==
			  CURLUE_OK &&
		  curl_url_get(u, CURLUPART_PATH, &p, 0) == CURLUE_OK;
	if (ok && (strcmp(scheme, "http") && strcmp(scheme, "https")))
		ok = false;
	if (ok) {
		curl_url_get(u, CURLUPART_QUERY, &q, 0);
		struct buf b = BUF_INIT;
		buf_printf(&b, "%s://%s:%s", scheme, host, port);
		for (char *c = b.data; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		*key = buf_detach(&b, NULL);
		buf_printf(&b, "%s%s%s", p, q ? "?" : "", q ? q : "");
		*path = buf_detach(&b, NULL);
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(p);
	curl_free(q);
	curl_url_cleanup(u);
	return ok;
}

static long ms_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)((now.tv_sec - t->tv_sec) * 1000 +
		      (now.tv_nsec - t->tv_nsec) / 1000000);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
	while (ms > 0 && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Wait until the host's last answer is @o->delay_ms old: the delay runs
 * from the end of one request to the start of the next. */
static void host_wait(struct run *r, struct host *h)
{
	if (!h->requested)
		return;
	long left = r->o->delay_ms - ms_since(&h->last);
	if (left > 0)
		sleep_ms(left);
}

/* One GET to a host, waiting for its turn, with retries after a network
 * error or a 5xx, each after twice the wait of the one before. */
static void host_get(struct run *r, struct host *h, const char *url,
		     const char *etag, const char *last_modified,
		     struct fetch_result *out)
{
	long backoff = r->o->delay_ms;
	for (int attempt = 0;; attempt++) {
		host_wait(r, h);
		fetch_get(r->f, url, etag, last_modified, out);
		clock_gettime(CLOCK_MONOTONIC, &h->last);
		h->requested = true;
		if (r->o->log && out->error)
			fprintf(r->o->log, "monitor: GET %s: %s\n", url,
				out->error);
		else if (r->o->log)
			fprintf(r->o->log, "monitor: GET %s: %ld\n", url,
				out->status);
		bool again = out->error || out->status >= 500;
		if (!again || attempt >= r->o->retries)
			return;
		fetch_result_free(out);
		backoff *= 2;
		/* host_wait() adds the plain delay. */
		sleep_ms(backoff - r->o->delay_ms);
	}
}

/* Read the host's robots.txt (following up to five redirects) into its
 * entry: rules, or why its pages are broken or may not be fetched. */
static void host_robots(struct run *r, struct host *h)
{
	struct buf url = BUF_INIT;
	buf_printf(&url, "%s/robots.txt", h->key);
	struct fetch_result res;
	host_get(r, h, url.data, NULL, NULL, &res);
	for (int hop = 0; hop < MONITOR_MAX_REDIRECTS && res.location; hop++) {
		char *next = xstrdup(res.location);
		fetch_result_free(&res);
		host_get(r, h, next, NULL, NULL, &res);
		free(next);
	}
	struct buf why = BUF_INIT;
	if (res.error && !res.timed_out) {
		buf_printf(&why, "cannot reach %s: %s", h->key, res.error);
		h->broken = buf_detach(&why, NULL);
	} else if (res.error || res.status >= 500 || res.location) {
		/* RFC 9309 2.3.1.3-4: unreachable means disallowed. */
		buf_printf(&why,
			   "robots.txt could not be read (%s), so every page "
			   "of the host is taken as disallowed",
			   res.error	      ? res.error
			   : res.location     ? "too many redirects"
			   : res.status < 600 ? "a server error"
					      : "an odd status");
		h->unchecked = buf_detach(&why, NULL);
		h->robots = robots_disallow_all();
	} else if (res.status >= 200 && res.status < 300) {
		h->robots = robots_parse(res.body.data, res.body.len, r->agent);
	} else {
		/* 4xx: no rules at all. */
		h->robots = robots_parse(NULL, 0, r->agent);
	}
	fetch_result_free(&res);
	buf_free(&url);
}

static struct host *host_find(struct run *r, const char *key)
{
	size_t i = map_get(&r->by_key, key);
	if (i != SIZE_MAX)
		return r->hosts[i];
	r->hosts = xrealloc(r->hosts, (r->nhosts + 1) * sizeof(*r->hosts));
	struct host *h = xcalloc(1, sizeof(*h));
	r->hosts[r->nhosts] = h;
	h->key = xstrdup(key);
	map_put(&r->by_key, h->key, r->nhosts++);
	host_robots(r, h);
	return h;
}

/* ---- one page -------------------------------------------------------- */

/* GLib is linked already, for the share images' text (pango). */
static void sha256_hex(const void *data, size_t len, char out[65])
{
	gchar *hex = g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, len);
	snprintf(out, 65, "%s", hex ? hex : "");
	g_free(hex);
}

/* What one page's fetch comes to, for the store. */
struct outcome {
	const char *kind; /* "ok", "broken", "unchecked" */
	struct buf detail;
};

static void say(struct outcome *oc, const char *kind, const char *fmt, ...)
	ATLAS_PRINTF(3, 4);

static void say(struct outcome *oc, const char *kind, const char *fmt, ...)
{
	oc->kind = kind;
	buf_reset(&oc->detail);
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&oc->detail, fmt, ap);
	va_end(ap);
}

/* Add how many attempts a failure took, when it was retried. */
static void attempts(struct outcome *oc, const struct run *r)
{
	if (r->o->retries)
		buf_printf(&oc->detail, " after %d attempts",
			   r->o->retries + 1);
}

/* Store a page that answered 2xx: a new version, unless its text (or its
 * bytes) and final URL are those of @last, which is then marked seen. */
static int page_store(struct run *r, const char *url,
		      const struct store_page_version *last,
		      const char *final_url, const char *redirects,
		      const struct fetch_result *res, int64_t now,
		      struct buf *err)
{
	char *type = fetch_media_type(res->content_type);
	struct buf text = BUF_INIT;
	bool has_text = true;
	if (!strcmp(type, "text/html") ||
	    !strcmp(type, "application/xhtml+xml")) {
		char *charset = fetch_charset(res->content_type);
		if (htmltext_extract(res->body.data ? res->body.data : "",
				     res->body.len, charset, &text) != 0)
			has_text = false;
		free(charset);
	} else if (!strcmp(type, "text/plain")) {
		buf_put(&text, res->body.data ? res->body.data : "",
			res->body.len);
	} else {
		has_text = false;
	}
	char sha[65];
	if (has_text)
		sha256_hex(text.data ? text.data : "", text.len, sha);
	else
		sha256_hex(res->body.data ? res->body.data : "", res->body.len,
			   sha);
	int rc;
	if (last && !strcmp(last->sha256, sha) &&
	    !strcmp(last->final_url, final_url)) {
		rc = store_page_version_seen(r->s, last->id, now, err);
	} else {
		struct store_page_version v = {
			.url = url,
			.fetched = now,
			.checked = now,
			.http_status = (int)res->status,
			.final_url = final_url,
			.redirects = redirects,
			.content_type = type,
			.etag = res->etag,
			.last_modified = res->last_modified,
			.truncated = res->truncated,
			.sha256 = sha,
		};
		rc = store_page_version_add(
			r->s, &v,
			has_text ? (text.data ? text.data : "") : NULL,
			text.len, NULL, err);
	}
	buf_free(&text);
	free(type);
	return rc;
}

/* Fetch one URL, following its redirects, and store the outcome. */
static int page_check(struct run *r, const char *url, struct buf *err)
{
	struct arena *a = arena_new();
	struct store_page_version *versions;
	size_t nv;
	if (store_page_versions(r->s, url, a, &versions, &nv, err) != 0) {
		arena_free(a);
		return -1;
	}
	const struct store_page_version *last = nv ? &versions[nv - 1] : NULL;
	struct outcome oc = { "ok", BUF_INIT };
	struct buf hops = BUF_INIT;
	char *cur = xstrdup(url);
	int64_t now = date_now();
	int rc = 0;
	for (int hop = 0;; hop++) {
		char *key = NULL, *path = NULL;
		if (!url_split(cur, &key, &path)) {
			say(&oc, "broken", "%s%s is not an http or https URL",
			    hop ? "redirected to " : "", cur);
			break;
		}
		struct host *h = host_find(r, key);
		const char *rule = NULL;
		free(key);
		bool allowed = !h->broken && !h->unchecked &&
			       robots_allowed(h->robots, path, &rule);
		free(path);
		if (h->broken) {
			say(&oc, "broken", "%s", h->broken);
			break;
		}
		if (!allowed) {
			if (h->unchecked)
				say(&oc, "unchecked", "%s", h->unchecked);
			else
				say(&oc, "unchecked",
				    "disallowed by robots.txt (%s)%s%s",
				    rule ? rule : "", hop ? " at " : "",
				    hop ? cur : "");
			break;
		}
		/* Validators apply to the URL that gave them. */
		bool same = last && !strcmp(last->final_url, cur);
		struct fetch_result res;
		host_get(r, h, cur, same ? last->etag : NULL,
			 same ? last->last_modified : NULL, &res);
		if (res.error) {
			say(&oc, "broken", "%s", res.error);
			attempts(&oc, r);
		} else if (res.location && hop == MONITOR_MAX_REDIRECTS) {
			say(&oc, "broken", "more than %d redirects",
			    MONITOR_MAX_REDIRECTS);
		} else if (res.location) {
			buf_printf(&hops, "%s%ld %s -> %s",
				   hops.len ? "\n" : "", res.status, cur,
				   res.location);
			free(cur);
			cur = xstrdup(res.location);
			fetch_result_free(&res);
			continue;
		} else if (res.status == 304 && same) {
			rc = store_page_version_seen(r->s, last->id, now, err);
		} else if (res.status >= 200 && res.status < 300) {
			rc = page_store(r, url, last, cur, buf_cstr(&hops),
					&res, now, err);
		} else {
			say(&oc, "broken", "HTTP %ld", res.status);
			if (res.status >= 500)
				attempts(&oc, r);
		}
		fetch_result_free(&res);
		break;
	}
	if (rc == 0) {
		struct store_page_check c = { url, now, oc.kind,
					      oc.detail.len ? oc.detail.data
							    : NULL };
		rc = store_page_check_set(r->s, &c, err);
	}
	free(cur);
	buf_free(&hops);
	buf_free(&oc.detail);
	arena_free(a);
	return rc;
}

int monitor_run(struct store *s, const struct record *const *records, size_t n,
		const struct monitor_opts *o, struct buf *err)
{
	struct run r = { .s = s, .o = o };
	char *ua = monitor_user_agent(o->site, &r.agent);
	long connect = o->timeout_ms < MONITOR_CONNECT_TIMEOUT_MS
			       ? o->timeout_ms
			       : MONITOR_CONNECT_TIMEOUT_MS;
	struct fetch_opts fo = { ua, connect, o->timeout_ms, o->max_bytes };
	r.f = fetch_new(&fo);
	int rc = 0;
	if (!r.f) {
		buf_printf(err, "cannot start libcurl");
		rc = -1;
	}
	/* Each URL once, in the order records cite them. */
	struct arena *a = arena_new();
	struct index_map seen = { 0 };
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct pagestate_cited *cited;
		size_t nc = pagestate_cited(records[i], a, &cited);
		for (size_t j = 0; rc == 0 && j < nc; j++) {
			if (map_get(&seen, cited[j].url) != SIZE_MAX)
				continue;
			map_put(&seen, cited[j].url, 0);
			rc = page_check(&r, cited[j].url, err);
		}
	}
	map_free(&seen);
	arena_free(a);
	for (size_t i = 0; i < r.nhosts; i++) {
		free(r.hosts[i]->key);
		robots_free(r.hosts[i]->robots);
		free(r.hosts[i]->broken);
		free(r.hosts[i]->unchecked);
		free(r.hosts[i]);
	}
	free(r.hosts);
	map_free(&r.by_key);
	fetch_free(r.f);
	free(r.agent);
	free(ua);
	return rc;
}

/* ---- the report ------------------------------------------------------ */

static const char *day_of(int64_t t, char out[DATE_TIME_SIZE])
{
	date_format_time(t, DATE_TIME_RFC3339, out);
	out[DATE_ISO_LEN] = '\0';
	return out;
}

/* The word diff between the baseline and the newest version of @p, when
 * both keep a text. Returns: 0 with @d filled, 1 when there is none to
 * show, -1 with @err set. */
static int page_diff(struct store *s, const struct pagestate *p,
		     struct worddiff *d, struct buf *err)
{
	if (!p->baseline || !p->newest || p->baseline == p->newest ||
	    !p->baseline->has_text || !p->newest->has_text)
		return 1;
	struct buf old_text = BUF_INIT, new_text = BUF_INIT;
	int rc = store_page_text(s, p->baseline->id, &old_text, err);
	if (rc == 0)
		rc = store_page_text(s, p->newest->id, &new_text, err);
	if (rc == 0)
		worddiff_compute(buf_cstr(&old_text), buf_cstr(&new_text), 0,
				 d);
	buf_free(&old_text);
	buf_free(&new_text);
	return rc;
}

/* Where the comparison starts, in words. */
static void put_baseline(struct buf *b, const struct pagestate *p,
			 const struct record *r)
{
	char day[DATE_TIME_SIZE], reviewed[DATE_ISO_LEN + 1];
	date_format(r->reviewed.days, reviewed);
	if (p->baseline_after_review)
		buf_printf(b,
			   "since the first fetch, %s (none is as old as the "
			   "review of %s)",
			   day_of(p->baseline->fetched, day), reviewed);
	else
		buf_printf(b, "since the review of %s (the copy of %s)",
			   reviewed, day_of(p->baseline->fetched, day));
}

static int report_text(struct store *s, const struct record *r,
		       const struct pagestate *v, size_t n, FILE *out,
		       struct buf *err)
{
	size_t flagged = 0;
	for (size_t i = 0; i < n; i++)
		flagged += pagestate_flagged(v[i].status);
	char reviewed[DATE_ISO_LEN + 1];
	date_format(r->reviewed.days, reviewed);
	fprintf(out, "%s (%s, reviewed %s): %zu cited page%s, ", r->id.s,
		r->name.s, reviewed, n, n == 1 ? "" : "s");
	if (flagged)
		fprintf(out, "%zu changed, moved or broken since the review\n",
			flagged);
	else
		fprintf(out, "none changed, moved or broken\n");
	struct buf b = BUF_INIT;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const struct pagestate *p = &v[i];
		buf_reset(&b);
		buf_printf(&b, "  %-9s  %s (%s)",
			   pagestate_status_str(p->status), p->url, p->role);
		if (p->status == PAGESTATE_MOVED)
			buf_printf(&b, ": now at %s", p->detail);
		else if (p->detail)
			buf_printf(&b, ": %s", p->detail);
		buf_putc(&b, '\n');
		if (p->newest && p->newest->truncated)
			buf_printf(&b,
				   "             the page was cut at the size "
				   "cap\n");
		if (p->status == PAGESTATE_CHANGED ||
		    p->status == PAGESTATE_MOVED) {
			buf_puts(&b, "             ");
			put_baseline(&b, p, r);
			buf_puts(&b, ":\n");
			struct worddiff d;
			int got = page_diff(s, p, &d, err);
			if (got == 0) {
				worddiff_put(&d, &b, "             ",
					     REPORT_RUNS, REPORT_CHARS);
				if (!d.nruns)
					buf_puts(&b, "             the text "
						     "is the same\n");
				worddiff_free(&d);
			} else if (got == 1) {
				buf_puts(&b,
					 "             not a text page: its "
					 "bytes changed\n");
			}
			rc = got < 0 ? -1 : 0;
		}
		fputs(buf_cstr(&b), out);
	}
	buf_free(&b);
	return rc;
}

static json_t *time_json(int64_t t)
{
	if (!t)
		return json_null();
	char when[DATE_TIME_SIZE];
	date_format_time(t, DATE_TIME_RFC3339, when);
	return json_string(when);
}

static json_t *words_json(const struct worddiff *d, bool added)
{
	json_t *a = json_array();
	for (size_t i = 0; i < d->nruns; i++)
		if (d->runs[i].added == added)
			json_array_append_new(a, json_string(d->runs[i].words));
	return a;
}

static json_t *redirects_json(const char *hops)
{
	json_t *a = json_array();
	while (hops && *hops) {
		size_t len = strcspn(hops, "\n");
		json_array_append_new(a, json_stringn(hops, len));
		hops += len + (hops[len] == '\n');
	}
	return a;
}

static int report_json(struct store *s, const struct record *r,
		       const struct pagestate *v, size_t n, json_t *records,
		       struct buf *err)
{
	char reviewed[DATE_ISO_LEN + 1];
	date_format(r->reviewed.days, reviewed);
	json_t *pages = json_array();
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const struct pagestate *p = &v[i];
		json_t *o = json_object();
		json_object_set_new(o, "url", json_string(p->url));
		json_object_set_new(o, "role", json_string(p->role));
		json_object_set_new(
			o, "status",
			json_string(pagestate_status_str(p->status)));
		json_object_set_new(o, "checked", time_json(p->checked));
		json_object_set_new(o, "detail",
				    p->detail ? json_string(p->detail)
					      : json_null());
		const struct store_page_version *nv = p->newest;
		json_object_set_new(o, "http_status",
				    nv ? json_integer(nv->http_status)
				       : json_null());
		json_object_set_new(o, "final_url",
				    nv ? json_string(nv->final_url)
				       : json_null());
		json_object_set_new(o, "redirects",
				    redirects_json(nv ? nv->redirects : NULL));
		json_object_set_new(o, "truncated",
				    json_boolean(nv && nv->truncated));
		json_object_set_new(o, "sha256",
				    nv ? json_string(nv->sha256) : json_null());
		json_t *base = json_null();
		if (p->baseline)
			base = json_pack("{s:o,s:b}", "fetched",
					 time_json(p->baseline->fetched),
					 "after_review",
					 p->baseline_after_review);
		json_object_set_new(o, "baseline", base);
		struct worddiff d;
		int got = 1;
		if (p->status == PAGESTATE_CHANGED ||
		    p->status == PAGESTATE_MOVED)
			got = page_diff(s, p, &d, err);
		json_object_set_new(o, "added",
				    got == 0 ? words_json(&d, true)
					     : json_array());
		json_object_set_new(o, "removed",
				    got == 0 ? words_json(&d, false)
					     : json_array());
		if (got == 0)
			worddiff_free(&d);
		rc = got < 0 ? -1 : 0;
		json_array_append_new(pages, o);
	}
	json_array_append_new(records,
			      json_pack("{s:s,s:s,s:s,s:o}", "id", r->id.s,
					"name", r->name.s, "reviewed", reviewed,
					"pages", pages));
	return rc;
}

int monitor_report(struct store *s, const struct record *const *records,
		   size_t n, bool json, FILE *out, struct buf *err)
{
	struct pagestate_db *db = pagestate_db_load(s, err);
	if (!db)
		return -1;
	struct arena *a = arena_new();
	size_t counts[PAGESTATE_BROKEN + 1] = { 0 };
	json_t *list = json ? json_array() : NULL;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct pagestate *v;
		size_t nv = pagestate_record(db, records[i], a, &v);
		for (size_t j = 0; j < nv; j++)
			counts[v[j].status]++;
		rc = json ? report_json(s, records[i], v, nv, list, err)
			  : report_text(s, records[i], v, nv, out, err);
		arena_reset(a);
	}
	size_t flagged = counts[PAGESTATE_CHANGED] + counts[PAGESTATE_MOVED] +
			 counts[PAGESTATE_BROKEN];
	if (rc == 0 && json) {
		json_t *c = json_object();
		for (int st = 0; st <= PAGESTATE_BROKEN; st++)
			json_object_set_new(
				c, pagestate_status_str(st),
				json_integer((json_int_t)counts[st]));
		json_t *root =
			json_pack("{s:o,s:o}", "records", list, "counts", c);
		list = NULL;
		json_dumpf(root, out, JSON_INDENT(2) | JSON_ENSURE_ASCII);
		fputc('\n', out);
		json_decref(root);
	} else if (rc == 0) {
		fprintf(out,
			"%zu record%s: %zu unchanged, %zu changed, %zu moved, "
			"%zu broken, %zu unchecked\n",
			n, n == 1 ? "" : "s", counts[PAGESTATE_UNCHANGED],
			counts[PAGESTATE_CHANGED], counts[PAGESTATE_MOVED],
			counts[PAGESTATE_BROKEN], counts[PAGESTATE_UNCHECKED]);
	}
	json_decref(list);
	arena_free(a);
	pagestate_db_free(db);
	if (rc)
		return -1;
	return flagged ? 1 : 0;
}
