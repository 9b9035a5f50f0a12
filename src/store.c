/*
 * store.c - correction requests and crowd audits in SQLite or PostgreSQL.
 *
 * One table per kind (audits keep their path steps and evidence in two
 * child tables), each row carrying its status, decision date and reason,
 * so the log of decisions is a query, not a second copy. Every query,
 * the schema and its migrations are written here once, against the
 * backend interface of store_db.h; store_open() picks the backend from
 * the string it is given (store_sqlite.c for a path, store_pg.c for a
 * postgresql:// URL). Each write is one transaction that is committed
 * durably before a 202 is sent. One connection serves all threads
 * behind a mutex. Nothing here ever touches a record or a score: the
 * YAML files stay the only source of those.
 */
#include "store.h"
#include "date.h"
#include "internal.h"
#include "record.h"
#include "store_db.h"
#include "store_pg.h"
#include "store_sqlite.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <zlib.h>

#define SCHEMA_VERSION 2

/* The columns every submission table ends with: when it came and what
 * was decided about it. */
#define SUBMISSION_STATE                                                       \
	"  received INTEGER NOT NULL,\n"                                       \
	"  status TEXT NOT NULL DEFAULT 'pending'\n"                           \
	"    CHECK (status IN ('pending', 'accepted', 'rejected')),\n"         \
	"  decided INTEGER,\n"                                                 \
	"  reason TEXT\n"

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS corrections (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  tracking TEXT NOT NULL UNIQUE,\n"
	"  record TEXT NOT NULL,\n"
	"  field TEXT NOT NULL,\n"
	"  wrong TEXT NOT NULL,\n"
	"  proposed TEXT NOT NULL,\n"
	"  evidence_url TEXT NOT NULL,\n"
	"  email TEXT,\n" SUBMISSION_STATE ") STRICT;\n"
	"CREATE INDEX IF NOT EXISTS corrections_status\n"
	"  ON corrections (status, received);\n"
	"CREATE TABLE IF NOT EXISTS audits (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  tracking TEXT NOT NULL UNIQUE,\n"
	"  record TEXT NOT NULL,\n"
	"  email TEXT NOT NULL,\n"
	"  date TEXT NOT NULL,\n"
	"  signup_channel TEXT NOT NULL,\n"
	"  online_path INTEGER NOT NULL,\n"
	"  steps INTEGER NOT NULL,\n"
	"  retention TEXT NOT NULL,\n"
	"  channel_symmetry INTEGER NOT NULL,\n"
	"  confirmation TEXT NOT NULL,\n"
	"  minutes REAL NOT NULL,\n"
	"  clean_exit INTEGER NOT NULL,\n"
	"  notes TEXT,\n" SUBMISSION_STATE ") STRICT;\n"
	"CREATE INDEX IF NOT EXISTS audits_status ON audits (status, "
	"received);\n"
	"CREATE TABLE IF NOT EXISTS audit_path (\n"
	"  audit INTEGER NOT NULL REFERENCES audits (id),\n"
	"  seq INTEGER NOT NULL,\n"
	"  step TEXT NOT NULL,\n"
	"  PRIMARY KEY (audit, seq)\n"
	") STRICT;\n"
	"CREATE TABLE IF NOT EXISTS audit_evidence (\n"
	"  audit INTEGER NOT NULL REFERENCES audits (id),\n"
	"  seq INTEGER NOT NULL,\n"
	"  title TEXT NOT NULL,\n"
	"  url TEXT NOT NULL,\n"
	"  sha256 TEXT,\n"
	"  PRIMARY KEY (audit, seq)\n"
	") STRICT;\n";

/*
 * What each version adds to the one before: migrations[v - 1] takes a
 * file from version v to v + 1. A new file gets the schema above, which
 * is version 1, then every migration, so old and new files end up alike.
 *
 * 2: the monitor's copies of the pages records cite. A page version is
 * stored only when its text (or, for a file that is not text, its bytes)
 * changed; a fetch that finds it unchanged moves its `checked` time.
 * page_checks holds the outcome of the last attempt at each URL, kept
 * apart so a broken page does not erase the last good copy.
 */
static const char *const migrations[] = {
	"CREATE TABLE IF NOT EXISTS page_versions (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  url TEXT NOT NULL,\n"
	"  fetched INTEGER NOT NULL,\n"
	"  checked INTEGER NOT NULL,\n"
	"  http_status INTEGER NOT NULL,\n"
	"  final_url TEXT NOT NULL,\n"
	"  redirects TEXT NOT NULL,\n"
	"  content_type TEXT NOT NULL,\n"
	"  etag TEXT,\n"
	"  last_modified TEXT,\n"
	"  truncated INTEGER NOT NULL DEFAULT 0,\n"
	"  sha256 TEXT NOT NULL,\n"
	"  text_len INTEGER,\n"
	"  text BLOB\n"
	") STRICT;\n"
	"CREATE INDEX IF NOT EXISTS page_versions_url\n"
	"  ON page_versions (url, fetched, id);\n"
	"CREATE TABLE IF NOT EXISTS page_checks (\n"
	"  url TEXT PRIMARY KEY,\n"
	"  checked INTEGER NOT NULL,\n"
	"  outcome TEXT NOT NULL\n"
	"    CHECK (outcome IN ('ok', 'broken', 'unchecked')),\n"
	"  detail TEXT\n"
	") STRICT;\n",
};

_Static_assert(ATLAS_COUNT(migrations) == SCHEMA_VERSION - 1,
	       "one migration per schema version after the first");

struct store {
	struct sdb *db;
	int version; /* the database's schema version */
	pthread_mutex_t lock;
	bool readonly;
	bool locked; /* the last failure was another writer's lock */
	char *path;  /* as given to store_open() */
	char *name;  /* as said in messages: a URL without its password */
};

static const char *const status_names[] = {
	[STORE_PENDING] = "pending",
	[STORE_ACCEPTED] = "accepted",
	[STORE_REJECTED] = "rejected",
};

const char *store_status_str(enum store_status st)
{
	return (unsigned)st < ATLAS_COUNT(status_names) ? status_names[st]
							: "pending";
}

int store_status_parse(const char *s)
{
	for (size_t i = 0; i < ATLAS_COUNT(status_names); i++)
		if (!strcmp(s, status_names[i]))
			return (int)i;
	return -1;
}

/* ---- tracking ids ---------------------------------------------------- */

static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

static void make_tracking(enum store_kind kind, char out[STORE_TRACKING_SIZE])
{
	uint64_t r = 0;
	size_t got = 0;
	unsigned char bytes[8];
	while (got < sizeof(bytes)) {
		ssize_t n = getrandom(bytes + got, sizeof(bytes) - got, 0);
		if (n > 0)
			got += (size_t)n;
		else if (errno != EINTR)
			break;
	}
	if (got < sizeof(bytes)) {
		/* No entropy source: ids need only be unique, and the UNIQUE
		 * constraint makes the insert retry on a clash. */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		uint64_t t = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 30 ^
			     (uint64_t)(uintptr_t)&ts;
		memcpy(bytes, &t, sizeof(bytes));
	}
	memcpy(&r, bytes, sizeof(r));
	out[0] = kind == STORE_AUDIT ? 'a' : 'c';
	out[1] = '-';
	for (int i = 0; i < 12; i++) {
		out[2 + i] = alphabet[r & 31];
		r >>= 5;
	}
	out[STORE_TRACKING_LEN] = '\0';
}

bool store_tracking_valid(const char *s)
{
	if ((s[0] != 'c' && s[0] != 'a') || s[1] != '-')
		return false;
	for (int i = 2; i < STORE_TRACKING_LEN; i++)
		if (!s[i] || !strchr(alphabet, s[i]))
			return false;
	return s[STORE_TRACKING_LEN] == '\0';
}

static enum store_kind tracking_kind(const char *tracking)
{
	return tracking[0] == 'a' ? STORE_AUDIT : STORE_CORRECTION;
}

/* Whether @tracking is a well-formed id of a submission of @kind. */
static bool tracking_is(const char *tracking, enum store_kind kind)
{
	return store_tracking_valid(tracking) &&
	       tracking_kind(tracking) == kind;
}

/* ---- helpers --------------------------------------------------------- */

static int db_fail(struct store *s, struct buf *err, const char *what)
{
	enum sdb_fail why = s->db->ops->fail(s->db);
	s->locked = false;
	if (why == SDB_FAIL_READONLY || s->readonly) {
		buf_printf(err, "%s: the database is read-only", what);
	} else if (why == SDB_FAIL_BUSY) {
		s->locked = true;
		buf_printf(err,
			   "%s: the database is locked by another "
			   "writer",
			   what);
	} else if (why == SDB_FAIL_GONE) {
		/* Nothing of the transaction was kept; the next call
		 * connects again. */
		s->locked = true;
		buf_printf(err, "%s: the connection to the database was lost",
			   what);
	} else {
		buf_printf(err, "%s: %s", what, s->db->ops->errmsg(s->db));
	}
	return -1;
}

static int exec(struct store *s, const char *sql, struct buf *err,
		const char *what)
{
	if (s->db->ops->exec(s->db, sql))
		return db_fail(s, err, what);
	return 0;
}

static struct sdb_stmt *prepare(struct store *s, const char *sql,
				struct buf *err)
{
	struct sdb_stmt *st = s->db->ops->prepare(s->db, sql);
	if (!st)
		db_fail(s, err, "cannot query the database");
	return st;
}

static enum sdb_step step(struct sdb_stmt *st)
{
	return st->ops->step(st);
}

static void reset(struct sdb_stmt *st)
{
	st->ops->reset(st);
}

static void finalize(struct sdb_stmt *st)
{
	if (st)
		st->ops->finalize(st);
}

static void bind_text(struct sdb_stmt *st, int i, const char *v)
{
	st->ops->bind_text(st, i, v);
}

static void bind_int64(struct sdb_stmt *st, int i, int64_t v)
{
	st->ops->bind_int64(st, i, v);
}

/*
 * bind_values() - bind one value per letter of @types to the statement's
 * parameters from the first on: 't' text (const char *, NULL binds NULL),
 * 'i' int, 'l' int64_t, 'd' double; '-' leaves a parameter to be bound
 * later. One call per statement keeps the values in the order of its
 * column list.
 */
static void bind_values(struct sdb_stmt *st, const char *types, va_list ap)
{
	for (int i = 1; *types; types++, i++) {
		switch (*types) {
		case 't':
			bind_text(st, i, va_arg(ap, const char *));
			break;
		case 'i':
			bind_int64(st, i, va_arg(ap, int));
			break;
		case 'l':
			bind_int64(st, i, va_arg(ap, int64_t));
			break;
		case 'd':
			st->ops->bind_double(st, i, va_arg(ap, double));
			break;
		}
	}
}

static void bind_row(struct sdb_stmt *st, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	bind_values(st, types, ap);
	va_end(ap);
}

static int64_t col_int64(struct sdb_stmt *st, int i)
{
	return st->ops->col_int64(st, i);
}

static int col_int(struct sdb_stmt *st, int i)
{
	return (int)col_int64(st, i);
}

static double col_double(struct sdb_stmt *st, int i)
{
	return st->ops->col_double(st, i);
}

/* Column @i read as a word of a vocabulary by @parse (-1: not one of its
 * words); @otherwise when it is NULL or not a word @parse knows. */
static int col_word(struct sdb_stmt *st, int i, int (*parse)(const char *),
		    int otherwise)
{
	const char *s = st->ops->col_text(st, i);
	int v = s ? parse(s) : -1;
	return v < 0 ? otherwise : v;
}

static const char *col_text(struct sdb_stmt *st, int i, struct arena *a)
{
	const char *v = st->ops->col_text(st, i);
	return v ? arena_strdup(a, v) : NULL;
}

static void rollback(struct store *s)
{
	s->db->ops->rollback(s->db);
}

/* ---- open and close -------------------------------------------------- */

static int user_version(struct store *s, struct buf *err)
{
	int v = s->db->ops->version_get(s->db);
	if (v < 0)
		db_fail(s, err, "cannot read the database");
	return v;
}

/* Create the tables of a new database (@flags has STORE_CREATE) and bring
 * an older one up to SCHEMA_VERSION, in one transaction. */
static int create_and_migrate(struct store *s, unsigned flags, struct buf *err)
{
	if (s->readonly)
		return 0;
	int v = user_version(s, err);
	if (v < 0)
		return -1;
	if (v >= SCHEMA_VERSION || (v == 0 && !(flags & STORE_CREATE)))
		return 0;
	if (s->db->ops->begin_schema(s->db))
		return db_fail(s, err, "cannot create the tables");
	/* Another process may have done it while we waited for the lock. */
	v = user_version(s, err);
	int rc = v < 0 ? -1 : 0;
	if (rc == 0 && v == 0) {
		rc = exec(s, schema, err, "cannot create the tables");
		v = 1;
	}
	for (; rc == 0 && v < SCHEMA_VERSION; v++)
		rc = exec(s, migrations[v - 1], err,
			  "cannot update the tables");
	if (rc == 0 && s->db->ops->version_set(s->db, SCHEMA_VERSION))
		rc = db_fail(s, err, "cannot update the tables");
	if (rc == 0 && exec(s, "COMMIT", err, "cannot update the tables"))
		rc = -1;
	if (rc)
		rollback(s);
	return rc;
}

static int check_version(struct store *s, struct buf *err)
{
	int v = user_version(s, err);
	if (v < 0)
		return -1;
	if (v == 0) {
		buf_printf(err, "the database holds no Cancel Atlas tables");
		return -1;
	}
	if (v > SCHEMA_VERSION) {
		buf_printf(err,
			   "the database was written by a newer cancelatlas "
			   "(schema %d; this one knows %d)",
			   v, SCHEMA_VERSION);
		return -1;
	}
	s->version = v;
	return 0;
}

bool store_is_server(const char *db)
{
	return store_pg_url(db);
}

struct store *store_open(const char *path, unsigned flags, int busy_ms,
			 struct buf *err)
{
	bool pg = store_pg_url(path), readonly = (flags & STORE_READONLY) != 0;
	struct sdb *db =
		pg ? store_pg_open(path, readonly, busy_ms, err)
		   : store_sqlite_open(path, (flags & STORE_CREATE) != 0,
				       readonly, busy_ms, &readonly, err);
	if (!db)
		return NULL;
	struct store *s = xcalloc(1, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
	s->db = db;
	s->path = xstrdup(path);
	s->name = pg ? store_pg_url_redact(path) : xstrdup(path);
	s->readonly = readonly;
	if (create_and_migrate(s, flags, err) || check_version(s, err)) {
		struct buf why = BUF_INIT;
		buf_printf(&why, "%s: %s", s->name, buf_cstr(err));
		buf_reset(err);
		buf_put(err, why.data, why.len);
		buf_free(&why);
		store_close(s);
		return NULL;
	}
	return s;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->db)
		s->db->ops->close(s->db);
	pthread_mutex_destroy(&s->lock);
	free(s->path);
	free(s->name);
	free(s);
}

struct store *store_reader_open(const struct store *s, int busy_ms,
				struct buf *err)
{
	return store_open(s->path, STORE_READONLY, busy_ms, err);
}

void store_busy_timeout_set(struct store *s, int busy_ms)
{
	pthread_mutex_lock(&s->lock);
	s->db->ops->timeout_set(s->db, busy_ms);
	pthread_mutex_unlock(&s->lock);
}

bool store_readonly(const struct store *s)
{
	return s->readonly;
}

/* ---- inserts --------------------------------------------------------- */

static int begin_write(struct store *s, struct buf *err)
{
	if (s->readonly) {
		buf_printf(err, "cannot store: the database is read-only");
		return -1;
	}
	if (s->db->ops->begin_write(s->db))
		return db_fail(s, err, "cannot store");
	return 0;
}

static int commit(struct store *s, struct buf *err)
{
	if (exec(s, "COMMIT", err, "cannot store")) {
		rollback(s);
		return -1;
	}
	return 0;
}

/*
 * Every write is one transaction under the lock: write_begin() takes the
 * lock, begins the transaction and prepares its first statement @sql;
 * the caller binds and steps it (and may write more) while its result is
 * 0; write_end() then finalizes the statement, commits on 0 or rolls back,
 * and lets go of the lock, whatever write_begin() returned.
 */
static int write_begin(struct store *s, struct sdb_stmt **st, struct buf *err,
		       const char *sql, const char *types, ...)
{
	pthread_mutex_lock(&s->lock);
	s->locked = false;
	*st = NULL;
	if (begin_write(s, err))
		return -1;
	*st = prepare(s, sql, err);
	if (!*st)
		return -1;
	va_list ap;
	va_start(ap, types);
	bind_values(*st, types, ap);
	va_end(ap);
	return 0;
}

/* The outcome of the write: @rc, the commit's failure, or @busy when it
 * failed because another writer held the lock. */
static int write_end(struct store *s, struct sdb_stmt *st, int rc, int busy,
		     struct buf *err)
{
	finalize(st);
	if (rc == 0)
		rc = commit(s, err);
	else
		rollback(s);
	if (rc < 0 && s->locked)
		rc = busy;
	pthread_mutex_unlock(&s->lock);
	return rc;
}

/* Run @st (bound except for the tracking id at @index), an insert that
 * does nothing when its id is taken, with fresh ids until one is new:
 * ids are random, and the UNIQUE constraint makes a clash, even with
 * another server's insert, a retry rather than an error. */
static int insert_tracked(struct store *s, struct sdb_stmt *st, int index,
			  enum store_kind kind,
			  char tracking[STORE_TRACKING_SIZE], struct buf *err)
{
	for (int attempt = 0; attempt < 8; attempt++) {
		make_tracking(kind, tracking);
		bind_text(st, index, tracking);
		enum sdb_step rc = step(st);
		reset(st);
		if (rc != SDB_DONE)
			return db_fail(s, err, "cannot store");
		if (s->db->ops->changes(s->db) == 1)
			return 0;
	}
	buf_printf(err, "cannot store: no unique tracking id");
	return -1;
}

int store_correction_insert(struct store *s, const struct submit_correction *c,
			    int64_t now, char tracking[STORE_TRACKING_SIZE],
			    struct buf *err)
{
	struct sdb_stmt *st;
	int rc = write_begin(s, &st, err,
			     "INSERT INTO corrections (tracking, record, "
			     "field, wrong, proposed, evidence_url, email, "
			     "received) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
			     "ON CONFLICT (tracking) DO NOTHING",
			     "-ttttttl", c->record, c->field, c->wrong,
			     c->proposed, c->evidence_url, c->email, now);
	if (rc == 0)
		rc = insert_tracked(s, st, 1, STORE_CORRECTION, tracking, err);
	return write_end(s, st, rc, 1, err);
}

static int insert_audit_children(struct store *s, int64_t id,
				 const struct submit_audit *a, struct buf *err)
{
	struct sdb_stmt *st = prepare(
		s, "INSERT INTO audit_path (audit, seq, step) VALUES (?, ?, ?)",
		err);
	int rc = st ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < a->npath; i++) {
		bind_row(st, "llt", (int64_t)id, (int64_t)i, a->path[i]);
		if (step(st) != SDB_DONE)
			rc = db_fail(s, err, "cannot store");
		reset(st);
	}
	finalize(st);
	if (rc)
		return rc;
	st = prepare(s,
		     "INSERT INTO audit_evidence (audit, seq, title, url, "
		     "sha256) VALUES (?, ?, ?, ?, ?)",
		     err);
	rc = st ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < a->nevidence; i++) {
		bind_row(st, "llttt", (int64_t)id, (int64_t)i,
			 a->evidence[i].title, a->evidence[i].url,
			 a->evidence[i].sha256);
		if (step(st) != SDB_DONE)
			rc = db_fail(s, err, "cannot store");
		reset(st);
	}
	finalize(st);
	return rc;
}

