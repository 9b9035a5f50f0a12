/*
 * test_submit.c - what the public may send: corrections from JSON and
 * from the form, crowd audits from JSON, and every refusal naming its
 * field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "submit.h"

static bool known(void *user, const char *id)
{
	(void)user;
	return !strcmp(id, "coursera") || !strcmp(id, "puregym-uk");
}

static const struct submit_rules rules = { known, NULL, 0 };

static struct submit_rules today_rules(void)
{
	struct submit_rules r = rules;
	r.today = date_from_ymd(2026, 7, 1);
	return r;
}

/* Parse a correction; returns the field of the error, "" when none, or
 * "(body)" for an error about the whole body. */
static const char *correction(const char *body, enum submit_format fmt,
			      struct submit_correction *out)
{
	static char field[64];
	struct arena *a = arena_new();
	struct submit_correction c;
	struct submit_error e;
	struct submit_rules r = today_rules();
	int rc =
		submit_correction_parse(body, strlen(body), fmt, &r, a, &c, &e);
	if (rc == 0) {
		field[0] = '\0';
		if (out) {
			/* Copy what tests look at before the arena goes. */
			static char wrong[256], email[256];
			snprintf(wrong, sizeof(wrong), "%s", c.wrong);
			snprintf(email, sizeof(email), "%s",
				 c.email ? c.email : "(none)");
			*out = c;
			out->wrong = wrong;
			out->email = email;
		}
	} else {
		assert_true(e.message[0] != '\0');
		snprintf(field, sizeof(field), "%s",
			 e.field ? e.field : "(body)");
	}
	arena_free(a);
	return field;
}

#define GOOD_JSON                                                              \
	"{\"record\":\"coursera\",\"field\":\"refund_page\","                  \
	"\"wrong\":\"It moved.\",\"proposed\":\"https://example.com/r\","      \
	"\"evidence_url\":\"https://example.com/r\""

static void corrections_from_json(void **state)
{
	(void)state;
	struct submit_correction c;
	assert_string_equal(correction(GOOD_JSON "}", SUBMIT_JSON, &c), "");
	assert_string_equal(c.email, "(none)");
	assert_string_equal(correction(GOOD_JSON
				       ",\"email\":\"a.b+c@example.co.uk\"}",
				       SUBMIT_JSON, &c),
			    "");
	assert_string_equal(c.email, "a.b+c@example.co.uk");
	assert_string_equal(
		correction(GOOD_JSON ",\"email\":null}", SUBMIT_JSON, NULL),
		"");
	/* A policy dimension is a field too. */
	assert_string_equal(
		correction("{\"record\":\"coursera\",\"field\":\"cancel_url\","
			   "\"wrong\":\"w\",\"proposed\":\"p\","
			   "\"evidence_url\":\"http://example.com/\"}",
			   SUBMIT_JSON, NULL),
		"");
}

