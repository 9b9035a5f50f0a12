/*
 * test_store.c - the review queue in SQLite: corrections and audits in
 * and out, decisions and their public log, WAL mode, a read-only file
 * refused cleanly, and no email in anything the public can see; the
 * monitor's page versions (text kept compressed, read back whole), its
 * last checks, and a schema 1 file brought up to date.
 *
 * When CANCELATLAS_TEST_PG names a PostgreSQL database (tests/run starts
 * a throwaway server when PostgreSQL is installed), the same tests run
 * again against it, each on an empty schema, with those that only
 * PostgreSQL has: a lost connection, and two stores deciding at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <libpq-fe.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"

#include "fixture.h"

#define EMAIL "editor-contact@example.com"

/* The PostgreSQL database of the second run, or NULL. */
static const char *pg_url;

struct fixture {
	char *dir;  /* a scratch folder */
	char *path; /* the database in it, or pg_url */
	bool pg;
	struct store *s;
	struct arena *a;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	f->dir = fixture_dir_new("store");
	f->path = fixture_path(f->dir, "queue.db");
	struct buf err = BUF_INIT;
	f->s = store_open(f->path, STORE_CREATE, 200, &err);
	buf_free(&err);
	f->a = arena_new();
	*state = f;
	return f->s ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->s);
	arena_free(f->a);
	free(f->path);
	if (f->dir)
		fixture_dir_remove(f->dir);
	free(f);
	return 0;
}

/* ---- another connection, as another process would have ---------------- */

struct other {
	sqlite3 *lite;
	PGconn *pg;
};

static struct other other_open(const struct fixture *f)
{
	struct other o = { 0 };
	if (f->pg) {
		const char *const keys[] = { "application_name", "dbname",
					     NULL };
		const char *const values[] = { "test", pg_url, NULL };
		o.pg = PQconnectdbParams(keys, values, 1);
		assert_int_equal(PQstatus(o.pg), CONNECTION_OK);
		PQclear(PQexec(o.pg, "SET client_min_messages = warning"));
	} else {
		assert_int_equal(sqlite3_open(f->path, &o.lite), SQLITE_OK);
	}
	return o;
}

/* Run @sql; 0 when it worked. */
static int other_exec(struct other *o, const char *sql)
{
	if (o->lite)
		return sqlite3_exec(o->lite, sql, NULL, NULL, NULL);
	PGresult *r = PQexec(o->pg, sql);
	ExecStatusType st = PQresultStatus(r);
	PQclear(r);
	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : -1;
}

/* The one integer @sql gives. */
static long long other_int(struct other *o, const char *sql)
{
	long long v = -1;
	if (o->lite) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(o->lite, sql, -1, &st, NULL) ==
			    SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	} else {
		PGresult *r = PQexec(o->pg, sql);
		if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
			v = atoll(PQgetvalue(r, 0, 0));
		PQclear(r);
	}
	return v;
}

static void other_close(struct other *o)
{
	sqlite3_close(o->lite);
	PQfinish(o->pg);
}

/* Take the write lock another writer would hold, and keep it. */
static const char *lock_sql(const struct fixture *f)
{
	return f->pg ? "BEGIN; LOCK TABLE corrections IN EXCLUSIVE MODE"
		     : "BEGIN IMMEDIATE";
}

/* The same tests on an empty PostgreSQL schema. */
static int setup_pg(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	f->pg = true;
	f->path = strdup(pg_url);
	struct other o = other_open(f);
	assert_int_equal(other_exec(&o, "DROP SCHEMA public CASCADE; "
					"CREATE SCHEMA public"),
			 0);
	other_close(&o);
	struct buf err = BUF_INIT;
	f->s = store_open(f->path, STORE_CREATE, 200, &err);
	if (!f->s)
		fprintf(stderr, "%s\n", buf_cstr(&err));
	buf_free(&err);
	f->a = arena_new();
	*state = f;
	return f->s ? 0 : -1;
}

static const struct submit_correction correction = {
	.record = "coursera",
	.field = "refund_page",
	.wrong = "The refund page moved.",
	.proposed = "https://example.com/refunds",
	.evidence_url = "https://example.com/refunds",
	.email = EMAIL,
};

