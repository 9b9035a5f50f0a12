/*
 * sitemap.c - what the site holds, for crawlers and other programs that
 * read it: /sitemap.xml (every page, with the day it last changed),
 * /robots.txt (which points to it) and /llms.txt (a guide to the site and
 * its data for language models).
 *
 * The pages come from the table in sitepages.c, the one the build writes
 * them from, expanded over the catalog's records and groups. A page is
 * dated by what it shows: a record page by its review, a list by the
 * newest review on it, a page of prose by the build.
 */
#include "sitemap.h"
#include "esc.h"
#include "fresh.h"
#include "indexpages.h"
#include "sitepages.h"
#include "siteurl.h"

#include <string.h>

bool sitemap_put_robots(struct buf *out, const struct site_info *site)
{
	return buf_puts(out, "User-agent: *\nAllow: /\n\nSitemap: ") &&
	       siteurl_put(out, site, "/sitemap.xml") && buf_putc(out, '\n');
}

static date_days newest_review(const struct catalog *c, date_days fallback)
{
	return c->n ? c->by_reviewed[0]->r->reviewed.days : fallback;
}

static date_days group_newest(const struct group *g, date_days fallback)
{
	date_days best = fallback;
	for (size_t i = 0; i < g->n; i++)
		if (i == 0 || g->entries[i]->r->reviewed.days > best)
			best = g->entries[i]->r->reviewed.days;
	return best;
}

/* Every page of the listing at @base of @n records (indexpages.h). */
static size_t add_listing(struct sitemap_url *u, struct arena *a,
			  const char *base, size_t n, date_days lastmod)
{
	struct buf b = BUF_INIT;
	size_t pages = indexpages_count(n);
	for (size_t k = 1; k <= pages; k++) {
		buf_reset(&b);
		indexpages_put_path(&b, base, k);
		u[k - 1] = (struct sitemap_url){ arena_strdup(a, b.data),
						 lastmod };
	}
	buf_free(&b);
	return pages;
}

/* A listing of each group with records, at @folder KEY/. */
static size_t add_groups(struct sitemap_url *u, struct arena *a,
			 const char *folder, const struct group *groups,
			 size_t n, date_days newest)
{
	struct buf b = BUF_INIT;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!groups[i].n)
			continue; /* no page for an empty group */
		buf_reset(&b);
		buf_printf(&b, "%s%s/", folder, groups[i].key);
		k += add_listing(u + k, a, b.data, groups[i].n,
				 group_newest(&groups[i], newest));
	}
	buf_free(&b);
	return k;
}

/* How many pages the listings of @groups have. */
static size_t group_pages(const struct group *groups, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += groups[i].n ? indexpages_count(groups[i].n) : 0;
	return k;
}

struct sitemap_url *sitemap_pages(const struct catalog *c, struct arena *a,
				  size_t *n)
{
	size_t cap = sitepages_count + c->n + indexpages_count(c->n) +
		     indexpages_count(c->nstale) +
		     group_pages(c->industries, c->nindustries) +
		     group_pages(c->jurisdictions, c->njurisdictions);
	struct sitemap_url *u = arena_array(a, cap, sizeof(*u));
	date_days built = fresh_day_of(c->generated);
	date_days newest = newest_review(c, built);
	struct buf b = BUF_INIT;
	size_t k = 0;
	for (size_t i = 0; i < sitepages_count; i++) {
		const struct sitepages_page *pg = &sitepages_table[i];
		if (pg->kind == SITEPAGES_RECORD) {
			for (size_t j = 0; j < c->n; j++) {
				const struct record *r = c->entries[j].r;
				buf_reset(&b);
				siteurl_put_record_path(&b, r->id.s,
							SITEURL_PAGE);
				u[k++] = (struct sitemap_url){
					arena_strdup(a, b.data),
					r->reviewed.days
				};
			}
		} else if (pg->kind == SITEPAGES_INDUSTRY) {
			k += add_groups(u + k, a, pg->path, c->industries,
					c->nindustries, newest);
		} else if (pg->kind == SITEPAGES_JURISDICTION) {
			k += add_groups(u + k, a, pg->path, c->jurisdictions,
					c->njurisdictions, newest);
		} else if (pg->kind == SITEPAGES_INDEX ||
			   pg->kind == SITEPAGES_STALE) {
			k += add_listing(
				u + k, a, pg->path,
				pg->kind == SITEPAGES_INDEX ? c->n : c->nstale,
				pg->dated == SITEPAGES_BUILD_DAY ? built
								 : newest);
		} else if (pg->dated != SITEPAGES_UNLISTED) {
			u[k++] = (struct sitemap_url){
				pg->path, pg->dated == SITEPAGES_BUILD_DAY
						  ? built
						  : newest
			};
		}
	}
	buf_free(&b);
	*n = k;
	return u;
}

