/*
 * test_chart.c - the insights charts: bars scale with their values, empty
 * and all-zero data draw without dividing by zero, labels are escaped and
 * measured (cut with an ellipsis, whole in the row's <title>), shares
 * add up to 100%, and the markup obeys the page's rules: no inline style,
 * no XML declaration, an accessible name, the same bytes every time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "chart.h"
#include "method.h"
#include "textwidth.h"

#include "fixtures/svg_probe.h"

static char *bars(const struct chart_bars *spec)
{
	struct buf b = BUF_INIT;
	assert_true(chart_bars(&b, spec));
	return buf_detach(&b, NULL);
}

static char *share(const struct chart_share *spec)
{
	struct buf b = BUF_INIT;
	assert_true(chart_share(&b, spec));
	return buf_detach(&b, NULL);
}

static double attr_num(const char *tag, const char *name)
{
	char v[64];
	assert_non_null(svg_attr(tag, name, v, sizeof(v)));
	return strtod(v, NULL);
}

/* The @i-th (0-based) tag starting with @start, or NULL. */
static const char *nth(const char *svg, const char *start, int i)
{
	const char *p = strstr(svg, start);
	while (p && i-- > 0)
		p = strstr(p + 1, start);
	return p;
}

/* The viewBox width of a chart. */
static double view_width(const char *svg)
{
	char v[64];
	double x, y, w, h;
	assert_non_null(svg_attr(svg, "viewBox", v, sizeof(v)));
	assert_int_equal(sscanf(v, "%lf %lf %lf %lf", &x, &y, &w, &h), 4);
	return w;
}

/* Rules every chart obeys, whatever its data. */
static void assert_chart_rules(const char *svg)
{
	assert_true(
		!strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39));
	assert_null(strstr(svg, "<?xml"));
	assert_null(strstr(svg, "style"));
	assert_null(strstr(svg, "<script"));
	assert_null(strstr(svg, "nan"));
	assert_null(strstr(svg, "inf"));
	assert_null(strstr(svg, "e+"));
	/* An intrinsic size equal to the viewBox: the page's stylesheet
	 * scales it down on narrow screens but never up. */
	char width[32], height[32], box[64];
	assert_non_null(svg_attr(svg, "width", width, sizeof(width)));
	assert_non_null(svg_attr(svg, "height", height, sizeof(height)));
	assert_non_null(svg_attr(svg, "viewBox", box, sizeof(box)));
	char want_box[80];
	snprintf(want_box, sizeof(want_box), "0 0 %s %s", width, height);
	assert_string_equal(box, want_box);
	assert_non_null(strstr(svg, " role=\"img\" aria-labelledby=\""));
	/* Every id the accessible name points at exists. */
	char ids[256];
	assert_non_null(svg_attr(svg, "aria-labelledby", ids, sizeof(ids)));
	for (char *id = strtok(ids, " "); id; id = strtok(NULL, " ")) {
		char want[300];
		snprintf(want, sizeof(want), " id=\"%s\">", id);
		assert_non_null(strstr(svg, want));
	}
	/* Every row has a tooltip. */
	int rows = 0, titles = 0;
	for (const char *p = strstr(svg, "<g class=\"chart-row\">"); p;
	     p = strstr(p + 1, "<g class=\"chart-row\">")) {
		rows++;
		titles += !strncmp(p + strlen("<g class=\"chart-row\">"),
				   "<title>", 7);
	}
	assert_int_equal(rows, titles);
	/* Text stays inside the viewBox. */
	double vw = view_width(svg);
	for (const char *t = strstr(svg, "<text "); t;
	     t = strstr(t + 1, "<text ")) {
		char text[512], anchor[16];
		svg_content(t, text, sizeof(text));
		double x = attr_num(t, "x");
		double w = textwidth_measure(text, strlen(text),
					     attr_num(t, "font-size"),
					     TEXTWIDTH_REGULAR);
		const char *a =
			svg_attr(t, "text-anchor", anchor, sizeof(anchor));
		double left = !a ? x : !strcmp(a, "end") ? x - w : x - w / 2;
		assert_true(left >= 0);
		assert_true(left + w <= vw);
	}
}

