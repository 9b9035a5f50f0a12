/*
 * view.h - the data each page template renders, built from the catalog.
 */
#ifndef CANCELATLAS_VIEW_H
#define CANCELATLAS_VIEW_H

#include "arena.h"
#include "catalog.h"
#include "mustache.h"

struct stats;
struct store_decision;

/*
 * Every function returns a value tree allocated from @a; strings borrow
 * from the catalog and the methodology table where they can, so a tree
 * lives no longer than the catalog and the arena.
 */

/* view_site() - what every page shows: the site's name, base URL,
 * contact (and its link) and licence (name and url), from site.yaml; the
 * methodology version; the build date. */
struct mst_value *view_site(struct arena *a, const struct catalog *c);

/**
 * view_site_for() - view_site() without a catalog, for the pages the
 * server makes per request: @si the site's settings (borrowed for the
 * tree's life), @generated is the build's time, @records the
 * number of records served.
 */
struct mst_value *view_site_for(struct arena *a, const struct site_info *si,
				const struct method *m, int64_t generated,
				size_t records);

/**
 * view_share() - what a shared link shows (Open Graph and Twitter card
 * tags): the record's card and its text alternative, or the site-wide
 * card for @e NULL.
 */
struct mst_value *view_share(struct arena *a, const struct catalog *c,
			     const struct entry *e);

/**
 * view_page() - the page's own facts: its path (for the canonical link)
 * and which navigation item is current (@nav: "index", "methodology",
 * "insights", "data", "corrections" or NULL).
 */
struct mst_value *view_page(struct arena *a, const char *path, const char *nav);

/**
 * view_record() - everything on a record page, in the seed's order: tier,
 * scores and grades with caps, the sentence, how to cancel, levels with
 * reasons, the flow audit, evidence, citation, badge and JSON-LD.
 */
struct mst_value *view_record(struct arena *a, const struct catalog *c,
			      const struct entry *e);

/**
 * view_review() - how fresh the record's review is: date, ago ("3 months
 * ago", from the build's day), age_days, stale (past FRESH_STALE_DAYS)
 * and stale_days.
 */
struct mst_value *view_review(struct arena *a, const struct catalog *c,
			      const struct entry *e);

/**
 * view_history() - the record's history section: either "unavailable"
 * (why there is none to show), or the committed versions newest first
 * (date, commit, note, scores, the fact changes and, apart from them, the
 * methodology changes; "skipped" with why for a version that did not
 * load), their count and the score's step chart as SVG.
 */
struct mst_value *view_history(struct arena *a, const struct catalog *c,
			       const struct entry *e);

/**
 * view_decisions() - the decisions about the record, newest first: date,
 * kind (Correction, Audit), field, decision and reason; "any" when there
 * is one. No email is ever among them.
 */
struct mst_value *view_decisions(struct arena *a, const struct entry *e);

/**
 * view_table() - a records table: @n entries in the order given, with a
 * caption, plus the filter choices (industries, jurisdictions, grades).
 */
struct mst_value *view_table(struct arena *a, const struct catalog *c,
			     struct entry *const *v, size_t n,
			     const char *caption);

/* view_filters() - the choices of the table's filter controls. */
struct mst_value *view_filters(struct arena *a, const struct catalog *c);

/**
 * view_groups() - the list of industries (@industries true) or
 * jurisdictions, with counts and mean headline scores.
 */
struct mst_value *view_groups(struct arena *a, const struct catalog *c,
			      bool industries);

/**
 * view_list() - the heading of one industry or jurisdiction page.
 */
struct mst_value *view_list(struct arena *a, const struct group *g,
			    bool industry);

/**
 * view_stale() - the index's note of the records due for review: any
 * (false hides it), text ("3 records") and days (FRESH_STALE_DAYS).
 */
struct mst_value *view_stale(struct arena *a, const struct catalog *c);

/* view_stale_list() - the heading of /stale/, the records due for
 * review in @g. */
struct mst_value *view_stale_list(struct arena *a, const struct group *g);

/* view_methodology() - the methodology table as the page shows it. */
struct mst_value *view_methodology(struct arena *a, const struct method *m);

/**
 * view_insights() - the insights page: the figures @st of @c (from
 * stats_compute()), each as an inline SVG chart with its numbers as a
 * table.
 */
struct mst_value *view_insights(struct arena *a, const struct catalog *c,
				const struct stats *st);

/* view_corrections() - the corrections page beside its form (which is
 * formview's): the audit example and the public log of @n decisions
 * (strings borrowed). */
struct mst_value *view_corrections(struct arena *a,
				   const struct store_decision *decisions,
				   size_t n);

/* view_style() - the values the stylesheet template needs (grade colours). */
struct mst_value *view_style(struct arena *a, const struct method *m);

/**
 * view_flow_sentence() - the sentence about an audited record's newest
 * flow audit: its date, score and grade, then where it fell short (each
 * dimension that lost points, as the recorded fact: "no online cancel
 * path", "5 steps", "a charge or lost access after cancelling") and what
 * went well. The name is bidi-isolated; nothing is escaped.
 * @out: where to append.
 * @e: an entry with an audit.
 */
void view_flow_sentence(struct buf *out, const struct entry *e);

/**
 * view_id_html() - a dimension id as HTML that may wrap only after an
 * underscore: "channel_<wbr>disclosed", escaped. Returns a string in @a,
 * for a triple-mustache tag.
 */
const char *view_id_html(struct arena *a, const char *id);

/**
 * view_points() - hundredths of a point as pages print them: "15",
 * "7.5", "10.5", "0.25". Returns a string in @a.
 */
const char *view_points(struct arena *a, int hundredths);

#endif
