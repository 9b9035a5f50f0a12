/*
 * sitecache.h - the answer for one file of an indexed site (sitefiles.h):
 * from memory when kept (filecache.h), else from disk by sendfile, in the
 * encoding the request takes, with its ETag, or 304.
 */
#ifndef CANCELATLAS_SITECACHE_H
#define CANCELATLAS_SITECACHE_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>

#include "filecache.h"
#include "sitefiles.h"

/* sitecache_serve() returns this when the file is no longer on disk. */
#define SITECACHE_GONE (-1)

/* Largest file compressed on first use; larger ones go as they are. */
#define SITECACHE_COMPRESS_MAX (32u << 20)

/*
 * Hand @r, with @status and a body of @len bytes, to the connection: the
 * caller's queueing (logging, deadlines), returning MHD_queue_response()'s
 * result. @r is borrowed: the function must not destroy it. A NULL @r
 * (out of memory) must be answered MHD_NO.
 */
typedef enum MHD_Result (*sitecache_queue_fn)(void *arg, unsigned status,
					      struct MHD_Response *r,
					      size_t len);

/* What one request asks of a file. */
struct sitecache_req {
	const char *accept_encoding; /* NULL when absent */
	const char *if_none_match;   /* NULL when absent */
	bool missing; /* the file is the 404 page, answered with 404 */
	sitecache_queue_fn queue;
	void *arg;
};

/**
 * sitecache_serve() - answer @rq with file @f of @t.
 * @c: where small files and the compressed variants made are kept.
 *
 * The encoding follows response_encoding(). A compressed variant is
 * FILE.gz or FILE.br beside the file when the index found one, else it is
 * made on first use (gzip level 6, brotli quality 5; 4 and 3 past 1 MiB,
 * since a request waits for it) and kept in @c when
 * smaller than the file; one not smaller, or too big to keep, is
 * remembered as such and the file goes as it is. A file of at most
 * filecache_max_entry() bytes is kept in @c once read; larger ones go
 * from disk each time. The ETag is made from the size and time of what
 * is actually sent (sitefile_etag()), so a file replaced on disk since it
 * was indexed is sent whole, new, with its own tag, and not kept.
 *
 * Returns: what @rq->queue returned, MHD_NO when out of memory, or
 * SITECACHE_GONE (nothing queued) when the file cannot be opened.
 */
int sitecache_serve(struct filecache *c, const struct sitefiles *t,
		    const struct sitefile *f, const struct sitecache_req *rq);

#endif
