/*
 * siteurl.c - every URL of the site, made from its base URL.
 *
 * A record has a page, a feed, an API file, a badge and a share image,
 * and several outputs link to each: the table below says once where each
 * one is, so the build that writes a file and the page, feed or sitemap
 * that links to it cannot disagree. A page is a folder served from its
 * index.html, the way any static web server serves it.
 */
#include "siteurl.h"
#include "validate.h"

#include <string.h>

static const struct {
	const char *before, *after;
} record_files[] = {
	[SITEURL_PAGE] = { "/c/", "/" },
	[SITEURL_FEED] = { "/c/", "/feed.atom" },
	[SITEURL_API] = { "/api/" SITEURL_API_VERSION "/companies/", ".json" },
	[SITEURL_BADGE] = { "/share/badges/", ".svg" },
	[SITEURL_CARD] = { "/share/cards/", ".png" },
	[SITEURL_CITE] = { "/c/", "/cite." },
};

bool siteurl_put(struct buf *out, const struct site_info *s, const char *path)
{
	return buf_put(out, s->url.s, s->url.len) && buf_puts(out, path);
}

bool siteurl_put_record(struct buf *out, const struct site_info *s,
			const char *id)
{
	return siteurl_put(out, s, record_files[SITEURL_PAGE].before) &&
	       buf_puts(out, id);
}

bool siteurl_put_record_path(struct buf *out, const char *id,
			     enum siteurl_record_file f)
{
	return buf_puts(out, record_files[f].before) && buf_puts(out, id) &&
	       buf_puts(out, record_files[f].after);
}

bool siteurl_put_record_file(struct buf *out, const char *id,
			     enum siteurl_record_file f)
{
	const char *after = record_files[f].after;
	bool folder = after[strlen(after) - 1] == '/';
	return buf_puts(out, record_files[f].before + 1) && buf_puts(out, id) &&
	       buf_puts(out, after) && (!folder || buf_puts(out, "index.html"));
}

const char *siteurl_records_folder(void)
{
	return record_files[SITEURL_PAGE].before;
}

bool siteurl_is_record_page(const char *path)
{
	const char *before = record_files[SITEURL_PAGE].before;
	size_t len = strlen(before);
	if (strncmp(path, before, len))
		return false;
	const char *slash = strchr(path + len, '/');
	return slash && slash > path + len && !strcmp(slash, "/index.html");
}

bool siteurl_put_contact(struct buf *out, const struct site_info *s)
{
	if (!s->contact.s)
		return true;
	return (validate_url(s->contact.s) || buf_puts(out, "mailto:")) &&
	       buf_puts(out, s->contact.s);
}
