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
	struct submit_errors e;
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
		assert_true(e.n > 0 && e.v[0].message[0] != '\0');
		snprintf(field, sizeof(field), "%s",
			 e.v[0].field ? e.v[0].field : "(body)");
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

/* Parse an audit; the fields of its problems, "|"-separated, as form
 * controls name them ("(body)" for the body), or "" when accepted. */
static const char *audit_as(const char *body, enum submit_format fmt,
			    struct submit_audit *out)
{
	static char fields[512];
	static struct arena *keep;
	arena_free(keep);
	keep = arena_new();
	struct submit_errors e;
	struct submit_rules r = today_rules();
	struct submit_audit a;
	fields[0] = '\0';
	if (submit_audit_parse(body, strlen(body), fmt, &r, keep, &a, &e) ==
	    0) {
		assert_int_equal(e.n, 0);
		if (out)
			*out = a;
		return fields;
	}
	assert_true(e.n > 0);
	size_t n = 0;
	for (size_t i = 0; i < e.n; i++) {
		const char *key = submit_error_key(&e.v[i], keep);
		assert_true(e.v[i].message[0] != '\0');
		n += (size_t)snprintf(fields + n, sizeof(fields) - n, "%s%s",
				      i ? "|" : "", key ? key : "(body)");
	}
	return fields;
}

/* The first problem's field of a JSON audit ("evidence" for any of its
 * items). */
