/*
 * opendata.c - the JSON API (/api/v1/: companies.json, one file per
 * record, index.json, insights.json), and the writing of every
 * machine-readable file of the site, each made by the module for it.
 *
 * The reference system's companies.json shape is a contract with its
 * clients, so its keys come first and keep their types; what we add
 * (reasons for levels, the grade cap, the gap, page URLs) is in extra
 * keys that such clients ignore. JSON goes through jansson: data never
 * becomes syntax.
 *
 * At 100,000 records one loop builds each entry's JSON once, appends it
 * to companies.json, writes it as api/v1/companies/<id>.json with the
 * citation files beside it, and frees it: one entry's objects live at a
 * time.
 */
#include "opendata.h"
#include "arena.h"
#include "cite.h"
#include "csvdata.h"
#include "date.h"
#include "feed.h"
#include "fresh.h"
#include "histprint.h"
#include "internal.h"
#include "pagestate.h"
#include "schema.h"
#include "score.h"
#include "sitemap.h"
#include "siteurl.h"
#include "uri.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ---- small JSON helpers ---------------------------------------------- */

static int dump_to_buf(const char *s, size_t n, void *data)
{
	return buf_put(data, s, n) ? 0 : -1;
}

static bool json_put(struct buf *out, const json_t *j, size_t flags)
{
	return json_dump_callback(j, dump_to_buf, out, flags) == 0;
}

static json_t *text_or_null(const struct text *t)
{
	return t->s ? json_stringn(t->s, t->len) : json_null();
}

/* A URL of a record, in RFC 3986 form; null when absent. */
static json_t *uri_json(const struct text *t)
{
	if (!t->s)
		return json_null();
	struct buf b = BUF_INIT;
	uri_put(&b, t->s);
	json_t *j = json_stringn(buf_cstr(&b), b.len);
	buf_free(&b);
	return j;
}

static json_t *date_json(date_days days)
{
	char s[DATE_ISO_LEN + 1];
	date_format(days, s);
	return json_string(s);
}

static json_t *grade_json(char grade)
{
	char s[2] = { grade, '\0' };
	return json_string(s);
}

static json_t *buf_json(struct buf *b)
{
	json_t *j = json_stringn(buf_cstr(b), b->len);
	buf_free(b);
	return j;
}

static json_t *record_url_json(const struct site_info *site, const char *id)
{
	struct buf b = BUF_INIT;
	siteurl_put_record(&b, site, id);
	return buf_json(&b);
}

static json_t *site_url_json(const struct site_info *site, const char *path)
{
	struct buf b = BUF_INIT;
	siteurl_put(&b, site, path);
	return buf_json(&b);
}

/* @x rounded to @places decimals, for figures people read. */
static json_t *real_json(double x, int places)
{
	double scale = pow(10, places);
	return json_real(round(x * scale) / scale);
}

/* The build date, as the reference dates its files: "2026-07-01". */
static json_t *generated_json(const struct catalog *c)
{
	return date_json(fresh_day_of(c->generated));
}

/* What every file of the API starts with: api_version,
 * methodology_version and generated. */
static json_t *file_head(const struct catalog *c)
{
	json_t *root = json_object();
	json_object_set_new(root, "api_version",
			    json_string(SITEURL_API_VERSION));
	json_object_set_new(root, "methodology_version",
			    json_string(c->m->version));
	json_object_set_new(root, "generated", generated_json(c));
	return root;
}

/* ---- one record ------------------------------------------------------ */

static json_t *cap_json(const struct score_result *s)
{
	if (!s->rules_applied)
		return json_null();
	struct buf b = BUF_INIT;
	score_put_cap(&b, s);
	json_t *j = json_stringn(buf_cstr(&b), b.len);
	buf_free(&b);
	return j;
}

static json_t *scores_json(const struct score_result *s)
{
	json_t *o = json_object();
	for (size_t i = 0; i < s->tier->ndims; i++)
		json_object_set_new(o, s->tier->dims[i].id,
				    json_integer(s->levels[i]));
	return o;
}

static json_t *policy_json(const struct method *m, const struct record *r,
			   const struct score_result *s)
{
	json_t *p = json_object();
	json_object_set_new(p, "evidence_tier", json_string(m->policy.id));
	json_object_set_new(p, "scores", scores_json(s));
	json_object_set_new(p, "score", json_integer(s->score));
	json_object_set_new(p, "grade", grade_json(s->grade));
	json_object_set_new(p, "policy_url", uri_json(&r->official_page));
	json_object_set_new(p, "policy_summary", text_or_null(&r->summary));
	json_object_set_new(p, "policy_checked", date_json(r->reviewed.days));
	json_t *sources = json_array();
	for (size_t i = 0; i < r->nevidence; i++) {
		const struct evidence *e = &r->evidence[i];
		json_t *src = json_object();
		json_object_set_new(src, "title", text_or_null(&e->title));
		json_object_set_new(src, "url", uri_json(&e->url));
		json_object_set_new(src, "accessed",
				    date_json(e->accessed.days));
		json_array_append_new(sources, src);
	}
	json_object_set_new(p, "sources", sources);
	json_object_set_new(p, "refund_url", uri_json(&r->refund_page));
	json_object_set_new(p, "exit_fee", json_boolean(r->exit_fee.v));
	json_t *reasons = json_object();
	for (size_t i = 0; i < m->policy.ndims; i++)
		if (r->why[i].s)
			json_object_set_new(reasons, m->policy.dims[i].id,
					    text_or_null(&r->why[i]));
	json_object_set_new(p, "reasons", reasons);
	json_object_set_new(p, "band", grade_json(s->band));
	json_object_set_new(p, "grade_cap", cap_json(s));
	json_object_set_new(p, "methodology_version", json_string(m->version));
	return p;
}

