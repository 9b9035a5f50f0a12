/*
 * cli.c - the command line's shared parts: the data folder, option
 * parsing, and the way every command says what went wrong.
 *
 * A usage error is one line on stderr that names what the user typed, in
 * their words, with the closest thing that would have worked ("unknown
 * option '--jsn'; did you mean '--json'?"), and exit status 2. Each
 * command names the long options it takes from one table, so an option
 * means the same thing in every command that has it, and getopt_long()'s
 * refusals are turned into those lines here rather than in each command.
 */
#include "cli.h"
#include "dataset.h"
#include "review.h"
#include "siteinfo.h"
#include "store.h"
#include "suggest.h"
#include "validate.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *data_dir = "data";
static bool data_dir_given;
static int (*help_printer)(const char *cmd);

/* Every long option a command may take, by its name. */
static const struct option known_options[] = {
	{ "out", required_argument, NULL, CLI_OPT_OUT },
	{ "templates", required_argument, NULL, CLI_OPT_TEMPLATES },
	{ "seed", required_argument, NULL, CLI_OPT_SEED },
	{ "list-codes", no_argument, NULL, CLI_OPT_LIST_CODES },
	{ "json", no_argument, NULL, CLI_OPT_JSON },
	{ "all", no_argument, NULL, CLI_OPT_ALL },
	{ "force", no_argument, NULL, CLI_OPT_FORCE },
	{ "dry-run", no_argument, NULL, CLI_OPT_DRY_RUN },
	{ "db", required_argument, NULL, CLI_OPT_DB },
	{ "base-url", required_argument, NULL, CLI_OPT_BASE_URL },
	{ "bind", required_argument, NULL, CLI_OPT_BIND },
	{ "port", required_argument, NULL, CLI_OPT_PORT },
	{ "access-log", no_argument, NULL, CLI_OPT_ACCESS_LOG },
	{ "no-build", no_argument, NULL, CLI_OPT_NO_BUILD },
	{ "no-walk", no_argument, NULL, CLI_OPT_NO_WALK },
	{ "watch", no_argument, NULL, CLI_OPT_WATCH },
	{ "threads", required_argument, NULL, CLI_OPT_THREADS },
	{ "rate-limit", required_argument, NULL, CLI_OPT_RATE_LIMIT },
	{ "lock-timeout", required_argument, NULL, CLI_OPT_LOCK_TIMEOUT },
	{ "head-timeout", required_argument, NULL, CLI_OPT_HEAD_TIMEOUT },
	{ "body-timeout", required_argument, NULL, CLI_OPT_BODY_TIMEOUT },
	{ "max-connections", required_argument, NULL, CLI_OPT_MAX_CONNECTIONS },
	{ "per-address", required_argument, NULL, CLI_OPT_PER_ADDRESS },
	{ "cache-mb", required_argument, NULL, CLI_OPT_CACHE_MB },
	{ "status", required_argument, NULL, CLI_OPT_STATUS },
	{ "reason", required_argument, NULL, CLI_OPT_REASON },
	{ "only", required_argument, NULL, CLI_OPT_ONLY },
	{ "delay", required_argument, NULL, CLI_OPT_DELAY },
	{ "timeout", required_argument, NULL, CLI_OPT_TIMEOUT },
	{ "max-bytes", required_argument, NULL, CLI_OPT_MAX_BYTES },
	{ "retries", required_argument, NULL, CLI_OPT_RETRIES },
	{ "days", required_argument, NULL, CLI_OPT_DAYS },
	{ "trust-proxy", required_argument, NULL, CLI_OPT_TRUST_PROXY },
	{ "full", no_argument, NULL, CLI_OPT_FULL },
	{ "timings", no_argument, NULL, CLI_OPT_TIMINGS },
};

const char *cli_data_dir(void)
{
	return data_dir;
}

void cli_set_data_dir(const char *dir)
{
	size_t len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	static char *owned;
	free(owned);
	owned = xstrndup(dir, len);
	data_dir = owned;
	data_dir_given = true;
}

void cli_set_help(int (*print)(const char *cmd))
{
	help_printer = print;
}

