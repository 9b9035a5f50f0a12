/*
 * view.c - turn catalog entries into the value trees templates render.
 *
 * Templates are logic-less, so every decision a page shows (which grade
 * rule capped a score, how a gap reads, whether a badge is offered) is
 * made here, once, from the methodology table and the scored record.
 * Strings are borrowed from the records and the table wherever possible;
 * only derived text (sentences, points, citations) is built into the
 * page's arena, which the caller resets after each page.
 */
#include "view.h"
#include "badge.h"
#include "buf.h"
#include "card.h"
#include "chart.h"
#include "cite.h"
#include "date.h"
#include "esc.h"
#include "fresh.h"
#include "history.h"
#include "internal.h"
#include "jsonld.h"
#include "method.h"
#include "pagestate.h"
#include "record.h"
#include "score.h"
#include "siteurl.h"
#include "stats.h"
#include "store.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* A gap of this many points or more is the signal the index is for. */
#define VIEW_GAP_LARGE 15

/* Copy a buffer's contents into the arena and release the buffer. */
static const char *take(struct arena *a, struct buf *b)
{
	const char *s = arena_strndup(a, buf_cstr(b), b->len);
	buf_free(b);
	return s;
}

static const char *grade_str(struct arena *a, char grade)
{
	char s[2] = { grade, '\0' };
	return arena_strndup(a, s, 1);
}

static const char *day_str(struct arena *a, date_days d)
{
	char s[DATE_ISO_LEN + 1];
	date_format(d, s);
	return arena_strndup(a, s, DATE_ISO_LEN);
}

/* The URL path of a record's file: "/c/coursera/". */
static const char *record_path(struct arena *a, const char *id,
			       enum siteurl_record_file f)
{
	struct buf b = BUF_INIT;
	siteurl_put_record_path(&b, id, f);
	return take(a, &b);
}

/* Data text shown in a sentence or a cell, bidi-isolated where needed. */
static const char *isolated(struct arena *a, const char *s)
{
	if (!s || !esc_bidi_risky(s))
		return s;
	struct buf b = BUF_INIT;
	esc_bidi_isolate(&b, s);
	return take(a, &b);
}

static void set_text(struct arena *a, struct mst_value *map, const char *key,
		     const struct text *t)
{
	mst_map_set_str(map, key, isolated(a, t->s));
}

/* Identifiers, URLs and hashes: never isolated (they go in attributes). */
static void set_plain(struct mst_value *map, const char *key,
		      const struct text *t)
{
	mst_map_set_str(map, key, t->s);
}

const char *view_id_html(struct arena *a, const char *id)
{
	struct buf b = BUF_INIT;
	for (const char *p = id; *p;) {
		const char *cut = strchr(p, '_');
		size_t len = cut ? (size_t)(cut - p) + 1 : strlen(p);
		esc_xml(&b, p, len);
		if (cut && cut[1])
			buf_puts(&b, "<wbr>");
		p += len;
	}
	return take(a, &b);
}

const char *view_points(struct arena *a, int hundredths)
{
	char s[32];
	int whole = hundredths / 100, frac = hundredths % 100;
	if (frac == 0)
		snprintf(s, sizeof(s), "%d", whole);
	else if (frac % 10 == 0)
		snprintf(s, sizeof(s), "%d.%d", whole, frac / 10);
	else
		snprintf(s, sizeof(s), "%d.%02d", whole, frac);
	return arena_strdup(a, s);
}

/* "1 record", "12,345 records". */
static const char *count_str(struct arena *a, size_t n, const char *noun)
{
	struct buf b = BUF_INIT;
	buf_put_grouped(&b, n);
	buf_printf(&b, " %s%s", noun, n == 1 ? "" : "s");
	return take(a, &b);
}

struct mst_value *view_site(struct arena *a, const struct catalog *c)
{
	return view_site_for(a, c->site, c->m, c->generated, c->n);
}

struct mst_value *view_site_for(struct arena *a, const struct site_info *si,
				const struct method *m, int64_t generated,
				size_t records)
{
	struct mst_value *s = mst_map_new(a);
	mst_map_set_str(s, "name", si->name.s);
	mst_map_set_str(s, "url", si->url.s);
	mst_map_set_str(s, "contact", si->contact.s);
	struct buf href = BUF_INIT;
	siteurl_put_contact(&href, si);
	mst_map_set_str(s, "contact_href", take(a, &href));
	mst_map_set_str(s, "license", si->license_name.s);
	mst_map_set_str(s, "license_url", si->license_url.s);
	mst_map_set_str(s, "methodology", m->version);
	mst_map_set_str(s, "policy_name", m->policy.name);
	mst_map_set_str(s, "flow_name", m->flow.name);
	mst_map_set_str(s, "generated",
			day_str(a, (date_days)(generated / 86400)));
	mst_map_set_int(s, "records", (long long)records);
	mst_map_set_str(s, "records_text", count_str(a, records, "record"));
	return s;
}

struct mst_value *view_share(struct arena *a, const struct catalog *c,
			     const struct entry *e)
{
	struct mst_value *v = mst_map_new(a);
	mst_map_set_int(v, "width", CARD_WIDTH);
	mst_map_set_int(v, "height", CARD_HEIGHT);
	struct buf s = BUF_INIT;
	if (!e) {
		mst_map_set_str(v, "type", "website");
		mst_map_set_str(v, "image", "/share/cards/" CARD_SITE ".png");
		mst_map_set_str(v, "alt",
				"How hard is it to cancel? Services graded A "
				"to F.");
		return v;
	}
	const struct record *r = e->r;
	mst_map_set_str(v, "type", "article");
	mst_map_set_str(v, "image", record_path(a, r->id.s, SITEURL_CARD));
	buf_printf(&s, "%s (%s): %d/100, grade %c", isolated(a, r->name.s),
		   r->jurisdiction.s, e->headline->score, e->headline->grade);
	if (e->audit)
		buf_printf(&s, " (%s; %s %d/100, grade %c)", c->m->flow.name,
			   c->m->policy.name, e->policy.score, e->policy.grade);
	buf_printf(&s, ". Reviewed %s.", day_str(a, r->reviewed.days));
	mst_map_set_str(v, "alt", take(a, &s));
	return v;
}

struct mst_value *view_page(struct arena *a, const char *path, const char *nav)
{
	struct mst_value *p = mst_map_new(a);
	mst_map_set_str(p, "path", path);
	if (nav) {
		char key[32];
		snprintf(key, sizeof(key), "nav_%s", nav);
		mst_map_set_bool(p, arena_strdup(a, key), true);
	}
	return p;
}

/*
 * What the audit recorded on flow dimension @d, in a few words. Each
 * phrase states the fact itself, so a fault (a level below 100) is never
 * worded as a success.
 */
