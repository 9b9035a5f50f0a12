/*
 * test_dataset.c - the files of a data folder come from pull requests:
 * only regular files of at most 1 MiB are read, anything else is refused
 * by name without being read (nor waited on), a records folder that
 * cannot be listed is an error and never an empty dataset, and the
 * diagnostic printer reads back nothing the loader would not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "buf.h"
#include "datafile.h"
#include "dataset.h"
#include "diag.h"

#include "fixture.h"

static char *root;

static int setup(void **state)
{
	(void)state;
	root = fixture_dir_new("dataset");
	/* A read that blocks fails the test instead of hanging the suite. */
	alarm(20);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	alarm(0);
	/* A test may leave the records folder unreadable. */
	char *records = fixture_path(root, "data/records");
	chmod(records, 0755);
	free(records);
	fixture_dir_remove(root);
	return 0;
}

static char *path_of(const char *rel)
{
	return fixture_path(root, rel);
}

static void write_file(const char *rel, const char *text, size_t len)
{
	fixture_write_file(root, rel, text, len);
}

static void link_to(const char *target, const char *rel)
{
	char *p = path_of(rel);
	assert_int_equal(symlink(target, p), 0);
	free(p);
}

/* Read @rel: the return code, with what was said about it in @said. */
static int read_rel(const char *rel, char **said)
{
	char *p = path_of(rel);
	struct diag *d = diag_new();
	char *text = NULL;
	size_t len = 0;
	int rc = datafile_read(p, d, &text, &len);
	if (rc != 0)
		assert_null(text);
	free(text);
	*said = fixture_diag_printed(d);
	diag_free(d);
	free(p);
	return rc;
}

static void regular_files_up_to_one_mib_are_read(void **state)
{
	(void)state;
	char *big = xmalloc(DATAFILE_MAX + 1);
	memset(big, '#', DATAFILE_MAX + 1);
	write_file("max.yaml", big, DATAFILE_MAX);
	write_file("over.yaml", big, DATAFILE_MAX + 1);
	free(big);

	char *p = path_of("max.yaml");
	struct diag *d = diag_new();
	char *text;
	size_t len;
	assert_int_equal(datafile_read(p, d, &text, &len), 0);
	assert_int_equal(len, DATAFILE_MAX);
	assert_int_equal(text[len], '\0');
	assert_int_equal(diag_count(d, DIAG_ERROR), 0);
	free(text);
	free(p);
	diag_free(d);

	char *said;
	assert_int_equal(read_rel("over.yaml", &said), -2);
	assert_non_null(strstr(said, "over.yaml: error[E033]: too large "
				     "(1048577 bytes)"));
	free(said);

	/* A file that cannot be read is the caller's to describe. */
	assert_int_equal(read_rel("missing.yaml", &said), -1);
	assert_int_equal(errno, ENOENT);
	assert_string_equal(said ? said : "", "");
	free(said);
}

/* Links (to a secret, to the environment, to /dev/zero), FIFOs, devices,
 * sockets and folders are refused by what they are, and nothing of them
 * is read or shown; a FIFO is not waited on. */
