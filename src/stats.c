/*
 * stats.c - the index's aggregate figures, in one pass over the catalog.
 *
 * The insights JSON, the insights page and its SVG charts all need the
 * same numbers; computing them here once, from the scores the catalog
 * already holds, keeps them identical and the cost linear in the number
 * of records. Sums are kept as integers (levels and scores are integers)
 * and divided only at the end, so means do not depend on record order.
 * The largest gaps are kept in a small sorted array: a full sort of every
 * audited record would be wasted on ten places. A group under
 * STATS_MIN_MEAN records is counted but has no mean to show.
 */
#include "stats.h"
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int stats_grade_index(const struct method *m, char letter)
{
	for (size_t i = 0; i < m->ngrades && i < STATS_MAX_GRADES; i++)
		if (m->grades[i].letter == letter)
			return (int)i;
	return -1;
}

static void count_grade(const struct method *m, size_t *counts, char letter)
{
	int i = stats_grade_index(m, letter);
	if (i >= 0)
		counts[i]++;
}

static double ratio(int64_t sum, size_t n)
{
	return n ? (double)sum / (double)n : 0.0;
}

/* Keep @e among the largest positive gaps, largest first, ties by id. */
static void top_gap_add(struct stats *s, const struct entry *e)
{
	int gap = catalog_gap(e);
	if (gap <= 0)
		return;
	size_t at = s->ntop_gaps;
	while (at > 0) {
		const struct entry *p = s->top_gaps[at - 1];
		int pg = catalog_gap(p);
		if (pg > gap ||
		    (pg == gap && strcmp(p->r->id.s, e->r->id.s) < 0))
			break;
		at--;
	}
	if (at >= STATS_TOP_GAPS)
		return;
	size_t last = s->ntop_gaps < STATS_TOP_GAPS ? s->ntop_gaps
						    : STATS_TOP_GAPS - 1;
	memmove(&s->top_gaps[at + 1], &s->top_gaps[at],
		(last - at) * sizeof(s->top_gaps[0]));
	s->top_gaps[at] = e;
	if (s->ntop_gaps < STATS_TOP_GAPS)
		s->ntop_gaps++;
}

static void group_compute(const struct method *m, const struct group *g,
			  struct stats_group *out)
{
	int64_t head = 0, policy = 0;
	out->g = g;
	out->n = g->n;
	for (size_t i = 0; i < g->n; i++) {
		const struct entry *e = g->entries[i];
		head += e->headline->score;
		policy += e->policy.score;
		out->audited += e->audit != NULL;
		count_grade(m, out->grades, e->headline->grade);
	}
	out->has_mean = g->n >= STATS_MIN_MEAN;
	out->mean_headline = ratio(head, g->n);
	out->mean_policy = ratio(policy, g->n);
}

void stats_compute(const struct catalog *c, struct stats *s)
{
	const struct method *m = c->m;
	int64_t policy = 0, flow = 0, head = 0, gap = 0;
	int64_t plevels[METHOD_MAX_DIMS] = { 0 },
		flevels[METHOD_MAX_DIMS] = { 0 };

	memset(s, 0, sizeof(*s));
	s->m = m;
	s->n = c->n;
	s->ngrades =
		m->ngrades < STATS_MAX_GRADES ? m->ngrades : STATS_MAX_GRADES;
	for (size_t i = 0; i < c->n; i++) {
		const struct entry *e = &c->entries[i];
		const struct record *r = e->r;
		policy += e->policy.score;
		head += e->headline->score;
		count_grade(m, s->policy_grades, e->policy.grade);
		count_grade(m, s->headline_grades, e->headline->grade);
		for (size_t k = 0; k < m->policy.ndims; k++)
			plevels[k] += e->policy.levels[k];
		if (e->audit) {
			s->audited++;
			flow += e->flow.score;
			gap += catalog_gap(e);
			count_grade(m, s->flow_grades, e->flow.grade);
			for (size_t k = 0; k < m->flow.ndims; k++)
				flevels[k] += e->flow.levels[k];
			top_gap_add(s, e);
		}
		for (size_t k = 0; k < r->nchannels; k++)
			s->channels[r->channels[k]]++;
		if (!record_has_channel(r, CHANNEL_ONLINE) &&
		    !record_has_channel(r, CHANNEL_IN_APP))
			s->no_online++;
		if (record_has_channel(r, CHANNEL_PHONE))
			s->phone++;
		if (r->pause_offered.v)
			s->pause++;
	}
	s->mean_policy = ratio(policy, s->n);
	s->mean_headline = ratio(head, s->n);
	s->mean_flow = ratio(flow, s->audited);
	s->mean_gap = ratio(gap, s->audited);
	for (size_t k = 0; k < m->policy.ndims; k++)
		s->policy_levels[k] = ratio(plevels[k], s->n);
	for (size_t k = 0; k < m->flow.ndims; k++)
		s->flow_levels[k] = ratio(flevels[k], s->audited);
	s->share_audited = ratio((int64_t)s->audited, s->n);
	s->share_no_online = ratio((int64_t)s->no_online, s->n);
	s->share_phone = ratio((int64_t)s->phone, s->n);
	s->share_pause = ratio((int64_t)s->pause, s->n);

	s->nindustries = c->nindustries;
	s->industries = xcalloc(c->nindustries ? c->nindustries : 1,
				sizeof(*s->industries));
	for (size_t i = 0; i < c->nindustries; i++)
		group_compute(m, &c->industries[i], &s->industries[i]);
	s->njurisdictions = c->njurisdictions;
	s->jurisdictions = xcalloc(c->njurisdictions ? c->njurisdictions : 1,
				   sizeof(*s->jurisdictions));
	for (size_t i = 0; i < c->njurisdictions; i++)
		group_compute(m, &c->jurisdictions[i], &s->jurisdictions[i]);
}

static int rank_cmp(const void *a, const void *b)
{
	const struct stats_group *x = *(const struct stats_group *const *)a;
	const struct stats_group *y = *(const struct stats_group *const *)b;
	if (x->has_mean != y->has_mean)
		return x->has_mean ? -1 : 1;
	if (x->has_mean && x->mean_headline != y->mean_headline)
		return x->mean_headline > y->mean_headline ? -1 : 1;
	return strcmp(x->g->name, y->g->name);
}

size_t stats_rank(const struct stats_group *groups, size_t n,
		  const struct stats_group **out, size_t *nout)
{
	size_t k = 0, with_mean = 0;
	for (size_t i = 0; i < n; i++) {
		if (!groups[i].n)
			continue;
		out[k++] = &groups[i];
		with_mean += groups[i].has_mean;
	}
	qsort(out, k, sizeof(*out), rank_cmp);
	*nout = k;
	return with_mean;
}

void stats_free(struct stats *s)
{
	if (!s)
		return;
	free(s->industries);
	free(s->jurisdictions);
	s->industries = s->jurisdictions = NULL;
	s->nindustries = s->njurisdictions = 0;
}
