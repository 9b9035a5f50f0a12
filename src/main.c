/*
 * main.c - the cancelatlas command line: parse arguments, call the module
 * that does the work, map the outcome to an exit status.
 *
 * Exit status: 0 success (warnings allowed), 1 data errors or a missing
 * record, 2 usage errors. Diagnostics go to stderr, results to stdout.
 */
#include "datafile.h"
#include "dataset.h"
#include "diag.h"
#include "fresh.h"
#include "gen.h"
#include "skeleton.h"
#include "histprint.h"
#include "history.h"
#include "import.h"
#include "http.h"
#include "method.h"
#include "monitor.h"
#include "opendata.h"
#include "pagestate.h"
#include "report.h"
#include "review.h"
#include "site.h"
#include "store.h"
#include "suggest.h"
#include "validate.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
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
static bool data_dir_given;

static const struct command *find_command(const char *name);

/*
 * Say what went wrong in one line, ending with where to look when the
 * message holds no suggestion of its own ("; did you mean ...?").
 */
static int usage_say(const char *cmd, const struct buf *msg, bool suggested)
{
	fprintf(stderr, "cancelatlas: %s", buf_cstr(msg));
	if (!suggested)
		fprintf(stderr, "; see 'cancelatlas %s%s--help'",
			cmd ? cmd : "", cmd ? " " : "");
	fputc('\n', stderr);
	return EXIT_USAGE;
}

static int usage_error(const char *cmd, const char *fmt, ...)
	ATLAS_PRINTF(2, 3);

static int usage_error(const char *cmd, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	usage_say(cmd, &msg, false);
	buf_free(&msg);
	return EXIT_USAGE;
}

static int print_help(const char *name)
{
	const struct command *c = find_command(name);
	printf("usage: cancelatlas %s\n\n%s", c->usage, c->help);
	return 0;
}

/* --data DIR, said once with no trailing slash ("data/" is "data"). */
static void set_data_dir(const char *dir)
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

/*
 * Say @msg, ended with the closest of @names (@n of them, each shown
 * after @prefix) to @word, or with where to look when none is close.
 */
static int say_closest(const char *cmd, struct buf *msg, const char *word,
		       const char *const *names, size_t n, const char *prefix)
{
	struct suggest *s = suggest_new(word);
	for (size_t i = 0; i < n; i++)
		suggest_add(s, names[i], strlen(names[i]));
	size_t before = msg->len;
	suggest_put(s, msg, prefix);
	usage_say(cmd, msg, msg->len > before);
	suggest_free(s);
	return EXIT_USAGE;
}

/* "no WHAT 'TYPED'", with the closest of @names (@n of them). */
static int unknown_word(const char *cmd, const char *what, const char *typed,
			const char *const *names, size_t n)
{
	struct buf msg = BUF_INIT;
	buf_printf(&msg, "no %s '%s'", what, typed);
	say_closest(cmd, &msg, typed, names, n, "");
	buf_free(&msg);
	return EXIT_USAGE;
}

/*
 * An option that is not one of @opts, in the words the user typed
 * (@typed, up to any "="), with the closest of @opts.
 */
static int unknown_option(const char *cmd, const char *typed,
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
	return EXIT_USAGE;
}

/* The long option called @name (@len bytes), or NULL. */
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
		return usage_error(cmd, "option '%s' needs a value", arg);
	size_t len = strcspn(arg, "=");
	if (optopt && !strncmp(arg, "--", 2) && arg[len] == '=')
		return usage_error(cmd, "option '%.*s' takes no value",
				   (int)len, arg);
	if (optopt && optind < argc && argv[optind][0] == '-' &&
	    argv[optind][1] != '-' && strchr(argv[optind] + 1, optopt))
		arg = argv[optind];
	return unknown_option(cmd, arg, opts);
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
			*status =
				usage_error(cmd, "option '%.*s' needs a value",
					    (int)strcspn(name, "="), name);
			return -2;
		}
		/* "-out x" is -o with the value "ut": one dash too few. */
		const char *arg = argv[optind - 1];
		if (optarg && optarg == arg + 2 && arg[1] != '-' &&
		    long_option(opts, arg + 1, strcspn(arg + 1, "="))) {
			*status = unknown_option(cmd, arg, opts);
			return -2;
		}
		switch (c) {
		case 'd':
			set_data_dir(optarg);
			continue;
		case 'h':
			*status = print_help(cmd);
			return -2;
		default:
			return c;
		}
	}
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * The data folder must exist and, when @records, hold records/: else one
 * line that says which, and the exit status of a usage error.
 */
static int require_data(bool records)
{
	if (!is_dir(data_dir)) {
		fprintf(stderr, "cancelatlas: no data folder '%s'%s\n",
			data_dir,
			data_dir_given ? ""
				       : " here (run cancelatlas where it "
					 "is, or name one with --data DIR)");
		return EXIT_USAGE;
	}
	if (!records)
		return 0;
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/records", data_dir);
	bool found = is_dir(path.data);
	buf_free(&path);
	if (!found)
		fprintf(stderr,
			"cancelatlas: '%s' is not a data folder: it has no "
			"records/ folder\n",
			data_dir);
	return found ? 0 : EXIT_USAGE;
}

