/*
 * record_field.c - the record format's fields, one row each.
 *
 * The table is the format: the order of its rows is the order records
 * write their keys (SPEC.md's example), each block's rows together, and a
 * row names the member that keeps the value, so every reader and writer
 * walks the same rows. Nothing else in the program spells a field's key;
 * code that knows a member asks for its row (record_field_at()).
 */
#include "record_field.h"
#include "method.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELD(blk, st, key, t, member, ...)                                    \
	{                                                                      \
		.name = (key), .block = RECORD_BLOCK_##blk,                    \
		.type = RECORD_FIELD_##t, .off = offsetof(st, member),         \
		__VA_ARGS__                                                    \
	}
#define TOP(...)	FIELD(RECORD, struct record, __VA_ARGS__)
#define PAUSE(...)	FIELD(PAUSE, struct record, __VA_ARGS__)
#define DELETION(...)	FIELD(DELETION, struct record, __VA_ARGS__)
#define EVIDENCE(...)	FIELD(EVIDENCE, struct evidence, __VA_ARGS__)
#define AUDIT(...)	FIELD(AUDIT, struct audit, __VA_ARGS__)
#define AUDIT_FILE(...) FIELD(AUDIT_FILE, struct audit_file, __VA_ARGS__)

/* SPEC "Ranges": text is at most 2,000 characters, a summary 4,000. */
#define SUMMARY_CHARS 4000

