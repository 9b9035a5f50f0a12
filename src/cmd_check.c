/*
 * cmd_check.c - `cancelatlas check`: every problem in every record, as a
 * compiler says them, then a count.
 */
#include "cli.h"
#include "cmd.h"
#include "dataset.h"
#include "date.h"
#include "diag.h"

#include <stdio.h>
#include <unistd.h>

static void list_codes(void)
{
	enum diag_code code;
	for (size_t i = 0; (code = diag_code_at(i)) != 0; i++)
		printf("%s %s\n", diag_code_str(code), diag_code_summary(code));
}

int cmd_check(int argc, char **argv)
{
	int status = 0, c;
	while ((c = cli_next_option("check", argc, argv, "", "list-codes",
				    &status)) != -1) {
		if (c == -2)
			return status;
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
	int rc = dataset_load(cli_data_dir(), &opts, d, &ds);
	status = cli_finish_diag(d, ds ? ds->files : 0, rc == 0);
	if (rc != 0)
		status = CLI_EXIT_USAGE;
	dataset_free(ds);
	diag_free(d);
	return status;
}
