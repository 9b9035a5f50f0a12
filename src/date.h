/*
 * date.h - calendar dates as day numbers.
 */
#ifndef CANCELATLAS_DATE_H
#define CANCELATLAS_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Days since 1970-01-01 in the proleptic Gregorian calendar. */
typedef int32_t date_days;

#define DATE_ISO_LEN 10 /* "YYYY-MM-DD" */

/**
 * date_parse() - parse exactly "YYYY-MM-DD" and check that the day exists.
 * @s: the text (need not be NUL-terminated).
 * @len: its length.
 * @out: where to store the day number.
 *
 * Returns: 0 on success, -1 if the text is not that form, -2 if it has the
 * form but names no real day (2026-02-30).
 */
int date_parse(const char *s, size_t len, date_days *out);

/* date_from_ymd() - the day number of a valid year, month and day. */
date_days date_from_ymd(int y, int m, int d);

/* date_to_ymd() - split a day number into year, month and day. */
void date_to_ymd(date_days days, int *y, int *m, int *d);

/**
 * date_format() - write @days as "YYYY-MM-DD".
 * @out: at least DATE_ISO_LEN + 1 bytes.
 */
void date_format(date_days days, char *out);

/* How date_format_time() writes a time. */
enum date_time_form {
	DATE_TIME_RFC3339,   /* "2026-07-01T14:03:09Z", for programs */
	DATE_TIME_MINUTE,    /* "2026-07-01 14:03 UTC", for readers */
	DATE_TIME_MINUTE_ISO /* "2026-07-01T14:03Z", for <time datetime> */
};

/* The longest date_format_time() writes, with its NUL. */
#define DATE_TIME_SIZE 24

/**
 * date_format_time() - write @t (seconds since the epoch, UTC) in @form.
 * @out: at least DATE_TIME_SIZE bytes.
 */
void date_format_time(int64_t t, enum date_time_form form, char *out);

/**
 * date_today() - today's date in UTC, or the day of SOURCE_DATE_EPOCH when
 * that is set, so builds and checks are reproducible.
 */
date_days date_today(void);

/**
 * date_now() - the current time in seconds since the epoch, or
 * SOURCE_DATE_EPOCH when set.
 */
int64_t date_now(void);

#endif
