/*
 * sitecache.c - answer a request for one file of the site.
 *
 * The hot path is a lookup in the cache of ready responses (filecache.c)
 * keyed by the file's identity in the index (path, inode, size, time) and
 * the variant; the response is queued under the cache's lock. A miss
 * opens the file beneath the site folder and fstat()s it: small files
 * (and every compressed variant made here) are read, turned into a shared
 * response and kept; large ones are sent with sendfile from a response
 * made for that request. Nothing is kept for a file whose fstat() does
 * not match the index: it was replaced since, and its new bytes are sent
 * with the tag of those bytes until a reload indexes it.
 */
#include "sitecache.h"
#include "hash.h"
#include "internal.h"
#include "response.h"

#include <brotli/encode.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* use_entry()'s answer for a variant not worth sending. */
#define NEGATIVE       (-2)
#define GZIP_LEVEL     6
#define BROTLI_QUALITY 5
/* Larger files are compressed faster, since a request waits for it. */
#define LARGE		     1048576
#define GZIP_LEVEL_LARGE     4
#define BROTLI_QUALITY_LARGE 3

struct use {
	const struct sitefile *f;
	enum sitefile_encoding e;
	const struct sitecache_req *rq;
};

static bool not_modified(const struct sitecache_req *rq, const char *etag)
{
	return !rq->missing && rq->if_none_match &&
	       response_etag_matches(rq->if_none_match, etag);
}

/* Queue kept entry @en (under the cache's lock). */
static int use_entry(void *arg, struct filecache_entry *en)
{
	struct use *u = arg;
	const struct sitecache_req *rq = u->rq;
	if (!en->ok)
		return NEGATIVE;
	if (not_modified(rq, en->etag)) {
		if (!en->nm) {
			en->nm = MHD_create_response_from_buffer(
				0, (void *)"", MHD_RESPMEM_PERSISTENT);
			if (en->nm)
				response_file_headers(en->nm, u->f, u->e,
						      en->etag, true, false);
		}
		return rq->queue(rq->arg, 304, en->nm, 0);
	}
	return rq->queue(rq->arg, rq->missing ? 404 : 200, en->ok, en->len);
}

static struct filecache_key key_of(const struct sitefile *f,
				   enum sitefile_encoding e, bool missing)
{
	return (struct filecache_key){
		.path = hash_bytes(f->path, f->path_len),
		.ino = f->ino,
		.size = f->size,
		.mtime_ns = f->mtime_ns,
		.variant = (uint32_t)e | (missing ? 4u : 0u),
	};
}

static int64_t mtime_ns(const struct stat *st)
{
	return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

/* Whether what was opened is the file as the index knows it. */
static bool as_indexed(const struct sitefile *f, const struct stat *st)
{
	return (uint64_t)st->st_ino == f->ino &&
	       (uint64_t)st->st_size == f->size && mtime_ns(st) == f->mtime_ns;
}

/* All @size bytes of @fd, or NULL (errno set); @fd is closed. */
static unsigned char *read_close(int fd, size_t size)
{
	unsigned char *data = malloc(size ? size : 1);
	size_t got = 0;
	while (data && got < size) {
		ssize_t n = read(fd, data + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO; /* it shrank under us */
			free(data);
			data = NULL;
			break;
		}
		got += (size_t)n;
	}
	close(fd);
	return data;
}

/* Answer with a response made for this request only: @fd's @size bytes
 * (taken) by sendfile, or 304. */
static int answer_fd(const struct sitefile *f, enum sitefile_encoding e,
		     const char *etag, int fd, size_t size,
		     const struct sitecache_req *rq)
{
	bool nm = not_modified(rq, etag);
	struct MHD_Response *r;
	if (nm) {
		close(fd);
		r = MHD_create_response_from_buffer(0, (void *)"",
						    MHD_RESPMEM_PERSISTENT);
	} else {
		r = MHD_create_response_from_fd(size, fd);
		if (!r)
			close(fd);
	}
	if (r)
		response_file_headers(r, f, e, etag, nm, rq->missing);
	int ret = rq->queue(rq->arg,
			    nm		  ? 304
			    : rq->missing ? 404
					  : 200,
			    r, nm ? 0 : size);
	if (r)
		MHD_destroy_response(r);
	return ret;
}

/* A response to keep: @data (taken, freed with the response). */
static struct MHD_Response *kept_response(const struct sitefile *f,
					  enum sitefile_encoding e,
					  const char *etag, unsigned char *data,
					  size_t len, bool missing)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer_with_free_callback(len, data,
								   free);
	if (!r) {
		free(data);
		return NULL;
	}
	response_file_headers(r, f, e, etag, false, missing);
	return r;
}

/* Keep @data (taken) as variant @e of @f, and answer with it. */
static int keep_and_answer(struct filecache *c, const struct sitefile *f,
			   enum sitefile_encoding e, const char *etag,
			   unsigned char *data, size_t len,
			   const struct sitecache_req *rq)
{
	struct MHD_Response *r =
		kept_response(f, e, etag, data, len, rq->missing);
	if (!r)
		return MHD_NO;
	struct filecache_key k = key_of(f, e, rq->missing);
	struct use u = { f, e, rq };
	int ret;
	filecache_put(c, &k, r, len, etag, use_entry, &u, &ret);
	return ret;
}

