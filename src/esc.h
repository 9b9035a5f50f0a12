/*
 * esc.h - escaping text for each output context: HTML/XML text and
 * attributes, CSV cells, JSON inside an HTML script element, and words of
 * the shell commands we print for people to paste.
 */
#ifndef CANCELATLAS_ESC_H
#define CANCELATLAS_ESC_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/**
 * esc_xml() - append @s as XML/HTML character data or attribute value:
 * & < > " ' become entities, and characters XML 1.0 forbids (C0 controls
 * other than tab and newlines, invalid UTF-8) become U+FFFD, so the
 * result is always well-formed in SVG, Atom and sitemaps too.
 */
bool esc_xml(struct buf *out, const char *s, size_t len);

/* esc_xml_str() - esc_xml() for a NUL-terminated string. */
bool esc_xml_str(struct buf *out, const char *s);

/**
 * esc_bidi_risky() - whether @s holds right-to-left letters or explicit
 * bidirectional controls, which can reorder the text around it when it is
 * shown inside a sentence.
 */
bool esc_bidi_risky(const char *s);

/* esc_bidi_risky_len() - esc_bidi_risky() for the first @len bytes. */
bool esc_bidi_risky_len(const char *s, size_t len);

/**
 * esc_bidi_isolate() - append @s wrapped in FIRST STRONG ISOLATE ... POP
 * DIRECTIONAL ISOLATE (U+2068 ... U+2069) when esc_bidi_risky(), else as
 * it is. An isolate ends every embedding or override opened inside it, so
 * data can never reverse the page's own words.
 */
bool esc_bidi_isolate(struct buf *out, const char *s);

/**
 * esc_csv_cell() - append @s as one RFC 4180 text cell: quoted when it
 * holds a comma, quote or line break (quotes doubled), and prefixed with
 * a single quote when it starts with = + - @ tab or carriage return, so
 * no spreadsheet treats it as a formula.
 */
bool esc_csv_cell(struct buf *out, const char *s);

/**
 * esc_json_in_script() - append JSON text safe inside <script>: < > & and
 * the line separators U+2028/U+2029 become \u escapes, so data can never
 * close the element or start markup.
 */
bool esc_json_in_script(struct buf *out, const char *json, size_t len);

/**
 * esc_shell_word() - append @s as one word of a POSIX shell command: as
 * it is when it holds only letters, digits and - _ . / : , + = @ %
 * (and does not start with =, which zsh expands), else in single quotes with
 * each quote written '\''. A pasted command then means what was printed.
 */
bool esc_shell_word(struct buf *out, const char *s);

/**
 * esc_hex_digit() - the value of one hexadecimal digit, for decoding
 * %XX escapes.
 *
 * Returns: 0-15, or -1 when @c is not a hex digit.
 */
int esc_hex_digit(int c);

#endif
