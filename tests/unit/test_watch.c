/*
 * test_watch.c - the watcher of `serve --watch` on a real folder: a save
 * calls back once per burst, scratch files never, folders made later are
 * watched, the skipped folder is not; and where the reload script's tag
 * goes in a page.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "fixture.h"
#include "livereload.h"
#include "watch.h"

static atomic_int calls;

static void on_change(void *user)
{
	(void)user;
	atomic_fetch_add(&calls, 1);
}

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&t, NULL);
}

/* Wait up to 3 s for at least @n calls; then a little more, so that an
 * extra call would show. */
static int wait_calls(int n)
{
	for (int i = 0; i < 300 && atomic_load(&calls) < n; i++)
		sleep_ms(10);
	sleep_ms(200);
	return atomic_load(&calls);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	fixture_write_file(dir, name, text, strlen(text));
}

static void test_names(void **state)
{
	(void)state;
	assert_false(watch_name_ignored("coursera.yaml"));
	assert_false(watch_name_ignored("record.mustache"));
	assert_false(watch_name_ignored("site.yaml"));
	assert_true(watch_name_ignored(".coursera.yaml.swp"));
	assert_true(watch_name_ignored("coursera.yaml.swp"));
	assert_true(watch_name_ignored("coursera.yaml~"));
	assert_true(watch_name_ignored("4913"));
	assert_true(watch_name_ignored("#coursera.yaml#"));
	assert_true(watch_name_ignored(".#coursera.yaml"));
	assert_true(watch_name_ignored("x.yaml.tmp"));
	assert_true(watch_name_ignored(".git"));
	assert_true(watch_name_ignored(""));
}

static void test_watching(void **state)
{
	(void)state;
	char *dir = fixture_dir_new("watch");
	char records[600], out[600], sub[700];
	snprintf(records, sizeof(records), "%s/records", dir);
	snprintf(out, sizeof(out), "%s/site", dir);
	assert_int_equal(mkdir(records, 0755), 0);
	assert_int_equal(mkdir(out, 0755), 0);
	const char *dirs[] = { dir };
	struct buf err = BUF_INIT;
	struct watch *w = watch_start(dirs, 1, out, WATCH_DEBOUNCE_MS,
				      on_change, NULL, &err);
	assert_non_null(w);
	assert_int_equal(watch_folders(w), 2); /* dir, records; not site */

	/* A burst of saves: one call. */
	for (int i = 0; i < 5; i++)
		write_file(records, "a.yaml", "id: a\n");
	assert_int_equal(wait_calls(1), 1);

	/* A rename over the file. */
	write_file(records, ".a.yaml.tmp", "id: a2\n");
	char from[700], to[700];
	snprintf(from, sizeof(from), "%s/.a.yaml.tmp", records);
	snprintf(to, sizeof(to), "%s/a.yaml", records);
	assert_int_equal(rename(from, to), 0);
	assert_int_equal(wait_calls(2), 2);

	/* Scratch files, and the output folder: nothing. */
	write_file(records, ".a.yaml.swp", "x");
	write_file(records, "a.yaml~", "x");
	write_file(out, "index.html", "x");
	sleep_ms(300);
	assert_int_equal(atomic_load(&calls), 2);

	/* A folder made now: it calls, and so does a file in it. */
	snprintf(sub, sizeof(sub), "%s/more", records);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(wait_calls(3), 3);
	assert_int_equal(watch_folders(w), 3);
	write_file(sub, "b.yaml", "id: b\n");
	assert_int_equal(wait_calls(4), 4);

	/* A deletion. */
	assert_int_equal(unlink(to), 0);
	assert_int_equal(wait_calls(5), 5);

	watch_stop(w);
	buf_free(&err);
	fixture_dir_remove(dir);
}

static void test_missing_folder(void **state)
{
	(void)state;
	const char *dirs[] = { "/nonexistent/folder/for/test_watch" };
	struct buf err = BUF_INIT;
	struct watch *w = watch_start(dirs, 1, NULL, WATCH_DEBOUNCE_MS,
				      on_change, NULL, &err);
	assert_null(w);
	assert_non_null(strstr(buf_cstr(&err), "cannot watch "
					       "/nonexistent/folder/for/"
					       "test_watch"));
	buf_free(&err);
}

static void test_inject(void **state)
{
	(void)state;
	struct livereload *lr = livereload_new();
	struct buf out = BUF_INIT;
	const char page[] =
		"<html><body><p>a</body> text</p>\n</BODY>\n</html>";
	assert_true(livereload_inject(lr, page, sizeof(page) - 1, &out));
	const char *tag =
		strstr(buf_cstr(&out), "<script src=\"" LIVERELOAD_SCRIPT
				       "\" data-watch-build=\"");
	assert_non_null(tag);
	/* Before the last </body>, whatever its case. */
	assert_non_null(strstr(tag, " defer></script>\n</BODY>\n</html>"));
	assert_non_null(
		strstr(buf_cstr(&out), "<p>a</body> text</p>\n<script"));
	assert_int_equal(strncmp(out.data, page, (size_t)(tag - out.data)), 0);

	/* No </body>: at the end. A build changes the id. */
	buf_reset(&out);
	livereload_built(lr, NULL);
	assert_true(livereload_inject(lr, "<p>x", 4, &out));
	assert_int_equal(strncmp(out.data, "<p>x<script", 11), 0);
	assert_non_null(strstr(out.data, "-1\" defer></script>\n"));
	buf_free(&out);
	livereload_close(lr);
	livereload_free(lr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_watching),
		cmocka_unit_test(test_missing_folder),
		cmocka_unit_test(test_inject),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
