/*
 * cmd_review.c - `cancelatlas corrections` and `cancelatlas audits`: the
 * review queue of each kind, listed, shown, accepted or rejected.
 */
#include "cli.h"
#include "buf.h"
#include "cmd.h"
#include "review.h"
#include "store.h"

#include <stdio.h>
#include <string.h>

static int review(const char *cmd, enum store_kind kind, int argc, char **argv)
{
	static const char *const actions[] = { "list", "show", "accept",
					       "reject" };
	const char *const statuses[] = { store_status_str(STORE_PENDING),
					 store_status_str(STORE_ACCEPTED),
					 store_status_str(STORE_REJECTED) };
	const char *db_path = NULL, *reason = NULL;
	int status = 0, c, only = -1;
	while ((c = cli_next_option(cmd, argc, argv, "", "db status reason",
				    &status)) != -1) {
		if (c == -2)
			return status;
		if (c == CLI_OPT_DB)
			db_path = optarg;
		else if (c == CLI_OPT_REASON)
			reason = optarg;
		else if (c == CLI_OPT_STATUS &&
			 (only = store_status_parse(optarg)) < 0)
			return cli_unknown_word(cmd, "status", optarg, statuses,
						ATLAS_COUNT(statuses));
	}
	if (optind == argc)
		return cli_usage_error(cmd, "%s",
				       "say list, show, accept or reject");
	const char *action = argv[optind++];
	size_t known = 0;
	while (known < ATLAS_COUNT(actions) && strcmp(action, actions[known]))
		known++;
	if (known == ATLAS_COUNT(actions))
		return cli_unknown_word(cmd, "action", action, actions,
					ATLAS_COUNT(actions));
	bool list = !strcmp(action, "list");
	if (list ? optind != argc : optind + 1 != argc)
		return cli_usage_error(cmd, "%s %s", action,
				       list ? "takes no argument"
					    : "takes one tracking id");
	if (!strcmp(action, "reject") && (!reason || !*reason))
		return cli_usage_error(cmd, "%s",
				       "a rejection needs --reason TEXT");
	struct buf db = BUF_INIT;
	cli_db_path(db_path, &db);
	struct review_ctx ctx = { db.data, cli_data_dir(), stdout, stderr };
	if (list)
		status = review_list(&ctx, kind, only);
	else if (!strcmp(action, "show"))
		status = review_show(&ctx, kind, argv[optind]);
	else
		status = review_decide(&ctx, kind, argv[optind],
				       !strcmp(action, "accept")
					       ? STORE_ACCEPTED
					       : STORE_REJECTED,
				       reason);
	buf_free(&db);
	return status ? CLI_EXIT_DATA : 0;
}

int cmd_corrections(int argc, char **argv)
{
	return review("corrections", STORE_CORRECTION, argc, argv);
}

int cmd_audits(int argc, char **argv)
{
	return review("audits", STORE_AUDIT, argc, argv);
}
