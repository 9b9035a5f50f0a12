/*
 * main.c - the cancelatlas command line: the table of commands, their
 * usage and help, and the dispatch to the one named (cmd.h).
 *
 * Exit status: 0 success (warnings allowed), 1 data errors or a missing
 * record, 2 usage errors. Diagnostics go to stderr, results to stdout.
 */
#include "cli.h"
#include "cmd.h"
#include "method.h"

#include <stdio.h>
#include <string.h>

#define VERSION "0.1.0"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
	const char *help;
};

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const struct command commands[] = {
	{ "check", cmd_check, "check [--data DIR] [--out SITE] [--list-codes]",
	  "Load DIR/site.yaml and every record in DIR/records and apply\n"
	  "every rule of the record format. Each problem is printed as\n"
	  "FILE:LINE:COL with a stable code (E0nn errors, W1nn warnings),\n"
	  "then a count. A missing site.yaml is a warning here (W106);\n"
	  "build and serve need it.\n\n"
	  "  --data DIR   the data folder (default: data)\n"
	  "  --out SITE   a site folder build wrote from DIR (default:\n"
	  "               site): records whose files it saw as they are\n"
	  "               now are taken from its caches, which are only\n"
	  "               read; what check says is the same\n"
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
	  "               data folder's, when it exists), or a\n"
	  "               postgresql:// URL\n\n"
	  "Exit status: 0 none due, 1 some due (or data errors), 2 usage\n"
	  "errors.\n" },
	{ "build", cmd_build,
	  "build [--data DIR] [--out DIR] [--templates DIR] [--db FILE]\n"
	  "         [--base-url URL] [--full] [--timings]",
	  "Check the data, then write the whole site (pages, API files,\n"
	  "CSV, feeds, badges, citations) into a new folder beside OUT and\n"
	  "swap it in at the end. A failed build leaves the last good site\n"
	  "untouched and says why. A progress bar shows on a terminal; the\n"
	  "last line counts records, pages, files, bytes and seconds.\n\n"
	  "When OUT holds a site a build wrote, with its manifest\n"
	  "(OUT/.cancelatlas-manifest: each file and the hash of what made\n"
	  "it), only the files of records whose inputs changed are rebuilt,\n"
	  "and the shared pages when a record they show changed; each file\n"
	  "is replaced atomically, and only when its bytes differ. Changed\n"
	  "templates, methodology, program, site.yaml, industries.yaml,\n"
	  "day or number of records mean a full build, and the build says\n"
	  "why. A build killed half-way is completed by the next one.\n\n"
	  "  --full           rebuild everything into a new folder,\n"
	  "                   every share image drawn again\n"
	  "  --timings        say where the time went, phase by phase\n"
	  "  --out DIR        the site folder (default: site): new, empty,\n"
	  "                   or one a build wrote (it holds the file\n"
	  "                   .cancelatlas-site); never another folder\n"
	  "  --templates DIR  templates and assets (default: templates\n"
	  "                   beside the program, else, installed,\n"
	  "                   PREFIX/share/cancelatlas/templates)\n"
	  "  --db FILE        corrections and audits for the public log,\n"
	  "                   and what 'monitor' found of the cited pages\n"
	  "                   (default: cancelatlas.db beside the data\n"
	  "                   folder, when it exists), or a postgresql://\n"
	  "                   URL\n"
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
	  "         [--max-connections N] [--per-address N] [--cache-mb N]\n"
	  "         [--trust-proxy ADDR[,ADDR...]] [--watch] [--no-walk]",
	  "Build the site into OUT (as 'build' does), then serve it (small\n"
	  "and popular files from memory, the rest from disk) with gzip and\n"
	  "brotli, ETags and security headers, and take\n"
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
	  "                   beside the data folder), or a PostgreSQL\n"
	  "                   database that several servers share:\n"
	  "                   postgresql://user:pass@host/dbname\n"
	  "  --access-log     one line per request on stdout\n"
	  "  --no-build       serve OUT as it is; SIGHUP reloads it\n"
	  "  --no-walk        never index the whole of OUT: look each file\n"
	  "                   up when first asked for (it serves at once;\n"
	  "                   without it, until the walk is done)\n"
	  "  --watch          for editing: rebuild on every save in the\n"
	  "                   data and templates folders, and have open\n"
	  "                   pages reload themselves (/_watch/); while the\n"
	  "                   data fails its checks, pages show the problems\n"
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
	  "                   its /64 (default: 256); a trusted proxy has\n"
	  "                   no such cap\n"
	  "  --trust-proxy ADDR[,ADDR...]\n"
	  "                   proxies (IPv4 or IPv6 addresses, or prefixes\n"
	  "                   such as 10.0.0.0/8; repeatable) whose\n"
	  "                   X-Forwarded-For names the client: the rate\n"
	  "                   limit and the access log then count the\n"
	  "                   rightmost address there that is not one of\n"
	  "                   them; without it the header is ignored\n"
	  "  --cache-mb N     memory for files and their compressed\n"
	  "                   variants, in MiB (default: 256; 1 or more)\n"
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
	  "                 the data folder), or a postgresql:// URL\n"
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
	  "                 the data folder), or a postgresql:// URL\n"
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
	  "                   the data folder; created if missing), or a\n"
	  "                   postgresql:// URL\n"
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
	return cli_unknown_word(NULL, "command", name, names,
				ATLAS_COUNT(names));
}

static int print_help(const char *name)
{
	const struct command *c = find_command(name);
	printf("usage: cancelatlas %s\n\n%s", c->usage, c->help);
	return 0;
}

static int cmd_help(int argc, char **argv)
{
	int status = 0, c;
	while ((c = cli_next_option("help", argc, argv, "", "", &status)) != -1)
		if (c == -2)
			return status;
	if (optind + 1 < argc)
		return cli_unexpected_argument("help", argv[optind + 1], NULL);
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
	while ((c = cli_next_option("version", argc, argv, "", "", &status)) !=
	       -1)
		if (c == -2)
			return status;
	if (optind < argc)
		return cli_unexpected_argument("version", argv[optind], NULL);
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
	cli_set_help(print_help);
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
				return cli_usage_error(NULL, "%s",
						       "option '--data' needs "
						       "a value");
			cli_set_data_dir(dir);
		} else {
			return cli_unknown_option(NULL, arg, global);
		}
	}
	if (i == argc) {
		print_overview(stderr);
		return CLI_EXIT_USAGE;
	}
	const struct command *c = find_command(argv[i]);
	if (!c)
		return unknown_command(argv[i]);
	optind = 1;
	return c->run(argc - i, argv + i);
}
