/*
 * opendata.h - the machine-readable side of the site: the JSON API
 * (/api/v1/...), its JSON Schema, the CSV, llms.txt, the sitemap,
 * robots.txt, the Atom feed and the per-record citation files.
 */
#ifndef CANCELATLAS_OPENDATA_H
#define CANCELATLAS_OPENDATA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "catalog.h"
#include "dataset.h"
#include "method.h"
#include "outdir.h"
#include "record.h"
#include "siteinfo.h"
#include "stats.h"

/* The API's version, in every file's api_version. Absolute URLs are all
 * made from the catalog's site (site.yaml), never named here. */
#define OPENDATA_API_VERSION "v1"

/* The sitemap protocol's limit of URLs per file. */
#define OPENDATA_SITEMAP_MAX 50000
/* How many entries /feed.atom carries: the latest changes. */
#define OPENDATA_FEED_MAX 50

/**
 * opendata_write_record() - write one record's own files,
 * api/v1/companies/<id>.json and c/<id>/cite.{txt,bib,ris,json}, and
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

/**
 * opendata_write_all() - write every machine-readable file of the site:
 * api/v1/companies.json, api/v1/index.json, api/v1/schema.json,
 * api/v1/insights.json, data/companies.csv, llms.txt, sitemap.xml (and
 * sitemap-N.xml past OPENDATA_SITEMAP_MAX pages), robots.txt, feed.atom,
 * and, unless @lines is given, each record's files as
 * opendata_write_record() writes them.
 * @o: the folder being built; files are added to it, not committed.
 * @c: the catalog; every output is in its orders.
 * @lines: every entry's companies.json line from opendata_write_record(),
 *	   in catalog order, or NULL to write the records' files here.
 * @err: receives the reason on failure.
 *
 * Returns: 0, or -1 with @err set (the build must then abort).
 */
int opendata_write_all(struct outdir *o, const struct catalog *c,
		       char *const *lines, struct buf *err);

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
 * described by opendata_schema().
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
 * opendata_schema() - the JSON Schema (draft 2020-12) of one entry of
 * companies[], generated from the methodology table: dimension ids, their
 * rubric levels, grades and channel labels are enums of the table's
 * values. Objects admit no other keys, except that an entry may carry
 * the per-record file's methodology_version and generated, so both
 * shapes of a record validate against the root. Under $defs,
 * "companies_file" describes the whole companies.json and "company_file"
 * exactly one api/v1/companies/<id>.json.
 * @site: the schema's $id and title, and the licence's name.
 * @m: the methodology.
 * @ds: when not NULL, industry names are an enum of its industries.
 *
 * Returns: a new JSON object; caller releases with json_decref().
 */
json_t *opendata_schema(const struct site_info *site, const struct method *m,
			const struct dataset *ds);

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

/**
 * opendata_put_csv() - append /data/companies.csv (RFC 4180: CRLF line
 * ends, a header row, then one row per record in id order). Dimension
 * columns come from the methodology table; numbers are bare, absent
 * values are empty cells, text goes through esc_csv_cell().
 *
 * Returns: false only when @out's limit is reached.
 */
bool opendata_put_csv(struct buf *out, const struct catalog *c);

/**
 * opendata_put_llms() - append /llms.txt (llmstxt.org): a title, a
 * summary, links to the API, CSV, schema and documentation, and how
 * scores, grades and tiers read. It does not list records.
 *
 * Returns: false only when @out's limit is reached.
 */
bool opendata_put_llms(struct buf *out, const struct catalog *c);

/**
 * opendata_put_feed() - append /feed.atom: an Atom 1.0 feed of the
 * OPENDATA_FEED_MAX latest changes across the index, newest first: each
 * committed version of a record (what changed, its scores, the editor's
 * note), or a record's review where it has no history.
 *
 * Returns: false only when @out's limit is reached.
 */
bool opendata_put_feed(struct buf *out, const struct catalog *c);

/**
 * opendata_put_record_feed() - append /c/<id>/feed.atom: every committed
 * version of @e's record as an entry, newest first, or its review when
 * it has no history.
 *
 * Returns: false only when @out's limit is reached.
 */
bool opendata_put_record_feed(struct buf *out, const struct catalog *c,
			      const struct entry *e);

/* opendata_put_robots() - append /robots.txt: allow all, and the sitemap. */
bool opendata_put_robots(struct buf *out, const struct site_info *site);

/* One page of the site, for the sitemap: "/c/coursera/", "/faq/". */
struct opendata_url {
	const char *path;
	date_days lastmod;
};

/**
 * opendata_pages() - every HTML page of the site, by the path it is
 * served at (a folder's index.html): /, /c/<id>/ for each record,
 * /industries/ and each industry with records, /jurisdictions/ and each
 * jurisdiction, /stale/ (the records due for review), then
 * /methodology/, /insights/, /corrections/, /data/, /faq/ and /about/. A
 * record page is last modified on its review date, a list (and /insights/,
 * /data/) on its newest review, any other page on the build date.
 * @c: the catalog.
 * @a: owns the array and its paths.
 * @n: set to the number of pages.
 *
 * Returns: the pages, owned by @a.
 */
struct opendata_url *opendata_pages(const struct catalog *c, struct arena *a,
				    size_t *n);

/**
 * opendata_sitemap_write() - write @urls as sitemap.xml, or, when there
 * are more than @max, as sitemap-1.xml, sitemap-2.xml, ... of at most
 * @max URLs each and a sitemap.xml index of them.
 * @site: the base URL the paths are on.
 * @max: URLs per file; OPENDATA_SITEMAP_MAX for the site.
 *
 * Returns: 0, or -1 with @err set.
 */
int opendata_sitemap_write(struct outdir *o, const struct site_info *site,
			   const struct opendata_url *urls, size_t n,
			   size_t max, struct buf *err);

/**
 * opendata_put_uri() - append an http(s) URL from a record in RFC 3986
 * form: bytes a URI may not hold in that part (non-ASCII, spaces, a
 * second '#', a '%' that starts no escape) are percent-encoded, so the
 * result passes any URI check and still names the same resource.
 *
 * Returns: false only when @out's limit is reached.
 */
bool opendata_put_uri(struct buf *out, const char *url);

#endif
