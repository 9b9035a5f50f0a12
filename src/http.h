/*
 * http.h - the server behind `cancelatlas serve` (cmd_serve.c): the built site
 * (sitecache.h), and the write API for corrections and crowd audits.
 */
#ifndef CANCELATLAS_HTTP_H
#define CANCELATLAS_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "livepage.h"
#include "filecache.h"
#include "livereload.h"
#include "sitefiles.h"
#include "store.h"

/* Defaults of struct http_opts (a zero field takes these). */
#define HTTP_THREADS	   2
#define HTTP_CACHE_BYTES   ((size_t)256 << 20) /* files kept in memory */
#define HTTP_TIMEOUT	   30 /* seconds a connection may stay idle */
#define HTTP_HEAD_TIMEOUT  10 /* seconds to send a request head */
#define HTTP_BODY_TIMEOUT  30 /* seconds from the head to the answer */
#define HTTP_CONN_LIMIT	   4096
#define HTTP_PER_IP_LIMIT  256	       /* connections from one address */
#define HTTP_CONN_MEMORY   (32 * 1024) /* request head, per connection */
#define HTTP_RATE_PER_MIN  10	       /* writes per address per minute */
#define HTTP_DRAIN_SECONDS 10 /* SIGTERM waits this long for requests */
/* How long a write waits for another writer's lock before 503. */
#define HTTP_LOCK_TIMEOUT_MS	 2000
#define HTTP_LOCK_TIMEOUT_MAX_MS (HTTP_DRAIN_SECONDS * 1000)
#define HTTP_WRITE_QUEUE	 256 /* writes waiting at once; then 503 */
#define HTTP_READ_BUSY_MS	 100 /* a status read's wait, then 503 */
#define HTTP_LOG_INTERVAL	 10  /* seconds: one line per kind of message */
/* Connections the kernel holds before the server accepts them. Since the
 * server sheds slow connections rather than stop accepting when full,
 * this only absorbs bursts between two accept passes; at most
 * net.core.somaxconn (4096 on Linux) takes effect. */
#define HTTP_LISTEN_BACKLOG 1024

struct proxy_list;

struct http_opts {
	const char *bind;      /* address to listen on (default 127.0.0.1) */
	unsigned port;	       /* 0 picks a free port */
	unsigned threads;      /* polling threads */
	unsigned timeout;      /* idle connection timeout, seconds */
	unsigned head_timeout; /* seconds for a request head */
	unsigned body_timeout; /* seconds from the head to the answer */
	/* Connections in all: past it the oldest still sending a head is
	 * closed for each new one. */
	unsigned conn_limit;
	/* Connections per client address (IPv6: per /64). */
	unsigned per_ip_limit;
	int rate_per_min;    /* writes per address a minute; -1: no limit */
	bool access_log;     /* one line per request on stdout */
	int lock_timeout_ms; /* a write's wait for the lock, 0: default */
	size_t cache_bytes;  /* budget of the files kept in memory */
	/* Where submissions go; borrowed. While the server runs, its writer
	 * thread alone uses it; reads open connections of their own. */
	struct store *store;
	/* Proxies whose X-Forwarded-For names the client (for the rate
	 * limit and the access log), and which no per-address cap limits;
	 * borrowed; NULL: none. */
	const struct proxy_list *trust;
	/* Watch mode (serve --watch): its pages and paths; borrowed, NULL
	 * otherwise. */
	struct livereload *live;
};

struct http_server;

/**
 * http_listen() - open a listening TCP socket on @bind_addr and @port.
 * @bind_addr: an IPv4 or IPv6 address (no host name).
 * @port: the port; 0 picks a free one.
 * @err: receives the reason on failure, e.g. "cannot listen on
 * 127.0.0.1 port 8080: Address already in use".
 *
 * Returns: the socket, for http_server_start(), or -1.
 */
int http_listen(const char *bind_addr, unsigned port, struct buf *err);

/**
 * http_server_start() - serve @files on @listen_fd.
 * @o: the options; @o->store may be NULL (writes then answer 503).
 * @listen_fd: from http_listen() with @o->bind and @o->port; taken.
 * @files: the site to serve; taken (freed by the server). NULL while
 *	   the site is being built: every request but the watch mode's
 *	   stream and script is then answered 503 with Retry-After (a page
 *	   that says so, JSON under /api/) until http_server_swap()
 *	   gives it a site.
 * @pages: the pages made per request for that site; taken.
 * @err: receives the reason on failure.
 *
 * Requests are served by @o->threads threads, each with its own epoll
 * loop. Files are served by sitecache_serve(): responses for the small
 * ones and for compressed variants are built on first use and shared by
 * later requests within @o->cache_bytes (HTTP_CACHE_BYTES when 0), the
 * rest go from disk. No serving thread waits on the database: writes
 * are stored by a thread of their own while their connection is
 * suspended (a write not stored within @o->lock_timeout_ms, or one past
 * HTTP_WRITE_QUEUE waiting, is answered 503 with Retry-After), and each
 * serving thread reads through its own connection.
 *
 * A connection is closed when its request head
 * takes longer than @o->head_timeout, its body longer than
 * @o->body_timeout, when its address has @o->per_ip_limit open already,
 * or, past @o->conn_limit, when it is the oldest still sending a head.
 * The open-file limit is raised to its hard limit; when that is still too
 * low for @o->conn_limit, fewer connections are allowed, said on stderr.
 *
 * Returns: the running server, or NULL with @err set (@files and @pages
 * are freed). Stop it with http_server_stop().
 */
struct http_server *http_server_start(const struct http_opts *o, int listen_fd,
				      struct sitefiles *files,
				      struct livepages *pages, struct buf *err);

/* http_server_port() - the port the server listens on. */
unsigned http_server_port(const struct http_server *s);

/**
 * http_server_swap() - serve @files from now on. Requests in flight
 * finish with the table they started with; the old table is released by
 * http_server_reclaim() once the last of them ends. No connection is
 * dropped.
 * @files: the new site; taken.
 * @pages: the pages made per request for it; taken.
 */
void http_server_swap(struct http_server *s, struct sitefiles *files,
		      struct livepages *pages);

/**
 * http_server_reclaim() - free the replaced tables no request still uses.
 *
 * Returns: the number of replaced tables still in use.
 */
size_t http_server_reclaim(struct http_server *s);

/* http_server_cache_stats() - the counters of the files kept in memory. */
void http_server_cache_stats(struct http_server *s, struct filecache_stats *st);

/* http_server_active() - requests in progress. */
size_t http_server_active(const struct http_server *s);

/* http_server_quiesce() - stop accepting connections; those open go on. */
void http_server_quiesce(struct http_server *s);

/* http_server_stop() - answer every write still waiting, close every
 * connection and free; accepts NULL. */
void http_server_stop(struct http_server *s);

#endif