static bool put_lastmod(struct buf *out, date_days d)
{
	char s[DATE_ISO_LEN + 1];
	date_format(d, s);
	return buf_printf(out, "<lastmod>%s</lastmod>", s);
}

static bool put_urlset(struct buf *out, const struct site_info *site,
		       const struct sitemap_url *urls, size_t n)
{
	bool ok = buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				"<urlset xmlns=\"http://www.sitemaps.org/"
				"schemas/sitemap/0.9\">\n");
	for (size_t i = 0; i < n && ok; i++)
		ok = buf_puts(out, "<url><loc>") &&
		     esc_xml(out, site->url.s, site->url.len) &&
		     esc_xml_str(out, urls[i].path) &&
		     buf_puts(out, "</loc>") &&
		     put_lastmod(out, urls[i].lastmod) &&
		     buf_puts(out, "</url>\n");
	return ok && buf_puts(out, "</urlset>\n");
}

int sitemap_write(struct outdir *o, const struct site_info *site,
		  const struct sitemap_url *urls, size_t n, size_t max,
		  struct buf *err)
{
	struct buf out = BUF_INIT;
	int rc = 0;
	if (max == 0)
		max = SITEMAP_MAX;
	if (n <= max) {
		if (!put_urlset(&out, site, urls, n))
			rc = -1;
		else
			rc = outdir_write(o, "sitemap.xml", out.data, out.len,
					  err);
		buf_free(&out);
		return rc;
	}
	struct buf index = BUF_INIT, name = BUF_INIT;
	bool ok = buf_puts(&index,
			   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			   "<sitemapindex xmlns=\"http://www.sitemaps.org/"
			   "schemas/sitemap/0.9\">\n");
	for (size_t start = 0, part = 1; start < n && ok && rc == 0;
	     start += max, part++) {
		size_t len = n - start < max ? n - start : max;
		date_days newest = urls[start].lastmod;
		for (size_t i = start; i < start + len; i++)
			if (urls[i].lastmod > newest)
				newest = urls[i].lastmod;
		buf_reset(&out);
		buf_reset(&name);
		buf_printf(&name, "sitemap-%zu.xml", part);
		ok = put_urlset(&out, site, urls + start, len) &&
		     buf_puts(&index, "<sitemap><loc>") &&
		     esc_xml(&index, site->url.s, site->url.len) &&
		     buf_putc(&index, '/') && esc_xml_str(&index, name.data) &&
		     buf_puts(&index, "</loc>") &&
		     put_lastmod(&index, newest) &&
		     buf_puts(&index, "</sitemap>\n");
		if (ok)
			rc = outdir_write(o, name.data, out.data, out.len, err);
	}
	ok = ok && buf_puts(&index, "</sitemapindex>\n");
	if (rc == 0 && ok)
		rc = outdir_write(o, "sitemap.xml", index.data, index.len, err);
	else if (rc == 0)
		rc = -1;
	buf_free(&out);
	buf_free(&index);
	buf_free(&name);
	return rc;
}

