/*
 * main.c - the cancelatlas command line: parse arguments, call the module
 * that does the work, map the outcome to an exit status.
 *
 * Exit status: 0 success (warnings allowed), 1 data errors or a missing
 * record, 2 usage errors. Diagnostics go to stderr, results to stdout.
 */
#include "dataset.h"
#include "diag.h"
#include "gen.h"
#include "method.h"
#include "opendata.h"
#include "report.h"
#include "validate.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define VERSION "0.1.0"

enum { EXIT_DATA = 1, EXIT_USAGE = 2 };

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
	const char *help;
};

static const char *data_dir = "data";

static const struct command *find_command(const char *name);

static int usage_error(const char *cmd, const char *fmt, ...)
	ATLAS_PRINTF(2, 3);

static int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "cancelatlas: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'cancelatlas %s%s--help'.\n", cmd ? cmd : "",
		cmd ? " " : "");
	return EXIT_USAGE;
}

static int print_help(const char *name)
{
	const struct command *c = find_command(name);
	printf("usage: cancelatlas %s\n\n%s", c->usage, c->help);
	return 0;
}

/*
 * Parse the options every command shares (--data, --help) plus @extra.
 * Returns the getopt result for an extra option, -1 at the end, or -2 when
 * the command must stop with *status.
 */
static int next_option(const char *cmd, int argc, char **argv,
		       const char *shortopts, const struct option *extra,
		       int *status)
{
	struct option opts[16];
	size_t n = 0;
	opts[n++] = (struct option){ "data", required_argument, NULL, 'd' };
	opts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	for (; extra && extra->name && n < 15; extra++)
		opts[n++] = *extra;
	opts[n] = (struct option){ NULL, 0, NULL, 0 };
	char spec[32];
	snprintf(spec, sizeof(spec), ":hd:%s", shortopts);
	for (;;) {
		int c = getopt_long(argc, argv, spec, opts, NULL);
		switch (c) {
		case 'd':
			data_dir = optarg;
			continue;
		case 'h':
			*status = print_help(cmd);
			return -2;
		case '?':
			*status = usage_error(cmd, "unknown option '%s'",
					      argv[optind - 1]);
			return -2;
		case ':':
			*status = usage_error(cmd, "option '%s' needs a value",
					      argv[optind - 1]);
			return -2;
		default:
			return c;
		}
	}
}

static bool use_color(void)
{
	const char *no = getenv("NO_COLOR");
	return isatty(STDERR_FILENO) && !(no && *no);
}

static void print_counts(const struct diag *d, size_t records)
{
	size_t e = diag_count(d, DIAG_ERROR), w = diag_count(d, DIAG_WARNING);
	fprintf(stderr, "%zu record%s checked: %zu error%s, %zu warning%s\n",
		records, records == 1 ? "" : "s", e, e == 1 ? "" : "s", w,
		w == 1 ? "" : "s");
}

static int finish_diag(struct diag *d, size_t records, bool counts)
{
	diag_print(d, stderr, use_color());
	if (counts)
		print_counts(d, records);
	return diag_count(d, DIAG_ERROR) ? EXIT_DATA : 0;
}

/* ---- check ----------------------------------------------------------- */

static void progress_bar(size_t done, size_t total, void *user)
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

static void list_codes(void)
{
	enum diag_code code;
	for (size_t i = 0; (code = diag_code_at(i)) != 0; i++)
		printf("%s %s\n", diag_code_str(code), diag_code_summary(code));
}

