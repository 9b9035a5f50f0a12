/*
 * test_outdir.c - a build that fails half-way leaves the last good site
 * exactly as it was: writes and the final rename are made to fail by
 * injection, as a full disk or a failing device would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "outdir.h"
#include "safefile.h"

#include "fixture.h"

static char *root;

static int setup(void **state)
{
	(void)state;
	root = fixture_dir_new("outdir");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	outdir_fail_hook = NULL;
	fixture_dir_remove(root);
	return 0;
}

static char *path_of(const char *rel)
{
	return fixture_path(root, rel);
}

/* @rel of the scratch folder, or NULL when it cannot be read. */
static char *slurp(const char *rel)
{
	char *p = path_of(rel);
	size_t len;
	char *text = safefile_read_all(p, &len);
	free(p);
	return text;
}

static void write_file(const char *rel, const char *text)
{
	fixture_write_file(root, rel, text, strlen(text));
}

/* Only the site folder is left beside it: no temporary leftovers. */
static void assert_no_leftovers(void)
{
	DIR *d = opendir(root);
	struct dirent *de;
	while ((de = readdir(d)) != NULL)
		if (strstr(de->d_name, ".new-") || strstr(de->d_name, ".old-"))
			fail_msg("leftover %s", de->d_name);
	closedir(d);
	/* Nor what a build replacing files in place writes at the top. */
	char *site = path_of("site");
	d = opendir(site);
	while (d && (de = readdir(d)) != NULL)
		if (!strncmp(de->d_name, ".tmp-", 5) ||
		    !strncmp(de->d_name, ".bak-", 5) ||
		    !strcmp(de->d_name, ".cancelatlas-journal"))
			fail_msg("leftover %s in the site", de->d_name);
	if (d)
		closedir(d);
	free(site);
}

static void commit_replaces_and_abort_discards(void **state)
{
	(void)state;
	struct buf err = BUF_INIT;
	char *site = path_of("site");
	struct outdir *o = outdir_begin(site, &err);
	assert_non_null(o);
	assert_int_equal(outdir_write(o, "a/b/c.txt", "one", 3, &err), 0);
	assert_int_equal(outdir_write(o, "index.html", "1", 1, &err), 0);
	assert_int_equal(outdir_files(o), 2);
	assert_int_equal(outdir_bytes(o), 4);
	assert_int_equal(outdir_commit(o, &err), 0);
	char *text = slurp("site/a/b/c.txt");
	assert_string_equal(text, "one");
	free(text);

	o = outdir_begin(site, &err);
	assert_int_equal(outdir_write(o, "index.html", "2", 1, &err), 0);
	assert_int_equal(outdir_commit(o, &err), 0);
	text = slurp("site/index.html");
	assert_string_equal(text, "2");
	free(text);
	text = slurp("site/a/b/c.txt");
	assert_null(text); /* the old tree is gone, not merged */

	o = outdir_begin(site, &err);
	assert_int_equal(outdir_write(o, "index.html", "3", 1, &err), 0);
	outdir_abort(o);
	text = slurp("site/index.html");
	assert_string_equal(text, "2");
	free(text);
	assert_no_leftovers();
	free(site);
	buf_free(&err);
}

