/*
 * submission.h - what a reader sent, as parsed: a correction request or a
 * crowd Verified-Flow audit. The types alone, so that the store keeps
 * submissions without depending on the parser and its checks (submit.h).
 */
#ifndef CANCELATLAS_SUBMISSION_H
#define CANCELATLAS_SUBMISSION_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "record.h"

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

#endif
