/*
 * route.c - the request router of `serve`: a cleaned request path to the
 * handler it goes to. The write API and its status resources live under
 * /api/v1/, a submission's status page under ROUTE_STATUS_PREFIX, and
 * everything else is a file of the built site. Kept apart from http.c,
 * which holds the server, so it can be tested and fuzzed on its own.
 */
#include "route.h"

#include <stdbool.h>
#include <string.h>

/* Whether @p is @prefix, "/" and one more segment, not empty. */
static bool one_below(const char *p, const char *prefix, size_t len)
{
	return !strncmp(p, prefix, len) && p[len] == '/' && p[len + 1] &&
	       !strchr(p + len + 1, '/');
}

enum route route_parse(const char *p)
{
	static const char corr[] = "/api/v1/corrections";
	static const char aud[] = "/api/v1/audits";
	if (!strcmp(p, corr))
		return ROUTE_CORRECTIONS;
	if (!strcmp(p, aud))
		return ROUTE_AUDITS;
	if (one_below(p, corr, sizeof(corr) - 1))
		return ROUTE_CORRECTION_STATUS;
	if (one_below(p, aud, sizeof(aud) - 1))
		return ROUTE_AUDIT_STATUS;
	size_t pl = strlen(ROUTE_STATUS_PREFIX);
	if (strncmp(p, ROUTE_STATUS_PREFIX, pl))
		return ROUTE_STATIC;
	size_t idl = strcspn(p + pl, "/");
	if (idl && (!p[pl + idl] || !strcmp(p + pl + idl, "/")))
		return ROUTE_STATUS_PAGE;
	return ROUTE_STATIC;
}
