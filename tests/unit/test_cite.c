/*
 * test_cite.c - the citation formats: exact text, BibTeX, RIS and
 * CSL-JSON for the shipped Coursera record (the text is the seed page's,
 * byte for byte), and a hostile record whose name holds markup, BibTeX
 * specials, line breaks and bidirectional overrides: every format must
 * stay one well-formed entry with the data inert. The author, URLs and
 * licence are the site's (data/site.yaml), and another site's settings
 * change every format.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cite.h"
#include "diag.h"
#include "method.h"
#include "safefile.h"
#include "siteinfo.h"
#include "yaml_load.h"

struct fixture {
	struct arena *arena;
	struct diag *d;
	struct site_info site;	/* data/site.yaml */
	struct site_info other; /* a site of its own, with awkward text */
	struct record *coursera;
	struct record *hostile;
	struct buf out;
};

/* A record whose name is built to break each citation format. */
static const char hostile[] =
	"id: hostile-name-uk\n"
	"name: \"Evil {{x}} }{ \\\\ 50% & $5 #1 a_b ^ ~ <script>\\\"q\\\" "
	"\\u202Eabc\\u202C \\u05e9\\u05dc\\u05d5\\u05dd TY  - JOUR "
	"ER  - \\u2028x\"\n"
	"industry: Streaming\n"
	"jurisdiction: UK\n"
	"reviewed: 2025-12-31\n"
	"channels: [online]\n"
	"summary: s\n"
	"official_page: https://example.com/cancel\n"
	"pause:\n"
	"  offered: false\n"
	"  note: n\n"
	"deletion:\n"
	"  note: n\n"
	"policy:\n"
	"  cancel_url: 100\n"
	"  channel_disclosed: 100\n"
	"  notice_disclosed: 100\n"
	"  refund_disclosed: 100\n"
	"  findability: 100\n"
	"evidence:\n"
	"  - title: t\n"
	"    url: https://example.com/cancel\n"
	"    accessed: 2025-12-31\n";

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	f->arena = arena_new();
	f->d = diag_new();
	size_t len;
	char *text = safefile_read_all("data/records/coursera.yaml", &len);
	assert_non_null(text);
	f->coursera = yaml_load_record("data/records/coursera.yaml", text, len,
				       f->arena, f->d);
	free(text);
	f->hostile = yaml_load_record("hostile.yaml", hostile, strlen(hostile),
				      f->arena, f->d);
	assert_non_null(f->coursera);
	assert_non_null(f->hostile);
	siteinfo_load("data", NULL, SITEINFO_REQUIRED, f->arena, f->d,
		      &f->site);
	assert_true(f->site.loaded);
	f->other = (struct site_info){
		.name = { "Atlas & {Co} 50%", 16, { 0, 0 } },
		.url = { "http://127.0.0.1:8080", 21, { 0, 0 } },
		.license_name = { "CC0 1.0", 7, { 0, 0 } },
	};
	assert_int_equal(diag_count(f->d, DIAG_ERROR), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	buf_free(&f->out);
	arena_free(f->arena);
	diag_free(f->d);
	free(f);
	return 0;
}

static int reset(void **state)
{
	struct fixture *f = *state;
	buf_reset(&f->out);
	return 0;
}

static const struct method *m(void)
{
	return method_current();
}

/* ---- Coursera, exactly ----------------------------------------------- */

static void coursera_text_is_the_seed(void **state)
{
	struct fixture *f = *state;
	assert_true(cite_text(&f->out, &f->site, m(), f->coursera));
	assert_string_equal(f->out.data,
			    "Cancel Atlas (2026). \u201cCoursera \u2014 "
			    "Cancellation Friction Index (US).\u201d CES-1.1. "
			    "https://www.cancelatlas.com/c/coursera "
			    "(CC BY-SA 4.0).");
}

static void coursera_bibtex(void **state)
{
	struct fixture *f = *state;
	assert_true(cite_bibtex(&f->out, &f->site, m(), f->coursera));
	assert_string_equal(
		f->out.data,
		"@misc{cancelatlas-coursera-2026,\n"
		"  author       = {{Cancel Atlas}},\n"
		"  title        = {{Coursera --- Cancellation Friction Index "
		"(US)}},\n"
		"  year         = {2026},\n"
		"  howpublished = {\\url{https://www.cancelatlas.com/c/"
		"coursera}},\n"
		"  url          = {https://www.cancelatlas.com/c/coursera},\n"
		"  note         = {Methodology CES-1.1. Licence: CC BY-SA "
		"4.0.},\n"
		"  urldate      = {2026-06-05}\n"
		"}\n");
}

