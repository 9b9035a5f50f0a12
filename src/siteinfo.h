/*
 * siteinfo.h - the site's identity (DATA/site.yaml): its name, base URL,
 * contact and data licence. Every place the site names itself reads it
 * from here; siteurl.h makes its URLs.
 */
#ifndef CANCELATLAS_SITEINFO_H
#define CANCELATLAS_SITEINFO_H

#include <stdbool.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "record.h"

/* The settings file of a data folder. */
#define SITEINFO_FILE "site.yaml"

/* What a command needs of the settings when the file is absent. */
enum siteinfo_need {
	SITEINFO_OPTIONAL, /* nothing: the settings are checked if present */
	SITEINFO_EXPECTED, /* a warning (W106): `check` */
	SITEINFO_REQUIRED, /* an error (E001): build, serve, score --json */
};

/**
 * siteinfo_load() - read and check DATA/site.yaml.
 * @data_dir: the data folder.
 * @base_url: a base URL that replaces the file's `url` (build --base-url),
 *	      already accepted by siteinfo_base_url_check(); NULL for none.
 *	      With it, the file may leave `url` out.
 * @need: what a missing file is; an error says what to put in it.
 * @arena: owns the strings.
 * @d: receives the problems, positioned in the file (E001-E011, E019,
 *     E023, E025, E031).
 * @out: filled in; @out->loaded is true when the file was read without
 *	 errors.
 */
void siteinfo_load(const char *data_dir, const char *base_url,
		   enum siteinfo_need need, struct arena *arena, struct diag *d,
		   struct site_info *out);

/**
 * siteinfo_base_url_check() - whether @url can be a site's base URL: an
 * absolute http:// or https:// URL of a host (and port), with nothing
 * after it but slashes. Pages link to /c/<id>/ and /assets/ from the root
 * of the host, so a base with a path, query or fragment would break them.
 * @why: receives the reason when it cannot (may be NULL).
 *
 * Returns: true when it can.
 */
bool siteinfo_base_url_check(const char *url, struct buf *why);

/**
 * siteinfo_base_url_len() - the length of @url without its trailing
 * slashes: what siteinfo_load() keeps of a base URL.
 */
size_t siteinfo_base_url_len(const char *url);

#endif