static void flow_fact_put(struct buf *b, const struct method_dim *d, int level,
			  const struct audit *au)
{
	const char *id = d->id;
	if (!strcmp(id, "online_path")) {
		buf_puts(b, au->online_path.v ? "an online cancel path"
					      : "no online cancel path");
	} else if (!strcmp(id, "steps")) {
		int steps = record_number_int(au->steps.v, 0, INT_MAX);
		buf_printf(b, "%d step%s", steps, steps == 1 ? "" : "s");
	} else if (!strcmp(id, "retention")) {
		const char *r = au->retention.s ? au->retention.s : "";
		buf_puts(b, !strcmp(r, "none") ? "no retention step"
			    : !strcmp(r, "skippable-offer")
				    ? "a retention offer to skip"
			    : !strcmp(r, "mandatory-offer")
				    ? "a mandatory retention offer or survey"
				    : "a mandatory call or chat with an agent");
	} else if (!strcmp(id, "channel_symmetry")) {
		buf_puts(b, au->channel_symmetry.v
				    ? "the same channel as sign-up"
				    : "a different channel from sign-up");
	} else if (!strcmp(id, "confirmation")) {
		const char *c = au->confirmation.s ? au->confirmation.s : "";
		buf_puts(b, !strcmp(c, "immediate")
				    ? "written confirmation at once"
			    : !strcmp(c, "same-day")
				    ? "written confirmation only later that day"
			    : !strcmp(c, "later") ? "confirmation only later"
						  : "no confirmation");
	} else if (!strcmp(id, "time_to_cancel")) {
		chart_num_put(b, au->minutes.v); /* "2", "3.5" */
		buf_puts(b, au->minutes.v == 1 ? " minute in all"
					       : " minutes in all");
	} else if (!strcmp(id, "clean_exit")) {
		buf_puts(b, au->clean_exit.v ? "no charge after cancelling"
					     : "a charge or lost access after "
					       "cancelling");
	} else {
		buf_printf(b, "%s at %d", d->name, level);
	}
}

/* Append the phrases of @list (each ended by a NUL) as "a, b and c". */
static void phrases_put(struct buf *out, const struct buf *list)
{
	for (size_t i = 0; i < list->len;) {
		const char *p = list->data + i;
		size_t next = i + strlen(p) + 1;
		buf_puts(out, i == 0 ? "" : next == list->len ? " and " : ", ");
		buf_puts(out, p);
		i = next;
	}
}

void view_flow_sentence(struct buf *out, const struct entry *e)
{
	const struct audit *au = e->audit;
	const struct method_tier *t = e->flow.tier;
	struct buf wrong = BUF_INIT, right = BUF_INIT;
	for (size_t i = 0; i < t->ndims; i++) {
		int level = e->flow.levels[i];
		struct buf *to = level < 100 ? &wrong : &right;
		flow_fact_put(to, &t->dims[i], level, au);
		buf_putc(to, '\0');
	}
	char day[DATE_ISO_LEN + 1];
	date_format(au->date.days, day);
	struct buf name = BUF_INIT;
	esc_bidi_isolate(&name, e->r->name.s ? e->r->name.s : "");
	buf_printf(out,
		   "In a recorded cancellation on %s, %s scored %d/100 "
		   "(grade %c) for what actually happens when you cancel.",
		   day, buf_cstr(&name), e->flow.score, e->flow.grade);
	if (wrong.len) {
		buf_puts(out, " Where it fell short: ");
		phrases_put(out, &wrong);
		buf_putc(out, '.');
	}
	if (right.len) {
		buf_puts(out,
			 wrong.len ? " What went well: " : " All went well: ");
		phrases_put(out, &right);
		buf_putc(out, '.');
	}
	buf_free(&name);
	buf_free(&wrong);
	buf_free(&right);
}

/*
 * A tier's score, grade, cap and dimension rows. Each row below 100 says
 * why: for the policy, the editor's reason from @r; for a flow, the fact
 * @au recorded ("5 steps.").
 */
static struct mst_value *view_score(struct arena *a,
				    const struct score_result *s,
				    const struct record *r,
				    const struct audit *au)
{
	const struct method_tier *t = s->tier;
	struct mst_value *v = mst_map_new(a);
	mst_map_set_str(v, "tier_name", t->name);
	mst_map_set_int(v, "score", s->score);
	mst_map_set(v, "grade", mst_str(a, grade_str(a, s->grade)));
	mst_map_set(v, "band", mst_str(a, grade_str(a, s->band)));
	mst_map_set_bool(v, "capped", s->rules_applied != 0);
	if (s->rules_applied) {
		struct buf cap = BUF_INIT;
		score_put_cap(&cap, s);
		mst_map_set_str(v, "cap", take(a, &cap));
	}
	struct mst_value *dims = mst_list_new(a);
	for (size_t i = 0; i < t->ndims; i++) {
		const struct method_dim *d = &t->dims[i];
		const struct method_level *l =
			method_level_find(d, s->levels[i]);
		struct mst_value *row = mst_map_new(a);
		mst_map_set_str(row, "id", d->id);
		mst_map_set_str(row, "id_html", view_id_html(a, d->id));
		mst_map_set_str(row, "name", d->name);
		mst_map_set_int(row, "level", s->levels[i]);
		mst_map_set_int(row, "weight", d->weight);
		mst_map_set_str(row, "points", view_points(a, s->points[i]));
		mst_map_set_str(row, "level_text", l ? l->text : NULL);
		mst_map_set_bool(row, "lost", s->levels[i] < 100);
		if (r)
			set_text(a, row, "why", &r->why[i]);
		if (au) {
			struct buf why = BUF_INIT;
			flow_fact_put(&why, d, s->levels[i], au);
			if (why.len && why.data[0] >= 'a' && why.data[0] <= 'z')
				why.data[0] = (char)(why.data[0] - 'a' + 'A');
			buf_putc(&why, '.');
			mst_map_set_str(row, "why", take(a, &why));
		}
		mst_list_push(dims, row);
	}
	mst_map_set(v, "dims", dims);
	return v;
}

/* The methodology's words for an audit keyword ("One skippable offer."),
 * or the keyword itself when the table has none. */
static const char *level_text(const struct method_tier *t, const char *dim,
			      const char *key)
{
	int i = method_dim_index(t, dim);
	const struct method_level *l =
		i >= 0 && key ? method_level_for_key(&t->dims[i], key) : NULL;
	return l ? l->text : key;
}

static const char *channel_label_of(const struct audit *a)
{
	return record_channel_label(a->signup_channel);
}

static struct mst_value *view_flow(struct arena *a, const struct catalog *c,
				   const struct entry *e)
{
	const struct audit *au = e->audit;
	struct mst_value *f = view_score(a, &e->flow, NULL, e->audit);
	mst_map_set_str(f, "date", day_str(a, au->date.days));
	mst_map_set_str(f, "tier_name",
			au->tier == AUDIT_EDITOR_VERIFIED ? "editor-verified"
							  : "crowd-verified");
	mst_map_set_int(f, "audits", (long long)e->r->nflow);
	mst_map_set_bool(f, "more_audits", e->r->nflow > 1);
	set_text(a, f, "notes", &au->notes);

	struct mst_value *facts = mst_map_new(a);
	mst_map_set_str(facts, "signup", channel_label_of(au));
	mst_map_set_bool(facts, "online_path", au->online_path.v);
	mst_map_set_int(facts, "steps",
			record_number_int(au->steps.v, 0, INT_MAX));
	mst_map_set_bool(facts, "one_step", au->steps.v == 1);
	mst_map_set_bool(facts, "has_path", au->npath > 0);
	struct mst_value *path = mst_list_new(a);
	for (size_t i = 0; i < au->npath; i++)
		mst_list_push(path, mst_str(a, isolated(a, au->path[i].s)));
	mst_map_set(facts, "path", path);
	mst_map_set_str(facts, "retention",
			level_text(&c->m->flow, "retention", au->retention.s));
	mst_map_set_str(
		facts, "confirmation",
		level_text(&c->m->flow, "confirmation", au->confirmation.s));
	mst_map_set_number(facts, "minutes", au->minutes.v);
	mst_map_set_bool(facts, "clean_exit", au->clean_exit.v);
	mst_map_set(f, "facts", facts);

	struct mst_value *ev = mst_list_new(a);
	for (size_t i = 0; i < au->nevidence; i++) {
		struct mst_value *item = mst_map_new(a);
		set_text(a, item, "title", &au->evidence[i].title);
		set_plain(item, "file", &au->evidence[i].file);
		set_plain(item, "sha256", &au->evidence[i].sha256);
		mst_list_push(ev, item);
	}
	mst_map_set(f, "evidence", ev);
	mst_map_set_bool(f, "has_evidence", au->nevidence > 0);

	struct buf s = BUF_INIT;
	view_flow_sentence(&s, e);
	mst_map_set_str(f, "sentence", take(a, &s));
	return f;
}

