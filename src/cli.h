/*
 * cli.h - what the commands of cancelatlas share (cmd_*.c): the data
 * folder, options parsed and refused in the user's own words, the exit
 * statuses, and the common ways of saying things on stderr.
 */
#ifndef CANCELATLAS_CLI_H
#define CANCELATLAS_CLI_H

#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"
#include "internal.h"

/* Exit statuses: 0 success (warnings allowed), 1 data errors or a missing
 * record, 2 usage errors. */
enum cli_exit {
	CLI_EXIT_DATA = 1,
	CLI_EXIT_USAGE = 2,
};

/*
 * The options commands take besides --data and --help, by the value
 * cli_next_option() returns for each. An option with a short form
 * (-o, -t, -s) returns that letter.
 */
enum cli_option {
	CLI_OPT_OUT = 'o',
	CLI_OPT_TEMPLATES = 't',
	CLI_OPT_SEED = 's',
	CLI_OPT_LIST_CODES = 256,
	CLI_OPT_JSON,
	CLI_OPT_ALL,
	CLI_OPT_FORCE,
	CLI_OPT_DRY_RUN,
	CLI_OPT_DB,
	CLI_OPT_BASE_URL,
	CLI_OPT_BIND,
	CLI_OPT_PORT,
	CLI_OPT_ACCESS_LOG,
	CLI_OPT_NO_BUILD,
	CLI_OPT_NO_WALK,
	CLI_OPT_WATCH,
	CLI_OPT_THREADS,
	CLI_OPT_RATE_LIMIT,
	CLI_OPT_LOCK_TIMEOUT,
	CLI_OPT_HEAD_TIMEOUT,
	CLI_OPT_BODY_TIMEOUT,
	CLI_OPT_MAX_CONNECTIONS,
	CLI_OPT_PER_ADDRESS,
	CLI_OPT_CACHE_MB,
	CLI_OPT_STATUS,
	CLI_OPT_REASON,
	CLI_OPT_ONLY,
	CLI_OPT_DELAY,
	CLI_OPT_TIMEOUT,
	CLI_OPT_MAX_BYTES,
	CLI_OPT_RETRIES,
	CLI_OPT_DAYS,
	CLI_OPT_TRUST_PROXY,
	CLI_OPT_FULL,
	CLI_OPT_TIMINGS,
};

/* cli_data_dir() - the data folder: --data DIR, or "data". */
const char *cli_data_dir(void);

/* cli_set_data_dir() - --data DIR, kept with no trailing slash ("data/"
 * is "data"). */
void cli_set_data_dir(const char *dir);

/**
 * cli_set_help() - how `COMMAND --help` is answered: @print prints the
 * help of the command it is given and returns the exit status.
 */
void cli_set_help(int (*print)(const char *cmd));

/**
 * cli_next_option() - the next option of @cmd's arguments (getopt_long()
 * over @argc and @argv, from optind), handling --data and --help.
 * @shortopts: the command's short options, as getopt spells them ("o:").
 * @names: the long options it takes besides --data and --help, in the
 *	   order its help gives them, separated by spaces ("out force").
 * @status: set when the command must stop.
 *
 * A refused option is said in the user's words, with the closest option
 * the command takes.
 *
 * Returns: the option (enum cli_option), -1 at the end, or -2 when the
 * command must stop with *@status (after --help, or a refused option).
 */
int cli_next_option(const char *cmd, int argc, char **argv,
		    const char *shortopts, const char *names, int *status);

/**
 * cli_usage_say() - say @msg as a usage error of @cmd (NULL before a
 * command), ended with where to look unless @suggested (the message
 * holds its own "did you mean").
 *
 * Returns: CLI_EXIT_USAGE.
 */
int cli_usage_say(const char *cmd, const struct buf *msg, bool suggested);

/* cli_usage_error() - cli_usage_say() of a formatted message. */
int cli_usage_error(const char *cmd, const char *fmt, ...) ATLAS_PRINTF(2, 3);

/**
 * cli_unknown_word() - "no WHAT 'TYPED'", with the closest of @names (@n
 * of them).
 *
 * Returns: CLI_EXIT_USAGE.
 */
int cli_unknown_word(const char *cmd, const char *what, const char *typed,
		     const char *const *names, size_t n);

