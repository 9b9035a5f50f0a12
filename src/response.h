/*
 * response.h - the headers and bodies `serve` answers with for the
 * site's files and its fixed answers, and the request headers that pick
 * among a file's variants (Accept-Encoding, If-None-Match).
 */
#ifndef CANCELATLAS_RESPONSE_H
#define CANCELATLAS_RESPONSE_H

#include <microhttpd.h>
#include <stdbool.h>

#include "sitefiles.h"

/**
 * response_add_common() - add the headers every response carries: the
 * Content-Security-Policy, nosniff, the referrer policy, no framing, and
 * for the API (@api) Access-Control-Allow-Origin: *.
 */
void response_add_common(struct MHD_Response *r, bool api);

/* response_is_api() - whether URL path @path is under /api/. */
bool response_is_api(const char *path);

/* Files smaller than this are never worth a compressed variant. */
#define RESPONSE_MIN_COMPRESS 128

/**
 * response_file_headers() - add to @r, a response for file @f in encoding
 * @e, its type, ETag @etag, Cache-Control (assets a week, the rest a
 * minute), Vary and Content-Encoding; for a 304 (@not_modified) no type
 * and no encoding; for @missing (the 404 page), no ETag and no-cache.
 */
void response_file_headers(struct MHD_Response *r, const struct sitefile *f,
			   enum sitefile_encoding e, const char *etag,
			   bool not_modified, bool missing);

/**
 * response_may_vary() - whether @f may be sent in another encoding than
 * identity: a compressed copy lies beside it, or it is text large enough
 * to compress.
 */
bool response_may_vary(const struct sitefile *f);

/**
 * response_fixed() - a response that never changes: @body (static, of
 * @type unless empty), no-store, and, when @allow is given, the Allow
 * header with it (for the API, the CORS preflight's answers too).
 *
 * Returns: a new response (MHD_destroy_response()), or NULL.
 */
struct MHD_Response *response_fixed(const char *body, const char *type,
				    bool api, const char *allow);

/* Seconds a client is asked to wait while the site is first built. */
#define RESPONSE_BUILDING_RETRY "5"

/**
 * response_building() - what every request is answered with (status
 * 503) while the site is first built: a page that says so, with a link
 * to try again, or for the API (@api) JSON; both with Retry-After and
 * no-store.
 * @len: set to the body's length.
 *
 * Returns: a new response (MHD_destroy_response()), or NULL.
 */
struct MHD_Response *response_building(bool api, size_t *len);

/**
 * response_redirect() - a permanent redirect (301) to the site path of
 * @len bytes at @path, percent-encoded but for unreserved characters
 * and "/", cacheable for an hour.
 *
 * Returns: a new response (MHD_destroy_response()), or NULL.
 */
struct MHD_Response *response_redirect(const char *path, size_t len);

/**
 * response_encoding() - the variant of @f to send for Accept-Encoding @ae
 * (NULL when absent): brotli or gzip by their q values ("*" counts for
 * both; brotli wins a tie), among the variants @f may have (see
 * response_may_vary()); identity otherwise.
 */
enum sitefile_encoding response_encoding(const char *ae,
					 const struct sitefile *f);

/* response_etag_matches() - whether If-None-Match @inm lists @etag (weak
 * comparison) or is "*". */
bool response_etag_matches(const char *inm, const char *etag);

#endif
