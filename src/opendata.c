/*
 * opendata.c - every machine-readable file of the site, from the catalog.
 *
 * The reference system's companies.json shape is a contract with its
 * clients, so its keys come first and keep their types; what we add
 * (reasons for levels, the grade cap, the gap, page URLs) is in extra
 * keys that such clients ignore. JSON goes through jansson, XML through
 * esc_xml, CSV through esc_csv_cell: data never becomes syntax.
 *
 * At 100,000 records one loop builds each entry's JSON once, appends it
 * to companies.json, writes it as api/v1/companies/<id>.json with the
 * citation files beside it, and frees it: one entry's objects live at a
 * time. The schema, CSV columns and llms.txt read the methodology table,
 * so a new dimension appears everywhere.
 */
#include "opendata.h"
#include "cite.h"
#include "esc.h"
#include "pagestate.h"
#include "record_field.h"
#include "fresh.h"
#include "histprint.h"
#include "history.h"
#include "score.h"
#include "siteinfo.h"

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
	opendata_put_uri(&b, t->s);
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
	siteinfo_put_record_url(&b, site, id);
	return buf_json(&b);
}

static json_t *site_url_json(const struct site_info *site, const char *path)
{
	struct buf b = BUF_INIT;
	siteinfo_put_url(&b, site, path);
	return buf_json(&b);
}

/* @x rounded to @places decimals, for figures people read. */
static json_t *real_json(double x, int places)
{
	double scale = pow(10, places);
	return json_real(round(x * scale) / scale);
}

/* ---- URLs and times -------------------------------------------------- */

enum uri_part { URI_AUTHORITY, URI_PATH, URI_QUERY, URI_FRAGMENT };

static bool uri_allowed(unsigned char c, enum uri_part part)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	if (c && strchr("-._~!$&'()*+,;=:@", c))
		return true;
	switch (part) {
	case URI_AUTHORITY:
		return c == '[' || c == ']';
	case URI_PATH:
		return c == '/';
	case URI_QUERY:
	case URI_FRAGMENT:
		return c == '/' || c == '?';
	}
	return false;
}

bool opendata_put_uri(struct buf *out, const char *url)
{
	const unsigned char *p = (const unsigned char *)url;
	const char *sep = strstr(url, "://");
	enum uri_part part = URI_PATH;
	size_t i = 0;
	bool ok = true;
	if (sep) {
		i = (size_t)(sep - url) + 3;
		ok = buf_put(out, url, i);
		part = URI_AUTHORITY;
	}
	for (; p[i] && ok; i++) {
		unsigned char c = p[i];
		if (c == '/' && part == URI_AUTHORITY)
			part = URI_PATH;
		else if (c == '?' && part < URI_QUERY)
			part = URI_QUERY;
		else if (c == '#' && part < URI_FRAGMENT)
			part = URI_FRAGMENT;
		else if (c == '%' && esc_hex_digit(p[i + 1]) >= 0 &&
			 esc_hex_digit(p[i + 2]) >= 0)
			; /* an escape already */
		else if (!uri_allowed(c, part)) {
			ok = buf_printf(out, "%%%02X", c);
			continue;
		}
		ok = buf_putc(out, (char)c);
	}
	return ok;
}

static date_days build_day(const struct catalog *c)
{
	int64_t days = c->generated / 86400;
	if (c->generated % 86400 < 0)
		days--;
	return (date_days)days;
}

