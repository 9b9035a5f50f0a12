/*
 * store_pg.h - the store's backend for PostgreSQL, so that several
 * servers can share one review queue.
 */
#ifndef CANCELATLAS_STORE_PG_H
#define CANCELATLAS_STORE_PG_H

#include <stdbool.h>

#include "buf.h"
#include "store_db.h"

/* store_pg_url() - whether @s names a PostgreSQL database: it begins
 * with postgresql:// or postgres://. */
bool store_pg_url(const char *s);

/**
 * store_pg_url_redact() - @url with any password replaced by "***", to
 * be shown in messages.
 *
 * Returns: a new string; the caller frees it with free().
 */
char *store_pg_url_redact(const char *url);

/**
 * store_pg_open() - connect to the PostgreSQL database @url.
 * @readonly: make every transaction read-only.
 * @busy_ms: how long a statement waits for a lock before it fails
 *           (lock_timeout; 0: the default, 2000).
 * @err: receives the reason on failure, without the password.
 *
 * A connection that is lost is made again by the next statement that is
 * not inside a transaction; the transaction it was in fails and is not
 * kept (PostgreSQL rolls it back).
 *
 * Returns: the connection, or NULL with @err set; close it with its
 * ops->close().
 */
struct sdb *store_pg_open(const char *url, bool readonly, int busy_ms,
			  struct buf *err);

#endif