static void coursera_ris(void **state)
{
	struct fixture *f = *state;
	assert_true(cite_ris(&f->out, &f->site, m(), f->coursera));
	assert_string_equal(f->out.data,
			    "TY  - ELEC\r\n"
			    "AU  - Cancel Atlas\r\n"
			    "TI  - Coursera \u2014 Cancellation Friction Index "
			    "(US)\r\n"
			    "PY  - 2026\r\n"
			    "DA  - 2026/06/05\r\n"
			    "UR  - https://www.cancelatlas.com/c/coursera\r\n"
			    "N1  - Methodology CES-1.1. Licence: CC BY-SA "
			    "4.0.\r\n"
			    "ER  - \r\n");
}

static void coursera_csl(void **state)
{
	struct fixture *f = *state;
	assert_true(cite_csl(&f->out, &f->site, m(), f->coursera));
	assert_int_equal(f->out.data[f->out.len - 1], '\n');
	json_error_t e;
	json_t *got = json_loads(f->out.data, 0, &e);
	assert_non_null(got);
	json_t *want = json_pack(
		"[{s:s,s:s,s:s,s:[{s:s}],s:{s:[[i,i,i]]},s:s,s:s,s:s}]", "id",
		"cancelatlas-coursera-2026", "type", "webpage", "title",
		"Coursera \u2014 Cancellation Friction Index (US)", "author",
		"literal", "Cancel Atlas", "issued", "date-parts", 2026, 6, 5,
		"URL", "https://www.cancelatlas.com/c/coursera", "version",
		"CES-1.1", "note",
		"Methodology CES-1.1. Licence: CC BY-SA 4.0.");
	assert_true(json_equal(got, want));
	json_decref(got);
	json_decref(want);
}

static void key_and_title(void **state)
{
	struct fixture *f = *state;
	assert_true(cite_key(&f->out, &f->site, f->coursera));
	assert_string_equal(f->out.data, "cancelatlas-coursera-2026");
	buf_reset(&f->out);
	assert_true(cite_key(&f->out, &f->site, f->hostile));
	assert_string_equal(f->out.data, "cancelatlas-hostile-name-uk-2025");
	buf_reset(&f->out);
	assert_true(cite_title(&f->out, f->coursera));
	assert_string_equal(f->out.data,
			    "Coursera \u2014 Cancellation Friction Index (US)");
}

/* ---- another site ---------------------------------------------------- */

static void another_site_in_every_format(void **state)
{
	struct fixture *f = *state;
	const struct site_info *o = &f->other;
	assert_true(cite_text(&f->out, o, m(), f->coursera));
	assert_string_equal(f->out.data,
			    "Atlas & {Co} 50% (2026). \u201cCoursera \u2014 "
			    "Cancellation Friction Index (US).\u201d CES-1.1. "
			    "http://127.0.0.1:8080/c/coursera (CC0 1.0).");
	buf_reset(&f->out);
	assert_true(cite_bibtex(&f->out, o, m(), f->coursera));
	assert_non_null(strstr(f->out.data, "@misc{atlasco50-coursera-2026,\n"
					    "  author       = {{Atlas \\& "
					    "\\textbraceleft{}Co"
					    "\\textbraceright{} 50\\%}},\n"));
	assert_non_null(strstr(f->out.data, "  url          = "
					    "{http://127.0.0.1:8080/c/"
					    "coursera},\n"));
	assert_non_null(strstr(f->out.data, "Licence: CC0 1.0."));
	buf_reset(&f->out);
	assert_true(cite_ris(&f->out, o, m(), f->coursera));
	assert_non_null(strstr(f->out.data, "AU  - Atlas & {Co} 50%\r\n"));
	assert_non_null(
		strstr(f->out.data, "UR  - http://127.0.0.1:8080/c/coursera"));
	buf_reset(&f->out);
	assert_true(cite_csl(&f->out, o, m(), f->coursera));
	json_t *got = json_loads(f->out.data, 0, NULL);
	json_t *item = json_array_get(got, 0);
	assert_string_equal(json_string_value(json_object_get(item, "URL")),
			    "http://127.0.0.1:8080/c/coursera");
	assert_string_equal(
		json_string_value(json_object_get(
			json_array_get(json_object_get(item, "author"), 0),
			"literal")),
		"Atlas & {Co} 50%");
	json_decref(got);
	assert_null(strstr(f->out.data, "cancelatlas"));
}

/* ---- hostile data ---------------------------------------------------- */

