/*
 * test_card.c - share images: a real 1200x630 PNG (read back with
 * cairo's own PNG reader, fixture_png_decode()), the grade told by its colour,
 * names from any script or full of markup drawn without failing, the key that
 * lets a build reuse a card carried inside the PNG, and a card that does not
 * depend on the cards its painter drew before and is written indexed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "card.h"
#include "fixture.h"
#include "score.h"
#include "yaml_load.h"

struct fake {
	struct record r;
	struct entry e;
	struct industry ind;
};

/* A policy-only record whose headline is grade B (levels 50 100 100 100
 * 70: 79) or F (all 0). */
static void fake_init(struct fake *f, const char *name, bool good)
{
	memset(f, 0, sizeof(*f));
	f->r.id.s = "acme";
	f->r.name.s = name;
	f->r.name.len = strlen(name);
	f->r.jurisdiction.s = "US";
	f->r.reviewed.days = date_from_ymd(2026, 6, 5);
	f->ind.name.s = "Streaming";
	f->e.r = &f->r;
	f->e.industry = &f->ind;
	f->e.headline = &f->e.policy;
	static const int levels[] = { 50, 100, 100, 100, 70 };
	for (size_t i = 0; i < 5; i++)
		f->r.policy[i].v = good ? levels[i] : 0;
	score_policy(method_current(), &f->r, &f->e.policy);
}

/* Decode @png; its IHDR must say 1200x630. */
static cairo_surface_t *decode(const struct buf *png)
{
	cairo_surface_t *s = fixture_png_decode(png->data, png->len);
	assert_int_equal(cairo_image_surface_get_width(s), CARD_WIDTH);
	assert_int_equal(cairo_image_surface_get_height(s), CARD_HEIGHT);
	return s;
}

static uint32_t grade_rgb(char letter)
{
	unsigned r, g, b;
	const struct method_grade *mg = method_grade(method_current(), letter);
	assert_non_null(mg);
	assert_int_equal(sscanf(mg->color + 1, "%2x%2x%2x", &r, &g, &b), 3);
	return r << 16 | g << 8 | b;
}

static void a_card_is_a_1200x630_png_coloured_by_grade(void **state)
{
	(void)state;
	struct card_painter *p = card_painter_new();
	struct fake good, bad;
	fake_init(&good, "Northwind Stream", true);
	fake_init(&bad, "Northwind Stream", false);
	assert_int_equal(good.e.headline->grade, 'B');
	assert_int_equal(bad.e.headline->grade, 'F');
	struct buf b1 = BUF_INIT, b2 = BUF_INIT;
	assert_int_equal(card_record_png(p, "Cancel Atlas", method_current(),
					 &good.e, &b1),
			 0);
	assert_int_equal(card_record_png(p, "Cancel Atlas", method_current(),
					 &bad.e, &b2),
			 0);
	assert_memory_equal(b1.data, "\x89PNG\r\n\x1a\n", 8);
	assert_memory_equal(b1.data + 12, "IHDR", 4);
	cairo_surface_t *s1 = decode(&b1), *s2 = decode(&b2);
	/* The edge band and a corner of the grade's square. */
	assert_int_equal(fixture_pixel(s1, 4, 300), grade_rgb('B'));
	assert_int_equal(fixture_pixel(s2, 4, 300), grade_rgb('F'));
	assert_int_equal(fixture_pixel(s1, 870, 106), grade_rgb('B'));
	assert_int_equal(fixture_pixel(s2, 870, 106), grade_rgb('F'));
	assert_int_not_equal(fixture_pixel(s1, 870, 106),
			     fixture_pixel(s2, 870, 106));
	/* The text is drawn: some of the name's area is ink. */
	size_t dark = 0;
	for (int y = 120; y < 220; y++)
		for (int x = 72; x < 600; x++)
			dark += (fixture_pixel(s1, x, y) & 0xff) < 0x80;
	assert_true(dark > 1000);
	cairo_surface_destroy(s1);
	cairo_surface_destroy(s2);
	buf_free(&b1);
	buf_free(&b2);
	card_painter_free(p);
}