int store_audit_insert(struct store *s, const struct submit_audit *a,
		       int64_t now, char tracking[STORE_TRACKING_SIZE],
		       struct buf *err)
{
	char date[DATE_ISO_LEN + 1];
	date_format(a->date, date);
	struct sdb_stmt *st;
	int rc = write_begin(
		s, &st, err,
		"INSERT INTO audits (tracking, record, email, date, "
		"signup_channel, online_path, steps, retention, "
		"channel_symmetry, confirmation, minutes, clean_exit, notes, "
		"received) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
		"ON CONFLICT (tracking) DO NOTHING",
		"-ttttiititditl", a->record, a->email, date,
		record_channel_id(a->signup_channel), (int)a->online_path,
		a->steps, a->retention, (int)a->channel_symmetry,
		a->confirmation, a->minutes, (int)a->clean_exit, a->notes, now);
	if (rc == 0)
		rc = insert_tracked(s, st, 1, STORE_AUDIT, tracking, err);
	int64_t id = 0;
	if (rc == 0 && s->db->ops->last_id(s->db, &id))
		rc = db_fail(s, err, "cannot store");
	if (rc == 0)
		rc = insert_audit_children(s, id, a, err);
	return write_end(s, st, rc, 1, err);
}

/* ---- reads ----------------------------------------------------------- */