static void bars_scale_with_values(void **state)
{
	(void)state;
	const struct chart_bar b[] = {
		{ "Half", 50, NULL, NULL },
		{ "Full", 100, NULL, NULL },
		{ "Quarter", 25, "25%", "#b42318" },
		{ "Over", 250, NULL, NULL },
	};
	struct chart_bars spec = { "t", "Title", "Desc", b, 4, 100, 0, 0 };
	char *svg = bars(&spec);
	assert_chart_rules(svg);
	double track =
		attr_num(nth(svg, "<rect class=\"chart-track\"", 0), "width");
	assert_true(track > 100);
	double w[4];
	for (int i = 0; i < 4; i++) {
		const char *r = nth(svg, "<rect class=\"chart-bar\"", i);
		assert_non_null(r);
		w[i] = attr_num(r, "width");
		/* Tracks are the same width on every row. */
		assert_true(attr_num(nth(svg, "<rect class=\"chart-track\"", i),
				     "width") == track);
	}
	assert_true(fabs(w[0] - track / 2) <= 0.1);
	assert_true(fabs(w[1] - track) <= 0.1);
	assert_true(fabs(w[2] - track / 4) <= 0.1);
	assert_true(fabs(w[3] - track) <= 0.1); /* clamped at the axis max */
	assert_non_null(strstr(svg, "fill=\"#b42318\""));
	assert_non_null(strstr(svg, ">25%</text>"));
	assert_non_null(strstr(svg, "<title>Half: 50</title>"));
	free(svg);

	/* Without a max, the largest value fills the track. */
	spec.max = 0;
	spec.nbars = 3;
	svg = bars(&spec);
	track = attr_num(nth(svg, "<rect class=\"chart-track\"", 0), "width");
	assert_true(fabs(attr_num(nth(svg, "<rect class=\"chart-bar\"", 1),
				  "width") -
			 track) <= 0.1);
	assert_true(fabs(attr_num(nth(svg, "<rect class=\"chart-bar\"", 0),
				  "width") -
			 track / 2) <= 0.1);
	free(svg);
}

static void grade_colours_from_the_table(void **state)
{
	(void)state;
	const struct method *m = method_current();
	struct chart_bar b[8];
	char letters[8][2];
	assert_true(m->ngrades <= 8);
	for (size_t i = 0; i < m->ngrades; i++) {
		letters[i][0] = m->grades[i].letter;
		letters[i][1] = '\0';
		b[i] = (struct chart_bar){ letters[i], (double)i * 7, NULL,
					   m->grades[i].color };
	}
	struct chart_bars spec = { "grades", "Grades",	 "Records per grade",
				   b,	     m->ngrades, 0,
				   0,	     0 };
	char *svg = bars(&spec);
	assert_chart_rules(svg);
	for (size_t i = 0; i < m->ngrades; i++) {
		const char *r = nth(svg, "<rect class=\"chart-bar\"", (int)i);
		char fill[16], stroke[16];
		assert_string_equal(svg_attr(r, "fill", fill, sizeof(fill)),
				    m->grades[i].color);
		/* A bar needs 3:1 against the page (WCAG non-text contrast):
		 * its fill, or else the edge drawn round it. */
		double c = chart_color_contrast(fill, "#ffffff");
		const char *edge =
			svg_attr(r, "stroke", stroke, sizeof(stroke));
		print_message("# bar grade %c %s on white: %.2f:1%s%s\n",
			      m->grades[i].letter, fill, c,
			      edge ? ", edged " : "", edge ? edge : "");
		assert_true(c >= 3 || (edge && chart_color_contrast(
						       edge, "#ffffff") >= 3));
		assert_true(c < 3 || !edge);
	}
	/* Letters are short: they sit in a column left of the bars. */
	assert_non_null(strstr(svg, "text-anchor=\"end\" fill=\"#1f2328\">A<"));
	free(svg);
}