int cli_usage_say(const char *cmd, const struct buf *msg, bool suggested)
{
	fprintf(stderr, "cancelatlas: %s", buf_cstr(msg));
	if (!suggested)
		fprintf(stderr, "; see 'cancelatlas %s%s--help'",
			cmd ? cmd : "", cmd ? " " : "");
	fputc('\n', stderr);
	return CLI_EXIT_USAGE;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	cli_usage_say(cmd, &msg, false);
	buf_free(&msg);
	return CLI_EXIT_USAGE;
}

/*
 * Say @msg, ended with the closest of @names (@n of them, each shown
 * after @prefix) to @word, or with where to look when none is close.
 */
static void say_closest(const char *cmd, struct buf *msg, const char *word,
			const char *const *names, size_t n, const char *prefix)
{
	struct suggest *s = suggest_new(word);
	for (size_t i = 0; i < n; i++)
		suggest_add(s, names[i], strlen(names[i]));
	size_t before = msg->len;
	suggest_put(s, msg, prefix);
	cli_usage_say(cmd, msg, msg->len > before);
	suggest_free(s);
}

int cli_unknown_word(const char *cmd, const char *what, const char *typed,
		     const char *const *names, size_t n)
{
	struct buf msg = BUF_INIT;
	buf_printf(&msg, "no %s '%s'", what, typed);
	say_closest(cmd, &msg, typed, names, n, "");
	buf_free(&msg);
	return CLI_EXIT_USAGE;
}

int cli_unknown_option(const char *cmd, const char *typed,
		       const struct option *opts)
{
	size_t len = strcspn(typed, "=");
	const char *name = typed + strspn(typed, "-");
	size_t name_len = len - (size_t)(name - typed);
	const char *names[16];
	size_t n = 0, starts = 0;
	for (; opts->name && n < ATLAS_COUNT(names); opts++) {
		names[n++] = opts->name;
		starts += name_len && !strncmp(opts->name, name, name_len);
	}
	struct buf msg = BUF_INIT;
	buf_printf(&msg, "%s option '%.*s'",
		   starts > 1 && typed[1] == '-' ? "ambiguous" : "unknown",
		   (int)len, typed);
	char *word = xstrndup(name, name_len);
	say_closest(cmd, &msg, word, names, n, "--");
	free(word);
	buf_free(&msg);
	return CLI_EXIT_USAGE;
}

/* The long option called @name (@len bytes) among @opts, or NULL. */
static const struct option *long_option(const struct option *opts,
					const char *name, size_t len)
{
	for (; opts->name; opts++)
		if (strlen(opts->name) == len &&
		    !strncmp(opts->name, name, len))
			return opts;
	return NULL;
}

/*
 * What getopt_long() refused (@c is '?' or ':'), said in the user's words.
 * It names no argument, so the one at fault is found from optind: a long
 * option always ends its argument; an unknown short option may sit inside
 * a cluster ("-json"), which optind has not left yet.
 */
static int option_error(const char *cmd, int c, int argc, char **argv,
			const struct option *opts)
{
	const char *arg = argv[optind - 1];
	if (c == ':')
		return cli_usage_error(cmd, "option '%s' needs a value", arg);
	size_t len = strcspn(arg, "=");
	if (optopt && !strncmp(arg, "--", 2) && arg[len] == '=')
		return cli_usage_error(cmd, "option '%.*s' takes no value",
				       (int)len, arg);
	if (optopt && optind < argc && argv[optind][0] == '-' &&
	    argv[optind][1] != '-' && strchr(argv[optind] + 1, optopt))
		arg = argv[optind];
	return cli_unknown_option(cmd, arg, opts);
}

/* Room for --data, --help, a command's own options and the end mark. */
#define COMMAND_OPTIONS_MAX 32

/*
 * @opts = --data, --help, then the options of @names in their order. A
 * name that is not an option, or more than the table holds, is a mistake
 * in the command's code: it stops at once rather than refuse an option
 * its help lists.
 */
static void command_options(const char *names,
			    struct option opts[COMMAND_OPTIONS_MAX])
{
	size_t n = 0;
	opts[n++] = (struct option){ "data", required_argument, NULL, 'd' };
	opts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	for (const char *p = names; *p;) {
		size_t len = strcspn(p, " ");
		const struct option *o = long_option(known_options, p, len);
		if (!o || n + 1 >= COMMAND_OPTIONS_MAX) {
			fprintf(stderr, "cancelatlas: %s option '%.*s'\n",
				o ? "no room for" : "no", (int)len, p);
			abort();
		}
		opts[n++] = *o;
		p += len + strspn(p + len, " ");
	}
	opts[n] = (struct option){ NULL, 0, NULL, 0 };
}

