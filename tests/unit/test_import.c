/*
 * test_import.c - companies.json into record files: the reference
 * system's style (fixtures/reference-companies.json gives the expected
 * records in fixtures/reference-expected/), our own API output given back
 * field for field, every company that must be skipped and why, and the
 * file handling (no overwriting, no partial files, JSON syntax errors).
 */
#define _GNU_SOURCE /* open_memstream */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dataset.h"
#include "diag.h"
#include "gen.h"
#include "import.h"
#include "method.h"
#include "opendata.h"
#include "safefile.h"
#include "score.h"

#include "fixture.h"
#include "fixtures/record_cmp.h"

#define FIXTURES  "tests/unit/fixtures"
#define REFERENCE FIXTURES "/reference-companies.json"

/* The tests run as on this day, as tests/run does. */
static date_days test_today(void)
{
	return date_from_ymd(2026, 7, 1);
}

struct fixture {
	char *dir;     /* a scratch folder */
	char data[96]; /* dir/data: a data folder with industries */
	char json[96]; /* dir/in.json */
	char *report;  /* what the last import printed */
	char *diags;   /* and its diagnostics, as check prints them */
	struct import_stats st;
	size_t errors;
};

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static char *read_file(const char *path)
{
	size_t len;
	char *text = safefile_read_all(path, &len);
	if (!text)
		fail_msg("cannot read %s", path);
	return text;
}

static void make_data_dir(const char *dir)
{
	assert_int_equal(mkdir(dir, 0777), 0);
	static const char *const files[] = { "industries.yaml", "site.yaml" };
	for (size_t i = 0; i < ATLAS_COUNT(files); i++) {
		char path[128], from[64];
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		snprintf(from, sizeof(from), "data/%s", files[i]);
		char *text = read_file(from);
		write_file(path, text);
		free(text);
	}
}

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	f->dir = fixture_dir_new("import");
	snprintf(f->data, sizeof(f->data), "%s/data", f->dir);
	snprintf(f->json, sizeof(f->json), "%s/in.json", f->dir);
	make_data_dir(f->data);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	fixture_dir_remove(f->dir);
	free(f->report);
	free(f->diags);
	free(f);
	return 0;
}

/* Import @json into @data; keeps the report and diagnostics in @f. */
static int run(struct fixture *f, const char *json, const char *data,
	       bool overwrite, bool dry_run)
{
	struct import_opts opts = { overwrite, dry_run, test_today() };
	struct diag *d = diag_new();
	size_t len;
	free(f->report);
	free(f->diags);
	FILE *report = open_memstream(&f->report, &len);
	int rc = import_file(json, data, &opts, report, d, &f->st);
	fclose(report);
	FILE *diags = open_memstream(&f->diags, &len);
	f->errors = diag_count(d, DIAG_ERROR);
	if (f->errors || diag_count(d, DIAG_WARNING))
		diag_print(d, diags, false);
	fclose(diags);
	diag_free(d);
	return rc;
}

/* @needle must be in @haystack. */
static void assert_has(const char *haystack, const char *needle)
{
	if (!strstr(haystack, needle))
		fail_msg("missing: %s\n--- in ---\n%s", needle, haystack);
}

static void assert_file_is(const char *path, const char *expected_path)
{
	char *got = read_file(path), *want = read_file(expected_path);
	if (strcmp(got, want))
		fail_msg("%s differs from %s:\n%s", path, expected_path, got);
	free(got);
	free(want);
}

/* No temporary files left behind in @data/records. */
static void assert_no_leftovers(const char *data)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/records", data);
	DIR *dir = opendir(path);
	assert_non_null(dir);
	struct dirent *de;
	while ((de = readdir(dir)) != NULL)
		if (de->d_name[0] == '.' && strcmp(de->d_name, ".") &&
		    strcmp(de->d_name, ".."))
			fail_msg("left behind: %s", de->d_name);
	closedir(dir);
}

/* Load @data as check does; its error and warning counts. */
static struct dataset *load_data(const char *data, size_t *errors,
				 size_t *warnings)
{
	struct diag *d = diag_new();
	struct dataset *ds;
	struct dataset_opts opts = { .today = test_today() };
	assert_int_equal(dataset_load(data, &opts, d, &ds), 0);
	*errors = diag_count(d, DIAG_ERROR);
	*warnings = diag_count(d, DIAG_WARNING);
	if (*errors)
		diag_print(d, stderr, false);
	diag_free(d);
	return ds;
}

/* ---- the reference system's style ------------------------------------ */

