/*
 * histprint.c - print a record's history for people and for programs.
 *
 * Both forms list the versions newest first with the same facts; the text
 * puts each change on a line of its own under the version's heading so a
 * reader sees "what changed" without knowing the JSON's field names.
 */
#include "histprint.h"
#include "date.h"
#include "histchange.h"

static void print_score(FILE *out, const char *tier,
			const struct histcache_score *s)
{
	fprintf(out, "  %s %d/100, grade %c\n", tier, s->score, s->grade);
}

void histprint_text(FILE *out, const struct method *m,
		    const struct history_record *r)
{
	(void)m;
	for (size_t i = 0; i < r->nversions; i++) {
		const struct history_version *v = &r->versions[i];
		if (v->commit[0]) {
			char date[DATE_ISO_LEN + 1];
			date_format(v->date, date);
			fprintf(out, "%s %s %s\n", date, v->short_id,
				v->note ? v->note : "");
		} else {
			fprintf(out, "%s (working file)\n", v->path);
		}
		if (v->skipped) {
			fprintf(out, "  skipped, does not load: %s\n",
				v->skipped);
			continue;
		}
		print_score(out, "policy", &v->policy);
		if (v->has_flow)
			print_score(out, "flow", &v->flow);
		for (size_t j = 0; j < v->nchanges; j++)
			fprintf(out, "  - %s\n", v->changes[j].text);
		if (v->commit[0] && !v->nchanges)
			fputs("  - no score, level or published fact "
			      "changed\n",
			      out);
	}
}

static json_t *levels_json(const struct method_tier *tier,
			   const struct histcache_score *s)
{
	json_t *levels = json_object();
	for (size_t i = 0; i < tier->ndims; i++)
		json_object_set_new(levels, tier->dims[i].id,
				    json_integer(s->levels[i]));
	return levels;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *version_json(const struct method *m,
			    const struct history_version *v)
{
	json_t *j = json_object();
	if (v->commit[0]) {
		char date[DATE_ISO_LEN + 1];
		date_format(v->date, date);
		json_object_set_new(j, "date", json_string(date));
		json_object_set_new(j, "commit", json_string(v->short_id));
		json_object_set_new(j, "commit_id", json_string(v->commit));
	} else {
		json_object_set_new(j, "date", json_null());
		json_object_set_new(j, "commit", json_null());
		json_object_set_new(j, "commit_id", json_null());
	}
	json_object_set_new(j, "note", str_or_null(v->note));
	json_object_set_new(j, "path", str_or_null(v->path));
	json_object_set_new(j, "methodology", str_or_null(v->methodology));
	if (v->skipped) {
		json_object_set_new(j, "skipped", json_string(v->skipped));
		return j;
	}
	char grade[2] = { v->policy.grade, '\0' };
	json_object_set_new(j, "score", json_integer(v->policy.score));
	json_object_set_new(j, "grade", json_string(grade));
	json_object_set_new(j, "levels", levels_json(&m->policy, &v->policy));
	if (v->has_flow) {
		json_t *flow = json_object();
		grade[0] = v->flow.grade;
		json_object_set_new(flow, "score", json_integer(v->flow.score));
		json_object_set_new(flow, "grade", json_string(grade));
		json_object_set_new(flow, "levels",
				    levels_json(&m->flow, &v->flow));
		json_object_set_new(j, "flow", flow);
	} else {
		json_object_set_new(j, "flow", json_null());
	}
	json_t *changes = json_array();
	for (size_t i = 0; i < v->nchanges; i++) {
		const struct histchange *c = &v->changes[i];
		json_t *cj = json_object();
		json_object_set_new(cj, "kind",
				    json_string(histchange_kind_id(c->kind)));
		json_object_set_new(cj, "field", json_string(c->field));
		json_object_set_new(cj, "from", str_or_null(c->from));
		json_object_set_new(cj, "to", str_or_null(c->to));
		json_object_set_new(cj, "text", json_string(c->text));
		json_array_append_new(changes, cj);
	}
	json_object_set_new(j, "changes", changes);
	return j;
}

json_t *histprint_json(const struct method *m, const struct history_record *r,
		       const char *unavailable)
{
	json_t *j = json_object();
	json_object_set_new(j, "id", json_string(r->id));
	json_object_set_new(j, "methodology", json_string(m->version));
	json_object_set_new(j, "history_unavailable", str_or_null(unavailable));
	json_t *versions = json_array();
	for (size_t i = 0; i < r->nversions; i++)
		json_array_append_new(versions,
				      version_json(m, &r->versions[i]));
	json_object_set_new(j, "versions", versions);
	return j;
}