/*
 * Colour vision, simulated: Machado, Oliveira and Fernandes (2009),
 * severity 1, applied to linear RGB; then CIELAB (D65) and the CIE76
 * distance. A distance of 20 or more reads as a different colour at a
 * glance; 2 is the smallest anyone notices.
 */
static const double vision[4][3][3] = {
	{ { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } },
	{ { 0.152286, 1.052583, -0.204868 }, /* protanopia */
	  { 0.114503, 0.786281, 0.099216 },
	  { -0.003882, -0.048116, 1.051998 } },
	{ { 0.367322, 0.860646, -0.227968 }, /* deuteranopia */
	  { 0.280085, 0.672501, 0.047413 },
	  { -0.011820, 0.042940, 0.968881 } },
	{ { 1.255528, -0.076749, -0.178779 }, /* tritanopia */
	  { -0.078411, 0.930809, 0.147602 },
	  { 0.004733, 0.691367, 0.303900 } },
};
static const char *const vision_name[4] = { "normal", "protanopia",
					    "deuteranopia", "tritanopia" };

static double lab_f(double t)
{
	return t > 216.0 / 24389 ? cbrt(t) : (24389.0 / 27 * t + 16) / 116;
}

static void lab_seen(const char *hex, int v, double lab[3])
{
	unsigned rgb[3];
	assert_int_equal(sscanf(hex, "#%2x%2x%2x", &rgb[0], &rgb[1], &rgb[2]),
			 3);
	double lin[3], seen[3];
	for (int i = 0; i < 3; i++) {
		double c = rgb[i] / 255.0;
		lin[i] = c <= 0.04045 ? c / 12.92
				      : pow((c + 0.055) / 1.055, 2.4);
	}
	for (int i = 0; i < 3; i++) {
		double x = 0;
		for (int j = 0; j < 3; j++)
			x += vision[v][i][j] * lin[j];
		seen[i] = x < 0 ? 0 : x > 1 ? 1 : x;
	}
	double x = (0.4124 * seen[0] + 0.3576 * seen[1] + 0.1805 * seen[2]) /
		   0.95047;
	double y = 0.2126 * seen[0] + 0.7152 * seen[1] + 0.0722 * seen[2];
	double z = (0.0193 * seen[0] + 0.1192 * seen[1] + 0.9505 * seen[2]) /
		   1.08883;
	lab[0] = 116 * lab_f(y) - 16;
	lab[1] = 500 * (lab_f(x) - lab_f(y));
	lab[2] = 200 * (lab_f(y) - lab_f(z));
}

static double seen_distance(const char *a, const char *b, int v)
{
	double x[3], y[3];
	lab_seen(a, v, x);
	lab_seen(b, v, y);
	return sqrt((x[0] - y[0]) * (x[0] - y[0]) +
		    (x[1] - y[1]) * (x[1] - y[1]) +
		    (x[2] - y[2]) * (x[2] - y[2]));
}

/* Every two grades look different to everyone, and the letter printed on
 * each colour (in chart_color_ink()) meets AA. */
