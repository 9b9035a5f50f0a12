/*
 * fuzz_api_json.c - libFuzzer harness for the write API's bodies: POST
 * /api/v1/corrections and /api/v1/audits, as JSON and as forms. The first
 * byte picks what the rest is (its low bit a form, the next an audit, so
 * the seeds start '0' to '3'); a form body also goes through
 * submit_form_fields(), as a refused form is shown again. Besides never
 * crashing, leaking or reading out of bounds, the parsers must keep their
 * word: -1 exactly when problems are listed, every problem with a
 * sentence and a form control, every accepted text valid UTF-8 and every
 * accepted number within its bounds.
 */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "check.h"
#include "submit.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Published records are those whose id does not start with x. */
static bool record_exists(void *user, const char *id)
{
	(void)user;
	return id[0] != 'x';
}

static void check_text(const char *s, bool optional)
{
	if (!s) {
		FUZZ_CHECK(optional);
		return;
	}
	size_t len = strlen(s);
	FUZZ_CHECK(utf8_check(s, len) == len);
}

static void check_errors(int rc, const struct submit_errors *errs,
			 struct arena *a)
{
	FUZZ_CHECK(rc == 0 || rc == -1);
	FUZZ_CHECK((rc == -1) == (errs->n > 0));
	FUZZ_CHECK(errs->n <= SUBMIT_ERRORS_MAX);
	for (size_t i = 0; i < errs->n; i++) {
		const struct submit_error *e = &errs->v[i];
		size_t len = strnlen(e->message, sizeof(e->message));
		FUZZ_CHECK(len > 0 && len < sizeof(e->message));
		const char *key = submit_error_key(e, a);
		FUZZ_CHECK((key == NULL) == (e->field == NULL));
	}
}

static void correction(const char *body, size_t len, enum submit_format fmt,
		       const struct submit_rules *rules, struct arena *a)
{
	struct submit_correction c;
	struct submit_errors errs;
	int rc = submit_correction_parse(body, len, fmt, rules, a, &c, &errs);
	check_errors(rc, &errs, a);
	if (rc)
		return;
	FUZZ_CHECK(c.record && record_exists(NULL, c.record));
	FUZZ_CHECK(c.field && submit_field_known(c.field));
	check_text(c.wrong, false);
	check_text(c.proposed, false);
	check_text(c.evidence_url, false);
	FUZZ_CHECK(!c.email || submit_email_valid(c.email));
}

static void audit(const char *body, size_t len, enum submit_format fmt,
		  const struct submit_rules *rules, struct arena *a)
{
	struct submit_audit au;
	struct submit_errors errs;
	int rc = submit_audit_parse(body, len, fmt, rules, a, &au, &errs);
	check_errors(rc, &errs, a);
	if (rc)
		return;
	FUZZ_CHECK(au.record && record_exists(NULL, au.record));
	FUZZ_CHECK(!au.email || submit_email_valid(au.email));
	FUZZ_CHECK(au.date <= rules->today);
	FUZZ_CHECK(au.steps >= 0 && au.steps <= SUBMIT_STEPS_MAX);
	FUZZ_CHECK(au.npath <= SUBMIT_PATH_MAX);
	for (size_t i = 0; i < au.npath; i++)
		check_text(au.path[i], false);
	FUZZ_CHECK(au.retention && au.confirmation);
	FUZZ_CHECK(isfinite(au.minutes) && au.minutes >= 0 &&
		   au.minutes <= SUBMIT_MINUTES_MAX);
	check_text(au.notes, true);
	FUZZ_CHECK(au.nevidence <= SUBMIT_EVIDENCE_MAX);
	for (size_t i = 0; i < au.nevidence; i++) {
		check_text(au.evidence[i].title, false);
		check_text(au.evidence[i].url, false);
		check_text(au.evidence[i].sha256, true);
	}
}

/* What a refused form shows again: each pair readable, each key once. */
static void form_fields(const char *body, size_t len, struct arena *a)
{
	struct submit_pair *pairs;
	size_t n = submit_form_fields(body, len, a, &pairs);
	for (size_t i = 0; i < n; i++) {
		check_text(pairs[i].key, false);
		check_text(pairs[i].value, false);
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(pairs[i].key, pairs[j].key) != 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size - 1 > SUBMIT_BODY_MAX)
		return 0; /* the server refuses larger bodies unread */
	const char *body = (const char *)data + 1;
	size_t len = size - 1;
	enum submit_format fmt = data[0] & 1 ? SUBMIT_FORM : SUBMIT_JSON;
	struct submit_rules rules = { record_exists, NULL,
				      date_from_ymd(2026, 7, 1) };
	struct arena *a = arena_new();
	if (data[0] & 2)
		audit(body, len, fmt, &rules, a);
	else
		correction(body, len, fmt, &rules, a);
	if (fmt == SUBMIT_FORM)
		form_fields(body, len, a);
	arena_free(a);
	return 0;
}
