/*
 * response.c - what `serve` sends with a file of the site and with its
 * fixed answers: the security headers every response carries, caching,
 * CORS for the API, and the encoding and validator a request asks for.
 *
 * A file's responses are built once and shared (filecache.c keeps them),
 * so nothing here depends on the request but the choice of encoding and
 * the If-None-Match test, both pure functions of the header's text.
 */
#include "response.h"
#include "buf.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char csp[] =
	"default-src 'self'; script-src 'self'; style-src 'self'; "
	"img-src 'self' data:; object-src 'none'; base-uri 'none'; "
	"form-action 'self'; frame-ancestors 'none'";

static const char *const encoding_names[SITEFILE_NENCODINGS] = {
	NULL,
	"gzip",
	"br",
};

void response_add_common(struct MHD_Response *r, bool api)
{
	MHD_add_response_header(r, "Content-Security-Policy", csp);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy",
				"strict-origin-when-cross-origin");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	if (api)
		MHD_add_response_header(r, "Access-Control-Allow-Origin", "*");
}

bool response_is_api(const char *path)
{
	return !strncmp(path, "/api/", 5);
}

/* Assets change only with a release; everything else with a build. */
static const char *cache_control(const char *path)
{
	if (!strncmp(path, "/assets/", 8))
		return "public, max-age=604800";
	return "public, max-age=60";
}

bool response_may_vary(const struct sitefile *f)
{
	return f->siblings ||
	       (f->compressible && f->size >= RESPONSE_MIN_COMPRESS);
}

void response_file_headers(struct MHD_Response *r, const struct sitefile *f,
			   enum sitefile_encoding e, const char *etag,
			   bool not_modified, bool missing)
{
	if (!not_modified)
		MHD_add_response_header(r, "Content-Type", f->type);
	if (!missing)
		MHD_add_response_header(r, "ETag", etag);
	MHD_add_response_header(r, "Cache-Control",
				missing ? "no-cache" : cache_control(f->path));
	if (response_may_vary(f))
		MHD_add_response_header(r, "Vary", "Accept-Encoding");
	if (encoding_names[e] && !not_modified)
		MHD_add_response_header(r, "Content-Encoding",
					encoding_names[e]);
	response_add_common(r, response_is_api(f->path));
}

struct MHD_Response *response_fixed(const char *body, const char *type,
				    bool api, const char *allow)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		strlen(body), (void *)body, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return NULL;
	if (*body)
		MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	if (allow)
		MHD_add_response_header(r, "Allow", allow);
	response_add_common(r, api);
	if (api && allow && strstr(allow, "POST")) {
		MHD_add_response_header(r, "Access-Control-Allow-Methods",
					allow);
		MHD_add_response_header(r, "Access-Control-Allow-Headers",
					"Content-Type");
		MHD_add_response_header(r, "Access-Control-Max-Age", "86400");
	}
	return r;
}

/* No timed refresh: a reader decides when to look again (WCAG 2.2.1);
 * Retry-After tells programs. */
static const char building_page[] =
	"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	"<meta charset=\"utf-8\">\n"
	"<meta name=\"viewport\" content=\"width=device-width, "
	"initial-scale=1\">\n"
	"<title>Building the site</title>\n</head>\n<body>\n<main>\n"
	"<h1>Building the site</h1>\n"
	"<p>The server has started and is building the pages. They will be "
	"here in a moment: <a href=\"\">try again</a> in a few "
	"seconds.</p>\n</main>\n</body>\n</html>\n";

static const char building_json[] =
	"{\"error\":\"the site is being built; try again in a few "
	"seconds\",\"field\":null}";

struct MHD_Response *response_building(bool api, size_t *len)
{
	const char *body = api ? building_json : building_page;
	*len = strlen(body);
	struct MHD_Response *r =
		response_fixed(body,
			       api ? "application/json; charset=utf-8"
				   : "text/html; charset=utf-8",
			       api, NULL);
	if (r)
		MHD_add_response_header(r, "Retry-After",
					RESPONSE_BUILDING_RETRY);
	return r;
}

struct MHD_Response *response_redirect(const char *path, size_t len)
{
	struct buf loc = BUF_INIT;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)path[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("/-._~", c))
			buf_putc(&loc, (char)c);
		else
			buf_printf(&loc, "%%%02X", c);
	}
	struct MHD_Response *r = MHD_create_response_from_buffer(
		0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (r) {
		MHD_add_response_header(r, "Location", loc.data);
		MHD_add_response_header(r, "Cache-Control",
					"public, max-age=3600");
		response_add_common(r, false);
	}
	buf_free(&loc);
	return r;
}

/* The q value of one Accept-Encoding element's parameters. */
static double parse_q(const char *p, const char *end)
{
	while (p < end) {
		while (p < end && (*p == ';' || *p == ' ' || *p == '\t'))
			p++;
		if (end - p >= 2 && (p[0] == 'q' || p[0] == 'Q') &&
		    p[1] == '=') {
			char num[8];
			size_t n = 0;
			for (p += 2; p < end && n < sizeof(num) - 1 &&
				     (*p == '.' || (*p >= '0' && *p <= '9'));
			     p++)
				num[n++] = *p;
			num[n] = '\0';
			return n ? strtod(num, NULL) : 1.0;
		}
		while (p < end && *p != ';')
			p++;
	}
	return 1.0;
}

enum sitefile_encoding response_encoding(const char *ae,
					 const struct sitefile *f)
{
	if (!ae || !response_may_vary(f))
		return SITEFILE_IDENTITY;
	bool text = f->compressible && f->size >= RESPONSE_MIN_COMPRESS;
	double q_br = -1, q_gzip = -1, q_any = -1;
	for (const char *p = ae; *p;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		const char *name = p;
		while (*p && *p != ',' && *p != ';' && *p != ' ' && *p != '\t')
			p++;
		size_t n = (size_t)(p - name);
		const char *params = p;
		while (*p && *p != ',')
			p++;
		double q = parse_q(params, p);
		if (n == 2 && !strncasecmp(name, "br", 2))
			q_br = q;
		else if ((n == 4 && !strncasecmp(name, "gzip", 4)) ||
			 (n == 6 && !strncasecmp(name, "x-gzip", 6)))
			q_gzip = q;
		else if (n == 1 && name[0] == '*')
			q_any = q;
	}
	if (q_br < 0)
		q_br = q_any > 0 ? q_any : 0;
	if (q_gzip < 0)
		q_gzip = q_any > 0 ? q_any : 0;
	bool br = (text || (f->siblings & SITEFILE_HAS_BR)) && q_br > 0;
	bool gz = (text || (f->siblings & SITEFILE_HAS_GZ)) && q_gzip > 0;
	if (br && (!gz || q_br >= q_gzip))
		return SITEFILE_BROTLI;
	if (gz)
		return SITEFILE_GZIP;
	return SITEFILE_IDENTITY;
}

bool response_etag_matches(const char *inm, const char *etag)
{
	size_t elen = strlen(etag);
	for (const char *p = inm; *p;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return true;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		if (*p != '"') {
			while (*p && *p != ',')
				p++;
			continue;
		}
		const char *end = strchr(p + 1, '"');
		if (!end)
			return false;
		if ((size_t)(end - p + 1) == elen && !memcmp(p, etag, elen))
			return true;
		p = end + 1;
	}
	return false;
}