static void refuses_paths_outside(void **state)
{
	(void)state;
	struct buf err = BUF_INIT;
	char *site = path_of("site");
	struct outdir *o = outdir_begin(site, &err);
	const char *bad[] = { "../escape", "/etc/passwd", "a/../../b",
			      "a//b",	   "./a",	  "" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(outdir_write(o, bad[i], "x", 1, &err), -1);
	outdir_abort(o);
	free(site);
	buf_free(&err);
}

static int fail_after;
static const char *fail_op;

static int fail_nth(const char *op, const char *path)
{
	(void)path;
	if (strcmp(op, fail_op))
		return 0;
	return --fail_after < 0;
}

/* A small data folder with the shipped record. */
static void make_data(void)
{
	char *data = path_of("data");
	fixture_shipped_data(data);
	free(data);
}

static int build(struct buf *err)
{
	char *data = path_of("data"), *out = path_of("site");
	struct diag *d = diag_new();
	int rc = fixture_site_build(data, out, d, err);
	diag_free(d);
	free(data);
	free(out);
	return rc;
}

static void failed_builds_keep_the_last_good_site(void **state)
{
	(void)state;
	make_data();
	struct buf err = BUF_INIT;
	assert_int_equal(build(&err), 0);
	char *before = slurp("site/c/coursera/index.html");
	assert_non_null(before);
	assert_non_null(strstr(before, "Coursera scores 79/100"));

	/* The data changes; then writing fails at several points. */
	size_t len;
	char *rec = slurp("data/records/coursera.yaml");
	char *at = strstr(rec, "findability: 70");
	assert_non_null(at);
	memcpy(at, "findability: 85", 15);
	write_file("data/records/coursera.yaml", rec);
	free(rec);
	(void)len;

	/* First as an incremental build, which replaces files in place
	 * (it writes 14: the record's and the shared ones) and must put
	 * back what it replaced; then as a full one (no manifest), which
	 * writes a new folder. */
	char *manifest = path_of("site/.cancelatlas-manifest");
	for (int full = 0; full < 2; full++) {
		int points[] = { 0, 1, 5, full ? 20 : 9 };
		for (size_t i = 0; i < 4; i++) {
			if (full)
				unlink(manifest);
			fail_op = "write";
			fail_after = points[i];
			outdir_fail_hook = fail_nth;
			buf_reset(&err);
			assert_int_equal(build(&err), -1);
			assert_non_null(
				strstr(buf_cstr(&err), "Input/output error"));
			char *after = slurp("site/c/coursera/index.html");
			assert_string_equal(after, before);
			free(after);
			assert_no_leftovers();
		}

		fail_op = "rename";
		fail_after = 0;
		buf_reset(&err);
		assert_int_equal(build(&err), -1);
		char *after = slurp("site/c/coursera/index.html");
		assert_string_equal(after, before);
		free(after);
		assert_no_leftovers();
	}
	free(manifest);

	/* With the device healthy again the new facts are published. */
	outdir_fail_hook = NULL;
	buf_reset(&err);
	assert_int_equal(build(&err), 0);
	char *after = slurp("site/c/coursera/index.html");
	assert_non_null(strstr(after, "Coursera scores 82/100"));
	free(after);
	free(before);
	buf_free(&err);
}

static void bad_data_refuses_the_build(void **state)
{
	(void)state;
	make_data();
	struct buf err = BUF_INIT;
	assert_int_equal(build(&err), 0);
	char *before = slurp("site/index.html");
	write_file("data/records/broken.yaml", "id: broken\nname: [\n");
	assert_int_equal(build(&err), 1);
	char *after = slurp("site/index.html");
	assert_string_equal(after, before);
	free(before);
	free(after);
	assert_no_leftovers();
	buf_free(&err);
}

/* Only an empty folder or one a build wrote is ever replaced: a folder
 * of someone's files, or a file, is refused before anything is written,
 * and keeps every byte. */
static void replaces_only_what_a_build_wrote(void **state)
{
	(void)state;
	struct buf err = BUF_INIT;
	char *mine = path_of("mine");
	mkdir(mine, 0755);
	write_file("mine/notes.txt", "precious");
	assert_null(outdir_begin(mine, &err));
	assert_non_null(
		strstr(buf_cstr(&err), "holds files that no build wrote"));
	char *text = slurp("mine/notes.txt");
	assert_string_equal(text, "precious");
	free(text);
	assert_no_leftovers();

	write_file("file", "also precious");
	char *file = path_of("file");
	buf_reset(&err);
	assert_null(outdir_begin(file, &err));
	assert_non_null(strstr(buf_cstr(&err), "is not a folder"));
	text = slurp("file");
	assert_string_equal(text, "also precious");
	free(text);

	/* An empty folder is taken, and the build marks it as its own. */
	char *empty = path_of("empty");
	mkdir(empty, 0755);
	struct outdir *o = outdir_begin(empty, &err);
	assert_non_null(o);
	assert_int_equal(outdir_write(o, "index.html", "1", 1, &err), 0);
	assert_int_equal(outdir_files(o), 1);
	assert_int_equal(outdir_commit(o, &err), 0);
	text = slurp("empty/" OUTDIR_MARK);
	assert_non_null(text);
	free(text);
	/* So the next build replaces it. */
	o = outdir_begin(empty, &err);
	assert_non_null(o);
	assert_int_equal(outdir_write(o, "index.html", "2", 1, &err), 0);
	assert_int_equal(outdir_commit(o, &err), 0);
	text = slurp("empty/index.html");
	assert_string_equal(text, "2");
	free(text);
	assert_no_leftovers();
	free(mine);
	free(file);
	free(empty);
	buf_free(&err);
}

/* "site/" is the folder "site": the new one is made beside it, so a
 * build through the name with a slash (as a shell completes it) works
 * the first time and every time after. A name of no folder of its own
 * is refused. */
static void trailing_slashes_name_the_folder(void **state)
{
	(void)state;
	struct buf err = BUF_INIT;
	char *site = path_of("site//");
	for (int round = 0; round < 2; round++) {
		struct outdir *o = outdir_begin(site, &err);
		assert_non_null(o);
		assert_int_equal(outdir_write(o, "index.html", "1", 1, &err),
				 0);
		assert_int_equal(outdir_commit(o, &err), 0);
		char *text = slurp("site/index.html");
		assert_string_equal(text, "1");
		free(text);
		assert_no_leftovers();
	}
	const char *none[] = { "", "/", ".", "..", "site/.", "a/../" };
	for (size_t i = 0; i < sizeof(none) / sizeof(*none); i++) {
		buf_reset(&err);
		assert_null(outdir_begin(none[i], &err));
		assert_non_null(strstr(buf_cstr(&err), "names no folder"));
	}
	free(site);
	buf_free(&err);
}

static bool is_dir(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A build of @site in a child process, stopped for good after it has
 * begun and written a file: its pid, once its folder is there. */
static pid_t begin_in_child(const char *site)
{
	int ready[2];
	assert_int_equal(pipe(ready), 0);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		/* Gone with this test, whatever becomes of it. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		struct buf err = BUF_INIT;
		struct outdir *o = outdir_begin(site, &err);
		if (!o ||
		    outdir_write(o, "c/acme/index.html", "12345", 5, &err) != 0)
			_exit(1);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	char c;
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	return child;
}

static void kill_child(pid_t child)
{
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

static size_t swept_by_a_build(const char *site, size_t *bytes)
{
	struct buf err = BUF_INIT;
	struct outdir *o = outdir_begin(site, &err);
	assert_non_null(o);
	size_t n = outdir_swept(o, bytes);
	outdir_abort(o);
	buf_free(&err);
	return n;
}

/*
 * A build killed with SIGKILL leaves its folder beside the site; the next
 * build removes it and counts it, but only once that build is gone: not
 * while it runs, and never a folder without a build's mark.
 */
static void leftovers_of_killed_builds_are_removed(void **state)
{
	(void)state;
	char *site = path_of("site");
	char leftover[128];
	size_t bytes = 0;

	pid_t child = begin_in_child(site);
	snprintf(leftover, sizeof(leftover), "%s.new-%ld", site, (long)child);
	assert_true(is_dir(leftover));
	assert_int_equal(swept_by_a_build(site, &bytes), 0);
	assert_true(is_dir(leftover)); /* still being written */

	kill_child(child);
	assert_true(is_dir(leftover));
	assert_int_equal(swept_by_a_build(site, &bytes), 1);
	assert_false(is_dir(leftover));
	assert_true(bytes >= 5); /* the page, and the marks */
	assert_no_leftovers();

	/* A folder of that name without the mark is not a build's. */
	assert_int_equal(mkdir(leftover, 0755), 0);
	char rel[64];
	snprintf(rel, sizeof(rel), "site.new-%ld/notes.txt", (long)child);
	write_file(rel, "precious");
	assert_int_equal(swept_by_a_build(site, &bytes), 0);
	char *text = slurp(rel);
	assert_string_equal(text, "precious");
	free(text);
	/* Nor is one marked by a build on another host, which cannot be
	 * seen from here. */
	snprintf(rel, sizeof(rel), "site.new-%ld/.cancelatlas-build",
		 (long)child);
	char mark[256];
	snprintf(
		mark, sizeof(mark),
		"pid %ld start 1 pidns pid:[1] boot 0 host elsewhere.invalid\n",
		(long)child);
	write_file(rel, mark);
	assert_int_equal(swept_by_a_build(site, &bytes), 0);
	assert_true(is_dir(leftover));
	free(site);
}

/* A pid reused by an unrelated process does not keep a dead build's
 * folder: the mark's start time differs from the live process's. */
static void a_reused_pid_does_not_keep_a_leftover(void **state)
{
	(void)state;
	char *site = path_of("site");
	pid_t child = begin_in_child(site);
	char rel[64];
	snprintf(rel, sizeof(rel), "site.new-%ld/.cancelatlas-build",
		 (long)child);
	char *mark = slurp(rel);
	assert_non_null(mark);
	long pid;
	unsigned long long start;
	int tail = 0;
	assert_int_equal(
		sscanf(mark, "pid %ld start %llu %n", &pid, &start, &tail), 2);
	assert_true(tail > 0);
	char other[512];
	snprintf(other, sizeof(other), "pid %ld start %llu %s", pid, start + 1,
		 mark + tail);
	write_file(rel, other);
	free(mark);

	size_t bytes = 0;
	assert_int_equal(swept_by_a_build(site, &bytes), 1);
	assert_no_leftovers();
	kill_child(child);
	free(site);
}

/* Build @site whole with @nfiles files, leaving the site it replaced
 * (outdir_leave_replaced()) in @replaced. */
static void build_leaving_replaced(const char *site, size_t nfiles,
				   struct buf *replaced)
{
	struct buf err = BUF_INIT, rel = BUF_INIT;
	struct outdir *o = outdir_begin(site, &err);
	if (!o)
		fail_msg("%s", buf_cstr(&err));
	for (size_t i = 0; i < nfiles; i++) {
		buf_reset(&rel);
		buf_printf(&rel, "c/r%zu/%zu.html", i % 50, i);
		assert_int_equal(outdir_write(o, rel.data, "page", 4, &err), 0);
	}
	outdir_leave_replaced(o, replaced);
	assert_int_equal(outdir_commit(o, &err), 0);
	buf_free(&rel);
	buf_free(&err);
}

/* The pid of the deleter whose folder (@site.old-PID) is beside the site,
 * or 0 when there is none. */
static pid_t deleter_beside(void)
{
	DIR *d = opendir(root);
	pid_t pid = 0;
	for (struct dirent *de; (de = readdir(d)) != NULL;)
		if (!strncmp(de->d_name, "site.old-", 9))
			pid = (pid_t)atol(de->d_name + 9);
	closedir(d);
	return pid;
}

static int stop_before_deleting(const char *op, const char *path)
{
	(void)path;
	if (!strcmp(op, "delete"))
		raise(SIGSTOP);
	return 0;
}

/*
 * The site a build replaced is deleted by a process of its own: the
 * build's call returns at once, the deleter renames the folder after
 * itself and marks it, a build meanwhile leaves it alone, and a deleter
 * killed before its end leaves a folder that the next build removes.
 */
static void a_replaced_site_is_deleted_apart(void **state)
{
	(void)state;
	/* Orphans come to this process, which can then wait for them. */
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	char *site = path_of("site");
	struct buf replaced = BUF_INIT;
	build_leaving_replaced(site, 10, &replaced);
	assert_int_equal(replaced.len, 0); /* nothing was replaced */

	/* A deleter left to run to its end. */
	build_leaving_replaced(site, 10, &replaced);
	assert_true(is_dir(replaced.data));
	assert_int_equal(outdir_delete_detached(replaced.data), 0);
	assert_false(is_dir(replaced.data)); /* taken over */
	int status;
	pid_t deleter = waitpid(-1, &status, 0);
	assert_true(deleter > 0 && deleter != getpid());
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_no_leftovers();

	/* One that stops itself where it would begin to delete: while it
	 * lives, a build leaves its folder alone. */
	outdir_fail_hook = stop_before_deleting;
	build_leaving_replaced(site, 10, &replaced);
	assert_int_equal(outdir_delete_detached(replaced.data), 0);
	outdir_fail_hook = NULL;
	deleter = deleter_beside();
	assert_true(deleter > 0);
	assert_int_equal(waitpid(deleter, &status, WUNTRACED), deleter);
	assert_true(WIFSTOPPED(status));
	char rel[64];
	snprintf(rel, sizeof(rel), "site.old-%ld/.cancelatlas-build",
		 (long)deleter);
	char *mark = slurp(rel);
	assert_non_null(mark);
	long owner = 0;
	assert_int_equal(sscanf(mark, "pid %ld", &owner), 1);
	assert_int_equal(owner, deleter);
	free(mark);
	size_t bytes = 0;
	assert_int_equal(swept_by_a_build(site, &bytes), 0);
	assert_int_equal(deleter_beside(), deleter);

	/* Killed there, it leaves the folder to the next build. */
	kill(deleter, SIGKILL);
	assert_int_equal(waitpid(deleter, NULL, 0), deleter);
	assert_int_equal(swept_by_a_build(site, &bytes), 1);
	assert_no_leftovers();
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 0), 0);
	buf_free(&replaced);
	free(site);
}

static void *wait_for_word(void *arg)
{
	char c;
	(void)!read(*(int *)arg, &c, 1);
	return NULL;
}

/* Beside another thread no child is forked: the folder is deleted
 * before the call returns. */
static void a_threaded_process_deletes_it_itself(void **state)
{
	(void)state;
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	char *site = path_of("site");
	struct buf replaced = BUF_INIT;
	build_leaving_replaced(site, 10, &replaced);
	build_leaving_replaced(site, 10, &replaced);
	assert_true(is_dir(replaced.data));
	int word[2];
	assert_int_equal(pipe(word), 0);
	pthread_t other;
	assert_int_equal(pthread_create(&other, NULL, wait_for_word, &word[0]),
			 0);
	assert_int_equal(outdir_delete_detached(replaced.data), 0);
	assert_false(is_dir(replaced.data));
	assert_no_leftovers();
	/* No deleter was made, running or ended. */
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 0), 0);
	assert_int_equal(write(word[1], "x", 1), 1);
	pthread_join(other, NULL);
	close(word[0]);
	close(word[1]);
	buf_free(&replaced);
	free(site);
}

int main(void)
{
	setenv("SOURCE_DATE_EPOCH", "1782864000", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			commit_replaces_and_abort_discards, setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_paths_outside, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			failed_builds_keep_the_last_good_site, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_data_refuses_the_build,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			replaces_only_what_a_build_wrote, setup, teardown),
		cmocka_unit_test_setup_teardown(
			trailing_slashes_name_the_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(
			leftovers_of_killed_builds_are_removed, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			a_reused_pid_does_not_keep_a_leftover, setup, teardown),
		cmocka_unit_test_setup_teardown(
			a_replaced_site_is_deleted_apart, setup, teardown),
		cmocka_unit_test_setup_teardown(
			a_threaded_process_deletes_it_itself, setup, teardown),
	};
	return cmocka_run_group_tests_name("outdir", tests, NULL, NULL);
}
