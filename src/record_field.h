/*
 * record_field.h - the record format as one table of fields.
 *
 * Each row is one key of a record file: its name, the block it sits in,
 * its type and range, whether it is required, what the checker asks of it
 * and where its value is kept in struct record (or in the struct of a list
 * item). The loader, the checker, the writer, the skeleton, the write API,
 * the editors' commands, the scorer and the JSON Schema all read this
 * table, so a field is added by adding its row (and the member that holds
 * it).
 */
#ifndef CANCELATLAS_RECORD_FIELD_H
#define CANCELATLAS_RECORD_FIELD_H

#include <stdbool.h>
#include <stddef.h>

#include "record.h"

/* Where a field sits: the mapping whose key it is. */
enum record_block {
	RECORD_BLOCK_RECORD,	 /* the top level: struct record */
	RECORD_BLOCK_PAUSE,	 /* `pause:`, kept in struct record */
	RECORD_BLOCK_DELETION,	 /* `deletion:`, kept in struct record */
	RECORD_BLOCK_EVIDENCE,	 /* an item of `evidence`: struct evidence */
	RECORD_BLOCK_AUDIT,	 /* an item of `flow`: struct audit */
	RECORD_BLOCK_AUDIT_FILE, /* an item of an audit's `evidence`:
				    struct audit_file */
	RECORD_BLOCK_COUNT,
};

/* What a field's value is, and the member type that holds it. */
enum record_field_type {
	RECORD_FIELD_TEXT,	/* struct text */
	RECORD_FIELD_DATE,	/* struct date_value, YYYY-MM-DD */
	RECORD_FIELD_BOOL,	/* struct flag */
	RECORD_FIELD_NUMBER,	/* struct number, from @min to @max */
	RECORD_FIELD_CHANNEL,	/* enum channel; where, at @pos once read */
	RECORD_FIELD_TIER,	/* enum audit_tier; where, at @pos */
	RECORD_FIELD_CHANNELS,	/* the record's channel list (channels,
				   channel_pos, @count; where, at @pos) */
	RECORD_FIELD_TEXT_LIST, /* struct text *, @count; where, at @pos */
	RECORD_FIELD_LEVELS,	/* a struct number per policy dimension */
	RECORD_FIELD_REASONS,	/* a struct text per policy dimension;
				   where the key is, at @pos */
	RECORD_FIELD_MAPPING,	/* the fields of block @holds, kept in the
				   same struct as this one */
	RECORD_FIELD_LIST,	/* a list of mappings of block @holds: an
				   array of @item_size at @off, @count;
				   where the key is, at @pos */
};

/* What the checker asks of a value beyond its type. */
enum record_field_check {
	RECORD_CHECK_NONE,
	RECORD_CHECK_ID,	   /* a slug: the file's name, with the
				      jurisdiction's suffix */
	RECORD_CHECK_INDUSTRY,	   /* a name in industries.yaml */
	RECORD_CHECK_JURISDICTION, /* an ISO 3166 code, UK or EU */
	RECORD_CHECK_URL,	   /* an absolute http(s) URL */
	RECORD_CHECK_PAST,	   /* a date not after today */
	RECORD_CHECK_KEYWORD,	   /* a keyword of the flow dimension that
				      reads the field */
	RECORD_CHECK_SHA256,	   /* 64 hexadecimal digits */
	RECORD_CHECK_DATA_PATH,	   /* a path inside the data folder */
};

/* A text that may run over lines (the summary, notes). */
#define RECORD_FIELD_PARAGRAPH (1u << 0)
/* Not a fact a correction can dispute, nor one a skeleton asks for: the
 * id (the file's name) and `fictional`. */
#define RECORD_FIELD_NOT_A_FACT (1u << 1)

/*
 * One field. Offsets are into the struct of @block (struct record for the
 * top level, `pause` and `deletion`); an offset of 0 in @pos or @count
 * means there is none.
 */
