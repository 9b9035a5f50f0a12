/*
 * livepage.h - the pages `serve` makes per request: a refused form with
 * what was typed and its problems, a submission's status, a problem of
 * the server. They come from the same templates as the built pages.
 */
#ifndef CANCELATLAS_LIVEPAGE_H
#define CANCELATLAS_LIVEPAGE_H

#include <stdint.h>

#include "buf.h"
#include "formview.h"
#include "store.h"

struct livepages;

/**
 * livepages_new() - compile the templates once for the site being served.
 * @templates_dir: the folder the site was built from.
 * @data_dir: the data folder, whose site.yaml names the site.
 * @base_url: the URL that replaces site.yaml's (serve --base-url), or NULL.
 * @generated: when that site was built (seconds since the epoch), for
 *             the footer every page shows.
 * @records: the number of records it holds.
 * @err: receives the reason on failure.
 *
 * Returns: the pages, or NULL with @err set. Free with livepages_free().
 * Rendering only reads them, so every server thread may share them.
 */
struct livepages *livepages_new(const char *templates_dir, const char *data_dir,
				const char *base_url, int64_t generated,
				size_t records, struct buf *err);

/* livepages_share() - @lp once more: each share is freed on its own
 * with livepages_free(); accepts NULL. */
struct livepages *livepages_share(struct livepages *lp);

/* livepages_free() - free (the last share); accepts NULL. */
void livepages_free(struct livepages *lp);

/**
 * livepage_form() - a form page (the correction or the audit form) with
 * the values sent, each problem beside its field and a summary at the
 * top. Arguments as formview_form(); the page is appended to @out.
 *
 * Returns: 0, or -1 with @err set.
 */
int livepage_form(const struct livepages *lp, enum formview_kind kind,
		  const struct submit_pair *pairs, size_t n,
		  const struct submit_errors *errs, const char *message,
		  struct buf *out, struct buf *err);

/**
 * livepage_status() - the status page of a submission: its public face
 * only (struct store_public holds no email and no submitted text).
 *
 * Returns: 0, or -1 with @err set.
 */
int livepage_status(const struct livepages *lp, const struct store_public *p,
		    struct buf *out, struct buf *err);

/**
 * livepage_problem() - a page that says what went wrong (@title, then
 * @message) and where to go on.
 *
 * Returns: 0, or -1 with @err set.
 */
int livepage_problem(const struct livepages *lp, const char *title,
		     const char *message, struct buf *out, struct buf *err);

#endif