/* Whole numbers as JSON integers, as the rest of the API writes them. */
static json_t *number_json(double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		return json_integer((json_int_t)v);
	return json_real(v);
}

/* Every audit of @r in full, as the record file holds it, so that an
 * import of companies.json gives the audits back with their evidence. */
static json_t *audits_json(const struct record *r)
{
	json_t *list = json_array();
	for (size_t i = 0; i < r->nflow; i++) {
		const struct audit *a = &r->flow[i];
		json_t *o = json_object();
		char day[DATE_ISO_LEN + 1];
		date_format(a->date.days, day);
		json_object_set_new(o, "date", json_string(day));
		json_object_set_new(o, "tier",
				    json_string(record_tier_id(a->tier)));
		json_object_set_new(
			o, "signup_channel",
			json_string(record_channel_id(a->signup_channel)));
		json_object_set_new(o, "online_path",
				    json_boolean(a->online_path.v));
		json_object_set_new(o, "steps", number_json(a->steps.v));
		json_t *path = json_array();
		for (size_t k = 0; k < a->npath; k++)
			json_array_append_new(path, text_or_null(&a->path[k]));
		json_object_set_new(o, "path", path);
		json_object_set_new(o, "retention",
				    text_or_null(&a->retention));
		json_object_set_new(o, "channel_symmetry",
				    json_boolean(a->channel_symmetry.v));
		json_object_set_new(o, "confirmation",
				    text_or_null(&a->confirmation));
		json_object_set_new(o, "minutes", number_json(a->minutes.v));
		json_object_set_new(o, "clean_exit",
				    json_boolean(a->clean_exit.v));
		json_object_set_new(o, "notes", text_or_null(&a->notes));
		json_t *files = json_array();
		for (size_t k = 0; k < a->nevidence; k++) {
			const struct audit_file *f = &a->evidence[k];
			json_t *fo = json_object();
			json_object_set_new(fo, "title",
					    text_or_null(&f->title));
			json_object_set_new(fo, "file", text_or_null(&f->file));
			json_object_set_new(fo, "sha256",
					    text_or_null(&f->sha256));
			json_array_append_new(files, fo);
		}
		json_object_set_new(o, "evidence", files);
		json_array_append_new(list, o);
	}
	return list;
}

static json_t *flow_json(const struct method *m, const struct record *r,
			 const struct audit *a, const struct score_result *s)
{
	json_t *f = json_object();
	json_object_set_new(f, "evidence_tier",
			    json_string(record_tier_id(a->tier)));
	json_object_set_new(f, "scores", scores_json(s));
	json_object_set_new(f, "score", json_integer(s->score));
	json_object_set_new(f, "grade", grade_json(s->grade));
	json_object_set_new(f, "audit_date", date_json(a->date.days));
	json_object_set_new(f, "audits", json_integer((json_int_t)r->nflow));
	json_t *facts = json_object();
	json_object_set_new(facts, "signup_channel",
			    json_string(record_channel_id(a->signup_channel)));
	json_object_set_new(facts, "online_path",
			    json_boolean(a->online_path.v));
	json_object_set_new(
		facts, "steps",
		json_integer(record_number_int(a->steps.v, 0, INT_MAX)));
	json_object_set_new(facts, "retention", text_or_null(&a->retention));
	json_object_set_new(facts, "channel_symmetry",
			    json_boolean(a->channel_symmetry.v));
	json_object_set_new(facts, "confirmation",
			    text_or_null(&a->confirmation));
	json_object_set_new(facts, "minutes", json_real(a->minutes.v));
	json_object_set_new(facts, "clean_exit", json_boolean(a->clean_exit.v));
	json_object_set_new(f, "facts", facts);
	json_object_set_new(f, "all_audits", audits_json(r));
	json_object_set_new(f, "band", grade_json(s->band));
	json_object_set_new(f, "grade_cap", cap_json(s));
	json_object_set_new(f, "methodology_version", json_string(m->version));
	return f;
}

/* Whether a note says no more than the status: "Not offered." */
static bool note_is_status(const struct text *note)
{
	static const char *const bare[] = { "offered", "not offered",
					    "available", "not available" };
	size_t n = note->len;
	while (n && note->s[n - 1] == '.')
		n--;
	for (size_t i = 0; i < ATLAS_COUNT(bare); i++)
		if (strlen(bare[i]) == n && !strncasecmp(note->s, bare[i], n))
			return true;
	return false;
}

/* `pause` as the reference writes it: "not offered. NOTE" or
 * "available (NOTE)". */
