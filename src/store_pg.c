/*
 * store_pg.c - the store's backend for PostgreSQL, through libpq.
 *
 * A statement is kept as text, its "?" turned into $1, $2... and its
 * values as text (blobs in binary), and runs with PQexecParams() when
 * first stepped; the rows are then read from the result. The schema's
 * SQLite types are mapped by word (INTEGER PRIMARY KEY to an identity
 * column, INTEGER to BIGINT, REAL to DOUBLE PRECISION, BLOB to BYTEA).
 * Transactions are READ COMMITTED: every write is an INSERT, or an UPDATE
 * whose WHERE PostgreSQL checks again once a concurrent one commits, so a
 * decision stays final across servers. Each session asks for
 * synchronous_commit = on, so a commit is durable before a 202. The
 * busy timeout becomes lock_timeout (and statement_timeout, a second
 * longer); a lost connection is made again by the next statement sent
 * outside a transaction, and that statement alone is retried, since
 * nothing of it can have been kept.
 */
#include "store_pg.h"
#include "internal.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The key of the advisory lock taken while the schema changes. */
#define SCHEMA_LOCK_KEY "4346415443514c"

struct pg {
	struct sdb base;
	PGconn *conn;
	bool readonly;
	int timeout_ms;	 /* as last asked */
	int applied_ms;	 /* as the session has it; -1: not yet */
	bool in_tx;	 /* between BEGIN and COMMIT or ROLLBACK */
	int64_t changes; /* rows the last command changed */
	enum sdb_fail fail;
	char *msg; /* the last error */
};

struct pg_stmt {
	struct sdb_stmt base;
	struct pg *db;
	char *sql; /* with $1, $2... */
	int nparams;
	char **values; /* owned copies, NULL for a NULL */
	int *lengths;
	int *formats; /* 1 for a blob */
	PGresult *res;
	int row;	     /* the current row; -1 before the first step */
	unsigned char *blob; /* the last blob read */
};

static const struct sdb_ops pg_ops;

bool store_pg_url(const char *s)
{
	return !strncmp(s, "postgresql://", 13) ||
	       !strncmp(s, "postgres://", 11);
}

char *store_pg_url_redact(const char *url)
{
	struct buf b = BUF_INIT;
	const char *auth = strstr(url, "://");
	auth = auth ? auth + 3 : url;
	size_t end = strcspn(auth, "/?#");
	const char *at = memchr(auth, '@', end);
	const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (colon) {
		buf_put(&b, url, (size_t)(colon + 1 - url));
		buf_puts(&b, "***");
		url = at;
	}
	/* A password among the parameters too. */
	const char *p;
	while ((p = strstr(url, "password="))) {
		buf_put(&b, url, (size_t)(p + 9 - url));
		buf_puts(&b, "***");
		url = p + 9 + strcspn(p + 9, "&#");
	}
	buf_puts(&b, url);
	return buf_detach(&b, NULL);
}

/* ---- errors ---------------------------------------------------------- */

static void set_msg(struct pg *db, const char *msg)
{
	free(db->msg);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	db->msg = xstrndup(msg, n);
}

/* Note why @res (NULL: the connection) failed. */
static void note_failure(struct pg *db, const PGresult *res)
{
	const char *state =
		res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	set_msg(db, res && *PQresultErrorMessage(res)
			    ? PQresultErrorMessage(res)
			    : PQerrorMessage(db->conn));
	if (PQstatus(db->conn) != CONNECTION_OK || !state ||
	    !strncmp(state, "08", 2) || !strncmp(state, "57P", 3))
		db->fail = SDB_FAIL_GONE;
	else if (!strcmp(state, "55P03") || !strcmp(state, "57014") ||
		 !strcmp(state, "40001") || !strcmp(state, "40P01"))
		db->fail = SDB_FAIL_BUSY; /* lock or statement timeout */
	else if (!strcmp(state, "25006"))
		db->fail = SDB_FAIL_READONLY;
	else
		db->fail = SDB_FAIL_OTHER;
}