/* A gap as pages print it: "+6", "\u22123" (a minus sign), "0". */
static const char *gap_str(struct arena *a, int gap)
{
	char s[16];
	if (gap > 0)
		snprintf(s, sizeof(s), "+%d", gap);
	else if (gap < 0)
		snprintf(s, sizeof(s), "\u2212%d", -gap);
	else
		snprintf(s, sizeof(s), "0");
	return arena_strdup(a, s);
}

static struct mst_value *view_gap(struct arena *a, const struct entry *e)
{
	struct mst_value *g = mst_map_new(a);
	int gap = catalog_gap(e);
	mst_map_set_int(g, "value", gap);
	mst_map_set_str(g, "signed", gap_str(a, gap));
	mst_map_set_bool(g, "large", gap >= VIEW_GAP_LARGE);
	mst_map_set_str(g, "note",
			gap >= VIEW_GAP_LARGE
				? "The policy reads much easier than the "
				  "cancellation turned out to be."
			: gap <= -VIEW_GAP_LARGE
				? "Cancelling turned out easier than the "
				  "policy suggests."
				: "The policy and the recorded cancellation "
				  "broadly agree.");
	return g;
}

static struct mst_value *view_headline(struct arena *a, const struct catalog *c,
				       const struct entry *e)
{
	struct mst_value *h = mst_map_new(a);
	mst_map_set_int(h, "score", e->headline->score);
	mst_map_set(h, "grade", mst_str(a, grade_str(a, e->headline->grade)));
	if (e->audit) {
		mst_map_set_str(h, "tier_name", c->m->flow.name);
		mst_map_set_str(h, "tier_class", "flow");
		mst_map_set_str(h, "tier_blurb",
				"what actually happened when a person "
				"cancelled, from a recorded audit, shown "
				"beside the published policy.");
	} else {
		mst_map_set_str(h, "tier_name", c->m->policy.name);
		mst_map_set_str(h, "tier_class", "documented");
		mst_map_set_str(h, "tier_blurb",
				"how clearly the cancellation policy is "
				"published, from the company's own pages.");
	}
	return h;
}

static struct mst_value *view_badge(struct arena *a, const struct catalog *c,
				    const struct entry *e)
{
	const struct method_grade *g = method_grade(c->m, e->headline->grade);
	if (!g || !g->badge_phrase)
		return NULL;
	struct mst_value *b = mst_map_new(a);
	struct buf s = BUF_INIT;
	buf_printf(&s, "%s grades %c \u2014 %s.", isolated(a, e->r->name.s),
		   g->letter, g->badge_phrase);
	mst_map_set_str(b, "phrase", take(a, &s));
	badge_embed_html(&s, c->site, e);
	mst_map_set_str(b, "embed", take(a, &s));
	return b;
}

/* What monitoring found of a cited page, as the notice says it. */
static const char *flag_text(struct arena *a, const struct pagestate *p)
{
	struct buf s = BUF_INIT;
	if (p->status == PAGESTATE_MOVED)
		buf_printf(&s, "now redirects to %s", p->detail);
	else if (p->status == PAGESTATE_BROKEN)
		buf_printf(&s, "could not be fetched (%s)",
			   p->detail ? p->detail : "no answer");
	else
		buf_puts(&s, "has changed");
	return take(a, &s);
}

/*
 * When monitoring last checked the pages @r cites, and those that
 * changed, moved or broke since the review; @v (@n) from
 * pagestate_record().
 */
static struct mst_value *view_monitor(struct arena *a,
				      const struct pagestate *v, size_t n)
{
	struct mst_value *m = mst_map_new(a);
	int64_t last = pagestate_last_checked(v, n);
	if (last)
		mst_map_set_str(m, "checked",
				day_str(a, (date_days)(last / 86400)));
	struct mst_value *flagged = mst_list_new(a);
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		if (!pagestate_flagged(v[i].status))
			continue;
		struct mst_value *f = mst_map_new(a);
		mst_map_set_str(f, "url", v[i].url);
		mst_map_set_str(f, "role", v[i].role);
		mst_map_set_str(f, "status", pagestate_status_str(v[i].status));
		mst_map_set_str(f, "text", flag_text(a, &v[i]));
		mst_list_push(flagged, f);
		any = true;
	}
	mst_map_set_bool(m, "has_flagged", any);
	mst_map_set(m, "flagged", flagged);
	return m;
}

/* The state of @url among @v (@n). */
static const char *page_status(const struct pagestate *v, size_t n,
			       const char *url)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].url, url))
			return pagestate_status_str(v[i].status);
	return pagestate_status_str(PAGESTATE_UNCHECKED);
}

struct mst_value *view_review(struct arena *a, const struct catalog *c,
			      const struct entry *e)
{
	(void)c;
	struct mst_value *v = mst_map_new(a);
	struct buf b = BUF_INIT;
	mst_map_set_str(v, "date", day_str(a, e->r->reviewed.days));
	fresh_put_ago(&b, e->review_age);
	mst_map_set_str(v, "ago", take(a, &b));
	mst_map_set_int(v, "age_days", e->review_age);
	mst_map_set_bool(v, "stale", e->stale);
	mst_map_set_bool(v, "aged", e->aged);
	mst_map_set_bool(v, "sources_flagged", e->sources_flagged);
	mst_map_set_int(v, "stale_days", FRESH_STALE_DAYS);
	return v;
}

/* "72/100 (B)" or "72/100 (B); flow 55/100 (C)" for a version. */
static const char *version_scores(struct arena *a,
				  const struct history_version *v)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%d/100 (%c)", v->policy.score, v->policy.grade);
	if (v->has_flow)
		buf_printf(&b, "; flow %d/100 (%c)", v->flow.score,
			   v->flow.grade);
	return take(a, &b);
}

/*
 * The step chart of a record's scores: one step per version that loaded,
 * oldest first, both tiers when the record had audits, up to the build.
 */
