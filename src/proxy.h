/*
 * proxy.h - the proxies `serve` trusts (--trust-proxy), and the client
 * address a request comes from when one of them passed it on in
 * X-Forwarded-For.
 */
#ifndef CANCELATLAS_PROXY_H
#define CANCELATLAS_PROXY_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "buf.h"

/* The size of an address as proxy_client() writes it, NUL included. */
#define PROXY_ADDR_SIZE INET6_ADDRSTRLEN
/* X-Forwarded-For headers read in one request; past it, the peer. */
#define PROXY_MAX_HEADERS 16

struct proxy_list;
struct MHD_Connection;

/**
 * proxy_list_new() - an empty list: it trusts no proxy.
 *
 * Returns: the list; free it with proxy_list_free().
 */
struct proxy_list *proxy_list_new(void);

/* proxy_list_free() - free; accepts NULL. */
void proxy_list_free(struct proxy_list *pl);

/**
 * proxy_list_add() - trust more proxies.
 * @spec: one or more, separated by commas: an IPv4 or IPv6 address
 *	  ("127.0.0.1", "::1") or a prefix ("10.0.0.0/8", "fd00::/8"),
 *	  whose bits past its length must be zero.
 * @err: receives the reason when @spec is refused, such as "'10.0.0.1/8'
 *	 has bits set past its /8 (the prefix is 10.0.0.0/8)".
 *
 * Returns: 0, or -1 (and nothing of @spec is added).
 */
int proxy_list_add(struct proxy_list *pl, const char *spec, struct buf *err);

/* proxy_list_count() - the addresses and prefixes trusted; 0 for NULL. */
size_t proxy_list_count(const struct proxy_list *pl);

/**
 * proxy_list_trusts() - whether @sa (IPv4, IPv6, or IPv4 mapped into
 * IPv6, which counts as the IPv4 address) is a trusted proxy. A NULL or
 * empty list trusts nothing.
 */
bool proxy_list_trusts(const struct proxy_list *pl,
		       const struct sockaddr_storage *sa);

/**
 * proxy_client() - the client behind a request.
 * @peer: the address the connection comes from.
 * @xff: the X-Forwarded-For values in the order received, @n of them
 *	 (several headers read as one list, joined by commas).
 * @client: receives the client's address (the port is 0 when it comes
 *	    from the header).
 * @text: receives it as text, PROXY_ADDR_SIZE bytes ("" for a peer that
 *	  is neither IPv4 nor IPv6).
 *
 * When @peer is a trusted proxy, the client is the rightmost address of
 * the list that is not itself trusted (the list is read from the right,
 * skipping trusted proxies; when all are trusted, the leftmost). When the
 * peer is not trusted, there is no header, or the part of the list read
 * holds anything but an address (an empty item, a port, "unknown"), the
 * client is @peer.
 *
 * Returns: true when the client was taken from the header.
 */
bool proxy_client(const struct proxy_list *pl,
		  const struct sockaddr_storage *peer, const char *const *xff,
		  size_t n, struct sockaddr_storage *client, char *text);

/**
 * proxy_request_client() - proxy_client() with the X-Forwarded-For
 * headers of libmicrohttpd's request @c, read only when @peer is
 * trusted (a request with more than PROXY_MAX_HEADERS of them gets
 * @peer).
 *
 * Returns: as proxy_client().
 */
bool proxy_request_client(const struct proxy_list *pl, struct MHD_Connection *c,
			  const struct sockaddr_storage *peer,
			  struct sockaddr_storage *client, char *text);

#endif