static json_t *pause_json(const struct record *r)
{
	const struct text *note = &r->pause_note;
	bool offered = r->pause_offered.v;
	struct buf b = BUF_INIT;
	buf_puts(&b, offered ? "available" : "not offered");
	if (note->s && !note_is_status(note)) {
		size_t n = note->len;
		if (offered) {
			/* "(Up to three months.)" reads as a slip. */
			if (n && note->s[n - 1] == '.')
				n--;
			buf_puts(&b, " (");
			buf_put(&b, note->s, n);
			buf_putc(&b, ')');
		} else {
			buf_puts(&b, ". ");
			buf_put(&b, note->s, n);
		}
	}
	return buf_json(&b);
}

/* `data_deletion` as the reference writes it: the note, then the URL. */
static json_t *deletion_json(const struct record *r)
{
	struct buf b = BUF_INIT;
	if (r->deletion_note.s)
		buf_put(&b, r->deletion_note.s, r->deletion_note.len);
	if (r->deletion_url.s) {
		if (b.len)
			buf_putc(&b, ' ');
		uri_put(&b, r->deletion_url.s);
	}
	return buf_json(&b);
}

static json_t *company_json(const struct site_info *site,
			    const struct method *m, const struct record *r,
			    const struct score_result *policy,
			    const struct audit *a,
			    const struct score_result *flow)
{
	json_t *c = json_object();
	json_object_set_new(c, "id", text_or_null(&r->id));
	json_object_set_new(c, "name", text_or_null(&r->name));
	json_object_set_new(c, "industry", text_or_null(&r->industry));
	json_object_set_new(c, "jurisdiction", text_or_null(&r->jurisdiction));
	json_t *types = json_array();
	for (size_t i = 0; i < r->nchannels; i++)
		json_array_append_new(types, json_string(record_channel_label(
						     r->channels[i])));
	json_object_set_new(c, "cancellation_types", types);
	json_object_set_new(c, "pause", pause_json(r));
	json_object_set_new(c, "data_deletion", deletion_json(r));
	json_object_set_new(c, "policy", policy_json(m, r, policy));
	json_object_set_new(c, "flow",
			    a ? flow_json(m, r, a, flow) : json_null());

	/* The same facts in parts, for clients that want them. */
	json_t *pause = json_object();
	json_object_set_new(pause, "offered", json_boolean(r->pause_offered.v));
	json_object_set_new(pause, "note", text_or_null(&r->pause_note));
	json_object_set_new(c, "pause_detail", pause);
	json_t *deletion = json_object();
	json_object_set_new(deletion, "note", text_or_null(&r->deletion_note));
	json_object_set_new(deletion, "url", uri_json(&r->deletion_url));
	json_object_set_new(c, "data_deletion_detail", deletion);

	const struct score_result *head = a ? flow : policy;
	json_t *headline = json_object();
	json_object_set_new(
		headline, "evidence_tier",
		json_string(a ? record_tier_id(a->tier) : m->policy.id));
	json_object_set_new(headline, "score", json_integer(head->score));
	json_object_set_new(headline, "grade", grade_json(head->grade));
	json_object_set_new(c, "headline", headline);
	json_object_set_new(c, "gap",
			    a ? json_integer(policy->score - flow->score)
			      : json_null());
	json_object_set_new(c, "fictional", json_boolean(r->fictional.v));
	json_object_set_new(c, "reviewed", date_json(r->reviewed.days));
	json_object_set_new(c, "url", record_url_json(site, r->id.s));
	return c;
}

/*
 * Each source says what monitoring found of its page: `status` and the
 * date it was `checked` (null when never); with no @pages, "unchecked".
 */
static void add_page_states(json_t *j, const struct pagestate_db *pages,
			    const struct record *r)
{
	struct arena *a = arena_new();
	struct pagestate *v;
	size_t n = pagestate_record(pages, r, a, &v);
	json_t *sources =
		json_object_get(json_object_get(j, "policy"), "sources");
	size_t i;
	json_t *src;
	json_array_foreach (sources, i, src) {
		const char *url =
			json_string_value(json_object_get(src, "url"));
		const struct pagestate *p = NULL;
		for (size_t k = 0; url && k < n && !p; k++)
			if (!strcmp(v[k].url, url))
				p = &v[k];
		json_object_set_new(
			src, "status",
			json_string(pagestate_status_str(
				p ? p->status : PAGESTATE_UNCHECKED)));
		json_object_set_new(
			src, "checked",
			p && p->checked
				? date_json((date_days)(p->checked / 86400))
				: json_null());
	}
	arena_free(a);
}

json_t *opendata_company(const struct site_info *site, const struct method *m,
			 const struct record *r)
{
	struct score_result policy, flow;
	score_policy(m, r, &policy);
	const struct audit *a = record_latest_audit(r);
	if (a)
		score_flow(m, a, &flow);
	json_t *j = company_json(site, m, r, &policy, a, &flow);
	add_page_states(j, NULL, r);
	return j;
}

json_t *opendata_entry(const struct catalog *c, const struct entry *e)
{
	json_t *j = company_json(c->site, c->m, e->r, &e->policy, e->audit,
				 &e->flow);
	add_page_states(j, c->pages, e->r);
	return j;
}

/* ---- the methodology ------------------------------------------------- */