static const char *history_chart(struct arena *a, const struct catalog *c,
				 const struct entry *e)
{
	const struct history_record *h = e->history;
	struct chart_step *policy = xcalloc(h->nversions, sizeof(*policy));
	struct chart_step *flow = xcalloc(h->nversions, sizeof(*flow));
	size_t np = 0, nf = 0;
	struct buf b = BUF_INIT;
	char day[DATE_ISO_LEN + 1];
	for (size_t i = h->nversions; i-- > 0;) {
		const struct history_version *v = &h->versions[i];
		if (!v->commit[0] || v->skipped)
			continue;
		date_format(v->date, day);
		buf_reset(&b);
		buf_printf(&b, "%s: %s %d/100, grade %c", day,
			   c->m->policy.name, v->policy.score, v->policy.grade);
		policy[np++] =
			(struct chart_step){ (double)v->date, v->policy.score,
					     arena_strdup(a, buf_cstr(&b)) };
		if (v->has_flow) {
			buf_reset(&b);
			buf_printf(&b, "%s: %s %d/100, grade %c", day,
				   c->m->flow.name, v->flow.score,
				   v->flow.grade);
			flow[nf++] = (struct chart_step){
				(double)v->date, v->flow.score,
				arena_strdup(a, buf_cstr(&b))
			};
		}
	}
	struct chart_band bands[16];
	size_t nbands = 0;
	for (size_t i = 0; i < c->m->ngrades && nbands < ATLAS_COUNT(bands);
	     i++)
		bands[nbands++] = (struct chart_band){
			c->m->grades[i].min,
			grade_str(a, c->m->grades[i].letter),
			c->m->grades[i].color,
		};
	struct chart_series series[2] = {
		{ c->m->policy.name, "#0969da", false, policy, np },
		{ c->m->flow.name, "#8250df", true, flow, nf },
	};
	date_days today = fresh_day_of(c->generated);
	date_days first = np ? (date_days)policy[0].x : today;
	date_days last = np ? (date_days)policy[np - 1].x : today;
	date_days end = today > last ? today : last;
	char first_s[DATE_ISO_LEN + 1], end_s[DATE_ISO_LEN + 1];
	date_format(first, first_s);
	date_format(end, end_s);
	buf_reset(&b);
	buf_printf(&b, "Score history of %s", e->r->name.s);
	const char *title = arena_strdup(a, buf_cstr(&b));
	buf_reset(&b);
	if (np)
		buf_printf(&b,
			   "%s score over %zu version%s: %d/100 on %s, "
			   "%d/100 since %s.",
			   c->m->policy.name, np, np == 1 ? "" : "s",
			   (int)policy[0].value, first_s,
			   (int)policy[np - 1].value, day_str(a, last));
	if (nf)
		buf_printf(&b, " %s score: %d/100 since %s.", c->m->flow.name,
			   (int)flow[nf - 1].value,
			   day_str(a, (date_days)flow[nf - 1].x));
	const char *desc = arena_strdup(a, buf_cstr(&b));
	struct chart_steps spec = {
		.id = "history-chart",
		.title = title,
		.desc = desc,
		.series = series,
		.nseries = nf ? 2 : 1,
		.bands = bands,
		.nbands = nbands,
		.x_min = first,
		.x_max = end,
		.x_min_label = first_s,
		.x_max_label = end_s,
		/* Narrow, so its text stays legible scaled down to a phone. */
		.width = 420,
		.height = 190,
	};
	buf_reset(&b);
	chart_steps(&b, &spec);
	free(policy);
	free(flow);
	return take(a, &b);
}

struct mst_value *view_history(struct arena *a, const struct catalog *c,
			       const struct entry *e)
{
	struct mst_value *v = mst_map_new(a);
	const struct history_record *h = e->history;
	size_t committed = 0;
	for (size_t i = 0; h && i < h->nversions; i++)
		committed += h->versions[i].commit[0] != '\0';
	if (!c->history_read || c->history_unavailable) {
		mst_map_set_str(v, "unavailable",
				"This build was made without the version "
				"history of the data (outside a git repository "
				"or in a shallow clone), so earlier versions "
				"of this record cannot be shown.");
		return v;
	}
	if (!committed) {
		mst_map_set_str(v, "unavailable",
				"This record has no committed version yet: its "
				"history starts with its first commit.");
		return v;
	}
	struct mst_value *list = mst_list_new(a);
	for (size_t i = 0; i < h->nversions; i++) {
		const struct history_version *hv = &h->versions[i];
		if (!hv->commit[0])
			continue;
		struct mst_value *item = mst_map_new(a);
		mst_map_set_str(item, "date", day_str(a, hv->date));
		mst_map_set_str(item, "commit", arena_strdup(a, hv->short_id));
		mst_map_set_str(item, "note", isolated(a, hv->note));
		if (hv->skipped) {
			mst_map_set_str(item, "skipped",
					isolated(a, hv->skipped));
			mst_list_push(list, item);
			continue;
		}
		mst_map_set_str(item, "scores", version_scores(a, hv));
		struct mst_value *facts = mst_list_new(a);
		struct mst_value *method = mst_list_new(a);
		size_t nfacts = 0;
		for (size_t j = 0; j < hv->nchanges; j++) {
			const struct histchange *ch = &hv->changes[j];
			nfacts += ch->kind != HISTCHANGE_METHODOLOGY;
			mst_list_push(ch->kind == HISTCHANGE_METHODOLOGY
					      ? method
					      : facts,
				      mst_str(a, isolated(a, ch->text)));
		}
		mst_map_set(item, "changes", facts);
		mst_map_set(item, "methodology", method);
		mst_map_set_bool(item, "has_changes", hv->nchanges > 0);
		mst_map_set_bool(item, "has_facts", nfacts > 0);
		mst_map_set_bool(item, "has_methodology",
				 hv->nchanges > nfacts);
		mst_list_push(list, item);
	}
	mst_map_set(v, "versions", list);
	mst_map_set_bool(v, "has_versions", true);
	mst_map_set_str(v, "count", count_str(a, committed, "version"));
	mst_map_set_str(v, "chart", history_chart(a, c, e));
	return v;
}

struct mst_value *view_decisions(struct arena *a, const struct entry *e)
{
	struct mst_value *v = mst_map_new(a);
	struct mst_value *list = mst_list_new(a);
	for (size_t i = 0; i < e->ndecisions; i++) {
		const struct store_decision *d = e->decisions[i];
		struct mst_value *item = mst_map_new(a);
		mst_map_set_str(item, "date", d->day);
		mst_map_set_str(item, "kind",
				d->kind == STORE_AUDIT ? "Audit"
						       : "Correction");
		mst_map_set_str(item, "field", d->field);
		mst_map_set_str(item, "decision", d->decision);
		mst_map_set_str(item, "reason", d->reason ? d->reason : "");
		mst_list_push(list, item);
	}
	mst_map_set(v, "list", list);
	mst_map_set_bool(v, "any", e->ndecisions > 0);
	return v;
}

