/*
 * sitemap.h - the files that say what the site holds: sitemap.xml,
 * robots.txt and llms.txt.
 */
#ifndef CANCELATLAS_SITEMAP_H
#define CANCELATLAS_SITEMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "catalog.h"
#include "date.h"
#include "outdir.h"
#include "siteinfo.h"

/* The sitemap protocol's limit of URLs per file. */
#define SITEMAP_MAX 50000

/* One page of the site, for the sitemap: "/c/coursera/", "/faq/". */
struct sitemap_url {
	const char *path;
	date_days lastmod;
};

/**
 * sitemap_pages() - every HTML page of the site the sitemap lists, by the
 * path it is served at (a folder's index.html), in the order of
 * sitepages.h: /, /c/<id>/ for each record, /industries/ and each
 * industry with records, /jurisdictions/ and each jurisdiction, /stale/
 * (the records due for review), then /methodology/, /insights/,
 * /corrections/, /corrections/audit/, /data/, /faq/, /about/, /privacy/
 * and /terms/. A record page is last modified on its review date, a list
 * (and /insights/, /data/) on its newest review, any other page on the
 * build date.
 * @c: the catalog.
 * @a: owns the array and its paths.
 * @n: set to the number of pages.
 *
 * Returns: the pages, owned by @a.
 */
struct sitemap_url *sitemap_pages(const struct catalog *c, struct arena *a,
				  size_t *n);

/**
 * sitemap_write() - write @urls as sitemap.xml, or, when there are more
 * than @max, as sitemap-1.xml, sitemap-2.xml, ... of at most @max URLs
 * each and a sitemap.xml index of them.
 * @site: the base URL the paths are on.
 * @max: URLs per file; SITEMAP_MAX for the site.
 *
 * Returns: 0, or -1 with @err set.
 */
int sitemap_write(struct outdir *o, const struct site_info *site,
		  const struct sitemap_url *urls, size_t n, size_t max,
		  struct buf *err);

/* sitemap_put_robots() - append /robots.txt: allow all, and the sitemap. */
bool sitemap_put_robots(struct buf *out, const struct site_info *site);

/**
 * sitemap_put_llms() - append /llms.txt (llmstxt.org): a title, a
 * summary, links to the API, CSV, schema and documentation, and how
 * scores, grades and tiers read. It does not list records.
 *
 * Returns: false only when @out's limit is reached.
 */
bool sitemap_put_llms(struct buf *out, const struct catalog *c);

#endif
