/*
 * test_history.c - a record's history from a real git repository made in
 * a temporary folder with the git command: the change sentence of SPEC.md
 * (79 → 72, refund_disclosed 100 → 50), a rename, a version that does not
 * load, a merge, a change of the methodology in force, the cache, and the
 * cases without history (no repository, a shallow clone).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "histprint.h"
#include "history.h"

struct repo {
	char dir[64];
	char data[96];
	char cache[96];
};

/* Run a shell command in the repository's folder; it must succeed. */
static void sh(const struct repo *r, const char *fmt, ...) ATLAS_PRINTF(2, 3);

static void sh(const struct repo *r, const char *fmt, ...)
{
	struct buf cmd = BUF_INIT;
	buf_printf(&cmd,
		   "cd '%s' && export GIT_AUTHOR_NAME=Ed "
		   "GIT_AUTHOR_EMAIL=ed@example.com GIT_COMMITTER_NAME=Ed "
		   "GIT_COMMITTER_EMAIL=ed@example.com "
		   "GIT_CONFIG_NOSYSTEM=1 HOME='%s' && (",
		   r->dir, r->dir);
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	buf_puts(&cmd, ") >/dev/null 2>&1");
	int rc = system(cmd.data);
	if (rc != 0)
		fail_msg("command failed (%d): %s", rc, cmd.data);
	buf_free(&cmd);
}

/* Commit everything with committer and author date @day (YYYY-MM-DD). */
static void commit(const struct repo *r, const char *day, const char *msg)
{
	sh(r,
	   "git add -A && GIT_COMMITTER_DATE='%sT12:00:00Z' "
	   "GIT_AUTHOR_DATE='%sT12:00:00Z' git commit -q -m '%s'",
	   day, day, msg);
}

static const char *edit_refund_50 =
	"sed -i 's/refund_disclosed: 100/refund_disclosed: 50/; "
	"s/^why:/why:\\n  refund_disclosed: One refund window, not per "
	"plan./' data/records/coursera.yaml";

/* A repository whose data folder holds the shipped Coursera record. */
static int setup(void **state)
{
	struct repo *r = xcalloc(1, sizeof(*r));
	strcpy(r->dir, "/tmp/atlas-history.XXXXXX");
	if (!mkdtemp(r->dir))
		return -1;
	snprintf(r->data, sizeof(r->data), "%s/data", r->dir);
	snprintf(r->cache, sizeof(r->cache), "%s/history.cache", r->dir);
	char cwd[4096];
	if (!getcwd(cwd, sizeof(cwd)))
		return -1;
	sh(r,
	   "mkdir -p data/records && cp '%s/data/industries.yaml' "
	   "'%s/data/site.yaml' data/ && cp '%s/data/records/coursera.yaml' "
	   "data/records/",
	   cwd, cwd, cwd);
	*state = r;
	return 0;
}

static int teardown(void **state)
{
	struct repo *r = *state;
	struct buf cmd = BUF_INIT;
	buf_printf(&cmd, "rm -rf '%s'", r->dir);
	if (system(cmd.data) != 0)
		fprintf(stderr, "could not remove %s\n", r->dir);
	buf_free(&cmd);
	free(r);
	return 0;
}

/* Two commits of Coursera: created at 79, then refund terms 100 → 50. */
static void make_two_versions(const struct repo *r)
{
	sh(r, "git init -q .");
	commit(r, "2026-06-05", "Add Coursera");
	sh(r, "%s", edit_refund_50);
	commit(r, "2026-06-10",
	       "Coursera: refund terms no longer per plan\n\nThe body.");
}

static struct history *load(const struct repo *r, const char *only_id)
{
	struct history_opts o = { .cache = r->cache, .only_id = only_id };
	return history_load(r->data, &o);
}

