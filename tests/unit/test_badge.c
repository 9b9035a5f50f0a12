/*
 * test_badge.c - the grade badge and the text measurer it relies on:
 * exact size, accessible name, escaping of hostile names, colours from
 * the methodology table with AA contrast, every text inside its panel
 * as measured, and the embed code exactly as the seed page shows it.
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

#include "badge.h"
#include "score.h"
#include "textwidth.h"

#include "fixtures/svg_probe.h"

/* Where the grade panel starts (badge.c). */
#define SPLIT 128.0

/* The seed's site, as data/site.yaml gives it. */
#define TEXT(s)                                                                \
	{                                                                      \
		s, sizeof(s) - 1,                                              \
		{                                                              \
			0, 0                                                   \
		}                                                              \
	}
static const struct site_info seed_site = {
	.name = TEXT("Cancel Atlas"),
	.url = TEXT("https://www.cancelatlas.com"),
	.license_name = TEXT("CC BY-SA 4.0"),
};

/* A record and its entry, built by hand. */
struct fake {
	struct record r;
	struct entry e;
};

static void fake_init(struct fake *f, const char *id, const char *name)
{
	memset(f, 0, sizeof(*f));
	f->r.id.s = id;
	f->r.id.len = strlen(id);
	f->r.name.s = name;
	f->r.name.len = strlen(name);
	f->r.jurisdiction.s = "US";
	f->r.jurisdiction.len = 2;
	f->r.reviewed.days = date_from_ymd(2025, 1, 15);
	f->e.r = &f->r;
	f->e.headline = &f->e.policy;
}

/* The seed's Coursera levels: 50, 100, 100, 100, 70 score 79, grade B. */
static void fake_coursera(struct fake *f, const char *id, const char *name)
{
	static const int levels[] = { 50, 100, 100, 100, 70 };
	fake_init(f, id, name);
	for (size_t i = 0; i < 5; i++)
		f->r.policy[i].v = levels[i];
	score_policy(method_current(), &f->r, &f->e.policy);
	assert_int_equal(f->e.policy.score, 79);
	assert_int_equal(f->e.policy.grade, 'B');
}

/* A headline of grade @g at the bottom of its band. */
static void fake_grade(struct fake *f, const struct method_grade *g,
		       const char *name)
{
	fake_init(f, "acme", name);
	f->e.policy.tier = &method_current()->policy;
	f->e.policy.score = g->min;
	f->e.policy.grade = g->letter;
	f->e.policy.band = g->letter;
}

static char *render(const struct fake *f)
{
	struct buf b = BUF_INIT;
	assert_true(badge_svg(&b, &seed_site, method_current(), &f->e));
	return buf_detach(&b, NULL);
}

static double attr_num(const char *tag, const char *name, double dflt)
{
	char v[64];
	return svg_attr(tag, name, v, sizeof(v)) ? strtod(v, NULL) : dflt;
}