/* Reads the current row of @st into @elem. */
typedef void (*row_reader)(struct sdb_stmt *st, struct arena *a, void *elem);

/*
 * The rows of @sql, whose one parameter, if it has one, is @param, each
 * read by @read into an element of @size bytes: @out is set to an array
 * of @n elements allocated from @a, or to NULL when there are none.
 * Returns 0, or -1 with @err set.
 */
static int read_rows(struct store *s, const char *sql, const char *param,
		     size_t size, row_reader read, struct arena *a, void **out,
		     size_t *n, struct buf *err)
{
	char *rows = NULL;
	size_t count = 0, cap = 0;
	*out = NULL;
	*n = 0;
	pthread_mutex_lock(&s->lock);
	struct sdb_stmt *st = prepare(s, sql, err);
	int rc = st ? 0 : -1;
	enum sdb_step got = SDB_DONE;
	if (st && param)
		bind_text(st, 1, param);
	while (st && (got = step(st)) == SDB_ROW) {
		if (count == cap) {
			cap = cap ? cap * 2 : 16;
			rows = xrealloc(rows, cap * size);
		}
		memset(rows + count * size, 0, size);
		read(st, a, rows + count++ * size);
	}
	if (st && got != SDB_DONE)
		rc = db_fail(s, err, "cannot read the database");
	finalize(st);
	pthread_mutex_unlock(&s->lock);
	if (rc == 0 && count) {
		*out = arena_array(a, count, size);
		memcpy(*out, rows, count * size);
		*n = count;
	}
	free(rows);
	return rc;
}

