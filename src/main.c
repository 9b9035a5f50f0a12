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
#include "import.h"
#include "http.h"
#include "method.h"
#include "opendata.h"
#include "report.h"
#include "review.h"
#include "site.h"
#include "store.h"
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
		/* No option takes an empty value: "--out ''" is a slip. */
		if (c != '?' && c != ':' && optarg && !*optarg) {
			const char *name = argv[optind - 1] == optarg
						   ? argv[optind - 2]
						   : argv[optind - 1];
			*status =
				usage_error(cmd, "option '%.*s' needs a value",
					    (int)strcspn(name, "="), name);
			return -2;
		}
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
	struct dataset_opts opts = { .today = date_today(),
				     .site = SITEINFO_EXPECTED };
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
	/* The JSON names the record's page, on the site's base URL. */
	struct dataset_opts opts = { .today = date_today(),
				     .only_id = id,
				     .site = json ? SITEINFO_REQUIRED
						  : SITEINFO_OPTIONAL };
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
			json_t *j = opendata_company(&ds->site, m, r);
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
	/* The site settings too, checked, so the new folder builds. */
	struct site_info site;
	siteinfo_load(data_dir, NULL, SITEINFO_REQUIRED, arena, d, &site);
	status = finish_diag(d, 0, false);
	if (!status && !nindustries) {
		fprintf(stderr, "cancelatlas: %s lists no industry\n",
			path.data);
		status = EXIT_DATA;
	}
	if (!status && gen_records(out, (size_t)n, seed, date_today(),
				   industries, nindustries))
		status = EXIT_DATA;
	if (!status) {
		text = dataset_read_file(site.file, &len);
		if (!text || gen_write_settings(out, text, len))
			status = EXIT_DATA;
		free(text);
	}
	buf_free(&path);
	arena_free(arena);
	diag_free(d);
	return status;
}

/* ---- build ----------------------------------------------------------- */

/* --base-url URL for build and serve: 0, or the usage error's status. */
static int base_url_option(const char *cmd, const char *url)
{
	struct buf why = BUF_INIT;
	int status = 0;
	if (!siteinfo_base_url_check(url, &why))
		status = usage_error(cmd,
				     "--base-url '%s' is not a base URL: %s "
				     "(e.g. --base-url http://127.0.0.1:8080)",
				     url, buf_cstr(&why));
	buf_free(&why);
	return status;
}

#ifndef CANCELATLAS_SHARE
#define CANCELATLAS_SHARE "/usr/local/share/cancelatlas"
#endif

/* Templates next to the data by default, else where `make install` put
 * them. */
static const char *default_templates(void)
{
	struct stat st;
	if (stat("templates/layout.mustache", &st) == 0)
		return "templates";
	return CANCELATLAS_SHARE "/templates";
}

static void print_size(FILE *out, size_t bytes)
{
	if (bytes >= 10u << 20)
		fprintf(out, "%.1f MiB", (double)bytes / (1 << 20));
	else
		fprintf(out, "%.1f KiB", (double)bytes / 1024);
}

/*
 * The decisions on corrections and audits, for the public log, from the
 * store when there is one; a site without a store has an empty log.
 */
static void load_decisions(const char *db, struct arena *a,
			   struct site_opts *opts)
{
	struct buf path = BUF_INIT, err = BUF_INIT;
	if (db)
		buf_puts(&path, db);
	else
		review_default_db(data_dir, &path);
	struct stat st;
	if (!db && stat(path.data, &st) != 0) {
		buf_free(&path);
		return;
	}
	struct store *store = store_open(path.data, STORE_READONLY, 0, &err);
	struct store_decision *v = NULL;
	size_t n = 0;
	if (!store || store_decisions_list(store, a, &v, &n, &err) != 0)
		fprintf(stderr, "cancelatlas: the public log is left out: %s\n",
			buf_cstr(&err));
	opts->decisions = v;
	opts->ndecisions = n;
	store_close(store);
	buf_free(&path);
	buf_free(&err);
}

