/*
 * sitepages.c - the table of the site's pages.
 *
 * A page added here is written by the build (which needs a template and,
 * for a page with values of its own, a case in site.c) and listed in the
 * sitemap; the order is the sitemap's. The pages made per record or per
 * group stand as one row each: the catalog says how many there are.
 */
#include "sitepages.h"
#include "internal.h"

#include <string.h>

const struct sitepages_page sitepages_table[] = {
	{ SITEPAGES_INDEX, "index", "/", "index", SITEPAGES_NEWEST_REVIEW },
	{ SITEPAGES_RECORD, "record", NULL, NULL, SITEPAGES_OWN_REVIEWS },
	{ SITEPAGES_INDUSTRIES, "groups", "/industries/", NULL,
	  SITEPAGES_NEWEST_REVIEW },
	{ SITEPAGES_INDUSTRY, "list", "/industries/", NULL,
	  SITEPAGES_OWN_REVIEWS },
	{ SITEPAGES_JURISDICTIONS, "groups", "/jurisdictions/", NULL,
	  SITEPAGES_NEWEST_REVIEW },
	{ SITEPAGES_JURISDICTION, "list", "/jurisdictions/", NULL,
	  SITEPAGES_OWN_REVIEWS },
	/* The records due for review change with the build's date. */
	{ SITEPAGES_STALE, "list", "/stale/", NULL, SITEPAGES_BUILD_DAY },
	{ SITEPAGES_METHODOLOGY, "methodology", "/methodology/", "methodology",
	  SITEPAGES_BUILD_DAY },
	{ SITEPAGES_INSIGHTS, "insights", "/insights/", "insights",
	  SITEPAGES_NEWEST_REVIEW },
	{ SITEPAGES_CORRECTIONS, "corrections", "/corrections/", "corrections",
	  SITEPAGES_BUILD_DAY },
	{ SITEPAGES_AUDIT, "audit", "/corrections/audit/", "corrections",
	  SITEPAGES_BUILD_DAY },
	{ SITEPAGES_DATA, "data", "/data/", "data", SITEPAGES_NEWEST_REVIEW },
	{ SITEPAGES_FAQ, "faq", "/faq/", NULL, SITEPAGES_BUILD_DAY },
	{ SITEPAGES_ABOUT, "about", "/about/", NULL, SITEPAGES_BUILD_DAY },
	{ SITEPAGES_PRIVACY, "privacy", "/privacy/", NULL,
	  SITEPAGES_BUILD_DAY },
	{ SITEPAGES_TERMS, "terms", "/terms/", NULL, SITEPAGES_BUILD_DAY },
	{ SITEPAGES_NOT_FOUND, "404", "/404.html", NULL, SITEPAGES_UNLISTED },
};

const size_t sitepages_count = ATLAS_COUNT(sitepages_table);

bool sitepages_put_file(struct buf *out, const char *path)
{
	size_t len = strlen(path);
	return buf_puts(out, path + 1) &&
	       (path[len - 1] != '/' || buf_puts(out, "index.html"));
}
