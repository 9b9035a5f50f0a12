/*
 * test_reftext.c - the reference's free text read as facts: status
 * phrases, stringified dicts, timestamps, notes ending in a URL and URLs
 * typed without (or with a mistyped) scheme, including the forms found in
 * published data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "reftext.h"

static void status_phrases(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		enum reftext_status status;
		const char *note;
	} cases[] = {
		{ "not offered. No pause or freeze option is mentioned.",
		  REFTEXT_NOT_OFFERED,
		  "No pause or freeze option is mentioned." },
		{ "available (freeze up to 3 months, in person)",
		  REFTEXT_OFFERED, "freeze up to 3 months, in person" },
		{ "not offered (a few regions allow up to 3-month pause)",
		  REFTEXT_NOT_OFFERED,
		  "a few regions allow up to 3-month pause" },
		{ "offered. Memberships can be frozen.", REFTEXT_OFFERED,
		  "Memberships can be frozen." },
		{ "Offered \u2014 up to two months", REFTEXT_OFFERED,
		  "up to two months" },
		{ "NOT OFFERED", REFTEXT_NOT_OFFERED, "" },
		{ "  not available: app plans only ", REFTEXT_NOT_OFFERED,
		  "app plans only" },
		{ "None.", REFTEXT_NOT_OFFERED, "" },
		/* The status word opens a sentence: the sentence is the note.
		 */
		{ "No pause or freeze option; access ends.",
		  REFTEXT_NOT_OFFERED,
		  "No pause or freeze option; access ends." },
		{ "Available in some regions", REFTEXT_OFFERED,
		  "Available in some regions" },
		/* The text does not say. */
		{ "", REFTEXT_UNSTATED, "" },
		{ "   ", REFTEXT_UNSTATED, "" },
		{ "Members can freeze for 3 months", REFTEXT_UNSTATED,
		  "Members can freeze for 3 months" },
		{ "nothing on this", REFTEXT_UNSTATED, "nothing on this" },
		{ "offers galore", REFTEXT_UNSTATED, "offers galore" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *note;
		size_t len;
		enum reftext_status st =
			reftext_status(cases[i].in, &note, &len);
		if (st != cases[i].status || len != strlen(cases[i].note) ||
		    strncmp(note, cases[i].note, len))
			fail_msg("`%s`: status %d, note `%.*s`", cases[i].in,
				 (int)st, (int)len, note);
	}
}

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static void stringified_dicts(void **state)
{
	(void)state;
	json_t *d = reftext_dict(
		"{'title': 'Terms of Use | Coursera (accessed 2026-06-05)', "
		"'url': 'https://www.coursera.org/about/terms'}");
	assert_non_null(d);
	assert_string_equal(str(d, "title"),
			    "Terms of Use | Coursera (accessed 2026-06-05)");
	assert_string_equal(str(d, "url"),
			    "https://www.coursera.org/about/terms");
	json_decref(d);

	/* Quotes escaped either way, Python's escapes, None. */
	d = reftext_dict("{\"title\": 'Macy\\'s \"Help\" caf\\u00e9 \\x41\\d', "
			 "'url': None, 'ok': True}");
	assert_non_null(d);
	assert_string_equal(str(d, "title"), "Macy's \"Help\" caf\u00e9 A\\d");
	assert_true(json_is_null(json_object_get(d, "url")));
	assert_true(json_is_true(json_object_get(d, "ok")));
	json_decref(d);

	/* Double-quoted JSON. */
	d = reftext_dict(
		" {\"title\": \"T\", \"url\": \"https://x.example/\"} ");
	assert_non_null(d);
	assert_string_equal(str(d, "url"), "https://x.example/");
	json_decref(d);

	static const char *const not_dicts[] = {
		"Terms of Use",
		"{'title' 'x'}",
		"{'title': 'x'",
		"{'title': 'x'} and more",
		"{'n': 3}",
		"{'a': 'unclosed}",
		"",
	};
	for (size_t i = 0; i < sizeof(not_dicts) / sizeof(not_dicts[0]); i++)
		if ((d = reftext_dict(not_dicts[i])) != NULL)
			fail_msg("`%s` read as a dict", not_dicts[i]);
}

