/*
 * feed.c - the Atom feeds of changes: /feed.atom for the whole index and
 * /c/<id>/feed.atom for each record.
 *
 * The feeds announce changes: each committed version of a record is an
 * entry, with what changed and the editor's note. Without a history (no
 * repository, a shallow clone, a record not yet committed) a record's
 * review stands in for its versions, so a feed is never empty while the
 * record exists. Entry ids are tag: URIs (RFC 4151) on the site's host,
 * dated by the version, so they never change when the site is rebuilt.
 */
#include "feed.h"
#include "date.h"
#include "esc.h"
#include "fresh.h"
#include "history.h"
#include "internal.h"
#include "score.h"
#include "siteurl.h"

#include <stdlib.h>
#include <string.h>

/* The host of the site's base URL, for tag: URIs: "example.org". */
static bool put_site_host(struct buf *out, const struct site_info *si)
{
	const char *u = si->url.s ? si->url.s : "";
	const char *p = strstr(u, "://");
	p = p ? p + 3 : u;
	const char *at = strchr(p, '@'), *end = p + strcspn(p, "/?#");
	if (at && at < end)
		p = at + 1;
	size_t len = strcspn(p, ":/?#");
	return esc_xml(out, p, len);
}

static bool put_tag(struct buf *out, const struct catalog *c, date_days day,
		    const char *id, const char *what)
{
	char date[DATE_ISO_LEN + 1];
	date_format(day, date);
	return buf_puts(out, "<id>tag:") && put_site_host(out, c->site) &&
	       buf_printf(out, ",%s:c/", date) && esc_xml_str(out, id) &&
	       buf_putc(out, '/') && esc_xml_str(out, what) &&
	       buf_puts(out, "</id>\n");
}

/* <link rel="alternate"> to the record's page. */
static bool put_record_link(struct buf *out, struct buf *tmp,
			    const struct catalog *c, const struct record *r)
{
	buf_reset(tmp);
	siteurl_put_record(tmp, c->site, r->id.s);
	return buf_puts(out, "<link rel=\"alternate\" type=\"text/html\" "
			     "href=\"") &&
	       esc_xml(out, tmp->data, tmp->len) && buf_puts(out, "\"/>\n");
}

/* The review as an entry, where there are no versions to announce. */
static bool put_review_entry(struct buf *out, struct buf *tmp,
			     const struct catalog *c, const struct entry *e)
{
	const struct record *r = e->r;
	char date[DATE_ISO_LEN + 1];
	date_format(r->reviewed.days, date);
	bool ok = buf_puts(out, "<entry>\n") &&
		  put_tag(out, c, r->reviewed.days, r->id.s, "reviewed") &&
		  buf_puts(out, "<title type=\"text\">") &&
		  esc_xml_str(out, r->name.s) &&
		  buf_printf(out, " reviewed: %d/100, grade %c</title>\n",
			     e->headline->score, e->headline->grade) &&
		  buf_printf(out, "<updated>%sT00:00:00Z</updated>\n", date) &&
		  put_record_link(out, tmp, c, r);
	buf_reset(tmp);
	ok = ok && score_put_sentence(tmp, c->m, r, &e->policy);
	if (e->audit) {
		char audited[DATE_ISO_LEN + 1];
		date_format(e->audit->date.days, audited);
		ok = ok && buf_printf(tmp,
				      " Its cancellation flow, audited %s, "
				      "scores %d/100 (grade %c).",
				      audited, e->flow.score, e->flow.grade);
	}
	return ok && buf_puts(out, "<summary type=\"text\">") &&
	       esc_xml(out, tmp->data, tmp->len) &&
	       buf_puts(out, "</summary>\n</entry>\n");
}

/* One committed version as an entry: its first change as the title. */
static bool put_version_entry(struct buf *out, struct buf *tmp,
			      const struct catalog *c, const struct entry *e,
			      const struct history_version *v)
{
	const struct record *r = e->r;
	char date[DATE_ISO_LEN + 1];
	date_format(v->date, date);
	const char *what = v->skipped	 ? "a version that did not load"
			   : v->nchanges ? v->changes[0].text
					 : "no published fact changed";
	bool ok = buf_puts(out, "<entry>\n") &&
		  put_tag(out, c, v->date, r->id.s, v->commit) &&
		  buf_puts(out, "<title type=\"text\">") &&
		  esc_xml_str(out, r->name.s) && buf_puts(out, ": ") &&
		  esc_xml_str(out, what) && buf_puts(out, "</title>\n") &&
		  buf_printf(out, "<updated>%sT00:00:00Z</updated>\n", date) &&
		  put_record_link(out, tmp, c, r);
	buf_reset(tmp);
	if (v->skipped) {
		buf_printf(tmp, "This version did not load: %s.", v->skipped);
	} else {
		for (size_t i = 0; i < v->nchanges; i++)
			buf_printf(tmp, "%s%s",
				   i ? "; " : "Changes: ", v->changes[i].text);
		if (v->nchanges)
			buf_puts(tmp, ". ");
		buf_printf(tmp, "Policy score %d/100 (grade %c)",
			   v->policy.score, v->policy.grade);
		if (v->has_flow)
			buf_printf(tmp, "; flow score %d/100 (grade %c)",
				   v->flow.score, v->flow.grade);
		buf_puts(tmp, ".");
	}
	buf_printf(tmp, " Editor's note (commit %s): %s", v->short_id,
		   v->note ? v->note : "");
	return ok && buf_puts(out, "<summary type=\"text\">") &&
	       esc_xml(out, tmp->data, tmp->len) &&
	       buf_puts(out, "</summary>\n</entry>\n");
}

