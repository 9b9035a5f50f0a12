/*
 * livepage.c - pages rendered by the server, per request.
 *
 * The templates folder is compiled once per site served (at start and at
 * each reload), and the values every page shares (the site, the share
 * card) are made then too; a request only builds its own values in a
 * short-lived arena and renders. The pages use the build's layout and
 * partials, so the form a person sees again after a refusal is the one
 * the build published, with the same header and footer.
 */
#include "livepage.h"
#include "arena.h"
#include "diag.h"
#include "internal.h"
#include "method.h"
#include "mustache.h"
#include "route.h"
#include "siteinfo.h"
#include "tmplset.h"
#include "view.h"

#include <stdatomic.h>
#include <stdlib.h>

enum live {
	LIVE_CORRECTION,
	LIVE_AUDIT,
	LIVE_SUBMISSION,
	LIVE_PROBLEM,
	LIVE_COUNT,
};

static const char *const live_names[LIVE_COUNT] = {
	[LIVE_CORRECTION] = "correction",
	[LIVE_AUDIT] = "audit",
	[LIVE_SUBMISSION] = "submission",
	[LIVE_PROBLEM] = "problem",
};

struct livepages {
	atomic_uint refs; /* livepages_share() */
	struct tmplset *tmpl;
	struct arena *keep;
	const struct mst_value *site;
	const struct mst_value *share;
};

struct livepages *livepages_new(const char *templates_dir, const char *data_dir,
				const char *base_url, int64_t generated,
				size_t records, struct buf *err)
{
	if (!templates_dir) {
		buf_puts(err, "no templates were given (--templates DIR)");
		return NULL;
	}
	struct arena *keep = arena_new();
	struct diag *d = diag_new();
	struct site_info si;
	siteinfo_load(data_dir, base_url, SITEINFO_REQUIRED, keep, d, &si);
	if (!si.loaded) {
		buf_printf(err,
			   "%s cannot be used as site settings (run "
			   "'cancelatlas check')",
			   si.file);
		diag_free(d);
		arena_free(keep);
		return NULL;
	}
	diag_free(d);
	struct tmplset *t =
		tmplset_load(templates_dir, live_names, LIVE_COUNT, err);
	if (!t) {
		arena_free(keep);
		return NULL;
	}
	struct livepages *lp = xcalloc(1, sizeof(*lp));
	atomic_init(&lp->refs, 1);
	lp->tmpl = t;
	lp->keep = keep;
	lp->site =
		view_site_for(keep, &si, method_current(), generated, records);
	lp->share = view_share(lp->keep, NULL, NULL);
	return lp;
}

struct livepages *livepages_share(struct livepages *lp)
{
	if (lp)
		atomic_fetch_add_explicit(&lp->refs, 1, memory_order_relaxed);
	return lp;
}

void livepages_free(struct livepages *lp)
{
	if (!lp ||
	    atomic_fetch_sub_explicit(&lp->refs, 1, memory_order_acq_rel) != 1)
		return;
	tmplset_free(lp->tmpl);
	arena_free(lp->keep);
	free(lp);
}

/* Render @page with @key set to @value, beside the shared values; @a
 * holds this request's values and is freed here. */
static int render(const struct livepages *lp, struct arena *a, enum live page,
		  const char *path, const char *key,
		  const struct mst_value *value, struct buf *out,
		  struct buf *err)
{
	struct mst_value *root = mst_map_new(a);
	mst_map_set(root, "site", lp->site);
	mst_map_set(root, "page", view_page(a, path, "corrections"));
	mst_map_set(root, "share", lp->share);
	mst_map_set(root, key, value);
	int rc = tmplset_render(lp->tmpl, page, root, out, err);
	arena_free(a);
	return rc;
}

int livepage_form(const struct livepages *lp, enum formview_kind kind,
		  const struct submit_pair *pairs, size_t n,
		  const struct submit_errors *errs, const char *message,
		  struct buf *out, struct buf *err)
{
	struct arena *a = arena_new();
	bool audit = kind == FORMVIEW_AUDIT;
	return render(lp, a, audit ? LIVE_AUDIT : LIVE_CORRECTION,
		      audit ? "/corrections/audit/" : "/corrections/", "form",
		      formview_form(a, kind, pairs, n, errs, message), out,
		      err);
}

int livepage_status(const struct livepages *lp, const struct store_public *p,
		    struct buf *out, struct buf *err)
{
	struct arena *a = arena_new();
	struct buf path = BUF_INIT;
	buf_printf(&path, ROUTE_STATUS_PREFIX "%s/", p->tracking);
	int rc = render(lp, a, LIVE_SUBMISSION, buf_cstr(&path), "submission",
			formview_status(a, p), out, err);
	buf_free(&path);
	return rc;
}

int livepage_problem(const struct livepages *lp, const char *title,
		     const char *message, struct buf *out, struct buf *err)
{
	struct arena *a = arena_new();
	struct mst_value *v = mst_map_new(a);
	mst_map_set_str(v, "title", title);
	mst_map_set_str(v, "message", message);
	return render(lp, a, LIVE_PROBLEM, "/corrections/", "problem", v, out,
		      err);
}
