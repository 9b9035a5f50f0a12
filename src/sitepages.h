/*
 * sitepages.h - every page of the site, in one table: what it is, the
 * template that renders it, where it is served, the navigation item it
 * makes current and how the sitemap dates it. The build writes the pages
 * of this table and the sitemap lists them, so the two cannot disagree.
 */
#ifndef CANCELATLAS_SITEPAGES_H
#define CANCELATLAS_SITEPAGES_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* What a page is; the build gives each kind its own values. */
enum sitepages_kind {
	SITEPAGES_INDEX,
	SITEPAGES_RECORD, /* one per record, where siteurl.h says */
	SITEPAGES_INDUSTRIES,
	SITEPAGES_INDUSTRY, /* one per industry with records */
	SITEPAGES_JURISDICTIONS,
	SITEPAGES_JURISDICTION, /* one per jurisdiction */
	SITEPAGES_STALE,
	SITEPAGES_METHODOLOGY,
	SITEPAGES_INSIGHTS,
	SITEPAGES_CORRECTIONS,
	SITEPAGES_AUDIT,
	SITEPAGES_DATA,
	SITEPAGES_FAQ,
	SITEPAGES_ABOUT,
	SITEPAGES_PRIVACY,
	SITEPAGES_TERMS,
	SITEPAGES_NOT_FOUND,
};

/* How the sitemap dates a page (its <lastmod>). */
enum sitepages_dated {
	SITEPAGES_BUILD_DAY,	 /* the day of the build */
	SITEPAGES_NEWEST_REVIEW, /* the newest review of any record */
	SITEPAGES_OWN_REVIEWS,	 /* a record's review; a group's newest */
	SITEPAGES_UNLISTED,	 /* not in the sitemap */
};

struct sitepages_page {
	enum sitepages_kind kind;
	const char *template; /* templates/NAME.mustache */
	/* Where it is served: "/faq/", a folder served from its index.html,
	 * or a file ("/404.html"). A page per industry or jurisdiction is
	 * served at PATH/KEY/; a record's path is siteurl.h's. */
	const char *path;
	const char *nav; /* the navigation item it makes current, or NULL */
	enum sitepages_dated dated;
};

/* Every page, in the sitemap's order. */
extern const struct sitepages_page sitepages_table[];
extern const size_t sitepages_count;

/**
 * sitepages_put_file() - append the file that the page served at @path is
 * written to, relative to the site folder: "/faq/" is "faq/index.html",
 * "/" is "index.html", "/404.html" is "404.html".
 *
 * Returns: false only when @out's limit is reached.
 */
bool sitepages_put_file(struct buf *out, const char *path);

#endif
