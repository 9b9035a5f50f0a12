/*
 * gentext.h - the facts of a fictional record, as the generator draws
 * them, and the words it is written in: summary, reasons, notes, steps,
 * pages. The facts decide what a record says; these functions only word
 * it, so the same facts always read the same.
 */
#ifndef CANCELATLAS_GENTEXT_H
#define CANCELATLAS_GENTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "date.h"
#include "record.h"
#include "yaml_load.h"

/* How a kind of business sells and words its subscriptions. */
struct gen_trade {
	const char *slug;
	const char *noun;	  /* what a customer cancels */
	const char *venue;	  /* where a visit happens; NULL when nowhere */
	const char *const *words; /* second words of invented names */
	size_t nwords;
	unsigned app;	/* per mille: sold in an app */
	unsigned fee;	/* per mille: an exit fee, where the grade allows */
	unsigned pause; /* per mille: a pause is offered */
};

/* A jurisdiction, how often it occurs, and what its law adds. */
struct gen_place {
	const char *code;
	unsigned weight; /* per mille of records */
	const char *law; /* a statutory right a refund page should name */
	const char *money_pre, *money_post;
	int money_scale;
};

/* The policy dimensions a record is generated for, by id in gen.c. */
enum gen_dim {
	GEN_CANCEL,
	GEN_CHANNEL,
	GEN_NOTICE,
	GEN_REFUND,
	GEN_FIND,
	GEN_NDIMS,
};

/* What makes a published self-serve path less than frictionless. */
enum gen_friction {
	GEN_FR_NONE,
	GEN_FR_RETENTION,  /* an offer before the cancel control */
	GEN_FR_STORE,	   /* app-store plans are cancelled in the store */
	GEN_FR_SURFACE,	   /* the web cancels, the app does not */
	GEN_FR_SUPPORT,	   /* only support can cancel early in the term */
	GEN_FR_PARTIAL,	   /* some customers cannot cancel online */
	GEN_FR_STORE_ONLY, /* self-serve only through an app store */
};

/* What an audit found. */
enum gen_flow_kind {
	GEN_FLOW_SMOOTH,
	GEN_FLOW_FRICTION,
	GEN_FLOW_DARK_CHAT,  /* an online path that ends with an agent */
	GEN_FLOW_DARK_PHONE, /* the online path leads to a phone number */
	GEN_FLOW_OFFLINE,    /* no self-serve path, as the policy says */
	GEN_FLOW_HIDDEN,     /* an online path the policy does not mention */
};

/* The retention and confirmation keywords, by index. */
enum { GEN_RET_NONE, GEN_RET_SKIPPABLE, GEN_RET_OFFER, GEN_RET_AGENT };
enum { GEN_CONF_IMMEDIATE, GEN_CONF_SAME_DAY, GEN_CONF_LATER, GEN_CONF_NONE };

/* One audit's facts. */
struct gen_audit {
	date_days date;
	enum gen_flow_kind kind;
	enum audit_tier tier;
	enum channel signup;
	bool online_path, symmetry, clean;
	int steps, retention, confirmation;
	int tenths; /* minutes, in tenths */
	bool path, notes, shot;
};

/* One record's facts. */
struct gen_rec {
	char name[64];
	char slug[64];
	char id[96];
	const struct industry *ind;
	const struct gen_trade *tr;
	const struct gen_place *pl;
	date_days reviewed;
	int lv[GEN_NDIMS];
	char grade;
	bool fee;
	bool ch[CHANNEL_COUNT];
	enum channel offline; /* how customers without self-serve cancel */
	enum gen_friction friction;
	const char *menu, *app_menu, *partial, *offer;
	int notice_way, refund_days, support_days, pause_len, deletion;
	bool fee_term;
	int fee_months, fee_amount;
	bool refund_page, pause, terms_cited, faq, linker_help;
	struct gen_audit audits[2];
	size_t naudits;
};

/* gentext_summary() - append the record's summary to @t. */
void gentext_summary(struct buf *t, const struct gen_rec *r);

/* gentext_reason() - append why dimension @dim lost points (its level is
 * below 100) to @t. */
void gentext_reason(struct buf *t, const struct gen_rec *r, enum gen_dim dim);

/* gentext_official_is_terms() - whether the policy rests on the general
 * terms of service. */
bool gentext_official_is_terms(const struct gen_rec *r);

/**
 * gentext_official_page() - the page the policy rests on.
 * @title: receives its title.
 *
 * Returns: its path under the record's example.com folder.
 */
const char *gentext_official_page(const struct gen_rec *r, char *title,
				  size_t size);

/**
 * gentext_audit_path() - short descriptions of each step an auditor
 * took, @a->steps of them, into @out (at most @max); @first and @last
 * hold the words of the first and last step.
 *
 * Returns: the number of steps, or 0 when they cannot be told.
 */
size_t gentext_audit_path(const struct gen_rec *r, const struct gen_audit *a,
			  const char **out, size_t max, char *first,
			  size_t size, char *last, size_t lsize);

/* gentext_audit_notes() - append what the auditor noted to @t. */
void gentext_audit_notes(struct buf *t, const struct gen_rec *r,
			 const struct gen_audit *a);

/* gentext_pause_note() - append what the policy says of pausing to @t. */
void gentext_pause_note(struct buf *t, const struct gen_rec *r);

/* gentext_deletion_note() - how the account is deleted. */
const char *gentext_deletion_note(const struct gen_rec *r);

#endif
