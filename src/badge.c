/*
 * badge.c - the 232x52 grade badge companies embed, and its embed code.
 *
 * The badge is a fixed-size SVG image, so it cannot lean on the page's
 * fonts or stylesheet and its text must fit before it is drawn: a dark
 * label panel (the site's name over the company's) and a panel in the
 * grade's colour, holding the letter as tall as the badge allows and,
 * beside it, "79/100" over the jurisdiction ("US"), since a grade holds in
 * one jurisdiction only; the label panel ends with the review's month
 * ("reviewed Jan 2025"). Grade colours differ in lightness as well as hue,
 * so an A never passes for a B. Each text is measured with textwidth.h and
 * set at the largest size that fits; a name too long even at the smallest
 * is cut with an ellipsis and stays whole in the <title>. Ink on the grade
 * colour comes from chart_color_ink(), decided from the colour itself, so
 * a new colour in the table cannot make the badge unreadable.
 */
#include "badge.h"
#include "chart.h"
#include "date.h"
#include "esc.h"
#include "fresh.h"
#include "juris.h"
#include "siteurl.h"
#include "textwidth.h"

#include <stdio.h>
#include <string.h>

#define BADGE_SPLIT	  128.0 /* where the grade panel starts */
#define BADGE_LETTER_END  172.0 /* the letter's column ends; facts follow */
#define BADGE_LETTER_SIZE 40.0
#define BADGE_PAD	  12.0 /* text inset in the label panel */
#define BADGE_GRADE_PAD	  4.0  /* and in the grade panel's columns */
#define BADGE_LABEL_BG	  "#24292f"
#define BADGE_LABEL_INK	  "#ffffff" /* 14.7:1 on BADGE_LABEL_BG */
#define BADGE_NAME_INK	  "#d0d7de" /* 10.1:1 on BADGE_LABEL_BG */

struct badge_text {
	double x, y;
	double room;	 /* the width it must fit in */
	double max, min; /* font sizes to try */
	enum textwidth_weight weight;
	bool middle; /* centred on @x */
	const char *fill;
};

/*
 * One line of badge text at the largest size that fits; cut with an
 * ellipsis when even the smallest is too wide, and squeezed with
 * textLength only if not even that fits. Right-to-left text is isolated
 * after it is cut, so the isolate is always closed and the ellipsis
 * stays at the end of the line.
 */
static bool line_put(struct buf *out, const struct badge_text *t, const char *s,
		     size_t len)
{
	double size = textwidth_fit(s, len, t->room, t->max, t->min, t->weight);
	size_t keep = textwidth_truncate(s, len, t->room, size, t->weight);
	bool cut = keep < len;
	double w = textwidth_measure(s, keep, size, t->weight);
	if (cut)
		w += textwidth_measure(TEXTWIDTH_ELLIPSIS,
				       sizeof(TEXTWIDTH_ELLIPSIS) - 1, size,
				       t->weight);
	bool ok = buf_puts(out, "<text x=\"") && chart_num_put(out, t->x) &&
		  buf_puts(out, "\" y=\"") && chart_num_put(out, t->y) &&
		  buf_puts(out, "\" font-size=\"") &&
		  chart_num_put(out, size) && buf_putc(out, '"');
	if (t->weight == TEXTWIDTH_BOLD)
		ok = ok && buf_puts(out, " font-weight=\"bold\"");
	if (t->middle)
		ok = ok && buf_puts(out, " text-anchor=\"middle\"");
	if (w > t->room)
		ok = ok && buf_puts(out, " textLength=\"") &&
		     chart_num_put(out, t->room) &&
		     buf_puts(out, "\" lengthAdjust=\"spacingAndGlyphs\"");
	bool isolate = esc_bidi_risky_len(s, keep);
	ok = ok && buf_printf(out, " fill=\"%s\">", t->fill);
	if (isolate)
		ok = ok && buf_puts(out, "\u2068");
	ok = ok && esc_xml(out, s, keep);
	if (isolate)
		ok = ok && buf_puts(out, "\u2069");
	if (cut)
		ok = ok && buf_puts(out, TEXTWIDTH_ELLIPSIS);
	return ok && buf_puts(out, "</text>\n");
}

static bool put_review_day(struct buf *out, const struct entry *e)
{
	char day[DATE_ISO_LEN + 1];
	date_format(e->r->reviewed.days, day);
	return buf_puts(out, day);
}

