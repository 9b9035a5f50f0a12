/*
 * score.h - CES scores and grades for a record and its audits.
 */
#ifndef CANCELATLAS_SCORE_H
#define CANCELATLAS_SCORE_H

#include <stdbool.h>

#include "buf.h"
#include "method.h"
#include "record.h"

/*
 * A scored tier. @points[i] is weight x level, in hundredths of a point
 * (the integer form the methodology rounds from). @band is the grade the
 * score alone earns; @grade is the published one after the grade rules;
 * bit i of @rules_applied is set when rule i of the tier lowered it.
 */
struct score_result {
	const struct method_tier *tier;
	int levels[METHOD_MAX_DIMS];
	int points[METHOD_MAX_DIMS];
	int score;
	char band;
	char grade;
	unsigned rules_applied;
};

/**
 * score_policy() - the Documented-Policy score of a valid record:
 * (sum of weight x level + 50) / 100, the band, then the policy rules.
 */
void score_policy(const struct method *m, const struct record *r,
		  struct score_result *out);

/**
 * score_flow() - the Verified-Flow score of one audit: each dimension's
 * level from the audit's facts through the methodology table, then the
 * same rounding, band and the flow rules.
 */
void score_flow(const struct method *m, const struct audit *a,
		struct score_result *out);

/**
 * score_put_cap() - why a grade is below its band: "an A needs ... and
 * ...". Appends nothing when no rule lowered the grade.
 *
 * Returns: false only when @out's limit is reached.
 */
bool score_put_cap(struct buf *out, const struct score_result *s);

/**
 * score_put_sentence() - the record's sentence: "Coursera scores 79/100
 * (grade B) for how clearly it documents cancellation in the US - a
 * clearly documented cancellation policy. Cancellation is available via
 * online (self-serve), in-app."
 */
bool score_put_sentence(struct buf *out, const struct method *m,
			const struct record *r, const struct score_result *s);

/* score_put_channels() - the channel labels joined by ", ". */
bool score_put_channels(struct buf *out, const struct record *r);

/* score_grade_article() - "an" before A and F, "a" otherwise. */
const char *score_grade_article(char grade);

#endif