struct record_field {
	const char *name;
	unsigned block; /* an enum record_block (another table's own) */
	enum record_field_type type;
	enum record_field_check check;
	bool required;
	unsigned flags;
	size_t off;	      /* the value */
	size_t pos;	      /* a struct src_pos: where a value without its
				 own position is (see the types) */
	size_t count;	      /* a size_t: the items of a list */
	unsigned holds;	      /* MAPPING, LIST: the block inside */
	size_t item_size;     /* LIST: the size of one item */
	double min, max;      /* NUMBER: the range */
	int decimals;	      /* NUMBER: digits after the point, at most */
	size_t max_chars;     /* TEXT, TEXT_LIST: the longest text */
	const char *if_empty; /* LIST: the problem of an empty list; NULL
				 when a list may be empty */
	/* `cancelatlas new`: the comment above the field; in the commented
	 * example of an optional list, the comment after its value */
	const char *hint;
	const char *example; /* that example's value; lines of a list */
};

/* The most fields a block may have (the loader keeps one slot each). */
#define RECORD_FIELDS_PER_BLOCK 32

/**
 * record_fields_all() - the whole table: every block's rows together, the
 * record's top level first.
 * @n: set to the number of rows.
 */
const struct record_field *record_fields_all(size_t *n);

/**
 * record_fields_in() - the fields of @block, in the order records write
 * them (SPEC.md's example).
 * @n: set to their number.
 *
 * Returns: a static array.
 */
const struct record_field *record_fields_in(enum record_block block, size_t *n);

/**
 * record_field_find() - the field of @block named @name.
 *
 * Returns: the field, or NULL when @block has none of that name.
 */
const struct record_field *record_field_find(enum record_block block,
					     const char *name);

/**
 * record_field_at() - the field of @block kept at offset @off of its
 * struct, for code that knows the member: record_field_at(
 * RECORD_BLOCK_AUDIT, offsetof(struct audit, steps))->name is "steps".
 *
 * Returns: the field, or NULL.
 */
const struct record_field *record_field_at(enum record_block block, size_t off);

/* RECORD_FIELD_NAME() - the key of member @member of struct @type. */
#define RECORD_FIELD_NAME(block, type, member)                                 \
	record_field_name((block), offsetof(type, member))

/* record_field_name() - record_field_at()'s name; aborts when none. */
const char *record_field_name(enum record_block block, size_t off);

/**
 * record_field_scored_by() - the flow dimension of @m that reads the audit
 * field named @name (the keyword of `retention`, the count of `steps`).
 *
 * Returns: the dimension, or NULL when none reads it.
 */
const struct method_dim *record_field_scored_by(const struct method *m,
						const char *name);

/**
 * record_field_group() - in @table (@n rows, each block's rows together),
 * the rows of block @block. Tables other than the record's (site.yaml,
 * industries.yaml) are read by the same loader with blocks of their own.
 * @count: set to their number (0 when there are none).
 */
const struct record_field *record_field_group(const struct record_field *table,
					      size_t n, unsigned block,
					      size_t *count);

/**
 * record_field_present() - whether @base (the struct of @f's block) holds
 * a value for @f: a text, a set date, flag or number, a list with items,
 * a mapping with any field present. A channel and a tier always are.
 */
bool record_field_present(const struct record_field *f, const void *base);

/**
 * record_field_pos() - where @f's value is in the file @base was read
 * from: the value's own position, the first reason of `why`, the first
 * present field of a mapping, the first item of a list without a
 * position of its own.
 *
 * Returns: the position; line 0 when it has none (the field is absent,
 * or its value could not be read).
 */
struct src_pos record_field_pos(const struct record_field *f, const void *base);

/**
 * record_field_item() - item @i of list field @f in @base.
 */
const void *record_field_item(const struct record_field *f, const void *base,
			      size_t i);

/* record_field_count() - the number of items of list field @f. */
size_t record_field_count(const struct record_field *f, const void *base);

#endif