static void refund_change_in_words_and_numbers(void **state)
{
	struct repo *r = *state;
	make_two_versions(r);
	struct history *h = load(r, NULL);
	assert_null(history_unavailable(h));
	const struct history_record *rec = history_find(h, "coursera");
	assert_non_null(rec);
	assert_int_equal(rec->nversions, 2);

	const struct history_version *v = &rec->versions[0];
	char date[DATE_ISO_LEN + 1];
	date_format(v->date, date);
	assert_string_equal(date, "2026-06-10");
	assert_string_equal(v->note,
			    "Coursera: refund terms no longer per plan");
	assert_string_equal(v->path, "data/records/coursera.yaml");
	assert_int_equal(strlen(v->short_id), 7);
	assert_int_equal(v->policy.score, 72);
	assert_int_equal(v->policy.grade, 'B');
	assert_int_equal(v->policy.levels[3], 50);
	assert_int_equal(v->nchanges, 1);
	assert_int_equal(v->changes[0].kind, HISTCHANGE_SCORE);
	assert_string_equal(v->changes[0].text,
			    "79 \u2192 72 (B \u2192 B): refund_disclosed 100 "
			    "\u2192 50");
	assert_string_equal(v->changes[0].field, "policy");
	assert_string_equal(v->changes[0].from, "79");
	assert_string_equal(v->changes[0].to, "72");

	v = &rec->versions[1];
	assert_int_equal(v->policy.score, 79);
	assert_string_equal(v->note, "Add Coursera");
	assert_int_equal(v->nchanges, 1);
	assert_int_equal(v->changes[0].kind, HISTCHANGE_CREATED);
	assert_string_equal(v->changes[0].text, "created: 79/100 (B)");
	assert_string_equal(v->methodology, "CES-1.1");
	history_free(h);
}

/* Evidence, the review date and other facts each get their own words. */
static void facts_evidence_and_review(void **state)
{
	struct repo *r = *state;
	sh(r, "git init -q .");
	commit(r, "2026-06-05", "Add Coursera");
	sh(r, "sed -i 's/^reviewed: 2026-06-05/reviewed: 2026-06-20/; "
	      "s/^  offered: false/  offered: true/; "
	      "s|^  - title: Terms of Use . Coursera|  - title: Terms|' "
	      "data/records/coursera.yaml");
	commit(r, "2026-06-20", "Re-checked");
	struct history *h = load(r, "coursera");
	const struct history_record *rec = history_find(h, "coursera");
	assert_int_equal(rec->nversions, 2);
	const struct history_version *v = &rec->versions[0];
	assert_int_equal(v->nchanges, 4);
	assert_string_equal(v->changes[0].text,
			    "evidence added: Terms "
			    "<https://www.coursera.org/about/terms>");
	assert_string_equal(v->changes[1].text,
			    "evidence removed: Terms of Use | Coursera "
			    "<https://www.coursera.org/about/terms>");
	assert_string_equal(v->changes[2].text,
			    "reviewed 2026-06-05 \u2192 2026-06-20");
	assert_int_equal(v->changes[2].kind, HISTCHANGE_REVIEWED);
	assert_string_equal(v->changes[3].text, "pause.offered no \u2192 yes");
	history_free(h);
}

static void rename_is_followed(void **state)
{
	struct repo *r = *state;
	make_two_versions(r);
	sh(r, "git mv data/records/coursera.yaml data/records/coursera-us.yaml "
	      "&& sed -i 's/^id: coursera/id: coursera-us/' "
	      "data/records/coursera-us.yaml");
	commit(r, "2026-06-12", "Coursera is coursera-us");
	struct history *h = load(r, NULL);
	assert_null(history_find(h, "coursera"));
	const struct history_record *rec = history_find(h, "coursera-us");
	assert_non_null(rec);
	assert_int_equal(rec->nversions, 3);
	const struct history_version *v = &rec->versions[0];
	assert_int_equal(v->nchanges, 1);
	assert_int_equal(v->changes[0].kind, HISTCHANGE_RENAMED);
	assert_string_equal(
		v->changes[0].text,
		"renamed from coursera (data/records/coursera.yaml)");
	assert_string_equal(v->changes[0].from, "coursera");
	assert_string_equal(v->changes[0].to, "coursera-us");
	assert_string_equal(v->path, "data/records/coursera-us.yaml");
	assert_string_equal(rec->versions[1].path,
			    "data/records/coursera.yaml");
	assert_int_equal(rec->versions[1].policy.score, 72);
	assert_int_equal(rec->versions[2].changes[0].kind, HISTCHANGE_CREATED);
	history_free(h);
}

/*
 * A version that does not load is listed, skipped with the reason, and
 * the next one is compared with the last that loaded.
 */
