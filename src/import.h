/*
 * import.h - companies in the /api/v1/companies.json shape (ours or the
 * reference system's) into record files.
 */
#ifndef CANCELATLAS_IMPORT_H
#define CANCELATLAS_IMPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "date.h"
#include "diag.h"
#include "record.h"

struct import_opts {
	bool overwrite;	 /* replace existing record files (--force) */
	bool dry_run;	 /* check and report, write nothing */
	date_days today; /* dates after it are refused, as check does */
};

/* What import_file() did, for the summary line and for callers. */
struct import_stats {
	size_t companies;   /* entries in the file */
	size_t imported;    /* record files written (or, dry, writable) */
	size_t skipped;	    /* entries refused, each with an error */
	size_t differences; /* records whose stated score or grade differs */
	/* Warnings, by kind: sources cited by the official page (W110),
	 * values left out (W111), values read or inferred (W112). */
	size_t no_url, left_out, inferred;
	size_t industries_added; /* to DATA/industries.yaml */
};

/**
 * import_file() - read @path and write one record per company into
 * @data_dir/records/<id>.yaml.
 * @path: a JSON file: a companies.json object with `companies[]`, a bare
 *        array of companies, or one company object.
 * @data_dir: the data folder; its industries.yaml names the industries a
 *            company may be mapped to, and gains those it does not list.
 *            records/ is created if missing.
 * @opts: overwrite, dry run and today's date.
 * @report: receives one line per score difference, a line per value read
 *          as something else (an id given a jurisdiction suffix, an
 *          industry spelt differently), a line per industry added, and
 *          the summary: "imported N records into DIR/records (M skipped,
 *          K score differences)", then the warnings by kind and the
 *          industries added when there are any.
 * @d: receives the problems, each naming the company ("companies[3]
 *     (acme): ..."). A company is skipped, with an error, only when no
 *     record can be made of it (not an object, no name, an unknown
 *     jurisdiction, no web address at all, an existing file); any other
 *     value that cannot be taken as it stands is a warning saying what
 *     was recorded instead: W110 a source without a usable URL, cited by
 *     the official page with its title saying so; W111 a value left out;
 *     W112 a value read from text, repaired or inferred.
 * @stats: filled with the counts; may be NULL.
 *
 * Reading rules: the id is kept when it is a slug, else made from the
 * name (or the official page's host, for a name without Latin letters);
 * outside the US it gets the -<jurisdiction> suffix check requires, and
 * an id already taken gets -2, -3... A jurisdiction's case is normalised
 * ("uk" is UK) but codes are never merged: GB stays GB and UK stays UK.
 * An industry matches by name, else by name or slug ignoring case,
 * punctuation and "and" ("Gym and Fitness"); another is added. Channel
 * labels go through record_channel_from_label(); without one, the channel
 * the cancel_url level describes is recorded. `pause` (or our
 * pause_detail) may be {offered, note}, true/false, or free text read by
 * reftext_status(); `data_deletion` (or data_deletion_detail) {note, url}
 * or a note whose last word may be its URL. A level between the rubric's
 * is read as the level below it, a missing one as the lowest. A source
 * may be an object, a stringified dict, a bare URL or a bare title; its
 * date is its `accessed`, else a trailing "(accessed YYYY-MM-DD)" in its
 * title, else the review's. The review date is policy_checked (a date or a
 * timestamp), moved forward to the newest source; without one, the
 * newest source's date, the file's `generated`, or today. URLs are
 * repaired where that is certain (reftext_url()). refund_url, exit_fee,
 * reasons (as `why`) and fictional are read when present. A flow is read
 * from flow.all_audits (every audit in full) when given, else from
 * flow.facts with audit_date and evidence_tier when the file lists its
 * evidence files; an audit with a problem is left out.
 *
 * Each file is written to a temporary name beside its final one, read
 * back and checked with yaml_load_record() and validate_record(), and only
 * then linked into place (renamed over the old file with @opts->overwrite,
 * never replacing one otherwise). Imported records carry no `why` unless
 * the file gives reasons (policy.reasons), so check warns W103 for them.
 *
 * Returns: 0 when the file was read (skipped companies are errors in @d),
 * -1 when the file cannot be read or parsed, -2 when @data_dir cannot be
 * used; the reason is in @d.
 */
int import_file(const char *path, const char *data_dir,
		const struct import_opts *opts, FILE *report, struct diag *d,
		struct import_stats *stats);

/**
 * import_text() - import_file() of a file already in memory.
 * @name: the file's name, for the diagnostics.
 * @text: its content, not NULL (need not be NUL-terminated).
 * @len: its length.
 *
 * Other arguments and the result as import_file(). With @opts->dry_run
 * nothing is written; @data_dir's industries.yaml is still read.
 */
int import_text(const char *name, const char *text, size_t len,
		const char *data_dir, const struct import_opts *opts,
		FILE *report, struct diag *d, struct import_stats *stats);

/* What import_command() did, for the caller's exit status. */
enum import_outcome {
	IMPORT_DONE,	/* every company imported (warnings allowed) */
	IMPORT_ERRORS,	/* a company skipped, or the file unusable */
	IMPORT_NO_DATA, /* the data folder unusable */
};

/**
 * import_command() - `cancelatlas import FILE [--data DIR] [--force]
 * [--dry-run]`: import_file() with today's date, then the diagnostics on
 * stderr.
 * @file: the JSON file.
 * @data_dir: the data folder.
 * @force: replace existing record files.
 * @dry_run: write nothing.
 * @color: colour the diagnostics.
 * @report: where the report and summary go (stdout).
 *
 * Returns: what it did; the errors are on stderr.
 */
enum import_outcome import_command(const char *file, const char *data_dir,
				   bool force, bool dry_run, bool color,
				   FILE *report);

#endif