/* Remember that variant @e of @f is not worth sending. */
static int refuse_variant(struct filecache *c, const struct sitefile *f,
			  enum sitefile_encoding e,
			  const struct sitecache_req *rq)
{
	struct filecache_key k = key_of(f, e, rq->missing);
	struct use u = { f, e, rq };
	int ret;
	filecache_put(c, &k, NULL, 0, NULL, use_entry, &u, &ret);
	return ret;
}

/* Send file @fd (opened as @st) in encoding @e: from the cache once read
 * when small and as indexed, else by sendfile. */
static int answer_opened(struct filecache *c, const struct sitefile *f,
			 enum sitefile_encoding e, int fd,
			 const struct stat *st, bool indexed,
			 const struct sitecache_req *rq)
{
	char etag[SITEFILE_ETAG_SIZE];
	size_t size = (size_t)st->st_size;
	sitefile_etag(size, mtime_ns(st), e, etag);
	if (!indexed || size > filecache_max_entry(c))
		return answer_fd(f, e, etag, fd, size, rq);
	unsigned char *data = read_close(fd, size);
	if (!data)
		return SITECACHE_GONE;
	return keep_and_answer(c, f, e, etag, data, size, rq);
}

static unsigned char *gzip_data(const unsigned char *in, size_t len,
				size_t *out_len)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	int level = len > LARGE ? GZIP_LEVEL_LARGE : GZIP_LEVEL;
	if (len > UINT32_MAX || deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8,
					     Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	size_t cap = deflateBound(&z, (uLong)len);
	unsigned char *out = malloc(cap);
	if (!out) {
		deflateEnd(&z);
		return NULL;
	}
	z.next_in = (unsigned char *)in;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	int rc = deflate(&z, Z_FINISH);
	*out_len = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(out);
		return NULL;
	}
	return out;
}

static unsigned char *brotli_data(const unsigned char *in, size_t len,
				  bool text, size_t *out_len)
{
	size_t cap = BrotliEncoderMaxCompressedSize(len);
	unsigned char *out = cap ? malloc(cap) : NULL;
	if (!out)
		return NULL;
	*out_len = cap;
	int quality = len > LARGE ? BROTLI_QUALITY_LARGE : BROTLI_QUALITY;
	if (!BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW,
				   text ? BROTLI_MODE_TEXT
					: BROTLI_MODE_GENERIC,
				   len, in, out_len, out)) {
		free(out);
		return NULL;
	}
	return out;
}

/* Variant @e of @f, not kept yet: the copy beside it, or made now. */
static int load_variant(struct filecache *c, const struct sitefiles *t,
			const struct sitefile *f, enum sitefile_encoding e,
			const struct sitecache_req *rq)
{
	struct stat st;
	int fd;
	if ((f->siblings & (1u << e)) &&
	    (fd = sitefiles_open(t, f, e, &st)) >= 0)
		return answer_opened(c, f, e, fd, &st, true, rq);
	if (f->size > SITECACHE_COMPRESS_MAX || f->size < RESPONSE_MIN_COMPRESS)
		return refuse_variant(c, f, e, rq);
	fd = sitefiles_open(t, f, SITEFILE_IDENTITY, &st);
	if (fd < 0)
		return SITECACHE_GONE;
	if (!as_indexed(f, &st)) {
		close(fd);
		return NEGATIVE; /* the new bytes go as they are */
	}
	unsigned char *data = read_close(fd, f->size);
	if (!data)
		return SITECACHE_GONE;
	size_t len = 0;
	unsigned char *z =
		e == SITEFILE_GZIP
			? gzip_data(data, f->size, &len)
			: brotli_data(data, f->size,
				      strncmp(f->type, "image/", 6), &len);
	free(data);
	if (!z || len >= f->size || len > filecache_max_entry(c)) {
		free(z);
		return refuse_variant(c, f, e, rq);
	}
	char etag[SITEFILE_ETAG_SIZE];
	sitefile_etag(f->size, f->mtime_ns, e, etag);
	return keep_and_answer(c, f, e, etag, z, len, rq);
}

static int load_identity(struct filecache *c, const struct sitefiles *t,
			 const struct sitefile *f,
			 const struct sitecache_req *rq)
{
	struct stat st;
	int fd = sitefiles_open(t, f, SITEFILE_IDENTITY, &st);
	if (fd < 0)
		return SITECACHE_GONE;
	return answer_opened(c, f, SITEFILE_IDENTITY, fd, &st,
			     as_indexed(f, &st), rq);
}

int sitecache_serve(struct filecache *c, const struct sitefiles *t,
		    const struct sitefile *f, const struct sitecache_req *rq)
{
	enum sitefile_encoding e = response_encoding(rq->accept_encoding, f);
	for (;;) {
		struct filecache_key k = key_of(f, e, rq->missing);
		struct use u = { f, e, rq };
		int ret;
		if (!filecache_use(c, &k, use_entry, &u, &ret))
			ret = e == SITEFILE_IDENTITY
				      ? load_identity(c, t, f, rq)
				      : load_variant(c, t, f, e, rq);
		if (ret != NEGATIVE || e == SITEFILE_IDENTITY)
			return ret == NEGATIVE ? MHD_NO : ret;
		e = SITEFILE_IDENTITY;
	}
}