/* WCAG 2 contrast, written out here independently of chart.c. */
static double channel(unsigned v)
{
	double c = v / 255.0;
	return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double lum(const char *hex)
{
	unsigned r, g, b;
	assert_int_equal(strlen(hex), 7);
	assert_int_equal(sscanf(hex, "#%2x%2x%2x", &r, &g, &b), 3);
	return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

static double contrast(const char *a, const char *b)
{
	double x = lum(a), y = lum(b);
	return x > y ? (x + 0.05) / (y + 0.05) : (y + 0.05) / (x + 0.05);
}

static void exact_size_and_accessible_name(void **state)
{
	(void)state;
	struct fake f;
	fake_coursera(&f, "coursera", "Coursera");
	char *svg = render(&f);
	assert_true(!strncmp(svg,
			     "<svg xmlns=\"http://www.w3.org/2000/svg\" "
			     "width=\"232\" height=\"52\" "
			     "viewBox=\"0 0 232 52\" role=\"img\" "
			     "aria-labelledby=\"badge-title\"",
			     strlen("<svg xmlns=\"http://www.w3.org/2000/svg\" "
				    "width=\"232\" height=\"52\" "
				    "viewBox=\"0 0 232 52\" role=\"img\" "
				    "aria-labelledby=\"badge-title\"")));
	assert_non_null(strstr(svg, "aria-describedby=\"badge-desc\""));
	assert_non_null(strstr(svg, "<title id=\"badge-title\">Cancel Atlas "
				    "\u2014 Coursera (US): grade B, "
				    "79/100</title>"));
	assert_non_null(strstr(svg, "<desc id=\"badge-desc\">Coursera in "
				    "the US has grade B, 79 out of 100"));
	assert_non_null(strstr(svg, "<desc id=\"badge-desc\">"));
	assert_non_null(strstr(svg, ">Cancel Atlas</text>"));
	assert_non_null(strstr(svg, ">B</text>"));
	assert_non_null(strstr(svg, ">79/100</text>"));
	assert_non_null(strstr(svg, ">US</text>"));
	assert_null(strstr(svg, "<?xml"));
	assert_null(strstr(svg, "style"));
	assert_null(strstr(svg, "textLength"));
	/* Exactly one root element, closed at the end. */
	assert_string_equal(svg + strlen(svg) - 7, "</svg>\n");
	free(svg);
}

static void hostile_name_is_escaped(void **state)
{
	(void)state;
	struct fake f;
	fake_coursera(&f, "acme", "<script>alert(1)</script> & \"Co\"");
	char *svg = render(&f);
	assert_non_null(strstr(svg,
			       "<title id=\"badge-title\">Cancel Atlas "
			       "\u2014 &lt;script&gt;alert(1)&lt;/script&gt;"
			       " &amp; &quot;Co&quot; (US): grade B, "
			       "79/100</title>"));
	for (char *p = svg; *p; p++)
		assert_false(!strncasecmp(p, "<script", 7));
	assert_null(strstr(svg, "& \""));
	free(svg);
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, what)) != NULL;
	     p += strlen(what))
		n++;
	return n;
}

/* A right-to-left name too long for its panel is cut: its isolate must
 * still be closed, inside its <text>, with the ellipsis after it. */
static void cut_rtl_name_closes_its_isolate(void **state)
{
	(void)state;
	struct fake f;
	fake_coursera(&f, "acme",
		      "\u0634\u0631\u0643\u0629 \u0627\u0644\u0627\u062a"
		      "\u0635\u0627\u0644\u0627\u062a \u0627\u0644\u0633"
		      "\u0639\u0648\u062f\u064a\u0629 \u0627\u0644\u0645"
		      "\u062a\u062d\u062f\u0629 \u0644\u0644\u0627\u0634"
		      "\u062a\u0631\u0627\u0643\u0627\u062a \u0627\u0644"
		      "\u0631\u0642\u0645\u064a\u0629");
	char *svg = render(&f);
	assert_non_null(strstr(svg, "\u2069" TEXTWIDTH_ELLIPSIS "</text>"));
	assert_int_equal(count(svg, "\u2068"), count(svg, "\u2069"));
	for (const char *t = svg; (t = strstr(t, "<text")) != NULL; t++) {
		const char *end = strstr(t, "</text>");
		assert_non_null(end);
		size_t open = 0;
		for (const char *p = t; p < end; p++)
			if (!strncmp(p, "\u2068", 3))
				open++;
			else if (!strncmp(p, "\u2069", 3))
				open--;
		assert_int_equal(open, 0);
	}
	free(svg);
}

static void colour_comes_from_the_table(void **state)
{
	(void)state;
	const struct method *m = method_current();
	for (size_t i = 0; i < m->ngrades; i++) {
		const struct method_grade *g = &m->grades[i];
		struct fake f;
		fake_grade(&f, g, "Acme");
		char *svg = render(&f);
		char want[64];
		snprintf(want, sizeof(want),
			 "<rect width=\"232\" height=\"52\" rx=\"4\" "
			 "fill=\"%s\"/>",
			 g->color);
		assert_non_null(strstr(svg, want));
		char letter[16];
		snprintf(letter, sizeof(letter), ">%c</text>", g->letter);
		assert_non_null(strstr(svg, letter));
		snprintf(letter, sizeof(letter), ">%d/100</text>", g->min);
		assert_non_null(strstr(svg, letter));
		free(svg);
	}
}