bool badge_svg(struct buf *out, const struct site_info *site,
	       const struct method *m, const struct entry *e)
{
	const struct score_result *s = e->headline;
	const struct method_grade *g = method_grade(m, s->grade);
	if (!g)
		g = method_band(m, s->score);
	const char *bg = chart_color_valid(g->color) ? g->color : "#57606a";
	const char *ink = chart_color_ink(bg);
	/* A right-to-left name must not reorder the title's own words. */
	struct buf isolated = BUF_INIT;
	esc_bidi_isolate(&isolated, e->r->name.s ? e->r->name.s : "");
	const char *name = buf_cstr(&isolated);
	const char *id = e->r->id.s ? e->r->id.s : "";
	const char *juris = e->r->jurisdiction.s ? e->r->jurisdiction.s : "";
	struct buf phrase = BUF_INIT; /* "the US", "California (US)" */
	juris_put_phrase(&phrase, juris);
	const double label_room = BADGE_SPLIT - 2 * BADGE_PAD;
	const double facts_x = (BADGE_LETTER_END + BADGE_WIDTH) / 2.0;
	const double facts_room =
		BADGE_WIDTH - BADGE_LETTER_END - 2 * BADGE_GRADE_PAD;
	char score[16];
	snprintf(score, sizeof(score), "%d/100", s->score);
	char letter[2] = { s->grade, '\0' };
	struct buf url = BUF_INIT;
	siteurl_put_record(&url, site, id);

	bool ok =
		buf_printf(out,
			   "<svg xmlns=\"http://www.w3.org/2000/svg\" "
			   "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
			   "role=\"img\" aria-labelledby=\"badge-title\" "
			   "aria-describedby=\"badge-desc\">\n",
			   BADGE_WIDTH, BADGE_HEIGHT, BADGE_WIDTH,
			   BADGE_HEIGHT) &&
		buf_puts(out, "<title id=\"badge-title\">") &&
		esc_xml_str(out, site->name.s) && buf_puts(out, " \u2014 ") &&
		esc_xml_str(out, name) && buf_puts(out, " (") &&
		esc_xml_str(out, juris) &&
		buf_printf(out, "): grade %c, %s</title>\n", s->grade, score) &&
		buf_puts(out, "<desc id=\"badge-desc\">") &&
		esc_xml_str(out, name) && buf_puts(out, " in ") &&
		esc_xml_str(out, buf_cstr(&phrase)) &&
		buf_printf(out,
			   " has grade %c, %d out of 100, on the "
			   "Cancellation Ease Score (",
			   s->grade, s->score) &&
		esc_xml_str(out, s->tier ? s->tier->name : "") &&
		buf_puts(out, ", ") && esc_xml_str(out, m->version) &&
		buf_puts(out, "). Cited evidence: ") &&
		esc_xml_str(out, buf_cstr(&url)) &&
		buf_puts(out, " (reviewed ") && put_review_day(out, e) &&
		buf_puts(out, ")</desc>\n");

	/* The grade colour under everything; the label panel over its left
	 * part, rounded only on the outer corners. */
	ok = ok &&
	     buf_printf(out,
			"<rect width=\"%d\" height=\"%d\" rx=\"4\" "
			"fill=\"%s\"/>\n",
			BADGE_WIDTH, BADGE_HEIGHT, bg) &&
	     buf_printf(out,
			"<path d=\"M4 0H%dV%dH4A4 4 0 0 1 0 %dV4A4 4 0 0 1 4 "
			"0Z\" fill=\"" BADGE_LABEL_BG "\"/>\n",
			(int)BADGE_SPLIT, BADGE_HEIGHT, BADGE_HEIGHT - 4) &&
	     buf_puts(out, "<g font-family=\"" TEXTWIDTH_FONT_FAMILY "\">\n");

	/* Three lines on the label panel: the site, the company, and the
	 * month of the review, so an embedded badge shows its age. */
	struct badge_text brand = { BADGE_PAD,	17,
				    label_room, 13,
				    10,		TEXTWIDTH_BOLD,
				    false,	BADGE_LABEL_INK };
	struct badge_text company = { BADGE_PAD,  31,
				      label_room, 12,
				      9,	  TEXTWIDTH_REGULAR,
				      false,	  BADGE_NAME_INK };
	struct badge_text reviewed = { BADGE_PAD,  44,
				       label_room, 10,
				       8,	   TEXTWIDTH_REGULAR,
				       false,	   BADGE_NAME_INK };
	struct buf month = BUF_INIT;
	buf_puts(&month, "reviewed ");
	fresh_put_month(&month, e->r->reviewed.days);
	/* The letter fills the panel's height, so A and B differ at a
	 * glance; the score and the jurisdiction stand beside it. */
	struct badge_text grade = { (BADGE_SPLIT + BADGE_LETTER_END) / 2.0,
				    39,
				    BADGE_LETTER_END - BADGE_SPLIT -
					    2 * BADGE_GRADE_PAD,
				    BADGE_LETTER_SIZE,
				    24,
				    TEXTWIDTH_BOLD,
				    true,
				    ink };
	struct badge_text points = { facts_x,	     23,   facts_room, 13, 8,
				     TEXTWIDTH_BOLD, true, ink };
	struct badge_text where = { facts_x,	       39,   facts_room, 12, 8,
				    TEXTWIDTH_REGULAR, true, ink };
	ok = ok && line_put(out, &brand, site->name.s, site->name.len) &&
	     line_put(out, &company, e->r->name.s ? e->r->name.s : "",
		      e->r->name.s ? e->r->name.len : 0) &&
	     line_put(out, &reviewed, buf_cstr(&month), month.len) &&
	     line_put(out, &grade, letter, strlen(letter)) &&
	     line_put(out, &points, score, strlen(score)) &&
	     line_put(out, &where, juris, strlen(juris));
	ok = ok && buf_puts(out, "</g>\n</svg>\n");
	buf_free(&month);
	buf_free(&phrase);
	buf_free(&isolated);
	buf_free(&url);
	return ok;
}

bool badge_embed_html(struct buf *out, const struct site_info *site,
		      const struct entry *e)
{
	const char *id = e->r->id.s ? e->r->id.s : "";
	char letter[2] = { e->headline->grade, '\0' };
	struct buf page = BUF_INIT, img = BUF_INIT;
	bool ok = siteurl_put_record(&page, site, id) &&
		  siteurl_put(&img, site, "") &&
		  siteurl_put_record_path(&img, id, SITEURL_BADGE);
	ok = ok && buf_puts(out, "<a href=\"") &&
	     esc_xml_str(out, buf_cstr(&page)) &&
	     buf_puts(out, "\"><img src=\"") &&
	     esc_xml_str(out, buf_cstr(&img)) && buf_puts(out, "\" alt=\"") &&
	     esc_xml_str(out, site->name.s) &&
	     buf_puts(out, " \u2014 Grade ") && esc_xml_str(out, letter) &&
	     buf_printf(out, "\" width=\"%d\" height=\"%d\"></a>", BADGE_WIDTH,
			BADGE_HEIGHT);
	buf_free(&page);
	buf_free(&img);
	return ok;
}