struct mst_value *view_record(struct arena *a, const struct catalog *c,
			      const struct entry *e)
{
	const struct record *r = e->r;
	struct mst_value *v = mst_map_new(a);
	set_plain(v, "id", &r->id);
	set_text(a, v, "name", &r->name);
	mst_map_set_bool(v, "fictional", r->fictional.v);

	struct mst_value *ind = mst_map_new(a);
	mst_map_set_str(ind, "name", e->industry->name.s);
	mst_map_set_str(ind, "slug", e->industry->slug.s);
	mst_map_set(v, "industry", ind);
	struct mst_value *jur = mst_map_new(a);
	mst_map_set_str(jur, "code", r->jurisdiction.s);
	mst_map_set_str(jur, "slug", e->juris_slug);
	mst_map_set(v, "jurisdiction", jur);

	/* The sentence names the company inside our own words. */
	struct record named = *r;
	named.name.s = isolated(a, r->name.s);
	struct buf s = BUF_INIT;
	score_put_sentence(&s, c->m, &named, &e->policy);
	mst_map_set_str(v, "sentence", take(a, &s));
	mst_map_set(v, "headline", view_headline(a, c, e));
	mst_map_set(v, "policy", view_score(a, &e->policy, r, NULL));
	if (e->audit) {
		mst_map_set(v, "flow", view_flow(a, c, e));
		mst_map_set(v, "gap", view_gap(a, e));
	}
	mst_map_set_str(v, "reviewed", day_str(a, r->reviewed.days));
	set_text(a, v, "summary", &r->summary);
	score_put_channels(&s, r);
	mst_map_set_str(v, "channels_text", take(a, &s));
	set_plain(v, "official_page", &r->official_page);
	set_plain(v, "refund_page", &r->refund_page);

	struct mst_value *pause = mst_map_new(a);
	mst_map_set_bool(pause, "offered", r->pause_offered.v);
	set_text(a, pause, "note", &r->pause_note);
	mst_map_set(v, "pause", pause);
	struct mst_value *del = mst_map_new(a);
	set_text(a, del, "note", &r->deletion_note);
	set_plain(del, "url", &r->deletion_url);
	mst_map_set(v, "deletion", del);

	struct pagestate *pages;
	size_t npages = pagestate_record(c->pages, r, a, &pages);
	struct mst_value *ev = mst_list_new(a);
	for (size_t i = 0; i < r->nevidence; i++) {
		struct mst_value *item = mst_map_new(a);
		set_text(a, item, "title", &r->evidence[i].title);
		set_plain(item, "url", &r->evidence[i].url);
		mst_map_set_str(item, "accessed",
				day_str(a, r->evidence[i].accessed.days));
		mst_map_set_str(
			item, "status",
			page_status(pages, npages, r->evidence[i].url.s));
		mst_list_push(ev, item);
	}
	mst_map_set(v, "evidence", ev);
	mst_map_set(v, "monitor", view_monitor(a, pages, npages));

	cite_text(&s, c->site, c->m, r);
	mst_map_set_str(v, "cite_text", take(a, &s));
	mst_map_set(v, "badge", view_badge(a, c, e));
	jsonld_record(&s, c, e);
	mst_map_set_str(v, "jsonld", take(a, &s));
	mst_map_set(v, "review", view_review(a, c, e));
	mst_map_set(v, "history", view_history(a, c, e));
	mst_map_set(v, "decisions", view_decisions(a, e));
	return v;
}

/* The groups with records as filter choices: each one's slug, and its
 * code (@juris) or name. */
static struct mst_value *
group_choices(struct arena *a, const struct group *groups, size_t n, bool juris)
{
	struct mst_value *list = mst_list_new(a);
	for (size_t i = 0; i < n; i++) {
		if (!groups[i].n)
			continue;
		struct mst_value *o = mst_map_new(a);
		mst_map_set_str(o, "slug", groups[i].key);
		if (juris)
			mst_map_set_str(o, "code", groups[i].code);
		else
			mst_map_set_str(o, "name", groups[i].name);
		mst_list_push(list, o);
	}
	return list;
}

struct mst_value *view_filters(struct arena *a, const struct catalog *c)
{
	struct mst_value *f = mst_map_new(a);
	mst_map_set(f, "industries",
		    group_choices(a, c->industries, c->nindustries, false));
	mst_map_set(
		f, "jurisdictions",
		group_choices(a, c->jurisdictions, c->njurisdictions, true));
	struct mst_value *grades = mst_list_new(a);
	for (size_t i = 0; i < c->m->ngrades; i++)
		mst_list_push(grades,
			      mst_str(a, grade_str(a, c->m->grades[i].letter)));
	mst_map_set(f, "grades", grades);
	return f;
}

struct mst_value *view_table(struct arena *a, const struct catalog *c,
			     struct entry *const *v, size_t n,
			     const char *caption)
{
	struct mst_value *t = mst_map_new(a);
	mst_map_set_str(t, "caption", caption);
	mst_map_set_str(t, "count_text", count_str(a, n, "record"));
	struct mst_value *rows = mst_list_new(a);
	for (size_t i = 0; i < n; i++) {
		const struct entry *e = v[i];
		struct mst_value *row = mst_map_new(a);
		mst_map_set_str(row, "id", e->r->id.s);
		mst_map_set_str(row, "name", isolated(a, e->r->name.s));
		mst_map_set_bool(row, "fictional", e->r->fictional.v);
		mst_map_set_int(row, "score", e->headline->score);
		mst_map_set(row, "grade",
			    mst_str(a, grade_str(a, e->headline->grade)));
		mst_map_set_int(row, "policy_score", e->policy.score);
		mst_map_set(row, "policy_grade",
			    mst_str(a, grade_str(a, e->policy.grade)));
		if (e->audit) {
			struct mst_value *flow = mst_map_new(a);
			mst_map_set_int(flow, "score", e->flow.score);
			mst_map_set(flow, "grade",
				    mst_str(a, grade_str(a, e->flow.grade)));
			mst_map_set(row, "flow", flow);
		}
		mst_map_set_str(row, "industry", e->industry->name.s);
		mst_map_set_str(row, "industry_slug", e->industry->slug.s);
		mst_map_set_str(row, "juris", e->r->jurisdiction.s);
		mst_map_set_str(row, "juris_slug", e->juris_slug);
		if (e->audit)
			mst_map_set_str(row, "gap", gap_str(a, catalog_gap(e)));
		if (e->headline->rules_applied) {
			struct buf cap = BUF_INIT;
			buf_printf(&cap, "%d/100 alone gives %c; ",
				   e->headline->score, e->headline->band);
			score_put_cap(&cap, e->headline);
			mst_map_set_str(row, "cap", take(a, &cap));
		}
		mst_map_set_str(row, "reviewed",
				day_str(a, e->r->reviewed.days));
		mst_map_set_bool(row, "stale", e->stale);
		mst_list_push(rows, row);
	}
	mst_map_set(t, "rows", rows);
	(void)c;
	return t;
}

static const char *mean1_str(struct arena *a, double v)
{
	char s[16];
	snprintf(s, sizeof(s), "%.1f", v);
	return arena_strdup(a, s);
}

struct mst_value *view_groups(struct arena *a, const struct catalog *c,
			      bool industries)
{
	struct mst_value *g = mst_map_new(a);
	mst_map_set_str(g, "title",
			industries ? "Industries" : "Jurisdictions");
	mst_map_set_str(g, "kind", industries ? "Industry" : "Jurisdiction");
	struct buf d = BUF_INIT;
	buf_printf(&d,
		   "%s, with %s and their mean headline score (shown from %d "
		   "records: fewer say more about those companies than about "
		   "the group).",
		   industries ? "Every industry of the index"
			      : "Every jurisdiction with records",
		   industries ? "how many records it holds" : "their number",
		   STATS_MIN_MEAN);
	mst_map_set_str(g, "description", take(a, &d));
	const struct group *groups =
		industries ? c->industries : c->jurisdictions;
	size_t n = industries ? c->nindustries : c->njurisdictions;
	struct mst_value *items = mst_list_new(a);
	for (size_t i = 0; i < n; i++) {
		const struct group *gr = &groups[i];
		long long sum = 0;
		for (size_t j = 0; j < gr->n; j++)
			sum += gr->entries[j]->headline->score;
		struct mst_value *it = mst_map_new(a);
		struct buf p = BUF_INIT;
		buf_printf(&p, "/%s/%s/",
			   industries ? "industries" : "jurisdictions",
			   gr->key);
		mst_map_set_str(it, "path", take(a, &p));
		if (industries) {
			mst_map_set_str(it, "name", gr->name);
		} else {
			struct buf name = BUF_INIT;
			buf_printf(&name, "%s (%s)", gr->name, gr->code);
			mst_map_set_str(it, "name", take(a, &name));
		}
		mst_map_set_int(it, "n", (long long)gr->n);
		/* Only groups with records have a page to link to. */
		mst_map_set_bool(it, "has_records", gr->n > 0);
		mst_map_set_str(
			it, "mean",
			gr->n >= STATS_MIN_MEAN
				? mean1_str(a, (double)sum / (double)gr->n)
				: "\u2013");
		mst_list_push(items, it);
	}
	mst_map_set(g, "items", items);
	return g;
}