static int cmd_build(int argc, char **argv)
{
	static const struct option extra[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "templates", required_argument, NULL, 't' },
		{ "db", required_argument, NULL, 'D' },
		{ "base-url", required_argument, NULL, 'B' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL;
	struct site_opts opts = {
		.out_dir = "site",
		.today = date_today(),
		.generated = date_now(),
		.progress = isatty(STDERR_FILENO),
	};
	int status = 0, c;
	while ((c = next_option("build", argc, argv, "o:t:", extra, &status)) !=
	       -1) {
		if (c == -2)
			return status;
		if (c == 'o')
			opts.out_dir = optarg;
		if (c == 't')
			opts.templates_dir = optarg;
		if (c == 'D')
			db = optarg;
		if (c == 'B' && (status = base_url_option("build", optarg)))
			return status;
		if (c == 'B')
			opts.base_url = optarg;
	}
	if (optind < argc)
		return usage_error("build", "unexpected argument '%s'",
				   argv[optind]);
	opts.data_dir = data_dir;
	if (!opts.templates_dir)
		opts.templates_dir = default_templates();

	struct arena *decisions = arena_new();
	load_decisions(db, decisions, &opts);
	struct diag *d = diag_new();
	struct buf err = BUF_INIT;
	struct site_stats st = { 0 };
	int rc = site_build(&opts, d, &st, &err);
	arena_free(decisions);
	finish_diag(d, 0, false);
	if (rc == 1) {
		fprintf(stderr,
			"cancelatlas: build refused: %zu error%s in the data; "
			"%s is unchanged\n",
			diag_count(d, DIAG_ERROR),
			diag_count(d, DIAG_ERROR) == 1 ? "" : "s",
			opts.out_dir);
		status = EXIT_DATA;
	} else if (rc != 0) {
		fprintf(stderr,
			"cancelatlas: build failed: %s; %s is "
			"unchanged\n",
			buf_cstr(&err), opts.out_dir);
		status = EXIT_DATA;
	} else {
		printf("built %zu record%s: %zu pages, %zu files, ", st.records,
		       st.records == 1 ? "" : "s", st.pages, st.files);
		print_size(stdout, st.bytes);
		/* "site/" as given, or "site": said once with one slash. */
		int len = (int)strlen(opts.out_dir);
		while (len > 1 && opts.out_dir[len - 1] == '/')
			len--;
		printf(" in %.2f s into %.*s/\n", st.seconds, len,
		       opts.out_dir);
	}
	buf_free(&err);
	diag_free(d);
	return status;
}

/* ---- serve ----------------------------------------------------------- */

static bool parse_uint(const char *s, unsigned max, unsigned *out)
{
	uint64_t v;
	if (!parse_u64(s, &v) || v > max)
		return false;
	*out = (unsigned)v;
	return true;
}

static int cmd_serve(int argc, char **argv)
{
	static const struct option extra[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "templates", required_argument, NULL, 't' },
		{ "bind", required_argument, NULL, 'b' },
		{ "port", required_argument, NULL, 'p' },
		{ "db", required_argument, NULL, 'D' },
		{ "access-log", no_argument, NULL, 'a' },
		{ "no-build", no_argument, NULL, 'n' },
		{ "threads", required_argument, NULL, 'T' },
		{ "rate-limit", required_argument, NULL, 'r' },
		{ "base-url", required_argument, NULL, 'B' },
		{ NULL, 0, NULL, 0 },
	};
	struct http_serve_opts o = {
		.site = { .out_dir = "site",
			  .progress = isatty(STDERR_FILENO) },
		.build = true,
		.http = { .bind = "127.0.0.1", .port = 8080 },
	};
	int status = 0, c;
	unsigned v;
	while ((c = next_option("serve", argc, argv, "", extra, &status)) !=
	       -1) {
		if (c == -2)
			return status;
		if (c == 'o')
			o.site.out_dir = optarg;
		else if (c == 't')
			o.site.templates_dir = optarg;
		else if (c == 'b')
			o.http.bind = optarg;
		else if (c == 'D')
			o.db_path = optarg;
		else if (c == 'a')
			o.http.access_log = true;
		else if (c == 'n')
			o.build = false;
		else if (c == 'B' &&
			 (status = base_url_option("serve", optarg)))
			return status;
		else if (c == 'B')
			o.site.base_url = optarg;
		else if (c == 'p' && parse_uint(optarg, 65535, &v))
			o.http.port = v;
		else if (c == 'T' && parse_uint(optarg, 64, &v) && v)
			o.http.threads = v;
		else if (c == 'r' && parse_uint(optarg, 1000000, &v))
			o.http.rate_per_min = v ? (int)v : -1;
		else
			return usage_error("serve", "'%s' is not a valid %s",
					   optarg,
					   c == 'p'   ? "port (0 to 65535)"
					   : c == 'T' ? "thread count (1 to 64)"
						      : "number of writes");
	}
	if (optind < argc)
		return usage_error("serve", "unexpected argument '%s'",
				   argv[optind]);
	o.site.data_dir = data_dir;
	if (!o.site.templates_dir)
		o.site.templates_dir = default_templates();
	struct buf db = BUF_INIT;
	if (!o.db_path) {
		review_default_db(data_dir, &db);
		o.db_path = db.data;
	}
	status = http_serve(&o) ? EXIT_DATA : 0;
	buf_free(&db);
	return status;
}

