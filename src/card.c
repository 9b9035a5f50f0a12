/*
 * card.c - share images drawn with cairo, text laid out by pango.
 *
 * A card is described first as plain facts (struct card: lines of text,
 * colours), then drawn; the key that lets a build reuse the previous
 * build's PNG is a hash of that description, carried in the PNG as a tEXt
 * chunk. Text goes through pango_layout_set_text(), never the markup
 * parser; pango shapes any script with the fonts fontconfig finds, and a
 * name that does not fit is drawn smaller, then cut with an ellipsis.
 * Each thread draws with its own painter (font map, canvas), which keeps
 * from one card to the next what they share (paper, brand line, often
 * the grade's band, square and letter, some texts) and paints over only
 * the rest. pngenc encodes the canvas (cairo's own PNG writer tried
 * every filter on every row: most of a card's cost).
 */
#include "card.h"
#include "date.h"
#include "hash.h"
#include "internal.h"
#include "method.h"
#include "pngenc.h"
#include "utf8.h"

#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

/* Bump when the drawing (or its encoding) changes, so no old card is
 * reused: equal keys, equal files. */
#define CARD_DESIGN "card-5"
#define KEY_CHUNK   "cancelatlas-card"
#define FONT	    "DejaVu Sans"
#define MARGIN	    72.0

/* A rectangle of the canvas, in whole pixels. */
struct rect {
	int x0, y0, x1, y1; /* x1 and y1 excluded */
};

/* The texts of a record's own on its card, each in its place. */
enum slot_id {
	SLOT_TITLE,
	SLOT_SUBTITLE,
	SLOT_LINE, /* three of them */
	SLOT_TAG = SLOT_LINE + 3,
	SLOT_SCORE,
	NSLOTS
};

/* A text on the canvas: what it says (NULL: nothing known), where its
 * ink is, and the height drawn (the title's places the subtitle). */
struct slot {
	char *text;
	struct rect at;
	double height;
};

struct card_painter {
	PangoFontMap *fonts;
	PangoContext *ctx;
	PangoLayout *layout;
	cairo_surface_t *surface;
	cairo_t *cr;
	/*
	 * What the canvas holds, so that the next record card starts from
	 * it rather than from nothing: the brand line it was prepared
	 * with (NULL: the canvas is no record card's), the grade whose
	 * band, square and letter are drawn ("" none), and the last
	 * card's own texts, on paper.
	 */
	char *brand;
	char grade[16];
	struct slot slots[NSLOTS];
};

struct rgb {
	double r, g, b;
};

/* What one card shows. */
struct card {
	const char *brand; /* the site's name, over everything */
	const char *title; /* the record's name, or the site's */
	const char *subtitle;
	const char *big; /* the grade letter, "" for the site card */
	const char *score;
	const char *lines[3]; /* tier scores, review date */
	const char *tag;      /* "Fictional record" or NULL */
	const char *color;    /* the grade's #rrggbb */
	char scale[8];	      /* the site card's letters */
	const char *scale_colors[8];
};

/*
 * fontconfig keeps a few bytes of its configuration, parsed once per
 * process, that nothing frees; LeakSanitizer would count them against
 * every program that draws a card (tests/valgrind.supp says the same to
 * valgrind). Only builds with a sanitizer ever call this.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

/* ...and says nothing of it on stderr, which tests read exactly. */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}

struct card_painter *card_painter_new(void)
{
	struct card_painter *p = xcalloc(1, sizeof(*p));
	p->fonts = pango_cairo_font_map_new();
	p->ctx = pango_font_map_create_context(p->fonts);
	p->layout = pango_layout_new(p->ctx);
	p->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, CARD_WIDTH,
						CARD_HEIGHT);
	p->cr = cairo_create(p->surface);
	return p;
}

void card_painter_free(struct card_painter *p)
{
	if (!p)
		return;
	free(p->brand);
	for (size_t i = 0; i < NSLOTS; i++)
		free(p->slots[i].text);
	cairo_destroy(p->cr);
	cairo_surface_destroy(p->surface);
	g_object_unref(p->layout);
	g_object_unref(p->ctx);
	g_object_unref(p->fonts);
	free(p);
}

