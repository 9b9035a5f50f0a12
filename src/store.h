/*
 * store.h - the review queue: correction requests and crowd audits kept
 * in SQLite (or PostgreSQL) until an editor decides on them; and the
 * versions of the pages records cite, as `monitor` fetched them.
 */
#ifndef CANCELATLAS_STORE_H
#define CANCELATLAS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "submission.h"

/* A tracking id: "c-" (correction) or "a-" (audit) and 12 characters of
 * Crockford's base32 in lower case, e.g. "c-7k2m9xq4t3vw". */
#define STORE_TRACKING_LEN  14
#define STORE_TRACKING_SIZE (STORE_TRACKING_LEN + 1)

enum store_kind {
	STORE_CORRECTION,
	STORE_AUDIT,
};

enum store_status {
	STORE_PENDING,
	STORE_ACCEPTED,
	STORE_REJECTED,
};

/* How store_open() opens the file. */
enum store_flags {
	STORE_CREATE = 1,   /* create the file (and the tables) if missing */
	STORE_READONLY = 2, /* never write, whatever the file allows */
};

struct store;

/*
 * What anyone may see of a submission: its kind, ids, status and dates.
 * There is no email and no submitted text here, by construction. Times
 * are seconds since the epoch; @decided is 0 and @reason NULL while the
 * status is pending (@reason may also be NULL for an acceptance).
 */
struct store_public {
	enum store_kind kind;
	const char *tracking;
	const char *record;
	const char *field; /* "flow" for an audit */
	enum store_status status;
	int64_t received;
	int64_t decided;
	const char *reason;
};

/* A correction as an editor sees it: its public face and everything
 * submitted, the email included. */
struct store_correction {
	struct store_public pub;
	struct submit_correction c;
};

/* An audit as an editor sees it. */
struct store_audit {
	struct store_public pub;
	struct submit_audit a;
};

/*
 * One line of the public log of decisions, as the corrections page shows
 * it: @day is the decision's date, "YYYY-MM-DD" (UTC), @decision
 * "accepted" or "rejected", @field "flow" for an audit.
 */
struct store_decision {
	enum store_kind kind;
	const char *tracking;
	const char *record;
	const char *field;
	const char *decision;
	const char *reason;
	int64_t decided;
	const char *day;
};

/*
 * One stored version of a page a record cites, as `monitor` fetched it.
 * Times are seconds since the epoch: @fetched when this version was first
 * seen, @checked the last fetch that found it unchanged. @redirects is
 * each hop followed, one "STATUS URL -> URL" a line ("" for none);
 * @sha256 is of the text for HTML and plain text, else of the bytes, and
 * @has_text says whether a text is kept (store_page_text()).
 */
struct store_page_version {
	int64_t id;
	const char *url;
	int64_t fetched;
	int64_t checked;
	int http_status;
	const char *final_url;
	const char *redirects;
	const char *content_type;
	const char *etag;	   /* the validators, for a conditional */
	const char *last_modified; /* request; NULL when not sent */
	bool truncated;		   /* the body was cut at the size cap */
	const char *sha256;
	bool has_text;
};

/*
 * The last attempt at a URL: @outcome "ok" (a version was stored or
 * found unchanged), "broken" (@detail says why: "HTTP 404", "timed
 * out"...) or "unchecked" (not fetched: @detail says why, e.g. the
 * robots.txt rule).
 */
struct store_page_check {
	const char *url;
	int64_t checked;
	const char *outcome;
	const char *detail;
};

/**
 * store_open() - open the database, creating its tables when needed.
 * @path: the SQLite file, or a postgresql:// or postgres:// URL (see
 *        store_pg.h: the same tables and behaviour, shared by servers).
 * @flags: STORE_CREATE, STORE_READONLY.
 * @busy_ms: how long a write waits for another writer's lock before it
 *           fails (0: the default, 2000).
 * @err: receives the reason on failure.
 *
 * The file is put in WAL mode with synchronous=FULL: a submission is
 * answered 202 only once its transaction is on disk, so neither a crash
 * nor a power cut can lose one that was acknowledged. A file without any
 * write permission bit (chmod a-w) is opened read-only even for root, so
 * an operator can freeze the queue; writes then fail cleanly. On
 * PostgreSQL, each session asks for synchronous_commit=on, @busy_ms is
 * its lock_timeout, and a lost connection fails the call in flight (as
 * a lock does: 1 from the inserts) and is made again by the next.
 *
 * Returns: the store, or NULL with @err set. Close it with store_close().
 * A store may be used from several threads; calls are serialised.
 */
struct store *store_open(const char *path, unsigned flags, int busy_ms,
			 struct buf *err);

/* store_close() - close the database; accepts NULL. */
void store_close(struct store *s);

/**
 * store_reader_open() - another connection to the file of @s, for reads
 * only, so that a thread can read without waiting on the connection that
 * writes. In WAL mode a reader never waits for a writer; @busy_ms bounds
 * the rare wait on a checkpoint or a recovery.
 *
 * Returns: the store, or NULL with @err set. Close it with store_close().
 */
struct store *store_reader_open(const struct store *s, int busy_ms,
				struct buf *err);

/**
 * store_busy_timeout_set() - how long the next statements wait for
 * another writer's lock before they fail.
 * @busy_ms: milliseconds; 0 or less: not at all.
 */
void store_busy_timeout_set(struct store *s, int busy_ms);

/* store_readonly() - whether writes are refused. */
bool store_readonly(const struct store *s);

