/*
 * pagestate.h - what monitoring found of the pages a record cites: each
 * page unchanged, changed, moved or broken since the record's review, or
 * not checked, from the versions `monitor` keeps in the store.
 */
#ifndef CANCELATLAS_PAGESTATE_H
#define CANCELATLAS_PAGESTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "record.h"
#include "store.h"

enum pagestate_status {
	PAGESTATE_UNCHECKED, /* never fetched, or not allowed to be */
	PAGESTATE_UNCHANGED,
	PAGESTATE_CHANGED, /* its text differs from the review's */
	PAGESTATE_MOVED,   /* it now redirects somewhere new */
	PAGESTATE_BROKEN,  /* the last attempt failed (4xx, 5xx, network) */
};

/* pagestate_status_str() - "unchecked", "unchanged", "changed", "moved",
 * "broken", as the reports and the API spell them. */
const char *pagestate_status_str(enum pagestate_status st);

/* pagestate_flagged() - whether @st calls for a new review: changed,
 * moved or broken. */
bool pagestate_flagged(enum pagestate_status st);

/* A URL a record cites and what it is to the record. */
struct pagestate_cited {
	const char *url;
	const char *role; /* "official page", "refund page", "deletion
			     page" or "evidence" */
};

/**
 * pagestate_cited() - every URL @r cites, each once, in the order
 * official page, refund page, deletion page, then evidence.
 * @out: set to an array of the URLs, allocated from @a.
 * Returns: how many.
 */
size_t pagestate_cited(const struct record *r, struct arena *a,
		       struct pagestate_cited **out);

/*
 * One cited page's state. @checked is the time of the last attempt (0:
 * never). @detail says why for broken and unchecked, and where to for
 * moved. @baseline is the version current on the record's review date
 * (the newest fetched on or before it) or, when every version is later,
 * the first one (@baseline_after_review); @newest the last stored. Both
 * NULL when nothing was stored; they point into the snapshot.
 */
struct pagestate {
	const char *url;
	const char *role;
	enum pagestate_status status;
	int64_t checked;
	const char *detail;
	const struct store_page_version *baseline;
	const struct store_page_version *newest;
	bool baseline_after_review;
};

/* Every stored version and last attempt, read once, for many records. */
struct pagestate_db;

/**
 * pagestate_db_load() - read what the store knows of monitored pages.
 * Returns: the snapshot (release with pagestate_db_free()), or NULL with
 * @err set.
 */
struct pagestate_db *pagestate_db_load(struct store *s, struct buf *err);

/* pagestate_db_free() - release a snapshot; accepts NULL. */
void pagestate_db_free(struct pagestate_db *db);

/**
 * pagestate_record() - the state of every page @r cites.
 * @db: the snapshot; the results point into it and into @a.
 * @out: set to an array from @a, in pagestate_cited() order.
 * Returns: how many.
 */
size_t pagestate_record(const struct pagestate_db *db, const struct record *r,
			struct arena *a, struct pagestate **out);

/**
 * pagestate_record_load() - pagestate_record() straight from the store,
 * for a command that asks about a few records (e.g. `stale`): whether
 * monitoring found a cited page changed or broken since the review is
 * whether any result is pagestate_flagged().
 * @out: set to an array of @n states; everything is allocated from @a.
 * Returns: 0, or -1 with @err set.
 */
int pagestate_record_load(struct store *s, const struct record *r,
			  struct arena *a, struct pagestate **out, size_t *n,
			  struct buf *err);

/**
 * pagestate_last_checked() - the time of the newest attempt at any page
 * of @v (@n states), or 0 when none was ever checked.
 */
int64_t pagestate_last_checked(const struct pagestate *v, size_t n);

#endif