static void reference_file_imports_as_expected(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(run(f, REFERENCE, f->data, false, false), 0);
	char *want = NULL;
	size_t len;
	FILE *w = open_memstream(&want, &len);
	fprintf(w,
		"ironbridge-gym-uk: industry `Gym & Fitness` read as `Gym & "
		"fitness`\n"
		"ironbridge-gym-uk: the file says 92/A; the levels give 90/B "
		"(CES-1.1)\n"
		"lumen-stream-de: no id given; imported as `lumen-stream-de`\n"
		"lumen-stream-de: industry `streaming` read as `Streaming`\n"
		"industry `Meal kits` is new: added to %s/industries.yaml as "
		"`meal-kits` (close to `Meal kits & food`)\n"
		"quickfit-box: the file says 81/A; the levels give 75/B "
		"(CES-1.1)\n"
		"imported 4 records into %s/records (0 skipped, 2 score "
		"differences)\n"
		"warnings: 1 W111 (import: a published value left out), 3 W112 "
		"(import: a value read from text, repaired or inferred)\n"
		"industries added: Meal kits\n",
		f->data, f->data);
	fclose(w);
	assert_string_equal(f->report, want);
	free(want);

	/* Nothing is skipped: what the last company gets wrong is a
	 * warning naming it and the field, and what was recorded. */
	static const char *const problems[][2] = {
		{ "W112", "`policy.scores.cancel_url` 55 is not a rubric level "
			  "(0, 25, 50, 75, 100); recorded as 50, the level "
			  "below it" },
		{ "W112", "`policy.sources[0].url` "
			  "`quickfit.example.com/help/cancel` is not a usable "
			  "URL as written; read as "
			  "`https://quickfit.example.com/help/cancel`" },
		{ "W112", "`policy.policy_checked` `2026-02-30` is not a real "
			  "calendar date; reviewed on 2026-03-01, the newest "
			  "source's date" },
		{ "W111", "`cancellation_types[1]` `fax` is not a channel of "
			  "the record format; left out" },
	};
	struct buf diags = BUF_INIT;
	for (size_t i = 0; i < ATLAS_COUNT(problems); i++)
		buf_printf(&diags,
			   "%s: warning[%s]: companies[3] (quickfit-box): %s\n",
			   REFERENCE, problems[i][0], problems[i][1]);
	assert_string_equal(f->diags, diags.data);
	buf_free(&diags);
	assert_int_equal(f->errors, 0);
	assert_int_equal(f->st.companies, 4);
	assert_int_equal(f->st.imported, 4);
	assert_int_equal(f->st.skipped, 0);
	assert_int_equal(f->st.differences, 2);
	assert_int_equal(f->st.left_out, 1);
	assert_int_equal(f->st.inferred, 3);
	assert_int_equal(f->st.industries_added, 1);

	static const char *const ids[] = { "coursera", "ironbridge-gym-uk",
					   "lumen-stream-de", "quickfit-box" };
	for (size_t i = 0; i < ATLAS_COUNT(ids); i++) {
		char got[160], expected[160];
		snprintf(got, sizeof(got), "%s/records/%s.yaml", f->data,
			 ids[i]);
		snprintf(expected, sizeof(expected),
			 FIXTURES "/reference-expected/%s.yaml", ids[i]);
		assert_file_is(got, expected);
	}
	assert_no_leftovers(f->data);

	/* The new industry is in the list, after what was there. */
	char path[160];
	snprintf(path, sizeof(path), "%s/industries.yaml", f->data);
	char *list = read_file(path),
	     *shipped = read_file("data/industries.yaml");
	assert_memory_equal(list, shipped, strlen(shipped));
	assert_string_equal(list + strlen(shipped),
			    "- name: Meal kits\n  slug: meal-kits\n");
	free(list);
	free(shipped);

	/* They pass check, with only the missing-reason warnings (W103:
	 * 2 + 2 + 5 + 3 levels below 100), and Coursera is the seed's 79/B. */
	size_t errors, warnings;
	struct dataset *ds = load_data(f->data, &errors, &warnings);
	assert_int_equal(errors, 0);
	assert_int_equal(warnings, 12);
	struct score_result s;
	score_policy(method_current(), dataset_find(ds, "coursera"), &s);
	assert_int_equal(s.score, 79);
	assert_int_equal(s.grade, 'B');
	dataset_free(ds);
}

static void existing_records_are_not_overwritten(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(run(f, REFERENCE, f->data, false, false), 0);
	char path[160];
	snprintf(path, sizeof(path), "%s/records/coursera.yaml", f->data);
	write_file(path, "# edited by hand\n");

	assert_int_equal(run(f, REFERENCE, f->data, false, false), 0);
	assert_int_equal(f->st.imported, 0);
	assert_int_equal(f->st.skipped, 4);
	assert_int_equal(f->st.industries_added, 0);
	char want[512];
	snprintf(want, sizeof(want),
		 REFERENCE ": error[E020]: companies[0] (coursera): a record "
			   "`coursera` already exists (%s); use --force to "
			   "replace it\n",
		 path);
	assert_has(f->diags, want);
	assert_has(f->diags, "companies[2] (Lumen Stream+): a record "
			     "`lumen-stream-de` already exists");
	char *text = read_file(path);
	assert_string_equal(text, "# edited by hand\n");
	free(text);

	/* --force replaces them. */
	assert_int_equal(run(f, REFERENCE, f->data, true, false), 0);
	assert_int_equal(f->st.imported, 4);
	assert_file_is(path, FIXTURES "/reference-expected/coursera.yaml");
	assert_no_leftovers(f->data);
}

static void dry_run_writes_nothing(void **state)
{
	struct fixture *f = *state;
	char other[128];
	snprintf(other, sizeof(other), "%s/fresh", f->dir);
	make_data_dir(other);
	assert_int_equal(run(f, REFERENCE, other, false, true), 0);
	assert_has(f->report, "would import 4 records into");
	assert_has(f->report, "industry `Meal kits` is new: would add it to ");
	assert_has(f->report, "industries to add: Meal kits\n");
	assert_int_equal(f->st.imported, 4);
	char records[160];
	snprintf(records, sizeof(records), "%s/records", other);
	assert_int_equal(access(records, F_OK), -1);
	/* The industries list is as it was. */
	snprintf(records, sizeof(records), "%s/industries.yaml", other);
	assert_file_is(records, "data/industries.yaml");
}

/* ---- the file itself ------------------------------------------------- */

static void json_syntax_error_has_line_and_column(void **state)
{
	struct fixture *f = *state;
	write_file(f->json, "{\n  \"companies\": [\n    {\"id\": \"a\",, "
			    "\"name\": \"A\"}\n  ]\n}\n");
	assert_int_equal(run(f, f->json, f->data, false, false), -1);
	char want[512];
	snprintf(want, sizeof(want),
		 "%s:3:16: error[E002]: JSON syntax: string or '}' expected "
		 "near ','\n"
		 "    3 |     {\"id\": \"a\",, \"name\": \"A\"}\n"
		 "      |                ^\n",
		 f->json);
	assert_string_equal(f->diags, want);
	assert_int_equal(f->st.imported, 0);
}

