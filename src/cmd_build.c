/*
 * cmd_build.c - `cancelatlas build`: the whole site into a new folder,
 * swapped in at the end, and one line that says what was written.
 */
#include "cli.h"
#include "buf.h"
#include "cmd.h"
#include "date.h"
#include "diag.h"
#include "outdir.h"
#include "site.h"
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void print_size(FILE *out, size_t bytes)
{
	if (bytes >= 10u << 20)
		fprintf(out, "%.1f MiB", (double)bytes / (1 << 20));
	else
		fprintf(out, "%.1f KiB", (double)bytes / 1024);
}

/* What a build that worked wrote, and where. */
static void print_built(const struct site_opts *opts,
			const struct site_stats *st)
{
	if (st->history_unavailable[0])
		fprintf(stderr,
			"cancelatlas: record history unavailable: %s; "
			"record pages say so\n",
			st->history_unavailable);
	if (st->incremental) {
		printf("rebuilt %zu record%s of %zu: %zu file%s written, "
		       "%zu shared file%s rewritten, %zu deleted, in %.2f s "
		       "(incremental; --full rebuilds everything)\n",
		       st->rebuilt, st->rebuilt == 1 ? "" : "s", st->records,
		       st->written, st->written == 1 ? "" : "s",
		       st->shared_written, st->shared_written == 1 ? "" : "s",
		       st->deleted, st->seconds);
		return;
	}
	printf("built %zu record%s: %zu pages, %zu files, ", st->records,
	       st->records == 1 ? "" : "s", st->pages, st->files);
	print_size(stdout, st->bytes);
	/* "site/" as given, or "site": said once with one slash. */
	int len = (int)strlen(opts->out_dir);
	while (len > 1 && opts->out_dir[len - 1] == '/')
		len--;
	printf(" in %.2f s into %.*s/\n", st->seconds, len, opts->out_dir);
	if (st->leftovers) {
		printf("removed %zu folder%s that interrupted builds "
		       "left beside it (",
		       st->leftovers, st->leftovers == 1 ? "" : "s");
		print_size(stdout, st->leftover_bytes);
		printf(")\n");
	}
}

/* Where the build's time went, phase by phase, with a bar each. */
/* How many cores @cpu seconds of CPU kept busy over @wall seconds. */
static double cores(double cpu, double wall)
{
	return wall > 0 ? cpu / wall : 0;
}

static void print_timings(const struct site_stats *st)
{
	fflush(stdout); /* after the line that says what was built */
	fprintf(stderr,
		"cancelatlas: where the %.2f s went (wall clock; %.2f s of "
		"CPU, %.1f cores busy):\n",
		st->seconds, st->cpu_seconds,
		cores(st->cpu_seconds, st->seconds));
	for (size_t i = 0; i < st->nphases; i++) {
		const struct site_phase *p = &st->phases[i];
		int bar = st->seconds > 0
				  ? (int)(20 * p->seconds / st->seconds + 0.5)
				  : 0;
		fprintf(stderr, "  %-8s %7.3f s  %4.1f cores  %-20.*s  %s\n",
			p->name, p->seconds, cores(p->cpu_seconds, p->seconds),
			bar, "####################", p->what);
	}
}

int cmd_build(int argc, char **argv)
{
	const char *db = NULL;
	struct site_opts opts = {
		.out_dir = "site",
		.today = date_today(),
		.generated = date_now(),
		.progress = isatty(STDERR_FILENO),
		.leave_replaced = true,
	};
	int status = 0, c;
	bool timings = false;
	while ((c = cli_next_option("build", argc, argv, "o:t:",
				    "out templates db base-url full timings",
				    &status)) != -1) {
		if (c == -2)
			return status;
		if (c == CLI_OPT_OUT)
			opts.out_dir = optarg;
		if (c == CLI_OPT_TEMPLATES)
			opts.templates_dir = optarg;
		if (c == CLI_OPT_DB)
			db = optarg;
		if (c == CLI_OPT_FULL)
			opts.full = true;
		if (c == CLI_OPT_TIMINGS)
			timings = true;
		if (c == CLI_OPT_BASE_URL &&
		    (status = cli_base_url_option("build", optarg)))
			return status;
		if (c == CLI_OPT_BASE_URL)
			opts.base_url = optarg;
	}
	if (optind < argc)
		return cli_unexpected_argument("build", argv[optind], "out");
	if ((status = cli_require_data(true)) != 0)
		return status;
	opts.data_dir = cli_data_dir();
	struct buf templates = BUF_INIT;
	if (!opts.templates_dir) {
		if (cli_default_templates(&templates) != 0)
			return CLI_EXIT_USAGE;
		opts.templates_dir = templates.data;
	}

	struct buf why = BUF_INIT, err = BUF_INIT;
	struct store *store = cli_store_read(db, &why);
	struct diag *d = diag_new();
	struct site_stats st = { 0 };
	int rc = site_build_from_store(&opts, store, why.len ? why.data : NULL,
				       d, &st, &err);
	store_close(store);
	cli_finish_diag(d, 0, false);
	/* Why the build was a full one, or an interrupted one completed. */
	for (const char *l = st.note; *l;) {
		size_t n = strcspn(l, "\n");
		fprintf(stderr, "cancelatlas: %.*s\n", (int)n, l);
		l += n + (l[n] == '\n');
	}
	if (rc == 1) {
		fprintf(stderr,
			"cancelatlas: build refused: %zu error%s in the data; "
			"%s is unchanged\n",
			diag_count(d, DIAG_ERROR),
			diag_count(d, DIAG_ERROR) == 1 ? "" : "s",
			opts.out_dir);
		status = CLI_EXIT_DATA;
	} else if (rc != 0) {
		fprintf(stderr,
			"cancelatlas: build failed: %s; %s is "
			"unchanged\n",
			buf_cstr(&err), opts.out_dir);
		status = CLI_EXIT_DATA;
	} else {
		print_built(&opts, &st);
	}
	if (timings && st.nphases)
		print_timings(&st);
	/* The new site is in place: the old one need not hold up the
	 * prompt (at 100,000 records on ext4, deleting it takes minutes). */
	if (st.replaced && outdir_delete_detached(st.replaced) != 0)
		fprintf(stderr,
			"cancelatlas: the replaced site %s could not be "
			"deleted "
			"whole: %s; the next build tries again\n",
			st.replaced, strerror(errno));
	site_stats_free(&st);
	buf_free(&why);
	buf_free(&err);
	diag_free(d);
	buf_free(&templates);
	return status;
}
