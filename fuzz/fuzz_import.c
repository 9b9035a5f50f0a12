/*
 * fuzz_import.c - libFuzzer harness for the importer: the input is a
 * companies.json given to `cancelatlas import --dry-run`, read through
 * import_text() against a scratch data folder made once (its
 * industries.yaml is all the importer reads from disk; a dry run writes
 * nothing). Each company is read, made into a record, written as YAML and
 * checked again, so this reaches the record writer and the checker too.
 * Nothing may crash, leak or read out of bounds, and the counts must add
 * up: every company is imported or skipped, never both, and a refused
 * file says why.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "diag.h"
#include "import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char data_dir[64];
static char name[96]; /* no such file, so no source lines are shown */
static FILE *devnull;

static void remove_data_dir(void)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/industries.yaml", data_dir);
	unlink(path);
	rmdir(data_dir);
	fclose(devnull);
}

/* A data folder with two industries, removed at exit. */
static void make_data_dir(void)
{
	snprintf(data_dir, sizeof(data_dir), "/tmp/fuzz-import-XXXXXX");
	char path[128];
	FILE *f = NULL;
	if (mkdtemp(data_dir)) {
		snprintf(path, sizeof(path), "%s/industries.yaml", data_dir);
		f = fopen(path, "w");
	}
	devnull = fopen("/dev/null", "w");
	if (!f || !devnull)
		abort();
	fputs("- name: Streaming\n  slug: streaming\n"
	      "- name: E-learning\n  slug: e-learning\n",
	      f);
	fclose(f);
	snprintf(name, sizeof(name), "%s/companies.json", data_dir);
	atexit(remove_data_dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!data_dir[0])
		make_data_dir();
	struct import_opts opts = { .dry_run = true,
				    .today = date_from_ymd(2026, 7, 1) };
	struct import_stats st = { 0 };
	struct diag *d = diag_new();
	int rc = import_text(name, (const char *)data, size, data_dir, &opts,
			     devnull, d, &st);
	FUZZ_CHECK(rc == 0 || rc == -1); /* the data folder is fine */
	FUZZ_CHECK(rc == 0 || diag_count(d, DIAG_ERROR));
	FUZZ_CHECK(st.imported + st.skipped == st.companies);
	diag_print(d, devnull, false);
	diag_free(d);
	return 0;
}