struct mst_value *view_stale(struct arena *a, const struct catalog *c)
{
	struct mst_value *v = mst_map_new(a);
	mst_map_set_bool(v, "any", c->nstale > 0);
	mst_map_set_str(v, "text", count_str(a, c->nstale, "record"));
	mst_map_set_int(v, "days", FRESH_STALE_DAYS);
	return v;
}

struct mst_value *view_stale_list(struct arena *a, const struct group *g)
{
	struct mst_value *l = mst_map_new(a);
	struct buf s = BUF_INIT;
	mst_map_set_str(l, "title", "Records due for review");
	buf_printf(&s,
		   "%s reviewed more than %d days before this build, oldest "
		   "review first: the companies' terms or pages may have "
		   "changed since.",
		   count_str(a, g->n, "record"), FRESH_STALE_DAYS);
	if (!g->n) {
		buf_reset(&s);
		buf_printf(&s,
			   "No record was reviewed more than %d days before "
			   "this build.",
			   FRESH_STALE_DAYS);
	}
	mst_map_set_str(l, "description", take(a, &s));
	mst_map_set_str(l, "parent_path", "/");
	mst_map_set_str(l, "parent_name", "Every record");
	return l;
}

struct mst_value *view_list(struct arena *a, const struct group *g,
			    bool industry)
{
	struct mst_value *l = mst_map_new(a);
	struct buf s = BUF_INIT;
	if (industry)
		buf_printf(&s, "%s: how hard is it to cancel?", g->name);
	else
		buf_printf(&s, "%s (%s): how hard is it to cancel?", g->name,
			   g->code);
	mst_map_set_str(l, "title", take(a, &s));
	buf_printf(&s,
		   "%zu record%s, best first by headline score. Sort, filter "
		   "and search as on the full index.",
		   g->n, g->n == 1 ? "" : "s");
	mst_map_set_str(l, "description", take(a, &s));
	mst_map_set_str(l, "parent_path",
			industry ? "/industries/" : "/jurisdictions/");
	mst_map_set_str(l, "parent_name",
			industry ? "Industries" : "Jurisdictions");
	return l;
}

static struct mst_value *view_tier(struct arena *a, const struct method *m,
				   const struct method_tier *t, bool audit)
{
	struct mst_value *v = mst_map_new(a);
	mst_map_set_str(v, "name", t->name);
	mst_map_set_str(v, "anchor", audit ? "flow" : "policy");
	mst_map_set_str(
		v, "intro",
		audit ? "What actually happens when a person cancels, end to "
			"end, from recorded cancellation audits: crowd-"
			"verified (submitted by the public and accepted by an "
			"editor) or editor-verified (run by an editor). The "
			"newest audit counts. Each level follows from the "
			"audit's recorded facts."
		      : "How clearly the cancellation policy is published, "
			"from the company's own public pages. Every record "
			"has it. An editor picks one level per dimension from "
			"what the official pages state or leave out, and "
			"gives a one-line reason for every level below 100.");
	struct mst_value *dims = mst_list_new(a);
	for (size_t i = 0; i < t->ndims; i++) {
		const struct method_dim *d = &t->dims[i];
		struct mst_value *dv = mst_map_new(a);
		mst_map_set_str(dv, "id", d->id);
		mst_map_set_str(dv, "id_html", view_id_html(a, d->id));
		mst_map_set_str(dv, "name", d->name);
		mst_map_set_int(dv, "weight", d->weight);
		mst_map_set_bool(dv, "audit", audit);
		struct mst_value *levels = mst_list_new(a);
		for (size_t j = 0; j < d->nlevels; j++) {
			struct mst_value *lv = mst_map_new(a);
			mst_map_set_int(lv, "value", d->levels[j].value);
			mst_map_set_str(lv, "when", d->levels[j].match);
			mst_map_set_str(lv, "text", d->levels[j].text);
			mst_list_push(levels, lv);
		}
		mst_map_set(dv, "levels", levels);
		mst_list_push(dims, dv);
	}
	mst_map_set(v, "dims", dims);
	struct mst_value *rules = mst_list_new(a);
	for (size_t i = 0; i < t->nrules; i++) {
		const struct method_rule *r = &t->rules[i];
		struct buf s = BUF_INIT;
		if (r->grade == m->grades[m->ngrades - 1].letter)
			buf_printf(&s, "Without %s, the grade is %c.", r->needs,
				   r->grade);
		else
			buf_printf(&s,
				   "An A needs %s; otherwise the grade is "
				   "capped at %c.",
				   r->needs, r->grade);
		mst_list_push(rules, mst_str(a, take(a, &s)));
	}
	mst_map_set(v, "rules", rules);
	return v;
}

struct mst_value *view_methodology(struct arena *a, const struct method *m)
{
	struct mst_value *v = mst_map_new(a);
	mst_map_set_str(v, "version", m->version);
	struct mst_value *grades = mst_list_new(a);
	for (size_t i = 0; i < m->ngrades; i++) {
		const struct method_grade *g = &m->grades[i];
		struct mst_value *gv = mst_map_new(a);
		mst_map_set(gv, "letter", mst_str(a, grade_str(a, g->letter)));
		struct buf r = BUF_INIT;
		if (i == 0)
			buf_printf(&r, "%d or more", g->min);
		else
			buf_printf(&r, "%d\u2013%d", g->min,
				   m->grades[i - 1].min - 1);
		mst_map_set_str(gv, "range", take(a, &r));
		mst_map_set_str(gv, "phrase", g->phrase);
		mst_list_push(grades, gv);
	}
	mst_map_set(v, "grades", grades);
	struct mst_value *policy = view_tier(a, m, &m->policy, false);
	struct mst_value *flow = view_tier(a, m, &m->flow, true);
	mst_map_set(v, "policy", policy);
	mst_map_set(v, "flow", flow);
	struct mst_value *tiers = mst_list_new(a);
	mst_list_push(tiers, policy);
	mst_list_push(tiers, flow);
	mst_map_set(v, "tiers", tiers);
	return v;
}

