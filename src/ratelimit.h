/*
 * ratelimit.h - a limit on the writes each client address may send.
 */
#ifndef CANCELATLAS_RATELIMIT_H
#define CANCELATLAS_RATELIMIT_H

#include <stdbool.h>
#include <sys/socket.h>

struct ratelimit;

/**
 * ratelimit_new() - a limiter of @per_min writes a minute per address,
 * as a burst of @per_min refilled evenly; @per_min <= 0 lets every write
 * through.
 *
 * Returns: the limiter; free it with ratelimit_free(). Several threads
 * may take from it at once.
 */
struct ratelimit *ratelimit_new(int per_min);

/* ratelimit_free() - free; accepts NULL. */
void ratelimit_free(struct ratelimit *rl);

/**
 * ratelimit_key() - what an address is counted by, in 16 bytes: an IPv4
 * address (or a v4-mapped IPv6 one) as ::ffff:a.b.c.d, any other IPv6
 * address by its /64, anything else as zeros.
 */
void ratelimit_key(const struct sockaddr_storage *sa, unsigned char key[16]);

/**
 * ratelimit_take() - take one write from the bucket of @sa's address
 * (an IPv6 one by its /64, a v4-mapped one as that IPv4 address).
 * @retry: set, on refusal, to the seconds until the address may write
 *	   again.
 *
 * Returns: 0, or -1 when the write must be refused.
 */
int ratelimit_take(struct ratelimit *rl, const struct sockaddr_storage *sa,
		   unsigned *retry);

#endif