static json_t *dims_json(const struct method_tier *tier)
{
	json_t *dims = json_array();
	for (size_t i = 0; i < tier->ndims; i++) {
		const struct method_dim *d = &tier->dims[i];
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(d->id));
		json_object_set_new(o, "name", json_string(d->name));
		json_object_set_new(o, "weight", json_integer(d->weight));
		json_t *levels = json_array();
		for (size_t j = 0; j < d->nlevels; j++) {
			const struct method_level *l = &d->levels[j];
			json_t *lv = json_object();
			json_object_set_new(lv, "value",
					    json_integer(l->value));
			if (l->match)
				json_object_set_new(lv, "when",
						    json_string(l->match));
			else if (d->input == METHOD_INPUT_NUMBER)
				json_object_set_new(
					lv, "up_to",
					l->upto < 0 ? json_null()
						    : json_real(l->upto));
			json_object_set_new(lv, "text", json_string(l->text));
			json_array_append_new(levels, lv);
		}
		json_object_set_new(o, "levels", levels);
		json_array_append_new(dims, o);
	}
	return dims;
}

static json_t *weights_json(const struct method_tier *tier)
{
	json_t *w = json_object();
	for (size_t i = 0; i < tier->ndims; i++)
		json_object_set_new(w, tier->dims[i].id,
				    json_integer(tier->dims[i].weight));
	return w;
}

void opendata_method(const struct method *m, json_t *root)
{
	json_object_set_new(root, "methodology_version",
			    json_string(m->version));
	json_object_set_new(root, "policy_weights", weights_json(&m->policy));
	json_object_set_new(root, "flow_weights", weights_json(&m->flow));
	json_object_set_new(root, "policy_dimensions", dims_json(&m->policy));
	json_object_set_new(root, "flow_dimensions", dims_json(&m->flow));
}

json_t *opendata_grade_bands(const struct method *m)
{
	json_t *bands = json_array();
	for (size_t i = 0; i < m->ngrades; i++) {
		json_t *b = json_object();
		json_object_set_new(b, "grade",
				    grade_json(m->grades[i].letter));
		json_object_set_new(b, "min", json_integer(m->grades[i].min));
		json_object_set_new(b, "phrase",
				    json_string(m->grades[i].phrase));
		json_array_append_new(bands, b);
	}
	return bands;
}

/* ---- the reference's descriptive keys -------------------------------- */

/* "30 * cancel_url + 20 * channel_disclosed + ..." */
static void put_weighted_sum(struct buf *b, const struct method_tier *t)
{
	for (size_t i = 0; i < t->ndims; i++)
		buf_printf(b, "%s%d * %s", i ? " + " : "", t->dims[i].weight,
			   t->dims[i].id);
}

/* The rules of @t that cap the grade at @cap, as "X, Y and Z". */
static size_t put_needs(struct buf *b, const struct method_tier *t, char cap)
{
	size_t n = 0, total = 0;
	for (size_t i = 0; i < t->nrules; i++)
		total += t->rules[i].grade == cap;
	for (size_t i = 0; i < t->nrules; i++) {
		if (t->rules[i].grade != cap)
			continue;
		n++;
		buf_printf(b, "%s%s",
			   n == 1	? ""
			   : n == total ? " and "
					: ", ",
			   t->rules[i].needs);
	}
	return n;
}

/* The grade bands, then each tier's grade rules, in the words of the
 * methodology page. */
static void put_grade_rule(struct buf *b, const struct method *m)
{
	for (size_t i = 0; i < m->ngrades; i++) {
		const struct method_grade *g = &m->grades[i];
		if (i + 1 < m->ngrades)
			buf_printf(b, "%c >= %d, ", g->letter, g->min);
		else
			buf_printf(b, "%c below %d.", g->letter,
				   m->grades[i - 1].min);
	}
	const struct method_tier *tiers[] = { &m->policy, &m->flow };
	for (size_t t = 0; t < ATLAS_COUNT(tiers); t++) {
		buf_printf(b, " %s:", tiers[t]->name);
		/* The harshest cap first. */
		for (size_t g = m->ngrades; g-- > 1;) {
			char cap = m->grades[g].letter;
			struct buf needs = BUF_INIT;
			if (!put_needs(&needs, tiers[t], cap))
				continue;
			if (g + 1 == m->ngrades)
				buf_printf(
					b,
					" Needed for any grade above %c: %s.",
					cap, needs.data);
			else
				buf_printf(b,
					   " Needed for grade %c: %s "
					   "(otherwise at most %c).",
					   m->grades[0].letter, needs.data,
					   cap);
			buf_free(&needs);
		}
	}
	buf_puts(b, " A grade rule never changes the score.");
}

/*
 * The reference's descriptive top-level keys (disclaimer, score_model,
 * score_formula, grade_rule, evidence_tiers), worded from the
 * methodology table so they cannot drift from what is computed.
 */