static struct rgb parse_color(const char *hex)
{
	unsigned r = 0x55, g = 0x5b, b = 0x66;
	if (hex && strlen(hex) == 7 && hex[0] == '#')
		sscanf(hex + 1, "%2x%2x%2x", &r, &g, &b);
	return (struct rgb){ r / 255.0, g / 255.0, b / 255.0 };
}

/* WCAG relative luminance, to pick white or ink on a grade colour. */
static double luminance(struct rgb c)
{
	double v[3] = { c.r, c.g, c.b };
	for (int i = 0; i < 3; i++)
		v[i] = v[i] <= 0.03928 ? v[i] / 12.92
				       : pow((v[i] + 0.055) / 1.055, 2.4);
	return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
}

static const struct rgb ink = { 0.11, 0.12, 0.14 };
static const struct rgb muted = { 0.33, 0.36, 0.40 };
static const struct rgb white = { 1, 1, 1 };
static const struct rgb tag_ink = { 0.55, 0.27, 0.04 };

/* The text colour on @bg: ink on a light colour, white on a dark one. */
static struct rgb ink_on(struct rgb bg)
{
	return luminance(bg) > 0.35 ? ink : white;
}

/* Where a layout drawn at (@x, @y) put ink, with two pixels to spare on
 * every side for anti-aliasing, into @r (when not NULL). */
static void ink_rect(PangoLayout *l, double x, double y, struct rect *r)
{
	if (!r)
		return;
	PangoRectangle ink_r;
	pango_layout_get_pixel_extents(l, &ink_r, NULL);
	*r = (struct rect){ (int)floor(x) + ink_r.x - 2,
			    (int)floor(y) + ink_r.y - 2,
			    (int)ceil(x) + ink_r.x + ink_r.width + 2,
			    (int)ceil(y) + ink_r.y + ink_r.height + 2 };
}

/*
 * Lay out @text at (@x, @y) within @width and at most @lines lines: at
 * @size px if it fits, else smaller down to @min_size, else ellipsized.
 * @at: receives where it put ink (empty when it drew nothing), or NULL.
 * Returns: the height drawn.
 */
static double draw_text(struct card_painter *p, const char *text, bool bold,
			double size, double min_size, double x, double y,
			double width, int lines, struct rgb color,
			struct rect *at)
{
	if (at)
		*at = (struct rect){ 0, 0, 0, 0 };
	if (!text || !*text || utf8_check(text, strlen(text)) != strlen(text))
		return 0;
	PangoLayout *l = p->layout;
	PangoFontDescription *fd = pango_font_description_from_string(FONT);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD
						   : PANGO_WEIGHT_NORMAL);
	pango_layout_set_text(l, text, -1);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	pango_layout_set_height(l, -lines);
	for (;; size -= 4) {
		pango_font_description_set_absolute_size(fd,
							 size * PANGO_SCALE);
		pango_layout_set_font_description(l, fd);
		if (size - 4 < min_size || !pango_layout_is_ellipsized(l))
			break;
	}
	pango_font_description_free(fd);
	cairo_set_source_rgb(p->cr, color.r, color.g, color.b);
	cairo_move_to(p->cr, x, y);
	pango_cairo_update_layout(p->cr, l);
	pango_cairo_show_layout(p->cr, l);
	ink_rect(l, x, y, at);
	int w, h;
	pango_layout_get_pixel_size(l, &w, &h);
	return h;
}

/* The letter (or the score line) centred in a box; @at as draw_text()'s. */
static void draw_centered(struct card_painter *p, const char *text, double size,
			  double cx, double cy, struct rgb color,
			  struct rect *at)
{
	PangoLayout *l = p->layout;
	PangoFontDescription *fd = pango_font_description_from_string(FONT);
	pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, -1);
	pango_layout_set_height(l, -1);
	pango_layout_set_text(l, text, -1);
	PangoRectangle ink_r, logical;
	pango_layout_get_pixel_extents(l, &ink_r, &logical);
	double x = cx - ink_r.x - ink_r.width / 2.0,
	       y = cy - ink_r.y - ink_r.height / 2.0;
	cairo_set_source_rgb(p->cr, color.r, color.g, color.b);
	cairo_move_to(p->cr, x, y);
	pango_cairo_update_layout(p->cr, l);
	pango_cairo_show_layout(p->cr, l);
	ink_rect(l, x, y, at);
}

