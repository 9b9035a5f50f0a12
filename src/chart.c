/*
 * chart.c - horizontal bar charts and 100% share bars as inline SVG.
 *
 * A chart is laid out in one pass from its numbers: every label and value
 * label is measured with textwidth.h first, so the columns are as wide as
 * their widest text and nothing overflows or collides; the viewBox is
 * then as tall as the rows need. Labels that cannot fit are cut with an
 * ellipsis and kept whole in the row's <title>, which is also the tooltip.
 * Text goes through esc_xml(); numbers through chart_num_put(), so the
 * same data always gives the same bytes. Styling is left to presentation
 * attributes and class hooks because the site's Content-Security-Policy
 * forbids inline styles.
 */
#include "chart.h"
#include "esc.h"
#include "internal.h"
#include "textwidth.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CHART_DEFAULT_WIDTH 420.0
#define CHART_MIN_WIDTH	    160.0
#define CHART_PAD	    8.0
#define CHART_LABEL_SIZE    14.0
#define CHART_VALUE_SIZE    13.0
#define CHART_GAP	    8.0	      /* between a label column and the bars */
#define CHART_VALUE_GAP	    6.0	      /* between a bar's end and its value */
#define CHART_INK	    "#1f2328" /* text; 15.8:1 on white */
#define CHART_TRACK	    "#eaeef2"
#define CHART_LIGHT_INK	    "#ffffff"
#define CHART_MIN_CONTRAST  4.5 /* WCAG AA for text */
#define CHART_MIN_EDGE	    3.0 /* and for graphics against the page */
#define CHART_EDGE	    "#57606a"
/* Where a baseline sits to centre digits and lower case on a line. */
#define CHART_MIDLINE 0.35

static const char *const palette[] = {
	"#0969da", "#bf3989", "#9a6700", "#8250df", "#1a7f37", "#57606a",
};

bool chart_num_put(struct buf *out, double v)
{
	if (!isfinite(v))
		v = 0;
	if (v > 1e12)
		v = 1e12;
	if (v < -1e12)
		v = -1e12;
	long long t = llround(v * 10);
	unsigned long long a =
		t < 0 ? 0ULL - (unsigned long long)t : (unsigned long long)t;
	const char *sign = t < 0 ? "-" : "";
	if (a % 10)
		return buf_printf(out, "%s%llu.%llu", sign, a / 10, a % 10);
	return buf_printf(out, "%s%llu", sign, a / 10);
}

bool chart_color_valid(const char *color)
{
	if (!color || color[0] != '#')
		return false;
	size_t n = strlen(color + 1);
	if (n != 3 && n != 6)
		return false;
	for (size_t i = 1; i <= n; i++)
		if (esc_hex_digit((unsigned char)color[i]) < 0)
			return false;
	return true;
}

/* The WCAG 2 relative luminance of a valid colour. */
static double luminance(const char *color)
{
	size_t n = strlen(color + 1);
	double sum = 0;
	static const double weight[3] = { 0.2126, 0.7152, 0.0722 };
	for (int i = 0; i < 3; i++) {
		int v = n == 3 ? esc_hex_digit(color[1 + i]) * 17
			       : esc_hex_digit(color[1 + 2 * i]) * 16 +
					 esc_hex_digit(color[2 + 2 * i]);
		double c = v / 255.0;
		c = c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
		sum += weight[i] * c;
	}
	return sum;
}

double chart_color_contrast(const char *a, const char *b)
{
	if (!chart_color_valid(a) || !chart_color_valid(b))
		return 0;
	double la = luminance(a), lb = luminance(b);
	double hi = la > lb ? la : lb, lo = la > lb ? lb : la;
	return (hi + 0.05) / (lo + 0.05);
}

const char *chart_color_ink(const char *bg)
{
	if (chart_color_contrast(CHART_LIGHT_INK, bg) >= CHART_MIN_CONTRAST)
		return CHART_LIGHT_INK;
	if (chart_color_contrast(CHART_INK, bg) >= CHART_MIN_CONTRAST)
		return CHART_INK;
	return "#000000";
}