static void put_reference_keys(const struct method *m, json_t *root)
{
	struct buf b = BUF_INIT;
	buf_printf(&b,
		   "Scores describe how clearly companies publish their "
		   "cancellation policies (%s) and, where a cancellation was "
		   "recorded, what happened (%s). They are opinion grounded "
		   "in cited, dated facts, not legal advice, and cannot be "
		   "bought or removed.",
		   m->policy.name, m->flow.name);
	json_object_set_new(root, "disclaimer", buf_json(&b));
	buf_printf(&b,
		   "%s: two tiers scored 0-100 (higher is easier to leave) "
		   "and never averaged: %s, %zu dimensions, for every "
		   "record; %s, %zu dimensions, for records with a "
		   "cancellation audit. The headline score is the flow score "
		   "where an audit exists, else the policy score.",
		   m->version, m->policy.name, m->policy.ndims, m->flow.name,
		   m->flow.ndims);
	json_object_set_new(root, "score_model", buf_json(&b));
	buf_puts(&b, "policy score = round((");
	put_weighted_sum(&b, &m->policy);
	buf_puts(&b, ") / 100), half up, each dimension a level from 0 to "
		     "100; the flow score is the same sum over flow_weights: "
		     "round((");
	put_weighted_sum(&b, &m->flow);
	buf_puts(&b, ") / 100).");
	json_object_set_new(root, "score_formula", buf_json(&b));
	put_grade_rule(&b, m);
	json_object_set_new(root, "grade_rule", buf_json(&b));

	json_t *tiers = json_object();
	json_object_set_new(
		tiers, m->policy.id,
		json_sprintf("%s: how clearly the cancellation policy is "
			     "published, from the company's own public pages "
			     "(every record).",
			     m->policy.name));
	json_object_set_new(
		tiers, record_tier_id(AUDIT_EDITOR_VERIFIED),
		json_sprintf("%s: a cancellation recorded end to end by an "
			     "editor.",
			     m->flow.name));
	json_object_set_new(
		tiers, record_tier_id(AUDIT_CROWD_VERIFIED),
		json_sprintf("%s: a cancellation recorded by a member of the "
			     "public, with its evidence, and accepted by an "
			     "editor.",
			     m->flow.name));
	json_object_set_new(root, "evidence_tiers", tiers);
}

/* ---- companies.json and the per-record files ------------------------- */

/* Append @o's members without its braces: "k":v,"k":v */
static bool put_members(struct buf *out, const json_t *o)
{
	size_t start = out->len;
	if (!json_put(out, o, JSON_COMPACT) || out->len - start < 3)
		return false;
	/* Drop the closing brace, then the opening one. */
	out->len--;
	memmove(out->data + start, out->data + start + 1, out->len - start - 1);
	out->len--;
	out->data[out->len] = '\0';
	return true;
}

static bool put_companies_head(struct buf *out, const struct catalog *c)
{
	json_t *root = file_head(c);
	json_object_set_new(root, "total_count",
			    json_integer((json_int_t)c->n));
	json_object_set_new(root, "license",
			    json_string(c->site->license_name.s));
	put_reference_keys(c->m, root);
	opendata_method(c->m, root);
	bool ok = buf_putc(out, '{') && put_members(out, root) &&
		  buf_puts(out, ",\"companies\":[");
	json_decref(root);
	return ok;
}

static bool put_companies_tail(struct buf *out, const struct catalog *c)
{
	json_t *tail = json_object();
	json_object_set_new(tail, "grade_bands", opendata_grade_bands(c->m));
	json_object_set_new(tail, "license_url",
			    json_string(c->site->license_url.s));
	bool ok = buf_puts(out, "\n],") && put_members(out, tail) &&
		  buf_puts(out, "}\n");
	json_decref(tail);
	return ok;
}

/* The whole companies.json from each entry's line; NULL lines are built. */
static bool put_companies(struct buf *out, const struct catalog *c)
{
	bool ok = put_companies_head(out, c);
	for (size_t i = 0; i < c->n && ok; i++) {
		json_t *j = opendata_entry(c, &c->entries[i]);
		ok = buf_puts(out, i ? ",\n" : "\n") &&
		     json_put(out, j, JSON_COMPACT);
		json_decref(j);
	}
	return ok && put_companies_tail(out, c);
}

/* A record's committed versions, newest first, as `cancelatlas history
 * --json` lists them. */
static json_t *history_json(const struct catalog *c, const struct entry *e)
{
	json_t *list = json_array();
	if (!e->history)
		return list;
	json_t *h = histprint_json(c->m, e->history, NULL);
	size_t i;
	json_t *v;
	json_array_foreach (json_object_get(h, "versions"), i, v)
		if (json_is_string(json_object_get(v, "commit")))
			json_array_append(list, v);
	json_decref(h);
	return list;
}

void opendata_record_extras(const struct catalog *c, const struct entry *e,
			    json_t *j)
{
	json_object_set_new(j, "review_age_days", json_integer(e->review_age));
	json_object_set_new(j, "stale", json_boolean(e->stale));
	json_object_set_new(
		j, "history_available",
		json_boolean(c->history_read && !c->history_unavailable));
	json_object_set_new(j, "history", history_json(c, e));
}