int cli_next_option(const char *cmd, int argc, char **argv,
		    const char *shortopts, const char *names, int *status)
{
	struct option opts[COMMAND_OPTIONS_MAX];
	command_options(names, opts);
	char spec[32];
	snprintf(spec, sizeof(spec), ":hd:%s", shortopts);
	opterr = 0;
	for (;;) {
		int c = getopt_long(argc, argv, spec, opts, NULL);
		if (c == '?' || c == ':') {
			*status = option_error(cmd, c, argc, argv, opts);
			return -2;
		}
		/* No option takes an empty value: "--out ''" is a slip. */
		if (optarg && !*optarg) {
			const char *name = argv[optind - 1] == optarg
						   ? argv[optind - 2]
						   : argv[optind - 1];
			*status = cli_usage_error(
				cmd, "option '%.*s' needs a value",
				(int)strcspn(name, "="), name);
			return -2;
		}
		/* "-out x" is -o with the value "ut": one dash too few. */
		const char *arg = argv[optind - 1];
		if (optarg && optarg == arg + 2 && arg[1] != '-' &&
		    long_option(opts, arg + 1, strcspn(arg + 1, "="))) {
			*status = cli_unknown_option(cmd, arg, opts);
			return -2;
		}
		switch (c) {
		case 'd':
			cli_set_data_dir(optarg);
			continue;
		case 'h':
			*status = help_printer(cmd);
			return -2;
		default:
			return c;
		}
	}
}

int cli_unexpected_argument(const char *cmd, const char *arg,
			    const char *option)
{
	struct buf msg = BUF_INIT;
	buf_printf(&msg, "unexpected argument '%s'", arg);
	if (option)
		buf_printf(&msg, "; did you mean '--%s %s'?", option, arg);
	cli_usage_say(cmd, &msg, option != NULL);
	buf_free(&msg);
	return CLI_EXIT_USAGE;
}

int cli_no_argument(const char *cmd, int argc, char **argv)
{
	if (optind >= argc)
		return 0;
	return cli_unexpected_argument(
		cmd, argv[optind], cli_is_dir(argv[optind]) ? "data" : NULL);
}

int cli_record_argument(const char *cmd, int argc, char **argv, const char **id)
{
	if (optind + 1 != argc)
		return cli_usage_error(cmd,
				       "%s takes one record id: the name of a "
				       "file in %s/records, without .yaml",
				       cmd, data_dir);
	*id = argv[optind];
	int status = cli_require_data(true);
	return status ? status : cli_find_record(cmd, *id);
}

bool cli_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int cli_require_data(bool records)
{
	if (!cli_is_dir(data_dir)) {
		fprintf(stderr, "cancelatlas: no data folder '%s'%s\n",
			data_dir,
			data_dir_given ? ""
				       : " here (run cancelatlas where it "
					 "is, or name one with --data DIR)");
		return CLI_EXIT_USAGE;
	}
	if (!records)
		return 0;
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/records", data_dir);
	bool found = cli_is_dir(path.data);
	buf_free(&path);
	if (!found)
		fprintf(stderr,
			"cancelatlas: '%s' is not a data folder: it has no "
			"records/ folder\n",
			data_dir);
	return found ? 0 : CLI_EXIT_USAGE;
}