static void duplicate_json_keys_are_refused(void **state)
{
	struct fixture *f = *state;
	write_file(f->json, "[{\"id\": \"a\",\n  \"id\": \"b\"}]\n");
	assert_int_equal(run(f, f->json, f->data, false, false), -1);
	char want[160];
	snprintf(want, sizeof(want),
		 "%s:2:6: error[E002]: JSON syntax: duplicate object key",
		 f->json);
	assert_has(f->diags, want);
}

/* import_text() reads what import_file() would read from the file. */
static void text_in_memory_imports_as_the_file_does(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(run(f, REFERENCE, f->data, false, true), 0);
	char *from_file = f->report;
	f->report = NULL;

	char *text = read_file(REFERENCE);
	struct import_opts opts = { false, true, test_today() };
	struct diag *d = diag_new();
	struct import_stats st;
	size_t len;
	FILE *report = open_memstream(&f->report, &len);
	assert_int_equal(import_text(REFERENCE, text, strlen(text), f->data,
				     &opts, report, d, &st),
			 0);
	fclose(report);
	assert_string_equal(f->report, from_file);
	assert_int_equal(st.imported, 4);
	assert_int_equal(diag_count(d, DIAG_ERROR), 0);
	diag_free(d);
	free(text);
	free(from_file);

	/* Only @len bytes are read... */
	static const char list[] = "{\"companies\": []} and more";
	d = diag_new();
	report = fopen("/dev/null", "w");
	assert_int_equal(import_text("in.json", list, 17, f->data, &opts,
				     report, d, &st),
			 0);
	assert_int_equal(diag_count(d, DIAG_ERROR), 0);
	diag_free(d);

	/* ...and a syntax error is placed in the text, under its name. */
	static const char broken[] = "[\n  {\"id\": 1}x]";
	d = diag_new();
	assert_int_equal(import_text("in.json", broken, strlen(broken), f->data,
				     &opts, report, d, &st),
			 -1);
	fclose(report);
	char *diags = NULL;
	FILE *mem = open_memstream(&diags, &len);
	diag_print(d, mem, false);
	fclose(mem);
	assert_has(diags, "in.json:2:12: error[E002]: JSON syntax: ']' "
			  "expected near 'x'");
	free(diags);
	diag_free(d);
}

static void unusable_inputs(void **state)
{
	struct fixture *f = *state;
	char missing[128];
	snprintf(missing, sizeof(missing), "%s/none.json", f->dir);
	assert_int_equal(run(f, missing, f->data, false, false), -1);
	assert_has(f->diags, "none.json: error[E001]: cannot read: No such "
			     "file or directory");

	/* A data folder needs its industries list. */
	char empty[128];
	snprintf(empty, sizeof(empty), "%s/empty", f->dir);
	assert_int_equal(mkdir(empty, 0777), 0);
	assert_int_equal(run(f, REFERENCE, empty, false, false), -2);
	assert_has(f->diags, "industries.yaml: error[E001]: cannot read the "
			     "industries list");

	write_file(f->json, "{\"companies\": {\"id\": \"a\"}}");
	assert_int_equal(run(f, f->json, f->data, false, false), -1);
	assert_has(f->diags, "error[E006]: `companies` must be a list of "
			     "companies, not an object");
}

/* ---- companies one by one -------------------------------------------- */

/* A valid company in the reference's style, to break in one place. */
static json_t *company(const char *id)
{
	json_t *c = json_pack(
		"{s:s, s:s, s:s, s:s, s:[s,s], s:s, s:s, s:{s:s, s:{s:i, s:i, "
		"s:i, s:i, s:i}, s:i, s:s, s:s, s:s, s:s, s:[{s:s, s:s}]}, "
		"s:n}",
		"id", id, "name", "Acme Box", "industry", "Streaming",
		"jurisdiction", "US", "cancellation_types",
		"online (self-serve)", "in-app", "pause",
		"not offered. No pause.", "data_deletion",
		"Delete under Settings. https://acme.example.com/privacy",
		"policy", "evidence_tier", "documented", "scores", "cancel_url",
		100, "channel_disclosed", 100, "notice_disclosed", 100,
		"refund_disclosed", 100, "findability", 85, "score", 97,
		"grade", "A", "policy_url", "https://acme.example.com/cancel",
		"policy_summary", "Cancel online under Account.",
		"policy_checked", "2026-06-01", "sources", "title",
		"Cancel | Acme (accessed 2026-06-01)", "url",
		"https://acme.example.com/cancel", "flow");
	assert_non_null(c);
	return c;
}

/* Set the member at dotted @path ("policy.scores.cancel_url") of @c. */
static json_t *with(json_t *c, const char *path, json_t *value)
{
	char key[64];
	json_t *o = c;
	for (const char *dot; (dot = strchr(path, '.')) != NULL;
	     path = dot + 1) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		o = json_object_get(o, key);
		assert_non_null(o);
	}
	if (value)
		json_object_set_new(o, path, value);
	else
		json_object_del(o, path);
	return c;
}

static void write_companies(const char *path, json_t *list)
{
	json_t *root = json_pack("{s:o}", "companies", list);
	assert_int_equal(json_dump_file(root, path, JSON_INDENT(1)), 0);
	json_decref(root);
}