struct mst_value *view_corrections(struct arena *a,
				   const struct store_decision *decisions,
				   size_t n)
{
	struct mst_value *v = mst_map_new(a);
	mst_map_set_str(v, "audit_example",
			"{\n"
			"  \"record\": \"coursera\",\n"
			"  \"email\": \"you@example.com\",\n"
			"  \"date\": \"2026-06-10\",\n"
			"  \"signup_channel\": \"online\",\n"
			"  \"online_path\": true,\n"
			"  \"steps\": 3,\n"
			"  \"path\": [\"My Purchases\", \"Subscriptions\", "
			"\"Cancel\"],\n"
			"  \"retention\": \"skippable-offer\",\n"
			"  \"channel_symmetry\": true,\n"
			"  \"confirmation\": \"immediate\",\n"
			"  \"minutes\": 2.5,\n"
			"  \"clean_exit\": true,\n"
			"  \"evidence\": [{\"title\": \"Screen recording\", "
			"\"url\": \"https://example.com/recording.webm\"}]\n"
			"}");
	struct mst_value *log = mst_list_new(a);
	for (size_t i = 0; i < n; i++) {
		const struct store_decision *d = &decisions[i];
		struct mst_value *e = mst_map_new(a);
		mst_map_set_str(e, "decided", d->day);
		mst_map_set_str(e, "tracking", d->tracking);
		mst_map_set_str(e, "record", d->record);
		mst_map_set_str(e, "field", d->field);
		mst_map_set_str(e, "decision", d->decision);
		mst_map_set_str(e, "reason", d->reason ? d->reason : "");
		mst_list_push(log, e);
	}
	mst_map_set(v, "log", log);
	/* Mustache has no list index: the table shows when this is true. */
	mst_map_set(v, "has_log", mst_bool(n > 0));
	return v;
}

struct mst_value *view_style(struct arena *a, const struct method *m)
{
	struct mst_value *v = mst_map_new(a);
	struct mst_value *grades = mst_list_new(a);
	for (size_t i = 0; i < m->ngrades; i++) {
		struct mst_value *g = mst_map_new(a);
		mst_map_set(g, "letter",
			    mst_str(a, grade_str(a, m->grades[i].letter)));
		mst_map_set_str(g, "color", m->grades[i].color);
		mst_map_set_str(g, "ink", chart_color_ink(m->grades[i].color));
		mst_list_push(grades, g);
	}
	mst_map_set(v, "grades", grades);
	return v;
}

/* ---- insights --------------------------------------------------------- */

static const char *percent_str(struct arena *a, double share)
{
	char s[16];
	snprintf(s, sizeof(s), "%.0f%%", share * 100.0);
	return arena_strdup(a, s);
}

static const char *size_str(struct arena *a, size_t n)
{
	char s[32];
	snprintf(s, sizeof(s), "%zu", n);
	return arena_strdup(a, s);
}

/*
 * A chart section: id, title, text (ending with its n), the SVG, and its
 * numbers as a table of rows (add_row()). @head_n names the table's count
 * column, or is NULL when the rows are single records.
 */
struct insight_section {
	const char *id, *title, *text;
	size_t n;	    /* records the figures are over */
	const char *n_noun; /* "record", "audited record" */
	const char *head_label, *head_n, *head_value;
	bool open; /* the table is open beneath the chart */
};

static struct mst_value *chart_section(struct arena *a,
				       const struct insight_section *sec,
				       struct buf *svg, struct mst_value *rows)
{
	struct mst_value *ch = mst_map_new(a);
	mst_map_set_str(ch, "id", sec->id);
	mst_map_set_str(ch, "title", sec->title);
	mst_map_set_str(ch, "text", sec->text);
	struct buf n = BUF_INIT;
	buf_printf(&n, "n = %s.", count_str(a, sec->n, sec->n_noun));
	mst_map_set_str(ch, "n_text", take(a, &n));
	if (svg->len)
		mst_map_set_str(ch, "svg", take(a, svg));
	buf_free(svg);
	struct mst_value *table = mst_map_new(a);
	mst_map_set_str(table, "title", sec->title);
	mst_map_set_str(table, "head_label", sec->head_label);
	mst_map_set_str(table, "head_n", sec->head_n);
	mst_map_set_str(table, "head_value", sec->head_value);
	mst_map_set_bool(table, "open", sec->open);
	mst_map_set(table, "rows", rows);
	mst_map_set(ch, "table", table);
	return ch;
}

/* A row of a chart's table: the name (linked to its page when @href is
 * set), how many records it covers (NULL: none), and its figure. */
static void add_row(struct arena *a, struct mst_value *rows, const char *label,
		    const char *href, const char *n, const char *value)
{
	struct mst_value *row = mst_map_new(a);
	mst_map_set_str(row, "label", label);
	mst_map_set_str(row, "href", href);
	mst_map_set_str(row, "n", n);
	mst_map_set_str(row, "value", value);
	mst_list_push(rows, row);
}

/* "/industries/" "streaming" "/": a site path around a slug or id. */
static const char *path_str(struct arena *a, const char *before,
			    const char *key, const char *after)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s%s%s", before, key, after);
	return take(a, &b);
}

static struct mst_value *grades_chart(struct arena *a, const struct method *m,
				      const struct stats *st)
{
	struct chart_bar *bars = arena_array(a, m->ngrades, sizeof(*bars));
	struct mst_value *rows = mst_list_new(a);
	for (size_t i = 0; i < m->ngrades; i++) {
		size_t k = st->headline_grades[i];
		const char *letter = grade_str(a, m->grades[i].letter);
		bars[i] = (struct chart_bar){ letter, (double)k, size_str(a, k),
					      m->grades[i].color };
		add_row(a, rows, letter, path_str(a, "/?grade=", letter, ""),
			bars[i].value_label,
			percent_str(a, st->n ? (double)k / (double)st->n : 0));
	}
	struct buf svg = BUF_INIT;
	chart_bars(&svg, &(struct chart_bars){
				 "grades", "Records by grade",
				 "How many records have each headline grade.",
				 bars, m->ngrades, 0, 0, 0 });
	return chart_section(
		a,
		&(struct insight_section){
			"grades", "Grade distribution",
			"Headline grades: the Verified-Flow grade "
			"where a cancellation has been audited, the "
			"Documented-Policy grade otherwise.",
			st->n, "record", "Grade", "Records", "Share", false },
		&svg, rows);
}

static struct mst_value *dims_chart(struct arena *a,
				    const struct method_tier *t,
				    const double *means, size_t n,
				    const struct insight_section *sec)
{
	struct chart_bar *bars = arena_array(a, t->ndims, sizeof(*bars));
	struct mst_value *rows = mst_list_new(a);
	for (size_t i = 0; i < t->ndims; i++) {
		bars[i] = (struct chart_bar){ t->dims[i].name, means[i],
					      mean1_str(a, means[i]), NULL };
		add_row(a, rows, t->dims[i].name,
			path_str(a, "/methodology/#", t->dims[i].id, ""),
			size_str(a, n), bars[i].value_label);
	}
	struct buf svg = BUF_INIT;
	chart_bars(&svg, &(struct chart_bars){ sec->id, sec->title, sec->text,
					       bars, t->ndims, 100, 0, 0 });
	return chart_section(a, sec, &svg, rows);
}

/*
 * Mean headline score by industry, best first. Industries under
 * STATS_MIN_MEAN records get no bar and no mean: the table says so, and
 * the page lists them beneath the chart.
 */