int opendata_write_record(struct outdir *o, const struct catalog *c,
			  const struct entry *e, struct buf *line,
			  struct buf *err)
{
	json_t *j = opendata_entry(c, e);
	struct buf path = BUF_INIT, tmp = BUF_INIT;
	/* One entry a line in companies.json, so line tools can page it. */
	int rc = json_put(line, j, JSON_COMPACT) ? 0 : -1;
	if (rc == 0) {
		json_object_set_new(j, "methodology_version",
				    json_string(c->m->version));
		json_object_set_new(j, "generated", generated_json(c));
		opendata_record_extras(c, e, j);
		siteurl_put_record_file(&path, e->r->id.s, SITEURL_API);
		rc = json_put(&tmp, j, JSON_INDENT(2)) && buf_putc(&tmp, '\n')
			     ? 0
			     : -1;
	}
	if (rc != 0)
		buf_printf(err, "cannot serialise the entry of %s", e->r->id.s);
	else if (outdir_write(o, path.data, tmp.data, tmp.len, err) != 0 ||
		 cite_write_files(o, c->site, c->m, e->r, err) != 0)
		rc = -1;
	json_decref(j);
	buf_free(&path);
	buf_free(&tmp);
	return rc;
}

int opendata_record_line(const struct catalog *c, const struct entry *e,
			 struct buf *line)
{
	json_t *j = opendata_entry(c, e);
	int rc = json_put(line, j, JSON_COMPACT) ? 0 : -1;
	json_decref(j);
	return rc;
}

/* companies.json from the lines opendata_write_record() made. */
static int write_companies(struct outdir *o, const struct catalog *c,
			   const char *const *lines, const size_t *line_lens,
			   struct buf *err)
{
	struct buf head = BUF_INIT, tail = BUF_INIT;
	size_t n = 2 * c->n + 2;
	const char **parts = xmalloc(n * sizeof(*parts));
	size_t *lens = xmalloc(n * sizeof(*lens));
	bool ok = put_companies_head(&head, c) && put_companies_tail(&tail, c);
	size_t k = 0;
	parts[k] = buf_cstr(&head), lens[k++] = head.len;
	for (size_t i = 0; i < c->n; i++) {
		parts[k] = i ? ",\n" : "\n", lens[k++] = i ? 2 : 1;
		parts[k] = lines[i];
		lens[k++] = line_lens && line_lens[i] ? line_lens[i]
						      : strlen(lines[i]);
	}
	parts[k] = buf_cstr(&tail), lens[k++] = tail.len;
	int rc = ok ? outdir_write_parts(o, "api/v1/companies.json", parts,
					 lens, k, err)
		    : -1;
	if (!ok)
		buf_puts(err, "cannot serialise api/v1/companies.json");
	free(parts);
	free(lens);
	buf_free(&head);
	buf_free(&tail);
	return rc;
}

bool opendata_put_companies(struct buf *out, const struct catalog *c)
{
	return put_companies(out, c);
}

/* ---- index.json ------------------------------------------------------ */

static const struct endpoint {
	const char *path;
	const char *type;
	const char *title;
	const char *description;
} endpoints[] = {
	{ "/api/v1/companies.json", "application/json", "All records",
	  "Every record in id order with its scores, grades, evidence and "
	  "the methodology's weights and dimensions." },
	{ "/api/v1/companies/{id}.json", "application/json", "One record",
	  "One record's entry of companies.json, with methodology_version "
	  "and generated; replace {id} with a record id." },
	{ "/api/v1/schema.json", "application/schema+json", "JSON Schema",
	  "JSON Schema (draft 2020-12) of one companies[] entry; $defs "
	  "describe the whole file and the per-record file." },
	{ "/api/v1/insights.json", "application/json", "Insights",
	  "Aggregate figures: grades, mean levels per dimension, scores by "
	  "industry and jurisdiction, channels, pauses and gaps." },
	{ "/api/v1/index.json", "application/json", "API index",
	  "This list of endpoints, with counts." },
	{ "/data/companies.csv", "text/csv", "CSV",
	  "One row per record (RFC 4180, UTF-8): scores, grades, dimension "
	  "levels, channels and links." },
	{ "/feed.atom", "application/atom+xml", "Atom feed",
	  "The latest changes to records: what changed in each new version, "
	  "with its date and the editor's note; /c/{id}/feed.atom has one "
	  "record's." },
	{ "/llms.txt", "text/plain", "llms.txt",
	  "A short guide to this site and its data for language models." },
	{ "/sitemap.xml", "application/xml", "Sitemap",
	  "Every page of the site." },
};

static json_t *grade_counts_json(const struct method *m, const size_t *counts)
{
	json_t *o = json_object();
	for (size_t i = 0; i < m->ngrades && i < STATS_MAX_GRADES; i++) {
		char key[2] = { m->grades[i].letter, '\0' };
		json_object_set_new(o, key,
				    json_integer((json_int_t)counts[i]));
	}
	return o;
}

