/*
 * cmd_gen.c - `cancelatlas gen N --out DIR`: a data folder of N fictional
 * records, with the industries and site settings of the data folder.
 */
#include "cli.h"
#include "arena.h"
#include "cmd.h"
#include "datafile.h"
#include "dataset.h"
#include "date.h"
#include "diag.h"
#include "gen.h"
#include "siteinfo.h"
#include "yaml_load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_gen(int argc, char **argv)
{
	int status = 0, c;
	uint64_t seed = 1, n;
	const char *out = NULL;
	while ((c = cli_next_option("gen", argc, argv, "s:o:", "seed out",
				    &status)) != -1) {
		if (c == -2)
			return status;
		if (c == CLI_OPT_SEED && !cli_parse_u64(optarg, &seed))
			return cli_usage_error(
				"gen", "--seed needs a number, not '%s'",
				optarg);
		if (c == CLI_OPT_OUT)
			out = optarg;
	}
	if (optind + 2 == argc && !out)
		return cli_unexpected_argument("gen", argv[optind + 1], "out");
	if (optind + 1 != argc)
		return cli_usage_error("gen", "%s",
				       "gen takes the number of records");
	if (!cli_parse_u64(argv[optind], &n) || n == 0 || n > 10000000)
		return cli_usage_error("gen",
				       "'%s' is not a record count (a whole "
				       "number from 1 to 10000000)",
				       argv[optind]);
	if (!out)
		return cli_usage_error(
			"gen", "%s",
			"gen needs --out DIR, the folder to write");
	if ((status = cli_require_data(false)) != 0)
		return status;

	/* The industries come from the data folder, so generated records
	 * use exactly the list the checker will accept. */
	struct diag *d = diag_new();
	struct arena *arena = arena_new();
	struct industry_list industries;
	if (dataset_industries_read(cli_data_dir(), arena, d, &industries) ==
	    -1)
		diag_add(d, DIAG_IO, industries.file, 0, 0, "cannot read: %s",
			 strerror(errno));
	/* The site settings too, checked, so the new folder builds. */
	struct site_info site;
	siteinfo_load(cli_data_dir(), NULL, SITEINFO_REQUIRED, arena, d, &site);
	status = cli_finish_diag(d, 0, false);
	if (!status && !industries.n) {
		fprintf(stderr, "cancelatlas: %s lists no industry\n",
			industries.file);
		status = CLI_EXIT_DATA;
	}
	struct gen_report report;
	if (!status && gen_records(out, (size_t)n, seed, date_today(),
				   industries.v, industries.n, &report))
		status = CLI_EXIT_DATA;
	if (!status) {
		size_t len;
		char *text;
		if (datafile_read(site.file, d, &text, &len) != 0 ||
		    gen_write_settings(out, text, len, &report))
			status = CLI_EXIT_DATA;
		free(text);
	}
	if (!status)
		gen_report_print(stdout, out, seed, &report);
	arena_free(arena);
	diag_free(d);
	return status;
}
