/*
 * store_sqlite.c - the store's backend for a SQLite file.
 *
 * A thin layer over SQLite's own API, which the backend interface
 * (store_db.h) was modelled on: statements, bindings and columns map one
 * to one. The file is put in WAL mode with synchronous=FULL: WAL lets an
 * editor's command line read while the server writes, and FULL syncs
 * every commit, which is the promise behind a 202. A write transaction
 * takes the lock at once (BEGIN IMMEDIATE), so a busy database fails the
 * first statement rather than the commit.
 */
#include "store_sqlite.h"
#include "internal.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct sq {
	struct sdb base;
	sqlite3 *db;
};

struct sq_stmt {
	struct sdb_stmt base;
	sqlite3_stmt *st;
};

static sqlite3 *conn(struct sdb *db)
{
	return ((struct sq *)db)->db;
}

static sqlite3_stmt *stmt(struct sdb_stmt *st)
{
	return ((struct sq_stmt *)st)->st;
}

static void sq_close(struct sdb *db)
{
	sqlite3_close(conn(db));
	free(db);
}

static int sq_exec(struct sdb *db, const char *sql)
{
	return sqlite3_exec(conn(db), sql, NULL, NULL, NULL) == SQLITE_OK ? 0
									  : -1;
}

static int sq_begin_write(struct sdb *db)
{
	return sq_exec(db, "BEGIN IMMEDIATE");
}

static void sq_rollback(struct sdb *db)
{
	if (!sqlite3_get_autocommit(conn(db)))
		sqlite3_exec(conn(db), "ROLLBACK", NULL, NULL, NULL);
}