char *cli_id_of_path(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t len = strlen(base);
	if (len > 5 && !strcmp(base + len - 5, ".yaml"))
		len -= 5;
	char *id = xstrndup(base, len);
	for (char *p = id; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return id;
}

int cli_find_record(const char *cmd, const char *id)
{
	struct buf msg = BUF_INIT, path = BUF_INIT;
	int rc = 0;
	struct stat st;
	if (!validate_slug(id)) {
		char *word = cli_id_of_path(id);
		buf_printf(&msg, "'%s' is not a record id", id);
		size_t before = msg.len;
		dataset_suggest_id(data_dir, word, &msg);
		rc = cli_usage_say(cmd, &msg, msg.len > before);
		free(word);
	} else {
		buf_printf(&path, "%s/records/%s.yaml", data_dir, id);
		if (stat(path.data, &st) != 0) {
			buf_printf(&msg, "no record '%s' in %s/records", id,
				   data_dir);
			dataset_suggest_id(data_dir, id, &msg);
			fprintf(stderr, "cancelatlas: %s\n", msg.data);
			rc = CLI_EXIT_DATA;
		}
	}
	buf_free(&path);
	buf_free(&msg);
	return rc;
}

int cli_no_record(const char *id)
{
	fprintf(stderr, "cancelatlas: no record '%s' in %s/records\n", id,
		data_dir);
	return CLI_EXIT_DATA;
}

bool cli_use_color(void)
{
	const char *no = getenv("NO_COLOR");
	return isatty(STDERR_FILENO) && !(no && *no);
}

int cli_finish_diag(struct diag *d, size_t records, bool counts)
{
	diag_print(d, stderr, cli_use_color());
	if (counts) {
		size_t e = diag_count(d, DIAG_ERROR);
		size_t w = diag_count(d, DIAG_WARNING);
		fprintf(stderr,
			"%zu record%s checked: %zu error%s, %zu warning%s\n",
			records, records == 1 ? "" : "s", e, e == 1 ? "" : "s",
			w, w == 1 ? "" : "s");
	}
	return diag_count(d, DIAG_ERROR) ? CLI_EXIT_DATA : 0;
}

void cli_progress_bar(size_t done, size_t total, void *user)
{
	(void)user;
	if (done != total && done % 512)
		return;
	int width = 40, filled = total ? (int)(done * width / total) : width;
	fprintf(stderr, "\r[%.*s%*s] %zu/%zu", filled,
		"########################################", width - filled, "",
		done, total);
	if (done == total)
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

bool cli_parse_u64(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-')
		return false;
	*out = v;
	return true;
}

bool cli_parse_uint(const char *s, unsigned max, unsigned *out)
{
	uint64_t v;
	if (!cli_parse_u64(s, &v) || v > max)
		return false;
	*out = (unsigned)v;
	return true;
}

int cli_base_url_option(const char *cmd, const char *url)
{
	struct buf why = BUF_INIT;
	int status = 0;
	if (!siteinfo_base_url_check(url, &why))
		status = cli_usage_error(
			cmd,
			"--base-url '%s' is not a base URL: %s "
			"(e.g. --base-url http://127.0.0.1:8080)",
			url, buf_cstr(&why));
	buf_free(&why);
	return status;
}

/* Whether @dir holds the templates. */
static bool templates_in(const char *dir)
{
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/layout.mustache", dir);
	struct stat st;
	bool found = stat(path.data, &st) == 0;
	buf_free(&path);
	return found;
}

int cli_default_templates(struct buf *dir)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	const char *slash = strrchr(exe, '/');
	if (!slash) {
		fprintf(stderr, "cancelatlas: cannot tell where the program is "
				"(/proc/self/exe), so where its templates are; "
				"give --templates DIR\n");
		return -1;
	}
	int len = (int)(slash - exe);
	const char *beside = "/templates";
	const char *installed = "/../share/cancelatlas/templates";
	buf_printf(dir, "%.*s%s", len, exe, beside);
	if (templates_in(dir->data))
		return 0;
	buf_reset(dir);
	buf_printf(dir, "%.*s%s", len, exe, installed);
	if (templates_in(dir->data))
		return 0;
	fprintf(stderr,
		"cancelatlas: no templates in %.*s%s or %s; give "
		"--templates DIR\n",
		len, exe, beside, dir->data);
	buf_free(dir);
	return -1;
}

void cli_db_path(const char *db, struct buf *path)
{
	if (db) {
		buf_reset(path);
		buf_puts(path, db);
	} else {
		review_default_db(data_dir, path);
	}
}

struct store *cli_store_read(const char *db, struct buf *why)
{
	struct buf path = BUF_INIT;
	struct store *store = NULL;
	struct stat st;
	cli_db_path(db, &path);
	if (db || stat(path.data, &st) == 0)
		store = store_open(path.data, STORE_READONLY, 0, why);
	buf_free(&path);
	return store;
}

void cli_print_json(json_t *j)
{
	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	putchar('\n');
	json_decref(j);
}
