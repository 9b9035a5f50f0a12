/*
 * reftext.h - the reference system's free-text fields read as facts:
 * "not offered. ..." pause strings, deletion notes ending in a URL,
 * sources written as stringified dicts, "(accessed DATE)" in titles,
 * dates given as timestamps and URLs typed without their scheme.
 */
#ifndef CANCELATLAS_REFTEXT_H
#define CANCELATLAS_REFTEXT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "date.h"

/* What a pause (or similar) text says about the offer. */
enum reftext_status {
	REFTEXT_UNSTATED,    /* empty, or the text does not say */
	REFTEXT_OFFERED,     /* "available (...)", "offered. ...", "yes" */
	REFTEXT_NOT_OFFERED, /* "not offered. ...", "no pause ...", "none" */
};

/**
 * reftext_status() - read a status phrase at the start of @s.
 * @s: the text, NUL-terminated.
 * @note: set to what is left to keep as the note: after a label
 *	  ("not offered. NOTE", "available (NOTE)", the parentheses
 *	  dropped), or the whole text when the status is part of a
 *	  sentence ("No pause or freeze option ...") or unstated.
 * @note_len: its length, trimmed of white space.
 *
 * Returns: the status.
 */
enum reftext_status reftext_status(const char *s, const char **note,
				   size_t *note_len);

/**
 * reftext_split_url() - a note that ends in a URL, "Delete under
 * Settings. https://x.example/privacy", taken apart.
 * @note_len: set to the length of the text before the URL, trimmed.
 * @url: set to the URL (without a closing '.', ',' or ';'), or NULL.
 * @url_len: its length.
 */
void reftext_split_url(const char *s, size_t *note_len, const char **url,
		       size_t *url_len);

/**
 * reftext_split_accessed() - the date the reference writes into a
 * source's title: "Terms of Use | Coursera (accessed 2026-06-05)".
 * @title_len: set to the length of the title before it, trimmed.
 * @date: set to the date's text (unchecked).
 * @date_len: its length.
 *
 * Returns: false when the title has no such ending.
 */
bool reftext_split_accessed(const char *s, size_t len, size_t *title_len,
			    const char **date, size_t *date_len);

/**
 * reftext_dict() - a source written as a stringified dict: Python's
 * "{'title': 'Terms', 'url': 'https://...'}" (either quote, with its
 * backslash escapes; None, True and False) or a JSON object.
 *
 * Returns: a new JSON object, caller releases with json_decref(); NULL
 * when @s is not one.
 */
json_t *reftext_dict(const char *s);

/**
 * reftext_date() - a date written YYYY-MM-DD or as a timestamp that
 * starts with one ("2026-06-06T09:00:00Z", "2026-06-06 09:00").
 *
 * Returns: 0, -1 when @s is not written so, -2 when the date does not
 * exist (as date_parse()).
 */
int reftext_date(const char *s, size_t len, date_days *out);

/**
 * reftext_url() - @s as an absolute http(s) URL, repaired where the
 * repair is certain: surrounding white space trimmed, a scheme typed
 * wrong ("https.//", "https:/") or left out before a host name
 * ("shop.example.com/account") written out, and characters a URL may not
 * hold percent-encoded.
 * @out: receives the URL.
 * @repaired: set when @out differs from @s beyond the trimming.
 *
 * Returns: false when @s does not name a web page (empty, another scheme,
 * no host).
 */
bool reftext_url(const char *s, struct buf *out, bool *repaired);

#endif