/* What a company cannot become a record without: it is skipped. */
static void unusable_companies_are_skipped(void **state)
{
	struct fixture *f = *state;
	json_t *list = json_array();
	json_array_append_new(list, company("good-one"));
	json_array_append_new(list, json_integer(42));
	json_array_append_new(list, with(company("a2"), "policy", NULL));
	json_array_append_new(
		list, with(company("a3"), "jurisdiction", json_string("XX")));
	json_array_append_new(list,
			      with(with(company("a4"), "policy.policy_url",
					json_string("javascript:alert(1)")),
				   "policy.sources", json_array()));
	json_array_append_new(list, with(with(company("a5"), "id", NULL),
					 "name", json_integer(5)));
	json_array_append_new(list, company("good-two"));
	write_companies(f->json, list);

	assert_int_equal(run(f, f->json, f->data, false, false), 0);
	assert_int_equal(f->st.companies, 7);
	assert_int_equal(f->st.imported, 2);
	assert_int_equal(f->st.skipped, 5);
	static const char *const expected[] = {
		"error[E006]: companies[1]: a company must be an object, not "
		"a number",
		"error[E010]: companies[2] (a2): `policy` is missing",
		"error[E016]: companies[3] (a3): unknown jurisdiction `XX`",
		"error[E019]: companies[4] (a4): `policy.policy_url` "
		"`javascript:alert(1)` is not a web address, and no source "
		"has a URL: a record needs its official page",
		"error[E013]: companies[5]: `name` must be a string, not a "
		"number",
	};
	for (size_t i = 0; i < ATLAS_COUNT(expected); i++)
		assert_has(f->diags, expected[i]);
	assert_int_equal(f->errors, ATLAS_COUNT(expected));
	char path[160];
	snprintf(path, sizeof(path), "%s/records/good-two.yaml", f->data);
	assert_int_equal(access(path, F_OK), 0);
}

/*
 * Everything else the reference might publish becomes a record that
 * passes check, each value that could not be taken as it stood named in
 * a warning with what was recorded instead.
 */
static void published_companies_are_not_skipped(void **state)
{
	struct fixture *f = *state;
	json_t *list = json_array();
	json_array_append_new(
		list, with(company("a1"), "pause", json_string("maybe")));
	json_array_append_new(
		list, with(company("a2"), "data_deletion",
			   json_string("https://acme.example.com/privacy")));
	json_array_append_new(list, with(company("a3"), "policy.policy_checked",
					 json_string("2099-01-01")));
	json_array_append_new(
		list, with(company("a4"), "policy.sources",
			   json_pack("[{s:s, s:s}]", "title",
				     "Cancel (accessed 2026-06-20)", "url",
				     "https://acme.example.com/cancel")));
	json_array_append_new(list, with(company("a5"), "policy.scores.speed",
					 json_integer(100)));
	json_array_append_new(list, company("a5"));
	json_array_append_new(list,
			      with(company("a7"), "policy.scores.cancel_url",
				   json_string("high")));
	json_array_append_new(
		list, with(company("a8"), "industry", json_string("Fitness")));
	json_array_append_new(
		list, with(with(with(company("a9"), "id", NULL), "name",
				json_string("Bad\x1b[31m Name")),
			   "policy.scores.findability", json_integer(90)));
	json_array_append_new(
		list, with(company("a10"), "cancellation_types", json_array()));
	json_array_append_new(
		list, with(company("a11"), "policy.sources", json_array()));
	json_array_append_new(list, with(company("a12"), "policy.policy_url",
					 json_string("javascript:alert(1)")));
	json_array_append_new(list,
			      with(company("a13"), "pause", json_integer(1)));
	json_array_append_new(
		list, with(company("a14"), "policy.sources",
			   json_pack("[s,s]",
				     "{'title': 'Terms | Acme (accessed "
				     "2026-05-01)', 'url': "
				     "'https://acme.example.com/terms'}",
				     "Help centre article")));
	write_companies(f->json, list);

	assert_int_equal(run(f, f->json, f->data, false, false), 0);
	assert_int_equal(f->errors, 0);
	assert_int_equal(f->st.companies, 14);
	assert_int_equal(f->st.imported, 14);
	assert_int_equal(f->st.skipped, 0);
	static const char *const expected[] = {
		"warning[W112]: companies[0] (a1): `pause` does not say "
		"whether a pause is offered (`maybe`); recorded as not "
		"offered, the text quoted in the note",
		"warning[W112]: companies[1] (a2): `data_deletion` gives no "
		"note on deleting the account, only a link; the note says so",
		"warning[W112]: companies[2] (a3): `policy.policy_checked` "
		"`2099-01-01` is in the future; reviewed on 2026-06-01, the "
		"newest source's date",
		"warning[W112]: companies[3] (a4): a source was accessed "
		"2026-06-20, after `policy.policy_checked` 2026-06-01; "
		"reviewed on 2026-06-20",
		"warning[W111]: companies[4] (a5): `policy.scores.speed` is "
		"not a dimension of CES-1.1; left out",
		"warning[W112]: companies[5] (a5): the id `a5` is taken by an "
		"earlier company; imported as `a5-2`",
		"warning[W112]: companies[6] (a7): `policy.scores.cancel_url` "
		"is a string; recorded as 0, the lowest level",
		"warning[W112]: companies[8] (Bad\\u{1B}[31m Name): "
		"`policy.scores.findability` 90 is not a rubric level (0, 40, "
		"70, 85, 100); recorded as 85, the level below it",
		"warning[W112]: companies[9] (a10): `cancellation_types` "
		"names no channel; `online` is recorded, as cancel_url 100 "
		"reads in the rubric",
		"warning[W110]: companies[10] (a11): `policy.sources` is "
		"empty; the official page (policy_url) is cited as the "
		"evidence",
		"warning[W112]: companies[11] (a12): `policy.policy_url` "
		"`javascript:alert(1)` is not a web address; the official "
		"page is the URL of `policy.sources[0]`, "
		"https://acme.example.com/cancel",
		"warning[W112]: companies[12] (a13): `pause` is a number; "
		"recorded as not offered, with a note that the source does "
		"not say",
		"warning[W110]: companies[13] (a14): `policy.sources[1]` "
		"(`Help centre article`) has no URL; cited with the official "
		"page (policy_url) in its place, its title noted",
	};
	for (size_t i = 0; i < ATLAS_COUNT(expected); i++)
		assert_has(f->diags, expected[i]);
	assert_has(f->report, "industry `Fitness` is new: added to ");
	assert_has(f->report, "as `fitness` (close to `Fitness apps`)\n");
	/* No raw escape byte reaches a terminal. */
	assert_null(strchr(f->diags, '\x1b'));

	size_t errors, warnings;
	struct dataset *ds = load_data(f->data, &errors, &warnings);
	assert_int_equal(errors, 0);
	assert_int_equal(ds->nrecords, 14);
	const struct record *r = dataset_find(ds, "a1");
	assert_false(r->pause_offered.v);
	assert_string_equal(r->pause_note.s,
			    "The source does not say whether a pause is "
			    "offered; it says: \u201cmaybe\u201d");
	r = dataset_find(ds, "a2");
	assert_string_equal(r->deletion_note.s,
			    "The source gives only this link.");
	assert_string_equal(r->deletion_url.s,
			    "https://acme.example.com/privacy");
	assert_int_equal(dataset_find(ds, "a4")->reviewed.days,
			 date_from_ymd(2026, 6, 20));
	assert_non_null(dataset_find(ds, "a5-2"));
	assert_string_equal(dataset_find(ds, "a8")->industry.s, "Fitness");
	r = dataset_find(ds, "a11");
	assert_int_equal(r->nevidence, 1);
	assert_string_equal(r->evidence[0].url.s, r->official_page.s);
	r = dataset_find(ds, "a13");
	assert_string_equal(r->pause_note.s,
			    "The source does not say whether a pause is "
			    "offered.");
	/* The stringified dict is a source like any other; the bare title
	 * is cited by the official page, and says so. */
	r = dataset_find(ds, "a14");
	assert_int_equal(r->nevidence, 2);
	assert_string_equal(r->evidence[0].title.s, "Terms | Acme");
	assert_string_equal(r->evidence[0].url.s,
			    "https://acme.example.com/terms");
	assert_int_equal(r->evidence[0].accessed.days,
			 date_from_ymd(2026, 5, 1));
	assert_string_equal(r->evidence[1].title.s,
			    "Help centre article (no link given; the official "
			    "page is cited in its place)");
	assert_string_equal(r->evidence[1].url.s,
			    "https://acme.example.com/cancel");
	dataset_free(ds);
}