static void text_is_one_line_without_overrides(void **state)
{
	struct fixture *f = *state;
	assert_true(cite_text(&f->out, &f->site, m(), f->hostile));
	assert_null(strpbrk(f->out.data, "\r\n"));
	assert_null(strstr(f->out.data, "\u202e"));
	assert_null(strstr(f->out.data, "\u202c"));
	assert_null(strstr(f->out.data, "\u2028"));
	/* Markup stays text; the page that shows it escapes it. */
	assert_non_null(strstr(f->out.data, "Evil {{x}} }{ \\ 50% & $5"));
	assert_non_null(strstr(f->out.data,
			       "abc \u05e9\u05dc\u05d5\u05dd TY - JOUR ER - "
			       "x \u2014 Cancellation Friction Index (UK)"));
	assert_non_null(strstr(f->out.data, "Cancel Atlas (2025)."));
	assert_non_null(strstr(f->out.data, "https://www.cancelatlas.com/c/"
					    "hostile-name-uk (CC BY-SA 4.0)."));
}

static void bibtex_escapes_specials(void **state)
{
	struct fixture *f = *state;
	assert_true(cite_bibtex(&f->out, &f->site, m(), f->hostile));
	const char *s = f->out.data;
	assert_non_null(strstr(
		s, "title        = {{Evil \\textbraceleft{}\\textbraceleft{}x"
		   "\\textbraceright{}\\textbraceright{} \\textbraceright{}"
		   "\\textbraceleft{} \\textbackslash{} 50\\% \\& \\$5 \\#1 "
		   "a\\_b \\textasciicircum{} \\textasciitilde{} <script>\"q\" "
		   "abc \u05e9\u05dc\u05d5\u05dd TY - JOUR ER - x --- "
		   "Cancellation Friction Index (UK)}},\n"));
	/* Braces balance, never go below zero, and every unescaped
	 * special is gone from the title. */
	int depth = 0;
	for (const char *p = s; *p; p++) {
		if (*p == '{')
			depth++;
		else if (*p == '}')
			depth--;
		assert_true(depth >= 0);
	}
	assert_int_equal(depth, 0);
	/* One entry of eight lines plus the closing brace. */
	size_t lines = 0;
	for (const char *p = s; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 9);
	assert_non_null(strstr(s, "  urldate      = {2025-12-31}\n}\n"));
}

static void ris_values_stay_on_their_line(void **state)
{
	struct fixture *f = *state;
	assert_true(cite_ris(&f->out, &f->site, m(), f->hostile));
	const char *s = f->out.data;
	/* Every line is "XX  - value" ending in CRLF; the name's "ER  - "
	 * cannot end the record early. */
	size_t n = 0, er = 0;
	for (const char *p = s; *p;) {
		const char *end = strstr(p, "\r\n");
		assert_non_null(end);
		assert_true(end - p >= 6);
		assert_true(p[0] >= 'A' && p[0] <= 'Z');
		assert_true((p[1] >= 'A' && p[1] <= 'Z') ||
			    (p[1] >= '0' && p[1] <= '9'));
		assert_memory_equal(p + 2, "  - ", 4);
		for (const char *q = p; q < end; q++)
			assert_true(*q != '\r' && *q != '\n');
		er += !strncmp(p, "ER  - ", 6);
		n++;
		p = end + 2;
	}
	assert_int_equal(n, 8);
	assert_int_equal(er, 1);
	assert_non_null(strstr(s, "\r\nER  - \r\n"));
	assert_non_null(strstr(s, "PY  - 2025\r\nDA  - 2025/12/31\r\n"));
}

static void csl_round_trips(void **state)
{
	struct fixture *f = *state;
	assert_true(cite_csl(&f->out, &f->site, m(), f->hostile));
	json_error_t e;
	json_t *got = json_loads(f->out.data, 0, &e);
	assert_non_null(got);
	assert_int_equal(json_array_size(got), 1);
	const char *title = json_string_value(
		json_object_get(json_array_get(got, 0), "title"));
	assert_non_null(title);
	assert_non_null(strstr(title, "<script>\"q\""));
	assert_null(strpbrk(title, "\r\n"));
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(got, 0), "id")),
			    "cancelatlas-hostile-name-uk-2025");
	json_decref(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(coursera_text_is_the_seed, reset),
		cmocka_unit_test_setup(coursera_bibtex, reset),
		cmocka_unit_test_setup(coursera_ris, reset),
		cmocka_unit_test_setup(coursera_csl, reset),
		cmocka_unit_test_setup(key_and_title, reset),
		cmocka_unit_test_setup(another_site_in_every_format, reset),
		cmocka_unit_test_setup(text_is_one_line_without_overrides,
				       reset),
		cmocka_unit_test_setup(bibtex_escapes_specials, reset),
		cmocka_unit_test_setup(ris_values_stay_on_their_line, reset),
		cmocka_unit_test_setup(csl_round_trips, reset),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