static void dates_and_timestamps(void **state)
{
	(void)state;
	date_days d;
	assert_int_equal(reftext_date("2026-06-06", 10, &d), 0);
	assert_int_equal(d, date_from_ymd(2026, 6, 6));
	assert_int_equal(reftext_date("2026-06-06T09:00:00Z", 20, &d), 0);
	assert_int_equal(d, date_from_ymd(2026, 6, 6));
	assert_int_equal(reftext_date("2026-06-06 09:00", 16, &d), 0);
	assert_int_equal(reftext_date("2026-06-06X", 11, &d), -1);
	assert_int_equal(reftext_date("2026-02-30T00:00:00Z", 20, &d), -2);
	assert_int_equal(reftext_date("June", 4, &d), -1);
}

static void notes_ending_in_a_url(void **state)
{
	(void)state;
	const char *url;
	size_t note, len;
	const char *s = "Delete under Settings. https://x.example/privacy.";
	reftext_split_url(s, &note, &url, &len);
	assert_int_equal(note, strlen("Delete under Settings."));
	assert_non_null(url);
	assert_int_equal(len, strlen("https://x.example/privacy"));
	assert_memory_equal(url, "https://x.example/privacy", len);
	reftext_split_url("Write to customer care.", &note, &url, &len);
	assert_null(url);
	assert_int_equal(note, strlen("Write to customer care."));

	const char *t = "Terms | Coursera (accessed 2026-06-05)", *date;
	size_t title, dlen;
	assert_true(reftext_split_accessed(t, strlen(t), &title, &date, &dlen));
	assert_int_equal(title, strlen("Terms | Coursera"));
	assert_int_equal(dlen, 10);
	assert_memory_equal(date, "2026-06-05", 10);
	assert_false(reftext_split_accessed("Terms (2026)", 12, &title, &date,
					    &dlen));
}

static void urls_repaired_only_when_certain(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
		bool repaired;
	} cases[] = {
		{ "https://www.coursera.org/about/terms",
		  "https://www.coursera.org/about/terms", false },
		{ "https://forms.gle/T8LQEYdQrwRoTa469 ",
		  "https://forms.gle/T8LQEYdQrwRoTa469", false },
		{ "HTTPS://Example.COM/A", "HTTPS://Example.COM/A", false },
		{ "quickfit.example.com/help/cancel",
		  "https://quickfit.example.com/help/cancel", true },
		{ "https.//idp.france-identite.gouv.fr/usager",
		  "https://idp.france-identite.gouv.fr/usager", true },
		{ "http:/x.example.com/a", "http://x.example.com/a", true },
		{ "//cdn.example.com/x", "https://cdn.example.com/x", true },
		{ "https://x.example/a b|c\"", "https://x.example/a%20b%7Cc%22",
		  true },
		{ "https.example.com/x", "https://https.example.com/x", true },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = BUF_INIT;
		bool repaired;
		if (!reftext_url(cases[i].in, &b, &repaired) ||
		    strcmp(buf_cstr(&b), cases[i].out) ||
		    repaired != cases[i].repaired)
			fail_msg("`%s` -> `%s` (repaired %d)", cases[i].in,
				 buf_cstr(&b), repaired);
		buf_free(&b);
	}
	static const char *const not_urls[] = {
		"",
		"javascript:alert(1)",
		"mailto:a@example.com",
		"Help centre article",
		"https://",
		"ftp://x.example/",
		"example",
		"www.example.c0m",
	};
	for (size_t i = 0; i < sizeof(not_urls) / sizeof(not_urls[0]); i++) {
		struct buf b = BUF_INIT;
		bool repaired;
		if (reftext_url(not_urls[i], &b, &repaired))
			fail_msg("`%s` read as `%s`", not_urls[i], b.data);
		assert_int_equal(b.len, 0);
		buf_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(status_phrases),
		cmocka_unit_test(stringified_dicts),
		cmocka_unit_test(dates_and_timestamps),
		cmocka_unit_test(notes_ending_in_a_url),
		cmocka_unit_test(urls_repaired_only_when_certain),
	};
	return cmocka_run_group_tests_name("reftext", tests, NULL, NULL);
}