static int cmd_check(int argc, char **argv)
{
	static const struct option extra[] = {
		{ "list-codes", no_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	int status = 0, c;
	while ((c = next_option("check", argc, argv, "", extra, &status)) !=
	       -1) {
		if (c == -2)
			return status;
		if (c == 'l') {
			list_codes();
			return 0;
		}
	}
	if (optind < argc)
		return usage_error("check", "unexpected argument '%s'",
				   argv[optind]);
	struct diag *d = diag_new();
	struct dataset *ds;
	struct dataset_opts opts = { .today = date_today() };
	if (isatty(STDERR_FILENO))
		opts.progress = progress_bar;
	int rc = dataset_load(data_dir, &opts, d, &ds);
	status = finish_diag(d, ds ? ds->files : 0, rc == 0);
	if (rc != 0)
		status = EXIT_USAGE;
	dataset_free(ds);
	diag_free(d);
	return status;
}

/* ---- score ----------------------------------------------------------- */

static int cmd_score(int argc, char **argv)
{
	static const struct option extra[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int status = 0, c;
	bool json = false;
	while ((c = next_option("score", argc, argv, "", extra, &status)) != -1)
		if (c == -2)
			return status;
		else if (c == 'j')
			json = true;
	if (optind + 1 != argc)
		return usage_error("score", "%s", "score takes one record id");
	const char *id = argv[optind];
	if (!validate_slug(id))
		return usage_error("score", "'%s' is not a record id", id);

	struct diag *d = diag_new();
	struct dataset *ds;
	struct dataset_opts opts = { .today = date_today(), .only_id = id };
	if (dataset_load(data_dir, &opts, d, &ds) != 0) {
		finish_diag(d, 0, false);
		diag_free(d);
		return EXIT_USAGE;
	}
	status = finish_diag(d, 0, false);
	const struct record *r = dataset_find(ds, id);
	if (!r && !status) {
		fprintf(stderr, "cancelatlas: no record '%s' in %s/records\n",
			id, data_dir);
		status = EXIT_DATA;
	}
	if (!status) {
		const struct method *m = method_current();
		if (json) {
			json_t *j = opendata_company(m, r);
			json_dumpf(j, stdout,
				   JSON_INDENT(2) | JSON_ENSURE_ASCII);
			putchar('\n');
			json_decref(j);
		} else {
			report_score(stdout, m, r);
		}
	}
	dataset_free(ds);
	diag_free(d);
	return status;
}

/* ---- new ------------------------------------------------------------- */

static int cmd_new(int argc, char **argv)
{
	static const struct option extra[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "stdout", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	int status = 0, c;
	bool force = false, to_stdout = false;
	while ((c = next_option("new", argc, argv, "", extra, &status)) != -1)
		if (c == -2)
			return status;
		else if (c == 'f')
			force = true;
		else if (c == 's')
			to_stdout = true;
	if (optind + 1 != argc)
		return usage_error("new", "%s", "new takes one record id");
	const char *id = argv[optind];
	if (!validate_slug(id))
		return usage_error("new",
				   "'%s' is not a valid id: use lower-case "
				   "letters, digits and single hyphens",
				   id);
	if (to_stdout)
		return gen_skeleton(stdout, id, date_today()) ? EXIT_DATA : 0;

	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/records/%s.yaml", data_dir, id);
	FILE *f = fopen(path.data, force ? "w" : "wx");
	if (!f) {
		fprintf(stderr, "cancelatlas: cannot create %s: %s%s\n",
			path.data, strerror(errno),
			errno == EEXIST ? " (use --force to overwrite)" : "");
		buf_free(&path);
		return EXIT_DATA;
	}
	int rc = gen_skeleton(f, id, date_today());
	if (fclose(f) != 0)
		rc = -1;
	if (rc)
		fprintf(stderr, "cancelatlas: cannot write %s\n", path.data);
	else
		printf("wrote %s: replace every TODO, then run "
		       "'cancelatlas check'\n",
		       path.data);
	buf_free(&path);
	return rc ? EXIT_DATA : 0;
}

/* ---- gen ------------------------------------------------------------- */

static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-')
		return false;
	*out = v;
	return true;
}

static int cmd_gen(int argc, char **argv)
{
	static const struct option extra[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	int status = 0, c;
	uint64_t seed = 1, n;
	const char *out = NULL;
	while ((c = next_option("gen", argc, argv, "s:o:", extra, &status)) !=
	       -1) {
		if (c == -2)
			return status;
		if (c == 's' && !parse_u64(optarg, &seed))
			return usage_error("gen",
					   "--seed needs a number, not '%s'",
					   optarg);
		if (c == 'o')
			out = optarg;
	}
	if (optind + 1 != argc)
		return usage_error("gen", "%s",
				   "gen takes the number of records");
	if (!parse_u64(argv[optind], &n) || n == 0 || n > 10000000)
		return usage_error("gen",
				   "'%s' is not a record count (1 to 10000000)",
				   argv[optind]);
	if (!out)
		return usage_error("gen", "%s", "gen needs --out DIR");

	/* The industries come from the data folder, so generated records
	 * use exactly the list the checker will accept. */
	struct diag *d = diag_new();
	struct arena *arena = arena_new();
	struct industry *industries = NULL;
	size_t nindustries = 0;
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/industries.yaml", data_dir);
	size_t len;
	char *text = dataset_read_file(path.data, &len);
	if (!text)
		diag_add(d, DIAG_IO, path.data, 0, 0, "cannot read: %s",
			 strerror(errno));
	else
		yaml_load_industries(path.data, text, len, arena, d,
				     &industries, &nindustries);
	free(text);
	status = finish_diag(d, 0, false);
	if (!status && !nindustries) {
		fprintf(stderr, "cancelatlas: %s lists no industry\n",
			path.data);
		status = EXIT_DATA;
	}
	if (!status && gen_records(out, (size_t)n, seed, date_today(),
				   industries, nindustries))
		status = EXIT_DATA;
	buf_free(&path);
	arena_free(arena);
	diag_free(d);
	return status;
}

/* ---- dispatch -------------------------------------------------------- */

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const struct command commands[] = {
	{ "check", cmd_check, "check [--data DIR] [--list-codes]",
	  "Load every record in DIR/records and apply every rule of the\n"
	  "record format. Each problem is printed as FILE:LINE:COL with a\n"
	  "stable code (E0nn errors, W1nn warnings), then a count.\n\n"
	  "  --data DIR   the data folder (default: data)\n"
	  "  --list-codes print every diagnostic code and its meaning\n\n"
	  "Exit status: 0 clean (warnings allowed), 1 data errors,\n"
	  "2 usage errors.\n" },
	{ "score", cmd_score, "score [--data DIR] [--json] ID",
	  "Print a record's dimension levels, weights and points, the total\n"
	  "and grade, and its sentence; for an audited record, the flow\n"
	  "score beside it and the gap.\n\n"
	  "  --json       print the record's /api/v1/companies.json entry\n"
	  "  --data DIR   the data folder (default: data)\n" },
	{ "new", cmd_new, "new [--data DIR] [--force] [--stdout] ID",
	  "Write DIR/records/ID.yaml, a commented skeleton. It fails\n"
	  "'check' until every TODO is replaced.\n\n"
	  "  --force      overwrite an existing file\n"
	  "  --stdout     print the skeleton instead of writing it\n" },
	{ "gen", cmd_gen, "gen [--data DIR] N [--seed S] --out OUT",
	  "Write N fictional records (names invented, URLs under\n"
	  "example.com, marked fictional) as a data folder in OUT, using the\n"
	  "industries of DIR/industries.yaml. The same\n"
	  "seed gives the same records; dates are relative to today, or to\n"
	  "SOURCE_DATE_EPOCH when it is set.\n\n"
	  "  --seed S     the random seed (default: 1)\n"
	  "  --out OUT    the folder to write (created; must be empty)\n"
	  "  --data DIR   where industries.yaml is read (default: data)\n" },
	{ "help", cmd_help, "help [COMMAND]",
	  "Show the commands, or one command's help.\n" },
	{ "version", cmd_version, "version", "Print the version.\n" },
};

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < ATLAS_COUNT(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void print_overview(FILE *out)
{
	fprintf(out,
		"usage: cancelatlas [--data DIR] COMMAND [ARGS]\n\n"
		"Cancel Atlas: how hard companies make it to cancel, scored "
		"by %s.\n\nCommands:\n",
		method_current()->version);
	for (size_t i = 0; i < ATLAS_COUNT(commands); i++)
		fprintf(out, "  %s\n", commands[i].usage);
	fprintf(out, "\nRun 'cancelatlas COMMAND --help' for one command; "
		     "see also cancelatlas(1).\n");
}

static int cmd_help(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return print_help("help");
	if (argc > 1 && find_command(argv[1]))
		return print_help(argv[1]);
	if (argc > 1)
		return usage_error(NULL, "no command '%s'", argv[1]);
	print_overview(stdout);
	return 0;
}

static int cmd_version(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return print_help("version");
	printf("cancelatlas %s (methodology %s)\n", VERSION,
	       method_current()->version);
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1;
	/* Options before the command apply to it: --data DIR check. */
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			print_overview(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--version")) {
			return cmd_version(0, NULL);
		} else if (!strcmp(argv[i], "--data") && i + 1 < argc) {
			data_dir = argv[++i];
		} else if (!strncmp(argv[i], "--data=", 7)) {
			data_dir = argv[i] + 7;
		} else {
			return usage_error(NULL, "unknown option '%s'",
					   argv[i]);
		}
	}
	if (i == argc) {
		print_overview(stderr);
		return EXIT_USAGE;
	}
	const struct command *c = find_command(argv[i]);
	if (!c)
		return usage_error(NULL, "no command '%s'", argv[i]);
	optind = 1;
	return c->run(argc - i, argv + i);
}