/* The row of @sql for @tracking read into @out, as read_rows(). Returns
 * 0, 1 when there is no such row, -1 with @err set. */
static int read_tracked(struct store *s, const char *sql, const char *tracking,
			size_t size, row_reader read, struct arena *a,
			void *out, struct buf *err)
{
	void *rows;
	size_t n;
	if (read_rows(s, sql, tracking, size, read, a, &rows, &n, err))
		return -1;
	if (n == 0)
		return 1;
	memcpy(out, rows, size);
	return 0;
}

/* The public columns, in the order read_public() expects; the columns a
 * reader of more adds come after them. */
#define PUBLIC_CORRECTION                                                      \
	"SELECT tracking, record, field, status, received, decided, reason"
#define PUBLIC_AUDIT                                                           \
	"SELECT tracking, record, 'flow', status, received, decided, reason"

static void read_public(struct sdb_stmt *st, struct arena *a, void *elem)
{
	struct store_public *p = elem;
	p->tracking = col_text(st, 0, a);
	p->kind = p->tracking ? tracking_kind(p->tracking) : STORE_CORRECTION;
	p->record = col_text(st, 1, a);
	p->field = col_text(st, 2, a);
	p->status = (enum store_status)col_word(st, 3, store_status_parse,
						STORE_PENDING);
	p->received = col_int64(st, 4);
	p->decided = col_int64(st, 5);
	p->reason = col_text(st, 6, a);
}