/*
 * Every <text> of @svg, measured at the size it was given, lies inside
 * its panel: the label panel left of SPLIT, the grade panel right of it;
 * in the grade panel, the letter (the first text there) lies left of the
 * score and jurisdiction, and is at least 32 px tall.
 */
static void assert_texts_fit(const char *svg)
{
	int n = 0;
	double letter_right = -1, label_bottom = 0;
	for (const char *t = strstr(svg, "<text "); t;
	     t = strstr(t + 1, "<text ")) {
		char text[1024], weight[16], anchor[16];
		svg_content(t, text, sizeof(text));
		double x = attr_num(t, "x", -1);
		double size = attr_num(t, "font-size", -1);
		bool bold = svg_attr(t, "font-weight", weight, sizeof(weight));
		bool middle =
			svg_attr(t, "text-anchor", anchor, sizeof(anchor));
		double w = textwidth_measure(text, strlen(text), size,
					     bold ? TEXTWIDTH_BOLD
						  : TEXTWIDTH_REGULAR);
		double left = middle ? x - w / 2 : x;
		double right = middle ? x + w / 2 : x + w;
		double lo = x < SPLIT ? 0 : SPLIT;
		double hi = x < SPLIT ? SPLIT : BADGE_WIDTH;
		assert_true(size >= 8);
		assert_true(left >= lo + 4);
		assert_true(right <= hi - 4);
		if (x >= SPLIT && letter_right < 0) {
			assert_int_equal(strlen(text), 1);
			assert_true(size >= 32);
			letter_right = right;
		} else if (x >= SPLIT) {
			assert_true(left >= letter_right + 4);
		}
		char spare[64];
		assert_null(svg_attr(t, "textLength", spare, sizeof(spare)));
		/* Lines of the label panel, top down, never overlap: each
		 * baseline is at least its own font size below the last. */
		double y = attr_num(t, "y", -1);
		if (x < SPLIT) {
			assert_true(y - size >= label_bottom - 0.01);
			assert_true(y <= BADGE_HEIGHT - 4);
			label_bottom = y;
		}
		n++;
	}
	/* Site, company and review month; letter, score and jurisdiction. */
	assert_int_equal(n, 6);
}

static void text_is_measured_to_fit(void **state)
{
	(void)state;
	/* A Japanese company name, and Latin, Polish and Cyrillic mixed. */
	static const char cjk[] = "\u6771\u4eac\u96fb\u529b\u30a8\u30ca"
				  "\u30b8\u30fc\u30d1\u30fc\u30c8\u30ca"
				  "\u30fc";
	static const char mixed[] = "Zo\u00eb's Caf\u00e9 \u2014 \u0141\u00f3d"
				    "\u017a \u041c\u043e\u0441\u043a\u0432"
				    "\u0430 Ltd";
	const char *const names[] = {
		"Coursera",
		"Identity & credit monitoring services of America, Inc.",
		"WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
		cjk,
		mixed,
		"",
	};
	const struct method *m = method_current();
	for (size_t i = 0; i < ATLAS_COUNT(names); i++) {
		for (size_t g = 0; g < m->ngrades; g++) {
			struct fake f;
			fake_grade(&f, &m->grades[g], names[i]);
			f.e.policy.score = g ? m->grades[g].min : 100;
			char *svg = render(&f);
			assert_texts_fit(svg);
			free(svg);
		}
	}
	/* A long name is cut with an ellipsis and kept whole in <title>. */
	struct fake f;
	fake_grade(&f, &m->grades[0], names[1]);
	char *svg = render(&f);
	assert_non_null(strstr(svg, "\u2026</text>"));
	assert_non_null(strstr(svg, names[1] + 18)); /* "services of ..." */
	/* "Cancel Atlas" is set at its full size. */
	assert_non_null(strstr(svg, "font-size=\"13\" font-weight=\"bold\" "
				    "fill=\"#ffffff\">Cancel Atlas<"));
	free(svg);
}

/*
 * The lowest contrast of any text on the grade panel of @svg, and of any
 * on the label panel, each against the panel's own fill.
 */
