/*
 * card.h - share images: the PNG a link to a page shows when it is shared
 * (Open Graph and Twitter cards), one per record and one for the site.
 */
#ifndef CANCELATLAS_CARD_H
#define CANCELATLAS_CARD_H

#include <stdbool.h>

#include "buf.h"
#include "catalog.h"

#define CARD_WIDTH  1200
#define CARD_HEIGHT 630
/* The site-wide card, /share/cards/CARD_SITE.png: no record id can be
 * this, as ids never start with an underscore. */
#define CARD_SITE "_site"

/* A card's inputs as text: equal keys, equal pictures. */
#define CARD_KEY_SIZE 17

struct card_painter;

/**
 * card_painter_new() - what one thread needs to draw cards: its own font
 * map and canvas (cairo and pango objects are not shared between
 * threads). Free it with card_painter_free().
 */
struct card_painter *card_painter_new(void);

/* card_painter_free() - free a painter; accepts NULL. */
void card_painter_free(struct card_painter *p);

/**
 * card_record_key() - the key of @e's card under the site name @brand:
 * a hash of everything drawn
 * on it (and of the design's version), in 16 hex digits.
 */
void card_record_key(const char *brand, const struct method *m,
		     const struct entry *e, char key[CARD_KEY_SIZE]);

/**
 * card_record_png() - draw @e's card: name, jurisdiction and industry,
 * headline score and grade, both tiers' scores when there is an audit,
 * the review date. Text from the data is laid out as plain text (never
 * markup), shrunk and then ellipsized to fit; any script draws with the
 * fonts installed. The PNG carries its key (card_png_key()).
 * @out: receives the PNG.
 *
 * Returns: 0, or -1 when cairo could not draw or encode it.
 */
int card_record_png(struct card_painter *p, const char *brand,
		    const struct method *m, const struct entry *e,
		    struct buf *out);

/**
 * card_site_png() - the site-wide card for pages that are not records:
 * the site's name, what it does and the grade scale.
 */
int card_site_png(struct card_painter *p, const char *brand,
		  const struct method *m, size_t records, struct buf *out);

/**
 * card_png_key() - the key a card PNG at @path was drawn with, to reuse
 * a card from the previous build when its inputs are the same.
 *
 * Returns: true with @key set, false when the file is missing or is no
 * card of ours.
 */
bool card_png_key(const char *path, char key[CARD_KEY_SIZE]);

#endif