/* The PNG signature and IHDR chunk: 8 + 25 bytes; our tEXt follows. */
#define PNG_HEAD 33

/* A colour as the canvas holds it, 0x00RRGGBB (cairo keeps a channel
 * as 16 bits and draws its top 8). */
static uint32_t canvas_rgb(struct rgb c)
{
	double v[3] = { c.r, c.g, c.b };
	uint32_t out = 0;
	for (int i = 0; i < 3; i++)
		out = out << 8 | ((uint32_t)(v[i] * 65535.0 + 0.5) >> 8);
	return out;
}

/* The most blends a card has: three inks on paper, and a letter on each
 * grade's colour. */
#define MAX_BLENDS (3 + sizeof(((struct card *)0)->scale))

/* Add text in @text_color on @paper to @b's @n blends. */
static void add_blend(struct pngenc_blend *b, size_t *n, struct rgb paper,
		      struct rgb text_color)
{
	b[(*n)++] = (struct pngenc_blend){ canvas_rgb(paper),
					   canvas_rgb(text_color) };
}

/* The shades between a text's paper and ink a card is written in: more
 * than an eye tells apart at a glyph's edge. */
#define TEXT_SHADES 16

/*
 * Encode the canvas as a PNG with the key as a tEXt chunk right after
 * IHDR (pngenc.c says why it is not libpng's encoder). The edges of the
 * texts of @c, each colour on its paper, are written in TEXT_SHADES
 * shades, so that the card is indexed: a byte a pixel instead of three,
 * and under half the file.
 */
static int encode(struct card_painter *p, const struct card *c, const char *key,
		  struct buf *out)
{
	struct pngenc_blend blends[MAX_BLENDS];
	size_t n = 0;
	add_blend(blends, &n, white, ink);
	add_blend(blends, &n, white, muted);
	add_blend(blends, &n, white, tag_ink);
	if (*c->big) {
		struct rgb g = parse_color(c->color);
		add_blend(blends, &n, g, ink_on(g));
	}
	for (size_t i = 0; c->scale[i] && n < MAX_BLENDS; i++) {
		struct rgb g = parse_color(c->scale_colors[i]);
		add_blend(blends, &n, g, ink_on(g));
	}
	struct pngenc_shading shading = { blends, n, TEXT_SHADES };
	cairo_surface_flush(p->surface);
	return pngenc_rgb24(cairo_image_surface_get_data(p->surface),
			    CARD_WIDTH, CARD_HEIGHT,
			    cairo_image_surface_get_stride(p->surface),
			    &shading, KEY_CHUNK, key, out);
}

static void card_key(const struct card *c, char key[CARD_KEY_SIZE])
{
	/* Every string drawn, each ended by its NUL, then the scale's
	 * colours. */
	uint64_t h = HASH_INIT;
	const char *parts[] = { CARD_DESIGN, c->brand, c->title,    c->subtitle,
				c->big,	     c->score, c->lines[0], c->lines[1],
				c->lines[2], c->tag,   c->color,    c->scale };
	for (size_t i = 0; i < ATLAS_COUNT(parts); i++) {
		const char *s = parts[i] ? parts[i] : "";
		h = hash_bytes_more(h, s, strlen(s) + 1);
	}
	for (size_t i = 0; c->scale[i]; i++)
		h = hash_bytes_more(h, c->scale_colors[i],
				    strlen(c->scale_colors[i]));
	snprintf(key, CARD_KEY_SIZE, "%016llx", (unsigned long long)h);
}

/* The grade's square: where it is, and its side. */
#define SQUARE_X    860.0
#define SQUARE_Y    96.0
#define SQUARE_SIDE 268.0
/* The band of the grade's colour along the left edge. */
#define BAND_WIDTH 24.0

/* Fill a rectangle with @color. */
static void fill(cairo_t *cr, double x, double y, double w, double h,
		 struct rgb color)
{
	cairo_set_source_rgb(cr, color.r, color.g, color.b);
	cairo_rectangle(cr, x, y, w, h);
	cairo_fill(cr);
}