/**
 * store_correction_insert() - store a correction request durably.
 * @c: the checked request; borrowed.
 * @now: the time received, seconds since the epoch.
 * @tracking: receives the new tracking id.
 *
 * Returns: 0 once committed; 1 with @err set when another writer held
 * the lock past the busy timeout; -1 with @err set on any other failure
 * (the file is read-only, the disk full). Nothing is stored unless 0.
 */
int store_correction_insert(struct store *s, const struct submit_correction *c,
			    int64_t now, char tracking[STORE_TRACKING_SIZE],
			    struct buf *err);

/**
 * store_audit_insert() - store a crowd audit durably, with its path and
 * evidence, in one transaction. As store_correction_insert().
 */
int store_audit_insert(struct store *s, const struct submit_audit *a,
		       int64_t now, char tracking[STORE_TRACKING_SIZE],
		       struct buf *err);

/**
 * store_public_get() - the public face of one submission.
 * @tracking: its tracking id; the prefix gives the kind.
 * @a: where the strings of @out are allocated.
 *
 * Returns: 0 when found, 1 when there is no such submission, -1 with @err
 * set on a database error.
 */
int store_public_get(struct store *s, const char *tracking, struct arena *a,
		     struct store_public *out, struct buf *err);

/**
 * store_correction_get() - everything about one correction, for editors.
 * Returns: 0, 1 when there is none with that id, -1 with @err set.
 */
int store_correction_get(struct store *s, const char *tracking, struct arena *a,
			 struct store_correction *out, struct buf *err);

/**
 * store_audit_get() - everything about one audit, for editors.
 * Returns: 0, 1 when there is none with that id, -1 with @err set.
 */
int store_audit_get(struct store *s, const char *tracking, struct arena *a,
		    struct store_audit *out, struct buf *err);

/**
 * store_list() - the submissions of one kind, oldest first.
 * @status: only those with this status, or -1 for all.
 * @out: set to an array of @n entries allocated from @a.
 *
 * Returns: 0, or -1 with @err set.
 */
int store_list(struct store *s, enum store_kind kind, int status,
	       struct arena *a, struct store_public **out, size_t *n,
	       struct buf *err);

/**
 * store_decide() - accept or reject a pending submission, with the
 * reason and date logged, and erase its email, which was kept only for
 * questions before the decision. A decision is final: a decided
 * submission cannot be decided again.
 * @decision: STORE_ACCEPTED or STORE_REJECTED.
 * @reason: the editor's reason, or NULL (then @decision must be
 *          STORE_ACCEPTED).
 * @now: the time of the decision.
 *
 * Returns: 0 when logged, 1 when there is no such submission, 2 when it
 * was already decided, -1 with @err set on any other failure.
 */
int store_decide(struct store *s, const char *tracking,
		 enum store_status decision, const char *reason, int64_t now,
		 struct buf *err);

/**
 * store_decisions_list() - every decision, newest first, for the public
 * log on the corrections page.
 * @out: set to an array of @n plain structs allocated from @a (strings
 *       included), so it outlives the store.
 *
 * Returns: 0, or -1 with @err set.
 */
int store_decisions_list(struct store *s, struct arena *a,
			 struct store_decision **out, size_t *n,
			 struct buf *err);

/**
 * store_page_version_add() - store a new version of a page.
 * @v: its facts (@v->id and @v->has_text are ignored).
 * @text: its text, kept compressed with zlib, or NULL for none.
 * @len: the length of @text.
 * @id: when not NULL, receives the new version's id.
 *
 * Returns: 0 once committed, -1 with @err set.
 */
int store_page_version_add(struct store *s, const struct store_page_version *v,
			   const char *text, size_t len, int64_t *id,
			   struct buf *err);

/**
 * store_page_version_seen() - note that version @id was fetched again at
 * @when and found unchanged, rather than storing a copy.
 * Returns: 0, or -1 with @err set.
 */
int store_page_version_seen(struct store *s, int64_t id, int64_t when,
			    struct buf *err);

/**
 * store_page_check_set() - record the outcome of the last attempt at a
 * URL, replacing the one before. Returns: 0, or -1 with @err set.
 */
int store_page_check_set(struct store *s, const struct store_page_check *c,
			 struct buf *err);

/**
 * store_page_versions() - the stored versions of @url, oldest first, or
 * of every URL (@url NULL) by URL then age, without their text.
 * @out: set to an array of @n entries allocated from @a (strings too).
 *
 * A file that predates these tables (opened read-only) has none.
 * Returns: 0, or -1 with @err set.
 */
int store_page_versions(struct store *s, const char *url, struct arena *a,
			struct store_page_version **out, size_t *n,
			struct buf *err);

/**
 * store_page_checks() - the last attempt at @url, or at every URL (@url
 * NULL), by URL; as store_page_versions().
 */
int store_page_checks(struct store *s, const char *url, struct arena *a,
		      struct store_page_check **out, size_t *n,
		      struct buf *err);

/**
 * store_page_text() - append the text of version @id to @out.
 * Returns: 0, 1 when that version keeps no text (or does not exist), -1
 * with @err set when it cannot be read.
 */
int store_page_text(struct store *s, int64_t id, struct buf *out,
		    struct buf *err);

/* store_is_server() - whether @db names a database server (a
 * postgresql:// or postgres:// URL) rather than a SQLite file. */
bool store_is_server(const char *db);

/* store_tracking_valid() - whether @s has the form of a tracking id. */
bool store_tracking_valid(const char *s);

/* store_status_str() - "pending", "accepted", "rejected". */
const char *store_status_str(enum store_status st);

/* store_status_parse() - the status named @s, or -1. */
int store_status_parse(const char *s);

#endif
