/*
 * textwidth.h - how wide a line of text will be in an SVG, measured with
 * the advance widths of DejaVu Sans, so badges and charts can choose a
 * font size that fits, or cut a label short, before any browser sees it.
 */
#ifndef CANCELATLAS_TEXTWIDTH_H
#define CANCELATLAS_TEXTWIDTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The font units the advance widths are given in (DejaVu Sans's em). */
#define TEXTWIDTH_UNITS_PER_EM 2048

/*
 * The font-family every SVG names: the measured font first, then faces
 * with close metrics, and no web font to fetch.
 */
#define TEXTWIDTH_FONT_FAMILY "DejaVu Sans,Verdana,Geneva,sans-serif"

/* The ellipsis a truncated label ends with (U+2026). */
#define TEXTWIDTH_ELLIPSIS "\xe2\x80\xa6"

enum textwidth_weight {
	TEXTWIDTH_REGULAR,
	TEXTWIDTH_BOLD, /* font-weight="bold" */
};

/**
 * textwidth_advance() - the advance width of one code point.
 * @cp: the code point.
 * @weight: regular or bold.
 *
 * Basic Latin, Latin-1, Latin Extended-A, Greek, Cyrillic and General
 * Punctuation come from the font's own table; combining marks and format
 * characters are 0; East Asian wide characters are one em and emoji a
 * little more; anything else gets a default a little wider than an
 * average letter, so estimates err towards too wide.
 *
 * Returns: the width in font units (TEXTWIDTH_UNITS_PER_EM per em).
 */
unsigned textwidth_advance(uint32_t cp, enum textwidth_weight weight);

/**
 * textwidth_units() - the advance width of @len bytes of UTF-8 text.
 * @s: the text; invalid bytes count as U+FFFD, as esc_xml() writes them.
 * @len: its length in bytes.
 * @weight: regular or bold.
 *
 * Returns: the sum of the advances, in font units.
 */
unsigned long textwidth_units(const char *s, size_t len,
			      enum textwidth_weight weight);

/**
 * textwidth_measure() - the width of @s set at font size @size.
 *
 * Returns: the width in the same user units as @size.
 */
double textwidth_measure(const char *s, size_t len, double size,
			 enum textwidth_weight weight);

/**
 * textwidth_fit() - the largest font size, from @max down to @min in steps
 * of 0.5, at which @s is no wider than @width.
 *
 * Returns: that size, or @min when even @min is too wide; the caller then
 * truncates the text or, as a last resort, squeezes it with textLength.
 */
double textwidth_fit(const char *s, size_t len, double width, double max,
		     double min, enum textwidth_weight weight);

/**
 * textwidth_truncate() - how much of @s fits in @width at @size when it is
 * cut short and followed by TEXTWIDTH_ELLIPSIS.
 * @s: the text, UTF-8.
 * @len: its length in bytes.
 * @width: the room, in user units.
 * @size: the font size.
 * @weight: regular or bold.
 *
 * The cut falls between code points, never before a combining mark, and
 * drops spaces that would end up before the ellipsis.
 *
 * Returns: @len when all of @s fits without an ellipsis; otherwise the
 * number of leading bytes to keep (possibly 0) before the ellipsis.
 */
size_t textwidth_truncate(const char *s, size_t len, double width, double size,
			  enum textwidth_weight weight);

#endif
