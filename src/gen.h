/*
 * gen.h - fictional data folders, for demos, tests and benchmarks.
 */
#ifndef CANCELATLAS_GEN_H
#define CANCELATLAS_GEN_H

#include <stdint.h>
#include <stdio.h>

#include "date.h"
#include "yaml_load.h"

/* What gen_records() wrote, for the line that reports it. */
struct gen_report {
	size_t records;	      /* files written to DIR/records */
	const char *files[4]; /* the other files, by name, as written */
	size_t nfiles;
};

/**
 * gen_records() - write @n fictional records as a data folder:
 * @dir/industries.yaml and @dir/records/\*.yaml.
 * @dir: the folder; created if missing.
 * @n: how many records.
 * @seed: the same seed and @today give byte-identical output.
 * @today: review and audit dates fall in the 170 days before it.
 * @industries: the industries to spread records over; written out as
 *              @dir/industries.yaml so the folder stands alone.
 * @nindustries: their number (at least 1).
 * @report: filled in as files are written (also on failure), or NULL.
 *
 * Records are marked `fictional: true`, have invented names and URLs
 * under example.com, and spread over industries, jurisdictions, channels
 * and grades like a real index (mostly B and C, few A and F); some carry
 * flow audits. Every one passes `check`.
 *
 * Returns: 0, or -1 with a message on stderr when @dir/records already
 * holds files (a smaller run must not leave a bigger one's records behind)
 * or a file cannot be written.
 */
int gen_records(const char *dir, size_t n, uint64_t seed, date_days today,
		const struct industry *industries, size_t nindustries,
		struct gen_report *report);

/**
 * gen_report_print() - say what gen_records() wrote and how to check it:
 * "wrote 1,000 fictional records to demo/records (seed 1), with
 * industries.yaml; check with: cancelatlas check --data demo".
 */
void gen_report_print(FILE *out, const char *dir, uint64_t seed,
		      const struct gen_report *report);

/**
 * gen_write_settings() - write @text, a data folder's site.yaml, as
 * @dir/site.yaml, so a generated folder builds as the site it came from.
 * @report: gets site.yaml added to its files once written, or NULL.
 *
 * Returns: 0, or -1 with a message on stderr.
 */
int gen_write_settings(const char *dir, const char *text, size_t len,
		       struct gen_report *report);

#endif
