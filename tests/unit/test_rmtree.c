/*
 * test_rmtree.c - deleting a folder: everything in it goes, nested
 * folders and a folder of many entries (shared among threads) included;
 * links are deleted, never followed; the entry asked to be kept stays.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rmtree.h"

#include "fixture.h"

static char *root;

static int setup(void **state)
{
	(void)state;
	root = fixture_dir_new("rmtree");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fixture_dir_remove(root);
	return 0;
}

static bool exists(const char *rel)
{
	char *p = fixture_path(root, rel);
	struct stat st;
	bool there = lstat(p, &st) == 0;
	free(p);
	return there;
}

static void make_link(const char *target, const char *rel)
{
	char *p = fixture_path(root, rel);
	assert_int_equal(symlink(target, p), 0);
	free(p);
}

/*
 * A site as a build leaves it, small: files at the top, a folder of a
 * folder per record (more than one thread's share), files in a folder
 * of their own, an empty folder, a FIFO, and links out of it.
 */
static void make_site(void)
{
	char rel[128];
	fixture_write_file(root, "site/index.html", "<p>", 3);
	fixture_write_file(root, "site/.cancelatlas-build", "1", 1);
	for (int i = 0; i < 600; i++) {
		snprintf(rel, sizeof(rel), "site/c/record-%03d/index.html", i);
		fixture_write_file(root, rel, "<p>", 3);
		snprintf(rel, sizeof(rel), "site/c/record-%03d/badge.svg", i);
		fixture_write_file(root, rel, "<svg/>", 6);
	}
	for (int i = 0; i < 300; i++) {
		snprintf(rel, sizeof(rel), "site/share/cards/card-%03d.png", i);
		fixture_write_file(root, rel, "png", 3);
	}
	fixture_write_file(root, "site/a/b/c/d/deep.txt", "deep", 4);
	char *empty = fixture_path(root, "site/empty");
	assert_int_equal(mkdir(empty, 0755), 0);
	free(empty);
	char *fifo = fixture_path(root, "site/c/record-001/fifo");
	assert_int_equal(mkfifo(fifo, 0644), 0);
	free(fifo);
	/* Outside the site: what links point at, which must survive. */
	fixture_write_file(root, "outside/keep.txt", "mine", 4);
	char *outside = fixture_path(root, "outside");
	char *file = fixture_path(root, "outside/keep.txt");
	make_link(outside, "site/c/record-002/to-folder");
	make_link(outside, "site/to-folder");
	make_link(file, "site/share/to-file");
	free(outside);
	free(file);
}

static void deletes_all_and_follows_no_link(void **state)
{
	(void)state;
	make_site();
	char *site = fixture_path(root, "site");
	assert_int_equal(rmtree(site), 0);
	assert_false(exists("site"));
	assert_true(exists("outside/keep.txt"));
	assert_true(exists("outside"));
	/* Gone already: not an error. */
	assert_int_equal(rmtree(site), 0);
	assert_int_equal(rmtree_contents(site, NULL), 0);
	free(site);
}

static void keeps_the_entry_named(void **state)
{
	(void)state;
	make_site();
	char *site = fixture_path(root, "site");
	assert_int_equal(rmtree_contents(site, ".cancelatlas-build"), 0);
	assert_true(exists("site/.cancelatlas-build"));
	assert_false(exists("site/index.html"));
	assert_false(exists("site/c"));
	assert_false(exists("site/share"));
	assert_false(exists("site/empty"));
	assert_false(exists("site/to-folder"));
	assert_true(exists("outside/keep.txt"));
	free(site);
}

/* A link in the place of the folder: the link goes, not its target's
 * files; a plain file goes as itself. */
static void a_link_or_a_file_is_deleted_itself(void **state)
{
	(void)state;
	fixture_write_file(root, "outside/keep.txt", "mine", 4);
	char *outside = fixture_path(root, "outside");
	make_link(outside, "link");
	char *link = fixture_path(root, "link");
	assert_int_equal(rmtree(link), 0);
	assert_false(exists("link"));
	assert_true(exists("outside/keep.txt"));
	/* rmtree_contents() of a link opens nothing through it. */
	make_link(outside, "link");
	assert_int_equal(rmtree_contents(link, NULL), -1);
	assert_true(errno == ENOTDIR || errno == ELOOP);
	assert_true(exists("outside/keep.txt"));
	char *file = fixture_path(root, "outside/keep.txt");
	assert_int_equal(rmtree(file), 0);
	assert_false(exists("outside/keep.txt"));
	free(file);
	free(link);
	free(outside);
}

/* rmtree_contents() of @site where a read-only folder bars the way: as
 * ourselves, or as nobody when we are root (root may delete from a
 * read-only folder). True when it failed with EACCES. */
static bool fails_with_eacces(const char *site, const char *const *owned,
			      size_t n)
{
	if (geteuid() != 0)
		return rmtree_contents(site, NULL) == -1 && errno == EACCES;
	assert_int_equal(chmod(root, 0755), 0);
	for (size_t i = 0; i < n; i++) {
		char *p = fixture_path(root, owned[i]);
		assert_int_equal(lchown(p, 65534, 65534), 0);
		free(p);
	}
	/* The answer comes through a pipe: under valgrind a child's exit
	 * status is valgrind's. */
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char answer =
			setgid(65534) == 0 && setuid(65534) == 0 &&
					rmtree_contents(site, NULL) == -1 &&
					errno == EACCES
				? 'y'
				: 'n';
		_exit(write(fds[1], &answer, 1) == 1 ? 0 : 1);
	}
	close(fds[1]);
	char answer = 0;
	assert_int_equal(read(fds[0], &answer, 1), 1);
	close(fds[0]);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	return answer == 'y';
}

/* What cannot be deleted is said, and the rest goes still. */
static void goes_on_past_a_failure(void **state)
{
	(void)state;
	fixture_write_file(root, "site/locked/a.txt", "a", 1);
	fixture_write_file(root, "site/open/b.txt", "b", 1);
	fixture_write_file(root, "site/c.txt", "c", 1);
	static const char *const owned[] = {
		"site",	     "site/locked",	"site/locked/a.txt",
		"site/open", "site/open/b.txt", "site/c.txt",
	};
	char *locked = fixture_path(root, "site/locked");
	assert_int_equal(chmod(locked, 0555), 0);
	char *site = fixture_path(root, "site");
	assert_true(fails_with_eacces(site, owned, 6));
	assert_true(exists("site/locked/a.txt"));
	assert_false(exists("site/open"));
	assert_false(exists("site/c.txt"));
	assert_int_equal(chmod(locked, 0755), 0);
	assert_int_equal(rmtree(site), 0);
	assert_false(exists("site"));
	free(site);
	free(locked);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(deletes_all_and_follows_no_link,
						setup, teardown),
		cmocka_unit_test_setup_teardown(keeps_the_entry_named, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			a_link_or_a_file_is_deleted_itself, setup, teardown),
		cmocka_unit_test_setup_teardown(goes_on_past_a_failure, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
