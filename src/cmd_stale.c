/*
 * cmd_stale.c - `cancelatlas stale`: the records due for review, oldest
 * review first, with why each is due.
 */
#include "cli.h"
#include "arena.h"
#include "buf.h"
#include "cmd.h"
#include "dataset.h"
#include "date.h"
#include "diag.h"
#include "fresh.h"
#include "pagestate.h"
#include "site.h"
#include "store.h"

#include <stdio.h>
#include <unistd.h>

/*
 * Join monitoring's reasons to the age: a page @ds's records cite that
 * changed, moved (as changed) or broke since the review, from the store
 * @db (default: the data folder's, when there is one). A --db that cannot
 * be read is a usage error; a default one that cannot, only said.
 */
static int add_monitor_reasons(const char *db, const struct dataset *ds,
			       struct fresh_list *l)
{
	if (db && !store_is_server(db) && access(db, R_OK) != 0) {
		fprintf(stderr, "cancelatlas: no database '%s'\n", db);
		return CLI_EXIT_USAGE;
	}
	struct buf why = BUF_INIT;
	struct store *store = cli_store_read(db, &why);
	struct pagestate_db *pages =
		site_read_pages(store, why.len ? why.data : NULL);
	store_close(store);
	buf_free(&why);
	if (db && !pages)
		return CLI_EXIT_USAGE;
	struct arena *a = arena_new();
	for (size_t i = 0; pages && i < ds->nrecords; i++) {
		struct pagestate *v;
		size_t n = pagestate_record(pages, ds->records[i], a, &v);
		for (size_t k = 0; k < n; k++)
			if (pagestate_flagged(v[k].status))
				fresh_list_add(l, ds->records[i],
					       v[k].status == PAGESTATE_BROKEN
						       ? FRESH_SOURCE_BROKEN
						       : FRESH_SOURCE_CHANGED,
					       v[k].url);
		arena_reset(a);
	}
	arena_free(a);
	pagestate_db_free(pages);
	return 0;
}

int cmd_stale(int argc, char **argv)
{
	int status = 0, c;
	bool json = false;
	const char *db = NULL;
	unsigned days = FRESH_STALE_DAYS;
	while ((c = cli_next_option("stale", argc, argv, "", "days json db",
				    &status)) != -1) {
		if (c == -2)
			return status;
		if (c == CLI_OPT_JSON)
			json = true;
		if (c == CLI_OPT_DB)
			db = optarg;
		if (c == CLI_OPT_DAYS && !cli_parse_uint(optarg, 100000, &days))
			return cli_usage_error(
				"stale",
				"--days '%s' is not a number of days (0 to "
				"100000)",
				optarg);
	}
	if ((status = cli_no_argument("stale", argc, argv)) != 0 ||
	    (status = cli_require_data(true)) != 0)
		return status;
	struct diag *d = diag_new();
	struct dataset *ds;
	date_days today = date_today();
	struct dataset_opts opts = { .today = today,
				     .site = SITEINFO_OPTIONAL };
	if (dataset_load(cli_data_dir(), &opts, d, &ds) != 0) {
		cli_finish_diag(d, 0, false);
		diag_free(d);
		return CLI_EXIT_USAGE;
	}
	/* Warnings are said only beside errors: every stale record is a
	 * warning of check's too, and the list says it better. */
	if (diag_count(d, DIAG_ERROR))
		status = cli_finish_diag(d, 0, false);
	struct fresh_list *l = fresh_list_new(today, (int)days);
	for (size_t i = 0; i < ds->nrecords; i++)
		fresh_list_check(l, ds->records[i]);
	int monitor = add_monitor_reasons(db, ds, l);
	if (monitor)
		status = monitor;
	else if (json)
		cli_print_json(fresh_list_json(l));
	else
		fresh_list_print(stdout, l);
	if (!monitor && !status && fresh_list_count(l))
		status = CLI_EXIT_DATA;
	fresh_list_free(l);
	dataset_free(ds);
	diag_free(d);
	return status;
}
