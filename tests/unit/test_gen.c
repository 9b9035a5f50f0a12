/*
 * test_gen.c - the fictional-data generator and the record skeleton.
 *
 * One data folder of 2,000 generated records is written and loaded once;
 * the tests then check it the way `cancelatlas check` and the scorer see
 * it: no diagnostics at all, the intended grade spread, audits whose flow
 * grades and gaps vary, unique ids and example.com URLs only. Other tests
 * write their own small folders beside it.
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
#include "gen.h"
#include "skeleton.h"
#include "method.h"
#include "safefile.h"
#include "score.h"

#include "fixture.h"

#define NRECORDS 2000
#define SEED	 7

static const char *const industry_names[][2] = {
	{ "Streaming", "streaming" },
	{ "Software / SaaS", "software-saas" },
	{ "E-learning", "e-learning" },
	{ "Gym & fitness", "gym-fitness" },
	{ "Dating apps", "dating-apps" },
	{ "News & publishing", "news-publishing" },
	{ "Retail & membership", "retail-membership" },
	{ "Music & audio", "music-audio" },
	{ "Telecom & ISP", "telecom-isp" },
	{ "Antivirus & VPN", "antivirus-vpn" },
	{ "Insurance", "insurance" },
	{ "Home security", "home-security" },
	{ "Meal kits & food", "meal-kits-food" },
	{ "Gaming subscriptions", "gaming-subscriptions" },
	{ "Fitness apps", "fitness-apps" },
	{ "Telehealth & Rx", "telehealth-rx" },
	{ "Food delivery", "food-delivery" },
	{ "Identity & credit monitoring", "identity-credit-monitoring" },
	{ "AI tools", "ai-tools" },
	{ "Audiobooks", "audiobooks" },
	{ "Consumer advocacy", "consumer-advocacy" },
	{ "Pet care", "pet-care" }, /* one the generator has no words for */
};
#define NINDUSTRIES ATLAS_COUNT(industry_names)

struct fixture {
	char *root; /* a scratch folder */
	char main_dir[272];
	struct industry industries[NINDUSTRIES];
	date_days today;
	struct dataset *ds;
	size_t errors, warnings;
};

static struct fixture fx;

/* ---- helpers --------------------------------------------------------- */

