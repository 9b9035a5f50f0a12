/*
 * import_audit.c - the flow audits of one company of a companies.json.
 *
 * An audit comes in full from flow.all_audits, or as our companies.json
 * summary of the latest one (flow.facts with audit_date and evidence_tier)
 * when the file lists its evidence files. Each is read with its problems
 * kept to itself (struct company's in_audit): an audit with a problem is
 * left out with a warning naming it, and the company is imported with the
 * audits that are whole.
 */
#include "arena.h"
#include "buf.h"
#include "import_internal.h"
#include "record_field.h"
#include "method.h"
#include "validate.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* An audit field: from @facts when it has it, else from @o. */
static json_t *audit_member(const json_t *o, const json_t *facts,
			    const char *key, const char *alt)
{
	json_t *v = facts ? import_member(facts, key) : NULL;
	if (!v)
		v = import_member(o, key);
	if (!v && alt)
		v = import_member(o, alt);
	return v;
}

static void check_keyword(struct company *c, const struct text *t,
			  const char *field, const char *what)
{
	const struct method_tier *flow = &c->im->m->flow;
	for (size_t i = 0; i < flow->ndims; i++) {
		const struct method_dim *dim = &flow->dims[i];
		if (!dim->field || strcmp(dim->field, field) ||
		    method_level_for_key(dim, t->s))
			continue;
		struct buf allowed = BUF_INIT;
		method_levels_put(dim, &allowed);
		import_fail(c, DIAG_BAD_VALUE,
			    "`%s` must be one of %s (got `%s`)", what,
			    buf_cstr(&allowed), import_shown(c, t->s));
		buf_free(&allowed);
	}
}

static void read_audit_files(struct company *c, const json_t *v,
			     const char *what, struct audit *a)
{
	a->evidence =
		arena_array(c->arena, json_array_size(v), sizeof(*a->evidence));
	size_t i;
	json_t *item;
	json_array_foreach (v, i, item) {
		char w[96];
		if (!json_is_object(item)) {
			import_fail(
				c, DIAG_NOT_MAPPING,
				"`%s.evidence[%zu]` must be an object, not %s",
				what, i, import_json_kind(item));
			continue;
		}
		struct audit_file *f = &a->evidence[a->nevidence++];
		snprintf(w, sizeof(w), "%s.evidence[%zu].title", what, i);
		import_get_text(c, item, "title", w, true, &f->title);
		snprintf(w, sizeof(w), "%s.evidence[%zu].file", what, i);
		import_get_text(c, item, "file", w, true, &f->file);
		snprintf(w, sizeof(w), "%s.evidence[%zu].sha256", what, i);
		if (import_get_text(c, item, "sha256", w, true, &f->sha256) &&
		    !validate_sha256(f->sha256.s))
			import_fail(c, DIAG_BAD_HASH,
				    "`%s` must be 64 hexadecimal digits (got "
				    "%zu characters)",
				    w, f->sha256.len);
	}
}

/*
 * One audit, from a full audit object (@facts NULL) or from our
 * companies.json summary of the latest one (@o the flow object, @facts
 * its `facts`). Returns false when it is left out for want of evidence
 * files.
 */
