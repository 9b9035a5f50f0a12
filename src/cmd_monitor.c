/*
 * cmd_monitor.c - `cancelatlas monitor`: fetch the pages the records cite,
 * keep each new version, and say what changed since each review.
 */
#include "cli.h"
#include "buf.h"
#include "cmd.h"
#include "dataset.h"
#include "date.h"
#include "diag.h"
#include "internal.h"
#include "monitor.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The records to watch, loaded and checked: those of @ids (@nids), or
 * every record when there are none. Returns 0 with *@ds set, or the exit
 * status of what was said instead.
 */
static int load_records(const char **ids, size_t nids, struct dataset **ds)
{
	struct diag *d = diag_new();
	struct dataset_opts opts = { .today = date_today(),
				     .only_id = nids == 1 ? ids[0] : NULL,
				     .site = SITEINFO_OPTIONAL };
	int rc = dataset_load(cli_data_dir(), &opts, d, ds);
	int status = 0;
	cli_finish_diag(d, 0, false);
	if (rc != 0 || diag_count(d, DIAG_ERROR)) {
		if (rc == 0)
			fprintf(stderr,
				"cancelatlas: monitor refused: %zu error%s in "
				"the data\n",
				diag_count(d, DIAG_ERROR),
				diag_count(d, DIAG_ERROR) == 1 ? "" : "s");
		status = rc != 0 ? CLI_EXIT_USAGE : CLI_EXIT_DATA;
		dataset_free(*ds);
		*ds = NULL;
	}
	diag_free(d);
	return status;
}

/* Fetch the pages of @records (@n) into the store @db and report. */
static int watch(const struct dataset *ds, const struct record **records,
		 size_t n, const char *db, bool json, struct monitor_opts *mo)
{
	int status = 0;
	mo->site = &ds->site;
	mo->log = getenv("CANCELATLAS_MONITOR_LOG") ? stderr : NULL;
	struct buf path = BUF_INIT, err = BUF_INIT;
	cli_db_path(db, &path);
	struct store *store = store_open(path.data, STORE_CREATE, 0, &err);
	if (!store) {
		fprintf(stderr, "cancelatlas: %s\n", buf_cstr(&err));
		status = CLI_EXIT_DATA;
	} else if (monitor_run(store, records, n, mo, &err) != 0 ||
		   (status = monitor_report(store, records, n, json, stdout,
					    &err)) < 0) {
		fprintf(stderr, "cancelatlas: monitor: %s\n", buf_cstr(&err));
		status = CLI_EXIT_DATA;
	}
	store_close(store);
	buf_free(&path);
	buf_free(&err);
	return status;
}

int cmd_monitor(int argc, char **argv)
{
	struct monitor_opts mo = {
		.delay_ms = MONITOR_DELAY_MS,
		.timeout_ms = MONITOR_TIMEOUT_MS,
		.max_bytes = MONITOR_MAX_BYTES,
		.retries = MONITOR_RETRIES,
	};
	const char *db = NULL;
	bool json = false;
	const char **ids = xcalloc((size_t)argc + 1, sizeof(*ids));
	size_t nids = 0;
	int status = 0, c;
	uint64_t v;
	while ((c = cli_next_option("monitor", argc, argv, "",
				    "db only json delay timeout max-bytes "
				    "retries",
				    &status)) != -1) {
		if (c == -2)
			goto done;
		if (c == CLI_OPT_DB)
			db = optarg;
		else if (c == CLI_OPT_ONLY)
			ids[nids++] = optarg;
		else if (c == CLI_OPT_JSON)
			json = true;
		else if (c == CLI_OPT_DELAY && cli_parse_u64(optarg, &v) &&
			 v <= 600000)
			mo.delay_ms = (long)v;
		else if (c == CLI_OPT_TIMEOUT && cli_parse_u64(optarg, &v) &&
			 v && v <= 600000)
			mo.timeout_ms = (long)v;
		else if (c == CLI_OPT_MAX_BYTES && cli_parse_u64(optarg, &v) &&
			 v && v <= 1u << 30)
			mo.max_bytes = (size_t)v;
		else if (c == CLI_OPT_RETRIES && cli_parse_u64(optarg, &v) &&
			 v <= 10)
			mo.retries = (int)v;
		else {
			status = cli_usage_error(
				"monitor", "'%s' is not a valid %s", optarg,
				c == CLI_OPT_DELAY ? "delay (0 to 600000 ms)"
				: c == CLI_OPT_TIMEOUT
					? "timeout (1 to 600000 ms)"
				: c == CLI_OPT_MAX_BYTES
					? "size (1 to 1073741824 bytes)"
					: "number of retries (0 to 10)");
			goto done;
		}
	}
	/* --only a b c: the words after --only are ids too. */
	for (; optind < argc; optind++) {
		if (!nids) {
			status = cli_unexpected_argument("monitor",
							 argv[optind], "only");
			goto done;
		}
		ids[nids++] = argv[optind];
	}
	if ((status = cli_require_data(true)) != 0)
		goto done;
	for (size_t i = 0; i < nids; i++)
		if ((status = cli_find_record("monitor", ids[i])) != 0)
			goto done;

	struct dataset *ds = NULL;
	if ((status = load_records(ids, nids, &ds)) != 0)
		goto done;
	const struct record **records =
		xcalloc(ds->nrecords + 1, sizeof(*records));
	size_t n = 0;
	for (size_t i = 0; i < ds->nrecords; i++) {
		bool wanted = !nids;
		for (size_t k = 0; k < nids && !wanted; k++)
			wanted = !strcmp(ds->records[i]->id.s, ids[k]);
		if (wanted)
			records[n++] = ds->records[i];
	}
	status = watch(ds, records, n, db, json, &mo);
	free(records);
	dataset_free(ds);
done:
	free(ids);
	return status;
}