/* ---- the session ----------------------------------------------------- */

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message; /* "relation already exists, skipping" and the like */
}

static bool result_ok(const PGresult *res)
{
	ExecStatusType st = PQresultStatus(res);
	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

/* Run @sql as it is, noting any failure. */
static PGresult *run_plain(struct pg *db, const char *sql)
{
	PGresult *res = PQexec(db->conn, sql);
	if (!res || !result_ok(res)) {
		note_failure(db, res);
		PQclear(res);
		return NULL;
	}
	return res;
}

/* The session's timeouts, as last asked, when they differ. */
static int apply_timeouts(struct pg *db)
{
	if (db->applied_ms == db->timeout_ms)
		return 0;
	int ms = db->timeout_ms > 0 ? db->timeout_ms : 1;
	char sql[120];
	snprintf(sql, sizeof(sql),
		 "SET lock_timeout = %d; SET statement_timeout = %d", ms,
		 ms + 1000);
	PGresult *res = run_plain(db, sql);
	if (!res)
		return -1;
	PQclear(res);
	db->applied_ms = db->timeout_ms;
	return 0;
}

/* What every new session needs. */
static int session_setup(struct pg *db)
{
	PQsetNoticeProcessor(db->conn, quiet, NULL);
	db->applied_ms = -1;
	PGresult *res = run_plain(
		db, db->readonly ? "SET synchronous_commit = on; "
				   "SET default_transaction_read_only = on"
				 : "SET synchronous_commit = on");
	if (!res)
		return -1;
	PQclear(res);
	return apply_timeouts(db);
}

/* Connect again when the connection was lost, outside a transaction. */
static int ensure_connected(struct pg *db)
{
	if (PQstatus(db->conn) == CONNECTION_OK)
		return 0;
	PQreset(db->conn);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		note_failure(db, NULL);
		db->fail = SDB_FAIL_GONE;
		return -1;
	}
	return session_setup(db);
}

/*
 * Run @sql with @n parameters. Outside a transaction, a lost connection
 * is made again first, and a statement that finds the connection lost is
 * sent once more on a new one: it was not run. Inside one, a lost
 * connection fails the statement, and the transaction is gone.
 * Returns the result, or NULL with the failure noted.
 */
static PGresult *run(struct pg *db, const char *sql, int n,
		     const char *const *values, const int *lengths,
		     const int *formats)
{
	for (int attempt = 0;; attempt++) {
		if (!db->in_tx) {
			if (ensure_connected(db) || apply_timeouts(db))
				return NULL;
		} else if (PQstatus(db->conn) != CONNECTION_OK) {
			set_msg(db, "the connection was lost");
			db->fail = SDB_FAIL_GONE;
			return NULL;
		}
		PGresult *res =
			formats ? PQexecParams(db->conn, sql, n, NULL, values,
					       lengths, formats, 0)
				: PQexec(db->conn, sql);
		if (res && result_ok(res))
			return res;
		note_failure(db, res);
		PQclear(res);
		if (db->in_tx || attempt || db->fail != SDB_FAIL_GONE)
			return NULL;
	}
}

/* ---- the dialect ----------------------------------------------------- */

static bool word_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* @sql in PostgreSQL's words: parameters numbered, SQLite's types
 * mapped; string literals are copied as they are. Sets *@nparams. */