static const struct record_field fields[] = {
	TOP("id", TEXT, id, .required = true, .check = RECORD_CHECK_ID,
	    .flags = RECORD_FIELD_NOT_A_FACT),
	TOP("name", TEXT, name, .required = true,
	    .hint = "The service's own name, as its pages write it."),
	TOP("industry", TEXT, industry, .required = true,
	    .check = RECORD_CHECK_INDUSTRY,
	    .hint = "One `name` from industries.yaml, e.g. Streaming."),
	TOP("jurisdiction", TEXT, jurisdiction, .required = true,
	    .check = RECORD_CHECK_JURISDICTION,
	    .hint = "Where the record applies: US, UK, EU, an ISO 3166-1 "
		    "code (DE, FR) or a subdivision (US-CA)."),
	TOP("reviewed", DATE, reviewed, .required = true,
	    .check = RECORD_CHECK_PAST,
	    .hint = "The day the evidence was last checked."),
	TOP("fictional", BOOL, fictional, .required = false,
	    .flags = RECORD_FIELD_NOT_A_FACT),
	TOP("channels", CHANNELS, channels, .required = true,
	    .pos = offsetof(struct record, channels_pos),
	    .count = offsetof(struct record, nchannels),
	    .if_empty = "`channels` lists no channel; name at least one",
	    .hint = "How a customer can cancel, one or more of:"),
	TOP("summary", TEXT, summary, .required = true,
	    .flags = RECORD_FIELD_PARAGRAPH, .max_chars = SUMMARY_CHARS,
	    .hint = "A short plain paragraph: how to cancel, when it takes "
		    "effect, what happens to billing and refunds. Write it as "
		    "`summary: >` and indent the lines below it if it is "
		    "long."),
	TOP("official_page", TEXT, official_page, .required = true,
	    .check = RECORD_CHECK_URL,
	    .hint = "The URL of the official page the policy rests on."),
	TOP("refund_page", TEXT, refund_page, .required = false,
	    .check = RECORD_CHECK_URL,
	    .hint = "Optional: the URL of the refund terms. Delete the line if "
		    "there is none."),
	TOP("exit_fee", BOOL, exit_fee, .required = false,
	    .hint = "true when the policy states an early-termination fee, a "
		    "minimum term or a charge for the remaining term (this "
		    "caps the grade at B); else false."),
	TOP("pause", MAPPING, pause_offered, .required = true,
	    .holds = RECORD_BLOCK_PAUSE),
	TOP("deletion", MAPPING, deletion_note, .required = true,
	    .holds = RECORD_BLOCK_DELETION),
	TOP("policy", LEVELS, policy, .required = true,
	    .pos = offsetof(struct record, policy_pos)),
	TOP("why", REASONS, why, .required = false,
	    .pos = offsetof(struct record, why_pos),
	    .hint = "One line for every level below 100 saying which fact "
		    "cost the points. Delete the line of each level at 100, "
		    "and `why:` itself if all are."),
	TOP("evidence", LIST, evidence, .required = true,
	    .holds = RECORD_BLOCK_EVIDENCE,
	    .item_size = sizeof(struct evidence),
	    .count = offsetof(struct record, nevidence),
	    .pos = offsetof(struct record, evidence_pos),
	    .if_empty = "`evidence` is empty; cite at least one source",
	    .hint = "Every page the facts come from, at least one. For "
		    "findability 100, also cite the page that links to the "
		    "cancel page. `accessed` is the day the page was read, not "
		    "after `reviewed`."),
	TOP("flow", LIST, flow, .required = false, .holds = RECORD_BLOCK_AUDIT,
	    .item_size = sizeof(struct audit),
	    .count = offsetof(struct record, nflow)),

	PAUSE("offered", BOOL, pause_offered, .required = true,
	      .hint = "true or false: whether a pause or freeze is offered "
		      "instead of cancelling."),
	PAUSE("note", TEXT, pause_note, .required = true,
	      .flags = RECORD_FIELD_PARAGRAPH,
	      .hint = "What the policy says about pausing, or that it says "
		      "nothing."),

	DELETION("note", TEXT, deletion_note, .required = true,
		 .flags = RECORD_FIELD_PARAGRAPH,
		 .hint = "How to delete the account and its data."),
	DELETION("url", TEXT, deletion_url, .required = false,
		 .check = RECORD_CHECK_URL,
		 .hint = "Optional: the URL of the deletion or privacy page. "
			 "Delete the line if there is none."),

	EVIDENCE("title", TEXT, title, .required = true),
	EVIDENCE("url", TEXT, url, .required = true, .check = RECORD_CHECK_URL),
	EVIDENCE("accessed", DATE, accessed, .required = true,
		 .check = RECORD_CHECK_PAST),

	AUDIT("date", DATE, date, .required = true, .check = RECORD_CHECK_PAST),
	AUDIT("tier", TIER, tier, .required = true,
	      .pos = offsetof(struct audit, tier_pos)),
	AUDIT("signup_channel", CHANNEL, signup_channel, .required = true,
	      .pos = offsetof(struct audit, signup_pos),
	      .hint = "a channel, as above"),
	AUDIT("online_path", BOOL, online_path, .required = true,
	      .example = "true",
	      .hint = "a cancel path online in the sign-up channel"),
	AUDIT("steps", NUMBER, steps, .required = true, .min = 1, .max = 200,
	      .decimals = 0, .example = "2",
	      .hint = "from a published entry point"),
	AUDIT("path", TEXT_LIST, path, .required = false,
	      .pos = offsetof(struct audit, path_pos),
	      .count = offsetof(struct audit, npath),
	      .example = "Sign in and open Account > Membership\n"
			 "Choose Cancel and confirm",
	      .hint = "optional; one line per step"),
	AUDIT("retention", TEXT, retention, .required = true,
	      .check = RECORD_CHECK_KEYWORD),
	AUDIT("channel_symmetry", BOOL, channel_symmetry, .required = true,
	      .example = "true", .hint = "cancelled in the sign-up channel"),
	AUDIT("confirmation", TEXT, confirmation, .required = true,
	      .check = RECORD_CHECK_KEYWORD),
	AUDIT("minutes", NUMBER, minutes, .required = true, .min = 0,
	      .max = 1440, .decimals = 1, .example = "1.5"),
	AUDIT("clean_exit", BOOL, clean_exit, .required = true,
	      .example = "true",
	      .hint = "no charge after, access as documented"),
	AUDIT("notes", TEXT, notes, .required = false,
	      .flags = RECORD_FIELD_PARAGRAPH),
	AUDIT("evidence", LIST, evidence, .required = true,
	      .holds = RECORD_BLOCK_AUDIT_FILE,
	      .item_size = sizeof(struct audit_file),
	      .count = offsetof(struct audit, nevidence),
	      .if_empty = "the audit's `evidence` is empty; list the recording "
			  "or screenshots"),
#ifdef RECORD_TEST_EXTRA_FIELD
	AUDIT("witnessed", BOOL, witnessed, .required = false),
#endif

	AUDIT_FILE("title", TEXT, title, .required = true,
		   .example = "Screen recording of the cancel flow"),
	AUDIT_FILE("file", TEXT, file, .required = true,
		   .check = RECORD_CHECK_DATA_PATH),
	AUDIT_FILE("sha256", TEXT, sha256, .required = true,
		   .check = RECORD_CHECK_SHA256,
		   .example = "the file's SHA-256, 64 hex digits"),
};

const struct record_field *record_field_group(const struct record_field *table,
					      size_t n, unsigned block,
					      size_t *count)
{
	size_t first = 0;
	while (first < n && table[first].block != block)
		first++;
	size_t end = first;
	while (end < n && table[end].block == block)
		end++;
	*count = end - first;
	return table + first;
}

const struct record_field *record_fields_all(size_t *n)
{
	*n = ATLAS_COUNT(fields);
	return fields;
}

const struct record_field *record_fields_in(enum record_block block, size_t *n)
{
	return record_field_group(fields, ATLAS_COUNT(fields), block, n);
}

const struct record_field *record_field_find(enum record_block block,
					     const char *name)
{
	size_t n;
	const struct record_field *f = record_fields_in(block, &n);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(f[i].name, name))
			return &f[i];
	return NULL;
}

