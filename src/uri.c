/*
 * uri.c - a URL a record cites, written so that any URI parser takes it.
 *
 * Records hold URLs as people paste them: with spaces, non-ASCII letters
 * or a stray '%'. Outputs that promise a URI (the API's "format": "uri",
 * the CSV's links) percent-encode exactly the bytes the URL's part may not
 * hold, and leave escapes already there alone, so the result still names
 * the same resource.
 */
#include "uri.h"
#include "esc.h"

#include <string.h>

enum uri_part { URI_AUTHORITY, URI_PATH, URI_QUERY, URI_FRAGMENT };

static bool uri_allowed(unsigned char c, enum uri_part part)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return true;
	if (c && strchr("-._~!$&'()*+,;=:@", c))
		return true;
	switch (part) {
	case URI_AUTHORITY:
		return c == '[' || c == ']';
	case URI_PATH:
		return c == '/';
	case URI_QUERY:
	case URI_FRAGMENT:
		return c == '/' || c == '?';
	}
	return false;
}

bool uri_put(struct buf *out, const char *url)
{
	const unsigned char *p = (const unsigned char *)url;
	const char *sep = strstr(url, "://");
	enum uri_part part = URI_PATH;
	size_t i = 0;
	bool ok = true;
	if (sep) {
		i = (size_t)(sep - url) + 3;
		ok = buf_put(out, url, i);
		part = URI_AUTHORITY;
	}
	for (; p[i] && ok; i++) {
		unsigned char c = p[i];
		if (c == '/' && part == URI_AUTHORITY)
			part = URI_PATH;
		else if (c == '?' && part < URI_QUERY)
			part = URI_QUERY;
		else if (c == '#' && part < URI_FRAGMENT)
			part = URI_FRAGMENT;
		else if (c == '%' && esc_hex_digit(p[i + 1]) >= 0 &&
			 esc_hex_digit(p[i + 2]) >= 0)
			; /* an escape already */
		else if (!uri_allowed(c, part)) {
			ok = buf_printf(out, "%%%02X", c);
			continue;
		}
		ok = buf_putc(out, (char)c);
	}
	return ok;
}