static char *dialect(const char *sql, int *nparams)
{
	static const struct {
		const char *from, *to;
	} words[] = {
		{ "INTEGER PRIMARY KEY",
		  "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" },
		{ "INTEGER", "BIGINT" },
		{ "REAL", "DOUBLE PRECISION" },
		{ "BLOB", "BYTEA" },
		{ "STRICT", "" },
	};
	struct buf b = BUF_INIT;
	int n = 0;
	for (const char *p = sql; *p;) {
		if (*p == '\'') {
			const char *q = strchr(p + 1, '\'');
			size_t len = q ? (size_t)(q + 1 - p) : strlen(p);
			buf_put(&b, p, len);
			p += len;
		} else if (*p == '?') {
			buf_printf(&b, "$%d", ++n);
			p++;
		} else if (word_char(*p) && (p == sql || !word_char(p[-1]))) {
			size_t len = 0, i;
			while (word_char(p[len]))
				len++;
			for (i = 0; i < ATLAS_COUNT(words); i++) {
				size_t fl = strlen(words[i].from);
				if (!strncmp(p, words[i].from, fl) &&
				    !word_char(p[fl])) {
					len = fl;
					break;
				}
			}
			if (i < ATLAS_COUNT(words))
				buf_puts(&b, words[i].to);
			else
				buf_put(&b, p, len);
			p += len;
		} else {
			buf_put(&b, p++, 1);
		}
	}
	*nparams = n;
	return buf_detach(&b, NULL);
}

/* ---- the connection -------------------------------------------------- */

static struct pg *conn_of(struct sdb *db)
{
	return (struct pg *)db;
}

static void pg_close(struct sdb *sdb)
{
	struct pg *db = conn_of(sdb);
	PQfinish(db->conn);
	free(db->msg);
	free(db);
}

static int pg_exec(struct sdb *sdb, const char *sql)
{
	struct pg *db = conn_of(sdb);
	int n;
	char *text = dialect(sql, &n);
	PGresult *res = run(db, text, 0, NULL, NULL, NULL);
	free(text);
	if (!strncmp(sql, "BEGIN", 5))
		db->in_tx = res != NULL;
	else if (!strcmp(sql, "COMMIT"))
		db->in_tx = false;
	if (!res)
		return -1;
	/* A COMMIT of a failed transaction rolls it back, and says so. */
	bool rolled_back =
		!strcmp(PQcmdStatus(res), "ROLLBACK") && !strcmp(sql, "COMMIT");
	PQclear(res);
	if (rolled_back) {
		set_msg(db, "the transaction was rolled back");
		db->fail = SDB_FAIL_OTHER;
		return -1;
	}
	return 0;
}

static int pg_begin_write(struct sdb *db)
{
	return pg_exec(db, "BEGIN");
}

static int pg_begin_schema(struct sdb *db)
{
	/* One process at a time changes the schema; the lock goes with the
	 * transaction. */
	return pg_exec(db,
		       "BEGIN; SELECT pg_advisory_xact_lock(x'" SCHEMA_LOCK_KEY
		       "'::bigint)");
}

static void pg_rollback(struct sdb *sdb)
{
	struct pg *db = conn_of(sdb);
	PGTransactionStatusType st = PQtransactionStatus(db->conn);
	if (st == PQTRANS_INTRANS || st == PQTRANS_INERROR)
		PQclear(PQexec(db->conn, "ROLLBACK"));
	db->in_tx = false;
}

static int pg_version_get(struct sdb *sdb)
{
	struct pg *db = conn_of(sdb);
	PGresult *res =
		run(db, "SELECT to_regclass('schema_version') IS NOT NULL", 0,
		    NULL, NULL, NULL);
	if (!res)
		return -1;
	bool has = PQntuples(res) == 1 && !strcmp(PQgetvalue(res, 0, 0), "t");
	PQclear(res);
	if (!has)
		return 0;
	res = run(db, "SELECT max(version) FROM schema_version", 0, NULL, NULL,
		  NULL);
	if (!res)
		return -1;
	int v = PQntuples(res) == 1 && !PQgetisnull(res, 0, 0)
			? atoi(PQgetvalue(res, 0, 0))
			: 0;
	PQclear(res);
	return v;
}

