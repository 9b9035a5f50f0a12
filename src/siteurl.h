/*
 * siteurl.h - the site's URLs: the absolute URL of a path on the site,
 * where each of a record's files is served, and the contact's link.
 * Every output that names a URL of the site forms it here.
 */
#ifndef CANCELATLAS_SITEURL_H
#define CANCELATLAS_SITEURL_H

#include <stdbool.h>

#include "buf.h"
#include "siteinfo.h"

/* The API's version: its paths start with /api/v1/, and each of its files
 * says it in api_version. */
#define SITEURL_API_VERSION "v1"

/* A record's files, each served at a path of its own. */
enum siteurl_record_file {
	SITEURL_PAGE,  /* /c/ID/, written as c/ID/index.html */
	SITEURL_FEED,  /* /c/ID/feed.atom */
	SITEURL_API,   /* /api/v1/companies/ID.json */
	SITEURL_BADGE, /* /share/badges/ID.svg */
	SITEURL_CARD,  /* /share/cards/ID.png */
	SITEURL_CITE,  /* /c/ID/cite., then the format: txt, bib, ris, json */
};

/**
 * siteurl_put() - append the absolute URL of @path ("/feed.atom", "/" for
 * the home page) on the site; an empty @path gives the base URL alone.
 *
 * Returns: false only when @out's limit is reached.
 */
bool siteurl_put(struct buf *out, const struct site_info *s, const char *path);

/**
 * siteurl_put_record() - append a record page's absolute URL as the seed
 * page cites it, <base>/c/<id>: the API's "url", the citations, the badge
 * and the feeds give it (the sitemap and canonical links use the page's
 * own address, /c/<id>/).
 *
 * Returns: false only when @out's limit is reached.
 */
bool siteurl_put_record(struct buf *out, const struct site_info *s,
			const char *id);

/**
 * siteurl_put_record_path() - append the URL path of record @id's file
 * @f: "/c/coursera/", "/api/v1/companies/coursera.json", ...
 *
 * Returns: false only when @out's limit is reached.
 */
bool siteurl_put_record_path(struct buf *out, const char *id,
			     enum siteurl_record_file f);

/**
 * siteurl_put_record_file() - append where record @id's file @f is written
 * in the site folder: "c/coursera/index.html", "share/cards/coursera.png".
 *
 * Returns: false only when @out's limit is reached.
 */
bool siteurl_put_record_file(struct buf *out, const char *id,
			     enum siteurl_record_file f);

/* siteurl_records_folder() - the folder of the record pages' folders,
 * as a URL path: "/c/". */
const char *siteurl_records_folder(void);

/**
 * siteurl_is_record_page() - whether @path, a URL path of a built site's
 * file, is a record page's: /c/ID/index.html.
 */
bool siteurl_is_record_page(const char *path);

/**
 * siteurl_put_contact() - append a link to the contact: "mailto:ADDRESS"
 * for an email address, the URL itself for a web page; nothing when the
 * settings name no contact.
 *
 * Returns: false only when @out's limit is reached.
 */
bool siteurl_put_contact(struct buf *out, const struct site_info *s);

#endif