static void grade_colours_apart_in_every_vision(void **state)
{
	(void)state;
	const struct method *m = method_current();
	for (int v = 0; v < 4; v++) {
		double worst = 1000;
		char pair[3] = "";
		for (size_t i = 0; i < m->ngrades; i++)
			for (size_t j = i + 1; j < m->ngrades; j++) {
				double d = seen_distance(m->grades[i].color,
							 m->grades[j].color, v);
				if (d < worst) {
					worst = d;
					pair[0] = m->grades[i].letter;
					pair[1] = m->grades[j].letter;
				}
			}
		print_message("# grades in %s: closest pair %s, %.1f apart\n",
			      vision_name[v], pair, worst);
		assert_true(worst >= 20);
	}
	for (size_t i = 0; i < m->ngrades; i++) {
		const char *bg = m->grades[i].color;
		assert_true(chart_color_contrast(chart_color_ink(bg), bg) >=
			    4.5);
	}
	/* The simulation itself: red and green, far apart to most eyes,
	 * nearly meet without green cones; blue and yellow stay apart. */
	assert_true(seen_distance("#d62728", "#2ca02c", 0) > 60);
	assert_true(seen_distance("#8a6100", "#b5470b", 2) < 10);
	assert_true(seen_distance("#1f5fa8", "#e8d56a", 2) > 50);
}

static void empty_and_zero_data(void **state)
{
	(void)state;
	struct chart_bars none = { "e", "Empty", NULL, NULL, 0, 0, 0, 0 };
	char *svg = bars(&none);
	assert_chart_rules(svg);
	assert_non_null(strstr(svg, ">No data</text>"));
	assert_null(strstr(svg, "-desc"));
	free(svg);

	const struct chart_bar zero[] = {
		{ "A", 0, NULL, NULL },
		{ "B", -5, NULL, NULL },
		{ "C", NAN, NULL, NULL },
		{ "D", INFINITY, NULL, NULL },
	};
	struct chart_bars z = { "z", "Zero", "All zero", zero, 4, 0, 0, 0 };
	svg = bars(&z);
	assert_chart_rules(svg);
	for (int i = 0; i < 4; i++)
		assert_true(attr_num(nth(svg, "<rect class=\"chart-bar\"", i),
				     "width") == 0);
	free(svg);
	z.max = -1;
	svg = bars(&z);
	assert_chart_rules(svg);
	free(svg);
	/* A max that is not a number means "the largest value". */
	const struct chart_bar one[] = { { "A", 4, NULL, NULL },
					 { "B", 2, NULL, NULL } };
	struct chart_bars o = { "o", "One", NULL, one, 2, NAN, 0, 0 };
	svg = bars(&o);
	assert_chart_rules(svg);
	double track =
		attr_num(nth(svg, "<rect class=\"chart-track\"", 0), "width");
	assert_true(fabs(attr_num(nth(svg, "<rect class=\"chart-bar\"", 1),
				  "width") -
			 track / 2) <= 0.1);
	free(svg);

	const struct chart_part parts[] = { { "Yes", 0, NULL },
					    { "No", 0, NULL } };
	struct chart_share s = { "s", "Share", "Nothing yet", parts, 2, 0 };
	svg = share(&s);
	assert_chart_rules(svg);
	assert_null(strstr(svg, "chart-segment"));
	assert_non_null(strstr(svg, ">Yes 0%</text>"));
	assert_non_null(strstr(svg, "<title>No: 0% (0 of 0)</title>"));
	free(svg);
	s.nparts = 0;
	svg = share(&s);
	assert_chart_rules(svg);
	assert_non_null(strstr(svg, ">No data</text>"));
	free(svg);
}

static void hostile_labels_are_escaped(void **state)
{
	(void)state;
	const char *evil = "<script>alert(1)</script> & \"x\" '";
	const struct chart_bar b[] = { { evil, 3, evil, "\"><script>" } };
	struct chart_bars spec = { "x\"><script>", evil, evil, b, 1, 0, 0, 0 };
	char *svg = bars(&spec);
	for (char *p = svg; *p; p++)
		assert_false(!strncasecmp(p, "<script", 7));
	assert_non_null(strstr(svg, "&lt;script&gt;alert(1)&lt;/script&gt; "
				    "&amp; &quot;x&quot; &#39;"));
	assert_non_null(strstr(svg, "fill=\"" CHART_COLOR "\""));
	free(svg);

	const struct chart_part p[] = { { evil, 1, "red" } };
	struct chart_share s = { "s", evil, NULL, p, 1, 0 };
	svg = share(&s);
	for (char *q = svg; *q; q++)
		assert_false(!strncasecmp(q, "<script", 7));
	assert_null(strstr(svg, "\"red\""));
	free(svg);
}