static void badge_contrast(const char *svg, double *grade, double *label)
{
	char grade_bg[16], label_bg[16];
	assert_non_null(svg_attr(strstr(svg, "<rect "), "fill", grade_bg,
				 sizeof(grade_bg)));
	assert_non_null(svg_attr(strstr(svg, "<path "), "fill", label_bg,
				 sizeof(label_bg)));
	*grade = *label = 21;
	for (const char *t = strstr(svg, "<text "); t;
	     t = strstr(t + 1, "<text ")) {
		char fill[16];
		assert_non_null(svg_attr(t, "fill", fill, sizeof(fill)));
		bool right = attr_num(t, "x", 0) >= SPLIT;
		double c = contrast(fill, right ? grade_bg : label_bg);
		double *low = right ? grade : label;
		*low = c < *low ? c : *low;
	}
}

static void contrast_is_aa_for_every_grade(void **state)
{
	(void)state;
	const struct method *m = method_current();
	for (size_t i = 0; i < m->ngrades; i++) {
		const struct method_grade *g = &m->grades[i];
		struct fake f;
		fake_grade(&f, g, "Acme");
		char *svg = render(&f);
		double grade, label;
		badge_contrast(svg, &grade, &label);
		print_message("# badge grade %c on %s: %.2f:1 (label panel "
			      "%.2f:1)\n",
			      g->letter, g->color, grade, label);
		assert_true(grade >= 4.5);
		assert_true(label >= 4.5);
		free(svg);
	}
}

/*
 * An A and a B badge are told apart at a glance: their colours differ in
 * lightness by 2:1 at least (not a shade), and their letters, each in
 * AA ink, are large. Every pair of grades differs too.
 */
static void grades_look_different(void **state)
{
	(void)state;
	const struct method *m = method_current();
	char bg[8][16];
	assert_true(m->ngrades <= 8);
	for (size_t i = 0; i < m->ngrades; i++) {
		struct fake f;
		fake_grade(&f, &m->grades[i], "Acme");
		char *svg = render(&f);
		assert_non_null(
			svg_attr(strstr(svg, "<rect "), "fill", bg[i], 16));
		free(svg);
	}
	double ab = contrast(bg[0], bg[1]);
	print_message("# badge A %s and B %s: %.2f:1 apart\n", bg[0], bg[1],
		      ab);
	assert_true(ab >= 2);
	for (size_t i = 0; i < m->ngrades; i++)
		for (size_t j = i + 1; j < m->ngrades; j++)
			assert_string_not_equal(bg[i], bg[j]);
}

/* A subdivision is named as it is coded, and measured to fit too. */
/* The label panel ends with the month of the review, fitted in. */
static void review_month_is_shown(void **state)
{
	(void)state;
	static const struct {
		int y, m, d;
		const char *want;
	} cases[] = {
		{ 2025, 1, 15, ">reviewed Jan 2025</text>" },
		{ 2026, 12, 31, ">reviewed Dec 2026</text>" },
		{ 2024, 2, 29, ">reviewed Feb 2024</text>" },
	};
	for (size_t i = 0; i < ATLAS_COUNT(cases); i++) {
		struct fake f;
		fake_coursera(&f, "coursera", "Coursera");
		f.r.reviewed.days =
			date_from_ymd(cases[i].y, cases[i].m, cases[i].d);
		char *svg = render(&f);
		assert_non_null(strstr(svg, cases[i].want));
		assert_texts_fit(svg);
		free(svg);
	}
}

static void jurisdiction_is_shown(void **state)
{
	(void)state;
	static const char *const codes[] = { "US-CA", "UK", "EU", "DE" };
	for (size_t i = 0; i < ATLAS_COUNT(codes); i++) {
		struct fake f;
		fake_coursera(&f, "coursera", "Coursera");
		f.r.jurisdiction.s = codes[i];
		f.r.jurisdiction.len = strlen(codes[i]);
		char *svg = render(&f);
		char want[32];
		snprintf(want, sizeof(want), ">%s</text>", codes[i]);
		assert_non_null(strstr(svg, want));
		snprintf(want, sizeof(want), "Coursera (%s): grade B",
			 codes[i]);
		assert_non_null(strstr(svg, want));
		assert_texts_fit(svg);
		free(svg);
	}
}

