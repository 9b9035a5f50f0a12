/*
 * fresh.h - how long ago a record was reviewed, whether it is due for
 * review, and the list of records due (`cancelatlas stale`).
 */
#ifndef CANCELATLAS_FRESH_H
#define CANCELATLAS_FRESH_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "date.h"
#include "record.h"

/* A record reviewed more than this many days before the build is stale. */
#define FRESH_STALE_DAYS 180

/* fresh_day_of() - the UTC day of @t, seconds since the epoch. */
date_days fresh_day_of(int64_t t);

/* fresh_age_days() - days from @reviewed to @today (0 when after it). */
int fresh_age_days(date_days reviewed, date_days today);

/* fresh_is_stale() - whether an age in days is past the limit @days. */
bool fresh_is_stale(int age, int days);

/**
 * fresh_put_ago() - append an age as people say it: "today",
 * "yesterday", "12 days ago", "5 weeks ago", "3 months ago" (up to two
 * years), then "2 years ago".
 *
 * Returns: false only when @out's limit is reached.
 */
bool fresh_put_ago(struct buf *out, int age);

/* fresh_put_month() - append @day's month and year: "Jan 2025". */
bool fresh_put_month(struct buf *out, date_days day);

/*
 * Why a record is due for review. Only the age is known from the data;
 * the others come from monitoring the pages a record cites, each with
 * the URL concerned.
 */
enum fresh_reason_kind {
	FRESH_AGE,	      /* reviewed more than the limit ago */
	FRESH_SOURCE_CHANGED, /* a cited page changed since the review */
	FRESH_SOURCE_BROKEN,  /* a cited page no longer answers */
	FRESH_REASON_COUNT,
};

/* fresh_reason_id() - "age", "source_changed", "source_broken". */
const char *fresh_reason_id(enum fresh_reason_kind kind);

/* The records due for review, with why. */
struct fresh_list;

/**
 * fresh_list_new() - an empty list for a build or a run on @today, where
 * a review older than @days is due.
 *
 * Returns: a new list; release with fresh_list_free().
 */
struct fresh_list *fresh_list_new(date_days today, int days);

/* fresh_list_free() - release @l; accepts NULL. */
void fresh_list_free(struct fresh_list *l);

/**
 * fresh_list_check() - add @r (borrowed, must outlive the list) with the
 * reason FRESH_AGE when its review is past the limit.
 */
void fresh_list_check(struct fresh_list *l, const struct record *r);

/**
 * fresh_list_add() - add a reason of monitoring's to @r: @kind is
 * FRESH_SOURCE_CHANGED or FRESH_SOURCE_BROKEN, @url the cited page
 * (copied). A record already listed gets the reason beside its others.
 */
void fresh_list_add(struct fresh_list *l, const struct record *r,
		    enum fresh_reason_kind kind, const char *url);

/* fresh_list_count() - how many records are due. */
size_t fresh_list_count(const struct fresh_list *l);

/**
 * fresh_list_print() - the records due, oldest review first (then by
 * id), one line each: "ID  reviewed DATE, 5 months ago (155 days):
 * WHY; WHY".
 */
void fresh_list_print(FILE *out, const struct fresh_list *l);

/**
 * fresh_list_json() - {today, days, count, records: [{id, name,
 * reviewed, review_age_days, reasons: [{kind, url, text}]}]}, in the
 * order fresh_list_print() uses.
 *
 * Returns: a new JSON object; caller releases it with json_decref().
 */
json_t *fresh_list_json(const struct fresh_list *l);

#endif
