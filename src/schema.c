/*
 * schema.c - the JSON Schema of the API's records, from the methodology
 * table.
 *
 * Clients validate companies.json and the per-record files against it,
 * so it is generated from the same tables the files are: each dimension
 * id, its rubric levels, the grades and the channel labels are enums of
 * the table's values, and every object admits no other keys. A new
 * dimension or level appears in the schema the day it appears in the
 * data.
 */
#include "schema.h"
#include "buf.h"
#include "histchange.h"
#include "record.h"
#include "record_field.h"
#include "siteurl.h"

#include <stdlib.h>

static json_t *grade_json(char grade)
{
	char s[2] = { grade, '\0' };
	return json_string(s);
}

static json_t *site_url_json(const struct site_info *site, const char *path)
{
	struct buf b = BUF_INIT;
	siteurl_put(&b, site, path);
	json_t *j = json_stringn(buf_cstr(&b), b.len);
	buf_free(&b);
	return j;
}

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

/* What ends a tier's object, policy or flow: its band, the grade cap and
 * the methodology that scored it. */
static json_t *s_tier_end(json_t *p, const struct method *m)
{
	json_object_set_new(p, "band", s_grade(m));
	json_object_set_new(p, "grade_cap", s_nullable(s_type("string")));
	json_object_set_new(p, "methodology_version",
			    s_string_const(m->version));
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
	return s_tier_end(p, m);
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
	return s_tier_end(p, m);
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
			    s_string_const(SITEURL_API_VERSION));
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

json_t *schema_json(const struct site_info *site, const struct method *m,
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