static void broken_version_is_skipped(void **state)
{
	struct repo *r = *state;
	make_two_versions(r);
	sh(r, "sed -i 's/cancel_url: 50/cancel_url: 55/' "
	      "data/records/coursera.yaml");
	commit(r, "2026-06-11", "A slip");
	sh(r, "sed -i 's/cancel_url: 55/cancel_url: 75/' "
	      "data/records/coursera.yaml");
	commit(r, "2026-06-12", "Mended");
	struct history *h = load(r, "coursera");
	const struct history_record *rec = history_find(h, "coursera");
	assert_int_equal(rec->nversions, 4);
	const struct history_version *bad = &rec->versions[1];
	assert_non_null(bad->skipped);
	char prefix[64];
	snprintf(prefix, sizeof(prefix),
		 "%s:data/records/coursera.yaml:", bad->short_id);
	assert_true(!strncmp(bad->skipped, prefix, strlen(prefix)));
	assert_non_null(strstr(bad->skipped,
			       "error[E012]: cancel_url must be one of 0, 25, "
			       "50, 75, 100 (got 55)"));
	const struct history_version *v = &rec->versions[0];
	assert_null(v->skipped);
	assert_int_equal(v->nchanges, 1);
	/* cancel_url 50 → 75 adds 30 x 25 hundredths: 7150 + 750 → 79. */
	assert_string_equal(
		v->changes[0].text,
		"72 \u2192 79 (B \u2192 B): cancel_url 50 \u2192 75");
	history_free(h);
}

/* A merge counts by what it brought to the first parent's line. */
static void merge_counts_against_first_parent(void **state)
{
	struct repo *r = *state;
	sh(r, "git init -q -b main .");
	commit(r, "2026-06-05", "Add Coursera");
	sh(r, "git checkout -q -b edits && %s", edit_refund_50);
	commit(r, "2026-06-08", "On a branch");
	sh(r, "git checkout -q main && touch data/notes && git add -A && "
	      "GIT_COMMITTER_DATE=2026-06-09T12:00:00Z git commit -q -m "
	      "Other && GIT_COMMITTER_DATE=2026-06-10T12:00:00Z git merge -q "
	      "--no-ff -m 'Merge the refund edit' edits");
	struct history *h = load(r, "coursera");
	const struct history_record *rec = history_find(h, "coursera");
	assert_int_equal(rec->nversions, 2);
	assert_string_equal(rec->versions[0].note, "Merge the refund edit");
	assert_string_equal(rec->versions[0].changes[0].text,
			    "79 \u2192 72 (B \u2192 B): refund_disclosed 100 "
			    "\u2192 50");
	history_free(h);
}

/*
 * The methodology in force on each version's date is named, and its
 * change is an entry of its own before the fact changes.
 */
static void methodology_change_is_its_own_entry(void **state)
{
	struct repo *r = *state;
	make_two_versions(r);
	struct method old = *method_current(), now = *method_current();
	old.version = "CES-1.0";
	old.since = "2020-01-01";
	now.since = "2026-06-07";
	const struct method *published[] = { &old, &now };
	struct history_opts o = { .no_cache = true,
				  .published = published,
				  .npublished = 2 };
	struct history *h = history_load(r->data, &o);
	const struct history_record *rec = history_find(h, "coursera");
	assert_int_equal(rec->nversions, 2);
	assert_string_equal(rec->versions[1].methodology, "CES-1.0");
	const struct history_version *v = &rec->versions[0];
	assert_string_equal(v->methodology, "CES-1.1");
	assert_int_equal(v->nchanges, 2);
	assert_int_equal(v->changes[0].kind, HISTCHANGE_METHODOLOGY);
	assert_string_equal(v->changes[0].text,
			    "methodology CES-1.0 \u2192 CES-1.1");
	assert_int_equal(v->changes[1].kind, HISTCHANGE_SCORE);
	history_free(h);
}

static char *history_json(struct history *h, const char *id)
{
	json_t *j = histprint_json(method_current(), history_find(h, id),
				   history_unavailable(h));
	char *s = json_dumps(j, JSON_SORT_KEYS);
	json_decref(j);
	return s;
}

/* A second read takes every commit from the cache, with the same result;
 * after one more commit only that one is read from git. */