static void the_checker_has_the_last_word(void **state)
{
	struct fixture *f = *state;
	json_t *list = json_array();
	json_array_append_new(list, with(company("todo-co"), "name",
					 json_string("TODO company name")));
	json_t *audited = company("audited");
	with(audited, "flow",
	     json_pack("{s:[{s:s, s:s, s:s, s:b, s:i, s:s, s:b, s:s, s:f, "
		       "s:b, s:[{s:s, s:s, s:s}]}]}",
		       "all_audits", "date", "2026-06-02", "tier",
		       "editor_verified", "signup_channel", "online",
		       "online_path", 1, "steps", 2, "retention", "none",
		       "channel_symmetry", 1, "confirmation", "immediate",
		       "minutes", 1.5, "clean_exit", 1, "evidence", "title",
		       "Recording", "file", "audits/audited/1.webm", "sha256",
		       "abc"));
	json_array_append_new(list, audited);
	write_companies(f->json, list);
	assert_int_equal(run(f, f->json, f->data, false, false), 0);
	assert_int_equal(f->st.imported, 1);
	assert_has(f->diags,
		   "error[E030]: companies[0] (todo-co): the record made from "
		   "it fails check: `name` still holds the skeleton's TODO; "
		   "replace it\n");
	/* A broken audit is left out; the company is imported without it. */
	assert_has(f->diags,
		   "warning[W111]: companies[1] (audited): "
		   "`flow.all_audits[0]` (the audit of 2026-06-02) is left "
		   "out: `flow.all_audits[0].evidence[0].sha256` must be 64 "
		   "hexadecimal digits (got 3 characters)\n");
	assert_no_leftovers(f->data);
}

