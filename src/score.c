/*
 * score.c - compute CES scores exactly as the methodology states them.
 *
 * Everything is integer: a dimension contributes weight x level hundredths
 * of a point and the total is rounded half up as (sum + 50) / 100, so no
 * floating-point rounding can move a published score. Grade rules come
 * from the methodology table; a rule can only lower a grade, never the
 * score, and the result remembers which rules did so that pages can say
 * why.
 */
#include "score.h"
#include "juris.h"
#include "record_field.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void finish(const struct method *m, const struct method_tier *tier,
		   const struct record *r, struct score_result *out)
{
	int sum = 0;
	for (size_t i = 0; i < tier->ndims; i++) {
		out->points[i] = tier->dims[i].weight * out->levels[i];
		sum += out->points[i];
	}
	out->tier = tier;
	out->score = (sum + 50) / 100;
	out->band = method_band(m, out->score)->letter;
	out->grade = out->band;
	out->rules_applied = 0;
	for (size_t i = 0; i < tier->nrules; i++) {
		const struct method_rule *rule = &tier->rules[i];
		bool holds;
		if (rule->dim)
			holds = out->levels[method_dim_index(
					tier, rule->dim)] >= rule->min;
		else
			holds = !(rule->fact == METHOD_FACT_NO_EXIT_FEE && r &&
				  r->exit_fee.v);
		/* Letters sort best first: 'A' < 'B' < ... < 'F'. */
		if (!holds && rule->grade > out->grade)
			out->grade = rule->grade;
		if (!holds && rule->grade > out->band)
			out->rules_applied |= 1u << i;
	}
}

void score_policy(const struct method *m, const struct record *r,
		  struct score_result *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < m->policy.ndims; i++)
		out->levels[i] =
			record_number_int(r->policy[i].v, INT_MIN, INT_MAX);
	finish(m, &m->policy, r, out);
}

/*
 * The level an audit earns on one flow dimension, from the audit field
 * the dimension reads (found in the record format's table). A dimension
 * that names a field the format does not have, or one of another type,
 * is a methodology the program cannot score: that is said and the
 * program stops, rather than scoring some other field.
 */
static int flow_level(const struct method *m, const struct method_dim *dim,
		      const struct audit *a)
{
	const struct record_field *f =
		dim->field ? record_field_find(RECORD_BLOCK_AUDIT, dim->field)
			   : NULL;
	const void *at = f ? (const char *)a + f->off : NULL;
	const struct method_level *l = NULL;
	if (f && dim->input == METHOD_INPUT_BOOL &&
	    f->type == RECORD_FIELD_BOOL) {
		const struct flag *v = at;
		l = method_level_for_key(dim, v->v ? "true" : "false");
	} else if (f && dim->input == METHOD_INPUT_NUMBER &&
		   f->type == RECORD_FIELD_NUMBER) {
		const struct number *v = at;
		l = method_level_for_number(dim, v->v);
	} else if (f && dim->input == METHOD_INPUT_ENUM &&
		   f->type == RECORD_FIELD_TEXT) {
		const struct text *v = at;
		l = v->s ? method_level_for_key(dim, v->s) : NULL;
	} else {
		fprintf(stderr,
			"cancelatlas: methodology %s: flow dimension %s reads "
			"`%s`, which is not an audit field of that type in "
			"the record format\n",
			m->version, dim->id, dim->field ? dim->field : "");
		abort();
	}
	return l ? l->value : 0;
}

void score_flow(const struct method *m, const struct audit *a,
		struct score_result *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < m->flow.ndims; i++)
		out->levels[i] = flow_level(m, &m->flow.dims[i], a);
	finish(m, &m->flow, NULL, out);
}

const char *score_grade_article(char grade)
{
	return grade == 'A' || grade == 'F' ? "an" : "a";
}

bool score_put_cap(struct buf *out, const struct score_result *s)
{
	if (!s->rules_applied)
		return true;
	bool ok = buf_printf(out, "%s %c needs ", score_grade_article(s->band),
			     s->band);
	size_t total = 0, done = 0;
	for (size_t i = 0; i < s->tier->nrules; i++)
		total += (s->rules_applied >> i) & 1u;
	for (size_t i = 0; i < s->tier->nrules; i++) {
		if (!((s->rules_applied >> i) & 1u))
			continue;
		const char *sep = done == 0	      ? ""
				  : done + 1 == total ? " and "
						      : ", ";
		ok = ok &&
		     buf_printf(out, "%s%s", sep, s->tier->rules[i].needs);
		done++;
	}
	return ok;
}

bool score_put_channels(struct buf *out, const struct record *r)
{
	bool ok = true;
	for (size_t i = 0; i < r->nchannels; i++)
		ok = ok && buf_printf(out, "%s%s", i ? ", " : "",
				      record_channel_label(r->channels[i]));
	return ok;
}

bool score_put_sentence(struct buf *out, const struct method *m,
			const struct record *r, const struct score_result *s)
{
	const struct method_grade *g = method_grade(m, s->grade);
	bool ok = buf_printf(out,
			     "%s scores %d/100 (grade %c) for how clearly it "
			     "documents cancellation in ",
			     r->name.s, s->score, s->grade) &&
		  juris_put_phrase(out, r->jurisdiction.s) &&
		  buf_printf(out, " \u2014 %s.", g->phrase);
	if (r->nchannels)
		ok = ok && buf_puts(out, " Cancellation is available via ") &&
		     score_put_channels(out, r) && buf_putc(out, '.');
	return ok;
}