/* A grade colour too light for white text gets dark text instead. */
static void light_grade_colour_gets_dark_text(void **state)
{
	(void)state;
	const struct method *cur = method_current();
	struct method_grade grades[8];
	assert_true(cur->ngrades <= 8);
	memcpy(grades, cur->grades, cur->ngrades * sizeof(grades[0]));
	struct method m = *cur;
	m.grades = grades;
	/* Light, and the mid-tones where neither white nor #1f2328 pass. */
	static const char *const light[] = { "#f2cc60", "#8a8a8a", "#7a7a7a",
					     "#2f9e6f", "#ffffff" };
	for (size_t i = 0; i < ATLAS_COUNT(light); i++) {
		grades[1].color = light[i];
		struct fake f;
		fake_coursera(&f, "coursera", "Coursera");
		struct buf b = BUF_INIT;
		assert_true(badge_svg(&b, &seed_site, &m, &f.e));
		char want[32];
		snprintf(want, sizeof(want), "fill=\"%s\"", light[i]);
		assert_non_null(strstr(b.data, want));
		double grade, label;
		badge_contrast(b.data, &grade, &label);
		assert_true(grade >= 4.5);
		assert_true(label >= 4.5);
		buf_free(&b);
	}
}

static void embed_html_matches_the_seed(void **state)
{
	(void)state;
	struct fake f;
	fake_coursera(&f, "coursera", "Coursera");
	struct buf b = BUF_INIT;
	assert_true(badge_embed_html(&b, &seed_site, &f.e));
	/* The last line of seeds/coursera-us.txt, byte for byte. */
	assert_string_equal(
		b.data,
		"<a href=\"https://www.cancelatlas.com/c/coursera\"><img "
		"src=\"https://www.cancelatlas.com/share/badges/coursera.svg\" "
		"alt=\"Cancel Atlas \xe2\x80\x94 Grade B\" width=\"232\" "
		"height=\"52\"></a>");
	buf_free(&b);

	fake_coursera(&f, "x\"><script>", "X");
	assert_true(badge_embed_html(&b, &seed_site, &f.e));
	assert_null(strstr(b.data, "<script"));
	assert_non_null(strstr(b.data, "/c/x&quot;&gt;&lt;script&gt;\""));
	buf_free(&b);
}

/* Another site's name and address, with markup in the name: both the
 * badge and its embed code carry them, escaped. */
static void another_site_names_itself(void **state)
{
	(void)state;
	static const struct site_info other = {
		.name = TEXT("A\"<b>&"),
		.url = TEXT("http://127.0.0.1:8080"),
	};
	struct fake f;
	fake_coursera(&f, "coursera", "Coursera");
	struct buf b = BUF_INIT;
	assert_true(badge_embed_html(&b, &other, &f.e));
	assert_string_equal(
		b.data,
		"<a href=\"http://127.0.0.1:8080/c/coursera\"><img "
		"src=\"http://127.0.0.1:8080/share/badges/coursera.svg\" "
		"alt=\"A&quot;&lt;b&gt;&amp; \xe2\x80\x94 Grade B\" "
		"width=\"232\" height=\"52\"></a>");
	buf_reset(&b);
	assert_true(badge_svg(&b, &other, method_current(), &f.e));
	assert_null(strstr(b.data, "<b>"));
	assert_null(strstr(b.data, "Cancel Atlas"));
	assert_non_null(strstr(b.data, "<title id=\"badge-title\">A&quot;"
				       "&lt;b&gt;&amp; \xe2\x80\x94 Coursera"));
	assert_non_null(strstr(b.data, ">A&quot;&lt;b&gt;&amp;</text>"));
	assert_non_null(strstr(
		b.data, "Cited evidence: http://127.0.0.1:8080/c/coursera"
			" (reviewed 2025-01-15)</desc>"));
	buf_free(&b);
}