static bool rects_meet(const struct rect *a, const struct rect *b)
{
	return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* Forget what the canvas holds: the next record card starts from
 * nothing. */
static void forget(struct card_painter *p)
{
	free(p->brand);
	p->brand = NULL;
	for (size_t i = 0; i < NSLOTS; i++) {
		free(p->slots[i].text);
		p->slots[i] = (struct slot){ 0 };
	}
}

/* @c's texts of its own, by slot ("" for none). */
static void slot_texts(const struct card *c, const char *t[NSLOTS])
{
	t[SLOT_TITLE] = c->title;
	t[SLOT_SUBTITLE] = c->subtitle;
	for (size_t i = 0; i < 3; i++)
		t[SLOT_LINE + i] = c->lines[i];
	t[SLOT_TAG] = c->tag;
	t[SLOT_SCORE] = c->score;
	for (size_t i = 0; i < NSLOTS; i++)
		if (!t[i])
			t[i] = "";
}

/*
 * Make the canvas @c's card without the texts it does not share with the
 * last card: paper, the brand line, the band, square and letter of its
 * grade, and every text of the last card that @c shows in the same place
 * (@keep says which). Record cards share the paper and the brand, often
 * the grade, and some of their lines ("audit pending"), so rather than
 * painting those afresh the canvas keeps them, and only the last card's
 * other texts are painted over with paper (with any kept text that
 * paper would touch). A text that strayed onto the brand, band or square
 * makes the next card start from nothing (check_kept()).
 */
static void prepare_record(struct card_painter *p, const struct card *c,
			   double text_w, bool keep[NSLOTS])
{
	cairo_t *cr = p->cr;
	if (!p->brand || strcmp(p->brand, c->brand)) {
		forget(p);
		fill(cr, 0, 0, CARD_WIDTH, CARD_HEIGHT, white);
		draw_text(p, c->brand, true, 30, 30, MARGIN, 56, text_w, 1,
			  muted, NULL);
		p->brand = xstrdup(c->brand);
		p->grade[0] = '\0';
	}
	const char *t[NSLOTS];
	slot_texts(c, t);
	for (size_t i = 0; i < NSLOTS; i++)
		keep[i] = p->slots[i].text && !strcmp(p->slots[i].text, t[i]);
	/* The subtitle's place is under the title. */
	keep[SLOT_SUBTITLE] &= keep[SLOT_TITLE];
	for (bool again = true; again;) {
		again = false;
		for (size_t i = 0; i < NSLOTS; i++)
			for (size_t k = 0; k < NSLOTS && !keep[i]; k++)
				if (keep[k] && rects_meet(&p->slots[i].at,
							  &p->slots[k].at))
					keep[k] = false, again = true;
	}
	for (size_t i = 0; i < NSLOTS; i++) {
		if (keep[i])
			continue;
		const struct rect *r = &p->slots[i].at;
		if (r->x0 < r->x1 && r->y0 < r->y1)
			fill(cr, r->x0, r->y0, r->x1 - r->x0, r->y1 - r->y0,
			     white);
		free(p->slots[i].text);
		p->slots[i] = (struct slot){ 0 };
	}
	char grade[sizeof(p->grade)];
	snprintf(grade, sizeof(grade), "%s %s", c->big,
		 c->color ? c->color : "");
	if (strcmp(grade, p->grade)) {
		struct rgb g = parse_color(c->color);
		fill(cr, 0, 0, BAND_WIDTH, CARD_HEIGHT, g);
		fill(cr, SQUARE_X, SQUARE_Y, SQUARE_SIDE, SQUARE_SIDE, g);
		draw_centered(p, c->big, 200, SQUARE_X + SQUARE_SIDE / 2,
			      SQUARE_Y + SQUARE_SIDE / 2, ink_on(g), NULL);
		snprintf(p->grade, sizeof(p->grade), "%s", grade);
	}
}

/* Note that slot @i now shows @text, with its ink at @r, @h high. */
static void slot_set(struct card_painter *p, enum slot_id i, const char *text,
		     const struct rect *r, double h)
{
	p->slots[i] = (struct slot){ xstrdup(text ? text : ""), *r, h };
}

/*
 * Forget the canvas when a text of the card met what the next card
 * keeps (brand line, band, square): the next card then starts from
 * nothing.
 */
static void check_kept(struct card_painter *p)
{
	static const struct rect kept[] = {
		{ 0, 0, CARD_WIDTH, 100 }, /* the brand line, and above */
		{ 0, 0, (int)BAND_WIDTH, CARD_HEIGHT },
		{ (int)SQUARE_X, (int)SQUARE_Y, (int)(SQUARE_X + SQUARE_SIDE),
		  (int)(SQUARE_Y + SQUARE_SIDE) },
	};
	for (size_t i = 0; i < NSLOTS; i++)
		for (size_t k = 0; k < ATLAS_COUNT(kept); k++)
			if (rects_meet(&p->slots[i].at, &kept[k])) {
				forget(p);
				return;
			}
}

static int draw(struct card_painter *p, const struct card *c, struct buf *out)
{
	cairo_t *cr = p->cr;
	struct rgb grade = parse_color(c->color);
	double text_w = *c->big ? 700 : CARD_WIDTH - 2 * MARGIN;
	struct rect r;
	double h;
	bool keep[NSLOTS] = { false };
	if (*c->big) {
		prepare_record(p, c, text_w, keep);
	} else {
		/* The site card, drawn once a build, from nothing; the
		 * next record card starts from nothing too. */
		forget(p);
		fill(cr, 0, 0, CARD_WIDTH, CARD_HEIGHT, white);
		fill(cr, 0, 0, BAND_WIDTH, CARD_HEIGHT, grade);
		draw_text(p, c->brand, true, 30, 30, MARGIN, 56, text_w, 1,
			  muted, NULL);
	}

	double y = 120;
	if (keep[SLOT_TITLE]) {
		y += p->slots[SLOT_TITLE].height;
	} else {
		h = draw_text(p, c->title, true, 76, 48, MARGIN, y, text_w, 2,
			      ink, &r);
		slot_set(p, SLOT_TITLE, c->title, &r, h);
		y += h;
	}
	y += 16;
	if (!keep[SLOT_SUBTITLE]) {
		h = draw_text(p, c->subtitle, false, 34, 26, MARGIN, y, text_w,
			      2, muted, &r);
		slot_set(p, SLOT_SUBTITLE, c->subtitle, &r, h);
	}
	double ly = CARD_HEIGHT - 72 - 44 * 3;
	for (size_t i = 0; i < ATLAS_COUNT(c->lines); i++) {
		if (keep[SLOT_LINE + i])
			continue;
		h = draw_text(p, c->lines[i], i < 2, 32, 24, MARGIN,
			      ly + 44 * i, text_w, 1, i < 2 ? ink : muted, &r);
		slot_set(p, SLOT_LINE + i, c->lines[i], &r, h);
	}
	if (!keep[SLOT_TAG]) {
		h = draw_text(p, c->tag, true, 26, 26, 860, 500, 268, 1,
			      tag_ink, &r);
		slot_set(p, SLOT_TAG, c->tag, &r, h);
	}

	if (*c->big) {
		/* The score beneath the grade's square. */
		if (!keep[SLOT_SCORE]) {
			draw_centered(p, c->score, 64,
				      SQUARE_X + SQUARE_SIDE / 2,
				      SQUARE_Y + SQUARE_SIDE + 70, ink, &r);
			slot_set(p, SLOT_SCORE, c->score, &r, 0);
		}
		/* Ink drawn now over ink kept: a new painter would have
		 * drawn them in another order, maybe to other pixels. */
		for (size_t i = 0; i < NSLOTS; i++)
			for (size_t k = 0; k < NSLOTS && !keep[i]; k++)
				if (keep[k] && rects_meet(&p->slots[i].at,
							  &p->slots[k].at)) {
					forget(p);
					return draw(p, c, out);
				}
		check_kept(p);
	} else {
		/* The site card: the grade scale, one square a grade. */
		forget(p);
		double side = 96, gap = 20, x = MARGIN, sy = 360;
		for (size_t i = 0; c->scale[i]; i++, x += side + gap) {
			struct rgb g = parse_color(c->scale_colors[i]);
			fill(cr, x, sy, side, side, g);
			char letter[2] = { c->scale[i], '\0' };
			draw_centered(p, letter, 64, x + side / 2,
				      sy + side / 2, ink_on(g), NULL);
		}
	}
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
		forget(p);
		return -1;
	}
	char key[CARD_KEY_SIZE];
	card_key(c, key);
	return encode(p, c, key, out);
}