/* Values a chart can draw: negatives, NaN and infinities become 0. */
static double clean(double v)
{
	return isfinite(v) && v > 0 ? v : 0;
}

static const char *str_or(const char *s, const char *fallback)
{
	return s ? s : fallback;
}

/* How a text element is set. */
struct text_style {
	const char *cls;
	double size;
	enum textwidth_weight weight;
	const char *anchor; /* "start", "end" or "middle" */
	const char *fill;
};

static bool attr_num(struct buf *out, const char *name, double v)
{
	return buf_printf(out, " %s=\"", name) && chart_num_put(out, v) &&
	       buf_putc(out, '"');
}

/*
 * A <text> at (@x, @y): @s whole when it fits in @room, else cut with an
 * ellipsis. When not even the ellipsis fits, textLength squeezes it into
 * @room, the last resort; a text that needs cutting in a @room under one
 * em is left out instead (the row's <title> still has it).
 */
static bool text_put(struct buf *out, const struct text_style *st, double x,
		     double y, const char *s, double room)
{
	size_t len = strlen(s);
	size_t keep = textwidth_truncate(s, len, room, st->size, st->weight);
	if (keep < len && room < st->size)
		return true;
	bool cut = keep < len;
	double w = textwidth_measure(s, keep, st->size, st->weight);
	if (cut)
		w += textwidth_measure(TEXTWIDTH_ELLIPSIS,
				       sizeof(TEXTWIDTH_ELLIPSIS) - 1, st->size,
				       st->weight);
	bool ok = buf_printf(out, "<text class=\"%s\"", st->cls) &&
		  attr_num(out, "x", x) && attr_num(out, "y", y) &&
		  attr_num(out, "font-size", st->size);
	if (st->weight == TEXTWIDTH_BOLD)
		ok = ok && buf_puts(out, " font-weight=\"bold\"");
	if (strcmp(st->anchor, "start"))
		ok = ok && buf_printf(out, " text-anchor=\"%s\"", st->anchor);
	ok = ok && buf_printf(out, " fill=\"%s\"", st->fill);
	if (w > room)
		ok = ok && attr_num(out, "textLength", room) &&
		     buf_puts(out, " lengthAdjust=\"spacingAndGlyphs\"");
	ok = ok && buf_putc(out, '>') && esc_xml(out, s, keep);
	if (cut)
		ok = ok && buf_puts(out, TEXTWIDTH_ELLIPSIS);
	return ok && buf_puts(out, "</text>");
}

/*
 * A filled rectangle. A bar or swatch too light to stand out from the
 * white page (under 3:1, the WCAG bound for graphics) gets a grey edge,
 * so a light grade colour still shows its extent.
 */
static bool rect_put(struct buf *out, const char *cls, double x, double y,
		     double w, double h, const char *fill)
{
	bool ok = buf_printf(out, "<rect class=\"%s\"", cls) &&
		  attr_num(out, "x", x) && attr_num(out, "y", y) &&
		  attr_num(out, "width", w > 0 ? w : 0) &&
		  attr_num(out, "height", h) &&
		  buf_printf(out, " rx=\"2\" fill=\"%s\"", fill);
	if (strcmp(cls, "chart-track") &&
	    chart_color_contrast(fill, CHART_LIGHT_INK) < CHART_MIN_EDGE)
		ok = ok && buf_puts(out, " stroke=\"" CHART_EDGE
					 "\" stroke-width=\"1\"");
	return ok && buf_puts(out, "/>");
}

