/*
 * fuzz_route.c - libFuzzer harness for the request path as `serve` reads
 * it: sitefiles_path_clean() decodes and checks the raw path (up to the
 * first NUL, as libmicrohttpd hands it over), then route_parse() picks
 * the handler. Besides never crashing or reading out of bounds, a path
 * that is let through must be one that can only name a file inside the
 * site: it starts with "/", holds no control byte or backslash, no empty
 * segment but a final one, no "." or ".." segment, and is at most
 * SITEFILES_PATH_MAX bytes. Whatever a status route names must be a
 * single segment.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "internal.h"
#include "livepage.h"
#include "route.h"
#include "sitefiles.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_clean(const char *p, size_t len)
{
	FUZZ_CHECK(len >= 1 && len <= SITEFILES_PATH_MAX && p[0] == '/');
	FUZZ_CHECK(strlen(p) == len);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		FUZZ_CHECK(c >= 0x20 && c != 0x7f && c != '\\');
	}
	for (const char *seg = p + 1; seg <= p + len;) {
		size_t n = strcspn(seg, "/");
		bool last = !seg[n];
		FUZZ_CHECK(n > 0 || last);
		FUZZ_CHECK(!(n == 1 && seg[0] == '.'));
		FUZZ_CHECK(!(n == 2 && seg[0] == '.' && seg[1] == '.'));
		if (last)
			break;
		seg += n + 1;
	}
}

/* @p is @prefix followed by one non-empty segment and, for a page, an
 * optional final "/". */
static bool one_segment(const char *p, const char *prefix, bool slash)
{
	size_t pl = strlen(prefix);
	if (strncmp(p, prefix, pl))
		return false;
	size_t n = strcspn(p + pl, "/");
	return n > 0 && (!p[pl + n] || (slash && !strcmp(p + pl + n, "/")));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *raw = xmalloc(size + 1);
	memcpy(raw, data, size);
	raw[size] = '\0';
	struct buf path = BUF_INIT;
	if (sitefiles_path_clean(raw, &path) == 0) {
		const char *p = buf_cstr(&path);
		check_clean(p, path.len);
		switch (route_parse(p)) {
		case ROUTE_BAD_PATH:
			FUZZ_CHECK(!"a clean path is a bad path");
			break;
		case ROUTE_CORRECTIONS:
			FUZZ_CHECK(!strcmp(p, "/api/v1/corrections"));
			break;
		case ROUTE_AUDITS:
			FUZZ_CHECK(!strcmp(p, "/api/v1/audits"));
			break;
		case ROUTE_CORRECTION_STATUS:
			FUZZ_CHECK(
				one_segment(p, "/api/v1/corrections/", false));
			break;
		case ROUTE_AUDIT_STATUS:
			FUZZ_CHECK(one_segment(p, "/api/v1/audits/", false));
			break;
		case ROUTE_STATUS_PAGE:
			FUZZ_CHECK(one_segment(p, ROUTE_STATUS_PREFIX, true));
			break;
		case ROUTE_STATIC:
			break;
		}
	}
	buf_free(&path);
	free(raw);
	return 0;
}