static void anything_but_a_regular_file_is_refused_unread(void **state)
{
	(void)state;
	write_file("secret.txt", "SECRET_TOKEN=hunter2\n", 21);
	link_to("secret.txt", "link.yaml");
	link_to("/proc/self/environ", "environ.yaml");
	link_to("/dev/zero", "zero.yaml");
	char *p = path_of("fifo.yaml");
	assert_int_equal(mkfifo(p, 0644), 0);
	free(p);
	p = path_of("folder.yaml");
	assert_int_equal(mkdir(p, 0755), 0);
	free(p);
	p = path_of("socket.yaml");
	int sock = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", p);
	assert_int_equal(bind(sock, (struct sockaddr *)&addr, sizeof(addr)), 0);
	free(p);

	static const struct {
		const char *rel, *kind;
	} cases[] = {
		{ "link.yaml", "a symbolic link" },
		{ "environ.yaml", "a symbolic link" },
		{ "zero.yaml", "a symbolic link" },
		{ "fifo.yaml", "a FIFO" },
		{ "folder.yaml", "a folder" },
		{ "socket.yaml", "a socket" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *said;
		assert_int_equal(read_rel(cases[i].rel, &said), -2);
		struct buf want = BUF_INIT;
		buf_printf(&want, "%s: error[E032]: not a regular file (%s)",
			   cases[i].rel, cases[i].kind);
		assert_non_null(strstr(said, want.data));
		assert_null(strstr(said, "hunter2"));
		assert_null(strstr(said, "PATH="));
		buf_free(&want);
		free(said);
	}
	close(sock);

	/* A device named directly, as a data folder given as /dev would. */
	struct diag *d = diag_new();
	char *text;
	size_t len;
	assert_int_equal(datafile_read("/dev/null", d, &text, &len), -2);
	char *said = fixture_diag_printed(d);
	assert_non_null(strstr(said, "not a regular file (a character "
				     "device)"));
	free(said);
	diag_free(d);
}

/* A file whose size says little (like those of /proc) is still read no
 * further than one byte past the limit. */
static void a_file_larger_than_its_size_is_cut_at_the_limit(void **state)
{
	(void)state;
	/* /proc/self/maps has size 0 and names the file of each mapping:
	 * 400 mappings of a file whose path is ~3,600 bytes long make it
	 * ~1.4 MiB. */
	struct buf path = BUF_INIT;
	buf_puts(&path, root);
	for (int level = 0; level < 14; level++) {
		buf_putc(&path, '/');
		for (int i = 0; i < 250; i++)
			buf_putc(&path, 'a');
		assert_int_equal(mkdir(path.data, 0755), 0);
	}
	buf_puts(&path, "/mapped");
	int fd = open(path.data, O_RDWR | O_CREAT, 0644);
	assert_true(fd >= 0);
	size_t page = (size_t)sysconf(_SC_PAGESIZE), n = 400;
	assert_int_equal(ftruncate(fd, (off_t)page), 0);
	void *maps[400];
	for (size_t i = 0; i < n; i++) {
		maps[i] = mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 0);
		assert_true(maps[i] != MAP_FAILED);
	}
	close(fd);
	struct stat st;
	assert_int_equal(stat("/proc/self/maps", &st), 0);
	assert_true(S_ISREG(st.st_mode) && st.st_size == 0);

	struct diag *d = diag_new();
	char *text;
	size_t len;
	assert_int_equal(datafile_read("/proc/self/maps", d, &text, &len), -2);
	char *said = fixture_diag_printed(d);
	assert_non_null(strstr(said, "error[E033]: too large (more than "
				     "1048576 bytes)"));
	free(said);
	diag_free(d);
	for (size_t i = 0; i < n; i++)
		munmap(maps[i], page);
	buf_free(&path);
}

/* DIR/data with the shipped settings and record. */
static void make_data(void)
{
	char *data = path_of("data");
	fixture_shipped_data(data);
	free(data);
}

/* dataset_load() of DIR: its return code, the records it read and what
 * it said. */
static int load(size_t *records, char **said)
{
	char *dir = path_of("data");
	struct dataset_opts opts = { .today = date_today() };
	struct diag *d = diag_new();
	struct dataset *ds;
	int rc = dataset_load(dir, &opts, d, &ds);
	*records = ds ? ds->nrecords : 0;
	*said = fixture_diag_printed(d);
	dataset_free(ds);
	diag_free(d);
	free(dir);
	return rc;
}

/* DIR/records moved aside, and a file in its place. */
static void records_made_a_file(void)
{
	char *records = path_of("data/records"), *aside = path_of("aside");
	assert_int_equal(rename(records, aside), 0);
	write_file("data/records", "not a folder\n", 13);
	free(records);
	free(aside);
}

/* Then a link to the folder aside in place of that file. */
static void records_made_a_link(void)
{
	char *records = path_of("data/records"), *aside = path_of("aside");
	assert_int_equal(unlink(records), 0);
	assert_int_equal(symlink(aside, records), 0);
	free(records);
	free(aside);
}

