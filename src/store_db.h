/*
 * store_db.h - what the store asks of a database engine: a connection,
 * its transactions and its prepared statements. store.c writes every
 * query, the schema and the row mapping once against this; a backend
 * (store_sqlite.c, store_pg.c) only speaks its engine's dialect.
 *
 * Statements use "?" for their parameters, numbered from 1, and columns
 * are numbered from 0, as in SQLite. A bound string or blob is borrowed
 * until the statement is stepped, reset or finalized.
 */
#ifndef CANCELATLAS_STORE_DB_H
#define CANCELATLAS_STORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Why the last call failed, as the store tells its callers. */
enum sdb_fail {
	SDB_FAIL_OTHER,
	SDB_FAIL_BUSY,	   /* another writer's lock, past the timeout */
	SDB_FAIL_READONLY, /* the database refuses writes */
	SDB_FAIL_GONE,	   /* the connection to the server was lost */
};

/* What stepping a statement gave. */
enum sdb_step {
	SDB_ROW,  /* a row is there to read */
	SDB_DONE, /* the statement is complete */
	SDB_ERROR,
};

struct sdb_ops;

/* A connection; each backend's own struct begins with this. */
struct sdb {
	const struct sdb_ops *ops;
};

/* A prepared statement; each backend's own struct begins with this. */
struct sdb_stmt {
	const struct sdb_ops *ops;
};

struct sdb_ops {
	/* Close the connection (never NULL here). */
	void (*close)(struct sdb *db);
	/* Run @sql, which may hold several statements, without results.
	 * The schema's types are SQLite's; a backend maps them. 0 or -1. */
	int (*exec)(struct sdb *db, const char *sql);
	/* Begin a transaction that will write (taking the write lock where
	 * the engine has one), or one that changes the schema (only one at
	 * a time, across every process). 0 or -1. */
	int (*begin_write)(struct sdb *db);
	int (*begin_schema)(struct sdb *db);
	/* Roll back the open transaction, if any. */
	void (*rollback)(struct sdb *db);
	/* The schema version the database records (0: none), or -1. */
	int (*version_get)(struct sdb *db);
	/* Record @version, inside the schema transaction. 0 or -1. */
	int (*version_set)(struct sdb *db, int version);
	/* How long the next statements wait for a lock (<= 0: not). */
	void (*timeout_set)(struct sdb *db, int ms);
	/* The rows the last write changed, and the id it gave a new row. */
	int64_t (*changes)(struct sdb *db);
	int (*last_id)(struct sdb *db, int64_t *id);
	/* Why the last call failed, and its message. */
	enum sdb_fail (*fail)(struct sdb *db);
	const char *(*errmsg)(struct sdb *db);

	struct sdb_stmt *(*prepare)(struct sdb *db, const char *sql);
	void (*bind_text)(struct sdb_stmt *st, int i, const char *v);
	void (*bind_int64)(struct sdb_stmt *st, int i, int64_t v);
	void (*bind_double)(struct sdb_stmt *st, int i, double v);
	void (*bind_blob)(struct sdb_stmt *st, int i, const void *v,
			  size_t len);
	enum sdb_step (*step)(struct sdb_stmt *st);
	/* Ready to step again with new values; the bindings stay. */
	void (*reset)(struct sdb_stmt *st);
	void (*finalize)(struct sdb_stmt *st);
	bool (*col_null)(struct sdb_stmt *st, int i);
	/* NULL for a NULL; valid until the next step. */
	const char *(*col_text)(struct sdb_stmt *st, int i);
	int64_t (*col_int64)(struct sdb_stmt *st, int i);
	double (*col_double)(struct sdb_stmt *st, int i);
	const void *(*col_blob)(struct sdb_stmt *st, int i, size_t *len);
};

#endif
