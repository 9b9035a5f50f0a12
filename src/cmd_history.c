/*
 * cmd_history.c - `cancelatlas history ID`: a record's versions from the
 * data's git history, newest first, with what changed in each.
 */
#include "cli.h"
#include "cmd.h"
#include "histprint.h"
#include "history.h"
#include "method.h"

#include <stdio.h>
#include <time.h>

/*
 * --all (not in the help: for bench/history.sh) prints every record's
 * history as one JSON array and, on stderr, what the read cost.
 */
static int history_all(const struct method *m)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct history *h = history_load(cli_data_dir(), NULL);
	const char *why = history_unavailable(h);
	if (why)
		fprintf(stderr, "cancelatlas: no history: %s\n", why);
	size_t versions = 0;
	fputc('[', stdout);
	for (size_t i = 0; i < history_count(h); i++) {
		const struct history_record *r = history_at(h, i);
		json_t *j = histprint_json(m, r, why);
		if (i)
			fputc(',', stdout);
		json_dumpf(j, stdout, JSON_COMPACT | JSON_ENSURE_ASCII);
		json_decref(j);
		versions += r->nversions;
	}
	fputs("]\n", stdout);
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	struct history_stats st = history_stats(h);
	fprintf(stderr,
		"history: %zu records, %zu versions, %zu commits (%zu read "
		"from git, %zu from the cache), %zu files loaded, %.3f s\n",
		history_count(h), versions, st.commits, st.commits_read,
		st.commits - st.commits_read, st.blobs_loaded,
		(double)(t1.tv_sec - t0.tv_sec) +
			(double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	history_free(h);
	return 0;
}

int cmd_history(int argc, char **argv)
{
	int status = 0, c;
	bool json = false, all = false;
	const char *id;
	while ((c = cli_next_option("history", argc, argv, "", "json all",
				    &status)) != -1)
		if (c == -2)
			return status;
		else if (c == CLI_OPT_JSON)
			json = true;
		else if (c == CLI_OPT_ALL)
			all = true;
	const struct method *m = method_current();
	if (all) {
		if (optind < argc)
			return cli_unexpected_argument("history", argv[optind],
						       NULL);
		if ((status = cli_require_data(true)) != 0)
			return status;
		return history_all(m);
	}
	if ((status = cli_record_argument("history", argc, argv, &id)) != 0)
		return status;

	struct history_opts opts = { .only_id = id };
	struct history *h = history_load(cli_data_dir(), &opts);
	const char *why = history_unavailable(h);
	const struct history_record *r = history_find(h, id);
	if (!r) {
		history_free(h);
		return cli_no_record(id);
	}
	if (why)
		fprintf(stderr,
			"cancelatlas: no history for %s: %s; this is the "
			"current version only\n",
			id, why);
	else if (!r->versions[0].commit[0])
		fprintf(stderr,
			"cancelatlas: %s has no committed version yet; this "
			"is the working file only\n",
			r->versions[0].path);
	size_t loaded = 0;
	for (size_t i = 0; i < r->nversions; i++)
		loaded += !r->versions[i].skipped;
	if (json) {
		cli_print_json(histprint_json(m, r, why));
	} else {
		printf("%s: %zu version%s, newest first (scores by %s)\n", id,
		       r->nversions, r->nversions == 1 ? "" : "s", m->version);
		histprint_text(stdout, m, r);
	}
	history_free(h);
	/* Only a record none of whose versions loads is a data error. */
	return loaded ? 0 : CLI_EXIT_DATA;
}