/* The build date, as the reference dates its files: "2026-07-01". */
static json_t *generated_json(const struct catalog *c)
{
	return date_json(build_day(c));
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
		opendata_put_uri(&b, r->deletion_url.s);
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

/* ---- the JSON Schema ------------------------------------------------- */

static json_t *s_type(const char *type)
{
	return json_pack("{s:s}", "type", type);
}

static json_t *s_string_const(const char *value)
{
	return json_pack("{s:s,s:s}", "type", "string", "const", value);
}

/* A string that is one of @values (a new array, stolen). */
static json_t *s_string_enum(json_t *values)
{
	return json_pack("{s:s,s:o}", "type", "string", "enum", values);
}

/* The audit tiers, after @first when it is not NULL. */
static json_t *s_tiers(const char *first)
{
	json_t *tiers = json_array();
	if (first)
		json_array_append_new(tiers, json_string(first));
	for (int i = 0; i < AUDIT_TIER_COUNT; i++)
		json_array_append_new(tiers, json_string(record_tier_id(i)));
	return s_string_enum(tiers);
}

static json_t *s_format(const char *format)
{
	return json_pack("{s:s,s:s}", "type", "string", "format", format);
}

static json_t *s_nullable(json_t *schema)
{
	return json_pack("{s:[{s:s},o]}", "anyOf", "type", "null", schema);
}

static json_t *s_ref(const char *def)
{
	return json_pack("{s:s+}", "$ref", "#/$defs/", def);
}

static json_t *s_int_range(int min, int max)
{
	return json_pack("{s:s,s:i,s:i}", "type", "integer", "minimum", min,
			 "maximum", max);
}

static json_t *s_grade(const struct method *m)
{
	json_t *e = json_array();
	for (size_t i = 0; i < m->ngrades; i++)
		json_array_append_new(e, grade_json(m->grades[i].letter));
	return s_string_enum(e);
}

static int int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* A dimension's level values as an integer enum, lowest first, unique. */
static json_t *s_levels(const struct method_dim *d)
{
	int v[32];
	size_t n = 0;
	for (size_t i = 0; i < d->nlevels && n < ATLAS_COUNT(v); i++)
		v[n++] = d->levels[i].value;
	qsort(v, n, sizeof(v[0]), int_cmp);
	json_t *e = json_array();
	for (size_t i = 0; i < n; i++)
		if (i == 0 || v[i] != v[i - 1])
			json_array_append_new(e, json_integer(v[i]));
	return json_pack("{s:s,s:o}", "type", "integer", "enum", e);
}

/* An object with exactly @props; every one required unless @optional. */
static json_t *s_object(json_t *props, bool optional)
{
	json_t *o =
		json_pack("{s:s,s:o}", "type", "object", "properties", props);
	if (!optional) {
		json_t *req = json_array();
		const char *key;
		json_t *v;
		json_object_foreach (props, key, v)
			json_array_append_new(req, json_string(key));
		json_object_set_new(o, "required", req);
	}
	json_object_set_new(o, "additionalProperties", json_false());
	return o;
}

static json_t *s_scores(const struct method_tier *tier)
{
	json_t *p = json_object();
	for (size_t i = 0; i < tier->ndims; i++)
		json_object_set_new(p, tier->dims[i].id,
				    s_levels(&tier->dims[i]));
	return s_object(p, false);
}

static json_t *s_policy(const struct method *m)
{
	json_t *p = json_object();
	json_object_set_new(p, "evidence_tier", s_string_const(m->policy.id));
	json_object_set_new(p, "scores", s_scores(&m->policy));
	json_object_set_new(p, "score", s_int_range(0, 100));
	json_object_set_new(p, "grade", s_grade(m));
	json_object_set_new(p, "policy_url", s_format("uri"));
	json_object_set_new(p, "policy_summary", s_type("string"));
	json_object_set_new(p, "policy_checked", s_format("date"));
	json_object_set_new(p, "sources",
			    json_pack("{s:s,s:i,s:o}", "type", "array",
				      "minItems", 1, "items", s_ref("source")));
	json_object_set_new(p, "refund_url", s_nullable(s_format("uri")));
	json_object_set_new(p, "exit_fee", s_type("boolean"));
	json_t *reasons = json_object();
	for (size_t i = 0; i < m->policy.ndims; i++)
		json_object_set_new(reasons, m->policy.dims[i].id,
				    s_type("string"));
	json_object_set_new(p, "reasons", s_object(reasons, true));
	json_object_set_new(p, "band", s_grade(m));
	json_object_set_new(p, "grade_cap", s_nullable(s_type("string")));
	json_object_set_new(p, "methodology_version",
			    s_string_const(m->version));
	return s_object(p, false);
}

/* The audit facts: the sign-up channel, then each flow dimension's
 * field, typed by how the table reads it. */
static json_t *s_facts(const struct method *m)
{
	json_t *ids = json_array();
	for (int i = 0; i < CHANNEL_COUNT; i++)
		json_array_append_new(ids, json_string(record_channel_id(i)));
	json_t *p = json_object();
	json_object_set_new(p, "signup_channel", s_string_enum(ids));
	for (size_t i = 0; i < m->flow.ndims; i++) {
		const struct method_dim *d = &m->flow.dims[i];
		json_t *t = NULL;
		if (d->input == METHOD_INPUT_BOOL) {
			t = s_type("boolean");
		} else if (d->input == METHOD_INPUT_NUMBER) {
			t = json_pack("{s:s,s:i}", "type", "number", "minimum",
				      0);
		} else if (d->input == METHOD_INPUT_ENUM) {
			json_t *e = json_array();
			for (size_t j = 0; j < d->nlevels; j++)
				if (d->levels[j].match)
					json_array_append_new(
						e, json_string(
							   d->levels[j].match));
			t = s_string_enum(e);
		}
		if (t && d->field)
			json_object_set_new(p, d->field, t);
		else
			json_decref(t);
	}
	return s_object(p, false);
}

/* A field of the record format (record_field.h) as the API writes it: an
 * optional value may be null, a list is empty instead. */
static json_t *s_field(const struct record_field *f)
{
	json_t *t;
	size_t n;
	const struct record_field *sub;
	switch (f->type) {
	case RECORD_FIELD_DATE:
		t = s_format("date");
		break;
	case RECORD_FIELD_TIER:
		t = s_tiers(NULL);
		break;
	case RECORD_FIELD_BOOL:
		t = s_type("boolean");
		break;
	case RECORD_FIELD_NUMBER:
		t = json_pack("{s:s,s:f,s:f}", "type", "number", "minimum",
			      f->min, "maximum", f->max);
		break;
	case RECORD_FIELD_TEXT_LIST:
		return json_pack("{s:s,s:{s:s,s:i}}", "type", "array", "items",
				 "type", "string", "minLength", 1);
	case RECORD_FIELD_LIST:
		t = json_object();
		sub = record_fields_in(f->holds, &n);
		for (size_t i = 0; i < n; i++)
			json_object_set_new(t, sub[i].name, s_field(&sub[i]));
		return json_pack("{s:s,s:i,s:o}", "type", "array", "minItems",
				 f->required ? 1 : 0, "items",
				 s_object(t, false));
	default:
		t = f->check == RECORD_CHECK_SHA256
			    ? json_pack("{s:s,s:s}", "type", "string",
					"pattern", "^[0-9a-fA-F]{64}$")
			    : s_type("string");
		break;
	}
	return f->required ? t : s_nullable(t);
}

/* One audit as the record file holds it: the facts, then every other
 * field of an audit in the record format (date, tier, the steps taken,
 * notes, evidence files). */
static json_t *s_audit(const struct method *m)
{
	json_t *facts = s_facts(m);
	json_t *p = json_incref(json_object_get(facts, "properties"));
	json_decref(facts);
	size_t n;
	const struct record_field *f = record_fields_in(RECORD_BLOCK_AUDIT, &n);
	for (size_t i = 0; i < n; i++)
		if (!json_object_get(p, f[i].name))
			json_object_set_new(p, f[i].name, s_field(&f[i]));
	return s_object(p, false);
}

static json_t *s_flow(const struct method *m)
{
	json_t *p = json_object();
	json_object_set_new(p, "evidence_tier", s_tiers(NULL));
	json_object_set_new(p, "scores", s_scores(&m->flow));
	json_object_set_new(p, "score", s_int_range(0, 100));
	json_object_set_new(p, "grade", s_grade(m));
	json_object_set_new(p, "audit_date", s_format("date"));
	json_object_set_new(
		p, "audits",
		json_pack("{s:s,s:i}", "type", "integer", "minimum", 1));
	json_object_set_new(p, "facts", s_facts(m));
	json_object_set_new(p, "all_audits",
			    json_pack("{s:s,s:i,s:o}", "type", "array",
				      "minItems", 1, "items", s_audit(m)));
	json_object_set_new(p, "band", s_grade(m));
	json_object_set_new(p, "grade_cap", s_nullable(s_type("string")));
	json_object_set_new(p, "methodology_version",
			    s_string_const(m->version));
	return s_object(p, false);
}

static json_t *s_headline(const struct method *m)
{
	json_t *p = json_object();
	json_object_set_new(p, "evidence_tier", s_tiers(m->policy.id));
	json_object_set_new(p, "score", s_int_range(0, 100));
	json_object_set_new(p, "grade", s_grade(m));
	return s_object(p, false);
}

/* The properties of one companies[] entry. */
static json_t *s_company_props(const struct dataset *ds)
{
	json_t *p = json_object();
	json_object_set_new(p, "id",
			    json_pack("{s:s,s:s}", "type", "string", "pattern",
				      "^[a-z0-9]+(-[a-z0-9]+)*$"));
	json_object_set_new(
		p, "name",
		json_pack("{s:s,s:i}", "type", "string", "minLength", 1));
	json_t *industry = s_type("string");
	if (ds) {
		json_t *e = json_array();
		for (size_t i = 0; i < ds->nindustries; i++)
			json_array_append_new(
				e, json_stringn(ds->industries[i].name.s,
						ds->industries[i].name.len));
		json_object_set_new(industry, "enum", e);
	}
	json_object_set_new(p, "industry", industry);
	json_object_set_new(p, "jurisdiction",
			    json_pack("{s:s,s:s}", "type", "string", "pattern",
				      "^[A-Z]{2}(-[A-Z0-9]{1,3})?$"));
	json_t *labels = json_array();
	for (int i = 0; i < CHANNEL_COUNT; i++)
		json_array_append_new(labels,
				      json_string(record_channel_label(i)));
	json_object_set_new(p, "cancellation_types",
			    json_pack("{s:s,s:{s:s,s:o},s:b}", "type", "array",
				      "items", "type", "string", "enum", labels,
				      "uniqueItems", 1));
	json_object_set_new(p, "pause",
			    json_pack("{s:s,s:s}", "type", "string", "pattern",
				      "^(available|not offered)"));
	json_object_set_new(p, "data_deletion", s_type("string"));
	json_object_set_new(p, "policy", s_ref("policy"));
	json_object_set_new(p, "flow", s_nullable(s_ref("flow")));
	json_object_set_new(p, "pause_detail", s_ref("pause"));
	json_object_set_new(p, "data_deletion_detail", s_ref("data_deletion"));
	json_object_set_new(p, "headline", s_ref("headline"));
	json_object_set_new(p, "gap", s_nullable(s_int_range(-100, 100)));
	json_object_set_new(p, "fictional", s_type("boolean"));
	json_object_set_new(p, "reviewed", s_format("date"));
	json_object_set_new(p, "url", s_format("uri"));
	return p;
}

static json_t *s_weights(const struct method_tier *tier)
{
	json_t *p = json_object();
	for (size_t i = 0; i < tier->ndims; i++)
		json_object_set_new(p, tier->dims[i].id,
				    json_pack("{s:s,s:i}", "type", "integer",
					      "const", tier->dims[i].weight));
	return s_object(p, false);
}

static json_t *s_dims(const struct method_tier *tier)
{
	return json_pack("{s:s,s:i,s:i,s:o}", "type", "array", "minItems",
			 (int)tier->ndims, "maxItems", (int)tier->ndims,
			 "items", s_ref("dimension"));
}

/* evidence_tiers: one description per tier an evidence_tier can name. */
static json_t *s_evidence_tiers(const struct method *m)
{
	json_t *p = json_object();
	json_object_set_new(p, m->policy.id, s_type("string"));
	for (int i = 0; i < AUDIT_TIER_COUNT; i++)
		json_object_set_new(p, record_tier_id(i), s_type("string"));
	return s_object(p, false);
}

static json_t *s_companies_file(const struct site_info *site,
				const struct method *m)
{
	json_t *p = json_object();
	json_object_set_new(p, "api_version",
			    s_string_const(OPENDATA_API_VERSION));
	json_object_set_new(p, "methodology_version",
			    s_string_const(m->version));
	json_object_set_new(p, "generated", s_format("date"));
	json_object_set_new(
		p, "total_count",
		json_pack("{s:s,s:i}", "type", "integer", "minimum", 0));
	json_object_set_new(p, "license", s_string_const(site->license_name.s));
	json_object_set_new(p, "disclaimer", s_type("string"));
	json_object_set_new(p, "score_model", s_type("string"));
	json_object_set_new(p, "score_formula", s_type("string"));
	json_object_set_new(p, "grade_rule", s_type("string"));
	json_object_set_new(p, "evidence_tiers", s_evidence_tiers(m));
	json_object_set_new(p, "policy_weights", s_weights(&m->policy));
	json_object_set_new(p, "flow_weights", s_weights(&m->flow));
	json_object_set_new(p, "policy_dimensions", s_dims(&m->policy));
	json_object_set_new(p, "flow_dimensions", s_dims(&m->flow));
	json_object_set_new(p, "companies",
			    json_pack("{s:s,s:{s:s}}", "type", "array", "items",
				      "$ref", "#"));
	json_object_set_new(p, "grade_bands",
			    json_pack("{s:s,s:o}", "type", "array", "items",
				      s_ref("grade_band")));
	json_object_set_new(p, "license_url", s_format("uri"));
	return s_object(p, false);
}

/* The per-record file's freshness and history keys. */
static void s_record_extras(json_t *props)
{
	json_object_set_new(
		props, "review_age_days",
		json_pack("{s:s,s:i}", "type", "integer", "minimum", 0));
	json_object_set_new(props, "stale", s_type("boolean"));
	json_object_set_new(props, "history_available", s_type("boolean"));
	json_object_set_new(props, "history",
			    json_pack("{s:s,s:o}", "type", "array", "items",
				      s_ref("history_version")));
}

/* A tier's score in a version of the history. */
static json_t *s_history_score(const struct method *m,
			       const struct method_tier *tier)
{
	json_t *p = json_object();
	json_object_set_new(p, "score", s_int_range(0, 100));
	json_object_set_new(p, "grade", s_grade(m));
	json_object_set_new(p, "levels", s_scores(tier));
	return p;
}

/* One version of a record's history; a version that did not load has
 * "skipped" (why) in place of its scores and changes. */
static json_t *s_history_version(const struct method *m)
{
	json_t *p = s_history_score(m, &m->policy);
	json_object_set_new(p, "date", s_format("date"));
	json_object_set_new(p, "commit",
			    json_pack("{s:s,s:s}", "type", "string", "pattern",
				      "^[0-9a-f]{7}$"));
	json_object_set_new(p, "commit_id",
			    json_pack("{s:s,s:s}", "type", "string", "pattern",
				      "^[0-9a-f]{40}$"));
	json_object_set_new(p, "note", s_nullable(s_type("string")));
	json_object_set_new(p, "path", s_nullable(s_type("string")));
	json_object_set_new(p, "methodology", s_nullable(s_type("string")));
	json_object_set_new(
		p, "flow",
		s_nullable(s_object(s_history_score(m, &m->flow), false)));
	json_t *kinds = json_array();
	for (int k = 0; k < HISTCHANGE_KIND_COUNT; k++)
		json_array_append_new(kinds,
				      json_string(histchange_kind_id(k)));
	json_t *change = json_object();
	json_object_set_new(change, "kind", s_string_enum(kinds));
	json_object_set_new(change, "field", s_type("string"));
	json_object_set_new(change, "from", s_nullable(s_type("string")));
	json_object_set_new(change, "to", s_nullable(s_type("string")));
	json_object_set_new(change, "text", s_type("string"));
	json_object_set_new(p, "changes",
			    json_pack("{s:s,s:o}", "type", "array", "items",
				      s_object(change, false)));
	json_object_set_new(p, "skipped", s_type("string"));
	json_t *v = s_object(p, true);
	json_object_set_new(v, "required",
			    json_pack("[s,s,s,s,s,s]", "date", "commit",
				      "commit_id", "note", "path",
				      "methodology"));
	return v;
}

static json_t *s_defs(const struct site_info *site, const struct method *m,
		      const struct dataset *ds)
{
	json_t *defs = json_object();
	json_object_set_new(
		defs, "pause",
		s_object(json_pack("{s:o,s:o}", "offered", s_type("boolean"),
				   "note", s_type("string")),
			 false));
	json_object_set_new(
		defs, "data_deletion",
		s_object(json_pack("{s:o,s:o}", "note", s_type("string"), "url",
				   s_nullable(s_format("uri"))),
			 false));
	/* status and checked: what `monitor` found of the page. */
	json_object_set_new(
		defs, "source",
		s_object(
			json_pack("{s:o,s:o,s:o,s:o,s:o}", "title",
				  s_type("string"), "url", s_format("uri"),
				  "accessed", s_format("date"), "status",
				  s_string_enum(json_pack(
					  "[s,s,s,s,s]", "unchanged", "changed",
					  "moved", "broken", "unchecked")),
				  "checked", s_nullable(s_format("date"))),
			false));
	json_object_set_new(defs, "policy", s_policy(m));
	json_object_set_new(defs, "flow", s_flow(m));
	json_object_set_new(defs, "headline", s_headline(m));

	json_t *level = json_object();
	json_object_set_new(level, "value", s_int_range(0, 100));
	json_object_set_new(level, "when", s_type("string"));
	json_object_set_new(level, "up_to",
			    s_nullable(json_pack("{s:s}", "type", "number")));
	json_object_set_new(level, "text", s_type("string"));
	json_t *lv = s_object(level, true);
	json_object_set_new(lv, "required",
			    json_pack("[s,s]", "value", "text"));
	json_object_set_new(
		defs, "dimension",
		s_object(json_pack("{s:o,s:o,s:o,s:{s:s,s:o}}", "id",
				   s_type("string"), "name", s_type("string"),
				   "weight", s_int_range(0, 100), "levels",
				   "type", "array", "items", lv),
			 false));
	json_object_set_new(
		defs, "grade_band",
		s_object(json_pack("{s:o,s:o,s:o}", "grade", s_grade(m), "min",
				   s_int_range(0, 100), "phrase",
				   s_type("string")),
			 false));
	json_object_set_new(defs, "companies_file", s_companies_file(site, m));

	json_t *file = s_company_props(ds);
	json_object_set_new(file, "methodology_version",
			    s_string_const(m->version));
	json_object_set_new(file, "generated", s_format("date"));
	s_record_extras(file);
	json_object_set_new(defs, "company_file", s_object(file, false));
	json_object_set_new(defs, "history_version", s_history_version(m));
	return defs;
}

json_t *opendata_schema(const struct site_info *site, const struct method *m,
			const struct dataset *ds)
{
	json_t *root = json_object();
	json_object_set_new(
		root, "$schema",
		json_string("https://json-schema.org/draft/2020-12/schema"));
	json_object_set_new(root, "$id",
			    site_url_json(site, "/api/v1/schema.json"));
	json_object_set_new(root, "title",
			    json_sprintf("%s record", site->name.s));
	json_object_set_new(
		root, "description",
		json_sprintf("One record: an entry of companies[] in "
			     "/api/v1/companies.json, or a whole "
			     "/api/v1/companies/<id>.json (which adds "
			     "methodology_version and generated), scored by "
			     "methodology %s. $defs/companies_file describes "
			     "the whole companies.json, $defs/company_file "
			     "exactly one per-record file.",
			     m->version));
	json_t *entry = s_object(s_company_props(ds), false);
	/* Optional here, so a per-record file validates against the root
	 * schema too; $defs/company_file requires them. */
	json_t *props = json_object_get(entry, "properties");
	json_object_set_new(props, "methodology_version",
			    s_string_const(m->version));
	json_object_set_new(props, "generated", s_format("date"));
	s_record_extras(props);
	json_object_update(root, entry);
	json_decref(entry);
	json_object_set_new(root, "$defs", s_defs(site, m, ds));
	return root;
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
	json_t *root = json_object();
	json_object_set_new(root, "api_version",
			    json_string(OPENDATA_API_VERSION));
	json_object_set_new(root, "methodology_version",
			    json_string(c->m->version));
	json_object_set_new(root, "generated", generated_json(c));
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

/* The files beside a record page: c/<id>/cite.{txt,bib,ris,json}. */
static int write_citations(struct outdir *o, const struct catalog *c,
			   const struct record *r, struct buf *path,
			   struct buf *tmp, struct buf *err)
{
	static const struct {
		const char *ext;
		bool (*put)(struct buf *, const struct site_info *,
			    const struct method *, const struct record *);
	} formats[] = {
		{ "txt", cite_text },
		{ "bib", cite_bibtex },
		{ "ris", cite_ris },
		{ "json", cite_csl },
	};
	for (size_t i = 0; i < ATLAS_COUNT(formats); i++) {
		buf_reset(path);
		buf_reset(tmp);
		buf_printf(path, "c/%s/cite.%s", r->id.s, formats[i].ext);
		formats[i].put(tmp, c->site, c->m, r);
		if (i == 0)
			buf_putc(tmp, '\n');
		if (outdir_write(o, path->data, tmp->data, tmp->len, err) != 0)
			return -1;
	}
	return 0;
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
		buf_printf(&path, "api/v1/companies/%s.json", e->r->id.s);
		rc = json_put(&tmp, j, JSON_INDENT(2)) && buf_putc(&tmp, '\n')
			     ? 0
			     : -1;
	}
	if (rc != 0)
		buf_printf(err, "cannot serialise the entry of %s", e->r->id.s);
	else if (outdir_write(o, path.data, tmp.data, tmp.len, err) != 0 ||
		 write_citations(o, c, e->r, &path, &tmp, err) != 0)
		rc = -1;
	json_decref(j);
	buf_free(&path);
	buf_free(&tmp);
	return rc;
}

/* companies.json from the lines opendata_write_record() made. */
static int write_companies(struct outdir *o, const struct catalog *c,
			   char *const *lines, struct buf *err)
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
		parts[k] = lines[i], lens[k++] = strlen(lines[i]);
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
	json_t *root = json_object();
	json_object_set_new(root, "api_version",
			    json_string(OPENDATA_API_VERSION));
	json_object_set_new(root, "methodology_version",
			    json_string(c->m->version));
	json_object_set_new(root, "generated", generated_json(c));
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
	json_t *root = json_object();
	json_object_set_new(root, "api_version",
			    json_string(OPENDATA_API_VERSION));
	json_object_set_new(root, "methodology_version",
			    json_string(m->version));
	json_object_set_new(root, "generated", generated_json(c));
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

/* ---- companies.csv --------------------------------------------------- */

static bool csv_text(struct buf *out, const char *s)
{
	return buf_putc(out, ',') && esc_csv_cell(out, s ? s : "");
}

static bool csv_int(struct buf *out, int v, bool present)
{
	return buf_putc(out, ',') && (!present || buf_printf(out, "%d", v));
}

static bool csv_grade(struct buf *out, char g, bool present)
{
	return buf_putc(out, ',') && (!present || buf_putc(out, g));
}

static bool csv_bool(struct buf *out, bool v)
{
	return csv_text(out, v ? "true" : "false");
}

static bool csv_uri(struct buf *out, struct buf *tmp, const struct text *t)
{
	buf_reset(tmp);
	if (t->s)
		opendata_put_uri(tmp, t->s);
	return csv_text(out, buf_cstr(tmp));
}

static bool csv_row(struct buf *out, struct buf *tmp, const struct catalog *c,
		    const struct entry *e)
{
	const struct method *m = c->m;
	const struct record *r = e->r;
	char date[DATE_ISO_LEN + 1];
	bool audited = e->audit != NULL;
	bool ok = esc_csv_cell(out, r->id.s) && csv_text(out, r->name.s) &&
		  csv_text(out, r->industry.s) &&
		  csv_text(out, r->jurisdiction.s) &&
		  csv_int(out, e->policy.score, true) &&
		  csv_grade(out, e->policy.grade, true);
	for (size_t k = 0; k < m->policy.ndims; k++)
		ok = ok && csv_int(out, e->policy.levels[k], true);
	ok = ok && csv_int(out, e->flow.score, audited) &&
	     csv_grade(out, e->flow.grade, audited) &&
	     csv_text(out, audited ? record_tier_id(e->audit->tier) : "");
	if (audited)
		date_format(e->audit->date.days, date);
	ok = ok && csv_text(out, audited ? date : "") &&
	     csv_int(out, catalog_gap(e), audited) &&
	     csv_int(out, e->headline->score, true) &&
	     csv_grade(out, e->headline->grade, true);
	buf_reset(tmp);
	for (size_t k = 0; k < r->nchannels; k++)
		buf_printf(tmp, "%s%s", k ? "; " : "",
			   record_channel_label(r->channels[k]));
	ok = ok && csv_text(out, buf_cstr(tmp)) &&
	     csv_bool(out, r->pause_offered.v);
	date_format(r->reviewed.days, date);
	ok = ok && csv_text(out, date) &&
	     csv_uri(out, tmp, &r->official_page) &&
	     csv_bool(out, r->fictional.v);
	buf_reset(tmp);
	siteinfo_put_record_url(tmp, c->site, r->id.s);
	return ok && csv_text(out, buf_cstr(tmp)) && buf_puts(out, "\r\n");
}

bool opendata_put_csv(struct buf *out, const struct catalog *c)
{
	const struct method *m = c->m;
	struct buf tmp = BUF_INIT;
	bool ok = buf_puts(out, "id,name,industry,jurisdiction,policy_score,"
				"policy_grade");
	for (size_t k = 0; k < m->policy.ndims; k++)
		ok = ok && csv_text(out, m->policy.dims[k].id);
	ok = ok && buf_puts(out, ",flow_score,flow_grade,flow_tier,audit_date,"
				 "gap,headline_score,headline_grade,channels,"
				 "pause_offered,reviewed,official_page,"
				 "fictional,url\r\n");
	for (size_t i = 0; i < c->n && ok; i++)
		ok = csv_row(out, &tmp, c, &c->entries[i]);
	buf_free(&tmp);
	return ok;
}

/* ---- llms.txt -------------------------------------------------------- */

static bool put_tier_weights(struct buf *out, const struct method_tier *t)
{
	bool ok = true;
	for (size_t i = 0; i < t->ndims; i++)
		ok = ok && buf_printf(out, "%s`%s` %d", i ? ", " : "",
				      t->dims[i].id, t->dims[i].weight);
	return ok;
}

bool opendata_put_llms(struct buf *out, const struct catalog *c)
{
	const struct method *m = c->m;
	const char *site = c->site->url.s;
	bool ok = buf_printf(
		out,
		"# %s\n\n"
		"> An open, evidence-cited index of how hard companies make it "
		"to cancel a subscription: %zu record%s, each one service in "
		"one jurisdiction, scored 0-100 (higher is easier to leave) "
		"and graded A-F by the published %s methodology. Open data "
		"under %s.\n\n"
		"Every fact is cited and dated. Scores cannot be bought or "
		"removed; they change only when a cited fact changes.\n\n"
		"## Data\n\n"
		"- [All records (JSON)](%s/api/v1/companies.json): every "
		"record in id order, with the methodology's weights and "
		"dimensions\n"
		"- [One record (JSON)](%s/api/v1/companies/{id}.json): the "
		"same entry alone; replace {id} with a record id, as in "
		"the `id` field of companies.json\n"
		"- [JSON Schema](%s/api/v1/schema.json): the shape of one "
		"record (draft 2020-12)\n"
		"- [API index](%s/api/v1/index.json): endpoints and counts\n"
		"- [Insights (JSON)](%s/api/v1/insights.json): grade "
		"distribution, mean levels, scores by industry and "
		"jurisdiction, gaps\n"
		"- [CSV](%s/data/companies.csv): one row per record\n"
		"- [Atom feed](%s/feed.atom): the latest changes to records\n"
		"- Record pages: %s/c/{id}; citations at %s/c/{id}/cite.txt, "
		"cite.bib, cite.ris and cite.json\n\n"
		"## Scores, grades and tiers\n\n"
		"- Documented-Policy (every record): how clearly the "
		"cancellation policy is published. Dimensions and weights: ",
		c->site->name.s, c->n, c->n == 1 ? "" : "s", m->version,
		c->site->license_name.s, site, site, site, site, site, site,
		site, site, site);
	ok = ok && put_tier_weights(out, &m->policy) &&
	     buf_puts(out, ".\n- Verified-Flow (records with a cancellation "
			   "audit; `flow` is null until then): what happens "
			   "when a person cancels. Dimensions and weights: ") &&
	     put_tier_weights(out, &m->flow) &&
	     buf_puts(out, ".\n- Each dimension is a level from 0 to 100; a "
			   "score is the weighted sum, rounded half up. "
			   "Grades: ");
	for (size_t i = 0; i < m->ngrades && ok; i++) {
		const struct method_grade *g = &m->grades[i];
		if (i + 1 < m->ngrades)
			ok = buf_printf(out, "%c >= %d, ", g->letter, g->min);
		else
			ok = buf_printf(out, "%c below %d", g->letter,
					m->grades[i - 1].min);
	}
	ok = ok &&
	     buf_printf(out,
			". Grade rules can cap a grade (never the score); "
			"`grade_cap` says why.\n"
			"- The headline score is the flow score where an "
			"audit exists, else the policy score. The two "
			"tiers are never averaged.\n"
			"- The gap (policy minus flow) is the signal: a "
			"policy that reads easy over a flow that is hard.\n"
			"- Records marked `fictional: true` are generated "
			"examples, not real companies.\n\n"
			"## Docs\n\n"
			"- [Methodology](%s/methodology/): dimensions, "
			"levels, weights and grade rules\n"
			"- [Open data and licence](%s/data/)\n"
			"- [Corrections](%s/corrections/): how to dispute "
			"a fact, and the public log\n"
			"- [FAQ](%s/faq/)\n\n"
			"## Optional\n\n"
			"- [About](%s/about/)\n"
			"- [Insights](%s/insights/)\n"
			"- [Sitemap](%s/sitemap.xml)\n",
			site, site, site, site, site, site, site);
	return ok;
}

/* ---- robots.txt, sitemap --------------------------------------------- */

bool opendata_put_robots(struct buf *out, const struct site_info *site)
{
	return buf_puts(out, "User-agent: *\nAllow: /\n\nSitemap: ") &&
	       siteinfo_put_url(out, site, "/sitemap.xml") &&
	       buf_putc(out, '\n');
}

static const char *const static_pages[] = {
	"/methodology/", "/insights/", "/corrections/", "/corrections/audit/",
	"/data/",	 "/faq/",      "/about/",	"/privacy/",
	"/terms/",
};

static date_days newest_review(const struct catalog *c, date_days fallback)
{
	return c->n ? c->by_reviewed[0]->r->reviewed.days : fallback;
}

static date_days group_newest(const struct group *g, date_days fallback)
{
	date_days best = fallback;
	for (size_t i = 0; i < g->n; i++)
		if (i == 0 || g->entries[i]->r->reviewed.days > best)
			best = g->entries[i]->r->reviewed.days;
	return best;
}

struct opendata_url *opendata_pages(const struct catalog *c, struct arena *a,
				    size_t *n)
{
	size_t cap = 4 + c->n + c->nindustries + c->njurisdictions +
		     ATLAS_COUNT(static_pages);
	struct opendata_url *u = arena_array(a, cap, sizeof(*u));
	date_days built = build_day(c);
	date_days newest = newest_review(c, built);
	struct buf b = BUF_INIT;
	size_t k = 0;

	u[k++] = (struct opendata_url){ "/", newest };
	for (size_t i = 0; i < c->n; i++) {
		buf_reset(&b);
		buf_printf(&b, "/c/%s/", c->entries[i].r->id.s);
		u[k++] =
			(struct opendata_url){ arena_strdup(a, b.data),
					       c->entries[i].r->reviewed.days };
	}
	u[k++] = (struct opendata_url){ "/industries/", newest };
	for (size_t i = 0; i < c->nindustries; i++) {
		if (!c->industries[i].n)
			continue; /* no page for an empty industry */
		buf_reset(&b);
		buf_printf(&b, "/industries/%s/", c->industries[i].key);
		u[k++] = (struct opendata_url){ arena_strdup(a, b.data),
						group_newest(&c->industries[i],
							     newest) };
	}
	u[k++] = (struct opendata_url){ "/jurisdictions/", newest };
	for (size_t i = 0; i < c->njurisdictions; i++) {
		buf_reset(&b);
		buf_printf(&b, "/jurisdictions/%s/", c->jurisdictions[i].key);
		u[k++] = (struct opendata_url){
			arena_strdup(a, b.data),
			group_newest(&c->jurisdictions[i], newest)
		};
	}
	/* The records due for review change with the build's date. */
	u[k++] = (struct opendata_url){ "/stale/", built };
	for (size_t i = 0; i < ATLAS_COUNT(static_pages); i++)
		u[k++] = (struct opendata_url){
			static_pages[i],
			!strcmp(static_pages[i], "/insights/") ||
					!strcmp(static_pages[i], "/data/")
				? newest
				: built
		};
	buf_free(&b);
	*n = k;
	return u;
}

static bool put_lastmod(struct buf *out, date_days d)
{
	char s[DATE_ISO_LEN + 1];
	date_format(d, s);
	return buf_printf(out, "<lastmod>%s</lastmod>", s);
}

static bool put_urlset(struct buf *out, const struct site_info *site,
		       const struct opendata_url *urls, size_t n)
{
	bool ok = buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				"<urlset xmlns=\"http://www.sitemaps.org/"
				"schemas/sitemap/0.9\">\n");
	for (size_t i = 0; i < n && ok; i++)
		ok = buf_puts(out, "<url><loc>") &&
		     esc_xml(out, site->url.s, site->url.len) &&
		     esc_xml_str(out, urls[i].path) &&
		     buf_puts(out, "</loc>") &&
		     put_lastmod(out, urls[i].lastmod) &&
		     buf_puts(out, "</url>\n");
	return ok && buf_puts(out, "</urlset>\n");
}

