/*
 * report.c - `cancelatlas score` as text: a table per tier an editor can
 * check by hand against the methodology page, then the sentence readers
 * see.
 */
#include "report.h"
#include "buf.h"
#include "date.h"
#include "score.h"

static void put_points(FILE *out, int hundredths)
{
	fprintf(out, "%4d.%02d", hundredths / 100, hundredths % 100);
}

static void print_tier(FILE *out, const struct score_result *s,
		       const char *const *notes)
{
	const struct method_tier *t = s->tier;
	fprintf(out, "  %-20s %5s %7s %8s\n", "dimension", "level", "weight",
		"points");
	for (size_t i = 0; i < t->ndims; i++) {
		fprintf(out, "  %-20s %5d %7d ", t->dims[i].id, s->levels[i],
			t->dims[i].weight);
		put_points(out, s->points[i]);
		if (notes && notes[i])
			fprintf(out, "   %s", notes[i]);
		fputc('\n', out);
	}
	fprintf(out, "  %-20s %5s %7s %5d/100  grade %c", "total", "", "",
		s->score, s->grade);
	if (s->rules_applied) {
		struct buf cap = BUF_INIT;
		score_put_cap(&cap, s);
		fprintf(out, " (capped from %c: %s)", s->band, buf_cstr(&cap));
		buf_free(&cap);
	}
	fputc('\n', out);
}

/* What each flow level was read from, e.g. "4 steps", "skippable-offer". */
static void flow_notes(const struct audit *a, char bufs[][48],
		       const char *notes[])
{
	snprintf(bufs[0], 48, "online path: %s",
		 a->online_path.v ? "yes" : "no");
	snprintf(bufs[1], 48, "%g steps", a->steps.v);
	snprintf(bufs[2], 48, "%s", a->retention.s ? a->retention.s : "");
	snprintf(bufs[3], 48, "same channel as sign-up (%s): %s",
		 record_channel_id(a->signup_channel),
		 a->channel_symmetry.v ? "yes" : "no");
	snprintf(bufs[4], 48, "%s", a->confirmation.s ? a->confirmation.s : "");
	snprintf(bufs[5], 48, "%g min", a->minutes.v);
	snprintf(bufs[6], 48, "clean exit: %s", a->clean_exit.v ? "yes" : "no");
	for (size_t i = 0; i < 7; i++)
		notes[i] = bufs[i];
}

void report_score(FILE *out, const struct method *m, const struct record *r)
{
	struct score_result policy;
	score_policy(m, r, &policy);
	char reviewed[DATE_ISO_LEN + 1];
	date_format(r->reviewed.days, reviewed);
	fprintf(out, "%s (%s) \u00b7 %s \u00b7 %s \u00b7 %s%s\n\n", r->name.s,
		r->id.s, r->industry.s, r->jurisdiction.s, m->version,
		r->fictional.v ? " \u00b7 fictional" : "");

	const char *why[METHOD_MAX_DIMS] = { NULL };
	for (size_t i = 0; i < m->policy.ndims; i++)
		why[i] = r->why[i].s;
	fprintf(out, "%s (reviewed %s)\n", m->policy.name, reviewed);
	print_tier(out, &policy, why);

	struct buf sentence = BUF_INIT;
	score_put_sentence(&sentence, m, r, &policy);
	fprintf(out, "\n%s\n", buf_cstr(&sentence));
	buf_free(&sentence);

	const struct audit *a = record_latest_audit(r);
	if (!a) {
		fprintf(out, "\n%s: audit pending.\n", m->flow.name);
		return;
	}
	struct score_result flow;
	score_flow(m, a, &flow);
	char date[DATE_ISO_LEN + 1];
	date_format(a->date.days, date);
	char bufs[7][48];
	const char *notes[METHOD_MAX_DIMS] = { NULL };
	flow_notes(a, bufs, notes);
	fprintf(out, "\n%s (%s, audited %s; %zu audit%s on file)\n",
		m->flow.name, record_tier_id(a->tier), date, r->nflow,
		r->nflow == 1 ? "" : "s");
	print_tier(out, &flow, notes);
	fprintf(out,
		"\nHeadline: %d/100, grade %c (%s). Policy %d, flow %d: gap "
		"%+d.\n",
		flow.score, flow.grade, m->flow.name, policy.score, flow.score,
		policy.score - flow.score);
}