static void correction_refusals_name_the_field(void **state)
{
	(void)state;
	assert_string_equal(correction("{", SUBMIT_JSON, NULL), "(body)");
	assert_string_equal(correction("[]", SUBMIT_JSON, NULL), "(body)");
	assert_string_equal(correction("", SUBMIT_JSON, NULL), "(body)");
	assert_string_equal(
		correction(GOOD_JSON ",\"record\":\"x\"}", SUBMIT_JSON, NULL),
		"(body)"); /* a key twice */
	assert_string_equal(
		correction(GOOD_JSON ",\"score\":100}", SUBMIT_JSON, NULL),
		"(body)"); /* unknown field */
	assert_string_equal(
		correction("{\"record\":\"nope\",\"field\":\"summary\","
			   "\"wrong\":\"w\",\"proposed\":\"p\","
			   "\"evidence_url\":\"https://example.com/\"}",
			   SUBMIT_JSON, NULL),
		"record");
	assert_string_equal(
		correction("{\"record\":\"../etc\",\"field\":\"summary\","
			   "\"wrong\":\"w\",\"proposed\":\"p\","
			   "\"evidence_url\":\"https://example.com/\"}",
			   SUBMIT_JSON, NULL),
		"record");
	assert_string_equal(
		correction("{\"record\":\"coursera\",\"field\":\"score\","
			   "\"wrong\":\"w\",\"proposed\":\"p\","
			   "\"evidence_url\":\"https://example.com/\"}",
			   SUBMIT_JSON, NULL),
		"field");
	assert_string_equal(
		correction("{\"record\":\"coursera\",\"field\":\"summary\","
			   "\"wrong\":\"  \",\"proposed\":\"p\","
			   "\"evidence_url\":\"https://example.com/\"}",
			   SUBMIT_JSON, NULL),
		"wrong");
	assert_string_equal(
		correction("{\"record\":\"coursera\",\"field\":\"summary\","
			   "\"wrong\":\"w\",\"proposed\":7,"
			   "\"evidence_url\":\"https://example.com/\"}",
			   SUBMIT_JSON, NULL),
		"proposed");
	assert_string_equal(
		correction("{\"record\":\"coursera\",\"field\":\"summary\","
			   "\"wrong\":\"w\",\"proposed\":\"p\","
			   "\"evidence_url\":\"javascript:alert(1)\"}",
			   SUBMIT_JSON, NULL),
		"evidence_url");
	assert_string_equal(
		correction("{\"record\":\"coursera\",\"field\":\"summary\","
			   "\"wrong\":\"w\",\"proposed\":\"p\","
			   "\"evidence_url\":\"ftp://example.com/\"}",
			   SUBMIT_JSON, NULL),
		"evidence_url");
	assert_string_equal(correction(GOOD_JSON ",\"email\":\"not-an-email\"}",
				       SUBMIT_JSON, NULL),
			    "email");
	assert_string_equal(
		correction(GOOD_JSON ",\"email\":\"a@b\"}", SUBMIT_JSON, NULL),
		"email");
	assert_string_equal(
		correction("{\"record\":\"coursera\",\"field\":\"summary\","
			   "\"wrong\":\"a\\u001bb\",\"proposed\":\"p\","
			   "\"evidence_url\":\"https://example.com/\"}",
			   SUBMIT_JSON, NULL),
		"wrong");
	/* Over the length limit, counted in characters. */
	char big[SUBMIT_TEXT_MAX * 2 + 200];
	int n = snprintf(big, sizeof(big),
			 "{\"record\":\"coursera\",\"field\":\"summary\","
			 "\"evidence_url\":\"https://example.com/\","
			 "\"proposed\":\"p\",\"wrong\":\"");
	for (int i = 0; i <= SUBMIT_TEXT_MAX; i++)
		big[n++] = 'x';
	snprintf(big + n, sizeof(big) - (size_t)n, "\"}");
	assert_string_equal(correction(big, SUBMIT_JSON, NULL), "wrong");
}

static void corrections_from_the_form(void **state)
{
	(void)state;
	struct submit_correction c;
	assert_string_equal(
		correction("record=coursera&field=summary&wrong=Line+one%0D%0A"
			   "line%20two&proposed=p&evidence_url=https%3A%2F%2F"
			   "example.com%2Fa&email=",
			   SUBMIT_FORM, &c),
		"");
	assert_string_equal(c.wrong, "Line one\nline two");
	assert_string_equal(c.email, "(none)");
	assert_string_equal(correction("record=coursera&field=summary&wrong=%"
				       "zz&proposed=p&evidence_url=x",
				       SUBMIT_FORM, NULL),
			    "(body)");
	assert_string_equal(correction("record=coursera&record=coursera",
				       SUBMIT_FORM, NULL),
			    "record");
	assert_string_equal(correction("record=coursera&field=summary&wrong=w"
				       "&proposed=p%00q&evidence_url=https%3A"
				       "%2F%2Fexample.com%2F",
				       SUBMIT_FORM, NULL),
			    "proposed");
	assert_string_equal(correction("record=coursera&field=summary&wrong=w"
				       "&proposed=p&evidence_url=https%3A%2F"
				       "%2Fexample.com%2F&admin=1",
				       SUBMIT_FORM, NULL),
			    "(body)");
	assert_string_equal(correction("record=coursera&field=summary&wrong=%"
				       "ff&proposed=p&evidence_url=https%3A%2F"
				       "%2Fexample.com%2F",
				       SUBMIT_FORM, NULL),
			    "wrong"); /* not UTF-8 */
}