/* The card of @e, with its strings in @b (which must outlive @c). */
static void record_card(const char *brand, const struct method *m,
			const struct entry *e, struct card *c, char (*b)[160])
{
	const struct record *r = e->r;
	memset(c, 0, sizeof(*c));
	c->brand = brand;
	c->title = r->name.s;
	/* "France (FR) · Streaming"; the US is named by its code alone. */
	const char *where = e->juris ? e->juris->name : r->jurisdiction.s;
	if (!strcmp(where, r->jurisdiction.s))
		snprintf(b[0], sizeof(b[0]), "%s \u00b7 %s", where,
			 e->industry->name.s);
	else
		snprintf(b[0], sizeof(b[0]), "%s (%s) \u00b7 %s", where,
			 r->jurisdiction.s, e->industry->name.s);
	c->subtitle = b[0];
	snprintf(b[1], sizeof(b[1]), "%c", e->headline->grade);
	c->big = b[1];
	snprintf(b[2], sizeof(b[2]), "%d/100", e->headline->score);
	c->score = b[2];
	snprintf(b[3], sizeof(b[3]), "%s: %d/100, grade %c", m->policy.name,
		 e->policy.score, e->policy.grade);
	if (e->audit) {
		snprintf(b[4], sizeof(b[4]), "%s: %d/100, grade %c",
			 m->flow.name, e->flow.score, e->flow.grade);
		c->lines[0] = b[4];
		c->lines[1] = b[3];
	} else {
		snprintf(b[4], sizeof(b[4]), "%s: audit pending", m->flow.name);
		c->lines[0] = b[3];
		c->lines[1] = b[4];
	}
	char day[DATE_ISO_LEN + 1];
	date_format(r->reviewed.days, day);
	snprintf(b[5], sizeof(b[5]), "Reviewed %s", day);
	c->lines[2] = b[5];
	c->tag = r->fictional.v ? "Fictional record" : NULL;
	const struct method_grade *g = method_grade(m, e->headline->grade);
	c->color = g ? g->color : NULL;
}