int opendata_sitemap_write(struct outdir *o, const struct site_info *site,
			   const struct opendata_url *urls, size_t n,
			   size_t max, struct buf *err)
{
	struct buf out = BUF_INIT;
	int rc = 0;
	if (max == 0)
		max = OPENDATA_SITEMAP_MAX;
	if (n <= max) {
		if (!put_urlset(&out, site, urls, n))
			rc = -1;
		else
			rc = outdir_write(o, "sitemap.xml", out.data, out.len,
					  err);
		buf_free(&out);
		return rc;
	}
	struct buf index = BUF_INIT, name = BUF_INIT;
	bool ok = buf_puts(&index,
			   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			   "<sitemapindex xmlns=\"http://www.sitemaps.org/"
			   "schemas/sitemap/0.9\">\n");
	for (size_t start = 0, part = 1; start < n && ok && rc == 0;
	     start += max, part++) {
		size_t len = n - start < max ? n - start : max;
		date_days newest = urls[start].lastmod;
		for (size_t i = start; i < start + len; i++)
			if (urls[i].lastmod > newest)
				newest = urls[i].lastmod;
		buf_reset(&out);
		buf_reset(&name);
		buf_printf(&name, "sitemap-%zu.xml", part);
		ok = put_urlset(&out, site, urls + start, len) &&
		     buf_puts(&index, "<sitemap><loc>") &&
		     esc_xml(&index, site->url.s, site->url.len) &&
		     buf_putc(&index, '/') && esc_xml_str(&index, name.data) &&
		     buf_puts(&index, "</loc>") &&
		     put_lastmod(&index, newest) &&
		     buf_puts(&index, "</sitemap>\n");
		if (ok)
			rc = outdir_write(o, name.data, out.data, out.len, err);
	}
	ok = ok && buf_puts(&index, "</sitemapindex>\n");
	if (rc == 0 && ok)
		rc = outdir_write(o, "sitemap.xml", index.data, index.len, err);
	else if (rc == 0)
		rc = -1;
	buf_free(&out);
	buf_free(&index);
	buf_free(&name);
	return rc;
}