/* The <svg> start tag, <title> and <desc>; @cls names the chart kind. */
static bool open_put(struct buf *out, const char *cls, const char *id,
		     const char *title, const char *desc, double w, double h)
{
	id = str_or(id, "chart");
	bool ok = buf_printf(out,
			     "<svg xmlns=\"http://www.w3.org/2000/svg\" "
			     "class=\"chart %s\" width=\"",
			     cls) &&
		  chart_num_put(out, w) && buf_puts(out, "\" height=\"") &&
		  chart_num_put(out, h) && buf_puts(out, "\" viewBox=\"0 0 ") &&
		  chart_num_put(out, w) && buf_putc(out, ' ') &&
		  chart_num_put(out, h) &&
		  buf_puts(out, "\" role=\"img\" aria-labelledby=\"") &&
		  esc_xml_str(out, id) && buf_puts(out, "-title");
	if (desc)
		ok = ok && buf_putc(out, ' ') && esc_xml_str(out, id) &&
		     buf_puts(out, "-desc");
	ok = ok &&
	     buf_puts(out, "\" font-family=\"" TEXTWIDTH_FONT_FAMILY "\">\n") &&
	     buf_puts(out, "<title id=\"") && esc_xml_str(out, id) &&
	     buf_puts(out, "-title\">") &&
	     esc_xml_str(out, str_or(title, "Chart")) &&
	     buf_puts(out, "</title>\n");
	if (desc)
		ok = ok && buf_puts(out, "<desc id=\"") &&
		     esc_xml_str(out, id) && buf_puts(out, "-desc\">") &&
		     esc_xml_str(out, desc) && buf_puts(out, "</desc>\n");
	return ok;
}

/* "No data" in the middle of an empty chart. */
static bool empty_put(struct buf *out, double w, double h)
{
	struct text_style st = { "chart-label", CHART_LABEL_SIZE,
				 TEXTWIDTH_REGULAR, "middle", CHART_INK };
	return text_put(out, &st, w / 2,
			h / 2 + CHART_LABEL_SIZE * CHART_MIDLINE, "No data",
			w - 2 * CHART_PAD) &&
	       buf_putc(out, '\n');
}

/* The row's tooltip: "Label: value". */
static bool row_title_put(struct buf *out, const char *label, const char *value)
{
	return buf_puts(out, "<g class=\"chart-row\"><title>") &&
	       esc_xml_str(out, label) && buf_puts(out, ": ") &&
	       esc_xml_str(out, value) && buf_puts(out, "</title>");
}

static double chart_width(double w)
{
	if (!isfinite(w) || w <= 0)
		return CHART_DEFAULT_WIDTH;
	return w < CHART_MIN_WIDTH ? CHART_MIN_WIDTH : w;
}

