/*
 * record_yaml.h - the one writer of YAML: a struct record as a record
 * file, a `flow:` entry, and the pieces skeletons and other data files are
 * written with.
 */
#ifndef CANCELATLAS_RECORD_YAML_H
#define CANCELATLAS_RECORD_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "record.h"

/* Lines are kept to this many columns where the text allows a break. */
#define RECORD_YAML_WIDTH 78

/**
 * record_yaml_write() - append @r to @out as YAML in the record format's
 * canonical field order (the order of SPEC.md's example, which is the
 * order of the table of fields, record_field.h).
 * @out: the buffer to append to.
 * @r: the record; borrowed. Absent fields (NULL text, unset flag, number
 *     or date) are left out, so what was read is what is written.
 *
 * Every text is written so that yaml_load_record() reads back exactly the
 * same bytes (less trailing white space, which the loader always drops):
 * plain when that is unambiguous, folded (`>`) for long prose, otherwise
 * double-quoted with escapes. Characters that would be invisible or
 * reorder text in an editor (bidi controls, zero-width marks, line and
 * paragraph separators, controls) are always escaped.
 *
 * Returns: false when @out's limit is reached or a value cannot be written
 * faithfully (a text that is not valid UTF-8, a number that is not
 * finite); @out then holds a partial record.
 */
bool record_yaml_write(struct buf *out, const struct record *r);

/**
 * record_yaml_write_audit() - append @a as one item of a record's `flow:`
 * list ("  - date: ..."), as record_yaml_write() writes it.
 *
 * Returns: as record_yaml_write().
 */
bool record_yaml_write_audit(struct buf *out, const struct audit *a);

/**
 * record_yaml_needs_escape() - whether the writer escapes code point @cp:
 * controls, C1 controls, bidi controls, zero-width marks, line and
 * paragraph separators, byte order marks and non-characters. Anything
 * printing user text where an editor reads it can use it to the same end.
 */
bool record_yaml_needs_escape(uint32_t cp);

/**
 * record_yaml_put_text() - append one `KEY: TEXT` line (or a folded or
 * quoted block over several lines) as record_yaml_write() does.
 * @out: the buffer to append to.
 * @lead: what precedes the key on its line: spaces, or spaces and "- "
 *        for the first key of a list item.
 * @key: the key, or NULL to write a bare list item (then @lead ends in
 *       "- ").
 * @s: the text; need not be NUL-terminated.
 * @len: its length in bytes.
 *
 * Returns: false when @out's limit is reached or @s is not valid UTF-8.
 */
bool record_yaml_put_text(struct buf *out, const char *lead, const char *key,
			  const char *s, size_t len);

/**
 * record_yaml_put_value() - append `@lead@key: @value  # @comment`, the
 * value written as given (a placeholder, an example, a flow list).
 * @value: YAML as it is to appear, or NULL for a key whose value is on
 *         the lines below.
 * @comment: a comment after the value, or NULL.
 *
 * Returns: false when @out's limit is reached.
 */
bool record_yaml_put_value(struct buf *out, const char *lead, const char *key,
			   const char *value, const char *comment);

/**
 * record_yaml_put_comment() - append @text as comment lines: @indent
 * spaces and "# ", then the words, as many as fit in RECORD_YAML_WIDTH
 * columns. @lead starts the first line after "# " and as many spaces
 * start the others, a hanging indent ("100  " before a level's text);
 * with an empty @text it is the one line.
 *
 * Returns: false when @out's limit is reached.
 */
bool record_yaml_put_comment(struct buf *out, size_t indent, const char *lead,
			     const char *text);

#endif