/*
 * The id a record file's path or a capitalised name means:
 * "data/records/coursera.yaml" and "Coursera" are coursera.
 * Returns a new string; caller frees with free().
 */
static char *id_of_path(const char *path)
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

/*
 * Whether @id names a record file of the data folder: 0 when it does,
 * else one line with the closest ids and the status to exit with (2 for
 * what cannot be an id, such as a path, 1 for an id that is not there).
 */
static int find_record(const char *cmd, const char *id)
{
	struct buf msg = BUF_INIT, path = BUF_INIT;
	int rc = 0;
	struct stat st;
	if (!validate_slug(id)) {
		char *word = id_of_path(id);
		buf_printf(&msg, "'%s' is not a record id", id);
		size_t before = msg.len;
		dataset_suggest_id(data_dir, word, &msg);
		rc = usage_say(cmd, &msg, msg.len > before);
		free(word);
	} else {
		buf_printf(&path, "%s/records/%s.yaml", data_dir, id);
		if (stat(path.data, &st) != 0) {
			buf_printf(&msg, "no record '%s' in %s/records", id,
				   data_dir);
			dataset_suggest_id(data_dir, id, &msg);
			fprintf(stderr, "cancelatlas: %s\n", msg.data);
			rc = EXIT_DATA;
		}
	}
	buf_free(&path);
	buf_free(&msg);
	return rc;
}

/*
 * A word the command does not take; @option, when not NULL, is the
 * option it was probably meant for ("check demo": "--data demo").
 */
static int unexpected_argument(const char *cmd, const char *arg,
			       const char *option)
{
	struct buf msg = BUF_INIT;
	buf_printf(&msg, "unexpected argument '%s'", arg);
	if (option)
		buf_printf(&msg, "; did you mean '--%s %s'?", option, arg);
	usage_say(cmd, &msg, option != NULL);
	buf_free(&msg);
	return EXIT_USAGE;
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
		return unexpected_argument("check", argv[optind],
					   is_dir(argv[optind]) ? "data"
								: NULL);
	if ((status = require_data(true)) != 0)
		return status;
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
		return usage_error("score",
				   "score takes one record id: the name of a "
				   "file in %s/records, without .yaml",
				   data_dir);
	const char *id = argv[optind];
	if ((status = require_data(true)) != 0 ||
	    (status = find_record("score", id)) != 0)
		return status;

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

/*
 * Whether a file at @path would land in a records folder: the data
 * folder's own (through any symlink or "..") or any folder named records
 * beside an industries.yaml, which is what a data folder looks like.
 * Returns: the folder's real path (caller frees), or NULL.
 */
static char *records_folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *parent =
		slash ? xstrndup(path,
				 slash == path ? 1 : (size_t)(slash - path))
		      : xstrdup(".");
	char *real = realpath(parent, NULL);
	struct buf other = BUF_INIT;
	buf_printf(&other, "%s/records", data_dir);
	char *ours = realpath(other.data, NULL);
	if (real && !(ours && !strcmp(real, ours))) {
		const char *base = strrchr(real, '/');
		buf_reset(&other);
		buf_printf(&other, "%s/../industries.yaml", real);
		if (strcmp(base ? base + 1 : real, "records") ||
		    access(other.data, F_OK) != 0) {
			free(real);
			real = NULL;
		}
	}
	free(ours);
	free(parent);
	buf_free(&other);
	return real;
}

