/*
 * ytree.h - a YAML document as a small tree of positioned nodes.
 */
#ifndef CANCELATLAS_YTREE_H
#define CANCELATLAS_YTREE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"

enum ytree_kind {
	YTREE_SCALAR,
	YTREE_MAP,
	YTREE_SEQ,
};

/*
 * A node. Scalars hold their text (escapes resolved, NUL-terminated);
 * @is_null marks an empty or "~"/"null" plain scalar. A mapping holds its
 * pairs as @items[2i] (key, always a scalar) and @items[2i+1] (value); a
 * sequence holds its elements in @items. Everything is in the arena.
 */
struct ytree_node {
	enum ytree_kind kind;
	struct src_pos pos;
	const char *text;
	size_t len;
	bool plain;
	bool is_null;
	struct ytree_node **items;
	size_t nitems;
};

struct ytree_parser;

/**
 * ytree_parser_new() - a reusable parser. Parsing many files with one
 * parser saves setting libfyaml up for each. Not shared between threads.
 *
 * Returns: a new parser; release with ytree_parser_free().
 */
struct ytree_parser *ytree_parser_new(void);

/* ytree_parser_free() - release a parser; accepts NULL. */
void ytree_parser_free(struct ytree_parser *p);

/**
 * ytree_parser_parse() - as ytree_parse(), with a reusable parser.
 */
struct ytree_node *ytree_parser_parse(struct ytree_parser *p, const char *file,
				      const char *text, size_t len,
				      struct arena *arena, struct diag *d);

/**
 * ytree_parse() - parse one YAML document into a tree.
 * @file: the name used in diagnostics.
 * @text: the document (need not be NUL-terminated).
 * @len: its length in bytes.
 * @arena: owns every node and string of the result.
 * @d: receives every problem found (E002-E008).
 *
 * Invalid UTF-8, control characters and tabs are found before parsing, so
 * each has its exact position; anchors, aliases, explicit tags and extra
 * documents are refused, because records are plain data. Duplicate keys
 * are kept: the caller reports them with both positions.
 *
 * Returns: the root node, or NULL when the text is not a usable document.
 */
struct ytree_node *ytree_parse(const char *file, const char *text, size_t len,
			       struct arena *arena, struct diag *d);

/* ytree_kind_name() - "a mapping", "a list", "a single value". */
const char *ytree_kind_name(enum ytree_kind kind);

#endif
