/*
 * cmd_check.c - `cancelatlas check`: every problem in every record, as a
 * compiler says them, then a count.
 */
#include "cli.h"
#include "buf.h"
#include "buildkey.h"
#include "cmd.h"
#include "dataset.h"
#include "date.h"
#include "diag.h"
#include "parsecache.h"
#include "statcache.h"

#include <stdio.h>
#include <unistd.h>

static void list_codes(void)
{
	enum diag_code code;
	for (size_t i = 0; (code = diag_code_at(i)) != 0; i++)
		printf("%s %s\n", diag_code_str(code), diag_code_summary(code));
}

/*
 * The caches a build keeps in its site folder @site (statcache.h,
 * parsecache.h), only read: a record whose file is as that build saw it
 * is taken from them, and not checked again when it passed the same
 * checks with nothing to say, so check says what it says reading every
 * file. Nothing is set when @site holds none.
 */
static void open_caches(const char *site, struct dataset_opts *opts)
{
	uint64_t program = buildkey_program();
	struct statcache *files = statcache_open(site, program);
	if (!statcache_files(files)) {
		statcache_free(files);
		return;
	}
	struct buf note = BUF_INIT;
	opts->files = files;
	opts->parsed = parsecache_open(site, program, &note);
	opts->caches_read_only = true;
	if (note.len)
		fprintf(stderr, "cancelatlas: %s\n", note.data);
	buf_free(&note);
}

int cmd_check(int argc, char **argv)
{
	int status = 0, c;
	const char *site = "site";
	while ((c = cli_next_option("check", argc, argv, "o:", "out list-codes",
				    &status)) != -1) {
		if (c == -2)
			return status;
		if (c == CLI_OPT_OUT)
			site = optarg;
		if (c == CLI_OPT_LIST_CODES) {
			list_codes();
			return 0;
		}
	}
	if ((status = cli_no_argument("check", argc, argv)) != 0 ||
	    (status = cli_require_data(true)) != 0)
		return status;
	struct diag *d = diag_new();
	struct dataset *ds;
	struct dataset_opts opts = { .today = date_today(),
				     .site = SITEINFO_EXPECTED };
	if (isatty(STDERR_FILENO))
		opts.progress = cli_progress_bar;
	open_caches(site, &opts);
	int rc = dataset_load(cli_data_dir(), &opts, d, &ds);
	parsecache_free(opts.parsed);
	statcache_free(opts.files);
	status = cli_finish_diag(d, ds ? ds->files : 0, rc == 0);
	if (rc != 0)
		status = CLI_EXIT_USAGE;
	dataset_free(ds);
	diag_free(d);
	return status;
}
