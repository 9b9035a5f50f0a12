/*
 * method.h - the methodology (CES-1.1) as one table.
 *
 * Scoring, validation, every page, the API and the JSON Schema read the
 * dimensions, weights, levels, grade bands, phrases and grade rules from
 * here and nowhere else. The table is public data, not an opaque object:
 * publishing it is the point.
 */
#ifndef CANCELATLAS_METHOD_H
#define CANCELATLAS_METHOD_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

#define METHOD_MAX_DIMS 8

/* How a dimension's level is chosen. */
enum method_input {
	METHOD_INPUT_LEVEL,  /* an editor picks one rubric level */
	METHOD_INPUT_BOOL,   /* from an audit's true/false fact */
	METHOD_INPUT_ENUM,   /* from an audit's keyword */
	METHOD_INPUT_NUMBER, /* from an audit's count or minutes */
};

/*
 * One rubric level. For audit-derived dimensions, @match is the keyword
 * ("true", "skippable-offer") that yields the level, or @upto the largest
 * number that does (levels are ordered by rising @upto; the last is the
 * catch-all with @upto < 0).
 */
struct method_level {
	int value;
	const char *match;
	double upto;
	const char *text;
};

struct method_dim {
	const char *id;	  /* "cancel_url": how files, API and schema name it */
	const char *name; /* "Self-serve cancel path": how pages name it */
	int weight;	  /* its share of the tier's score, in percent */
	enum method_input input;
	const char *field; /* the audit field it reads; NULL for policy */
	const char *unit;  /* "steps", "min": how @upto values read */
	const struct method_level *levels; /* best first */
	size_t nlevels;
};

struct method_grade {
	char letter;
	int min;		  /* lowest score in the band */
	const char *phrase;	  /* ends the record sentence */
	const char *badge_phrase; /* the badge section; NULL: no badge */
	const char *color;	  /* badge and chart colour, #rrggbb */
};

/* Facts of a record, beside its levels, that a grade rule can test. */
enum method_fact {
	METHOD_FACT_NONE,
	METHOD_FACT_NO_EXIT_FEE, /* the policy states no exit fee or term */
};

/*
 * A grade rule: when dimension @dim is below @min (or @fact does not hold),
 * the grade can be no better than @grade, whatever the score. The score
 * itself is never changed. @needs completes "an A needs ..." on pages.
 */
struct method_rule {
	const char *dim;
	int min;
	enum method_fact fact;
	char grade;
	const char *needs;
};

struct method_tier {
	const char *id;	  /* "documented", "flow" */
	const char *name; /* "Documented-Policy" */
	const struct method_dim *dims;
	size_t ndims;
	const struct method_rule *rules;
	size_t nrules;
};

struct method {
	const char *version;
	const char *since; /* YYYY-MM-DD: the day it took effect */
	struct method_tier policy;
	struct method_tier flow;
	const struct method_grade *grades; /* best first */
	size_t ngrades;
};

/* method_current() - the methodology new scores are computed with. */
const struct method *method_current(void);

/**
 * method_published() - every methodology ever published, oldest first; the
 * last is method_current(). A record's history names, for each version,
 * the one in force on the day it was committed.
 * @n: set to their number.
 *
 * Returns: a static array.
 */
const struct method *const *method_published(size_t *n);

/**
 * method_in_force() - of @published (@n, oldest first, by @since), the
 * methodology in force on day @day (days since 1970-01-01): the newest
 * whose @since is not after it, or the oldest for a day before them all.
 */
const struct method *method_in_force(const struct method *const *published,
				     size_t n, int day);

/**
 * method_band() - the grade band a score falls in, before any rule.
 *
 * Returns: the band; never NULL for 0..100.
 */
const struct method_grade *method_band(const struct method *m, int score);

/* method_grade() - the band of letter @letter, or NULL. */
const struct method_grade *method_grade(const struct method *m, char letter);

/**
 * method_dim_index() - the position of dimension @id in @tier.
 *
 * Returns: the index, or -1 when @tier has no such dimension.
 */
int method_dim_index(const struct method_tier *tier, const char *id);

/**
 * method_level_find() - the rubric level with value @value.
 *
 * Returns: the level, or NULL when @value is not one of the dimension's.
 */
const struct method_level *method_level_find(const struct method_dim *dim,
					     int value);

/**
 * method_level_for_key() - the level an audit keyword maps to, for BOOL and
 * ENUM dimensions.
 *
 * Returns: the level, or NULL when @key is not in the vocabulary.
 */
const struct method_level *method_level_for_key(const struct method_dim *dim,
						const char *key);

/* method_level_for_number() - the level a count or duration maps to. */
const struct method_level *method_level_for_number(const struct method_dim *dim,
						   double number);

/**
 * method_levels_put() - append the allowed values to @out, lowest first
 * ("0, 25, 50, 75, 100"), or the keywords best first ("none,
 * skippable-offer, ...").
 */
bool method_levels_put(const struct method_dim *dim, struct buf *out);

#endif