int store_public_get(struct store *s, const char *tracking, struct arena *a,
		     struct store_public *out, struct buf *err)
{
	memset(out, 0, sizeof(*out));
	if (!store_tracking_valid(tracking))
		return 1;
	const char *sql = tracking_kind(tracking) == STORE_AUDIT
				  ? PUBLIC_AUDIT
				  " FROM audits WHERE tracking = ?"
				  : PUBLIC_CORRECTION
				  " FROM corrections WHERE tracking = ?";
	return read_tracked(s, sql, tracking, sizeof(*out), read_public, a, out,
			    err);
}

static void read_correction(struct sdb_stmt *st, struct arena *a, void *elem)
{
	struct store_correction *out = elem;
	read_public(st, a, &out->pub);
	out->c.record = out->pub.record;
	out->c.field = out->pub.field;
	out->c.wrong = col_text(st, 7, a);
	out->c.proposed = col_text(st, 8, a);
	out->c.evidence_url = col_text(st, 9, a);
	out->c.email = col_text(st, 10, a);
}

int store_correction_get(struct store *s, const char *tracking, struct arena *a,
			 struct store_correction *out, struct buf *err)
{
	memset(out, 0, sizeof(*out));
	if (!tracking_is(tracking, STORE_CORRECTION))
		return 1;
	return read_tracked(
		s,
		PUBLIC_CORRECTION ", wrong, proposed, evidence_url, email "
				  "FROM corrections WHERE tracking = ?",
		tracking, sizeof(*out), read_correction, a, out, err);
}