static const char *audit(const char *body, struct submit_audit *out)
{
	const char *all = audit_as(body, SUBMIT_JSON, out);
	static char first[64];
	snprintf(first, sizeof(first), "%.*s",
		 strncmp(all, "evidence_", 9) ? (int)strcspn(all, "|") : 8,
		 all);
	return first;
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

/* The fields of every problem of a correction, "|"-separated. */
static const char *correction_fields(const char *body, enum submit_format fmt)
{
	static char fields[512];
	struct arena *a = arena_new();
	struct submit_correction c;
	struct submit_errors e;
	struct submit_rules r = today_rules();
	fields[0] = '\0';
	submit_correction_parse(body, strlen(body), fmt, &r, a, &c, &e);
	size_t n = 0;
	for (size_t i = 0; i < e.n; i++)
		n += (size_t)snprintf(fields + n, sizeof(fields) - n, "%s%s",
				      i ? "|" : "",
				      e.v[i].field ? e.v[i].field : "(body)");
	arena_free(a);
	return fields;
}

static void every_problem_is_reported(void **state)
{
	(void)state;
	/* Each field once, in the form's order, the body's own first. */
	assert_string_equal(
		correction_fields("{\"record\":\"nope\",\"field\":\"score\","
				  "\"proposed\":\"\",\"evidence_url\":\"ftp:"
				  "//x\",\"email\":\"x\",\"admin\":1}",
				  SUBMIT_JSON),
		"(body)|record|field|wrong|proposed|evidence_url|email");
	assert_string_equal(correction_fields("record=coursera&record=x&"
					      "field=summary&wrong=w",
					      SUBMIT_FORM),
			    "record|proposed|evidence_url");
	/* A body that cannot be read is one problem. */
	assert_string_equal(correction_fields("{\"record\":", SUBMIT_JSON),
			    "(body)");
	assert_string_equal(audit_as("{\"steps\":0.5,\"path\":[\"a\"],"
				     "\"minutes\":-1,\"evidence\":[{\"title\":"
				     "\"t\",\"url\":\"x\"},7]}",
				     SUBMIT_JSON, NULL),
			    "record|email|date|signup_channel|online_path|"
			    "steps|retention|channel_symmetry|confirmation|"
			    "minutes|clean_exit|evidence_url_1|evidence");
	/* The path is held against the steps only when both are good. */
	assert_string_equal(
		audit_as(
			"{\"record\":\"coursera\",\"email\":\"me@example.com\","
			"\"date\":\"2026-06-10\",\"signup_channel\":\"online\","
			"\"online_path\":true,\"steps\":\"three\",\"path\":"
			"[\"a\"],\"retention\":\"none\",\"channel_symmetry\":"
			"true,\"confirmation\":\"immediate\",\"minutes\":1,"
			"\"clean_exit\":true," AUDIT_EVIDENCE "}",
			SUBMIT_JSON, NULL),
		"steps");
	audit("{}", NULL);
}

#define AUDIT_FORM                                                             \
	"record=coursera&email=me%40example.com&date=2026-06-10&"              \
	"signup_channel=online&online_path=true&steps=3&"                      \
	"path=My+Purchases%0D%0A%0D%0ASubscriptions%0D%0A+Cancel+%0D%0A&"      \
	"retention=skippable-offer&channel_symmetry=false&"                    \
	"confirmation=same-day&minutes=2.5&clean_exit=true&notes=&"

static void audits_from_the_form(void **state)
{
	(void)state;
	struct submit_audit a;
	assert_string_equal(
		audit_as(AUDIT_FORM "evidence_title_1=Recording&evidence_url_1="
				    "https%3A%2F%2Fexample.com%2Fr.webm&"
				    "evidence_sha256_1=&evidence_title_2=&"
				    "evidence_url_2=+&evidence_title_3=Mail&"
				    "evidence_url_3=https%3A%2F%2Fexample.com"
				    "%2Fm.png",
			 SUBMIT_FORM, &a),
		"");
	assert_int_equal(a.steps, 3);
	assert_int_equal(a.npath, 3); /* blank lines are no steps */
	assert_string_equal(a.path[1], "Subscriptions");
	assert_string_equal(a.path[2], "Cancel");
	assert_true(a.online_path && !a.channel_symmetry && a.clean_exit);
	assert_true(a.minutes == 2.5);
	assert_string_equal(a.confirmation, "same-day");
	assert_null(a.notes);
	assert_int_equal(a.nevidence, 2); /* the empty second row is none */
	assert_string_equal(a.evidence[1].title, "Mail");
	assert_null(a.evidence[0].sha256);

	/* Every problem, each under the control that shows it. */
	assert_string_equal(
		audit_as("record=coursera&email=me%40example.com&"
			 "date=2026-06-10&signup_channel=online&"
			 "online_path=yes&steps=3.0&path=a&retention=none&"
			 "channel_symmetry=true&confirmation=immediate&"
			 "minutes=1e3&clean_exit=&evidence_title_1=t&"
			 "evidence_url_1=https%3A%2F%2Fexample.com%2F&"
			 "evidence_sha256_1=abc&evidence_url_4=javascript:x&"
			 "evidence_url_11=x&admin=1",
			 SUBMIT_FORM, NULL),
		"(body)|(body)|online_path|steps|minutes|clean_exit|"
		"evidence_sha256_1|evidence_title_4|evidence_url_4");
	assert_string_equal(
		audit_as(AUDIT_FORM "evidence_title_1=", SUBMIT_FORM, NULL),
		"evidence");
	assert_string_equal(
		audit_as("record=coursera&email=me%40example.com&"
			 "date=2026-06-10&signup_channel=online&"
			 "online_path=true&steps=2&path=a%0Ab%0Ac&"
			 "retention=none&channel_symmetry=true&"
			 "confirmation=immediate&minutes=3&clean_exit=false&"
			 "evidence_title_1=t&evidence_url_1=https%3A%2F%2F"
			 "example.com%2F",
			 SUBMIT_FORM, NULL),
		"path");
	audit("{}", NULL);
}

static void form_fields_as_typed(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct submit_pair *p;
	size_t n = submit_form_fields(
		"wrong=a%3Cb%3E+%22c%22%0D%0Ad&bad=%ff&"
		"ctl=%1b&wrong=again&esc=%zz&=empty&"
		"flag",
		strlen("wrong=a%3Cb%3E+%22c%22%0D%0Ad&bad=%ff&"
		       "ctl=%1b&wrong=again&esc=%zz&"
		       "=empty&flag"),
		a, &p);
	assert_int_equal(n, 3);
	assert_string_equal(p[0].key, "wrong");
	assert_string_equal(p[0].value, "a<b> \"c\"\r\nd");
	assert_string_equal(p[1].key, "");
	assert_string_equal(p[1].value, "empty");
	assert_string_equal(p[2].key, "flag");
	assert_string_equal(p[2].value, "");
	struct submit_error e = { "evidence", 2, "url", "m" };
	assert_string_equal(submit_error_key(&e, a), "evidence_url_2");
	e.item = 0;
	assert_string_equal(submit_error_key(&e, a), "evidence");
	arena_free(a);
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
		cmocka_unit_test(every_problem_is_reported),
		cmocka_unit_test(audits_from_the_form),
		cmocka_unit_test(form_fields_as_typed),
		cmocka_unit_test(emails_and_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