static void ids_jurisdictions_and_industries(void **state)
{
	struct fixture *f = *state;
	json_t *list = json_array();
	/* A valid id lacking the suffix gets it. */
	json_array_append_new(
		list, with(company("acme"), "jurisdiction", json_string("UK")));
	/* GB is a code of its own: kept, and the suffix follows it. */
	json_array_append_new(list, with(company("acme-gb"), "jurisdiction",
					 json_string("GB")));
	/* Case is normalised; a bad id is made from the name. */
	json_t *c =
		with(company("Acme Co!"), "jurisdiction", json_string("fr"));
	json_array_append_new(
		list, with(c, "name", json_string("Café Zürich's Box")));
	/* Industries by name in any case, or by slug. */
	json_array_append_new(list, with(company("by-slug"), "industry",
					 json_string("gym-fitness")));
	json_array_append_new(list, with(company("by-words"), "industry",
					 json_string("Software/SaaS")));
	/* A second company with an id taken: numbered before the suffix. */
	json_array_append_new(list, with(company("acme-uk"), "jurisdiction",
					 json_string("UK")));
	write_companies(f->json, list);
	assert_int_equal(run(f, f->json, f->data, false, false), 0);
	assert_int_equal(f->errors, 0);
	assert_has(f->report, "acme-uk: the id `acme` lacks the jurisdiction "
			      "suffix `-uk`; imported as `acme-uk`\n");
	assert_has(f->report, "cafe-zurichs-box-fr: the id `Acme Co!` is not a "
			      "slug; imported as `cafe-zurichs-box-fr`\n");
	assert_has(f->report, "by-slug: industry `gym-fitness` read as `Gym & "
			      "fitness`\n");
	assert_has(f->report, "by-words: industry `Software/SaaS` read as "
			      "`Software / SaaS`\n");
	assert_has(f->report, "imported 6 records");
	assert_has(f->diags, "warning[W112]: companies[5] (acme-uk): the id "
			     "`acme-uk` is taken by an earlier company; "
			     "imported as `acme-2-uk`\n");
	size_t errors, warnings;
	struct dataset *ds = load_data(f->data, &errors, &warnings);
	assert_int_equal(errors, 0);
	assert_string_equal(dataset_find(ds, "acme-gb")->jurisdiction.s, "GB");
	assert_string_equal(dataset_find(ds, "acme-uk")->jurisdiction.s, "UK");
	assert_string_equal(dataset_find(ds, "acme-2-uk")->jurisdiction.s,
			    "UK");
	const struct record *r = dataset_find(ds, "cafe-zurichs-box-fr");
	assert_non_null(r);
	assert_string_equal(r->jurisdiction.s, "FR");
	assert_string_equal(r->name.s, "Café Zürich's Box");
	/* The reference's strings, taken apart. */
	assert_false(r->pause_offered.v);
	assert_string_equal(r->pause_note.s, "No pause.");
	assert_string_equal(r->deletion_note.s, "Delete under Settings.");
	assert_string_equal(r->deletion_url.s,
			    "https://acme.example.com/privacy");
	assert_string_equal(r->evidence[0].title.s, "Cancel | Acme");
	assert_int_equal(r->evidence[0].accessed.days,
			 date_from_ymd(2026, 6, 1));
	dataset_free(ds);
}

static void bare_array_and_single_company(void **state)
{
	struct fixture *f = *state;
	json_t *one = company("solo");
	assert_int_equal(json_dump_file(one, f->json, 0), 0);
	json_decref(one);
	assert_int_equal(run(f, f->json, f->data, false, false), 0);
	assert_has(f->report, "imported 1 record into");

	json_t *list = json_pack("[o,o]", company("first"), company("second"));
	assert_int_equal(json_dump_file(list, f->json, 0), 0);
	json_decref(list);
	assert_int_equal(run(f, f->json, f->data, false, false), 0);
	assert_has(f->report, "imported 2 records into");
}

/* ---- our own companies.json, given back ------------------------------ */

static const char uk_record[] =
	"id: harbour-fibre-uk\n"
	"name: \"Harbour Fibre \\u2013 \\\"Glasgow\\\" #1\"\n"
	"industry: Telecom & ISP\n"
	"jurisdiction: UK\n"
	"reviewed: 2026-06-20\n"
	"channels: [phone, online, postal-mail]\n"
	"summary: \"Call 0800 000 000 or write: Harbour, PO Box 1.\\nOnline "
	"cancel for SIM-only plans; {{contract}} plans by phone.\"\n"
	"official_page: https://harbour.example.com/cancel?plan=all#top\n"
	"refund_page: https://harbour.example.com/refunds\n"
	"exit_fee: true\n"
	"pause:\n"
	"  offered: true\n"
	"  note: \"- up to 2 months: \\u05E2\\u05D1\\u05E8\\u05D9\\u05EA\"\n"
	"deletion:\n"
	"  note: 'By letter; \"erasure\" requests only.'\n"
	"policy:\n"
	"  cancel_url: 75\n"
	"  channel_disclosed: 80\n"
	"  notice_disclosed: 100\n"
	"  refund_disclosed: 50\n"
	"  findability: 85\n"
	"why:\n"
	"  cancel_url: Online only for SIM-only plans.\n"
	"  channel_disclosed: 'Contract customers must call: no online path.'\n"
	"  refund_disclosed: One 14-day window.\n"
	"  findability: The linking page is not cited.\n"
	"evidence:\n"
	"  - title: Cancel | Harbour\n"
	"    url: https://harbour.example.com/cancel?plan=all#top\n"
	"    accessed: 2026-06-20\n"
	"  - title: \"Refunds: 14 days\"\n"
	"    url: https://harbour.example.com/refunds\n"
	"    accessed: 2026-06-18\n";

/* SPEC.md's worked example with a path and notes in its audit, and an
 * older audit by the crowd with two evidence files after it. */
static const char *audited_record(void)
{
	const char *t = fixture_edit(fixture_worked_example(), "    steps: 4\n",
				     "    steps: 4\n"
				     "    path: [Open Account, \"Skip: "
				     "offer\", Select plan, Confirm]\n");
	t = fixture_edit(t, "    clean_exit: true\n",
			 "    clean_exit: true\n"
			 "    notes: The offer came first.\n");
	return fixture_append(
		t, "  - date: 2026-04-02\n"
		   "    tier: crowd_verified\n"
		   "    signup_channel: in-app\n"
		   "    online_path: true\n"
		   "    steps: 2\n"
		   "    retention: none\n"
		   "    channel_symmetry: false\n"
		   "    confirmation: same-day\n"
		   "    minutes: 1\n"
		   "    clean_exit: false\n"
		   "    evidence:\n"
		   "      - title: Screenshots\n"
		   "        file: audits/northwind-stream/2026-04-02.png\n"
		   "        sha256: "
		   "1f3c5d8e9a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071829"
		   "3a4b5\n"
		   "      - title: Email\n"
		   "        file: audits/northwind-stream/2026-04-02.eml\n"
		   "        sha256: "
		   "2f3c5d8e9a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071829"
		   "3a4b5\n");
}