/* ---- feed.atom and c/<id>/feed.atom ---------------------------------- */

/*
 * The feeds announce changes: each committed version of a record is an
 * entry, with what changed and the editor's note. Without a history (no
 * repository, a shallow clone, a record not yet committed) a record's
 * review stands in for its versions, so a feed is never empty while the
 * record exists. Entry ids are tag: URIs (RFC 4151) on the site's host,
 * dated by the version, so they never change when the site is rebuilt.
 */

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
	siteinfo_put_record_url(tmp, c->site, r->id.s);
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
	siteinfo_put_url(&self, si, path);
	siteinfo_put_url(&page, si, alternate);
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

bool opendata_put_record_feed(struct buf *out, const struct catalog *c,
			      const struct entry *e)
{
	const struct record *r = e->r;
	struct buf path = BUF_INIT, page = BUF_INIT, title = BUF_INIT,
		   tmp = BUF_INIT;
	buf_printf(&path, "/c/%s/feed.atom", r->id.s);
	buf_printf(&page, "/c/%s/", r->id.s);
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

bool opendata_put_feed(struct buf *out, const struct catalog *c)
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
	if (n > OPENDATA_FEED_MAX)
		n = OPENDATA_FEED_MAX;
	struct buf title = BUF_INIT, tmp = BUF_INIT;
	buf_printf(&title, "%s: latest changes", c->site->name.s);
	bool ok = put_feed_head(out, c, "/feed.atom", title.data, "/",
				n ? items[0].day : build_day(c));
	for (size_t i = 0; i < n && ok; i++)
		ok = items[i].v ? put_version_entry(out, &tmp, c, items[i].e,
						    items[i].v)
				: put_review_entry(out, &tmp, c, items[i].e);
	free(items);
	buf_free(&title);
	buf_free(&tmp);
	return ok && buf_puts(out, "</feed>\n");
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
		       char *const *lines, struct buf *err)
{
	struct buf b = BUF_INIT;
	struct stats s;
	struct arena *a = arena_new();
	size_t npages;
	int rc = 0;

	/* Without the records' lines, write their files here first. */
	char **own = NULL;
	if (!lines) {
		own = xcalloc(c->n ? c->n : 1, sizeof(*own));
		for (size_t i = 0; i < c->n && rc == 0; i++) {
			buf_reset(&b);
			rc = opendata_write_record(o, c, &c->entries[i], &b,
						   err);
			own[i] = xstrdup(buf_cstr(&b));
		}
		lines = own;
	}
	stats_compute(c, &s);
	if (rc == 0)
		rc = write_companies(o, c, lines, err);
	if (own)
		for (size_t i = 0; i < c->n; i++)
			free(own[i]);
	free(own);
	if (rc == 0)
		rc = write_json(o, "api/v1/index.json", opendata_index(c, &s),
				&b, err);
	if (rc == 0)
		rc = write_json(o, "api/v1/schema.json",
				opendata_schema(c->site, c->m, c->ds), &b, err);
	if (rc == 0)
		rc = write_json(o, "api/v1/insights.json",
				opendata_insights(c, &s), &b, err);
	if (rc == 0) {
		buf_reset(&b);
		rc = write_buf(o, "data/companies.csv", &b,
			       opendata_put_csv(&b, c), err);
	}
	if (rc == 0) {
		buf_reset(&b);
		rc = write_buf(o, "llms.txt", &b, opendata_put_llms(&b, c),
			       err);
	}
	if (rc == 0) {
		buf_reset(&b);
		rc = write_buf(o, "robots.txt", &b,
			       opendata_put_robots(&b, c->site), err);
	}
	if (rc == 0) {
		buf_reset(&b);
		rc = write_buf(o, "feed.atom", &b, opendata_put_feed(&b, c),
			       err);
	}
	if (rc == 0) {
		struct opendata_url *pages = opendata_pages(c, a, &npages);
		rc = opendata_sitemap_write(o, c->site, pages, npages,
					    OPENDATA_SITEMAP_MAX, err);
	}
	arena_free(a);
	buf_free(&b);
	stats_free(&s);
	return rc;
}