#define AUDIT_HEAD                                                             \
	"{\"record\":\"coursera\",\"email\":\"me@example.com\","               \
	"\"date\":\"2026-06-10\",\"signup_channel\":\"online\","               \
	"\"online_path\":true,\"steps\":3,"                                    \
	"\"path\":[\"My Purchases\",\"Subscriptions\",\"Cancel\"],"            \
	"\"channel_symmetry\":true,\"confirmation\":\"immediate\","            \
	"\"minutes\":2.5,\"clean_exit\":true,"
#define AUDIT_EVIDENCE                                                         \
	"\"evidence\":[{\"title\":\"Screen recording\","                       \
	"\"url\":\"https://example.com/rec.webm\"}]"

static const char *audit(const char *body, struct submit_audit *out)
{
	static char field[64];
	static struct arena *keep;
	arena_free(keep);
	keep = arena_new();
	struct submit_error e;
	struct submit_rules r = today_rules();
	struct submit_audit a;
	if (submit_audit_parse(body, strlen(body), &r, keep, &a, &e) == 0) {
		if (out)
			*out = a;
		return "";
	}
	snprintf(field, sizeof(field), "%s", e.field ? e.field : "(body)");
	return field;
}

static void audits_from_json(void **state)
{
	(void)state;
	struct submit_audit a;
	assert_string_equal(audit(AUDIT_HEAD
				  "\"retention\":\"skippable-offer\","
				  "\"tier\":\"crowd_verified\"," AUDIT_EVIDENCE
				  "}",
				  &a),
			    "");
	assert_int_equal(a.steps, 3);
	assert_int_equal(a.npath, 3);
	assert_string_equal(a.retention, "skippable-offer");
	assert_string_equal(a.confirmation, "immediate");
	assert_int_equal(a.signup_channel, CHANNEL_ONLINE);
	assert_true(a.minutes == 2.5);
	assert_int_equal(a.date, date_from_ymd(2026, 6, 10));
	assert_int_equal(a.nevidence, 1);
	assert_null(a.evidence[0].sha256);
	assert_string_equal(
		audit(AUDIT_HEAD
		      "\"retention\":\"none\",\"evidence\":[{\"title\":\"t\","
		      "\"url\":\"https://example.com/a.png\",\"sha256\":"
		      "\"0F3C0F3C0F3C0F3C0F3C0F3C0F3C0F3C0F3C0F3C0F3C0F3C0F3C0"
		      "F3C0F3C0F3C\"}]}",
		      &a),
		"");
	assert_string_equal(
		a.evidence[0].sha256,
		"0f3c0f3c0f3c0f3c0f3c0f3c0f3c0f3c0f3c0f3c0f3c0f3c0f3"
		"c0f3c0f3c0f3c");
}