const struct record_field *record_field_at(enum record_block block, size_t off)
{
	size_t n;
	const struct record_field *f = record_fields_in(block, &n);
	for (size_t i = 0; i < n; i++)
		if (f[i].off == off)
			return &f[i];
	return NULL;
}

const char *record_field_name(enum record_block block, size_t off)
{
	const struct record_field *f = record_field_at(block, off);
	if (!f) {
		/* A member without a row: the table and the code disagree. */
		fprintf(stderr,
			"cancelatlas: the record format has no field at offset "
			"%zu of block %d\n",
			off, (int)block);
		abort();
	}
	return f->name;
}

const struct method_dim *record_field_scored_by(const struct method *m,
						const char *name)
{
	for (size_t i = 0; i < m->flow.ndims; i++)
		if (m->flow.dims[i].field &&
		    !strcmp(m->flow.dims[i].field, name))
			return &m->flow.dims[i];
	return NULL;
}

/* The member of @f in @base, of type @type. */
#define MEMBER(type, f, base)                                                  \
	((const type *)(const void *)((const char *)(base) + (f)->off))

size_t record_field_count(const struct record_field *f, const void *base)
{
	return f->count ? *(const size_t *)(const void *)((const char *)base +
							  f->count)
			: 0;
}

const void *record_field_item(const struct record_field *f, const void *base,
			      size_t i)
{
	const char *items = *MEMBER(char *, f, base);
	return items + i * f->item_size;
}

static size_t policy_dims(void)
{
	return method_current()->policy.ndims;
}

bool record_field_present(const struct record_field *f, const void *base)
{
	switch (f->type) {
	case RECORD_FIELD_TEXT:
		return MEMBER(struct text, f, base)->s != NULL;
	case RECORD_FIELD_DATE:
		return MEMBER(struct date_value, f, base)->set;
	case RECORD_FIELD_BOOL:
		return MEMBER(struct flag, f, base)->set;
	case RECORD_FIELD_NUMBER:
		return MEMBER(struct number, f, base)->set;
	case RECORD_FIELD_CHANNEL:
	case RECORD_FIELD_TIER:
		return true;
	case RECORD_FIELD_CHANNELS:
	case RECORD_FIELD_TEXT_LIST:
	case RECORD_FIELD_LIST:
		return record_field_count(f, base) > 0;
	case RECORD_FIELD_LEVELS:
		for (size_t i = 0; i < policy_dims(); i++)
			if (MEMBER(struct number, f, base)[i].set)
				return true;
		return false;
	case RECORD_FIELD_REASONS:
		for (size_t i = 0; i < policy_dims(); i++)
			if (MEMBER(struct text, f, base)[i].s)
				return true;
		return false;
	case RECORD_FIELD_MAPPING: {
		size_t n;
		const struct record_field *sub = record_fields_in(f->holds, &n);
		for (size_t i = 0; i < n; i++)
			if (record_field_present(&sub[i], base))
				return true;
		return false;
	}
	}
	return false;
}

struct src_pos record_field_pos(const struct record_field *f, const void *base)
{
	static const struct src_pos none = { 0, 0 };
	switch (f->type) {
	case RECORD_FIELD_TEXT:
		return MEMBER(struct text, f, base)->pos;
	case RECORD_FIELD_DATE:
		return MEMBER(struct date_value, f, base)->pos;
	case RECORD_FIELD_BOOL:
		return MEMBER(struct flag, f, base)->pos;
	case RECORD_FIELD_NUMBER:
		return MEMBER(struct number, f, base)->pos;
	case RECORD_FIELD_REASONS:
		/* The first reason; the key when there is none. */
		for (size_t i = 0; i < policy_dims(); i++)
			if (MEMBER(struct text, f, base)[i].s)
				return MEMBER(struct text, f, base)[i].pos;
		break;
	case RECORD_FIELD_MAPPING: {
		size_t n;
		const struct record_field *sub = record_fields_in(f->holds, &n);
		for (size_t i = 0; i < n; i++) {
			struct src_pos p = record_field_pos(&sub[i], base);
			if (p.line)
				return p;
		}
		return none;
	}
	case RECORD_FIELD_LIST:
		if (!f->pos && record_field_count(f, base))
			/* Every list item struct starts with its position. */
			return *(const struct src_pos *)record_field_item(
				f, base, 0);
		break;
	case RECORD_FIELD_CHANNEL:
	case RECORD_FIELD_TIER:
	case RECORD_FIELD_CHANNELS:
	case RECORD_FIELD_TEXT_LIST:
	case RECORD_FIELD_LEVELS:
		break;
	}
	if (!f->pos)
		return none;
	return *(const struct src_pos *)(const void *)((const char *)base +
						       f->pos);
}
