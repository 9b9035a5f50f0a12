/*
 * cmd_import.c - `cancelatlas import FILE`: companies.json back into
 * record files of the data folder.
 */
#include "cli.h"
#include "cmd.h"
#include "import.h"

#include <stdio.h>

int cmd_import(int argc, char **argv)
{
	int status = 0, c;
	bool force = false, dry_run = false;
	while ((c = cli_next_option("import", argc, argv, "", "force dry-run",
				    &status)) != -1) {
		if (c == -2)
			return status;
		if (c == CLI_OPT_FORCE)
			force = true;
		if (c == CLI_OPT_DRY_RUN)
			dry_run = true;
	}
	if (optind + 1 != argc)
		return cli_usage_error("import", "%s",
				       "import takes one JSON file");
	/* Importing may start a data folder: records/ is made if missing. */
	if ((status = cli_require_data(false)) != 0)
		return status;
	enum import_outcome done =
		import_command(argv[optind], cli_data_dir(), force, dry_run,
			       cli_use_color(), stdout);
	return done == IMPORT_NO_DATA  ? CLI_EXIT_USAGE
	       : done == IMPORT_ERRORS ? CLI_EXIT_DATA
				       : 0;
}