static void insert_get_list(void **state)
{
	struct fixture *f = *state;
	char t1[STORE_TRACKING_SIZE], t2[STORE_TRACKING_SIZE];
	struct buf err = BUF_INIT;
	assert_int_equal(
		store_correction_insert(f->s, &correction, 1000, t1, &err), 0);
	assert_int_equal(
		store_correction_insert(f->s, &correction, 2000, t2, &err), 0);
	assert_true(store_tracking_valid(t1));
	assert_int_equal(t1[0], 'c');
	assert_string_not_equal(t1, t2);

	struct store_correction c;
	assert_int_equal(store_correction_get(f->s, t1, f->a, &c, &err), 0);
	assert_string_equal(c.pub.tracking, t1);
	assert_string_equal(c.c.record, "coursera");
	assert_string_equal(c.c.field, "refund_page");
	assert_string_equal(c.c.wrong, correction.wrong);
	assert_string_equal(c.c.proposed, correction.proposed);
	assert_string_equal(c.c.email, EMAIL);
	assert_int_equal(c.pub.status, STORE_PENDING);
	assert_int_equal(c.pub.received, 1000);
	assert_int_equal(c.pub.decided, 0);
	assert_null(c.pub.reason);

	struct store_public *v;
	size_t n;
	assert_int_equal(
		store_list(f->s, STORE_CORRECTION, -1, f->a, &v, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].tracking, t1); /* oldest first */
	assert_int_equal(store_list(f->s, STORE_AUDIT, -1, f->a, &v, &n, &err),
			 0);
	assert_int_equal(n, 0);
	assert_int_equal(
		store_correction_get(f->s, "c-000000000000", f->a, &c, &err),
		1);
	assert_int_equal(store_correction_get(f->s, "../etc", f->a, &c, &err),
			 1);
	buf_free(&err);
}

static void audits_keep_path_and_evidence(void **state)
{
	struct fixture *f = *state;
	const char *path[] = { "Account", "Membership", "Cancel" };
	struct submit_evidence ev[] = {
		{ "Screen recording", "https://example.com/rec.webm", NULL },
		{ "Confirmation email", "https://example.com/mail.png",
		  "0f3c0f3c0f3c0f3c0f3c0f3c0f3c0f3c0f3c0f3c0f3c0f3c0f3c0f3c0f3c"
		  "0f3c" },
	};
	struct submit_audit a = {
		.record = "coursera",
		.email = EMAIL,
		.date = date_from_ymd(2026, 6, 10),
		.signup_channel = CHANNEL_ONLINE,
		.online_path = true,
		.steps = 3,
		.path = path,
		.npath = 3,
		.retention = "skippable-offer",
		.channel_symmetry = true,
		.confirmation = "immediate",
		.minutes = 2.5,
		.clean_exit = true,
		.notes = "Two screens before the button.",
		.evidence = ev,
		.nevidence = 2,
	};
	char t[STORE_TRACKING_SIZE];
	struct buf err = BUF_INIT;
	assert_int_equal(store_audit_insert(f->s, &a, 5000, t, &err), 0);
	assert_int_equal(t[0], 'a');
	struct store_audit got;
	assert_int_equal(store_audit_get(f->s, t, f->a, &got, &err), 0);
	assert_int_equal(got.a.date, a.date);
	assert_int_equal(got.a.steps, 3);
	assert_int_equal(got.a.npath, 3);
	assert_string_equal(got.a.path[2], "Cancel");
	assert_string_equal(got.a.retention, "skippable-offer");
	assert_string_equal(got.a.confirmation, "immediate");
	assert_true(got.a.minutes == 2.5);
	assert_true(got.a.online_path && got.a.channel_symmetry &&
		    got.a.clean_exit);
	assert_int_equal(got.a.nevidence, 2);
	assert_null(got.a.evidence[0].sha256);
	assert_string_equal(got.a.evidence[1].sha256, ev[1].sha256);
	assert_string_equal(got.a.email, EMAIL);
	assert_string_equal(got.pub.field, "flow");
	/* A correction id is not an audit id. */
	struct store_correction c;
	assert_int_equal(store_correction_get(f->s, t, f->a, &c, &err), 1);
	buf_free(&err);
}