bool chart_bars(struct buf *out, const struct chart_bars *spec)
{
	const size_t n = spec->nbars;
	const double w = chart_width(spec->width);
	/* Value labels, written out once: the given text or the number. */
	struct buf vbuf = BUF_INIT;
	size_t *voff = xcalloc(n + 1, sizeof(*voff));
	double max = clean(spec->max), label_w = 0, value_w = 0;
	const bool auto_max = max == 0; /* none given: the largest value */
	for (size_t i = 0; i < n; i++) {
		const struct chart_bar *b = &spec->bars[i];
		double v = clean(b->value);
		if (auto_max && v > max)
			max = v;
		voff[i] = vbuf.len;
		if (b->value_label)
			buf_puts(&vbuf, b->value_label);
		else
			chart_num_put(&vbuf, v);
		buf_putc(&vbuf, '\0');
		const char *vl = vbuf.data + voff[i];
		double lw = textwidth_measure(
			str_or(b->label, ""), strlen(str_or(b->label, "")),
			CHART_LABEL_SIZE, TEXTWIDTH_REGULAR);
		double vw = textwidth_measure(vl, strlen(vl), CHART_VALUE_SIZE,
					      TEXTWIDTH_REGULAR);
		label_w = lw > label_w ? lw : label_w;
		value_w = vw > value_w ? vw : value_w;
	}
	if (value_w > w * 0.35)
		value_w = w * 0.35;

	/* Short labels in a column on the left, long ones above the bar. */
	bool beside = label_w <= w * 0.3;
	double plot_x = CHART_PAD + (beside ? label_w + CHART_GAP : 0);
	double plot_w = w - CHART_PAD - plot_x - CHART_VALUE_GAP - value_w;
	double bar_h = beside ? 20 : 18;
	double bar_dy = beside ? 0 : CHART_LABEL_SIZE + 6; /* row top to bar */
	double pitch = bar_dy + bar_h + (beside ? 10 : 14);
	double need = n ? 2 * CHART_PAD + (double)n * pitch - (beside ? 10 : 14)
			: 3 * CHART_LABEL_SIZE;
	double h = spec->height > need && isfinite(spec->height) ? spec->height
								 : need;
	double y0 = CHART_PAD + (h - need) / 2;

	bool ok = open_put(out, "chart-bars", spec->id, spec->title, spec->desc,
			   w, h);
	if (!n)
		ok = ok && empty_put(out, w, h);
	struct text_style label_st = { "chart-label", CHART_LABEL_SIZE,
				       TEXTWIDTH_REGULAR,
				       beside ? "end" : "start", CHART_INK };
	struct text_style value_st = { "chart-value", CHART_VALUE_SIZE,
				       TEXTWIDTH_REGULAR, "start", CHART_INK };
	for (size_t i = 0; i < n && ok; i++) {
		const struct chart_bar *b = &spec->bars[i];
		const char *label = str_or(b->label, "");
		const char *vl = vbuf.data + voff[i];
		double v = clean(b->value);
		double frac = max > 0 ? (v < max ? v / max : 1) : 0;
		double row = y0 + (double)i * pitch;
		double bar_y = row + bar_dy;
		double bar_w = plot_w * frac;
		const char *fill =
			chart_color_valid(b->color) ? b->color : CHART_COLOR;
		ok = row_title_put(out, label, vl);
		if (beside)
			ok = ok &&
			     text_put(out, &label_st, plot_x - CHART_GAP,
				      bar_y + bar_h / 2 +
					      CHART_LABEL_SIZE * CHART_MIDLINE,
				      label, label_w);
		else
			ok = ok && text_put(out, &label_st, CHART_PAD,
					    row + CHART_LABEL_SIZE, label,
					    w - 2 * CHART_PAD);
		ok = ok &&
		     rect_put(out, "chart-track", plot_x, bar_y, plot_w, bar_h,
			      CHART_TRACK) &&
		     rect_put(out, "chart-bar", plot_x, bar_y, bar_w, bar_h,
			      fill) &&
		     text_put(out, &value_st, plot_x + bar_w + CHART_VALUE_GAP,
			      bar_y + bar_h / 2 +
				      CHART_VALUE_SIZE * CHART_MIDLINE,
			      vl, value_w) &&
		     buf_puts(out, "</g>\n");
	}
	free(voff);
	buf_free(&vbuf);
	return ok && buf_puts(out, "</svg>\n");
}

/*
 * Whole percentages of @total that add up to 100: each part gets its
 * floor, and the points left over go to the largest remainders, earlier
 * parts first on a tie.
 */
static void percents(const struct chart_part *parts, size_t n, double total,
		     int *pct)
{
	double *rem = xcalloc(n ? n : 1, sizeof(*rem));
	int left = 100;
	for (size_t i = 0; i < n; i++) {
		double exact =
			total > 0 ? clean(parts[i].value) * 100 / total : 0;
		pct[i] = (int)floor(exact);
		rem[i] = exact - pct[i];
		left -= pct[i];
	}
	if (total <= 0)
		left = 0;
	while (left-- > 0) {
		size_t best = 0;
		for (size_t i = 1; i < n; i++)
			if (rem[i] > rem[best])
				best = i;
		pct[best]++;
		rem[best] = -1;
	}
	free(rem);
}