/*
 * companies.json as the build publishes it, from the records of @ds. With
 * @all_audits, each flow also carries every audit in full
 * (flow.all_audits); without it, only what opendata_company() gives.
 */
static void publish(const struct dataset *ds, const char *path, bool all_audits)
{
	const struct method *m = method_current();
	json_t *root = json_object();
	opendata_method(m, root);
	json_t *list = json_array();
	for (size_t i = 0; i < ds->nrecords; i++) {
		json_t *c = opendata_company(&ds->site, m, ds->records[i]);
		json_t *flow = json_object_get(c, "flow");
		/* opendata publishes every audit; drop them to test an
		 * import of a file that gives only the summary. */
		if (!all_audits && json_is_object(flow))
			json_object_del(flow, "all_audits");
		json_array_append_new(list, c);
	}
	json_object_set_new(root, "total_count",
			    json_integer((json_int_t)ds->nrecords));
	json_object_set_new(root, "companies", list);
	assert_int_equal(json_dump_file(root, path, JSON_INDENT(2)), 0);
	json_decref(root);
}

/* Every record of @a is in @b with the same fields and scores. */
static void assert_same_records(const struct dataset *a,
				const struct dataset *b)
{
	const struct method *m = method_current();
	assert_int_equal(a->nrecords, b->nrecords);
	for (size_t i = 0; i < a->nrecords; i++) {
		const struct record *x = a->records[i];
		const struct record *y = dataset_find(b, x->id.s);
		if (!y)
			fail_msg("%s was not imported", x->id.s);
		struct buf why = BUF_INIT;
		if (!record_same(&why, x, y))
			fail_msg("%s: %s", x->id.s, why.data);
		buf_free(&why);
		struct score_result sx, sy;
		score_policy(m, x, &sx);
		score_policy(m, y, &sy);
		assert_int_equal(sx.score, sy.score);
		assert_int_equal(sx.grade, sy.grade);
		const struct audit *ax = record_latest_audit(x);
		const struct audit *ay = record_latest_audit(y);
		assert_true(!ax == !ay);
		if (!ax)
			continue;
		score_flow(m, ax, &sx);
		score_flow(m, ay, &sy);
		assert_int_equal(sx.score, sy.score);
		assert_int_equal(sx.grade, sy.grade);
	}
}

static void write_hand_records(const char *data)
{
	char path[160];
	snprintf(path, sizeof(path), "%s/records", data);
	assert_int_equal(mkdir(path, 0777), 0);
	const struct {
		const char *id;
		const char *text;
	} files[] = { { "harbour-fibre-uk", uk_record },
		      { "northwind-stream", audited_record() } };
	for (size_t i = 0; i < ATLAS_COUNT(files); i++) {
		snprintf(path, sizeof(path), "%s/records/%s.yaml", data,
			 files[i].id);
		write_file(path, files[i].text);
	}
	snprintf(path, sizeof(path), "%s/records/coursera.yaml", data);
	char *text = read_file("data/records/coursera.yaml");
	write_file(path, text);
	free(text);
}

static void our_api_output_gives_the_records_back(void **state)
{
	struct fixture *f = *state;
	write_hand_records(f->data);
	size_t errors, warnings;
	struct dataset *a = load_data(f->data, &errors, &warnings);
	assert_int_equal(errors, 0);
	assert_int_equal(a->nrecords, 3);
	publish(a, f->json, true);

	char empty[128];
	snprintf(empty, sizeof(empty), "%s/empty", f->dir);
	make_data_dir(empty);
	assert_int_equal(run(f, f->json, empty, false, false), 0);
	char want[256];
	snprintf(want, sizeof(want),
		 "imported 3 records into %s/records (0 skipped, 0 score "
		 "differences)\n",
		 empty);
	assert_string_equal(f->report, want);
	assert_string_equal(f->diags, "");
	struct dataset *b = load_data(empty, &errors, &warnings);
	assert_int_equal(errors, 0);
	assert_same_records(a, b);
	dataset_free(a);
	dataset_free(b);
}

static void an_audit_without_evidence_files_is_left_out(void **state)
{
	struct fixture *f = *state;
	write_hand_records(f->data);
	size_t errors, warnings;
	struct dataset *a = load_data(f->data, &errors, &warnings);
	publish(a, f->json, false);
	dataset_free(a);

	char empty[128];
	snprintf(empty, sizeof(empty), "%s/empty", f->dir);
	make_data_dir(empty);
	assert_int_equal(run(f, f->json, empty, false, false), 0);
	assert_has(f->diags,
		   "warning[W111]: companies[2] (northwind-stream): `flow` "
		   "(the audit of 2026-05-03) is left out: the file lists no "
		   "recording or screenshot for it, and an audit stands on "
		   "its evidence files\n");
	assert_has(f->report, "imported 3 records");
	struct dataset *b = load_data(empty, &errors, &warnings);
	assert_int_equal(errors, 0);
	assert_int_equal(dataset_find(b, "northwind-stream")->nflow, 0);
	dataset_free(b);
}

