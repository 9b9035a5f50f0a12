/*
 * opendata.h - the JSON API (/api/v1/...), and every machine-readable
 * file of the site written at once: the API's files, its JSON Schema
 * (schema.h), the CSV (csvdata.h), the sitemap, robots.txt and llms.txt
 * (sitemap.h) and the Atom feed (feed.h).
 */
#ifndef CANCELATLAS_OPENDATA_H
#define CANCELATLAS_OPENDATA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "catalog.h"
#include "method.h"
#include "outdir.h"
#include "record.h"
#include "siteinfo.h"
#include "stats.h"

/**
 * opendata_record_line() - append to @line the record's companies.json
 * entry, as opendata_write_record() does, without writing its files (for
 * a build that keeps them). Thread-safe.
 *
 * Returns: 0, or -1 when it cannot be serialised.
 */
int opendata_record_line(const struct catalog *c, const struct entry *e,
			 struct buf *line);

/**
 * opendata_write_record() - write one record's own files,
 * api/v1/companies/<id>.json and its citations (cite_write_files()), and
 * append its companies.json entry (one line of compact JSON) to @line.
 * Several threads may call it at once for different records.
 * @o: the folder being built.
 * @c: the catalog.
 * @e: the record.
 * @line: receives the entry.
 * @err: receives the reason on failure.
 *
 * Returns: 0, or -1 with @err set.
 */
int opendata_write_record(struct outdir *o, const struct catalog *c,
			  const struct entry *e, struct buf *line,
			  struct buf *err);

/**
 * opendata_record_extras() - set on @j, a record's entry, what only its
 * own file (api/v1/companies/<id>.json) has: review_age_days (days from
 * the review to the build), stale (past FRESH_STALE_DAYS),
 * history_available, and history, the committed versions newest first
 * as `cancelatlas history --json` lists them (empty without a history).
 */
void opendata_record_extras(const struct catalog *c, const struct entry *e,
			    json_t *j);

/*
 * What the last build made that still holds, by entry in catalog order:
 * a NULL row is made again.
 */
struct opendata_rows {
	/* Each entry's companies.json line; without them, the records'
	 * files are written too (opendata_write_record()). */
	const char *const *lines;
	/* The length of each line, or NULL; a line of length 0 there, or
	 * any line when it is NULL, ends with a NUL. */
	const size_t *line_lens;
	/* Each entry's companies.csv row, csv_lens[i] bytes with its CRLF,
	 * or NULL (csvdata_put()). */
	const char *const *csv;
	const size_t *csv_lens;
};

/**
 * opendata_write_all() - write every machine-readable file of the site:
 * api/v1/companies.json, api/v1/index.json, api/v1/schema.json,
 * api/v1/insights.json, data/companies.csv, llms.txt, sitemap.xml (and
 * sitemap-N.xml past SITEMAP_MAX pages), robots.txt, feed.atom, and,
 * unless @rows gives the lines of companies.json, each record's files as
 * opendata_write_record() writes them.
 * @o: the folder being built; files are added to it, not committed.
 * @c: the catalog; every output is in its orders.
 * @s: the figures of @c, from stats_compute().
 * @rows: the lines and rows to take as they are, or NULL to make them
 *	  all (and write the records' files).
 * @err: receives the reason on failure.
 *
 * Returns: 0, or -1 with @err set (the build must then abort).
 */
int opendata_write_all(struct outdir *o, const struct catalog *c,
		       const struct stats *s, const struct opendata_rows *rows,
		       struct buf *err);

/* The parts of opendata_write_all(), to write them on two threads. */
enum opendata_part {
	OPENDATA_COMPANIES = 1, /* api/v1/companies.json */
	OPENDATA_OTHERS = 2,	/* every other file */
	OPENDATA_ALL = 3,
};

/**
 * opendata_write_part() - opendata_write_all() for the files of @part
 * alone (the records' files, without lines, go with companies.json).
 *
 * Returns: as opendata_write_all().
 */
int opendata_write_part(struct outdir *o, const struct catalog *c,
			const struct stats *s, const struct opendata_rows *rows,
			enum opendata_part part, struct buf *err);

/**
 * opendata_company() - a record's entry of /api/v1/companies.json,
 * scoring the record on the way.
 * @site: the site, for the record page's URL.
 * @m: the methodology the scores are computed with.
 * @r: a valid record.
 *
 * The shape is the reference system's (id, name, industry, jurisdiction,
 * cancellation_types, pause, data_deletion, policy, flow) with its types,
 * so its clients work unchanged: `pause` is "not offered. NOTE" or
 * "available (NOTE)", `data_deletion` the note then the URL. Our
 * additions are extra keys only (pause_detail, data_deletion_detail,
 * headline, gap, fictional, reviewed, url, and each source's status and
 * checked: "unchecked" and null here, with no monitoring at hand),
 * described by schema_json().
 *
 * Returns: a new JSON object; caller releases with json_decref().
 */
json_t *opendata_company(const struct site_info *site, const struct method *m,
			 const struct record *r);

/**
 * opendata_entry() - as opendata_company(), from the scores the catalog
 * already holds, and each source's status from what monitoring found
 * (@c->pages).
 *
 * Returns: a new JSON object; caller releases with json_decref().
 */
json_t *opendata_entry(const struct catalog *c, const struct entry *e);

/**
 * opendata_method() - the methodology keys of companies.json:
 * methodology_version, policy_weights, flow_weights, policy_dimensions and
 * flow_dimensions, set on @root in that order (a key @root already has
 * keeps its place).
 */
void opendata_method(const struct method *m, json_t *root);

/**
 * opendata_grade_bands() - the grade bands, best first:
 * [{"grade": "A", "min": 85, "phrase": "..."}, ...].
 *
 * Returns: a new JSON array; caller releases with json_decref().
 */
json_t *opendata_grade_bands(const struct method *m);

/**
 * opendata_put_companies() - append the whole /api/v1/companies.json:
 * api_version, methodology_version, generated (the build date,
 * YYYY-MM-DD), total_count, license, disclaimer, score_model,
 * score_formula, grade_rule, evidence_tiers (worded from the methodology
 * table), policy_weights, flow_weights, policy_dimensions,
 * flow_dimensions, companies (in id order), then grade_bands and
 * license_url. Entries are built and serialised one at a time, so memory
 * stays at one entry's objects plus the output text.
 *
 * Returns: false only when @out's limit is reached.
 */
bool opendata_put_companies(struct buf *out, const struct catalog *c);

/**
 * opendata_index() - /api/v1/index.json: api_version, methodology_version,
 * generated, license, license_url, endpoints (absolute URLs and
 * descriptions) and counts (records, audited, headline and policy grades,
 * industries and jurisdictions with records).
 *
 * Returns: a new JSON object; caller releases with json_decref().
 */
json_t *opendata_index(const struct catalog *c, const struct stats *s);

/**
 * opendata_insights() - /api/v1/insights.json, the figures of @s: means
 * are rounded to one decimal, shares (0 to 1) to four, and every share
 * comes with its exact count.
 *
 * Returns: a new JSON object; caller releases with json_decref().
 */
json_t *opendata_insights(const struct catalog *c, const struct stats *s);

#endif