static struct mst_value *industry_chart(struct arena *a, const struct stats *st)
{
	const struct stats_group **order = arena_array(
		a, st->nindustries ? st->nindustries : 1, sizeof(*order));
	size_t n, charted = stats_rank(st->industries, st->nindustries, order,
				       &n);
	struct chart_bar *bars = arena_array(a, n ? n : 1, sizeof(*bars));
	struct mst_value *rows = mst_list_new(a);
	struct mst_value *small = mst_list_new(a);
	struct buf under = BUF_INIT;
	buf_printf(&under, "\u2013 (under %d)", STATS_MIN_MEAN);
	const char *no_mean = take(a, &under);
	for (size_t i = 0; i < n; i++) {
		const struct stats_group *g = order[i];
		const char *href = path_str(a, "/industries/", g->g->key, "/");
		const char *mean =
			i < charted ? mean1_str(a, g->mean_headline) : no_mean;
		if (i < charted) {
			struct buf v = BUF_INIT;
			buf_printf(&v, "%s (n = %zu)", mean, g->n);
			bars[i] = (struct chart_bar){ g->g->name,
						      g->mean_headline,
						      take(a, &v), NULL };
		} else {
			struct mst_value *it = mst_map_new(a);
			mst_map_set_str(it, "name", g->g->name);
			mst_map_set_str(it, "path", href);
			mst_map_set_int(it, "n", (long long)g->n);
			mst_list_push(small, it);
		}
		add_row(a, rows, g->g->name, href, size_str(a, g->n), mean);
	}
	struct buf svg = BUF_INIT;
	if (charted)
		chart_bars(&svg,
			   &(struct chart_bars){
				   "industries", "Mean score by industry",
				   "The mean headline score of each industry "
				   "with enough records, best first, out of "
				   "100.",
				   bars, charted, 100, 0, 0 });
	struct buf text = BUF_INIT;
	buf_printf(&text,
		   "The mean headline score of each industry with at least "
		   "%d records, best first, out of 100; higher is easier to "
		   "leave.",
		   STATS_MIN_MEAN);
	struct mst_value *ch = chart_section(
		a,
		&(struct insight_section){
			"industries", "By industry", take(a, &text), st->n,
			"record", "Industry", "Records", "Mean score", true },
		&svg, rows);
	if (n > charted) {
		struct buf why = BUF_INIT;
		buf_printf(&why,
			   "No mean for %s industr%s with fewer than %d "
			   "records: a handful of records says more about "
			   "those companies than about their industry.",
			   n - charted == 1 ? "this" : "these",
			   n - charted == 1 ? "y" : "ies", STATS_MIN_MEAN);
		mst_map_set_str(ch, "small_text", take(a, &why));
		mst_map_set(ch, "small", small);
	}
	return ch;
}

/* A share of the records, charted: what it counts, in words. */
struct share_figure {
	const char *id, *title, *text;
	const char *yes, *no; /* the records counted, and the others */
};

/* The shares the insights page charts, as view_insights() counts them. */
static const struct share_figure share_figures[] = {
	{ "online", "No online cancel",
	  "Records whose documented channels include no online or in-app "
	  "self-serve cancel.",
	  "No online self-serve cancel", "Online or in-app cancel" },
	{ "phone", "Phone as a channel",
	  "Records that list the phone among the ways to cancel.",
	  "Phone listed", "No phone" },
	{ "pause", "Pause availability",
	  "Records that offer a pause or freeze as an alternative to "
	  "cancelling.",
	  "Pause offered", "No pause" },
};

static struct mst_value *share_chart(struct arena *a,
				     const struct share_figure *f, size_t count,
				     size_t total)
{
	const char *id = f->id, *title = f->title, *text = f->text;
	const char *yes = f->yes, *no = f->no;
	struct chart_part *parts = arena_array(a, 2, sizeof(*parts));
	parts[0] = (struct chart_part){ yes, (double)count, "#b5470b" };
	parts[1] =
		(struct chart_part){ no, (double)(total - count), "#8c959f" };
	struct mst_value *rows = mst_list_new(a);
	double share = total ? (double)count / (double)total : 0;
	add_row(a, rows, yes, NULL, size_str(a, count), percent_str(a, share));
	add_row(a, rows, no, NULL, size_str(a, total - count),
		percent_str(a, total ? 1.0 - share : 0));
	struct buf svg = BUF_INIT;
	chart_share(&svg,
		    &(struct chart_share){ id, title, text, parts, 2, 0 });
	return chart_section(a,
			     &(struct insight_section){
				     id, title, text, total, "record",
				     "Records", "Records", "Share", false },
			     &svg, rows);
}

static struct mst_value *gaps_chart(struct arena *a, const struct stats *st)
{
	struct chart_bar *bars =
		arena_array(a, st->ntop_gaps + 1, sizeof(*bars));
	struct mst_value *rows = mst_list_new(a);
	for (size_t i = 0; i < st->ntop_gaps; i++) {
		const struct entry *e = st->top_gaps[i];
		char v[16];
		snprintf(v, sizeof(v), "+%d", catalog_gap(e));
		bars[i] = (struct chart_bar){ isolated(a, e->r->name.s),
					      (double)catalog_gap(e),
					      arena_strdup(a, v), "#b42318" };
		add_row(a, rows, bars[i].label,
			record_path(a, e->r->id.s, SITEURL_PAGE), NULL,
			bars[i].value_label);
	}
	struct buf svg = BUF_INIT;
	chart_bars(&svg, &(struct chart_bars){
				 "gaps", "Largest gaps",
				 "Audited records whose documented policy "
				 "scores furthest above what the recorded "
				 "cancellation scored.",
				 bars, st->ntop_gaps, 100, 0, 0 });
	return chart_section(a,
			     &(struct insight_section){
				     "gaps", "The largest gaps",
				     "Policy score minus flow score, where a "
				     "cancellation has been audited: a policy "
				     "that reads easy over a flow that is hard "
				     "is the dark-pattern tell. The largest "
				     "positive gaps among the audited records.",
				     st->audited, "audited record", "Record",
				     NULL, "Gap (points)", true },
			     &svg, rows);
}

struct mst_value *view_insights(struct arena *a, const struct catalog *c,
				const struct stats *st)
{
	const struct method *m = c->m;
	struct mst_value *v = mst_map_new(a);
	size_t fictional = 0;
	for (size_t i = 0; i < c->n; i++)
		fictional += c->entries[i].r->fictional.v;
	if (fictional)
		mst_map_set_int(v, "fictional", (long long)fictional);
	struct mst_value *charts = mst_list_new(a);
	mst_list_push(charts, grades_chart(a, m, st));
	mst_list_push(
		charts,
		dims_chart(a, &m->policy, st->policy_levels, st->n,
			   &(struct insight_section){
				   "policy", "Mean level per policy dimension",
				   "How far, on average, records reach "
				   "on each Documented-Policy dimension "
				   "(100 is the best level).",
				   st->n, "record", "Dimension", "Records",
				   "Mean level, of 100", false }));
	if (st->audited)
		mst_list_push(
			charts,
			dims_chart(a, &m->flow, st->flow_levels, st->audited,
				   &(struct insight_section){
					   "flow",
					   "Mean level per flow dimension",
					   "The same for the Verified-Flow "
					   "dimensions, over audited "
					   "records.",
					   st->audited, "audited record",
					   "Dimension", "Records",
					   "Mean level, of 100", false }));
	mst_list_push(charts, industry_chart(a, st));
	const size_t shares[] = { st->no_online, st->phone, st->pause };
	for (size_t i = 0; i < ATLAS_COUNT(share_figures); i++)
		mst_list_push(charts, share_chart(a, &share_figures[i],
						  shares[i], st->n));
	if (st->ntop_gaps)
		mst_list_push(charts, gaps_chart(a, st));
	mst_map_set(v, "charts", charts);
	return v;
}