static void read_audit(struct sdb_stmt *st, struct arena *a, void *elem)
{
	struct store_audit *out = elem;
	struct submit_audit *au = &out->a;
	read_public(st, a, &out->pub);
	au->record = out->pub.record;
	au->email = col_text(st, 7, a);
	const char *date = st->ops->col_text(st, 8);
	if (!date || date_parse(date, strlen(date), &au->date))
		au->date = 0;
	au->signup_channel = (enum channel)col_word(st, 9, record_channel_parse,
						    CHANNEL_ONLINE);
	au->online_path = col_int(st, 10);
	au->steps = col_int(st, 11);
	au->retention = col_text(st, 12, a);
	au->channel_symmetry = col_int(st, 13);
	au->confirmation = col_text(st, 14, a);
	au->minutes = col_double(st, 15);
	au->clean_exit = col_int(st, 16);
	au->notes = col_text(st, 17, a);
}

static void read_path_step(struct sdb_stmt *st, struct arena *a, void *elem)
{
	*(const char **)elem = col_text(st, 0, a);
}

static void read_evidence(struct sdb_stmt *st, struct arena *a, void *elem)
{
	struct submit_evidence *e = elem;
	e->title = col_text(st, 0, a);
	e->url = col_text(st, 1, a);
	e->sha256 = col_text(st, 2, a);
}

int store_audit_get(struct store *s, const char *tracking, struct arena *a,
		    struct store_audit *out, struct buf *err)
{
	memset(out, 0, sizeof(*out));
	if (!tracking_is(tracking, STORE_AUDIT))
		return 1;
	int rc = read_tracked(s,
			      PUBLIC_AUDIT
			      ", email, date, signup_channel, online_path, "
			      "steps, retention, channel_symmetry, "
			      "confirmation, minutes, clean_exit, notes "
			      "FROM audits WHERE tracking = ?",
			      tracking, sizeof(*out), read_audit, a, out, err);
	/* The children were committed with their audit, so reading them
	 * under a second lock cannot see half of them. */
	void *path = NULL, *evidence = NULL;
	if (rc == 0)
		rc = read_rows(s,
			       "SELECT step FROM audit_path WHERE audit = "
			       "(SELECT id FROM audits WHERE tracking = ?) "
			       "ORDER BY seq",
			       tracking, sizeof(*out->a.path), read_path_step,
			       a, &path, &out->a.npath, err);
	if (rc == 0)
		rc = read_rows(s,
			       "SELECT title, url, sha256 FROM audit_evidence "
			       "WHERE audit = "
			       "(SELECT id FROM audits WHERE tracking = ?) "
			       "ORDER BY seq",
			       tracking, sizeof(*out->a.evidence),
			       read_evidence, a, &evidence, &out->a.nevidence,
			       err);
	out->a.path = path;
	out->a.evidence = evidence;
	return rc;
}

int store_list(struct store *s, enum store_kind kind, int status,
	       struct arena *a, struct store_public **out, size_t *n,
	       struct buf *err)
{
	struct buf sql = BUF_INIT;
	buf_puts(&sql, kind == STORE_AUDIT ? PUBLIC_AUDIT " FROM audits"
					   : PUBLIC_CORRECTION
			       " FROM corrections");
	if (status >= 0)
		buf_puts(&sql, " WHERE status = ?");
	buf_puts(&sql, " ORDER BY received, id");
	void *rows;
	int rc = read_rows(s, sql.data,
			   status >= 0
				   ? store_status_str((enum store_status)status)
				   : NULL,
			   sizeof(**out), read_public, a, &rows, n, err);
	buf_free(&sql);
	*out = rows;
	return rc;
}

/* ---- decisions ------------------------------------------------------- */

