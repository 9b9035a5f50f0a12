/*
 * stats.h - aggregate figures over a catalog: grade counts, mean levels,
 * scores by industry and jurisdiction, channel asymmetry, pauses, gaps.
 *
 * Computed once per build and read by /api/v1/insights.json, the insights
 * page and its charts, so every figure is the same everywhere. The struct
 * is plain data: counts, means and arrays sized by the methodology table.
 */
#ifndef CANCELATLAS_STATS_H
#define CANCELATLAS_STATS_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog.h"
#include "method.h"
#include "record.h"

#define STATS_MAX_GRADES 8 /* room for the bands of any methodology */
#define STATS_TOP_GAPS	 10
/* Fewer records than this give no published mean: one or two records say
 * more about themselves than about their industry. */
#define STATS_MIN_MEAN 5

/*
 * Figures for one industry or jurisdiction. @g is the catalog's group
 * (slug, name, code); means are over the group's records and are 0 when
 * @n is 0, so a chart must check @n before drawing a bar.
 */
struct stats_group {
	const struct group *g;
	size_t n;	      /* records */
	size_t audited;	      /* records with a flow audit */
	bool has_mean;	      /* @n >= STATS_MIN_MEAN: the means may be shown */
	double mean_headline; /* mean headline score */
	double mean_policy;   /* mean Documented-Policy score */
	size_t grades[STATS_MAX_GRADES]; /* headline grades, by band index */
};

/*
 * The whole index. Grade arrays are indexed like m->grades (best first,
 * @ngrades of them); dimension arrays like the tier's dims. A share is a
 * fraction from 0 to 1 of @n (or of @audited where it says so), and 0
 * when there is nothing to divide by; the count beside it is exact.
 */
struct stats {
	const struct method *m;
	size_t n;	/* records */
	size_t audited; /* records with a flow audit */
	double share_audited;
	size_t ngrades;
	size_t policy_grades[STATS_MAX_GRADES];
	size_t flow_grades[STATS_MAX_GRADES]; /* audited records only */
	size_t headline_grades[STATS_MAX_GRADES];
	double mean_policy;   /* mean policy score over all records */
	double mean_flow;     /* mean flow score over audited records */
	double mean_headline; /* mean headline score over all records */
	/* Mean level per dimension: policy over all records, flow over
	 * audited records. */
	double policy_levels[METHOD_MAX_DIMS];
	double flow_levels[METHOD_MAX_DIMS];
	/* Channels: how many records list each; how many have no online
	 * self-serve cancel (neither online nor in-app); how many list
	 * phone. */
	size_t channels[CHANNEL_COUNT];
	size_t no_online;
	double share_no_online;
	size_t phone;
	double share_phone;
	size_t pause; /* records that offer a pause or freeze */
	double share_pause;
	/* Gaps (policy minus flow) of audited records: the mean, and the
	 * largest positive ones, largest first (ties by id). */
	double mean_gap;
	const struct entry *top_gaps[STATS_TOP_GAPS];
	size_t ntop_gaps;
	struct stats_group *industries; /* catalog order: every industry */
	size_t nindustries;
	struct stats_group *jurisdictions; /* catalog order: by code */
	size_t njurisdictions;
};

/**
 * stats_compute() - compute every figure of @c into @s.
 * @c: the catalog; borrowed, must outlive @s (groups and top gaps point
 *     into it).
 * @s: filled in; release its arrays with stats_free().
 */
void stats_compute(const struct catalog *c, struct stats *s);

/* stats_free() - release what stats_compute() allocated; accepts NULL. */
void stats_free(struct stats *s);

/**
 * stats_rank() - groups in the order a chart of means shows them: those
 * with a mean first, highest mean headline score first (ties by name, so
 * the order is stable), then those with records but too few for a mean,
 * by name. Groups without records are left out.
 * @groups: @n groups (s->industries or s->jurisdictions); borrowed.
 * @out: room for @n pointers into @groups.
 * @nout: set to how many were placed in @out.
 *
 * Returns: how many of them, first in @out, have a mean.
 */
size_t stats_rank(const struct stats_group *groups, size_t n,
		  const struct stats_group **out, size_t *nout);

/**
 * stats_grade_index() - the index of grade @letter in m->grades.
 *
 * Returns: the index, or -1 when @letter is not a grade.
 */
int stats_grade_index(const struct method *m, char letter);

#endif