static void a_summarised_audit_with_its_files_is_imported(void **state)
{
	struct fixture *f = *state;
	json_t *c = company("summed");
	with(c, "flow",
	     json_pack(
		     "{s:s, s:i, s:s, s:s, s:i, s:{s:s, s:b, s:i, s:s, s:b, "
		     "s:s, s:f, s:b}, s:[s,s], s:s, s:[{s:s, s:s, s:s}]}",
		     "evidence_tier", "crowd_verified", "score", 93, "grade",
		     "B", "audit_date", "2026-06-10", "audits", 2, "facts",
		     "signup_channel", "online (self-serve)", "online_path", 1,
		     "steps", 2, "retention", "skippable-offer",
		     "channel_symmetry", 1, "confirmation", "immediate",
		     "minutes", 2.5, "clean_exit", 1, "path", "Open Account",
		     "Cancel", "notes", "  ", "evidence", "title", "Recording",
		     "file", "audits/summed/2026-06-10.webm", "sha256",
		     "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12"
		     "ab12ab12"));
	json_t *list = json_array();
	json_array_append_new(list, c);
	write_companies(f->json, list);
	assert_int_equal(run(f, f->json, f->data, false, false), 0);
	assert_string_equal(f->diags, "");
	assert_has(f->report, "summed: the file gives only the latest of its 2 "
			      "flow audits\n");
	/* 20 + 20 + 10.5 + 15 + 10 + 7.5 + 10 = 93, an A: a skippable offer
	 * is no mandatory retention step. */
	assert_has(f->report, "summed: the file says flow 93/B; the audit "
			      "gives 93/A (CES-1.1)\n");
	size_t errors, warnings;
	struct dataset *ds = load_data(f->data, &errors, &warnings);
	assert_int_equal(errors, 0);
	const struct record *r = dataset_find(ds, "summed");
	assert_int_equal(r->nflow, 1);
	const struct audit *a = r->flow;
	assert_int_equal(a->tier, AUDIT_CROWD_VERIFIED);
	assert_int_equal(a->signup_channel, CHANNEL_ONLINE);
	assert_int_equal(a->date.days, date_from_ymd(2026, 6, 10));
	assert_int_equal(a->npath, 2);
	assert_null(a->notes.s);
	assert_true(a->minutes.v == 2.5);
	assert_string_equal(a->evidence->file.s,
			    "audits/summed/2026-06-10.webm");
	dataset_free(ds);
}

static void stated_scores_that_differ_are_reported(void **state)
{
	struct fixture *f = *state;
	write_hand_records(f->data);
	size_t errors, warnings;
	struct dataset *a = load_data(f->data, &errors, &warnings);
	publish(a, f->json, true);
	dataset_free(a);
	json_error_t err;
	json_t *root = json_load_file(f->json, 0, &err);
	json_t *list = json_object_get(root, "companies");
	for (size_t i = 0; i < json_array_size(list); i++) {
		json_t *c = json_array_get(list, i);
		const char *id = json_string_value(json_object_get(c, "id"));
		if (!strcmp(id, "coursera"))
			with(c, "policy.score", json_integer(81));
		if (!strcmp(id, "northwind-stream"))
			with(c, "flow.grade", json_string("A"));
	}
	assert_int_equal(json_dump_file(root, f->json, 0), 0);
	json_decref(root);

	char empty[128];
	snprintf(empty, sizeof(empty), "%s/empty", f->dir);
	make_data_dir(empty);
	assert_int_equal(run(f, f->json, empty, false, false), 0);
	assert_has(f->report, "coursera: the file says 81/B; the levels give "
			      "79/B (CES-1.1)\n");
	assert_has(f->report, "northwind-stream: the file says flow 85/A; the "
			      "audit gives 85/B (CES-1.1)\n");
	assert_has(f->report, "(0 skipped, 2 score differences)\n");
}

static void generated_data_round_trips(void **state)
{
	struct fixture *f = *state;
	char gen_dir[128];
	snprintf(gen_dir, sizeof(gen_dir), "%s/gen", f->dir);
	size_t errors, warnings;
	/* An empty records/ is a data folder too; read its industries. */
	char records[128];
	snprintf(records, sizeof(records), "%s/records", f->data);
	assert_int_equal(mkdir(records, 0777), 0);
	struct dataset *ind = load_data(f->data, &errors, &warnings);
	assert_int_equal(gen_records(gen_dir, 300, 9, test_today(),
				     ind->industries, ind->nindustries, NULL),
			 0);
	dataset_free(ind);
	struct dataset *a = load_data(gen_dir, &errors, &warnings);
	assert_int_equal(errors, 0);
	publish(a, f->json, true);
	assert_int_equal(run(f, f->json, f->data, false, false), 0);
	assert_int_equal(f->st.imported, 300);
	assert_int_equal(f->st.differences, 0);
	assert_string_equal(f->diags, "");
	struct dataset *b = load_data(f->data, &errors, &warnings);
	assert_int_equal(errors, 0);
	assert_same_records(a, b);
	size_t audited = 0;
	for (size_t i = 0; i < b->nrecords; i++)
		audited += b->records[i]->nflow > 0;
	assert_true(audited > 10);
	dataset_free(a);
	dataset_free(b);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(reference_file_imports_as_expected),
		T(existing_records_are_not_overwritten),
		T(dry_run_writes_nothing),
		T(json_syntax_error_has_line_and_column),
		T(duplicate_json_keys_are_refused),
		T(text_in_memory_imports_as_the_file_does),
		T(unusable_inputs),
		T(unusable_companies_are_skipped),
		T(published_companies_are_not_skipped),
		T(the_checker_has_the_last_word),
		T(ids_jurisdictions_and_industries),
		T(bare_array_and_single_company),
		T(our_api_output_gives_the_records_back),
		T(an_audit_without_evidence_files_is_left_out),
		T(a_summarised_audit_with_its_files_is_imported),
		T(stated_scores_that_differ_are_reported),
		T(generated_data_round_trips),
	};
	return cmocka_run_group_tests_name("import", tests, NULL, NULL);
}