static int cmd_new(int argc, char **argv)
{
	static const struct option extra[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	int status = 0, c;
	bool force = false;
	const char *out = NULL;
	while ((c = next_option("new", argc, argv, "o:", extra, &status)) != -1)
		if (c == -2)
			return status;
		else if (c == 'f')
			force = true;
		else if (c == 'o')
			out = optarg;
	if (optind + 2 == argc && !out)
		return unexpected_argument("new", argv[optind + 1], "out");
	if (optind + 1 != argc)
		return usage_error("new", "%s", "new takes one record id");
	const char *id = argv[optind];
	if (!validate_slug(id)) {
		/* "new acme.yaml" means acme. */
		char *meant = id_of_path(id);
		struct buf msg = BUF_INIT;
		buf_printf(&msg, "'%s' is not a valid id", id);
		if (validate_slug(meant))
			buf_printf(&msg, "; did you mean '%s'?", meant);
		else
			buf_puts(&msg, ": use lower-case letters, digits and "
				       "single hyphens");
		usage_say("new", &msg, true);
		buf_free(&msg);
		free(meant);
		return EXIT_USAGE;
	}
	if (out && !strcmp(out, "-"))
		out = NULL;
	if (!out && force)
		return usage_error("new", "%s",
				   "--force overwrites the file named by "
				   "--out FILE; without it, new prints the "
				   "skeleton");
	if (!out)
		return skeleton_write(stdout, id, date_today()) ? EXIT_DATA : 0;

	/* --out DIR names the file DIR/ID.yaml. */
	struct buf path = BUF_INIT;
	size_t len = strlen(out);
	if (is_dir(out))
		buf_printf(&path, "%s%s%s.yaml", out,
			   out[len - 1] == '/' ? "" : "/", id);
	else
		buf_puts(&path, out);
	char *records = records_folder_of(path.data);
	if (records) {
		fprintf(stderr,
			"cancelatlas: new writes no skeleton into a records "
			"folder: it fails 'check' until every TODO is filled "
			"in; write it elsewhere (--out %s.yaml), fill it in, "
			"then move it into %s/\n",
			id, records);
		free(records);
		buf_free(&path);
		return EXIT_DATA;
	}
	FILE *f = fopen(path.data, force ? "w" : "wx");
	if (!f) {
		fprintf(stderr, "cancelatlas: cannot create %s: %s%s\n",
			path.data, strerror(errno),
			errno == EEXIST ? " (--force overwrites it)" : "");
		buf_free(&path);
		return EXIT_DATA;
	}
	int rc = skeleton_write(f, id, date_today());
	if (fclose(f) != 0)
		rc = -1;
	if (rc)
		fprintf(stderr, "cancelatlas: cannot write %s\n", path.data);
	else
		printf("wrote %s: replace every TODO, then move it to "
		       "%s/records/%s.yaml and run 'cancelatlas check'\n",
		       path.data, data_dir, id);
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
	if (optind + 2 == argc && !out)
		return unexpected_argument("gen", argv[optind + 1], "out");
	if (optind + 1 != argc)
		return usage_error("gen", "%s",
				   "gen takes the number of records");
	if (!parse_u64(argv[optind], &n) || n == 0 || n > 10000000)
		return usage_error("gen",
				   "'%s' is not a record count (a whole "
				   "number from 1 to 10000000)",
				   argv[optind]);
	if (!out)
		return usage_error("gen", "%s",
				   "gen needs --out DIR, the folder to write");
	if ((status = require_data(false)) != 0)
		return status;

	/* The industries come from the data folder, so generated records
	 * use exactly the list the checker will accept. */
	struct diag *d = diag_new();
	struct arena *arena = arena_new();
	struct industry_list industries;
	if (dataset_industries_read(data_dir, arena, d, &industries) == -1)
		diag_add(d, DIAG_IO, industries.file, 0, 0, "cannot read: %s",
			 strerror(errno));
	/* The site settings too, checked, so the new folder builds. */
	struct site_info site;
	siteinfo_load(data_dir, NULL, SITEINFO_REQUIRED, arena, d, &site);
	status = finish_diag(d, 0, false);
	if (!status && !industries.n) {
		fprintf(stderr, "cancelatlas: %s lists no industry\n",
			industries.file);
		status = EXIT_DATA;
	}
	struct gen_report report;
	if (!status && gen_records(out, (size_t)n, seed, date_today(),
				   industries.v, industries.n, &report))
		status = EXIT_DATA;
	if (!status) {
		size_t len;
		char *text;
		if (datafile_read(site.file, d, &text, &len) != 0 ||
		    gen_write_settings(out, text, len, &report))
			status = EXIT_DATA;
		free(text);
	}
	if (!status)
		gen_report_print(stdout, out, seed, &report);
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

/*
 * Fill @dir with the templates folder when --templates is not given:
 * "templates" beside the program (a build tree), else
 * "../share/cancelatlas/templates" from its folder, where `make install`
 * puts them whatever the PREFIX. Returns 0, or -1 having said where it
 * looked (and left @dir empty).
 */
static int default_templates(struct buf *dir)
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

/*
 * What `monitor` found of the cited pages, from the same store; a site
 * without one shows every page as unchecked.
 * Returns: the snapshot, or NULL; release with pagestate_db_free().
 */
static struct pagestate_db *load_pages(const char *db)
{
	struct buf path = BUF_INIT, err = BUF_INIT;
	if (db)
		buf_puts(&path, db);
	else
		review_default_db(data_dir, &path);
	struct stat st;
	struct pagestate_db *pages = NULL;
	if (db || stat(path.data, &st) == 0) {
		struct store *store =
			store_open(path.data, STORE_READONLY, 0, &err);
		pages = store ? pagestate_db_load(store, &err) : NULL;
		if (!pages)
			fprintf(stderr,
				"cancelatlas: the monitoring of cited pages "
				"is left out: %s\n",
				buf_cstr(&err));
		store_close(store);
	}
	buf_free(&path);
	buf_free(&err);
	return pages;
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
		return unexpected_argument("build", argv[optind], "out");
	if ((status = require_data(true)) != 0)
		return status;
	opts.data_dir = data_dir;
	struct buf templates = BUF_INIT;
	if (!opts.templates_dir) {
		if (default_templates(&templates) != 0)
			return EXIT_USAGE;
		opts.templates_dir = templates.data;
	}

	struct arena *decisions = arena_new();
	load_decisions(db, decisions, &opts);
	struct pagestate_db *pages = load_pages(db);
	opts.pages = pages;
	struct diag *d = diag_new();
	struct buf err = BUF_INIT;
	struct site_stats st = { 0 };
	int rc = site_build(&opts, d, &st, &err);
	arena_free(decisions);
	pagestate_db_free(pages);
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
		if (st.history_unavailable[0])
			fprintf(stderr,
				"cancelatlas: record history unavailable: %s; "
				"record pages say so\n",
				st.history_unavailable);
		printf("built %zu record%s: %zu pages, %zu files, ", st.records,
		       st.records == 1 ? "" : "s", st.pages, st.files);
		print_size(stdout, st.bytes);
		/* "site/" as given, or "site": said once with one slash. */
		int len = (int)strlen(opts.out_dir);
		while (len > 1 && opts.out_dir[len - 1] == '/')
			len--;
		printf(" in %.2f s into %.*s/\n", st.seconds, len,
		       opts.out_dir);
		if (st.leftovers) {
			printf("removed %zu folder%s that interrupted builds "
			       "left beside it (",
			       st.leftovers, st.leftovers == 1 ? "" : "s");
			print_size(stdout, st.leftover_bytes);
			printf(")\n");
		}
	}
	buf_free(&err);
	diag_free(d);
	buf_free(&templates);
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
		{ "lock-timeout", required_argument, NULL, 'L' },
		{ "head-timeout", required_argument, NULL, 'H' },
		{ "body-timeout", required_argument, NULL, 'Y' },
		{ "max-connections", required_argument, NULL, 'M' },
		{ "per-address", required_argument, NULL, 'P' },
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
		else if (c == 'L' &&
			 parse_uint(optarg, HTTP_LOCK_TIMEOUT_MAX_MS, &v) && v)
			o.http.lock_timeout_ms = (int)v;
		else if (c == 'H' && parse_uint(optarg, 3600, &v) && v)
			o.http.head_timeout = v;
		else if (c == 'Y' && parse_uint(optarg, 3600, &v) && v)
			o.http.body_timeout = v;
		else if (c == 'M' && parse_uint(optarg, 1000000, &v) && v >= 16)
			o.http.conn_limit = v;
		else if (c == 'P' && parse_uint(optarg, 1000000, &v) && v)
			o.http.per_ip_limit = v;
		else
			return usage_error(
				"serve", "'%s' is not a valid %s", optarg,
				c == 'p'   ? "port (0 to 65535)"
				: c == 'T' ? "thread count (1 to 64)"
				: c == 'L' ? "lock timeout (1 to 10000 ms)"
				: c == 'H' || c == 'Y'
					? "number of seconds (1 to 3600)"
				: c == 'M' ? "connection limit (16 or more)"
				: c == 'P' ? "connection limit (1 or more)"
					   : "number of writes");
	}
	if (optind < argc)
		return unexpected_argument(
			"serve", argv[optind],
			parse_uint(argv[optind], 65535, &v) ? "port" : NULL);
	if (o.build && (status = require_data(true)) != 0)
		return status;
	o.site.data_dir = data_dir;
	struct buf templates = BUF_INIT, db = BUF_INIT;
	if (o.build && !o.site.templates_dir) {
		if (default_templates(&templates) != 0)
			return EXIT_USAGE;
		o.site.templates_dir = templates.data;
	}
	if (!o.db_path) {
		review_default_db(data_dir, &db);
		o.db_path = db.data;
	}
	status = http_serve(&o) ? EXIT_DATA : 0;
	buf_free(&db);
	buf_free(&templates);
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
	static const char *const actions[] = { "list", "show", "accept",
					       "reject" };
	const char *const statuses[] = { store_status_str(STORE_PENDING),
					 store_status_str(STORE_ACCEPTED),
					 store_status_str(STORE_REJECTED) };
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
			return unknown_word(cmd, "status", optarg, statuses,
					    ATLAS_COUNT(statuses));
	}
	if (optind == argc)
		return usage_error(cmd, "%s",
				   "say list, show, accept or reject");
	const char *action = argv[optind++];
	size_t known = 0;
	while (known < ATLAS_COUNT(actions) && strcmp(action, actions[known]))
		known++;
	if (known == ATLAS_COUNT(actions))
		return unknown_word(cmd, "action", action, actions,
				    ATLAS_COUNT(actions));
	bool list = !strcmp(action, "list");
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
	/* Importing may start a data folder: records/ is made if missing. */
	if ((status = require_data(false)) != 0)
		return status;
	enum import_outcome done = import_command(argv[optind], data_dir, force,
						  dry_run, use_color(), stdout);
	return done == IMPORT_NO_DATA  ? EXIT_USAGE
	       : done == IMPORT_ERRORS ? EXIT_DATA
				       : 0;
}

