/*
 * cmd_score.c - `cancelatlas score ID`: one record's levels, weights,
 * points, grade and sentence, or its companies.json entry (--json).
 */
#include "cli.h"
#include "cmd.h"
#include "dataset.h"
#include "date.h"
#include "diag.h"
#include "method.h"
#include "opendata.h"
#include "report.h"

#include <stdio.h>

int cmd_score(int argc, char **argv)
{
	int status = 0, c;
	bool json = false;
	const char *id;
	while ((c = cli_next_option("score", argc, argv, "", "json",
				    &status)) != -1)
		if (c == -2)
			return status;
		else if (c == CLI_OPT_JSON)
			json = true;
	if ((status = cli_record_argument("score", argc, argv, &id)) != 0)
		return status;

	struct diag *d = diag_new();
	struct dataset *ds;
	/* The JSON names the record's page, on the site's base URL. */
	struct dataset_opts opts = { .today = date_today(),
				     .only_id = id,
				     .site = json ? SITEINFO_REQUIRED
						  : SITEINFO_OPTIONAL };
	if (dataset_load(cli_data_dir(), &opts, d, &ds) != 0) {
		cli_finish_diag(d, 0, false);
		diag_free(d);
		return CLI_EXIT_USAGE;
	}
	status = cli_finish_diag(d, 0, false);
	const struct record *r = dataset_find(ds, id);
	if (!r && !status)
		status = cli_no_record(id);
	if (!status) {
		const struct method *m = method_current();
		if (json)
			cli_print_json(opendata_company(&ds->site, m, r));
		else
			report_score(stdout, m, r);
	}
	dataset_free(ds);
	diag_free(d);
	return status;
}