static void textwidth_advances(void **state)
{
	(void)state;
	/* DejaVu Sans and DejaVu Sans Bold, 2048 units per em. */
	assert_int_equal(textwidth_advance('A', TEXTWIDTH_REGULAR), 1401);
	assert_int_equal(textwidth_advance('A', TEXTWIDTH_BOLD), 1585);
	assert_int_equal(textwidth_advance(' ', TEXTWIDTH_REGULAR), 651);
	assert_int_equal(textwidth_advance(0xe9, TEXTWIDTH_REGULAR), 1260);
	assert_int_equal(textwidth_advance(0x2014, TEXTWIDTH_REGULAR), 2048);
	assert_int_equal(textwidth_advance(0x0301, TEXTWIDTH_REGULAR), 0);
	assert_int_equal(textwidth_advance(0x200b, TEXTWIDTH_BOLD), 0);
	assert_int_equal(textwidth_advance(0x6771, TEXTWIDTH_REGULAR), 2048);
	assert_int_equal(textwidth_advance(0xac00, TEXTWIDTH_BOLD), 2048);
	assert_true(textwidth_advance(0x1f600, TEXTWIDTH_REGULAR) > 2048);
	/* Unknown scripts get a default wider than an average letter. */
	assert_true(textwidth_advance(0x0e01, TEXTWIDTH_REGULAR) >
		    textwidth_advance('n', TEXTWIDTH_REGULAR));
	/* Invalid bytes count as U+FFFD, as esc_xml() writes them. */
	assert_int_equal(textwidth_units("\xff", 1, TEXTWIDTH_REGULAR),
			 textwidth_advance(0xfffd, TEXTWIDTH_REGULAR));
	assert_int_equal(textwidth_units("", 0, TEXTWIDTH_BOLD), 0);
	/* 2048 units at 16 px is 16 px. */
	assert_true(fabs(textwidth_measure("\xe2\x80\x94", 3, 16,
					   TEXTWIDTH_REGULAR) -
			 16) < 1e-9);
}

static void textwidth_fit_and_truncate(void **state)
{
	(void)state;
	const char *s = "Identity & credit monitoring";
	size_t len = strlen(s);
	double w = textwidth_measure(s, len, 13, TEXTWIDTH_REGULAR);
	assert_true(textwidth_fit(s, len, w, 20, 8, TEXTWIDTH_REGULAR) == 13);
	assert_true(textwidth_fit(s, len, w + 1000, 20, 8, TEXTWIDTH_REGULAR) ==
		    20);
	assert_true(textwidth_fit(s, len, 10, 20, 8, TEXTWIDTH_REGULAR) == 8);
	assert_int_equal(textwidth_truncate(s, len, w, 13, TEXTWIDTH_REGULAR),
			 len);
	for (double room = 0; room < w; room += 3.7) {
		size_t keep =
			textwidth_truncate(s, len, room, 13, TEXTWIDTH_REGULAR);
		assert_true(keep < len);
		double used =
			textwidth_measure(s, keep, 13, TEXTWIDTH_REGULAR) +
			textwidth_measure(TEXTWIDTH_ELLIPSIS, 3, 13,
					  TEXTWIDTH_REGULAR);
		assert_true(keep == 0 || used <= room);
		assert_true(keep == 0 || s[keep - 1] != ' ');
	}
	/* Cuts fall between code points and never strip a combining mark
	 * (e + U+0301) from its letter. */
	const char *u = "e\xcc\x81\xc3\xa9\xe6\x9d\xb1\xe4\xba\xac";
	size_t ulen = strlen(u);
	for (double room = 0; room < 60; room += 0.5) {
		size_t keep = textwidth_truncate(u, ulen, room, 12,
						 TEXTWIDTH_REGULAR);
		assert_true(keep == 0 || keep == 3 || keep == 5 || keep == 8 ||
			    keep == ulen);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exact_size_and_accessible_name),
		cmocka_unit_test(hostile_name_is_escaped),
		cmocka_unit_test(cut_rtl_name_closes_its_isolate),
		cmocka_unit_test(colour_comes_from_the_table),
		cmocka_unit_test(text_is_measured_to_fit),
		cmocka_unit_test(contrast_is_aa_for_every_grade),
		cmocka_unit_test(light_grade_colour_gets_dark_text),
		cmocka_unit_test(grades_look_different),
		cmocka_unit_test(jurisdiction_is_shown),
		cmocka_unit_test(review_month_is_shown),
		cmocka_unit_test(embed_html_matches_the_seed),
		cmocka_unit_test(another_site_names_itself),
		cmocka_unit_test(textwidth_advances),
		cmocka_unit_test(textwidth_fit_and_truncate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