static int pg_version_set(struct sdb *db, int version)
{
	char sql[200];
	snprintf(sql, sizeof(sql),
		 "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER "
		 "NOT NULL); DELETE FROM schema_version; "
		 "INSERT INTO schema_version VALUES (%d)",
		 version);
	return pg_exec(db, sql);
}

static void pg_timeout_set(struct sdb *sdb, int ms)
{
	struct pg *db = conn_of(sdb);
	db->timeout_ms = ms;
	/* Applied by the next statement sent outside a transaction. */
}

static int64_t pg_changes(struct sdb *db)
{
	return conn_of(db)->changes;
}

static int pg_last_id(struct sdb *sdb, int64_t *id)
{
	struct pg *db = conn_of(sdb);
	PGresult *res = run(db, "SELECT lastval()", 0, NULL, NULL, NULL);
	if (!res)
		return -1;
	*id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return 0;
}

static enum sdb_fail pg_fail(struct sdb *db)
{
	return conn_of(db)->fail;
}

static const char *pg_errmsg(struct sdb *db)
{
	return conn_of(db)->msg ? conn_of(db)->msg : "unknown error";
}

/* ---- statements ------------------------------------------------------ */

static struct pg_stmt *stmt_of(struct sdb_stmt *st)
{
	return (struct pg_stmt *)st;
}

static struct sdb_stmt *pg_prepare(struct sdb *db, const char *sql)
{
	struct pg_stmt *st = xcalloc(1, sizeof(*st));
	st->base.ops = &pg_ops;
	st->db = conn_of(db);
	st->sql = dialect(sql, &st->nparams);
	size_t n = st->nparams ? (size_t)st->nparams : 1;
	st->values = xcalloc(n, sizeof(*st->values));
	st->lengths = xcalloc(n, sizeof(*st->lengths));
	st->formats = xcalloc(n, sizeof(*st->formats));
	st->row = -1;
	return &st->base;
}

/* Set parameter @i (from 1) to @v, owned, @len bytes in @format. */
static void bind_owned(struct sdb_stmt *sst, int i, char *v, size_t len,
		       int format)
{
	struct pg_stmt *st = stmt_of(sst);
	if (i < 1 || i > st->nparams || len > INT32_MAX) {
		free(v);
		return;
	}
	free(st->values[i - 1]);
	st->values[i - 1] = v;
	st->lengths[i - 1] = (int)len;
	st->formats[i - 1] = format;
}

static void pg_bind_text(struct sdb_stmt *st, int i, const char *v)
{
	bind_owned(st, i, v ? xstrdup(v) : NULL, v ? strlen(v) : 0, 0);
}

static void pg_bind_int64(struct sdb_stmt *st, int i, int64_t v)
{
	char s[24];
	snprintf(s, sizeof(s), "%lld", (long long)v);
	pg_bind_text(st, i, s);
}

static void pg_bind_double(struct sdb_stmt *st, int i, double v)
{
	char s[40];
	snprintf(s, sizeof(s), "%.17g", v);
	pg_bind_text(st, i, s);
}

static void pg_bind_blob(struct sdb_stmt *st, int i, const void *v, size_t len)
{
	char *copy = xmalloc(len ? len : 1);
	memcpy(copy, v, len);
	bind_owned(st, i, copy, len, 1);
}

static enum sdb_step pg_step(struct sdb_stmt *sst)
{
	struct pg_stmt *st = stmt_of(sst);
	if (st->row < 0) {
		struct pg *db = st->db;
		st->res = run(db, st->sql, st->nparams,
			      (const char *const *)st->values, st->lengths,
			      st->formats);
		if (!st->res)
			return SDB_ERROR;
		const char *tuples = PQcmdTuples(st->res);
		db->changes = *tuples ? strtoll(tuples, NULL, 10) : 0;
	}
	st->row++;
	return st->row < PQntuples(st->res) ? SDB_ROW : SDB_DONE;
}

static void pg_reset(struct sdb_stmt *sst)
{
	struct pg_stmt *st = stmt_of(sst);
	PQclear(st->res);
	st->res = NULL;
	st->row = -1;
}