static void decisions_are_final_and_logged(void **state)
{
	struct fixture *f = *state;
	char t1[STORE_TRACKING_SIZE], t2[STORE_TRACKING_SIZE];
	struct buf err = BUF_INIT;
	assert_int_equal(
		store_correction_insert(f->s, &correction, 1000, t1, &err), 0);
	assert_int_equal(
		store_correction_insert(f->s, &correction, 1001, t2, &err), 0);
	/* A rejection needs a reason; an acceptance may go without. */
	assert_int_equal(store_decide(f->s, t1, STORE_REJECTED, NULL, 1, &err),
			 -1);
	assert_int_equal(store_decide(f->s, t1, STORE_REJECTED, "", 1, &err),
			 -1);
	buf_reset(&err);
	assert_int_equal(store_decide(f->s, t1, STORE_ACCEPTED, NULL,
				      86400 * 20000, &err),
			 0);
	assert_int_equal(store_decide(f->s, t2, STORE_REJECTED,
				      "The evidence page says otherwise.",
				      86400 * 20001, &err),
			 0);
	assert_int_equal(
		store_decide(f->s, t1, STORE_REJECTED, "again", 9, &err), 2);
	assert_int_equal(store_decide(f->s, "c-zzzzzzzzzzzz", STORE_ACCEPTED,
				      NULL, 9, &err),
			 1);

	struct store_public *v;
	size_t n;
	assert_int_equal(store_list(f->s, STORE_CORRECTION, STORE_PENDING, f->a,
				    &v, &n, &err),
			 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_list(f->s, STORE_CORRECTION, STORE_REJECTED,
				    f->a, &v, &n, &err),
			 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].reason, "The evidence page says otherwise.");

	struct store_decision *d;
	assert_int_equal(store_decisions_list(f->s, f->a, &d, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(d[0].tracking, t2); /* newest first */
	assert_string_equal(d[0].decision, "rejected");
	assert_string_equal(d[0].day, "2024-10-05");
	assert_string_equal(d[1].decision, "accepted");
	assert_null(d[1].reason);
	assert_string_equal(d[1].field, "refund_page");
	assert_string_equal(d[1].record, "coursera");
	buf_free(&err);
}

/* The privacy page's promise: an email is kept until the decision, then
 * erased, for corrections and audits alike. */
static void emails_are_erased_by_the_decision(void **state)
{
	struct fixture *f = *state;
	struct submit_evidence ev = { "Recording", "https://example.com/r",
				      NULL };
	struct submit_audit a = { .record = "coursera",
				  .email = EMAIL,
				  .date = date_from_ymd(2026, 6, 10),
				  .steps = 1,
				  .retention = "none",
				  .confirmation = "immediate",
				  .evidence = &ev,
				  .nevidence = 1 };
	char tc[STORE_TRACKING_SIZE], tp[STORE_TRACKING_SIZE],
		ta[STORE_TRACKING_SIZE];
	struct buf err = BUF_INIT;
	assert_int_equal(
		store_correction_insert(f->s, &correction, 1, tc, &err), 0);
	assert_int_equal(
		store_correction_insert(f->s, &correction, 1, tp, &err), 0);
	assert_int_equal(store_audit_insert(f->s, &a, 1, ta, &err), 0);
	assert_int_equal(store_decide(f->s, tc, STORE_ACCEPTED, NULL, 2, &err),
			 0);
	assert_int_equal(
		store_decide(f->s, ta, STORE_REJECTED, "Withdrawn.", 2, &err),
		0);
	struct store_correction c;
	assert_int_equal(store_correction_get(f->s, tc, f->a, &c, &err), 0);
	assert_null(c.c.email);
	assert_int_equal(store_correction_get(f->s, tp, f->a, &c, &err), 0);
	assert_string_equal(c.c.email, EMAIL); /* still pending: kept */
	struct store_audit got;
	assert_int_equal(store_audit_get(f->s, ta, f->a, &got, &err), 0);
	assert_true(!got.a.email || !*got.a.email);
	assert_string_equal(got.pub.reason, "Withdrawn.");
	buf_free(&err);
}

/* Nothing the public sees holds the email: the public struct has no such
 * field, and none of its strings carries it. */
static void public_views_hold_no_email(void **state)
{
	struct fixture *f = *state;
	char t[STORE_TRACKING_SIZE];
	struct buf err = BUF_INIT;
	assert_int_equal(store_correction_insert(f->s, &correction, 1, t, &err),
			 0);
	assert_int_equal(
		store_decide(f->s, t, STORE_ACCEPTED, "Fixed.", 2, &err), 0);
	struct store_public p;
	assert_int_equal(store_public_get(f->s, t, f->a, &p, &err), 0);
	const char *strings[] = { p.tracking, p.record, p.field, p.reason };
	for (size_t i = 0; i < 4; i++)
		assert_null(strstr(strings[i], "@"));
	struct store_decision *d;
	size_t n;
	assert_int_equal(store_decisions_list(f->s, f->a, &d, &n, &err), 0);
	assert_int_equal(n, 1);
	const char *dstrings[] = { d[0].tracking, d[0].record, d[0].field,
				   d[0].decision, d[0].reason, d[0].day };
	for (size_t i = 0; i < 6; i++)
		assert_null(strstr(dstrings[i], "@"));
	assert_int_equal(
		store_public_get(f->s, "c-000000000000", f->a, &p, &err), 1);
	buf_free(&err);
}

static void wal_mode_is_on(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db;
	assert_int_equal(
		sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL),
		SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(
		sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void read_only_file_fails_cleanly(void **state)
{
	struct fixture *f = *state;
	char t[STORE_TRACKING_SIZE];
	struct buf err = BUF_INIT;
	assert_int_equal(store_correction_insert(f->s, &correction, 1, t, &err),
			 0);
	store_close(f->s);
	assert_int_equal(chmod(f->path, 0444), 0);
	f->s = store_open(f->path, STORE_CREATE, 200, &err);
	assert_non_null(f->s);
	assert_true(store_readonly(f->s));
	/* Reading still works; writing fails with -1 and says why. */
	struct store_public *v;
	size_t n;
	assert_int_equal(
		store_list(f->s, STORE_CORRECTION, -1, f->a, &v, &n, &err), 0);
	assert_int_equal(n, 1);
	char t2[STORE_TRACKING_SIZE];
	buf_reset(&err);
	assert_int_equal(
		store_correction_insert(f->s, &correction, 2, t2, &err), -1);
	assert_non_null(strstr(buf_cstr(&err), "read-only"));
	buf_reset(&err);
	assert_int_equal(store_decide(f->s, t, STORE_ACCEPTED, NULL, 3, &err),
			 -1);
	chmod(f->path, 0644);
	buf_free(&err);
}

static void open_refuses_what_is_not_a_queue(void **state)
{
	struct fixture *f = *state;
	struct buf err = BUF_INIT;
	char path[160];
	snprintf(path, sizeof(path), "%s/missing.db", f->dir);
	assert_null(store_open(path, 0, 0, &err));
	assert_non_null(strstr(buf_cstr(&err), "no database"));
	buf_reset(&err);
	assert_null(store_open(f->dir, STORE_CREATE, 0, &err));
	buf_reset(&err);
	snprintf(path, sizeof(path), "%s/other.db", f->dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(
		sqlite3_exec(db, "CREATE TABLE t (x)", NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(db);
	assert_null(store_open(path, 0, 0, &err));
	assert_non_null(strstr(buf_cstr(&err), "no Cancel Atlas tables"));
	buf_free(&err);
}

static void locked_database_fails_after_the_timeout(void **state)
{
	struct fixture *f = *state;
	struct other o = other_open(f);
	assert_int_equal(other_exec(&o, lock_sql(f)), 0);
	char t[STORE_TRACKING_SIZE];
	struct buf err = BUF_INIT;
	assert_int_equal(store_correction_insert(f->s, &correction, 1, t, &err),
			 1);
	assert_non_null(strstr(buf_cstr(&err), "locked"));
	other_exec(&o, "ROLLBACK");
	other_close(&o);
	buf_reset(&err);
	assert_int_equal(store_correction_insert(f->s, &correction, 1, t, &err),
			 0);
	buf_free(&err);
}

/* A reader of its own reads the committed rows at once while another
 * writer holds the lock mid-transaction; the writer's connection, with no
 * busy timeout, fails at once with 1. */
static void a_reader_does_not_wait_for_a_writer(void **state)
{
	struct fixture *f = *state;
	char t[STORE_TRACKING_SIZE];
	struct buf err = BUF_INIT;
	assert_int_equal(store_correction_insert(f->s, &correction, 1, t, &err),
			 0);
	struct store *reader = store_reader_open(f->s, 50, &err);
	assert_non_null(reader);
	assert_true(store_readonly(reader));
	struct other o = other_open(f);
	assert_int_equal(other_exec(&o, lock_sql(f)), 0);
	assert_int_equal(other_exec(&o, "DELETE FROM corrections"), 0);
	struct store_public p;
	assert_int_equal(store_public_get(reader, t, f->a, &p, &err), 0);
	assert_string_equal(p.tracking, t);
	store_busy_timeout_set(f->s, 0);
	char t2[STORE_TRACKING_SIZE];
	assert_int_equal(
		store_correction_insert(f->s, &correction, 2, t2, &err), 1);
	other_exec(&o, "ROLLBACK");
	other_close(&o);
	buf_reset(&err);
	assert_int_equal(
		store_correction_insert(f->s, &correction, 2, t2, &err), 0);
	assert_int_equal(store_public_get(reader, t2, f->a, &p, &err), 0);
	store_close(reader);
	buf_free(&err);
}

static void tracking_ids_are_unique_and_checked(void **state)
{
	struct fixture *f = *state;
	struct buf err = BUF_INIT;
	char seen[300][STORE_TRACKING_SIZE];
	for (int i = 0; i < 300; i++) {
		assert_int_equal(store_correction_insert(f->s, &correction, i,
							 seen[i], &err),
				 0);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(seen[i], seen[j]);
	}
	assert_true(store_tracking_valid("c-0123456789ab"));
	assert_true(store_tracking_valid("a-vwxyz0123456"));
	assert_false(store_tracking_valid("c-0123456789a"));
	assert_false(store_tracking_valid("c-0123456789abc"));
	assert_false(store_tracking_valid("x-0123456789ab"));
	assert_false(store_tracking_valid("c-0123456789iu")); /* not base32 */
	assert_false(store_tracking_valid("c-../../etc/pa"));
	assert_int_equal(store_status_parse("accepted"), STORE_ACCEPTED);
	assert_int_equal(store_status_parse("maybe"), -1);
	buf_free(&err);
}

static void page_versions_keep_their_text(void **state)
{
	struct fixture *f = *state;
	struct buf err = BUF_INIT, text = BUF_INIT;
	/* A text that compresses well, and one that does not fit a page. */
	for (int i = 0; i < 20000; i++)
		buf_printf(&text, "word%d ", i % 50);
	struct store_page_version v = {
		.url = "https://example.com/terms",
		.fetched = 100,
		.checked = 100,
		.http_status = 200,
		.final_url = "https://example.com/terms/",
		.redirects = "301 https://example.com/terms -> "
			     "https://example.com/terms/",
		.content_type = "text/html",
		.etag = "\"v1\"",
		.sha256 = "aa",
	};
	int64_t first, second, third;
	assert_int_equal(store_page_version_add(f->s, &v, text.data, text.len,
						&first, &err),
			 0);
	v.fetched = v.checked = 200;
	v.sha256 = "bb";
	v.etag = NULL;
	assert_int_equal(store_page_version_add(f->s, &v, "", 0, &second, &err),
			 0);
	v.url = "https://example.com/a.pdf";
	v.final_url = v.url;
	v.redirects = NULL;
	v.truncated = true;
	assert_int_equal(
		store_page_version_add(f->s, &v, NULL, 0, &third, &err), 0);
	assert_int_equal(store_page_version_seen(f->s, first, 150, &err), 0);

	struct store_page_version *out;
	size_t n;
	assert_int_equal(store_page_versions(f->s, "https://example.com/terms",
					     f->a, &out, &n, &err),
			 0);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].id, first);
	assert_int_equal(out[0].checked, 150);
	assert_int_equal(out[0].http_status, 200);
	assert_string_equal(out[0].etag, "\"v1\"");
	assert_null(out[0].last_modified);
	assert_string_equal(out[0].redirects,
			    "301 https://example.com/terms -> "
			    "https://example.com/terms/");
	assert_true(out[0].has_text);
	assert_string_equal(out[1].sha256, "bb");
	assert_null(out[1].etag);
	assert_true(out[1].has_text);
	assert_int_equal(store_page_versions(f->s, NULL, f->a, &out, &n, &err),
			 0);
	assert_int_equal(n, 3);
	assert_string_equal(out[0].url, "https://example.com/a.pdf");
	assert_true(out[0].truncated);
	assert_false(out[0].has_text);
	assert_string_equal(out[0].redirects, "");

	struct buf got = BUF_INIT;
	assert_int_equal(store_page_text(f->s, first, &got, &err), 0);
	assert_int_equal(got.len, text.len);
	assert_memory_equal(got.data, text.data, text.len);
	buf_reset(&got);
	assert_int_equal(store_page_text(f->s, second, &got, &err), 0);
	assert_int_equal(got.len, 0);
	assert_int_equal(store_page_text(f->s, third, &got, &err), 1);
	assert_int_equal(store_page_text(f->s, 9999, &got, &err), 1);

	/* Stored compressed: the database holds far less than the text. */
	struct other o = other_open(f);
	char sql[100];
	snprintf(sql, sizeof(sql),
		 "SELECT length(text) FROM page_versions WHERE id = %lld",
		 (long long)first);
	long long stored = other_int(&o, sql);
	other_close(&o);
	assert_true(stored > 0 && (size_t)stored < text.len / 10);
	buf_free(&got);
	buf_free(&text);
	buf_free(&err);
}

static void page_checks_keep_the_last_attempt(void **state)
{
	struct fixture *f = *state;
	struct buf err = BUF_INIT;
	struct store_page_check c = { "https://example.com/gone", 100, "ok",
				      NULL };
	assert_int_equal(store_page_check_set(f->s, &c, &err), 0);
	c.checked = 200;
	c.outcome = "broken";
	c.detail = "HTTP 404";
	assert_int_equal(store_page_check_set(f->s, &c, &err), 0);
	c.url = "https://example.com/private";
	c.outcome = "unchecked";
	c.detail = "disallowed by robots.txt (Disallow: /private)";
	assert_int_equal(store_page_check_set(f->s, &c, &err), 0);
	c.outcome = "maybe";
	assert_int_equal(store_page_check_set(f->s, &c, &err), -1);

	struct store_page_check *out;
	size_t n;
	assert_int_equal(store_page_checks(f->s, NULL, f->a, &out, &n, &err),
			 0);
	assert_int_equal(n, 2);
	assert_string_equal(out[0].url, "https://example.com/gone");
	assert_int_equal(out[0].checked, 200);
	assert_string_equal(out[0].outcome, "broken");
	assert_string_equal(out[0].detail, "HTTP 404");
	assert_string_equal(out[1].outcome, "unchecked");
	assert_int_equal(store_page_checks(f->s, "https://example.com/gone",
					   f->a, &out, &n, &err),
			 0);
	assert_int_equal(n, 1);
	buf_free(&err);
}

/* Turn the fixture's database back into what schema 1 wrote. */
static void make_schema_1(const struct fixture *f)
{
	struct other o = other_open(f);
	assert_int_equal(other_exec(&o, "DROP TABLE page_versions; "
					"DROP TABLE page_checks"),
			 0);
	assert_int_equal(other_exec(&o, f->pg ? "UPDATE schema_version SET "
						"version = 1"
					      : "PRAGMA user_version=1"),
			 0);
	other_close(&o);
}

static void a_schema_1_file_is_brought_up_to_date(void **state)
{
	struct fixture *f = *state;
	struct buf err = BUF_INIT;
	char t[STORE_TRACKING_SIZE];
	assert_int_equal(store_correction_insert(f->s, &correction, 1, t, &err),
			 0);
	store_close(f->s);
	make_schema_1(f);

	/* Read-only, it is read as it is: no page versions, no error. */
	f->s = store_open(f->path, STORE_READONLY, 0, &err);
	assert_non_null(f->s);
	struct store_page_version *out;
	size_t n = 9;
	assert_int_equal(store_page_versions(f->s, NULL, f->a, &out, &n, &err),
			 0);
	assert_int_equal(n, 0);
	store_close(f->s);

	/* Opened to write (even without STORE_CREATE), it is migrated and
	 * keeps what it held. */
	f->s = store_open(f->path, 0, 0, &err);
	assert_non_null(f->s);
	struct store_page_check c = { "https://example.com/", 5, "ok", NULL };
	assert_int_equal(store_page_check_set(f->s, &c, &err), 0);
	struct store_public pub;
	assert_int_equal(store_public_get(f->s, t, f->a, &pub, &err), 0);
	struct other o = other_open(f);
	assert_int_equal(other_int(&o, f->pg ? "SELECT version FROM "
					       "schema_version"
					     : "PRAGMA user_version"),
			 2);
	other_close(&o);
	buf_free(&err);
}

/* ---- PostgreSQL's own ------------------------------------------------ */

/* Whether the store's sessions were ended by the server's administrator
 * (as a restart or a failover would), with @waiting: only one that waits
 * for a lock. */
static int terminate_store_sessions(struct other *o, bool waiting)
{
	return (int)other_int(
		o, waiting ? "SELECT count(pg_terminate_backend(pid)) FROM "
			     "pg_stat_activity WHERE application_name = "
			     "'cancelatlas' AND wait_event_type = 'Lock'"
			   : "SELECT count(pg_terminate_backend(pid)) FROM "
			     "pg_stat_activity WHERE application_name = "
			     "'cancelatlas'");
}

/* A connection the server closed between two calls is made again by the
 * next one, which then works. */
static void pg_a_lost_connection_is_made_again(void **state)
{
	struct fixture *f = *state;
	char t[STORE_TRACKING_SIZE], t2[STORE_TRACKING_SIZE];
	struct buf err = BUF_INIT;
	assert_int_equal(store_correction_insert(f->s, &correction, 1, t, &err),
			 0);
	struct other o = other_open(f);
	assert_true(terminate_store_sessions(&o, false) >= 1);
	assert_int_equal(
		store_correction_insert(f->s, &correction, 2, t2, &err), 0);
	struct store_public p;
	assert_int_equal(store_public_get(f->s, t, f->a, &p, &err), 0);
	assert_int_equal(other_int(&o, "SELECT count(*) FROM corrections"), 2);
	other_close(&o);
	buf_free(&err);
}

struct insert_job {
	struct store *s;
	int rc;
	char tracking[STORE_TRACKING_SIZE];
	struct buf err;
};

static void *insert_run(void *arg)
{
	struct insert_job *j = arg;
	j->rc = store_correction_insert(j->s, &correction, 7, j->tracking,
					&j->err);
	return NULL;
}

/* A connection lost in the middle of a write fails that write as a busy
 * database does (the server answers 503), keeps nothing of it, and the
 * next write works. */
static void pg_a_write_in_flight_on_a_lost_connection_fails(void **state)
{
	struct fixture *f = *state;
	struct other o = other_open(f);
	assert_int_equal(other_exec(&o, lock_sql(f)), 0);
	struct insert_job j = { .s = f->s, .err = BUF_INIT };
	store_busy_timeout_set(f->s, 20000);
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, insert_run, &j), 0);
	struct other admin = other_open(f);
	int killed = 0;
	for (int i = 0; i < 500 && !killed; i++) {
		killed = terminate_store_sessions(&admin, true);
		if (!killed)
			usleep(10000);
	}
	pthread_join(th, NULL);
	assert_int_equal(killed, 1);
	assert_int_equal(j.rc, 1);
	assert_non_null(strstr(buf_cstr(&j.err), "connection"));
	assert_int_equal(other_exec(&o, "ROLLBACK"), 0);
	assert_int_equal(other_int(&o, "SELECT count(*) FROM corrections"), 0);
	char t[STORE_TRACKING_SIZE];
	struct buf err = BUF_INIT;
	assert_int_equal(store_correction_insert(f->s, &correction, 8, t, &err),
			 0);
	assert_int_equal(other_int(&o, "SELECT count(*) FROM corrections"), 1);
	other_close(&admin);
	other_close(&o);
	buf_free(&j.err);
	buf_free(&err);
}

struct decide_job {
	struct store *s;
	const char *tracking;
	enum store_status decision;
	int rc;
};

static void *decide_run(void *arg)
{
	struct decide_job *j = arg;
	struct buf err = BUF_INIT;
	j->rc = store_decide(j->s, j->tracking, j->decision,
			     j->decision == STORE_REJECTED ? "No." : NULL, 9,
			     &err);
	buf_free(&err);
	return NULL;
}

/* Two servers deciding on one submission at the same moment: one
 * decision is logged, the other is refused as already decided. */
static void pg_two_stores_deciding_at_once_decide_once(void **state)
{
	struct fixture *f = *state;
	char t[STORE_TRACKING_SIZE];
	struct buf err = BUF_INIT;
	assert_int_equal(store_correction_insert(f->s, &correction, 1, t, &err),
			 0);
	struct store *s2 = store_open(f->path, 0, 10000, &err);
	assert_non_null(s2);
	store_busy_timeout_set(f->s, 10000);
	/* Both wait on another writer's lock, so both go at once. */
	struct other o = other_open(f);
	assert_int_equal(other_exec(&o, lock_sql(f)), 0);
	struct decide_job a = { f->s, t, STORE_ACCEPTED, -9 },
			  b = { s2, t, STORE_REJECTED, -9 };
	pthread_t ta, tb;
	assert_int_equal(pthread_create(&ta, NULL, decide_run, &a), 0);
	assert_int_equal(pthread_create(&tb, NULL, decide_run, &b), 0);
	for (int i = 0; i < 500; i++) {
		if (other_int(&o, "SELECT count(*) FROM pg_stat_activity "
				  "WHERE application_name = 'cancelatlas' "
				  "AND wait_event_type = 'Lock'") == 2)
			break;
		usleep(10000);
	}
	assert_int_equal(other_exec(&o, "ROLLBACK"), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	assert_true((a.rc == 0 && b.rc == 2) || (a.rc == 2 && b.rc == 0));
	struct store_public p;
	assert_int_equal(store_public_get(s2, t, f->a, &p, &err), 0);
	assert_int_equal(p.status, a.rc == 0 ? STORE_ACCEPTED : STORE_REJECTED);
	other_close(&o);
	store_close(s2);
	buf_free(&err);
}

/* Read-only, a bad address, a database without the tables: refused, and
 * no password in any message. */
static void pg_open_refuses_cleanly(void **state)
{
	struct fixture *f = *state;
	struct buf err = BUF_INIT;
	struct store *r = store_open(f->path, STORE_READONLY, 0, &err);
	assert_non_null(r);
	assert_true(store_readonly(r));
	char t[STORE_TRACKING_SIZE];
	assert_int_equal(store_correction_insert(r, &correction, 1, t, &err),
			 -1);
	assert_non_null(strstr(buf_cstr(&err), "read-only"));
	store_close(r);
	buf_reset(&err);
	assert_null(store_open("postgresql://atlas:s3cret@/atlas?host=/"
			       "nonexistent&password=other",
			       STORE_CREATE, 0, &err));
	assert_non_null(strstr(buf_cstr(&err), "cannot connect"));
	assert_null(strstr(buf_cstr(&err), "s3cret"));
	assert_null(strstr(buf_cstr(&err), "other"));
	buf_reset(&err);
	struct other o = other_open(f);
	assert_int_equal(other_exec(&o, "DROP SCHEMA public CASCADE; "
					"CREATE SCHEMA public"),
			 0);
	other_close(&o);
	assert_null(store_open(f->path, 0, 0, &err));
	assert_non_null(strstr(buf_cstr(&err), "no Cancel Atlas tables"));
	buf_free(&err);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(insert_get_list),
		T(audits_keep_path_and_evidence),
		T(decisions_are_final_and_logged),
		T(public_views_hold_no_email),
		T(emails_are_erased_by_the_decision),
		T(wal_mode_is_on),
		T(read_only_file_fails_cleanly),
		T(open_refuses_what_is_not_a_queue),
		T(locked_database_fails_after_the_timeout),
		T(a_reader_does_not_wait_for_a_writer),
		T(tracking_ids_are_unique_and_checked),
		T(page_versions_keep_their_text),
		T(page_checks_keep_the_last_attempt),
		T(a_schema_1_file_is_brought_up_to_date),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	pg_url = getenv("CANCELATLAS_TEST_PG");
	if (!pg_url || !*pg_url) {
		printf("ok %zu - store on PostgreSQL # SKIP postgresql not "
		       "installed\n",
		       sizeof(tests) / sizeof(*tests) + 1);
		return failed;
	}
#define P(name)                                                                \
	{                                                                      \
		"postgresql: " #name, name, setup_pg, teardown, NULL           \
	}
	const struct CMUnitTest pg_tests[] = {
		P(insert_get_list),
		P(audits_keep_path_and_evidence),
		P(decisions_are_final_and_logged),
		P(public_views_hold_no_email),
		P(emails_are_erased_by_the_decision),
		P(locked_database_fails_after_the_timeout),
		P(a_reader_does_not_wait_for_a_writer),
		P(tracking_ids_are_unique_and_checked),
		P(page_versions_keep_their_text),
		P(page_checks_keep_the_last_attempt),
		P(a_schema_1_file_is_brought_up_to_date),
		P(pg_a_lost_connection_is_made_again),
		P(pg_a_write_in_flight_on_a_lost_connection_fails),
		P(pg_two_stores_deciding_at_once_decide_once),
		P(pg_open_refuses_cleanly),
	};
	return failed + cmocka_run_group_tests_name("store on PostgreSQL",
						    pg_tests, NULL, NULL);
}