static void audit_refusals_use_the_methodology(void **state)
{
	(void)state;
	assert_string_equal(audit(AUDIT_HEAD
				  "\"retention\":\"maybe\"," AUDIT_EVIDENCE "}",
				  NULL),
			    "retention");
	assert_string_equal(audit(AUDIT_HEAD
				  "\"retention\":\"none\","
				  "\"tier\":\"editor_verified\"," AUDIT_EVIDENCE
				  "}",
				  NULL),
			    "tier");
	assert_string_equal(audit(AUDIT_HEAD "\"retention\":\"none\"}", NULL),
			    "evidence");
	assert_string_equal(audit(AUDIT_HEAD
				  "\"retention\":\"none\","
				  "\"evidence\":[{\"title\":\"t\","
				  "\"url\":\"file:///etc/passwd\"}]}",
				  NULL),
			    "evidence");
	assert_string_equal(audit(AUDIT_HEAD "\"retention\":\"none\","
					     "\"evidence\":[{\"title\":\"t\","
					     "\"url\":\"https://e.com/\","
					     "\"sha256\":\"abc\"}]}",
				  NULL),
			    "evidence");
	/* Dates: real, not in the future. */
	assert_string_equal(
		audit("{\"record\":\"coursera\",\"email\":\"me@example.com\","
		      "\"date\":\"2026-07-02\"}",
		      NULL),
		"date");
	assert_string_equal(
		audit("{\"record\":\"coursera\",\"email\":\"me@example.com\","
		      "\"date\":\"2026-02-30\"}",
		      NULL),
		"date");
	assert_string_equal(
		audit("{\"record\":\"coursera\",\"email\":\"me@example.com\","
		      "\"date\":\"2026-06-10\",\"signup_channel\":\"fax\"}",
		      NULL),
		"signup_channel");
	assert_string_equal(
		audit("{\"record\":\"coursera\",\"email\":\"me@example.com\","
		      "\"date\":\"2026-06-10\",\"signup_channel\":\"online\","
		      "\"online_path\":\"yes\"}",
		      NULL),
		"online_path");
	assert_string_equal(
		audit("{\"record\":\"coursera\",\"email\":\"me@example.com\","
		      "\"date\":\"2026-06-10\",\"signup_channel\":\"online\","
		      "\"online_path\":true,\"steps\":2.5}",
		      NULL),
		"steps");
	assert_string_equal(
		audit("{\"record\":\"coursera\",\"email\":\"me@example.com\","
		      "\"date\":\"2026-06-10\",\"signup_channel\":\"online\","
		      "\"online_path\":true,\"steps\":2,\"path\":[\"a\"]}",
		      NULL),
		"path");
	assert_string_equal(audit("{\"record\":\"coursera\"}", NULL), "email");
	assert_string_equal(
		audit("{\"record\":\"coursera\",\"email\":\"x\"}", NULL),
		"email");
	assert_string_equal(
		audit("{\"record\":\"coursera\",\"score\":1}", NULL), "(body)");
	audit("{}", NULL); /* frees the last arena */
}

static void emails_and_fields(void **state)
{
	(void)state;
	assert_true(submit_email_valid("a@example.com"));
	assert_true(submit_email_valid("first.last+tag@mail.example.org"));
	assert_true(submit_email_valid("x@xn--bcher-kva.example"));
	assert_false(submit_email_valid("a@b"));
	assert_false(submit_email_valid("a@@example.com"));
	assert_false(submit_email_valid(".a@example.com"));
	assert_false(submit_email_valid("a..b@example.com"));
	assert_false(submit_email_valid("a b@example.com"));
	assert_false(submit_email_valid("a@-example.com"));
	assert_false(submit_email_valid("a@example.c0m"));
	assert_false(submit_email_valid("<a@example.com>"));
	assert_true(submit_field_known("refund_page"));
	assert_true(submit_field_known("findability"));
	assert_true(submit_field_known("flow"));
	assert_false(submit_field_known("score"));
	assert_false(submit_field_known("email"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(corrections_from_json),
		cmocka_unit_test(correction_refusals_name_the_field),
		cmocka_unit_test(corrections_from_the_form),
		cmocka_unit_test(audits_from_json),
		cmocka_unit_test(audit_refusals_use_the_methodology),
		cmocka_unit_test(emails_and_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