/* ---- corrections, audits ---------------------------------------------- */

static int cmd_review(const char *cmd, enum store_kind kind, int argc,
		      char **argv)
{
	static const struct option extra[] = {
		{ "db", required_argument, NULL, 'D' },
		{ "status", required_argument, NULL, 's' },
		{ "reason", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db_path = NULL, *reason = NULL;
	int status = 0, c, only = -1;
	while ((c = next_option(cmd, argc, argv, "", extra, &status)) != -1) {
		if (c == -2)
			return status;
		if (c == 'D')
			db_path = optarg;
		else if (c == 'r')
			reason = optarg;
		else if (c == 's' && (only = store_status_parse(optarg)) < 0)
			return usage_error(cmd,
					   "--status is pending, accepted or "
					   "rejected, not '%s'",
					   optarg);
	}
	if (optind == argc)
		return usage_error(cmd, "%s",
				   "say list, show, accept or reject");
	const char *action = argv[optind++];
	bool list = !strcmp(action, "list");
	if (!list && strcmp(action, "show") && strcmp(action, "accept") &&
	    strcmp(action, "reject"))
		return usage_error(cmd, "no action '%s'", action);
	if (list ? optind != argc : optind + 1 != argc)
		return usage_error(cmd, "%s %s", action,
				   list ? "takes no argument"
					: "takes one tracking id");
	if (!strcmp(action, "reject") && (!reason || !*reason))
		return usage_error(cmd, "%s",
				   "a rejection needs --reason TEXT");
	struct buf db = BUF_INIT;
	if (!db_path) {
		review_default_db(data_dir, &db);
		db_path = db.data;
	}
	struct review_ctx ctx = { db_path, data_dir, stdout, stderr };
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
	return status ? EXIT_DATA : 0;
}

static int cmd_corrections(int argc, char **argv)
{
	return cmd_review("corrections", STORE_CORRECTION, argc, argv);
}

static int cmd_audits(int argc, char **argv)
{
	return cmd_review("audits", STORE_AUDIT, argc, argv);
}

/* ---- import ---------------------------------------------------------- */

static int cmd_import(int argc, char **argv)
{
	static const struct option extra[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	int status = 0, c;
	bool force = false, dry_run = false;
	while ((c = next_option("import", argc, argv, "", extra, &status)) !=
	       -1) {
		if (c == -2)
			return status;
		if (c == 'f')
			force = true;
		if (c == 'n')
			dry_run = true;
	}
	if (optind + 1 != argc)
		return usage_error("import", "%s",
				   "import takes one JSON file");
	return import_command(argv[optind], data_dir, force, dry_run, stdout);
}

/* ---- dispatch -------------------------------------------------------- */

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const struct command commands[] = {
	{ "check", cmd_check, "check [--data DIR] [--list-codes]",
	  "Load DIR/site.yaml and every record in DIR/records and apply\n"
	  "every rule of the record format. Each problem is printed as\n"
	  "FILE:LINE:COL with a stable code (E0nn errors, W1nn warnings),\n"
	  "then a count. A missing site.yaml is a warning here (W106);\n"
	  "build and serve need it.\n\n"
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
	{ "build", cmd_build,
	  "build [--data DIR] [--out DIR] [--templates DIR] [--db FILE]\n"
	  "         [--base-url URL]",
	  "Check the data, then write the whole site (pages, API files,\n"
	  "CSV, feeds, badges, citations) into a new folder beside OUT and\n"
	  "swap it in at the end. A failed build leaves the last good site\n"
	  "untouched and says why. A progress bar shows on a terminal; the\n"
	  "last line counts records, pages, files, bytes and seconds.\n\n"
	  "  --out DIR        the site folder (default: site): new, empty,\n"
	  "                   or one a build wrote (it holds the file\n"
	  "                   .cancelatlas-site); never another folder\n"
	  "  --templates DIR  templates and assets (default: templates)\n"
	  "  --db FILE        corrections and audits for the public log\n"
	  "                   (default: cancelatlas.db beside the data\n"
	  "                   folder, when it exists)\n"
	  "  --base-url URL   the site's address for this build only, in\n"
	  "                   place of the url in DIR/site.yaml (staging:\n"
	  "                   http://127.0.0.1:8080); every absolute link,\n"
	  "                   feed id, citation and API URL is made from it\n"
	  "  --data DIR       the data folder (default: data)\n\n"
	  "The site's name, url, contact and data licence come from\n"
	  "DIR/site.yaml; a build without it fails and says what to put in\n"
	  "it. SOURCE_DATE_EPOCH, when set, is the build time stamped on\n"
	  "every file, so two builds of the same data are identical.\n" },
	{ "new", cmd_new, "new [--data DIR] [--force] [--stdout] ID",
	  "Write DIR/records/ID.yaml, a commented skeleton. It fails\n"
	  "'check' until every TODO is replaced.\n\n"
	  "  --force      overwrite an existing file\n"
	  "  --stdout     print the skeleton instead of writing it\n" },
	{ "gen", cmd_gen, "gen [--data DIR] N [--seed S] --out OUT",
	  "Write N fictional records (names invented, URLs under\n"
	  "example.com, marked fictional) as a data folder in OUT, using the\n"
	  "industries of DIR/industries.yaml, with a copy of DIR/site.yaml.\n"
	  "The same seed gives the same records; dates are relative to\n"
	  "today, or to SOURCE_DATE_EPOCH when it is set.\n\n"
	  "  --seed S     the random seed (default: 1)\n"
	  "  --out OUT    the folder to write (created; must be empty)\n"
	  "  --data DIR   where industries.yaml and site.yaml are read\n"
	  "               (default: data)\n" },
	{ "serve", cmd_serve,
	  "serve [--data DIR] [--out DIR] [--bind ADDR] [--port N]\n"
	  "         [--db FILE] [--access-log] [--no-build] [--threads N]\n"
	  "         [--rate-limit N] [--base-url URL]",
	  "Build the site into OUT (as 'build' does), then serve it from\n"
	  "memory with gzip and brotli, ETags and security headers, and take\n"
	  "correction requests (POST /api/v1/corrections, JSON or the form)\n"
	  "and crowd audits (POST /api/v1/audits) into the database. Prints\n"
	  "'serving http://ADDR:PORT/ (...)' when ready. SIGHUP rebuilds and\n"
	  "swaps the site in without dropping a connection (a failed build\n"
	  "keeps the old one); SIGTERM or Ctrl-C lets requests finish and\n"
	  "exits 0.\n\n"
	  "  --out DIR        the site folder (default: site)\n"
	  "  --templates DIR  templates and assets (default: templates)\n"
	  "  --bind ADDR      the address to listen on (default: 127.0.0.1)\n"
	  "  --port N         the port; 0 picks a free one (default: 8080)\n"
	  "  --db FILE        the review queue (default: cancelatlas.db\n"
	  "                   beside the data folder)\n"
	  "  --access-log     one line per request on stdout\n"
	  "  --no-build       serve OUT as it is; SIGHUP reloads it\n"
	  "  --threads N      serving threads (default: 2)\n"
	  "  --rate-limit N   submissions per client address a minute\n"
	  "                   (default: 10; 0: no limit)\n"
	  "  --base-url URL   build with this address in place of the url\n"
	  "                   in DIR/site.yaml (as 'build --base-url')\n"
	  "  --data DIR       the data folder (default: data)\n" },
	{ "corrections", cmd_corrections,
	  "corrections [--db FILE] list [--status S] | show ID |\n"
	  "         accept ID [--reason TEXT] | reject ID --reason TEXT",
	  "Review correction requests sent to 'serve'. 'list' prints one\n"
	  "line per request (tracking id, date, status, record, field),\n"
	  "oldest first; 'show' prints one in full, the contact email\n"
	  "included. 'accept' and 'reject' log the decision with its reason\n"
	  "and date; it shows in the public log at the next build. An\n"
	  "accepted request prints the record file, line and field to\n"
	  "change: nothing but that file ever changes a score.\n\n"
	  "  --db FILE      the review queue (default: cancelatlas.db beside\n"
	  "                 the data folder)\n"
	  "  --status S     list only pending, accepted or rejected\n"
	  "  --reason TEXT  why (required to reject)\n"
	  "  --data DIR     the data folder (default: data)\n\n"
	  "Exit status: 0 done, 1 no such request, already decided or the\n"
	  "database cannot be used, 2 usage errors.\n" },
	{ "audits", cmd_audits,
	  "audits [--db FILE] list [--status S] | show ID |\n"
	  "         accept ID [--reason TEXT] | reject ID --reason TEXT",
	  "Review crowd Verified-Flow audits sent to 'serve', as\n"
	  "'corrections' does. An accepted audit prints the `flow:` entry to\n"
	  "add to the record file (tier crowd_verified) and the commands\n"
	  "that fetch its evidence into the data folder and hash it.\n\n"
	  "  --db FILE      the review queue (default: cancelatlas.db beside\n"
	  "                 the data folder)\n"
	  "  --status S     list only pending, accepted or rejected\n"
	  "  --reason TEXT  why (required to reject)\n"
	  "  --data DIR     the data folder (default: data)\n" },
	{ "import", cmd_import,
	  "import [--data DIR] [--force] [--dry-run] FILE",
	  "Read FILE in the /api/v1/companies.json shape (ours or the\n"
	  "reference system's as it publishes it: a whole companies.json, a\n"
	  "list of companies or one company) and write one record per company\n"
	  "to DIR/records/ID.yaml. Scores are recomputed from the levels; a\n"
	  "line says where the file states another score or grade. Nothing\n"
	  "published is skipped: a value that cannot be taken as it stands is\n"
	  "recorded as the text says, or left out, with a warning naming the\n"
	  "company and the field (W110-W112), and industries not yet listed\n"
	  "are added to DIR/industries.yaml. A company is skipped only when "
	  "no\n"
	  "record can be made of it. Every record is checked as 'check' would\n"
	  "before it is written; the report ends with the count, the warnings\n"
	  "by kind and the industries added. Imported records have no 'why'\n"
	  "reasons unless the file gives them, so 'check' warns W103 until an\n"
	  "editor adds them.\n\n"
	  "  --force      replace existing record files\n"
	  "  --dry-run    check and report, write nothing\n"
	  "  --data DIR   the data folder (default: data)\n\n"
	  "Exit status: 0 all imported (warnings allowed), 1 a company\n"
	  "skipped or the file unusable, 2 usage errors or no usable data\n"
	  "folder.\n" },
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
