/*
 * siteinfo.c - the site's identity, from DATA/site.yaml.
 *
 * A fork, a mirror or a staging copy of the site is the same program over
 * another site.yaml (or the same one with build --base-url), so the code
 * names no host, no site name and no licence: citations, badges, feeds,
 * sitemaps, the API files and the pages all take a struct site_info. The
 * file goes through the record loader's YAML machinery, so its problems
 * are positioned diagnostics with stable codes like a record's.
 */
#include "siteinfo.h"
#include "datafile.h"
#include "validate.h"
#include "yaml_load.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

size_t siteinfo_base_url_len(const char *url)
{
	size_t n = strlen(url);
	while (n && url[n - 1] == '/')
		n--;
	return n;
}

static bool is_port(const char *s, size_t n)
{
	if (n == 0 || n > 5)
		return false;
	long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	return v >= 1 && v <= 65535;
}

/* A DNS name, an IPv4 address or a bracketed IPv6 address. */
static bool is_host(const char *s, size_t n)
{
	if (n == 0)
		return false;
	if (s[0] == '[') {
		if (n < 3 || s[n - 1] != ']')
			return false;
		for (size_t i = 1; i + 1 < n; i++)
			if (!isxdigit((unsigned char)s[i]) && s[i] != ':' &&
			    s[i] != '.')
				return false;
		return true;
	}
	size_t label = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			label = 0;
		} else if (isalnum(c) || (c == '-' && label > 0)) {
			label++;
		} else {
			return false;
		}
	}
	return label > 0 && s[n - 1] != '-';
}

bool siteinfo_base_url_check(const char *url, struct buf *why)
{
	struct buf ignored = BUF_INIT;
	if (!why)
		why = &ignored;
	size_t scheme = !strncasecmp(url, "https://", 8)  ? 8
			: !strncasecmp(url, "http://", 7) ? 7
							  : 0;
	const char *host = url + scheme;
	size_t end = siteinfo_base_url_len(url);
	size_t authority = strcspn(host, "/?#"), hostlen = authority;
	size_t portlen = 0;
	/* The port follows the last ':' outside an IPv6 address. */
	const char *colon = memchr(host, ':', hostlen);
	if (colon && host[0] == '[') {
		const char *close = memchr(host, ']', hostlen);
		colon = close && close + 1 < host + hostlen && close[1] == ':'
				? close + 1
				: NULL;
	}
	if (colon) {
		portlen = hostlen - (size_t)(colon - host) - 1;
		hostlen = (size_t)(colon - host);
	}
	bool ok = false;
	if (!scheme)
		buf_printf(why, "it must start with https:// or http://");
	else if (memchr(host, '@', authority))
		buf_printf(why, "it must not hold a user name or password");
	else if (!is_host(host, hostlen))
		buf_printf(why, "it must name a host, such as www.example.org");
	else if (colon && !is_port(colon + 1, portlen))
		buf_printf(why, "its port must be a number from 1 to 65535");
	else if (scheme + hostlen + (colon ? portlen + 1 : 0) != end)
		buf_printf(why,
			   "it must be the root of a host, with no path, query "
			   "or fragment: pages link from / (for staging under "
			   "a path, serve it on a host or port of its own)");
	else
		ok = true;
	buf_free(&ignored);
	return ok;
}

/* An address as people type it: local@example.org, no spaces or
 * markup, so a mailto: link made from it carries nothing else. */
static bool is_email(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@'))
		return false;
	for (const char *p = s; p < at; p++)
		if (!isalnum((unsigned char)*p) && !strchr(".+-_", *p))
			return false;
	const char *domain = at + 1;
	return strchr(domain, '.') && is_host(domain, strlen(domain));
}

/* @url without its trailing slashes, as the site's base. */
static struct text base_text(struct arena *arena, const char *url,
			     struct src_pos pos)
{
	size_t len = siteinfo_base_url_len(url);
	return (struct text){ arena_strndup(arena, url, len), len, pos };
}

/* A name shown in page titles and citations, where a line break would
 * end the title or the citation's line. */
static void check_one_line(const struct site_info *s, const struct text *t,
			   const char *key, struct diag *d)
{
	if (t->s && strpbrk(t->s, "\r\n"))
		diag_at(d, DIAG_BAD_VALUE, s->file, t->pos,
			"`%s` must be one line: it is shown in page titles and "
			"citations",
			key);
}

static void check_settings(struct site_info *s, const char *base_url,
			   struct arena *arena, struct diag *d)
{
	struct buf why = BUF_INIT;
	if (base_url)
		/* The option wins; the file's url, if any, is not used. */
		s->url = base_text(arena, base_url, s->url.pos);
	else if (s->url.s && !siteinfo_base_url_check(s->url.s, &why))
		diag_at(d, DIAG_BAD_BASE_URL, s->file, s->url.pos,
			"`url` `%s` is not a base URL: %s", s->url.s,
			buf_cstr(&why));
	else if (s->url.s)
		s->url = base_text(arena, s->url.s, s->url.pos);
	if (s->license_url.s && !validate_url(s->license_url.s))
		diag_at(d, DIAG_BAD_URL, s->file, s->license_url.pos,
			"`url` in `license` must be an absolute http:// or "
			"https:// URL (got `%s`)",
			s->license_url.s);
	if (s->contact.s && !is_email(s->contact.s) &&
	    !validate_url(s->contact.s))
		diag_at(d, DIAG_BAD_VALUE, s->file, s->contact.pos,
			"`contact` must be an email address (such as "
			"corrections@example.org) or an http(s) URL of a "
			"contact page (got `%s`)",
			s->contact.s);
	check_one_line(s, &s->name, "name", d);
	check_one_line(s, &s->license_name, "name` in `license", d);
	buf_free(&why);
}

void siteinfo_load(const char *data_dir, const char *base_url,
		   enum siteinfo_need need, struct arena *arena, struct diag *d,
		   struct site_info *out)
{
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", data_dir, SITEINFO_FILE);
	*out = (struct site_info){ .file = arena_strdup(arena, path.data) };
	size_t len;
	char *text;
	int rc = datafile_read(path.data, d, &text, &len);
	if (rc == -2) {
		/* Refused for what it is; @d says so. */
	} else if (rc && errno == ENOENT && need == SITEINFO_OPTIONAL) {
		/* Nothing to say: this caller does not use the settings. */
	} else if (rc && errno == ENOENT && need == SITEINFO_EXPECTED) {
		diag_add(d, DIAG_NO_SITE, out->file, 0, 0,
			 "no site settings: `build` and `serve` need this "
			 "file, with the site's name, url (its base URL), "
			 "contact and license (name and url)");
	} else if (rc) {
		diag_add(d, DIAG_IO, out->file, 0, 0,
			 "cannot read the site settings: %s; a build needs "
			 "this file with the site's name, url (its base URL, "
			 "such as https://www.example.org; --base-url can "
			 "give it instead), contact (an email address or a "
			 "contact page) and "
			 "license (its name and url)",
			 strerror(errno));
	} else {
		size_t errors = diag_count(d, DIAG_ERROR);
		if (yaml_load_site(out->file, text, len, base_url == NULL,
				   arena, d, out) == 0)
			check_settings(out, base_url, arena, d);
		out->loaded = diag_count(d, DIAG_ERROR) == errors;
	}
	free(text);
	buf_free(&path);
}