bool chart_share(struct buf *out, const struct chart_share *spec)
{
	const size_t n = spec->nparts;
	const double w = chart_width(spec->width);
	const double bar_h = 28, swatch = 12, pitch = 22;
	const double line_w = w - 2 * CHART_PAD;
	double total = 0;
	for (size_t i = 0; i < n; i++)
		total += clean(spec->parts[i].value);
	int *pct = xcalloc(n ? n : 1, sizeof(*pct));
	percents(spec->parts, n, total, pct);

	/* Legend items ("Offered 34%"), placed first so the height is known.
	 */
	struct buf text = BUF_INIT;
	size_t *off = xcalloc(n + 1, sizeof(*off));
	double *ix = xcalloc(n ? n : 1, sizeof(*ix));
	double *iy = xcalloc(n ? n : 1, sizeof(*iy));
	double x = CHART_PAD, y = CHART_PAD + bar_h + 14;
	for (size_t i = 0; i < n; i++) {
		off[i] = text.len;
		buf_printf(&text, "%s %d%%", str_or(spec->parts[i].label, ""),
			   pct[i]);
		buf_putc(&text, '\0');
		const char *t = text.data + off[i];
		double item = swatch + 6 +
			      textwidth_measure(t, strlen(t), CHART_VALUE_SIZE,
						TEXTWIDTH_REGULAR);
		if (x > CHART_PAD && x + item > w - CHART_PAD) {
			x = CHART_PAD;
			y += pitch;
		}
		ix[i] = x;
		iy[i] = y;
		x += item + 16;
	}
	double h = n ? y + swatch + CHART_PAD : CHART_PAD + bar_h + CHART_PAD;

	bool ok = open_put(out, "chart-share", spec->id, spec->title,
			   spec->desc, w, h) &&
		  rect_put(out, "chart-track", CHART_PAD, CHART_PAD, line_w,
			   bar_h, CHART_TRACK);
	if (!n)
		ok = ok && empty_put(out, w, h);
	struct text_style st = { "chart-legend", CHART_VALUE_SIZE,
				 TEXTWIDTH_REGULAR, "start", CHART_INK };
	double before = 0; /* the sum of the parts drawn so far */
	for (size_t i = 0; i < n && ok; i++) {
		const struct chart_part *p = &spec->parts[i];
		const char *fill = chart_color_valid(p->color)
					   ? p->color
					   : palette[i % ATLAS_COUNT(palette)];
		double v = clean(p->value);
		/* Edges from running sums, so the parts tile the bar. */
		double x0 = total > 0 ? line_w * before / total : 0;
		before += v;
		double x1 = total > 0 ? line_w * before / total : 0;
		ok = buf_puts(out, "<g class=\"chart-row\"><title>") &&
		     esc_xml_str(out, str_or(p->label, "")) &&
		     buf_printf(out, ": %d%% (", pct[i]) &&
		     chart_num_put(out, v) && buf_puts(out, " of ") &&
		     chart_num_put(out, total) && buf_puts(out, ")</title>");
		if (x1 > x0)
			ok = ok &&
			     buf_puts(out, "<rect class=\"chart-segment\"") &&
			     attr_num(out, "x", CHART_PAD + x0) &&
			     attr_num(out, "y", CHART_PAD) &&
			     attr_num(out, "width", x1 - x0) &&
			     attr_num(out, "height", bar_h) &&
			     buf_printf(out,
					" fill=\"%s\" stroke=\"#ffffff\" "
					"stroke-width=\"1\"/>",
					fill);
		ok = ok &&
		     rect_put(out, "chart-swatch", ix[i], iy[i], swatch, swatch,
			      fill) &&
		     text_put(out, &st, ix[i] + swatch + 6,
			      iy[i] + swatch / 2 +
				      CHART_VALUE_SIZE * CHART_MIDLINE,
			      text.data + off[i], line_w - swatch - 6) &&
		     buf_puts(out, "</g>\n");
	}
	free(iy);
	free(ix);
	free(off);
	buf_free(&text);
	free(pct);
	return ok && buf_puts(out, "</svg>\n");
}

/* ---- step charts ------------------------------------------------------ */

#define STEPS_DEFAULT_HEIGHT 180.0
#define STEPS_AXIS_SIZE	     12.0
#define STEPS_BAND_OPACITY   "0.16"