static int build(const char *out_rel, struct diag *d)
{
	char *data = path_of("data"), *out = path_of(out_rel);
	int rc = fixture_site_build(data, out, d, NULL);
	free(data);
	free(out);
	return rc;
}

/* A records folder that cannot be listed is an error, so a build keeps
 * the last good site rather than publishing one of 0 records. */
static void an_unlistable_records_folder_is_an_error(void **state)
{
	(void)state;
	make_data();
	size_t n;
	char *said;
	assert_int_equal(load(&n, &said), 0);
	assert_int_equal(n, 1);
	free(said);
	struct diag *d = diag_new();
	assert_int_equal(build("site", d), 0);
	diag_free(d);

	/* Not root: a folder without read permission. */
	char *records = path_of("data/records");
	if (geteuid() != 0) {
		assert_int_equal(chmod(records, 0), 0);
		assert_int_equal(load(&n, &said), 0);
		assert_non_null(strstr(said, "/data/records: error[E001]: "
					     "cannot list records: Permission "
					     "denied"));
		free(said);
		d = diag_new();
		assert_int_equal(build("site", d), 1);
		diag_free(d);
		assert_int_equal(chmod(records, 0755), 0);
	}

	records_made_a_file();
	assert_int_equal(load(&n, &said), 0);
	assert_int_equal(n, 0);
	assert_non_null(strstr(said, "/data/records: error[E001]: cannot list "
				     "records: Not a directory"));
	free(said);
	d = diag_new();
	assert_int_equal(build("site", d), 1);
	assert_int_equal(diag_count(d, DIAG_ERROR), 1);
	diag_free(d);

	/* The records of a link are not the data folder's own. */
	records_made_a_link();
	assert_int_equal(load(&n, &said), 0);
	assert_int_equal(n, 0);
	assert_non_null(strstr(said, "/data/records: error[E032]: not a "
				     "folder (a symbolic link)"));
	free(said);
	d = diag_new();
	assert_int_equal(build("site", d), 1);
	diag_free(d);

	char *page = path_of("site/c/coursera/index.html");
	struct stat st;
	assert_int_equal(stat(page, &st), 0);
	free(page);
	free(records);
}

/* The printer reads source lines back from the file: not through a link
 * that replaced it since, and not from a FIFO (which would block). */
static void the_printer_reads_back_only_regular_files(void **state)
{
	(void)state;
	write_file("secret.txt", "SECRET_TOKEN=hunter2\n", 21);
	link_to("secret.txt", "link.yaml");
	char *fifo = path_of("fifo.yaml"), *link = path_of("link.yaml");
	assert_int_equal(mkfifo(fifo, 0644), 0);
	write_file("plain.yaml", "id: acme\n", 9);
	char *plain = path_of("plain.yaml");

	struct diag *d = diag_new();
	diag_add(d, DIAG_BAD_VALUE, link, 1, 1, "was a record");
	diag_add(d, DIAG_BAD_VALUE, fifo, 1, 1, "was a record");
	diag_add(d, DIAG_BAD_VALUE, plain, 1, 5, "is one");
	char *said = fixture_diag_printed(d);
	assert_null(strstr(said, "hunter2"));
	assert_non_null(strstr(said, "plain.yaml:1:5: error[E025]: is one\n"
				     "    1 | id: acme\n"));
	/* The plain file's line is the only one shown. */
	const char *line = strstr(said, "    1 |");
	assert_non_null(line);
	assert_null(strstr(line + 1, "    1 |"));
	free(said);
	diag_free(d);
	free(fifo);
	free(link);
	free(plain);
}

int main(void)
{
	setenv("SOURCE_DATE_EPOCH", "1782864000", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			regular_files_up_to_one_mib_are_read, setup, teardown),
		cmocka_unit_test_setup_teardown(
			anything_but_a_regular_file_is_refused_unread, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			a_file_larger_than_its_size_is_cut_at_the_limit, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			an_unlistable_records_folder_is_an_error, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			the_printer_reads_back_only_regular_files, setup,
			teardown),
	};
	return cmocka_run_group_tests_name("dataset", tests, NULL, NULL);
}