static int sq_version_get(struct sdb *db)
{
	sqlite3_stmt *st = NULL;
	int v = -1;
	if (sqlite3_prepare_v2(conn(db), "PRAGMA user_version", -1, &st,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int sq_version_set(struct sdb *db, int version)
{
	char sql[40];
	snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", version);
	return sq_exec(db, sql);
}

static void sq_timeout_set(struct sdb *db, int ms)
{
	sqlite3_busy_timeout(conn(db), ms);
}

static int64_t sq_changes(struct sdb *db)
{
	return sqlite3_changes(conn(db));
}

static int sq_last_id(struct sdb *db, int64_t *id)
{
	*id = sqlite3_last_insert_rowid(conn(db));
	return 0;
}

static enum sdb_fail sq_fail(struct sdb *db)
{
	switch (sqlite3_errcode(conn(db))) {
	case SQLITE_READONLY:
		return SDB_FAIL_READONLY;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return SDB_FAIL_BUSY;
	default:
		return SDB_FAIL_OTHER;
	}
}

static const char *sq_errmsg(struct sdb *db)
{
	return sqlite3_errmsg(conn(db));
}

static const struct sdb_ops sq_ops;

static struct sdb_stmt *sq_prepare(struct sdb *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(conn(db), sql, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return NULL;
	}
	struct sq_stmt *s = xcalloc(1, sizeof(*s));
	s->base.ops = &sq_ops;
	s->st = st;
	return &s->base;
}

static void sq_bind_text(struct sdb_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(stmt(st), i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt(st), i);
}

static void sq_bind_int64(struct sdb_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(stmt(st), i, v);
}

static void sq_bind_double(struct sdb_stmt *st, int i, double v)
{
	sqlite3_bind_double(stmt(st), i, v);
}

static void sq_bind_blob(struct sdb_stmt *st, int i, const void *v, size_t len)
{
	sqlite3_bind_blob64(stmt(st), i, v, len, SQLITE_STATIC);
}

static enum sdb_step sq_step(struct sdb_stmt *st)
{
	switch (sqlite3_step(stmt(st))) {
	case SQLITE_ROW:
		return SDB_ROW;
	case SQLITE_DONE:
		return SDB_DONE;
	default:
		return SDB_ERROR;
	}
}

static void sq_reset(struct sdb_stmt *st)
{
	sqlite3_reset(stmt(st));
}

static void sq_finalize(struct sdb_stmt *st)
{
	sqlite3_finalize(stmt(st));
	free(st);
}

static bool sq_col_null(struct sdb_stmt *st, int i)
{
	return sqlite3_column_type(stmt(st), i) == SQLITE_NULL;
}

static const char *sq_col_text(struct sdb_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(stmt(st), i);
}

static int64_t sq_col_int64(struct sdb_stmt *st, int i)
{
	return sqlite3_column_int64(stmt(st), i);
}

static double sq_col_double(struct sdb_stmt *st, int i)
{
	return sqlite3_column_double(stmt(st), i);
}

static const void *sq_col_blob(struct sdb_stmt *st, int i, size_t *len)
{
	const void *v = sqlite3_column_blob(stmt(st), i);
	*len = (size_t)sqlite3_column_bytes(stmt(st), i);
	return v;
}

static const struct sdb_ops sq_ops = {
	.close = sq_close,
	.exec = sq_exec,
	.begin_write = sq_begin_write,
	.begin_schema = sq_begin_write,
	.rollback = sq_rollback,
	.version_get = sq_version_get,
	.version_set = sq_version_set,
	.timeout_set = sq_timeout_set,
	.changes = sq_changes,
	.last_id = sq_last_id,
	.fail = sq_fail,
	.errmsg = sq_errmsg,
	.prepare = sq_prepare,
	.bind_text = sq_bind_text,
	.bind_int64 = sq_bind_int64,
	.bind_double = sq_bind_double,
	.bind_blob = sq_bind_blob,
	.step = sq_step,
	.reset = sq_reset,
	.finalize = sq_finalize,
	.col_null = sq_col_null,
	.col_text = sq_col_text,
	.col_int64 = sq_col_int64,
	.col_double = sq_col_double,
	.col_blob = sq_col_blob,
};

/* "PATH: WHAT: why", as the store says any failure to set a file up. */
static void setup_fail(struct sq *s, const char *path, const char *what,
		       struct buf *err)
{
	int code = sqlite3_errcode(s->db);
	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		buf_printf(err,
			   "%s: %s: the database is locked by another writer",
			   path, what);
	else
		buf_printf(err, "%s: %s: %s", path, what,
			   sqlite3_errmsg(s->db));
}

/* WAL mode and synchronous=FULL, for a file opened to write. */
static int setup(struct sq *s, const char *path, struct buf *err)
{
	sqlite3_stmt *st = NULL;
	bool wal = false;
	if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode=WAL", -1, &st,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *mode = sqlite3_column_text(st, 0);
		wal = mode && !strcmp((const char *)mode, "wal");
	}
	sqlite3_finalize(st);
	if (!wal) {
		setup_fail(s, path, "cannot put the database in WAL mode", err);
		return -1;
	}
	if (sqlite3_exec(s->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		setup_fail(s, path, "cannot set up the database", err);
		return -1;
	}
	return 0;
}

struct sdb *store_sqlite_open(const char *path, bool create,
			      bool readonly_asked, int busy_ms, bool *readonly,
			      struct buf *err)
{
	struct stat sb;
	bool exists = stat(path, &sb) == 0;
	if (!exists && !create) {
		buf_printf(err, "no database at %s: %s", path, strerror(errno));
		return NULL;
	}
	if (exists && !S_ISREG(sb.st_mode)) {
		buf_printf(err, "%s is not a database file", path);
		return NULL;
	}
	*readonly = readonly_asked || (exists && !(sb.st_mode & 0222));
	int oflags = SQLITE_OPEN_NOMUTEX;
	if (*readonly)
		oflags |= SQLITE_OPEN_READONLY;
	else
		oflags |= SQLITE_OPEN_READWRITE |
			  (create ? SQLITE_OPEN_CREATE : 0);
	struct sq *s = xcalloc(1, sizeof(*s));
	s->base.ops = &sq_ops;
	if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
		if (s->db)
			buf_printf(err, "cannot open %s: %s", path,
				   sqlite3_errmsg(s->db));
		else
			buf_printf(err, "cannot open %s", path);
		sq_close(&s->base);
		return NULL;
	}
	sqlite3_busy_timeout(s->db, busy_ms > 0 ? busy_ms : 2000);
	sqlite3_extended_result_codes(s->db, 0);
	if (!*readonly && setup(s, path, err)) {
		sq_close(&s->base);
		return NULL;
	}
	return &s->base;
}
