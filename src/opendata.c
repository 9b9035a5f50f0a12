/*
 * opendata.c - build the API's JSON for records and the methodology.
 *
 * The reference system's companies.json shape is a contract with its
 * clients, so its keys come first and keep their types; what we add
 * (reasons for levels, the grade cap, the gap, page URLs) is in extra
 * keys that such clients ignore. Objects keep insertion order, so the
 * output reads in the same order as a record page.
 */
#include "opendata.h"
#include "score.h"

static json_t *text_or_null(const struct text *t)
{
	return t->s ? json_stringn(t->s, t->len) : json_null();
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

static json_t *cap_json(const struct score_result *s)
{
	if (!s->rules_applied)
		return json_null();
	struct buf b = BUF_INIT;
	score_put_cap(&b, s);
	json_t *j = json_stringn(b.data, b.len);
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
	json_object_set_new(p, "policy_url", text_or_null(&r->official_page));
	json_object_set_new(p, "policy_summary", text_or_null(&r->summary));
	json_object_set_new(p, "policy_checked", date_json(r->reviewed.days));
	json_t *sources = json_array();
	for (size_t i = 0; i < r->nevidence; i++) {
		const struct evidence *e = &r->evidence[i];
		json_t *src = json_object();
		json_object_set_new(src, "title", text_or_null(&e->title));
		json_object_set_new(src, "url", text_or_null(&e->url));
		json_object_set_new(src, "accessed",
				    date_json(e->accessed.days));
		json_array_append_new(sources, src);
	}
	json_object_set_new(p, "sources", sources);
	json_object_set_new(p, "refund_url", text_or_null(&r->refund_page));
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
	json_object_set_new(facts, "steps",
			    json_integer((json_int_t)a->steps.v));
	json_object_set_new(facts, "retention", text_or_null(&a->retention));
	json_object_set_new(facts, "channel_symmetry",
			    json_boolean(a->channel_symmetry.v));
	json_object_set_new(facts, "confirmation",
			    text_or_null(&a->confirmation));
	json_object_set_new(facts, "minutes", json_real(a->minutes.v));
	json_object_set_new(facts, "clean_exit", json_boolean(a->clean_exit.v));
	json_object_set_new(f, "facts", facts);
	json_object_set_new(f, "band", grade_json(s->band));
	json_object_set_new(f, "grade_cap", cap_json(s));
	json_object_set_new(f, "methodology_version", json_string(m->version));
	return f;
}

json_t *opendata_company(const struct method *m, const struct record *r)
{
	struct score_result policy, flow;
	score_policy(m, r, &policy);
	const struct audit *a = record_latest_audit(r);
	if (a)
		score_flow(m, a, &flow);

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
	json_t *pause = json_object();
	json_object_set_new(pause, "offered", json_boolean(r->pause_offered.v));
	json_object_set_new(pause, "note", text_or_null(&r->pause_note));
	json_object_set_new(c, "pause", pause);
	json_t *deletion = json_object();
	json_object_set_new(deletion, "note", text_or_null(&r->deletion_note));
	json_object_set_new(deletion, "url", text_or_null(&r->deletion_url));
	json_object_set_new(c, "data_deletion", deletion);
	json_object_set_new(c, "policy", policy_json(m, r, &policy));
	json_object_set_new(c, "flow",
			    a ? flow_json(m, r, a, &flow) : json_null());

	const struct score_result *head = a ? &flow : &policy;
	json_t *headline = json_object();
	json_object_set_new(
		headline, "evidence_tier",
		json_string(a ? record_tier_id(a->tier) : m->policy.id));
	json_object_set_new(headline, "score", json_integer(head->score));
	json_object_set_new(headline, "grade", grade_json(head->grade));
	json_object_set_new(c, "headline", headline);
	json_object_set_new(c, "gap",
			    a ? json_integer(policy.score - flow.score)
			      : json_null());
	json_object_set_new(c, "fictional", json_boolean(r->fictional.v));
	json_object_set_new(c, "reviewed", date_json(r->reviewed.days));
	json_object_set_new(
		c, "url", json_sprintf("%s/c/%s", OPENDATA_SITE_URL, r->id.s));
	return c;
}

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
	json_object_set_new(root, "grade_bands", bands);
}
