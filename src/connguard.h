/*
 * connguard.h - which connections the server closes on its own: those
 * too slow to send a request, those over the per-address cap, and the
 * oldest slow ones when the server is nearly full.
 */
#ifndef CANCELATLAS_CONNGUARD_H
#define CANCELATLAS_CONNGUARD_H

#include <stddef.h>

struct connguard_opts {
	/* Live connections above this shed the oldest still sending a
	 * request head (the newest one when no other is). */
	size_t max_conns;
	/* Connections from one address key; a new one past it is shed. */
	size_t per_addr;
	/* Seconds a request head may take, counted from the connection
	 * (or the end of the previous request on it); 0: no deadline. */
	double head_timeout;
	/* Seconds from the end of the head until the answer is queued:
	 * the body and its handling; 0: no deadline. */
	double body_timeout;
	/* Closes a connection from outside the server's loop; called with
	 * the guard's lock held. NULL: shutdown(fd, SHUT_RDWR), so that the
	 * server reads the end at once and closes it itself. */
	void (*shed)(void *cls, int fd);
	/* Seconds on a monotonic clock. NULL: CLOCK_MONOTONIC. */
	double (*clock)(void *cls);
	void *cls; /* for @shed and @clock */
};

/* Why connections were shed, counted since the guard was made. */
struct connguard_stats {
	size_t live;	  /* open and not shed */
	size_t open;	  /* open, shed or not (until closed) */
	size_t head_late; /* over the head deadline */
	size_t body_late; /* over the body deadline */
	size_t crowded;	  /* the oldest slow, to make room */
	size_t addr_full; /* over the per-address cap */
};

struct connguard;
struct connguard_conn;

/**
 * connguard_new() - a guard with the limits in @o (copied).
 *
 * Returns: the guard; free it with connguard_free().
 */
struct connguard *connguard_new(const struct connguard_opts *o);

/* connguard_free() - free the guard; every connection must have been
 * closed with connguard_close(). Accepts NULL. */
void connguard_free(struct connguard *g);

/**
 * connguard_open() - a new connection on socket @fd from address @key
 * (16 bytes: an IPv4 address v4-mapped, an IPv6 one cut to its /64; NULL
 * for one no per-address cap applies to, such as a trusted proxy). It
 * waits for its request head. It may be shed at once: over the cap of its
 * address, or as the oldest slow one when the guard is full.
 *
 * Returns: the connection's handle, valid until connguard_close().
 */
struct connguard_conn *connguard_open(struct connguard *g, int fd,
				      const unsigned char key[16]);

/* connguard_head_done() - @c's request head is complete: the body
 * deadline starts. */
void connguard_head_done(struct connguard *g, struct connguard_conn *c);

/* connguard_answered() - an answer for @c is queued: no deadline of the
 * guard applies until the request is over. */
void connguard_answered(struct connguard *g, struct connguard_conn *c);

/* connguard_request_done() - @c's request is over; the connection, kept
 * alive, waits for the next head (the head deadline starts again). */
void connguard_request_done(struct connguard *g, struct connguard_conn *c);

/* connguard_close() - @c is closed (before its socket is): forget and
 * free it. After this, @c's fd is never touched by the guard. */
void connguard_close(struct connguard *g, struct connguard_conn *c);

/**
 * connguard_reap() - shed every connection over its deadline.
 *
 * Returns: how many were shed.
 */
size_t connguard_reap(struct connguard *g);

/* connguard_stats() - the counts now, into @st. */
void connguard_stats(struct connguard *g, struct connguard_stats *st);

#endif