/**
 * cli_unknown_option() - an option that is not one of @opts, in the words
 * the user typed (@typed, up to any "="), with the closest of @opts.
 *
 * Returns: CLI_EXIT_USAGE.
 */
int cli_unknown_option(const char *cmd, const char *typed,
		       const struct option *opts);

/**
 * cli_unexpected_argument() - a word @cmd does not take; @option, when not
 * NULL, is the option it was probably meant for ("check demo": "--data
 * demo").
 *
 * Returns: CLI_EXIT_USAGE.
 */
int cli_unexpected_argument(const char *cmd, const char *arg,
			    const char *option);

/**
 * cli_no_argument() - for a command that takes no argument: 0 when none
 * is left after the options, else the usage error, which takes a folder
 * for one meant for --data.
 */
int cli_no_argument(const char *cmd, int argc, char **argv);

/**
 * cli_record_argument() - for a command that takes one record id: sets
 * *@id to it when it is the one argument left and names a record file of
 * the data folder.
 *
 * Returns: 0, or the exit status of what was said instead.
 */
int cli_record_argument(const char *cmd, int argc, char **argv,
			const char **id);

/**
 * cli_find_record() - whether @id names a record file of the data folder:
 * 0 when it does, else one line with the closest ids and the status to
 * exit with (CLI_EXIT_USAGE for what cannot be an id, such as a path,
 * CLI_EXIT_DATA for an id that is not there).
 */
int cli_find_record(const char *cmd, const char *id);

/**
 * cli_no_record() - say that the data folder has no record @id.
 *
 * Returns: CLI_EXIT_DATA.
 */
int cli_no_record(const char *id);

/**
 * cli_id_of_path() - the id a record file's path or a capitalised name
 * means: "data/records/coursera.yaml" and "Coursera" are coursera.
 *
 * Returns: a new string; caller frees with free().
 */
char *cli_id_of_path(const char *path);

/* cli_is_dir() - whether @path is a folder. */
bool cli_is_dir(const char *path);

/**
 * cli_require_data() - the data folder must exist and, when @records,
 * hold records/.
 *
 * Returns: 0, or CLI_EXIT_USAGE having said which.
 */
int cli_require_data(bool records);

/* cli_use_color() - whether stderr is a terminal that wants colour
 * (NO_COLOR unset or empty). */
bool cli_use_color(void);

/**
 * cli_finish_diag() - print @d's diagnostics on stderr, then, when
 * @counts, how many of @records were checked and what was found.
 *
 * Returns: CLI_EXIT_DATA when there are errors, else 0.
 */
int cli_finish_diag(struct diag *d, size_t records, bool counts);

/* cli_progress_bar() - a dataset_opts progress callback drawing a bar on
 * stderr. */
void cli_progress_bar(size_t done, size_t total, void *user);

/* cli_parse_u64() - @s as a whole decimal number; false for anything
 * else. */
bool cli_parse_u64(const char *s, uint64_t *out);

/* cli_parse_uint() - cli_parse_u64() of a number no larger than @max. */
bool cli_parse_uint(const char *s, unsigned max, unsigned *out);

/**
 * cli_base_url_option() - check --base-url @url of @cmd (build, serve).
 *
 * Returns: 0, or the usage error's status.
 */
int cli_base_url_option(const char *cmd, const char *url);

/**
 * cli_default_templates() - fill @dir with the templates folder when
 * --templates is not given: "templates" beside the program (a build
 * tree), else "../share/cancelatlas/templates" from its folder, where
 * `make install` puts them whatever the PREFIX.
 *
 * Returns: 0, or -1 having said where it looked (and left @dir empty).
 */
int cli_default_templates(struct buf *dir);

/* cli_db_path() - @path = the review queue: @db, or the data folder's
 * (review_default_db()). */
void cli_db_path(const char *db, struct buf *path);

/**
 * cli_store_read() - open the review queue for reading: @db, or the data
 * folder's when it exists.
 * @why: receives why it could not be opened.
 *
 * Returns: the store (close with store_close()), or NULL: with @why set
 * when it could not be opened, empty when there is none to open.
 */
struct store *cli_store_read(const char *db, struct buf *why);

/* cli_print_json() - print @j on stdout, indented, and release it. */
void cli_print_json(json_t *j);

#endif