static bool put_tier_weights(struct buf *out, const struct method_tier *t)
{
	bool ok = true;
	for (size_t i = 0; i < t->ndims; i++)
		ok = ok && buf_printf(out, "%s`%s` %d", i ? ", " : "",
				      t->dims[i].id, t->dims[i].weight);
	return ok;
}

bool sitemap_put_llms(struct buf *out, const struct catalog *c)
{
	const struct method *m = c->m;
	const char *site = c->site->url.s;
	bool ok = buf_printf(
		out,
		"# %s\n\n"
		"> An open, evidence-cited index of how hard companies make it "
		"to cancel a subscription: %zu record%s, each one service in "
		"one jurisdiction, scored 0-100 (higher is easier to leave) "
		"and graded A-F by the published %s methodology. Open data "
		"under %s.\n\n"
		"Every fact is cited and dated. Scores cannot be bought or "
		"removed; they change only when a cited fact changes.\n\n"
		"## Data\n\n"
		"- [All records (JSON)](%s/api/v1/companies.json): every "
		"record in id order, with the methodology's weights and "
		"dimensions\n"
		"- [One record (JSON)](%s/api/v1/companies/{id}.json): the "
		"same entry alone; replace {id} with a record id, as in "
		"the `id` field of companies.json\n"
		"- [JSON Schema](%s/api/v1/schema.json): the shape of one "
		"record (draft 2020-12)\n"
		"- [API index](%s/api/v1/index.json): endpoints and counts\n"
		"- [Insights (JSON)](%s/api/v1/insights.json): grade "
		"distribution, mean levels, scores by industry and "
		"jurisdiction, gaps\n"
		"- [CSV](%s/data/companies.csv): one row per record\n"
		"- [Atom feed](%s/feed.atom): the latest changes to records\n"
		"- Record pages: %s/c/{id}; citations at %s/c/{id}/cite.txt, "
		"cite.bib, cite.ris and cite.json\n\n"
		"## Scores, grades and tiers\n\n"
		"- Documented-Policy (every record): how clearly the "
		"cancellation policy is published. Dimensions and weights: ",
		c->site->name.s, c->n, c->n == 1 ? "" : "s", m->version,
		c->site->license_name.s, site, site, site, site, site, site,
		site, site, site);
	ok = ok && put_tier_weights(out, &m->policy) &&
	     buf_puts(out, ".\n- Verified-Flow (records with a cancellation "
			   "audit; `flow` is null until then): what happens "
			   "when a person cancels. Dimensions and weights: ") &&
	     put_tier_weights(out, &m->flow) &&
	     buf_puts(out, ".\n- Each dimension is a level from 0 to 100; a "
			   "score is the weighted sum, rounded half up. "
			   "Grades: ");
	for (size_t i = 0; i < m->ngrades && ok; i++) {
		const struct method_grade *g = &m->grades[i];
		if (i + 1 < m->ngrades)
			ok = buf_printf(out, "%c >= %d, ", g->letter, g->min);
		else
			ok = buf_printf(out, "%c below %d", g->letter,
					m->grades[i - 1].min);
	}
	ok = ok &&
	     buf_printf(out,
			". Grade rules can cap a grade (never the score); "
			"`grade_cap` says why.\n"
			"- The headline score is the flow score where an "
			"audit exists, else the policy score. The two "
			"tiers are never averaged.\n"
			"- The gap (policy minus flow) is the signal: a "
			"policy that reads easy over a flow that is hard.\n"
			"- Records marked `fictional: true` are generated "
			"examples, not real companies.\n\n"
			"## Docs\n\n"
			"- [Methodology](%s/methodology/): dimensions, "
			"levels, weights and grade rules\n"
			"- [Open data and licence](%s/data/)\n"
			"- [Corrections](%s/corrections/): how to dispute "
			"a fact, and the public log\n"
			"- [FAQ](%s/faq/)\n\n"
			"## Optional\n\n"
			"- [About](%s/about/)\n"
			"- [Insights](%s/insights/)\n"
			"- [Sitemap](%s/sitemap.xml)\n",
			site, site, site, site, site, site, site);
	return ok;
}
