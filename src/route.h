/*
 * route.h - which handler of `serve` a request path goes to.
 */
#ifndef CANCELATLAS_ROUTE_H
#define CANCELATLAS_ROUTE_H

/* A submission's status page: this prefix, its tracking id, "/". */
#define ROUTE_STATUS_PREFIX "/corrections/status/"

enum route {
	ROUTE_BAD_PATH, /* the path could not be cleaned: refused */
	ROUTE_STATIC,	/* a file of the built site (or 404) */
	ROUTE_CORRECTIONS,
	ROUTE_AUDITS,
	ROUTE_CORRECTION_STATUS, /* /api/v1/corrections/ID */
	ROUTE_AUDIT_STATUS,	 /* /api/v1/audits/ID */
	ROUTE_STATUS_PAGE,	 /* ROUTE_STATUS_PREFIX ID [/] */
};

/**
 * route_parse() - the route of a request path.
 * @path: the path as sitefiles_path_clean() left it (decoded, checked,
 *        NUL-terminated).
 *
 * Returns: the route; never ROUTE_BAD_PATH, which is for the caller to
 * give a path that cannot be cleaned.
 */
enum route route_parse(const char *path);

#endif