json_t *opendata_index(const struct catalog *c, const struct stats *s)
{
	json_t *root = file_head(c);
	json_object_set_new(root, "license",
			    json_string(c->site->license_name.s));
	json_object_set_new(root, "license_url",
			    json_string(c->site->license_url.s));
	json_t *list = json_array();
	for (size_t i = 0; i < ATLAS_COUNT(endpoints); i++) {
		const struct endpoint *ep = &endpoints[i];
		json_t *o = json_object();
		json_object_set_new(o, "path", json_string(ep->path));
		json_object_set_new(o, "url", site_url_json(c->site, ep->path));
		json_object_set_new(o, "type", json_string(ep->type));
		json_object_set_new(o, "title", json_string(ep->title));
		json_object_set_new(o, "description",
				    json_string(ep->description));
		if (strchr(ep->path, '{'))
			json_object_set_new(o, "template", json_true());
		json_array_append_new(list, o);
	}
	json_object_set_new(root, "endpoints", list);
	size_t industries = 0;
	for (size_t i = 0; i < c->nindustries; i++)
		industries += c->industries[i].n > 0;
	json_t *counts = json_object();
	json_object_set_new(counts, "records", json_integer((json_int_t)s->n));
	json_object_set_new(counts, "audited",
			    json_integer((json_int_t)s->audited));
	json_object_set_new(counts, "grades",
			    grade_counts_json(c->m, s->headline_grades));
	json_object_set_new(counts, "policy_grades",
			    grade_counts_json(c->m, s->policy_grades));
	json_object_set_new(counts, "industries",
			    json_integer((json_int_t)industries));
	json_object_set_new(counts, "jurisdictions",
			    json_integer((json_int_t)c->njurisdictions));
	json_object_set_new(root, "counts", counts);
	return root;
}

/* ---- insights.json --------------------------------------------------- */

static json_t *share_json(size_t count, double share)
{
	json_t *o = json_object();
	json_object_set_new(o, "count", json_integer((json_int_t)count));
	json_object_set_new(o, "share", real_json(share, 4));
	return o;
}

static json_t *dim_means_json(const struct method_tier *tier,
			      const double *means, size_t over)
{
	json_t *a = json_array();
	for (size_t i = 0; i < tier->ndims; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(tier->dims[i].id));
		json_object_set_new(o, "name", json_string(tier->dims[i].name));
		json_object_set_new(o, "weight",
				    json_integer(tier->dims[i].weight));
		json_object_set_new(o, "mean_level",
				    over ? real_json(means[i], 1)
					 : json_null());
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *groups_json(const struct method *m,
			   const struct stats_group *groups, size_t n,
			   bool juris)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct stats_group *g = &groups[i];
		json_t *o = json_object();
		if (juris)
			json_object_set_new(o, "code", json_string(g->g->code));
		json_object_set_new(o, "slug", json_string(g->g->key));
		json_object_set_new(o, "name", json_string(g->g->name));
		json_object_set_new(o, "records",
				    json_integer((json_int_t)g->n));
		json_object_set_new(o, "audited",
				    json_integer((json_int_t)g->audited));
		json_object_set_new(o, "mean_score",
				    g->n ? real_json(g->mean_headline, 1)
					 : json_null());
		json_object_set_new(o, "mean_policy_score",
				    g->n ? real_json(g->mean_policy, 1)
					 : json_null());
		json_object_set_new(o, "grades",
				    grade_counts_json(m, g->grades));
		json_array_append_new(a, o);
	}
	return a;
}

json_t *opendata_insights(const struct catalog *c, const struct stats *s)
{
	const struct method *m = c->m;
	json_t *root = file_head(c);
	json_object_set_new(root, "license",
			    json_string(c->site->license_name.s));
	json_object_set_new(root, "records", json_integer((json_int_t)s->n));
	json_object_set_new(root, "audited",
			    share_json(s->audited, s->share_audited));

	json_t *grades = json_object();
	json_object_set_new(grades, "headline",
			    grade_counts_json(m, s->headline_grades));
	json_object_set_new(grades, "policy",
			    grade_counts_json(m, s->policy_grades));
	json_object_set_new(grades, "flow",
			    grade_counts_json(m, s->flow_grades));
	json_object_set_new(root, "grades", grades);

	json_t *scores = json_object();
	json_object_set_new(scores, "mean_headline",
			    s->n ? real_json(s->mean_headline, 1)
				 : json_null());
	json_object_set_new(scores, "mean_policy",
			    s->n ? real_json(s->mean_policy, 1) : json_null());
	json_object_set_new(scores, "mean_flow",
			    s->audited ? real_json(s->mean_flow, 1)
				       : json_null());
	json_object_set_new(root, "scores", scores);
	json_object_set_new(root, "policy_dimensions",
			    dim_means_json(&m->policy, s->policy_levels, s->n));
	json_object_set_new(
		root, "flow_dimensions",
		dim_means_json(&m->flow, s->flow_levels, s->audited));
	json_object_set_new(
		root, "industries",
		groups_json(m, s->industries, s->nindustries, false));
	json_object_set_new(
		root, "jurisdictions",
		groups_json(m, s->jurisdictions, s->njurisdictions, true));

	json_t *channels = json_object();
	json_t *listed = json_object();
	for (int i = 0; i < CHANNEL_COUNT; i++)
		json_object_set_new(listed, record_channel_id(i),
				    json_integer((json_int_t)s->channels[i]));
	json_object_set_new(channels, "records_listing", listed);
	json_object_set_new(channels, "no_online_self_serve",
			    share_json(s->no_online, s->share_no_online));
	json_object_set_new(channels, "phone",
			    share_json(s->phone, s->share_phone));
	json_object_set_new(root, "channels", channels);
	json_object_set_new(root, "pause_offered",
			    share_json(s->pause, s->share_pause));

	json_t *gap = json_object();
	json_object_set_new(gap, "audited",
			    json_integer((json_int_t)s->audited));
	json_object_set_new(gap, "mean",
			    s->audited ? real_json(s->mean_gap, 1)
				       : json_null());
	json_t *largest = json_array();
	for (size_t i = 0; i < s->ntop_gaps; i++) {
		const struct entry *e = s->top_gaps[i];
		json_t *o = json_object();
		json_object_set_new(o, "id", text_or_null(&e->r->id));
		json_object_set_new(o, "name", text_or_null(&e->r->name));
		json_object_set_new(o, "url",
				    record_url_json(c->site, e->r->id.s));
		json_object_set_new(o, "policy_score",
				    json_integer(e->policy.score));
		json_object_set_new(o, "flow_score",
				    json_integer(e->flow.score));
		json_object_set_new(o, "gap", json_integer(catalog_gap(e)));
		json_array_append_new(largest, o);
	}
	json_object_set_new(gap, "largest", largest);
	json_object_set_new(root, "gap", gap);
	return root;
}