int store_decide(struct store *s, const char *tracking,
		 enum store_status decision, const char *reason, int64_t now,
		 struct buf *err)
{
	if (!store_tracking_valid(tracking))
		return 1;
	if (decision != STORE_ACCEPTED && decision != STORE_REJECTED) {
		buf_printf(err, "a decision accepts or rejects");
		return -1;
	}
	if (decision == STORE_REJECTED && (!reason || !*reason)) {
		buf_printf(err, "a rejection needs a reason");
		return -1;
	}
	bool audit = tracking_kind(tracking) == STORE_AUDIT;
	const char *table = audit ? "audits" : "corrections";
	/* The contact was only for questions before the decision: it is
	 * erased with it (an audit's column cannot be NULL). */
	struct buf sql = BUF_INIT;
	buf_printf(&sql,
		   "UPDATE %s SET status = ?, decided = ?, reason = ?, "
		   "email = %s WHERE tracking = ? AND status = 'pending'",
		   table, audit ? "''" : "NULL");
	struct sdb_stmt *st;
	int rc = write_begin(s, &st, err, sql.data, "tltt",
			     store_status_str(decision), now,
			     reason && *reason ? reason : NULL, tracking);
	if (rc == 0) {
		if (step(st) != SDB_DONE)
			rc = db_fail(s, err, "cannot log the decision");
		else if (s->db->ops->changes(s->db) == 0)
			rc = 1;
	}
	if (rc == 1) {
		/* Nothing pending by that id: absent, or decided before. */
		buf_reset(&sql);
		buf_printf(&sql, "SELECT 1 FROM %s WHERE tracking = ?", table);
		struct sdb_stmt *known = prepare(s, sql.data, err);
		if (!known) {
			rc = -1;
		} else {
			bind_text(known, 1, tracking);
			enum sdb_step k = step(known);
			if (k == SDB_ROW)
				rc = 2;
			else if (k != SDB_DONE)
				rc = db_fail(s, err, "cannot log the decision");
		}
		finalize(known);
	}
	rc = write_end(s, st, rc, -1, err);
	buf_free(&sql);
	return rc;
}

static void read_decision(struct sdb_stmt *st, struct arena *a, void *elem)
{
	struct store_decision *d = elem;
	d->kind = col_int(st, 0) ? STORE_AUDIT : STORE_CORRECTION;
	d->tracking = col_text(st, 1, a);
	d->record = col_text(st, 2, a);
	d->field = col_text(st, 3, a);
	d->decision = col_text(st, 4, a);
	d->decided = col_int64(st, 5);
	d->reason = col_text(st, 6, a);
	char when[DATE_TIME_SIZE];
	date_format_time(d->decided, DATE_TIME_RFC3339, when);
	d->day = arena_strndup(a, when, DATE_ISO_LEN);
}

int store_decisions_list(struct store *s, struct arena *a,
			 struct store_decision **out, size_t *n,
			 struct buf *err)
{
	void *rows;
	int rc = read_rows(
		s,
		"SELECT 0, tracking, record, field, status, decided, reason "
		"FROM corrections WHERE status != 'pending' "
		"UNION ALL "
		"SELECT 1, tracking, record, 'flow', status, decided, reason "
		"FROM audits WHERE status != 'pending' "
		"ORDER BY 6 DESC, 2",
		NULL, sizeof(**out), read_decision, a, &rows, n, err);
	*out = rows;
	return rc;
}

/* ---- monitored pages ------------------------------------------------- */

/* Whether the file has the monitor's tables: a read-only file of schema
 * 1 has not, and then holds no page versions. */
static bool has_pages(const struct store *s)
{
	return s->version >= 2;
}

int store_page_version_add(struct store *s, const struct store_page_version *v,
			   const char *text, size_t len, int64_t *id,
			   struct buf *err)
{
	unsigned char *packed = NULL;
	uLongf packed_len = 0;
	if (text) {
		packed_len = compressBound((uLong)len);
		packed = xmalloc(packed_len ? packed_len : 1);
		if (len > ULONG_MAX ||
		    compress2(packed, &packed_len, (const Bytef *)text,
			      (uLong)len, Z_BEST_COMPRESSION) != Z_OK) {
			free(packed);
			buf_printf(err, "cannot compress the text of %s",
				   v->url);
			return -1;
		}
	}
	struct sdb_stmt *st;
	int rc = write_begin(
		s, &st, err,
		"INSERT INTO page_versions (url, fetched, checked, "
		"http_status, "
		"final_url, redirects, content_type, etag, last_modified, "
		"truncated, sha256, text_len, text) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		"tllitttttit", v->url, v->fetched, v->checked, v->http_status,
		v->final_url, v->redirects ? v->redirects : "",
		v->content_type ? v->content_type : "", v->etag,
		v->last_modified, (int)v->truncated, v->sha256);
	if (rc == 0) {
		if (packed) {
			bind_int64(st, 12, (int64_t)len);
			st->ops->bind_blob(st, 13, packed, packed_len);
		}
		if (step(st) != SDB_DONE)
			rc = db_fail(s, err, "cannot store the page");
		else if (id && s->db->ops->last_id(s->db, id))
			rc = db_fail(s, err, "cannot store the page");
	}
	rc = write_end(s, st, rc, -1, err);
	free(packed);
	return rc;
}

/* Run one statement that writes, with @bind filling in its parameters. */
static int write_one(struct store *s, const char *sql,
		     void (*bind)(struct sdb_stmt *st, const void *arg),
		     const void *arg, struct buf *err)
{
	struct sdb_stmt *st;
	int rc = write_begin(s, &st, err, sql, "");
	if (rc == 0) {
		bind(st, arg);
		if (step(st) != SDB_DONE)
			rc = db_fail(s, err, "cannot store");
	}
	return write_end(s, st, rc, -1, err);
}

struct seen {
	int64_t id, when;
};