static void long_labels_are_cut_and_kept_in_title(void **state)
{
	(void)state;
	const char *longest = "Identity & credit monitoring, background "
			      "checks, data brokers and people-search sites";
	const struct chart_bar b[] = {
		{ "Streaming", 72, NULL, NULL },
		{ "Identity & credit monitoring", 48.5, NULL, NULL },
		{ longest, 61, NULL, NULL },
	};
	for (double width = 160; width <= 520; width += 40) {
		struct chart_bars spec = {
			"i", "By industry", "Mean score", b, 3, 100, width, 0
		};
		char *svg = bars(&spec);
		assert_chart_rules(svg);
		assert_true(view_width(svg) == width);
		/* The full label is the tooltip. */
		assert_non_null(strstr(svg, "<title>Identity &amp; credit "
					    "monitoring, background checks, "
					    "data brokers and people-search "
					    "sites: 61</title>"));
		const char *t = nth(svg, "<text class=\"chart-label\"", 2);
		char text[512];
		svg_content(t, text, sizeof(text));
		assert_true(strlen(text) < strlen(longest));
		assert_string_equal(text + strlen(text) - 3,
				    TEXTWIDTH_ELLIPSIS);
		assert_true(!strncmp(text, longest,
				     strlen(text) - 3)); /* a prefix */
		/* Labels do not run into each other: each has its own line
		 * above its bar. */
		double y0 = attr_num(nth(svg, "<text class=\"chart-label\"", 0),
				     "y");
		double y1 = attr_num(nth(svg, "<text class=\"chart-label\"", 1),
				     "y");
		assert_true(y1 - y0 >= 14 * 1.2);
		double bar_y =
			attr_num(nth(svg, "<rect class=\"chart-bar\"", 0), "y");
		assert_true(bar_y >= y0 + 14 * 0.25);
		free(svg);
	}
	/* "Identity & credit monitoring" fits whole at the default width,
	 * the longest label at a wide one. */
	struct chart_bars spec = { "i", "By industry", NULL, b, 2, 100, 0, 0 };
	char *svg = bars(&spec);
	assert_non_null(strstr(svg, ">Identity &amp; credit monitoring<"));
	free(svg);
	spec.nbars = 3;
	spec.width = 800;
	svg = bars(&spec);
	assert_chart_rules(svg);
	assert_non_null(strstr(svg, "people-search sites</text>"));
	free(svg);
}

static void shares_add_up_and_wrap(void **state)
{
	(void)state;
	const struct chart_part thirds[] = { { "One", 1, NULL },
					     { "Two", 1, NULL },
					     { "Three", 1, NULL } };
	struct chart_share s = { "p", "Thirds", "Equal parts", thirds, 3, 0 };
	char *svg = share(&s);
	assert_chart_rules(svg);
	assert_non_null(strstr(svg, ">One 34%</text>"));
	assert_non_null(strstr(svg, ">Two 33%</text>"));
	assert_non_null(strstr(svg, ">Three 33%</text>"));
	/* The segments tile the track exactly. */
	const char *track = strstr(svg, "<rect class=\"chart-track\"");
	double x = attr_num(track, "x"), w = attr_num(track, "width");
	double sum = 0;
	for (int i = 0; i < 3; i++) {
		const char *seg = nth(svg, "<rect class=\"chart-segment\"", i);
		assert_true(fabs(attr_num(seg, "x") - (x + sum)) <= 0.1);
		sum += attr_num(seg, "width");
	}
	assert_true(fabs(sum - w) <= 0.2);
	free(svg);

	const struct chart_part pause[] = {
		{ "Pause or freeze offered", 120, "#1a7f37" },
		{ "No pause", 230, "#57606a" },
		{ "Not stated in the policy", 50, NULL },
		{ "Offered only to annual plans bought on the web", 7, NULL },
	};
	struct chart_share p = { "pause", "Pause", "Pause availability",
				 pause,	  4,	   200 };
	svg = share(&p);
	assert_chart_rules(svg);
	/* A narrow chart puts the legend on several lines. */
	double y_first =
		attr_num(nth(svg, "<rect class=\"chart-swatch\"", 0), "y");
	double y_last =
		attr_num(nth(svg, "<rect class=\"chart-swatch\"", 3), "y");
	assert_true(y_last > y_first);
	assert_non_null(strstr(svg, "<title>Pause or freeze offered: 29% "
				    "(120 of 407)</title>"));
	free(svg);
}

