/*
 * test_safefile.c - whole files read: every byte, whatever the size
 * against the read's chunk and the limit; a file that says it has no
 * size (/proc) read to its end; links, FIFOs and folders refused
 * without hanging.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "safefile.h"

static char dir[] = "/tmp/test_safefile.XXXXXX";

/* DIR/NAME holds @len bytes of a pattern; returns them (caller frees). */
static char *make_file(const char *name, size_t len)
{
	char *data = malloc(len + 1);
	assert_non_null(data);
	for (size_t i = 0; i < len; i++)
		data[i] = (char)('a' + (i * 7 + i / 251) % 26);
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return data;
}

static int dirfd_open(void)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	return fd;
}

static void sizes_around_chunk_and_limit(void **state)
{
	(void)state;
	const size_t max = 200000;
	const size_t sizes[] = { 0,	1,     4095,   4096,	65535,
				 65536, 65537, 131073, max - 1, max };
	int fd = dirfd_open();
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char *want = make_file("f", sizes[i]);
		struct buf b = BUF_INIT;
		buf_puts(&b, "kept:");
		struct stat st;
		assert_int_equal(safefile_read(fd, "f", max, &b, &st),
				 SAFEFILE_OK);
		assert_int_equal(b.len, 5 + sizes[i]);
		assert_memory_equal(b.data, "kept:", 5);
		if (sizes[i])
			assert_memory_equal(b.data + 5, want, sizes[i]);
		assert_int_equal(b.data[b.len], '\0');
		buf_free(&b);

		char path[256];
		snprintf(path, sizeof(path), "%s/f", dir);
		size_t len = 99;
		char *all = safefile_read_all(path, &len);
		assert_non_null(all);
		assert_int_equal(len, sizes[i]);
		if (sizes[i])
			assert_memory_equal(all, want, sizes[i]);
		assert_int_equal(all[len], '\0');
		free(all);
		free(want);
	}
	close(fd);
}

static void past_the_limit(void **state)
{
	(void)state;
	const size_t max = 70000;
	int fd = dirfd_open();
	const size_t sizes[] = { max + 1, 3 * max };
	for (size_t i = 0; i < 2; i++) {
		char *want = make_file("big", sizes[i]);
		struct buf b = BUF_INIT;
		struct stat st;
		assert_int_equal(safefile_read(fd, "big", max, &b, &st),
				 SAFEFILE_TOO_LARGE);
		assert_int_equal(b.len, max);
		assert_memory_equal(b.data, want, max);
		assert_int_equal(st.st_size, (off_t)sizes[i]);
		buf_free(&b);
		free(want);
	}
	close(fd);
}

/* /proc says a size of 0 for files that hold text: read to the end. */
static void no_size_read_to_the_end(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct stat st;
	assert_int_equal(
		safefile_read(AT_FDCWD, "/proc/self/status", 1 << 20, &b, &st),
		SAFEFILE_OK);
	assert_int_equal(st.st_size, 0);
	assert_non_null(strstr(b.data, "\nPid:"));
	assert_int_equal(b.data[b.len - 1], '\n');
	buf_free(&b);
}

/* A FIFO with a writer that never writes: refused, not waited on; so are
 * a link and a folder. */
static void not_regular(void **state)
{
	(void)state;
	char path[256];
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	int keep = open(path, O_RDWR | O_NONBLOCK);
	assert_true(keep >= 0);
	free(make_file("target", 10));
	snprintf(path, sizeof(path), "%s/link", dir);
	assert_int_equal(symlink("target", path), 0);
	snprintf(path, sizeof(path), "%s/sub", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	int fd = dirfd_open();
	const char *names[] = { "fifo", "link", "sub" };
	for (size_t i = 0; i < 3; i++) {
		struct buf b = BUF_INIT;
		buf_puts(&b, "kept");
		struct stat st;
		assert_int_equal(safefile_read(fd, names[i], 100, &b, &st),
				 SAFEFILE_NOT_REGULAR);
		assert_string_equal(b.data, "kept");
		buf_free(&b);
	}
	close(fd);
	close(keep);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	const char *names[] = { "f", "big", "fifo", "target", "link" };
	char path[256];
	for (size_t i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/sub", dir);
	rmdir(path);
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sizes_around_chunk_and_limit),
		cmocka_unit_test(past_the_limit),
		cmocka_unit_test(no_size_read_to_the_end),
		cmocka_unit_test(not_regular),
	};
	return cmocka_run_group_tests_name("safefile", tests, setup, teardown);
}
