/*
 * chart.h - inline SVG charts for the insights page, drawn from plain
 * labels and numbers; how the numbers were computed is the caller's
 * business.
 *
 * Charts are meant to sit inside an HTML page: no XML declaration, no
 * style attribute or element (the site's Content-Security-Policy forbids
 * inline styles), width="100%" and a viewBox so they scale from a phone
 * to a desktop. Colours and sizes are presentation attributes, which any
 * rule of the site stylesheet overrides; every element a stylesheet may
 * want carries a class: chart, chart-bars / chart-share, chart-row,
 * chart-label, chart-value, chart-track, chart-bar, chart-segment,
 * chart-legend, chart-swatch.
 */
#ifndef CANCELATLAS_CHART_H
#define CANCELATLAS_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* The bar colour when none is given. */
#define CHART_COLOR "#0969da"

/* One bar of a bar chart. */
struct chart_bar {
	const char *label;	 /* shown beside the bar; may be cut short */
	double value;		 /* below 0, NaN and infinities count as 0 */
	const char *value_label; /* "42%"; NULL: the value, rounded */
	const char *color;	 /* "#rrggbb"; NULL or invalid: CHART_COLOR */
};

struct chart_bars {
	const char *id;	   /* prefix of the chart's ids; unique in its page */
	const char *title; /* short name, the accessible name */
	const char *desc;  /* one or two sentences of what it shows */
	const struct chart_bar *bars;
	size_t nbars;
	double max;    /* the value a full-width bar stands for; <= 0: the
			* largest value */
	double width;  /* viewBox width; <= 0: 420 */
	double height; /* viewBox height at least; <= 0: what the rows need */
};

/**
 * chart_bars() - append a horizontal bar chart as an <svg> element.
 * @out: where to append.
 * @spec: the chart; borrowed.
 *
 * Bars run left to right over a light track that stands for @max, each
 * labelled with its value at its end. Short labels (such as grade
 * letters) sit in a column left of the bars, long ones on a line above
 * their bar; a label that still does not fit is cut with an ellipsis.
 * Every row has a <title> with the full label and value, and the <svg>
 * has role="img" with its <title> and <desc> as its label.
 *
 * Returns: false only when @out's limit is reached.
 */
bool chart_bars(struct buf *out, const struct chart_bars *spec);

/* One part of a whole. */
struct chart_part {
	const char *label;
	double value;	   /* a count or an amount; below 0 counts as 0 */
	const char *color; /* "#rrggbb"; NULL or invalid: from a palette */
};

struct chart_share {
	const char *id;	   /* prefix of the chart's ids; unique in its page */
	const char *title; /* short name, the accessible name */
	const char *desc;  /* one or two sentences of what it shows */
	const struct chart_part *parts; /* in legend order */
	size_t nparts;
	double width; /* viewBox width; <= 0: 420 */
};

/**
 * chart_share() - append a single 100% stacked bar with a legend beneath
 * it ("Offered 34%"), for how a whole splits into parts.
 * @out: where to append.
 * @spec: the chart; borrowed.
 *
 * Percentages are whole numbers that add up to 100 (largest remainder);
 * when every value is 0 the bar is an empty track and each part 0%.
 * Legend items flow onto as many lines as the width needs.
 *
 * Returns: false only when @out's limit is reached.
 */
bool chart_share(struct buf *out, const struct chart_share *spec);

/* One step of a step chart: from @x on, the series is at @value. */
struct chart_step {
	double x;	   /* e.g. a day number; steps in increasing x */
	double value;	   /* 0 to 100 (clamped) */
	const char *label; /* the step's tooltip: "2026-06-10: 72/100" */
};

/* One line of a step chart. */
struct chart_series {
	const char *name;  /* in the legend when there are several */
	const char *color; /* "#rrggbb"; NULL or invalid: from a palette */
	bool dashed;	   /* drawn dashed, told apart without colour */
	const struct chart_step *steps;
	size_t nsteps;
};

/* A band of the y axis shown lightly behind the lines: a grade. */
struct chart_band {
	double min;	   /* the band runs from here up to the next one */
	const char *label; /* "A" */
	const char *color;
};

struct chart_steps {
	const char *id;	   /* prefix of the chart's ids; unique in its page */
	const char *title; /* short name, the accessible name */
	const char *desc;  /* one or two sentences of what it shows */
	const struct chart_series *series; /* drawn in order, last on top */
	size_t nseries;
	const struct chart_band *bands; /* highest first */
	size_t nbands;
	double x_min, x_max;	 /* the x axis; the lines end at x_max */
	const char *x_min_label; /* under the axis's start and end */
	const char *x_max_label;
	double width;  /* viewBox width; <= 0: 420 */
	double height; /* viewBox height; <= 0: 180 */
};

/**
 * chart_steps() - append a step chart of values from 0 to 100 over x
 * (time, for a record's score history) as an <svg> element: the bands
 * lightly filled with their labels at the left, a scale of 0, 50 and 100,
 * each series as a line that holds its value until its next step, a dot
 * with a <title> at every step, the axis's end labels under it (the
 * start's left out when they would collide), and a legend when there is
 * more than one series.
 * @out: where to append.
 * @spec: the chart; borrowed.
 *
 * Returns: false only when @out's limit is reached.
 */
bool chart_steps(struct buf *out, const struct chart_steps *spec);

/**
 * chart_color_valid() - whether @color is "#rgb" or "#rrggbb".
 */
bool chart_color_valid(const char *color);

/**
 * chart_color_contrast() - the WCAG 2 contrast ratio of two colours.
 * @a: "#rgb" or "#rrggbb".
 * @b: likewise.
 *
 * Returns: the ratio, from 1 to 21; 0 when either is not a valid colour.
 */
double chart_color_contrast(const char *a, const char *b);

/**
 * chart_color_ink() - the text colour for @bg: white where it meets WCAG
 * AA (4.5:1), else a near-black where that does, else black (wherever
 * white falls short, black reaches at least 4.67:1).
 * @bg: "#rgb" or "#rrggbb".
 *
 * Returns: a static "#rrggbb" string.
 */
const char *chart_color_ink(const char *bg);

/**
 * chart_num_put() - append a coordinate or size with at most one decimal
 * ("12", "12.5", "-3"), the same on every machine and in every locale.
 * Non-finite values are written as 0.
 *
 * Returns: false only when @out's limit is reached.
 */
bool chart_num_put(struct buf *out, double v);

#endif