static char *path_of(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = malloc(n);
	snprintf(p, n, "%s/%s", a, b);
	return p;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every record file name of @dir/records, sorted; caller frees. */
static char **list_records(const char *dir, size_t *n)
{
	char *records = path_of(dir, "records");
	DIR *dp = opendir(records);
	assert_non_null(dp);
	size_t cap = 16;
	char **names = malloc(cap * sizeof(*names));
	*n = 0;
	struct dirent *de;
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (*n == cap)
			names = realloc(names, (cap *= 2) * sizeof(*names));
		names[(*n)++] = strdup(de->d_name);
	}
	closedir(dp);
	free(records);
	qsort(names, *n, sizeof(*names), name_cmp);
	return names;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* The whole folder as one string: each file's name, then its bytes. */
static char *folder_bytes(const char *dir, size_t *len)
{
	struct buf b = BUF_INIT;
	char *ind = path_of(dir, "industries.yaml");
	size_t flen;
	char *text = safefile_read_all(ind, &flen);
	assert_non_null(text);
	buf_put(&b, text, flen);
	free(text);
	free(ind);
	size_t n;
	char **names = list_records(dir, &n);
	for (size_t i = 0; i < n; i++) {
		char *rel = path_of("records", names[i]);
		char *p = path_of(dir, rel);
		text = safefile_read_all(p, &flen);
		assert_non_null(text);
		buf_printf(&b, "\n== %s\n", names[i]);
		buf_put(&b, text, flen);
		free(text);
		free(p);
		free(rel);
	}
	free_names(names, n);
	return buf_detach(&b, len);
}

/* The diagnostics of loading @dir, as printed; caller frees. */
static char *load_diag(const char *dir, size_t *errors, size_t *warnings)
{
	struct diag *d = diag_new();
	struct dataset *ds = NULL;
	struct dataset_opts opts = { .today = fx.today };
	assert_int_equal(dataset_load(dir, &opts, d, &ds), 0);
	*errors = diag_count(d, DIAG_ERROR);
	*warnings = diag_count(d, DIAG_WARNING);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	diag_print(d, f, false);
	fclose(f);
	dataset_free(ds);
	diag_free(d);
	return out;
}

/* gen_records() with stderr caught; the message goes to @err. */
static int gen_quiet(const char *dir, size_t n, uint64_t seed, char *err,
		     size_t size)
{
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	FILE *tmp = tmpfile();
	assert_non_null(tmp);
	dup2(fileno(tmp), STDERR_FILENO);
	int rc = gen_records(dir, n, seed, fx.today, fx.industries, NINDUSTRIES,
			     NULL);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	size_t got = fread(err, 1, size - 1, tmp);
	err[got] = '\0';
	fclose(tmp);
	return rc;
}

static bool is_example_url(const char *s)
{
	return s && !strncmp(s, "https://example.com/", 20);
}

/* ---- fixture --------------------------------------------------------- */

static int teardown(void **state);

/* On failure cmocka skips the group teardown, so clean up here. */
static int setup(void **state)
{
	(void)state;
	memset(&fx, 0, sizeof(fx));
	fx.root = fixture_dir_new("gen");
	for (size_t i = 0; i < NINDUSTRIES; i++) {
		fx.industries[i].name.s = industry_names[i][0];
		fx.industries[i].name.len = strlen(industry_names[i][0]);
		fx.industries[i].slug.s = industry_names[i][1];
		fx.industries[i].slug.len = strlen(industry_names[i][1]);
	}
	fx.today = date_from_ymd(2026, 7, 1);
	snprintf(fx.main_dir, sizeof(fx.main_dir), "%s/main", fx.root);
	if (gen_records(fx.main_dir, NRECORDS, SEED, fx.today, fx.industries,
			NINDUSTRIES, NULL)) {
		teardown(state);
		return -1;
	}
	struct diag *d = diag_new();
	struct dataset_opts opts = { .today = fx.today };
	int rc = dataset_load(fx.main_dir, &opts, d, &fx.ds);
	fx.errors = diag_count(d, DIAG_ERROR);
	fx.warnings = diag_count(d, DIAG_WARNING);
	if (fx.errors || fx.warnings)
		diag_print(d, stderr, false);
	diag_free(d);
	if (rc)
		teardown(state);
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	dataset_free(fx.ds);
	fixture_dir_remove(fx.root);
	fx.root = NULL;
	return 0;
}

/* ---- generated records ---------------------------------------------- */

static void test_records_pass_check(void **state)
{
	(void)state;
	assert_non_null(fx.ds);
	assert_int_equal(fx.ds->nrecords, NRECORDS);
	assert_int_equal(fx.ds->nindustries, NINDUSTRIES);
	assert_int_equal(fx.errors, 0);
	assert_int_equal(fx.warnings, 0);
}

static void test_same_seed_same_bytes(void **state)
{
	(void)state;
	char *again = path_of(fx.root, "again");
	char *other = path_of(fx.root, "other");
	assert_int_equal(gen_records(again, NRECORDS, SEED, fx.today,
				     fx.industries, NINDUSTRIES, NULL),
			 0);
	assert_int_equal(gen_records(other, NRECORDS / 10, SEED + 1, fx.today,
				     fx.industries, NINDUSTRIES, NULL),
			 0);
	size_t la, lb, lc;
	char *a = folder_bytes(fx.main_dir, &la);
	char *b = folder_bytes(again, &lb);
	char *c = folder_bytes(other, &lc);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	assert_true(la != lc || memcmp(a, c, la) != 0);

	/* Another day moves the dates, and only the dates. */
	char *later = path_of(fx.root, "later");
	assert_int_equal(gen_records(later, 50, SEED, fx.today + 1,
				     fx.industries, NINDUSTRIES, NULL),
			 0);
	size_t n;
	char **names = list_records(later, &n);
	assert_int_equal(n, 50);
	free_names(names, n);

	free(a);
	free(b);
	free(c);
	free(again);
	free(other);
	free(later);
}

static void test_grade_spread(void **state)
{
	(void)state;
	const struct method *m = method_current();
	size_t count[5] = { 0 }, fee = 0, refund = 0, pause = 0, us = 0;
	size_t subdivision = 0;
	size_t per_industry[NINDUSTRIES] = { 0 };
	for (size_t i = 0; i < fx.ds->nrecords; i++) {
		const struct record *r = fx.ds->records[i];
		struct score_result s;
		score_policy(m, r, &s);
		const char *at = strchr("ABCDF", s.grade);
		assert_non_null(at);
		count[at - "ABCDF"]++;
		if (s.grade == 'A') {
			assert_false(r->exit_fee.v);
			assert_int_equal(s.levels[0], 100);
		}
		fee += r->exit_fee.v;
		refund += r->refund_page.s != NULL;
		pause += r->pause_offered.v;
		us += !strcmp(r->jurisdiction.s, "US");
		subdivision += strlen(r->jurisdiction.s) > 2;
		for (size_t k = 0; k < NINDUSTRIES; k++)
			per_industry[k] +=
				!strcmp(r->industry.s, industry_names[k][0]);
	}
	size_t n = fx.ds->nrecords;
	/* Per mille of records: A 5-8 %, B and C 30-35 %, D 15-20 %,
	 * F 5-8 %. */
	assert_in_range(count[0] * 1000 / n, 50, 80);
	assert_in_range(count[1] * 1000 / n, 300, 350);
	assert_in_range(count[2] * 1000 / n, 300, 350);
	assert_in_range(count[3] * 1000 / n, 150, 200);
	assert_in_range(count[4] * 1000 / n, 50, 80);
	assert_in_range(us * 1000 / n, 500, 600);
	assert_true(subdivision > 0);
	assert_true(fee > n / 20);
	assert_true(refund > n / 5);
	assert_true(pause > n / 20);
	for (size_t k = 0; k < NINDUSTRIES; k++)
		assert_true(per_industry[k] > 0);
}

static void test_audits_vary(void **state)
{
	(void)state;
	const struct method *m = method_current();
	size_t audited = 0, twice = 0, dark = 0, with_path = 0;
	size_t letters[5] = { 0 };
	int min_gap = 100, max_gap = -100;
	for (size_t i = 0; i < fx.ds->nrecords; i++) {
		const struct record *r = fx.ds->records[i];
		if (!r->nflow)
			continue;
		audited++;
		twice += r->nflow > 1;
		for (size_t j = 0; j < r->nflow; j++) {
			const struct audit *a = &r->flow[j];
			assert_true(a->date.days <= fx.today);
			if (a->npath) {
				with_path++;
				assert_int_equal(a->npath, (size_t)a->steps.v);
			}
			for (size_t e = 0; e < a->nevidence; e++) {
				assert_int_equal(a->evidence[e].sha256.len, 64);
				assert_true(!strncmp(a->evidence[e].file.s,
						     "audits/", 7));
				assert_non_null(
					strstr(a->evidence[e].file.s, r->id.s));
			}
		}
		struct score_result p, f;
		score_policy(m, r, &p);
		score_flow(m, record_latest_audit(r), &f);
		letters[strchr("ABCDF", f.grade) - "ABCDF"]++;
		int gap = p.score - f.score;
		min_gap = gap < min_gap ? gap : min_gap;
		max_gap = gap > max_gap ? gap : max_gap;
		dark += (p.grade == 'A' || p.grade == 'B') &&
			(f.grade == 'D' || f.grade == 'F');
	}
	size_t n = fx.ds->nrecords;
	assert_in_range(audited * 1000 / n, 100, 200);
	assert_true(twice > 0 && twice < audited);
	assert_true(with_path > 0);
	size_t distinct = 0;
	for (size_t k = 0; k < 5; k++)
		distinct += letters[k] > 0;
	assert_true(distinct >= 4);
	assert_true(min_gap < 0);   /* flows easier than their policy */
	assert_true(max_gap >= 50); /* good policy, hard flow */
	assert_true(dark > 0);
}

static void test_ids_and_urls(void **state)
{
	(void)state;
	size_t n = fx.ds->nrecords;
	const char **ids = malloc(n * sizeof(*ids));
	for (size_t i = 0; i < n; i++) {
		const struct record *r = fx.ds->records[i];
		ids[i] = r->id.s;
		assert_true(r->fictional.set && r->fictional.v);
		assert_true(is_example_url(r->official_page.s));
		assert_true(!r->refund_page.s ||
			    is_example_url(r->refund_page.s));
		assert_true(!r->deletion_url.s ||
			    is_example_url(r->deletion_url.s));
		for (size_t e = 0; e < r->nevidence; e++)
			assert_true(is_example_url(r->evidence[e].url.s));
		/* Names are invented words plus a trade word. */
		assert_non_null(strchr(r->name.s, ' '));
		assert_true(r->summary.len > 40);
	}
	qsort(ids, n, sizeof(*ids), name_cmp);
	for (size_t i = 1; i < n; i++)
		assert_string_not_equal(ids[i - 1], ids[i]);
	free(ids);
}

static void test_refuses_non_empty(void **state)
{
	(void)state;
	char *dir = path_of(fx.root, "small");
	size_t before, after;
	assert_int_equal(gen_records(dir, 12, 3, fx.today, fx.industries,
				     NINDUSTRIES, NULL),
			 0);
	char *first = folder_bytes(dir, &before);
	/* A smaller run must not leave records of the bigger one. */
	char err[512];
	assert_int_equal(gen_quiet(dir, 5, 3, err, sizeof(err)), -1);
	assert_true(!strncmp(err, "cancelatlas: ", 13));
	assert_non_null(strstr(err, "not empty"));
	char *second = folder_bytes(dir, &after);
	assert_int_equal(before, after);
	assert_memory_equal(first, second, before);

	/* Missing parents are created. */
	char *deep = path_of(fx.root, "a/b/c");
	assert_int_equal(gen_records(deep, 3, 3, fx.today, fx.industries,
				     NINDUSTRIES, NULL),
			 0);
	size_t e, w;
	free(load_diag(deep, &e, &w));
	assert_int_equal(e + w, 0);

	free(first);
	free(second);
	free(deep);
	free(dir);
}

/* The report counts what was written and says how to check it. */
static void test_report(void **state)
{
	(void)state;
	char *dir = path_of(fx.root, "reported");
	struct gen_report rep;
	assert_int_equal(gen_records(dir, 1234, 5, fx.today, fx.industries,
				     NINDUSTRIES, &rep),
			 0);
	assert_int_equal(rep.records, 1234);
	assert_int_equal(rep.nfiles, 1);
	assert_string_equal(rep.files[0], "industries.yaml");

	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	gen_report_print(f, "my demo/", 5, &rep);
	rep.records = 1;
	rep.files[rep.nfiles++] = "site.yaml";
	gen_report_print(f, "/", 5, &rep);
	fclose(f);
	assert_string_equal(
		text, "wrote 1,234 fictional records to my demo/records (seed "
		      "5), with industries.yaml; check with: cancelatlas "
		      "check --data 'my demo'\n"
		      "wrote 1 fictional record to /records (seed 5), with "
		      "industries.yaml and site.yaml; check with: cancelatlas "
		      "check --data /\n");
	free(text);
	free(dir);
}

/* ---- the skeleton ---------------------------------------------------- */

static const char *const policy_fill[][2] = {
	{ "cancel_url", "75" },	      { "channel_disclosed", "80" },
	{ "notice_disclosed", "50" }, { "refund_disclosed", "50" },
	{ "findability", "85" },
};

static const char *const field_fill[][2] = {
	{ "name", "Acme Stream" },
	{ "industry", "Streaming" },
	{ "jurisdiction", "US" },
	{ "channels", "[online, phone]" },
	{ "summary", "Cancelled online under Account; access runs to the end "
		     "of the month." },
	{ "official_page", "https://example.com/acme/help/cancel" },
	{ "refund_page", "https://example.com/acme/help/refunds" },
	{ "exit_fee", "false" },
	{ "offered", "false" },
	{ "note", "Nothing is said about it." },
	{ "url", "https://example.com/acme/page" },
	{ "title", "How to cancel | Acme Help" },
};

/* The value an editor would write for @key in @section. */
static const char *fill_value(const char *section, const char *key)
{
	if (!strcmp(section, "policy")) {
		for (size_t i = 0; i < ATLAS_COUNT(policy_fill); i++)
			if (!strcmp(policy_fill[i][0], key))
				return policy_fill[i][1];
		return NULL;
	}
	if (!strcmp(section, "why"))
		return "The page leaves this part out.";
	for (size_t i = 0; i < ATLAS_COUNT(field_fill); i++)
		if (!strcmp(field_fill[i][0], key))
			return field_fill[i][1];
	return NULL;
}

/* Replaces the value of every line holding TODO, as an editor would. */
static char *fill_skeleton(const char *text)
{
	struct buf out = BUF_INIT;
	char section[32] = "";
	size_t filled = 0;
	for (const char *line = text; *line;) {
		size_t len = strcspn(line, "\n");
		char *l = strndup(line, len);
		line += len + (line[len] == '\n');
		if (l[0] != ' ' && l[0] != '#' && l[0] != '-') {
			size_t k = strcspn(l, ":");
			snprintf(section, sizeof(section), "%.*s", (int)k, l);
		}
		char *todo = l[0] == '#' ? NULL : strstr(l, "TODO");
		if (!todo) {
			buf_printf(&out, "%s\n", l);
			free(l);
			continue;
		}
		char *colon = strchr(l, ':');
		assert_non_null(colon);
		char *key = l;
		while (*key == ' ' || *key == '-')
			key++;
		char name[32];
		snprintf(name, sizeof(name), "%.*s", (int)(colon - key), key);
		const char *v = fill_value(
			l[0] == ' ' || l[0] == '-' ? section : "", name);
		if (!v)
			fail_msg("no value to fill in for `%s`", name);
		buf_printf(&out, "%.*s %s\n", (int)(colon + 1 - l), l, v);
		filled++;
		free(l);
	}
	assert_true(filled >= 20);
	return buf_detach(&out, NULL);
}

static void test_skeleton(void **state)
{
	(void)state;
	char *dir = path_of(fx.root, "skeleton");
	/* An empty data folder: industries.yaml and records/. */
	assert_int_equal(gen_records(dir, 0, 1, fx.today, fx.industries,
				     NINDUSTRIES, NULL),
			 0);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_int_equal(skeleton_write(f, "acme-stream", fx.today), 0);
	fclose(f);

	assert_non_null(strstr(text, "\nid: acme-stream\n"));
	assert_non_null(strstr(text, "\nreviewed: 2026-07-01\n"));
	assert_non_null(strstr(text, "\n    accessed: 2026-07-01\n"));
	/* Allowed levels and channels come from the tables. */
	const struct method_tier *policy = &method_current()->policy;
	for (size_t i = 0; i < policy->ndims; i++) {
		struct buf want = BUF_INIT;
		buf_printf(&want,
			   "  %s: TODO  # allowed: ", policy->dims[i].id);
		method_levels_put(&policy->dims[i], &want);
		buf_putc(&want, '\n');
		assert_non_null(strstr(text, buf_cstr(&want)));
		buf_free(&want);
	}
	for (int c = 0; c < CHANNEL_COUNT; c++)
		assert_non_null(strstr(text, record_channel_id(c)));

	/* As written, it fails, and only for its placeholders. */
	char *file = path_of(dir, "records/acme-stream.yaml");
	f = fopen(file, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	size_t errors, warnings;
	char *diag = load_diag(dir, &errors, &warnings);
	assert_true(errors >= 20);
	size_t e030 = 0;
	for (const char *p = diag; (p = strstr(p, "error[")) != NULL; p++) {
		assert_true(!strncmp(p, "error[E030]", 11));
		e030++;
	}
	/* A file shows its first 20 problems and counts the rest. */
	const char *more = strstr(diag, " more diagnostics not shown");
	while (more && more > diag && more[-1] >= '0' && more[-1] <= '9')
		more--;
	assert_int_equal(e030 + (more ? strtoul(more, NULL, 10) : 0), errors);
	free(diag);

	/* Filled in, it passes cleanly. */
	char *filled = fill_skeleton(text);
	f = fopen(file, "w");
	assert_non_null(f);
	fputs(filled, f);
	fclose(f);
	diag = load_diag(dir, &errors, &warnings);
	if (errors || warnings)
		fprintf(stderr, "%s\n%s", filled, diag);
	assert_int_equal(errors, 0);
	assert_int_equal(warnings, 0);

	/* An id with a jurisdiction suffix is explained as such. */
	free(text);
	text = NULL;
	f = open_memstream(&text, &len);
	assert_int_equal(skeleton_write(f, "acme-us-ca", fx.today), 0);
	fclose(f);
	assert_non_null(strstr(text, "US-CA"));

	free(diag);
	free(filled);
	free(file);
	free(text);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records_pass_check),
		cmocka_unit_test(test_same_seed_same_bytes),
		cmocka_unit_test(test_grade_spread),
		cmocka_unit_test(test_audits_vary),
		cmocka_unit_test(test_ids_and_urls),
		cmocka_unit_test(test_refuses_non_empty),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_skeleton),
	};
	return cmocka_run_group_tests_name("gen", tests, setup, teardown);
}
