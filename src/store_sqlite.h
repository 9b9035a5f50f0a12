/*
 * store_sqlite.h - the store's backend for a SQLite file, the embedded
 * default.
 */
#ifndef CANCELATLAS_STORE_SQLITE_H
#define CANCELATLAS_STORE_SQLITE_H

#include <stdbool.h>

#include "buf.h"
#include "store_db.h"

/**
 * store_sqlite_open() - open the SQLite file at @path.
 * @create: create the file if it is missing.
 * @readonly_asked: never write, whatever the file allows.
 * @busy_ms: how long a write waits for another writer's lock (0: 2000).
 * @readonly: set to whether writes will be refused: asked for, or the
 *            file has no write permission bit (chmod a-w), even for root.
 * @err: receives the reason on failure.
 *
 * A file opened to write is put in WAL mode with synchronous=FULL, so a
 * commit is on disk before it returns and readers never wait for it.
 *
 * Returns: the connection, or NULL with @err set; close it with its
 * ops->close().
 */
struct sdb *store_sqlite_open(const char *path, bool create,
			      bool readonly_asked, int busy_ms, bool *readonly,
			      struct buf *err);

#endif