static void pg_finalize(struct sdb_stmt *sst)
{
	struct pg_stmt *st = stmt_of(sst);
	pg_reset(sst);
	for (int i = 0; i < st->nparams; i++)
		free(st->values[i]);
	free(st->values);
	free(st->lengths);
	free(st->formats);
	PQfreemem(st->blob);
	free(st->sql);
	free(st);
}

static bool pg_col_null(struct sdb_stmt *sst, int i)
{
	struct pg_stmt *st = stmt_of(sst);
	return !st->res || st->row < 0 || st->row >= PQntuples(st->res) ||
	       i >= PQnfields(st->res) || PQgetisnull(st->res, st->row, i);
}

static const char *pg_col_text(struct sdb_stmt *st, int i)
{
	return pg_col_null(st, i)
		       ? NULL
		       : PQgetvalue(stmt_of(st)->res, stmt_of(st)->row, i);
}

static int64_t pg_col_int64(struct sdb_stmt *st, int i)
{
	const char *v = pg_col_text(st, i);
	return v ? strtoll(v, NULL, 10) : 0;
}

static double pg_col_double(struct sdb_stmt *st, int i)
{
	const char *v = pg_col_text(st, i);
	return v ? strtod(v, NULL) : 0;
}

static const void *pg_col_blob(struct sdb_stmt *sst, int i, size_t *len)
{
	struct pg_stmt *st = stmt_of(sst);
	const char *v = pg_col_text(sst, i);
	PQfreemem(st->blob);
	st->blob = v ? PQunescapeBytea((const unsigned char *)v, len) : NULL;
	if (!st->blob)
		*len = 0;
	return st->blob;
}

static const struct sdb_ops pg_ops = {
	.close = pg_close,
	.exec = pg_exec,
	.begin_write = pg_begin_write,
	.begin_schema = pg_begin_schema,
	.rollback = pg_rollback,
	.version_get = pg_version_get,
	.version_set = pg_version_set,
	.timeout_set = pg_timeout_set,
	.changes = pg_changes,
	.last_id = pg_last_id,
	.fail = pg_fail,
	.errmsg = pg_errmsg,
	.prepare = pg_prepare,
	.bind_text = pg_bind_text,
	.bind_int64 = pg_bind_int64,
	.bind_double = pg_bind_double,
	.bind_blob = pg_bind_blob,
	.step = pg_step,
	.reset = pg_reset,
	.finalize = pg_finalize,
	.col_null = pg_col_null,
	.col_text = pg_col_text,
	.col_int64 = pg_col_int64,
	.col_double = pg_col_double,
	.col_blob = pg_col_blob,
};

struct sdb *store_pg_open(const char *url, bool readonly, int busy_ms,
			  struct buf *err)
{
	struct pg *db = xcalloc(1, sizeof(*db));
	db->base.ops = &pg_ops;
	db->readonly = readonly;
	db->timeout_ms = busy_ms > 0 ? busy_ms : 2000;
	/* The URL's own settings win over these defaults: a connection
	 * that cannot be made fails within seconds, not minutes. */
	const char *const keys[] = { "connect_timeout",
				     "fallback_application_name", "dbname",
				     NULL };
	const char *const values[] = { "5", "cancelatlas", url, NULL };
	db->conn = PQconnectdbParams(keys, values, 1);
	if (!db->conn || PQstatus(db->conn) != CONNECTION_OK ||
	    session_setup(db)) {
		char *name = store_pg_url_redact(url);
		if (db->conn && PQstatus(db->conn) != CONNECTION_OK)
			set_msg(db, PQerrorMessage(db->conn));
		buf_printf(err, "cannot connect to %s: %s", name,
			   db->msg ? db->msg : "out of memory");
		free(name);
		pg_close(&db->base);
		return NULL;
	}
	return &db->base;
}