static void output_is_deterministic(void **state)
{
	(void)state;
	const struct chart_bar b[] = { { "Third", 1.0 / 3, NULL, NULL },
				       { "Two thirds", 2.0 / 3, NULL, NULL } };
	struct chart_bars spec = { "d", "D", "d", b, 2, 1, 333.33, 0 };
	char *one = bars(&spec);
	char *two = bars(&spec);
	assert_string_equal(one, two);
	assert_non_null(strstr(one, "viewBox=\"0 0 333.3 "));
	assert_non_null(strstr(one, ">0.3</text>"));
	assert_non_null(strstr(one, ">0.7</text>"));
	free(one);
	free(two);

	/* A taller height centres the rows. */
	spec.height = 400;
	one = bars(&spec);
	assert_non_null(strstr(one, "viewBox=\"0 0 333.3 400\""));
	free(one);
}

static void numbers_and_colours(void **state)
{
	(void)state;
	static const struct {
		double v;
		const char *want;
	} cases[] = {
		{ 12, "12" },
		{ 12.25, "12.3" },
		{ 0.04, "0" },
		{ -0.04, "0" },
		{ -3, "-3" },
		{ -2.5, "-2.5" },
		{ 1e300, "1000000000000" },
		{ NAN, "0" },
		{ INFINITY, "0" },
		{ 99.95, "100" },
	};
	for (size_t i = 0; i < ATLAS_COUNT(cases); i++) {
		struct buf b = BUF_INIT;
		assert_true(chart_num_put(&b, cases[i].v));
		assert_string_equal(b.data, cases[i].want);
		buf_free(&b);
	}
	assert_true(chart_color_valid("#1a7f37"));
	assert_true(chart_color_valid("#FFF"));
	assert_false(chart_color_valid("1a7f37"));
	assert_false(chart_color_valid("#1a7f3"));
	assert_false(chart_color_valid("#1a7f3g"));
	assert_false(chart_color_valid(NULL));
	assert_true(fabs(chart_color_contrast("#ffffff", "#000") - 21) < 1e-9);
	assert_true(fabs(chart_color_contrast("#777", "#777777") - 1) < 1e-9);
	assert_true(chart_color_contrast("white", "#000") == 0);
	/* The text ink on the white page. */
	assert_true(chart_color_contrast("#1f2328", "#ffffff") >= 4.5);
	/* Ink on a colour: white where it passes, else dark, else black. */
	assert_string_equal(chart_color_ink("#1f5fa8"), "#ffffff");
	assert_string_equal(chart_color_ink("#e8d56a"), "#1f2328");
	assert_string_equal(chart_color_ink("#7a7a7a"), "#000000");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bars_scale_with_values),
		cmocka_unit_test(grade_colours_from_the_table),
		cmocka_unit_test(grade_colours_apart_in_every_vision),
		cmocka_unit_test(empty_and_zero_data),
		cmocka_unit_test(hostile_labels_are_escaped),
		cmocka_unit_test(long_labels_are_cut_and_kept_in_title),
		cmocka_unit_test(shares_add_up_and_wrap),
		cmocka_unit_test(output_is_deterministic),
		cmocka_unit_test(numbers_and_colours),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
