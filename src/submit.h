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

/* A correction request. Strings live in the arena given to the parser;
 * @email is NULL when none was given. */
struct submit_correction {
	const char *record;
	const char *field;
	const char *wrong;
	const char *proposed;
	const char *evidence_url;
	const char *email;
};

/* One piece of audit evidence: a public URL of the recording or
 * screenshot, and optionally the sha256 of that file (lower case). */
struct submit_evidence {
	const char *title;
	const char *url;
	const char *sha256;
};

/*
 * A crowd audit: one `flow` entry of the record format, tier always
 * crowd_verified. @retention and @confirmation point into the methodology
 * table; @path and @notes are optional (NULL / 0).
 */
struct submit_audit {
	const char *record;
	const char *email;
	date_days date;
	enum channel signup_channel;
	bool online_path;
	int steps;
	const char **path;
	size_t npath;
	const char *retention;
	bool channel_symmetry;
	const char *confirmation;
	double minutes;
	bool clean_exit;
	const char *notes;
	struct submit_evidence *evidence;
	size_t nevidence;
};

/* Why a submission was refused: a sentence, and the field at fault
 * (NULL when the body as a whole is wrong). */
struct submit_error {
	const char *field;
	char message[256];
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
 * @err: filled in on failure.
 *
 * Returns: 0, or -1 with @err naming the problem and the field.
 */
int submit_correction_parse(const char *body, size_t len,
			    enum submit_format fmt,
			    const struct submit_rules *rules, struct arena *a,
			    struct submit_correction *out,
			    struct submit_error *err);

/**
 * submit_audit_parse() - parse and check a crowd audit sent as JSON.
 * Arguments and result as submit_correction_parse().
 */
int submit_audit_parse(const char *body, size_t len,
		       const struct submit_rules *rules, struct arena *a,
		       struct submit_audit *out, struct submit_error *err);

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
