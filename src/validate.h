/*
 * validate.h - the rules of SPEC.md that a loaded record must satisfy.
 */
#ifndef CANCELATLAS_VALIDATE_H
#define CANCELATLAS_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "diag.h"
#include "method.h"
#include "record.h"

/* Reviews older than this draw a W101 warning. */
#define VALIDATE_STALE_DAYS 180

/* What the rules are checked against; all borrowed. */
struct validate_ctx {
	const struct method *m;
	const struct industry *industries;
	size_t nindustries;
	date_days today;
};

/**
 * validate_record() - check one record against every per-record rule:
 * rubric levels, vocabularies, dates, URLs, the id, evidence dates, and
 * the warnings for stale reviews, missing reasons and levels that
 * contradict the record's own facts.
 * @r: the record as loaded (possibly incomplete after load errors).
 * @ctx: the methodology, the industries and today's date.
 * @d: receives the problems.
 */
void validate_record(const struct record *r, const struct validate_ctx *ctx,
		     struct diag *d);

/**
 * validate_ctx_key() - a hash of what @ctx checks a record against (the
 * methodology's version, the industries, today's date), never 0: a
 * record that passed validate_record() with nothing to say under a key
 * passes again under the same key, with the same program.
 */
uint64_t validate_ctx_key(const struct validate_ctx *ctx);

/**
 * validate_records() - the rules across records: no id used twice.
 * @by_id: the records of the data folder that have an id, in id order,
 *	   records of the same id in file order (dataset.h's by_id): each
 *	   is said to share its id with the one before it.
 * @n: their number.
 * @d: receives the problems.
 */
void validate_records(struct record *const *by_id, size_t n, struct diag *d);

/**
 * validate_industries() - slugs are slugs and nothing is listed twice.
 * @file: the industries file, for positions.
 */
void validate_industries(const char *file, const struct industry *v, size_t n,
			 struct diag *d);

/**
 * validate_slug() - whether @s is a lower-case slug: letters, digits and
 * single hyphens between them ("puregym-uk").
 */
bool validate_slug(const char *s);

/**
 * validate_url() - whether @s is an absolute http or https URL with a
 * host and nothing a browser would treat as markup or whitespace.
 */
bool validate_url(const char *s);

/* validate_sha256() - whether @s is exactly 64 hexadecimal digits. */
bool validate_sha256(const char *s);

#endif