static void cache_reads_only_new_commits(void **state)
{
	struct repo *r = *state;
	make_two_versions(r);
	struct history *h = load(r, NULL);
	assert_int_equal(history_stats(h).commits, 2);
	assert_int_equal(history_stats(h).commits_read, 2);
	char *first = history_json(h, "coursera");
	history_free(h);

	h = load(r, NULL);
	assert_int_equal(history_stats(h).commits_read, 0);
	assert_int_equal(history_stats(h).blobs_loaded, 0);
	char *again = history_json(h, "coursera");
	assert_string_equal(first, again);
	history_free(h);

	sh(r, "sed -i 's/cancel_url: 50/cancel_url: 75/' "
	      "data/records/coursera.yaml");
	commit(r, "2026-06-12", "Steps published");
	h = load(r, NULL);
	assert_int_equal(history_stats(h).commits, 3);
	assert_int_equal(history_stats(h).commits_read, 1);
	const struct history_record *rec = history_find(h, "coursera");
	assert_int_equal(rec->nversions, 3);
	assert_int_equal(rec->versions[1].policy.score, 72);
	assert_string_equal(rec->versions[1].changes[0].text,
			    "79 \u2192 72 (B \u2192 B): refund_disclosed 100 "
			    "\u2192 50");
	history_free(h);
	free(first);
	free(again);
}

/* A commit dated before its parent (a clock behind) is still read when
 * the parent is cached. */
static void commit_older_than_its_parent(void **state)
{
	struct repo *r = *state;
	make_two_versions(r);
	history_free(load(r, NULL));
	sh(r, "sed -i 's/cancel_url: 50/cancel_url: 75/' "
	      "data/records/coursera.yaml");
	commit(r, "2026-01-01", "Clock behind");
	struct history *h = load(r, NULL);
	assert_null(history_unavailable(h));
	assert_int_equal(history_stats(h).commits_read, 1);
	const struct history_record *rec = history_find(h, "coursera");
	assert_int_equal(rec->nversions, 3);
	assert_string_equal(rec->versions[0].note, "Clock behind");
	assert_string_equal(
		rec->versions[0].changes[0].text,
		"72 \u2192 79 (B \u2192 B): cancel_url 50 \u2192 75");
	history_free(h);
}

/* A cache file that is cut short or garbled is not used, never trusted. */
static void damaged_cache_is_ignored(void **state)
{
	struct repo *r = *state;
	make_two_versions(r);
	history_free(load(r, NULL));
	sh(r, "head -c 300 history.cache > c && mv c history.cache");
	struct history *h = load(r, NULL);
	assert_int_equal(history_stats(h).commits_read, 2);
	assert_int_equal(history_find(h, "coursera")->versions[0].policy.score,
			 72);
	history_free(h);
}

static void no_repository_gives_the_current_version(void **state)
{
	struct repo *r = *state;
	struct history *h = load(r, "coursera");
	assert_non_null(history_unavailable(h));
	assert_non_null(strstr(history_unavailable(h), "no git repository"));
	const struct history_record *rec = history_find(h, "coursera");
	assert_non_null(rec);
	assert_int_equal(rec->nversions, 1);
	assert_string_equal(rec->versions[0].commit, "");
	assert_int_equal(rec->versions[0].policy.score, 79);
	assert_null(history_find(h, "no-such-record"));
	history_free(h);
}

static void shallow_clone_says_why(void **state)
{
	struct repo *r = *state;
	make_two_versions(r);
	sh(r, "git clone -q --depth 1 file://'%s' shallow", r->dir);
	struct buf data = BUF_INIT;
	buf_printf(&data, "%s/shallow/data", r->dir);
	struct history_opts o = { .no_cache = true };
	struct history *h = history_load(data.data, &o);
	assert_non_null(history_unavailable(h));
	assert_non_null(strstr(history_unavailable(h), "shallow clone"));
	const struct history_record *rec = history_find(h, "coursera");
	assert_int_equal(rec->nversions, 1);
	assert_int_equal(rec->versions[0].policy.score, 72);
	history_free(h);
	buf_free(&data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			refund_change_in_words_and_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(facts_evidence_and_review,
						setup, teardown),
		cmocka_unit_test_setup_teardown(rename_is_followed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(broken_version_is_skipped,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			merge_counts_against_first_parent, setup, teardown),
		cmocka_unit_test_setup_teardown(
			methodology_change_is_its_own_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(cache_reads_only_new_commits,
						setup, teardown),
		cmocka_unit_test_setup_teardown(commit_older_than_its_parent,
						setup, teardown),
		cmocka_unit_test_setup_teardown(damaged_cache_is_ignored, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			no_repository_gives_the_current_version, setup,
			teardown),
		cmocka_unit_test_setup_teardown(shallow_clone_says_why, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