static void bind_seen(struct sdb_stmt *st, const void *arg)
{
	const struct seen *x = arg;
	bind_int64(st, 1, x->when);
	bind_int64(st, 2, x->id);
}

int store_page_version_seen(struct store *s, int64_t id, int64_t when,
			    struct buf *err)
{
	struct seen x = { id, when };
	return write_one(s, "UPDATE page_versions SET checked = ? WHERE id = ?",
			 bind_seen, &x, err);
}

static void bind_check(struct sdb_stmt *st, const void *arg)
{
	const struct store_page_check *c = arg;
	bind_row(st, "tltt", c->url, c->checked, c->outcome, c->detail);
}

int store_page_check_set(struct store *s, const struct store_page_check *c,
			 struct buf *err)
{
	return write_one(s,
			 "INSERT INTO page_checks (url, checked, outcome, "
			 "detail) VALUES (?, ?, ?, ?) ON CONFLICT (url) DO "
			 "UPDATE SET checked = excluded.checked, outcome = "
			 "excluded.outcome, detail = excluded.detail",
			 bind_check, c, err);
}

static void read_page_version(struct sdb_stmt *st, struct arena *a, void *elem)
{
	struct store_page_version *v = elem;
	v->id = col_int64(st, 0);
	v->url = col_text(st, 1, a);
	v->fetched = col_int64(st, 2);
	v->checked = col_int64(st, 3);
	v->http_status = col_int(st, 4);
	v->final_url = col_text(st, 5, a);
	v->redirects = col_text(st, 6, a);
	v->content_type = col_text(st, 7, a);
	v->etag = col_text(st, 8, a);
	v->last_modified = col_text(st, 9, a);
	v->truncated = col_int(st, 10) != 0;
	v->sha256 = col_text(st, 11, a);
	v->has_text = !st->ops->col_null(st, 12);
}

int store_page_versions(struct store *s, const char *url, struct arena *a,
			struct store_page_version **out, size_t *n,
			struct buf *err)
{
	*out = NULL;
	*n = 0;
	if (!has_pages(s))
		return 0;
	void *rows;
	int rc = read_rows(
		s,
		url ? "SELECT id, url, fetched, checked, http_status, "
		      "final_url, redirects, content_type, etag, "
		      "last_modified, truncated, sha256, text_len "
		      "FROM page_versions WHERE url = ? "
		      "ORDER BY fetched, id"
		    : "SELECT id, url, fetched, checked, http_status, "
		      "final_url, redirects, content_type, etag, "
		      "last_modified, truncated, sha256, text_len "
		      "FROM page_versions ORDER BY url, fetched, id",
		url, sizeof(**out), read_page_version, a, &rows, n, err);
	*out = rows;
	return rc;
}

static void read_page_check(struct sdb_stmt *st, struct arena *a, void *elem)
{
	struct store_page_check *c = elem;
	c->url = col_text(st, 0, a);
	c->checked = col_int64(st, 1);
	c->outcome = col_text(st, 2, a);
	c->detail = col_text(st, 3, a);
}

int store_page_checks(struct store *s, const char *url, struct arena *a,
		      struct store_page_check **out, size_t *n, struct buf *err)
{
	*out = NULL;
	*n = 0;
	if (!has_pages(s))
		return 0;
	void *rows;
	int rc = read_rows(s,
			   url ? "SELECT url, checked, outcome, detail FROM "
				 "page_checks WHERE url = ?"
			       : "SELECT url, checked, outcome, detail FROM "
				 "page_checks ORDER BY url",
			   url, sizeof(**out), read_page_check, a, &rows, n,
			   err);
	*out = rows;
	return rc;
}

int store_page_text(struct store *s, int64_t id, struct buf *out,
		    struct buf *err)
{
	if (!has_pages(s))
		return 1;
	pthread_mutex_lock(&s->lock);
	struct sdb_stmt *st = prepare(
		s, "SELECT text_len, text FROM page_versions WHERE id = ?",
		err);
	int rc = st ? 1 : -1;
	if (st) {
		bind_int64(st, 1, id);
		enum sdb_step stepped = step(st);
		if (stepped == SDB_ROW && !st->ops->col_null(st, 1)) {
			int64_t len = col_int64(st, 0);
			size_t packed_len;
			const void *packed =
				st->ops->col_blob(st, 1, &packed_len);
			uLongf got = (uLongf)len;
			rc = -1;
			if (len >= 0 && (uint64_t)len < SIZE_MAX &&
			    buf_reserve(out, (size_t)len + 1) &&
			    uncompress((Bytef *)out->data + out->len, &got,
				       packed, (uLong)packed_len) == Z_OK &&
			    got == (uLongf)len) {
				out->len += (size_t)len;
				out->data[out->len] = '\0';
				rc = 0;
			} else {
				buf_printf(err,
					   "the stored text of page version "
					   "%lld is damaged",
					   (long long)id);
			}
		} else if (stepped != SDB_ROW && stepped != SDB_DONE) {
			rc = db_fail(s, err, "cannot read the database");
		}
	}
	finalize(st);
	pthread_mutex_unlock(&s->lock);
	return rc;
}