/* The feed's head: its id and self link are @path on the site. */
static bool put_feed_head(struct buf *out, const struct catalog *c,
			  const char *path, const char *title,
			  const char *alternate, date_days updated)
{
	struct buf self = BUF_INIT, page = BUF_INIT;
	const struct site_info *si = c->site;
	siteurl_put(&self, si, path);
	siteurl_put(&page, si, alternate);
	char date[DATE_ISO_LEN + 1];
	date_format(updated, date);
	bool ok = buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				"<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
				"<id>") &&
		  esc_xml_str(out, buf_cstr(&self)) &&
		  buf_puts(out, "</id>\n<title type=\"text\">") &&
		  esc_xml_str(out, title) &&
		  buf_puts(out, "</title>\n<subtitle type=\"text\">") &&
		  buf_puts(out, "What changed in the records of how hard "
				"companies make it to cancel a subscription, "
				"scored by ") &&
		  esc_xml_str(out, c->m->version) &&
		  buf_printf(out,
			     ".</subtitle>\n<updated>%sT00:00:00Z"
			     "</updated>\n",
			     date) &&
		  buf_puts(out, "<link rel=\"self\" "
				"type=\"application/atom+xml\" href=\"") &&
		  esc_xml_str(out, buf_cstr(&self)) &&
		  buf_puts(out, "\"/>\n<link rel=\"alternate\" "
				"type=\"text/html\" href=\"") &&
		  esc_xml_str(out, buf_cstr(&page)) &&
		  buf_puts(out, "\"/>\n<author><name>") &&
		  esc_xml_str(out, si->name.s) &&
		  buf_puts(out, "</name><uri>") &&
		  esc_xml(out, si->url.s, si->url.len) &&
		  buf_puts(out, "/</uri></author>\n<rights type=\"text\">") &&
		  esc_xml_str(out, si->license_name.s) &&
		  buf_puts(out, "</rights>\n");
	buf_free(&self);
	buf_free(&page);
	return ok;
}

/* Whether @e has a committed version to announce. */
static bool has_versions(const struct entry *e)
{
	return e->history && e->history->nversions &&
	       e->history->versions[0].commit[0];
}

bool feed_put_record(struct buf *out, const struct catalog *c,
		     const struct entry *e)
{
	const struct record *r = e->r;
	struct buf path = BUF_INIT, page = BUF_INIT, title = BUF_INIT,
		   tmp = BUF_INIT;
	siteurl_put_record_path(&path, r->id.s, SITEURL_FEED);
	siteurl_put_record_path(&page, r->id.s, SITEURL_PAGE);
	buf_printf(&title, "%s: changes to %s", c->site->name.s, r->name.s);
	bool versions = has_versions(e);
	date_days updated =
		versions ? e->history->versions[0].date : r->reviewed.days;
	bool ok = put_feed_head(out, c, path.data, title.data, page.data,
				updated);
	for (size_t i = 0; versions && i < e->history->nversions && ok; i++)
		if (e->history->versions[i].commit[0])
			ok = put_version_entry(out, &tmp, c, e,
					       &e->history->versions[i]);
	if (!versions)
		ok = ok && put_review_entry(out, &tmp, c, e);
	buf_free(&path);
	buf_free(&page);
	buf_free(&title);
	buf_free(&tmp);
	return ok && buf_puts(out, "</feed>\n");
}

/* A version in the index's feed. */
struct feed_item {
	const struct entry *e;
	const struct history_version *v; /* NULL: the record's review */
	date_days day;
};

static int feed_item_cmp(const void *a, const void *b)
{
	const struct feed_item *x = a, *y = b;
	if (x->day != y->day)
		return x->day > y->day ? -1 : 1;
	int cmp = strcmp(x->e->r->id.s, y->e->r->id.s);
	if (cmp)
		return cmp;
	/* A record's versions are newest first already. */
	return (x->v > y->v) - (x->v < y->v);
}

bool feed_put_latest(struct buf *out, const struct catalog *c)
{
	size_t n = 0, cap = 0;
	struct feed_item *items = NULL;
	for (size_t i = 0; i < c->n; i++) {
		const struct entry *e = &c->entries[i];
		bool versions = has_versions(e);
		size_t k = versions ? e->history->nversions : 1;
		if (n + k > cap) {
			cap = (n + k) * 2;
			items = xrealloc(items, cap * sizeof(*items));
		}
		if (!versions)
			items[n++] = (struct feed_item){ e, NULL,
							 e->r->reviewed.days };
		for (size_t j = 0; versions && j < k; j++) {
			const struct history_version *v =
				&e->history->versions[j];
			if (v->commit[0])
				items[n++] =
					(struct feed_item){ e, v, v->date };
		}
	}
	if (n)
		qsort(items, n, sizeof(*items), feed_item_cmp);
	if (n > FEED_MAX)
		n = FEED_MAX;
	struct buf title = BUF_INIT, tmp = BUF_INIT;
	buf_printf(&title, "%s: latest changes", c->site->name.s);
	bool ok = put_feed_head(out, c, "/feed.atom", title.data, "/",
				n ? items[0].day : fresh_day_of(c->generated));
	for (size_t i = 0; i < n && ok; i++)
		ok = items[i].v ? put_version_entry(out, &tmp, c, items[i].e,
						    items[i].v)
				: put_review_entry(out, &tmp, c, items[i].e);
	free(items);
	buf_free(&title);
	buf_free(&tmp);
	return ok && buf_puts(out, "</feed>\n");
}
