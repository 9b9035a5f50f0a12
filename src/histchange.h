/*
 * histchange.h - what changed between two versions of a record, in words
 * and numbers: "79 → 72 (B → B): refund_disclosed 100 → 50".
 */
#ifndef CANCELATLAS_HISTCHANGE_H
#define CANCELATLAS_HISTCHANGE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "date.h"
#include "method.h"
#include "record.h"
#include "score.h"

/* The kinds of change, in the order a version lists them. */
enum histchange_kind {
	HISTCHANGE_METHODOLOGY, /* the methodology in force changed */
	HISTCHANGE_CREATED,	/* the record's first version */
	HISTCHANGE_RENAMED,	/* its file (and id) had another name */
	HISTCHANGE_SCORE,	/* a tier's score, grade or levels */
	HISTCHANGE_EVIDENCE_ADDED,
	HISTCHANGE_EVIDENCE_REMOVED,
	HISTCHANGE_REVIEWED, /* the review date moved */
	HISTCHANGE_FACT,     /* any other published fact */
	HISTCHANGE_KIND_COUNT,
};

/*
 * One change. @field names what changed ("policy", "flow", "reviewed",
 * "official_page", "evidence", "id", "methodology"); @from and @to are
 * its values before and after as text, NULL where there was none; @text
 * says it all for a reader.
 */
struct histchange {
	enum histchange_kind kind; /* a score, a fact, or the methodology */
	const char *field;
	const char *from;
	const char *to;
	const char *text;
};

/* A growing list of changes; its strings live in the arena it is given. */
struct histchange_list {
	struct histchange *v;
	size_t n, cap;
};

/*
 * What a version of a record says, as far as its history reports it:
 * the published facts and its scores under one methodology. @problem is
 * set instead when the version did not load.
 */
struct histchange_facts;

/**
 * histchange_facts_new() - the facts of a loaded record, scored with @m.
 *
 * Returns: a new snapshot (it keeps nothing of @r); caller frees with
 * histchange_facts_free().
 */
struct histchange_facts *histchange_facts_new(const struct method *m,
					      const struct record *r);

/**
 * histchange_facts_broken() - a version that did not load.
 * @problem: why, one line (copied).
 *
 * Returns: a new snapshot; caller frees with histchange_facts_free().
 */
struct histchange_facts *histchange_facts_broken(const char *problem);

/* histchange_facts_free() - release @f; accepts NULL. */
void histchange_facts_free(struct histchange_facts *f);

/* histchange_facts_problem() - why the version did not load, or NULL. */
const char *histchange_facts_problem(const struct histchange_facts *f);

/* histchange_facts_policy() - the policy score of a loaded version. */
const struct score_result *
histchange_facts_policy(const struct histchange_facts *f);

/* histchange_facts_flow() - its newest audit's score, or NULL. */
const struct score_result *
histchange_facts_flow(const struct histchange_facts *f);

/**
 * histchange_compare() - append to @out what changed from @old to @new,
 * both loaded: the policy and flow scores with the levels that moved,
 * evidence added and removed (an item is its URL and title), the review
 * date, then the other facts. Audit dates, `why` reasons and the evidence's
 * accessed dates are not reported: they explain or date facts, and the
 * review date says when they were checked.
 * @a: owns the strings of the changes.
 */
void histchange_compare(const struct histchange_facts *old,
			const struct histchange_facts *new,
			struct histchange_list *out, struct arena *a);

/**
 * histchange_created() - append the change of a record's first version:
 * "created: 79/100 (B)", with the flow score when it has one.
 */
void histchange_created(const struct histchange_facts *f,
			struct histchange_list *out, struct arena *a);

/**
 * histchange_add() - append a change; @field, @from, @to and @text are
 * copied into @a (@from and @to may be NULL).
 */
void histchange_add(struct histchange_list *out, struct arena *a,
		    enum histchange_kind kind, const char *field,
		    const char *from, const char *to, const char *text);

/* histchange_list_free() - release the list's array; accepts empty. */
void histchange_list_free(struct histchange_list *l);

/* histchange_kind_id() - "score", "evidence_added", ...: a static string. */
const char *histchange_kind_id(enum histchange_kind kind);

/**
 * histchange_kind_parse() - the kind @id names.
 *
 * Returns: the kind, or -1.
 */
int histchange_kind_parse(const char *id);

#endif