/* ---- history --------------------------------------------------------- */

/*
 * --all (not in the help: for bench/history.sh) prints every record's
 * history as one JSON array and, on stderr, what the read cost.
 */
static int history_all(const struct method *m)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct history *h = history_load(data_dir, NULL);
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

static int cmd_history(int argc, char **argv)
{
	static const struct option extra[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	int status = 0, c;
	bool json = false, all = false;
	while ((c = next_option("history", argc, argv, "", extra, &status)) !=
	       -1)
		if (c == -2)
			return status;
		else if (c == 'j')
			json = true;
		else if (c == 'a')
			all = true;
	const struct method *m = method_current();
	if (all) {
		if (optind < argc)
			return unexpected_argument("history", argv[optind],
						   NULL);
		if ((status = require_data(true)) != 0)
			return status;
		return history_all(m);
	}
	if (optind + 1 != argc)
		return usage_error("history",
				   "history takes one record id: the name of a "
				   "file in %s/records, without .yaml",
				   data_dir);
	const char *id = argv[optind];
	if ((status = require_data(true)) != 0 ||
	    (status = find_record("history", id)) != 0)
		return status;

	struct history_opts opts = { .only_id = id };
	struct history *h = history_load(data_dir, &opts);
	const char *why = history_unavailable(h);
	const struct history_record *r = history_find(h, id);
	if (!r) {
		fprintf(stderr, "cancelatlas: no record '%s' in %s/records\n",
			id, data_dir);
		history_free(h);
		return EXIT_DATA;
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
		json_t *j = histprint_json(m, r, why);
		json_dumpf(j, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
		putchar('\n');
		json_decref(j);
	} else {
		printf("%s: %zu version%s, newest first (scores by %s)\n", id,
		       r->nversions, r->nversions == 1 ? "" : "s", m->version);
		histprint_text(stdout, m, r);
	}
	history_free(h);
	/* Only a record none of whose versions loads is a data error. */
	return loaded ? 0 : EXIT_DATA;
}

/* ---- monitor --------------------------------------------------------- */

static int cmd_monitor(int argc, char **argv)
{
	static const struct option extra[] = {
		{ "db", required_argument, NULL, 'D' },
		{ "only", required_argument, NULL, 'O' },
		{ "json", no_argument, NULL, 'j' },
		{ "delay", required_argument, NULL, 'w' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "max-bytes", required_argument, NULL, 'M' },
		{ "retries", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
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
	while ((c = next_option("monitor", argc, argv, "", extra, &status)) !=
	       -1) {
		if (c == -2)
			goto done;
		if (c == 'D')
			db = optarg;
		else if (c == 'O')
			ids[nids++] = optarg;
		else if (c == 'j')
			json = true;
		else if (c == 'w' && parse_u64(optarg, &v) && v <= 600000)
			mo.delay_ms = (long)v;
		else if (c == 'T' && parse_u64(optarg, &v) && v && v <= 600000)
			mo.timeout_ms = (long)v;
		else if (c == 'M' && parse_u64(optarg, &v) && v &&
			 v <= 1u << 30)
			mo.max_bytes = (size_t)v;
		else if (c == 'r' && parse_u64(optarg, &v) && v <= 10)
			mo.retries = (int)v;
		else {
			status = usage_error(
				"monitor", "'%s' is not a valid %s", optarg,
				c == 'w'   ? "delay (0 to 600000 ms)"
				: c == 'T' ? "timeout (1 to 600000 ms)"
				: c == 'M' ? "size (1 to 1073741824 bytes)"
					   : "number of retries (0 to 10)");
			goto done;
		}
	}
	/* --only a b c: the words after --only are ids too. */
	for (; optind < argc; optind++) {
		if (!nids) {
			status = unexpected_argument("monitor", argv[optind],
						     "only");
			goto done;
		}
		ids[nids++] = argv[optind];
	}
	if ((status = require_data(true)) != 0)
		goto done;
	for (size_t i = 0; i < nids; i++)
		if ((status = find_record("monitor", ids[i])) != 0)
			goto done;

	struct diag *d = diag_new();
	struct dataset *ds = NULL;
	struct dataset_opts opts = { .today = date_today(),
				     .only_id = nids == 1 ? ids[0] : NULL,
				     .site = SITEINFO_OPTIONAL };
	int rc = dataset_load(data_dir, &opts, d, &ds);
	finish_diag(d, 0, false);
	if (rc != 0 || diag_count(d, DIAG_ERROR)) {
		if (rc == 0)
			fprintf(stderr,
				"cancelatlas: monitor refused: %zu error%s in "
				"the data\n",
				diag_count(d, DIAG_ERROR),
				diag_count(d, DIAG_ERROR) == 1 ? "" : "s");
		status = rc != 0 ? EXIT_USAGE : EXIT_DATA;
		dataset_free(ds);
		diag_free(d);
		goto done;
	}
	diag_free(d);
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
	mo.site = &ds->site;
	mo.log = getenv("CANCELATLAS_MONITOR_LOG") ? stderr : NULL;
	struct buf path = BUF_INIT, err = BUF_INIT;
	if (db)
		buf_puts(&path, db);
	else
		review_default_db(data_dir, &path);
	struct store *store = store_open(path.data, STORE_CREATE, 0, &err);
	if (!store) {
		fprintf(stderr, "cancelatlas: %s\n", buf_cstr(&err));
		status = EXIT_DATA;
	} else if (monitor_run(store, records, n, &mo, &err) != 0 ||
		   (status = monitor_report(store, records, n, json, stdout,
					    &err)) < 0) {
		fprintf(stderr, "cancelatlas: monitor: %s\n", buf_cstr(&err));
		status = EXIT_DATA;
	}
	store_close(store);
	buf_free(&path);
	buf_free(&err);
	free(records);
	dataset_free(ds);
done:
	free(ids);
	return status;
}

/* ---- dispatch -------------------------------------------------------- */

/* ---- stale ----------------------------------------------------------- */

/*
 * Join monitoring's reasons to the age: a page @ds's records cite that
 * changed, moved (as changed) or broke since the review, from the store
 * @db (default: the data folder's, when there is one). A --db that cannot
 * be read is a usage error; a default one that cannot, only said.
 */
static int add_monitor_reasons(const char *db, const struct dataset *ds,
			       struct fresh_list *l)
{
	if (db && access(db, R_OK) != 0) {
		fprintf(stderr, "cancelatlas: no database '%s'\n", db);
		return EXIT_USAGE;
	}
	struct pagestate_db *pages = load_pages(db);
	if (db && !pages)
		return EXIT_USAGE;
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

static int cmd_stale(int argc, char **argv)
{
	static const struct option extra[] = {
		{ "days", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "db", required_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	int status = 0, c;
	bool json = false;
	const char *db = NULL;
	unsigned days = FRESH_STALE_DAYS;
	while ((c = next_option("stale", argc, argv, "", extra, &status)) !=
	       -1) {
		if (c == -2)
			return status;
		if (c == 'j')
			json = true;
		if (c == 'D')
			db = optarg;
		if (c == 'n' && !parse_uint(optarg, 100000, &days))
			return usage_error("stale",
					   "--days '%s' is not a number of "
					   "days (0 to 100000)",
					   optarg);
	}
	if (optind < argc)
		return unexpected_argument("stale", argv[optind],
					   is_dir(argv[optind]) ? "data"
								: NULL);
	if ((status = require_data(true)) != 0)
		return status;
	struct diag *d = diag_new();
	struct dataset *ds;
	date_days today = date_today();
	struct dataset_opts opts = { .today = today,
				     .site = SITEINFO_OPTIONAL };
	if (dataset_load(data_dir, &opts, d, &ds) != 0) {
		finish_diag(d, 0, false);
		diag_free(d);
		return EXIT_USAGE;
	}
	/* Warnings are said only beside errors: every stale record is a
	 * warning of check's too, and the list says it better. */
	if (diag_count(d, DIAG_ERROR))
		status = finish_diag(d, 0, false);
	struct fresh_list *l = fresh_list_new(today, (int)days);
	for (size_t i = 0; i < ds->nrecords; i++)
		fresh_list_check(l, ds->records[i]);
	int monitor = add_monitor_reasons(db, ds, l);
	if (monitor) {
		status = monitor;
	} else if (json) {
		json_t *j = fresh_list_json(l);
		json_dumpf(j, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII);
		putchar('\n');
		json_decref(j);
	} else {
		fresh_list_print(stdout, l);
	}
	if (!monitor && !status && fresh_list_count(l))
		status = EXIT_DATA;
	fresh_list_free(l);
	dataset_free(ds);
	diag_free(d);
	return status;
}

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
	{ "history", cmd_history, "history [--data DIR] [--json] ID",
	  "Print record ID's versions, newest first, from the git history of\n"
	  "the data folder: each commit of first-parent history that changed\n"
	  "DIR/records/ID.yaml (followed through renames), with its date,\n"
	  "short id and first line as the editor's note, the policy and flow\n"
	  "scores, and what changed: \"79 -> 72 (B -> B): refund_disclosed\n"
	  "100 -> 50\", evidence added or removed, the review date, other\n"
	  "facts. Every version is loaded and scored as the current file is,\n"
	  "with the current methodology; a change of the methodology in force\n"
	  "on the commit's date is an entry of its own. A version that does\n"
	  "not load is listed as skipped, with the reason. Without a git\n"
	  "repository, or in a shallow clone, it says why and prints the\n"
	  "current version only. Commits already read are cached in\n"
	  "$XDG_CACHE_HOME/cancelatlas (default ~/.cache/cancelatlas).\n\n"
	  "  --json       print the versions as JSON: date, commit, note,\n"
	  "               score, grade, levels, flow, changes [{kind, field,\n"
	  "               from, to, text}]\n"
	  "  --data DIR   the data folder (default: data)\n\n"
	  "Exit status: 0 printed, 1 no such record or no version of it\n"
	  "loads, 2 usage errors.\n" },
	{ "stale", cmd_stale,
	  "stale [--data DIR] [--days N] [--json] [--db FILE]",
	  "List the records due for review, oldest review first, each with\n"
	  "its review date, how long ago that was and why it is due: reviewed\n"
	  "more than N days before today (SOURCE_DATE_EPOCH when set).\n"
	  "Data errors are printed as check prints them.\n\n"
	  "  --days N     the age past which a review is due (default 180)\n"
	  "  --json       print {today, days, count, records: [{id, name,\n"
	  "               reviewed, review_age_days, reasons: [{kind, url,\n"
	  "               text}]}]}\n"
	  "  --db FILE    the store that monitoring writes to (default: the\n"
	  "               data folder's, when it exists)\n\n"
	  "Exit status: 0 none due, 1 some due (or data errors), 2 usage\n"
	  "errors.\n" },
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
	  "  --templates DIR  templates and assets (default: templates\n"
	  "                   beside the program, else, installed,\n"
	  "                   PREFIX/share/cancelatlas/templates)\n"
	  "  --db FILE        corrections and audits for the public log,\n"
	  "                   and what 'monitor' found of the cited pages\n"
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
	{ "new", cmd_new, "new [--data DIR] [--out FILE [--force]] ID",
	  "Print a commented record skeleton for ID, or write it to FILE.\n"
	  "Every value to supply reads TODO, which 'check' refuses (E030)\n"
	  "until it is replaced, so new never writes into a records folder:\n"
	  "fill the file in elsewhere, then move it to DIR/records/ID.yaml\n"
	  "and run 'cancelatlas check'.\n\n"
	  "  -o, --out FILE  write to FILE instead of standard output (a\n"
	  "                  folder gets FILE/ID.yaml; - is standard output)\n"
	  "  --force         overwrite FILE if it exists\n"
	  "  --data DIR      the data folder (default: data)\n" },
	{ "gen", cmd_gen, "gen [--data DIR] N [--seed S] --out OUT",
	  "Write N fictional records (names invented, URLs under\n"
	  "example.com, marked fictional) as a data folder in OUT, using the\n"
	  "industries of DIR/industries.yaml, with a copy of DIR/site.yaml.\n"
	  "The same seed gives the same records; dates are relative to\n"
	  "today, or to SOURCE_DATE_EPOCH when it is set. The last line says\n"
	  "what was written and how to check it.\n\n"
	  "  --seed S     the random seed (default: 1)\n"
	  "  --out OUT    the folder to write (created; must be empty)\n"
	  "  --data DIR   where industries.yaml and site.yaml are read\n"
	  "               (default: data)\n" },
	{ "serve", cmd_serve,
	  "serve [--data DIR] [--out DIR] [--bind ADDR] [--port N]\n"
	  "         [--db FILE] [--access-log] [--no-build] [--threads N]\n"
	  "         [--rate-limit N] [--lock-timeout MS] [--base-url URL]\n"
	  "         [--head-timeout S] [--body-timeout S]\n"
	  "         [--max-connections N] [--per-address N]",
	  "Build the site into OUT (as 'build' does), then serve it from\n"
	  "memory with gzip and brotli, ETags and security headers, and take\n"
	  "correction requests (POST /api/v1/corrections, JSON or the form)\n"
	  "and crowd audits (POST /api/v1/audits) into the database. Prints\n"
	  "'serving http://ADDR:PORT/ (...)' when ready. SIGHUP rebuilds and\n"
	  "swaps the site in without dropping a connection (a failed build\n"
	  "keeps the old one); SIGTERM or Ctrl-C lets requests finish and\n"
	  "exits 0.\n\n"
	  "  --out DIR        the site folder (default: site)\n"
	  "  --templates DIR  templates and assets (default: templates\n"
	  "                   beside the program, else, installed,\n"
	  "                   PREFIX/share/cancelatlas/templates)\n"
	  "  --bind ADDR      the address to listen on (default: 127.0.0.1)\n"
	  "  --port N         the port; 0 picks a free one (default: 8080)\n"
	  "  --db FILE        the review queue (default: cancelatlas.db\n"
	  "                   beside the data folder)\n"
	  "  --access-log     one line per request on stdout\n"
	  "  --no-build       serve OUT as it is; SIGHUP reloads it\n"
	  "  --threads N      serving threads (default: 2)\n"
	  "  --rate-limit N   submissions per client address a minute\n"
	  "                   (default: 10; 0: no limit)\n"
	  "  --lock-timeout MS\n"
	  "                   how long a submission may wait while another\n"
	  "                   writer (e.g. 'corrections accept') holds the\n"
	  "                   database, before 503 with Retry-After\n"
	  "                   (default: 2000; 1 to 10000); reads never wait\n"
	  "  --head-timeout S close a connection whose request head takes\n"
	  "                   longer than S seconds (default: 10)\n"
	  "  --body-timeout S close one whose body takes longer than S\n"
	  "                   seconds after its head (default: 30)\n"
	  "  --max-connections N  open connections; past it each new one\n"
	  "                   closes the oldest still sending its head\n"
	  "                   (default: 4096)\n"
	  "  --per-address N  open connections from one address, IPv6 by\n"
	  "                   its /64 (default: 256)\n"
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
	{ "monitor", cmd_monitor,
	  "monitor [--data DIR] [--db FILE] [--only ID...] [--json]\n"
	  "         [--delay MS] [--timeout MS] [--max-bytes N] [--retries N]",
	  "Fetch every page the records cite (official, refund and deletion\n"
	  "pages, evidence), keep each new version in the database, and say\n"
	  "for each record whether each page is unchanged, changed since the\n"
	  "record's review (with the words added and removed), moved (it now\n"
	  "redirects somewhere new), broken (4xx, 5xx, no answer or a\n"
	  "time-out, after retries) or unchecked (robots.txt disallows it).\n"
	  "The baseline is the version current on the review date; when the\n"
	  "first fetch came after the review, that fetch is, and it says so.\n"
	  "One request at a time to a host, robots.txt honoured, a\n"
	  "User-Agent naming the site and its contact (DIR/site.yaml),\n"
	  "conditional requests, at most 5 redirects (without site.yaml, the\n"
	  "User-Agent is CancelAtlas-monitor/1.0 alone); HTML is read for its\n"
	  "text, other files are compared by their bytes.\n\n"
	  "  --db FILE        the database (default: cancelatlas.db beside\n"
	  "                   the data folder; created if missing)\n"
	  "  --only ID...     only these records (the words after it too)\n"
	  "  --json           the report as JSON\n"
	  "  --delay MS       between two requests to one host (default:\n"
	  "                   1000)\n"
	  "  --timeout MS     for one request (default: 30000; connecting:\n"
	  "                   at most 10000)\n"
	  "  --max-bytes N    a longer page is cut there and said so\n"
	  "                   (default: 5242880, 5 MiB)\n"
	  "  --retries N      after a network error or a 5xx (default: 2)\n"
	  "  --data DIR       the data folder (default: data)\n\n"
	  "Exit status: 0 nothing changed, moved or broke; 1 something did,\n"
	  "or the data or the database cannot be used; 2 usage errors.\n" },
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

static int unknown_command(const char *name)
{
	const char *names[ATLAS_COUNT(commands)];
	for (size_t i = 0; i < ATLAS_COUNT(commands); i++)
		names[i] = commands[i].name;
	return unknown_word(NULL, "command", name, names, ATLAS_COUNT(names));
}

static int cmd_help(int argc, char **argv)
{
	int status = 0, c;
	while ((c = next_option("help", argc, argv, "", NULL, &status)) != -1)
		if (c == -2)
			return status;
	if (optind + 1 < argc)
		return unexpected_argument("help", argv[optind + 1], NULL);
	if (optind == argc) {
		print_overview(stdout);
		return 0;
	}
	if (!find_command(argv[optind]))
		return unknown_command(argv[optind]);
	return print_help(argv[optind]);
}

static void print_version(void)
{
	printf("cancelatlas %s (methodology %s)\n", VERSION,
	       method_current()->version);
}

static int cmd_version(int argc, char **argv)
{
	int status = 0, c;
	while ((c = next_option("version", argc, argv, "", NULL, &status)) !=
	       -1)
		if (c == -2)
			return status;
	if (optind < argc)
		return unexpected_argument("version", argv[optind], NULL);
	print_version();
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option global[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int i = 1;
	/* Options before the command apply to it: --data DIR check. */
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *arg = argv[i];
		if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			print_overview(stdout);
			return 0;
		} else if (!strcmp(arg, "--version")) {
			print_version();
			return 0;
		} else if (!strcmp(arg, "--data") ||
			   !strncmp(arg, "--data=", 7)) {
			const char *dir = arg[6] == '='	 ? arg + 7
					  : i + 1 < argc ? argv[++i]
							 : "";
			if (!*dir)
				return usage_error(NULL, "%s",
						   "option '--data' needs a "
						   "value");
			set_data_dir(dir);
		} else {
			return unknown_option(NULL, arg, global);
		}
	}
	if (i == argc) {
		print_overview(stderr);
		return EXIT_USAGE;
	}
	const struct command *c = find_command(argv[i]);
	if (!c)
		return unknown_command(argv[i]);
	optind = 1;
	return c->run(argc - i, argv + i);
}
