/*
 * badge.h - the embeddable grade badge (/share/badges/<id>.svg) and the
 * HTML snippet record pages offer for embedding it.
 */
#ifndef CANCELATLAS_BADGE_H
#define CANCELATLAS_BADGE_H

#include <stdbool.h>

#include "buf.h"
#include "catalog.h"
#include "method.h"
#include "siteinfo.h"

/* The badge's fixed size in CSS pixels, as the embed snippet states it. */
#define BADGE_WIDTH  232
#define BADGE_HEIGHT 52

/**
 * badge_svg() - append the badge of a scored record as a standalone SVG
 * document: the site's name over the company name over the month of the
 * review ("reviewed Jan 2025"), then the headline
 * grade letter and, beside it, the score ("79/100") over the jurisdiction
 * ("US"), on the grade's colour from the methodology table.
 * @out: where to append.
 * @site: the site: its name, and the record page's URL in the description.
 * @m: the methodology the entry was scored with (its grade colours).
 * @e: the entry; borrowed.
 *
 * Every text is measured (textwidth.h) and set at a size that fits its
 * box; a name too long even at the smallest size is cut with an ellipsis
 * and stays whole in the <title>. Text is white on the grade colour when
 * that meets WCAG AA (4.5:1), dark (or black) otherwise.
 *
 * Returns: false only when @out's limit is reached.
 */
bool badge_svg(struct buf *out, const struct site_info *site,
	       const struct method *m, const struct entry *e);

/**
 * badge_embed_html() - append the embed code for a record's badge:
 * <a href="BASE/c/<id>"><img src="BASE/share/badges/<id>.svg"
 * alt="NAME - Grade B" width="232" height="52"></a>, on one line, every
 * attribute value escaped. Pages show it as text for copying, so they
 * escape it once more.
 * @out: where to append.
 * @site: the site's base URL and name.
 * @e: the entry; borrowed.
 *
 * Returns: false only when @out's limit is reached.
 */
bool badge_embed_html(struct buf *out, const struct site_info *site,
		      const struct entry *e);

#endif