/* ---- everything ------------------------------------------------------ */

static int write_buf(struct outdir *o, const char *rel, struct buf *b, bool ok,
		     struct buf *err)
{
	if (!ok) {
		buf_printf(err, "cannot serialise %s", rel);
		return -1;
	}
	return outdir_write(o, rel, buf_cstr(b), b->len, err);
}

/* /data/companies.csv, written from its parts: the rows found in the
 * last build's file are not copied, only those made. */
static int write_csv(struct outdir *o, const struct catalog *c,
		     const struct opendata_rows *rows, struct buf *err)
{
	struct buf head = BUF_INIT, made = BUF_INIT;
	const char **parts = xmalloc((c->n + 1) * sizeof(*parts));
	size_t *lens = xmalloc((c->n + 1) * sizeof(*lens));
	int rc = -1;
	if (csvdata_parts(c, rows->csv, rows->csv_lens, &head, &made, parts,
			  lens))
		rc = outdir_write_parts(o, "data/companies.csv", parts, lens,
					c->n + 1, err);
	else
		buf_puts(err, "cannot serialise data/companies.csv");
	free(lens);
	free(parts);
	buf_free(&made);
	buf_free(&head);
	return rc;
}

static int write_json(struct outdir *o, const char *rel, json_t *j,
		      struct buf *b, struct buf *err)
{
	buf_reset(b);
	bool ok = json_put(b, j, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) &&
		  buf_putc(b, '\n');
	json_decref(j);
	return write_buf(o, rel, b, ok, err);
}

int opendata_write_all(struct outdir *o, const struct catalog *c,
		       const struct stats *s, const struct opendata_rows *rows,
		       struct buf *err)
{
	return opendata_write_part(o, c, s, rows, OPENDATA_ALL, err);
}

int opendata_write_part(struct outdir *o, const struct catalog *c,
			const struct stats *s, const struct opendata_rows *rows,
			enum opendata_part part, struct buf *err)
{
	static const struct opendata_rows none;
	if (!rows)
		rows = &none;
	const char *const *lines = rows->lines;
	const size_t *lens = rows->line_lens;
	struct buf b = BUF_INIT;
	struct arena *a = arena_new();
	size_t npages;
	int rc = 0;

	/* Without the records' lines, write their files here first. */
	char **own = NULL;
	if (!lines && (part & OPENDATA_COMPANIES)) {
		own = xcalloc(c->n ? c->n : 1, sizeof(*own));
		for (size_t i = 0; i < c->n && rc == 0; i++) {
			buf_reset(&b);
			rc = opendata_write_record(o, c, &c->entries[i], &b,
						   err);
			own[i] = xstrdup(buf_cstr(&b));
		}
		lines = (const char *const *)own;
		lens = NULL;
	}
	if (rc == 0 && (part & OPENDATA_COMPANIES))
		rc = write_companies(o, c, lines, lens, err);
	if (own)
		for (size_t i = 0; i < c->n; i++)
			free(own[i]);
	free(own);
	if (!(part & OPENDATA_OTHERS)) {
		arena_free(a);
		buf_free(&b);
		return rc;
	}
	if (rc == 0)
		rc = write_json(o, "api/v1/index.json", opendata_index(c, s),
				&b, err);
	if (rc == 0)
		rc = write_json(o, "api/v1/schema.json",
				schema_json(c->site, c->m, c->ds), &b, err);
	if (rc == 0)
		rc = write_json(o, "api/v1/insights.json",
				opendata_insights(c, s), &b, err);
	if (rc == 0)
		rc = write_csv(o, c, rows, err);
	if (rc == 0) {
		buf_reset(&b);
		rc = write_buf(o, "llms.txt", &b, sitemap_put_llms(&b, c), err);
	}
	if (rc == 0) {
		buf_reset(&b);
		rc = write_buf(o, "robots.txt", &b,
			       sitemap_put_robots(&b, c->site), err);
	}
	if (rc == 0) {
		buf_reset(&b);
		rc = write_buf(o, "feed.atom", &b, feed_put_latest(&b, c), err);
	}
	if (rc == 0) {
		struct sitemap_url *pages = sitemap_pages(c, a, &npages);
		rc = sitemap_write(o, c->site, pages, npages, SITEMAP_MAX, err);
	}
	arena_free(a);
	buf_free(&b);
	return rc;
}