static void any_name_draws_and_fits(void **state)
{
	(void)state;
	struct card_painter *p = card_painter_new();
	char longname[3000];
	memset(longname, 'W', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	const char *names[] = {
		"<span foo=\"x\">unclosed <b>markup &amp; &bogus;",
		"\xd8\xa7\xd9\x84\xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a\xd8\xa9 "
		"\xd9\x86\xd8\xaa\xd9\x81\xd9\x84\xd9\x8a\xd9\x83\xd8\xb3",
		"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x82\xb5"
		"\xe3\x83\xbc\xe3\x83\x93\xe3\x82\xb9",
		"Stream \xf0\x9f\x8e\xac\xf0\x9f\x8d\xbf \xe2\x80\xae evil",
		longname,
		"",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		struct fake f;
		fake_init(&f, names[i], true);
		struct buf b = BUF_INIT;
		assert_int_equal(card_record_png(p, "Cancel Atlas",
						 method_current(), &f.e, &b),
				 0);
		cairo_surface_t *s = decode(&b);
		/* Nothing spills into the grade's column or off the card:
		 * the gap between text and square stays paper. */
		for (int y = 100; y < 360; y += 4)
			assert_int_equal(fixture_pixel(s, 800, y), 0xffffff);
		cairo_surface_destroy(s);
		buf_free(&b);
	}
	card_painter_free(p);
}

static void the_key_travels_in_the_png(void **state)
{
	(void)state;
	struct card_painter *p = card_painter_new();
	struct fake f;
	fake_init(&f, "Northwind Stream", true);
	char key[CARD_KEY_SIZE], other[CARD_KEY_SIZE], read[CARD_KEY_SIZE];
	card_record_key("Cancel Atlas", method_current(), &f.e, key);
	f.r.reviewed.days++;
	card_record_key("Cancel Atlas", method_current(), &f.e, other);
	assert_string_not_equal(key, other); /* any fact drawn changes it */
	f.r.reviewed.days--;
	struct buf b = BUF_INIT;
	assert_int_equal(
		card_record_png(p, "Cancel Atlas", method_current(), &f.e, &b),
		0);
	char path[] = "/tmp/atlas-card-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b.data, b.len), (ssize_t)b.len);
	close(fd);
	assert_true(card_png_key(path, read));
	assert_string_equal(read, key);
	/* The chunk does not break the PNG for its readers. */
	cairo_surface_t *s = cairo_image_surface_create_from_png(path);
	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(s);
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, "not a png", 9), 9);
	close(fd);
	assert_false(card_png_key(path, read));
	unlink(path);
	assert_false(card_png_key(path, read));
	buf_free(&b);
	card_painter_free(p);
}

/*
 * A painter starts each card from what the last one left (paper, brand,
 * grade), so a card must not depend on what was drawn before it: every
 * card of a varied sequence (grades, lengths, scripts, a fictional tag,
 * another brand, the site card between) equals, byte for byte, the one
 * a new painter draws.
 */
static void a_card_is_the_same_whatever_came_before(void **state)
{
	(void)state;
	char longname[400];
	memset(longname, 'M', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	static const struct {
		const char *name, *brand;
		bool good, fictional, site;
	} seq[] = {
		{ "Northwind Stream", "Cancel Atlas", true, false, false },
		{ "Northwind Stream", "Cancel Atlas", false, false, false },
		{ NULL, "Cancel Atlas", true, true, false },
		{ "Ab", "Cancel Atlas", false, true, false },
		{ "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae "
		  "\xc3\x89tude \xc3\x85ngstr\xc3\xb6m",
		  "Cancel Atlas", true, false, false },
		{ NULL, "Cancel Atlas", false, false, true },
		{ "Ab", "Cancel Atlas", false, true, false },
		{ "Northwind Stream", "Another Atlas", true, false, false },
		{ "Northwind Stream", "Cancel Atlas", true, false, false },
	};
	struct card_painter *p = card_painter_new();
	for (size_t i = 0; i < sizeof(seq) / sizeof(*seq); i++) {
		struct fake f;
		fake_init(&f, seq[i].name ? seq[i].name : longname,
			  seq[i].good);
		f.r.fictional.v = seq[i].fictional;
		struct buf b1 = BUF_INIT, b2 = BUF_INIT;
		struct card_painter *fresh = card_painter_new();
		if (seq[i].site) {
			assert_int_equal(card_site_png(p, seq[i].brand,
						       method_current(), 7,
						       &b1),
					 0);
			assert_int_equal(card_site_png(fresh, seq[i].brand,
						       method_current(), 7,
						       &b2),
					 0);
		} else {
			assert_int_equal(card_record_png(p, seq[i].brand,
							 method_current(), &f.e,
							 &b1),
					 0);
			assert_int_equal(card_record_png(fresh, seq[i].brand,
							 method_current(), &f.e,
							 &b2),
					 0);
		}
		card_painter_free(fresh);
		/* Indexed: every text's edges are in its blend's shades
		 * (colour type 3 in IHDR). */
		assert_int_equal((unsigned char)b1.data[25], 3);
		assert_int_equal(b1.len, b2.len);
		assert_memory_equal(b1.data, b2.data, b1.len);
		buf_free(&b1);
		buf_free(&b2);
	}
	card_painter_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_card_is_a_1200x630_png_coloured_by_grade),
		cmocka_unit_test(any_name_draws_and_fits),
		cmocka_unit_test(the_key_travels_in_the_png),
		cmocka_unit_test(a_card_is_the_same_whatever_came_before),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