void card_record_key(const char *brand, const struct method *m,
		     const struct entry *e, char key[CARD_KEY_SIZE])
{
	struct card c;
	char b[6][160];
	record_card(brand, m, e, &c, b);
	card_key(&c, key);
}

int card_record_png(struct card_painter *p, const char *brand,
		    const struct method *m, const struct entry *e,
		    struct buf *out)
{
	struct card c;
	char b[6][160];
	record_card(brand, m, e, &c, b);
	return draw(p, &c, out);
}

int card_site_png(struct card_painter *p, const char *brand,
		  const struct method *m, size_t records, struct buf *out)
{
	struct card c = { .brand = brand };
	char count[96];
	snprintf(count, sizeof(count),
		 "%zu service%s scored 0\u2013100 and graded A\u2013F by a "
		 "published method",
		 records, records == 1 ? "" : "s");
	c.title = "How hard is it to cancel?";
	c.subtitle = count;
	c.big = "";
	c.lines[2] = "Every fact cited and dated. Open data.";
	for (size_t i = 0; i < m->ngrades && i + 1 < sizeof(c.scale); i++) {
		c.scale[i] = m->grades[i].letter;
		c.scale_colors[i] = m->grades[i].color;
	}
	c.color = m->grades[0].color;
	return draw(p, &c, out);
}

bool card_png_key(const char *path, char key[CARD_KEY_SIZE])
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	unsigned char head[PNG_HEAD + 8 + sizeof(KEY_CHUNK) + CARD_KEY_SIZE];
	size_t n = fread(head, 1, sizeof(head), f);
	fclose(f);
	static const char want[] = "tEXt" KEY_CHUNK;
	const unsigned char *chunk = head + PNG_HEAD;
	if (n != sizeof(head) || memcmp(head, "\x89PNG\r\n\x1a\n", 8) ||
	    memcmp(chunk + 4, want, sizeof(want)))
		return false;
	memcpy(key, chunk + 4 + sizeof(want), CARD_KEY_SIZE - 1);
	key[CARD_KEY_SIZE - 1] = '\0';
	return strspn(key, "0123456789abcdef") == CARD_KEY_SIZE - 1;
}
