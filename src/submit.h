/*
 * submit.h - what the public may send: correction requests and crowd
 * Verified-Flow audits, parsed from JSON or a form and checked field by
 * field into plain structs.
 */
#ifndef CANCELATLAS_SUBMIT_H
#define CANCELATLAS_SUBMIT_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "date.h"
#include "record.h"
#include "submission.h"

/* The largest request body accepted, in bytes. */
#define SUBMIT_BODY_MAX (16 * 1024)

/* Limits on text fields, in characters (code points). */
#define SUBMIT_TEXT_MAX	    2000 /* wrong, proposed, notes */
#define SUBMIT_URL_MAX	    2000
#define SUBMIT_TITLE_MAX    200 /* an evidence title, a path step */
#define SUBMIT_EMAIL_MAX    254
#define SUBMIT_ID_MAX	    80 /* a record id */
#define SUBMIT_PATH_MAX	    50 /* steps listed in `path` */
#define SUBMIT_EVIDENCE_MAX 10 /* evidence items of an audit */
#define SUBMIT_STEPS_MAX    100
#define SUBMIT_MINUTES_MAX  10080 /* a week */

enum submit_format {
	SUBMIT_JSON, /* application/json */
	SUBMIT_FORM, /* application/x-www-form-urlencoded */
};

/* One problem of a submission: a sentence and where it is. @field is the
 * field at fault (NULL when the body as a whole is wrong); for a list of
 * items (an audit's evidence) @item is the 1-based item and @part the
 * key inside it ("url"), else 0 and NULL. */
struct submit_error {
	const char *field;
	size_t item;
	const char *part;
	char message[256];
};

/* Problems kept per submission; one field has at most one. */
#define SUBMIT_ERRORS_MAX 32

/* Every problem of one submission, in the order of the fields. */
struct submit_errors {
	size_t n;
	bool more; /* problems past SUBMIT_ERRORS_MAX were left out */
	struct submit_error v[SUBMIT_ERRORS_MAX];
};

/* One decoded field of a form body. */
struct submit_pair {
	const char *key;
	const char *value;
};

/* What submissions are checked against. */
struct submit_rules {
	/* Whether a record with this id is published; @id is a valid slug. */
	bool (*record_exists)(void *user, const char *id);
	void *user;
	date_days today; /* audits cannot be dated after it */
};

/**
 * submit_correction_parse() - parse and check a correction request.
 * @body: the request body (need not be NUL-terminated).
 * @len: its length.
 * @fmt: JSON or form encoding.
 * @rules: the published records and today's date.
 * @a: where the strings of @out are allocated.
 * @out: filled in on success.
 * @errs: receives every problem found, each naming its field. A body
 *        that cannot be read at all (malformed JSON) is one problem.
 *
 * Returns: 0, or -1 with @errs->n > 0.
 */
int submit_correction_parse(const char *body, size_t len,
			    enum submit_format fmt,
			    const struct submit_rules *rules, struct arena *a,
			    struct submit_correction *out,
			    struct submit_errors *errs);

/**
 * submit_audit_parse() - parse and check a crowd audit, sent as JSON or
 * as the audit form. The form spells the lists as the page asks for
 * them: `path` one step per line, the evidence as numbered fields
 * `evidence_title_N`, `evidence_url_N` and `evidence_sha256_N` (N from 1
 * to SUBMIT_EVIDENCE_MAX; a row left empty is skipped), and booleans as
 * `true` or `false`. Arguments and result as submit_correction_parse().
 */
int submit_audit_parse(const char *body, size_t len, enum submit_format fmt,
		       const struct submit_rules *rules, struct arena *a,
		       struct submit_audit *out, struct submit_errors *errs);

/**
 * submit_form_fields() - the fields of a form body as typed, to show a
 * refused form again. Nothing is checked but that each value can be
 * shown: a part that cannot be decoded, a value that is not UTF-8 or
 * holds control characters other than line breaks and tabs, and a key
 * given twice (after its first) are left out.
 * @out: set to an array of pairs allocated from @a.
 *
 * Returns: the number of pairs.
 */
size_t submit_form_fields(const char *body, size_t len, struct arena *a,
			  struct submit_pair **out);

/**
 * submit_error_key() - the name of the form control an error belongs to:
 * @e->field, or for an item of a list "FIELD_PART_ITEM"
 * ("evidence_url_2"); NULL for the body. Returns a string in @a.
 */
const char *submit_error_key(const struct submit_error *e, struct arena *a);

/**
 * submit_field_known() - whether @name is a fact a correction may name:
 * a field of the record format or a policy dimension id.
 */
bool submit_field_known(const char *name);

/**
 * submit_email_valid() - whether @s reads as an email address:
 * local@domain.tld in ASCII (internationalised domains in their xn--
 * form), at most 254 characters.
 */
bool submit_email_valid(const char *s);

#endif