static bool read_audit(struct company *c, const json_t *o, const json_t *facts,
		       const char *what, struct audit *a)
{
	json_t *files = audit_member(o, facts, "evidence", NULL);
	char w[96];
	snprintf(w, sizeof(w), "%s.date", what);
	json_t *date = audit_member(o, facts, "date", "audit_date");
	if (!files || (json_is_array(files) && !json_array_size(files))) {
		import_fail(c, DIAG_EMPTY_VALUE,
			    "the file lists no recording or screenshot for it, "
			    "and an audit stands on its evidence files");
		return false;
	}
	struct text t;
	const char *why = "is missing";
	if (!json_is_string(date) ||
	    !import_parse_date(c, json_string_value(date),
			       json_string_length(date), &a->date, &why))
		import_fail(c, DIAG_BAD_DATE, "`%s` %s", w, why);

	json_t *tier = audit_member(o, facts, "tier", "evidence_tier");
	int k = json_is_string(tier)
			? record_tier_parse(json_string_value(tier))
			: -1;
	if (k < 0)
		import_fail(c, DIAG_BAD_VALUE, "`%s.tier` must be %s or %s",
			    what, record_tier_id(AUDIT_EDITOR_VERIFIED),
			    record_tier_id(AUDIT_CROWD_VERIFIED));
	else
		a->tier = (enum audit_tier)k;

	json_t *ch = audit_member(o, facts, "signup_channel", NULL);
	k = json_is_string(ch) ? record_channel_parse(json_string_value(ch))
			       : -1;
	if (k < 0 && json_is_string(ch))
		k = record_channel_from_label(json_string_value(ch));
	if (k < 0)
		import_fail(c, DIAG_UNKNOWN_CHANNEL,
			    "`%s.signup_channel` must be a channel", what);
	else
		a->signup_channel = (enum channel)k;

	/* The true/false facts, as the record format lists them, read
	 * straight into the audit's fields. */
	const json_t *src = facts ? facts : o;
	size_t nfields;
	const struct record_field *f =
		record_fields_in(RECORD_BLOCK_AUDIT, &nfields);
	for (size_t i = 0; i < nfields; i++) {
		if (f[i].type != RECORD_FIELD_BOOL)
			continue;
		snprintf(w, sizeof(w), "%s.%s", what, f[i].name);
		import_get_flag(c, src, f[i].name, w, f[i].required,
				(struct flag *)((char *)a + f[i].off));
	}
	snprintf(w, sizeof(w), "%s.steps", what);
	if (import_get_number(c, src, "steps", w, &a->steps) &&
	    (a->steps.v < 0 || a->steps.v != floor(a->steps.v)))
		import_fail(c, DIAG_BAD_VALUE,
			    "`%s` must be a whole number of steps, 0 or more "
			    "(got %g)",
			    w, a->steps.v);
	snprintf(w, sizeof(w), "%s.minutes", what);
	if (import_get_number(c, src, "minutes", w, &a->minutes) &&
	    a->minutes.v < 0)
		import_fail(c, DIAG_BAD_VALUE,
			    "`%s` cannot be negative (got %g)", w,
			    a->minutes.v);
	snprintf(w, sizeof(w), "%s.retention", what);
	if (import_get_text(c, src, "retention", w, true, &t)) {
		a->retention = t;
		check_keyword(c, &t, "retention", w);
	}
	snprintf(w, sizeof(w), "%s.confirmation", what);
	if (import_get_text(c, src, "confirmation", w, true, &t)) {
		a->confirmation = t;
		check_keyword(c, &t, "confirmation", w);
	}

	json_t *notes = audit_member(o, facts, "notes", NULL);
	snprintf(w, sizeof(w), "%s.notes", what);
	if (notes && json_is_string(notes)) {
		t = import_make_text(c, json_string_value(notes),
				     json_string_length(notes));
		if (t.len)
			a->notes = t;
	} else if (notes) {
		import_fail(c, DIAG_BAD_TYPE, "`%s` must be a string", w);
	}

	json_t *path = audit_member(o, facts, "path", NULL);
	if (path && !json_is_array(path)) {
		import_fail(c, DIAG_BAD_TYPE,
			    "`%s.path` must be a list of steps", what);
	} else if (path) {
		a->path = arena_array(c->arena, json_array_size(path),
				      sizeof(*a->path));
		size_t i;
		json_t *step;
		json_array_foreach (path, i, step) {
			snprintf(w, sizeof(w), "%s.path[%zu]", what, i);
			if (!json_is_string(step)) {
				import_fail(c, DIAG_BAD_TYPE,
					    "`%s` must be a string", w);
				continue;
			}
			t = import_make_text(c, json_string_value(step),
					     json_string_length(step));
			if (!t.len)
				import_fail(c, DIAG_EMPTY_VALUE,
					    "`%s` is empty", w);
			else
				a->path[a->npath++] = t;
		}
	}
	if (!json_is_array(files))
		import_fail(c, DIAG_BAD_TYPE, "`%s.evidence` must be a list",
			    what);
	else
		read_audit_files(c, files, what, a);
	return true;
}

/*
 * One audit read with its problems kept to itself: an audit with a
 * problem is left out, with a warning naming it, and the company is
 * imported with the audits that are whole.
 */
static bool read_whole_audit(struct company *c, const json_t *o,
			     const json_t *facts, const char *what,
			     struct audit *a)
{
	c->in_audit = true;
	buf_reset(&c->audit_problem);
	bool ok = read_audit(c, o, facts, what, a) && !c->audit_problem.len;
	c->in_audit = false;
	if (!ok) {
		json_t *date = audit_member(o, facts, "date", "audit_date");
		import_warn(c, DIAG_IMPORT_LEFT_OUT,
			    "`%s` (the audit of %s) is left out: %s", what,
			    json_is_string(date)
				    ? import_shown(c, json_string_value(date))
				    : "an unknown date",
			    buf_cstr(&c->audit_problem));
		memset(a, 0, sizeof(*a));
	}
	return ok;
}

void import_flow_read(struct company *c, const json_t *j)
{
	struct record *r = c->r;
	json_t *flow = import_member(j, "flow");
	c->stated_flow_score = -1;
	c->stated_flow_grade = 0;
	if (!flow)
		return;
	if (!json_is_object(flow)) {
		import_left_out(c, "flow", flow, "an object");
		return;
	}
	json_t *all = import_member(flow, "all_audits");
	json_t *facts = import_member(flow, "facts");
	if (all && json_is_array(all) && json_array_size(all)) {
		r->flow = arena_array(c->arena, json_array_size(all),
				      sizeof(*r->flow));
		size_t i;
		json_t *item;
		json_array_foreach (all, i, item) {
			char what[48];
			snprintf(what, sizeof(what), "flow.all_audits[%zu]", i);
			if (!json_is_object(item))
				import_left_out(c, what, item, "an audit");
			else if (read_whole_audit(c, item, NULL, what,
						  &r->flow[r->nflow]))
				r->nflow++;
		}
	} else if (facts && json_is_object(facts)) {
		r->flow = arena_alloc(c->arena, sizeof(*r->flow));
		if (read_whole_audit(c, flow, facts, "flow", r->flow))
			r->nflow = 1;
		json_t *count = import_member(flow, "audits");
		if (r->nflow && json_is_integer(count) &&
		    json_integer_value(count) > 1)
			import_note(c,
				    "the file gives only the latest of its "
				    "%lld flow audits",
				    (long long)json_integer_value(count));
	} else {
		import_warn(c, DIAG_IMPORT_LEFT_OUT,
			    "`flow` has no audit facts (`all_audits` or "
			    "`facts`); left out");
		return;
	}
	if (r->nflow)
		import_read_stated(c, flow, "flow", &c->stated_flow_score,
				   &c->stated_flow_grade);
}