static double clamp100(double v)
{
	if (!isfinite(v) || v < 0)
		return 0;
	return v > 100 ? 100 : v;
}

bool chart_steps(struct buf *out, const struct chart_steps *spec)
{
	const double w = chart_width(spec->width);
	const double h = isfinite(spec->height) && spec->height > 0
				 ? spec->height
				 : STEPS_DEFAULT_HEIGHT;
	struct text_style axis_st = { "chart-label", STEPS_AXIS_SIZE,
				      TEXTWIDTH_REGULAR, "end", CHART_INK };
	const double scale_w =
		textwidth_measure("100", 3, STEPS_AXIS_SIZE, TEXTWIDTH_REGULAR);
	const bool legend = spec->nseries > 1;
	const double top = CHART_PAD + (legend ? STEPS_AXIS_SIZE + 8 : 0);
	const double left = CHART_PAD + scale_w + 6;
	const double right = w - CHART_PAD;
	const double bottom = h - CHART_PAD - STEPS_AXIS_SIZE - 6;
	const double span =
		spec->x_max > spec->x_min ? spec->x_max - spec->x_min : 1;
#define STEP_X(x) (left + ((x)-spec->x_min) / span * (right - left))
#define STEP_Y(v) (bottom - clamp100(v) / 100 * (bottom - top))

	bool ok = open_put(out, "chart-steps", spec->id, spec->title,
			   spec->desc, w, h);
	/* The bands, each from its minimum up to the one above it. */
	double upper = 100;
	for (size_t i = 0; i < spec->nbands && ok; i++) {
		const struct chart_band *b = &spec->bands[i];
		double lo = clamp100(b->min);
		const char *fill =
			chart_color_valid(b->color) ? b->color : CHART_TRACK;
		ok = buf_puts(out, "<rect class=\"chart-band\"") &&
		     attr_num(out, "x", left) &&
		     attr_num(out, "y", STEP_Y(upper)) &&
		     attr_num(out, "width", right - left) &&
		     attr_num(out, "height", STEP_Y(lo) - STEP_Y(upper)) &&
		     buf_printf(
			     out,
			     " fill=\"%s\" fill-opacity=\"" STEPS_BAND_OPACITY
			     "\"/>",
			     fill);
		if (b->label && STEP_Y(lo) - STEP_Y(upper) >= STEPS_AXIS_SIZE) {
			struct text_style band_st = { "chart-band-label",
						      STEPS_AXIS_SIZE,
						      TEXTWIDTH_BOLD, "end",
						      CHART_EDGE };
			ok = ok &&
			     text_put(out, &band_st, right - 4,
				      (STEP_Y(lo) + STEP_Y(upper)) / 2 +
					      STEPS_AXIS_SIZE * CHART_MIDLINE,
				      b->label, right - left);
		}
		ok = ok && buf_putc(out, '\n');
		upper = lo;
	}
	/* The scale: 0, 50 and 100, with a light rule at each. */
	static const char *const marks[] = { "0", "50", "100" };
	for (size_t i = 0; i < ATLAS_COUNT(marks) && ok; i++) {
		double y = STEP_Y(50.0 * (double)i);
		ok = buf_puts(out, "<line class=\"chart-rule\"") &&
		     attr_num(out, "x1", left) && attr_num(out, "y1", y) &&
		     attr_num(out, "x2", right) && attr_num(out, "y2", y) &&
		     buf_puts(out, " stroke=\"" CHART_EDGE
				   "\" stroke-opacity=\"0.35\"/>") &&
		     text_put(out, &axis_st, left - 6,
			      y + STEPS_AXIS_SIZE * CHART_MIDLINE, marks[i],
			      scale_w + 1) &&
		     buf_putc(out, '\n');
	}
	/* The x axis's two ends; the start is left out if they collide. */
	struct text_style end_st = axis_st, start_st = axis_st;
	start_st.anchor = "start";
	const double axis_y = h - CHART_PAD;
	double end_w = 0;
	if (spec->x_max_label) {
		end_w = textwidth_measure(spec->x_max_label,
					  strlen(spec->x_max_label),
					  STEPS_AXIS_SIZE, TEXTWIDTH_REGULAR);
		ok = ok && text_put(out, &end_st, right, axis_y,
				    spec->x_max_label, right - left);
	}
	if (spec->x_min_label && ok) {
		double start_w = textwidth_measure(
			spec->x_min_label, strlen(spec->x_min_label),
			STEPS_AXIS_SIZE, TEXTWIDTH_REGULAR);
		if (start_w + end_w + 8 <= right - left)
			ok = text_put(out, &start_st, left, axis_y,
				      spec->x_min_label, start_w + 1);
	}
	ok = ok && buf_putc(out, '\n');

	/* Each series: a step line to x_max, a dot with a title per step. */
	double legend_x = left;
	for (size_t s = 0; s < spec->nseries && ok; s++) {
		const struct chart_series *se = &spec->series[s];
		const char *color = chart_color_valid(se->color)
					    ? se->color
					    : palette[s % ATLAS_COUNT(palette)];
		if (legend && se->name) {
			struct text_style leg_st = { "chart-legend",
						     STEPS_AXIS_SIZE,
						     TEXTWIDTH_REGULAR, "start",
						     CHART_INK };
			double lw = textwidth_measure(
				se->name, strlen(se->name), STEPS_AXIS_SIZE,
				TEXTWIDTH_REGULAR);
			double ly = CHART_PAD + STEPS_AXIS_SIZE / 2;
			ok = buf_puts(out, "<line class=\"chart-swatch\"") &&
			     attr_num(out, "x1", legend_x) &&
			     attr_num(out, "y1", ly) &&
			     attr_num(out, "x2", legend_x + 18) &&
			     attr_num(out, "y2", ly) &&
			     buf_printf(out,
					" stroke=\"%s\" stroke-width=\"3\"%s/>",
					color,
					se->dashed ? " stroke-dasharray=\"5 3\""
						   : "") &&
			     text_put(out, &leg_st, legend_x + 24,
				      ly + STEPS_AXIS_SIZE * CHART_MIDLINE,
				      se->name, right - legend_x - 24) &&
			     buf_putc(out, '\n');
			legend_x += 24 + lw + 16;
		}
		if (!se->nsteps)
			continue;
		ok = ok && buf_puts(out, "<path class=\"chart-line\" d=\"M") &&
		     chart_num_put(out, STEP_X(se->steps[0].x)) &&
		     buf_putc(out, ' ') &&
		     chart_num_put(out, STEP_Y(se->steps[0].value));
		for (size_t i = 1; i < se->nsteps && ok; i++)
			ok = buf_puts(out, "H") &&
			     chart_num_put(out, STEP_X(se->steps[i].x)) &&
			     buf_puts(out, "V") &&
			     chart_num_put(out, STEP_Y(se->steps[i].value));
		ok = ok && buf_puts(out, "H") &&
		     chart_num_put(out, STEP_X(spec->x_max)) &&
		     buf_printf(out,
				"\" fill=\"none\" stroke=\"%s\" "
				"stroke-width=\"2.5\"%s/>\n",
				color,
				se->dashed ? " stroke-dasharray=\"5 3\"" : "");
		for (size_t i = 0; i < se->nsteps && ok; i++) {
			const struct chart_step *st = &se->steps[i];
			ok = buf_puts(out, "<circle class=\"chart-point\"") &&
			     attr_num(out, "cx", STEP_X(st->x)) &&
			     attr_num(out, "cy", STEP_Y(st->value)) &&
			     buf_printf(out, " r=\"3.5\" fill=\"%s\">", color);
			if (st->label)
				ok = ok && buf_puts(out, "<title>") &&
				     esc_xml_str(out, st->label) &&
				     buf_puts(out, "</title>");
			ok = ok && buf_puts(out, "</circle>\n");
		}
	}
#undef STEP_X
#undef STEP_Y
	return ok && buf_puts(out, "</svg>\n");
}
