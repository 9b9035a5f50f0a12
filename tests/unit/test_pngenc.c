/*
 * test_pngenc.c - the share cards' PNG encoder: what it writes decodes
 * (with libpng, through cairo's reader: fixture_png_decode()) to exactly
 * the pixels given, for
 * pictures of every kind it optimises for and of none: flat runs longer
 * than a match, rows equal to the one above, noise of few colours and of
 * many, one pixel wide; a picture of at most 256 colours is indexed, of
 * more RGB; the edges of text in a blend's colours are written in its
 * shades, and nothing else changes; its text chunk sits where card.c
 * looks for it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cairo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "pngenc.h"

static uint32_t rnd(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 8;
}

/* Fill @s with a picture of kind @kind. */
static void paint(cairo_surface_t *s, int kind, uint32_t seed)
{
	int w = cairo_image_surface_get_width(s);
	int h = cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s);
	unsigned char *d = cairo_image_surface_get_data(s);
	for (int y = 0; y < h; y++) {
		uint32_t *row = (uint32_t *)(void *)(d + (size_t)y * stride);
		for (int x = 0; x < w; x++) {
			uint32_t v;
			switch (kind) {
			case 0: /* noise */
				v = rnd(&seed);
				break;
			case 1: /* flat bands, rows repeated in blocks */
				v = (uint32_t)(y / 7 % 3) * 0x405060u +
				    (x > w / 2 ? 0x101010u : 0);
				break;
			case 2: /* text-like: mostly flat, some noise */
				v = rnd(&seed) % 17 == 0 ? rnd(&seed)
							 : 0xffffffu;
				break;
			case 3: /* three colours, at random: stretches of
				 * one and two, as above and as the left */
				v = rnd(&seed) % 3 * 0x7f7f7fu;
				break;
			default: /* grey runs of bytes, equal across rows */
				v = (uint32_t)(x / 100 % 2) * 0x111111u;
				break;
			}
			/* The byte cairo leaves unused is not the picture. */
			row[x] = (v & 0xffffffu) | (rnd(&seed) & 1u) << 24;
		}
	}
	cairo_surface_mark_dirty(s);
}

static void round_trip(int w, int h, int kind)
{
	cairo_surface_t *s =
		cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	paint(s, kind, (uint32_t)(w * 31 + h * 7 + kind));
	struct buf png = BUF_INIT;
	buf_puts(&png, "kept");
	size_t before = png.len;
	assert_int_equal(pngenc_rgb24(cairo_image_surface_get_data(s), w, h,
				      cairo_image_surface_get_stride(s), NULL,
				      "key", "value", &png),
			 0);
	assert_memory_equal(png.data, "kept", before);
	cairo_surface_t *got =
		fixture_png_decode(png.data + before, png.len - before);
	assert_int_equal(cairo_image_surface_get_width(got), w);
	assert_int_equal(cairo_image_surface_get_height(got), h);
	size_t wrong = 0;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			wrong += fixture_pixel(s, x, y) !=
				 fixture_pixel(got, x, y);
	assert_int_equal(wrong, 0);
	cairo_surface_destroy(got);
	cairo_surface_destroy(s);
	buf_free(&png);
}

static void every_kind_of_picture_decodes_exactly(void **state)
{
	(void)state;
	static const int sizes[][2] = { { 1, 1 },     { 1, 40 },   { 2, 3 },
					{ 5, 5 },     { 87, 300 }, { 259, 2 },
					{ 1200, 630 } };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (int kind = 0; kind < 5; kind++)
			round_trip(sizes[i][0], sizes[i][1], kind);
}

static void the_text_chunk_follows_ihdr(void **state)
{
	(void)state;
	unsigned char px[4 * 3] = { 0 };
	struct buf png = BUF_INIT;
	assert_int_equal(pngenc_rgb24(px, 3, 1, 12, NULL, "cancelatlas-card",
				      "0123456789abcdef", &png),
			 0);
	assert_memory_equal(png.data, "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16);
	assert_memory_equal(png.data + 33,
			    "\0\0\0\x21tEXtcancelatlas-card\0"
			    "0123456789abcdef",
			    4 + 4 + 17 + 16);
	assert_memory_equal(png.data + png.len - 12, "\0\0\0\0IEND", 8);
	buf_free(&png);
}

/* The colour type in the IHDR of @png: 3 indexed, 2 RGB. */
static int colour_type(const struct buf *png)
{
	return (unsigned char)png->data[8 + 8 + 9];
}

/* The types of @png's chunks, one after the other, into @types. */
static void chunk_types(const struct buf *png, char *types, size_t size)
{
	size_t at = 8, n = 0;
	while (at + 8 <= png->len && n + 5 < size) {
		const unsigned char *c = (const unsigned char *)png->data + at;
		size_t len = (size_t)c[0] << 24 | (size_t)c[1] << 16 |
			     (size_t)c[2] << 8 | c[3];
		memcpy(types + n, c + 4, 4);
		types[n + 4] = ' ';
		n += 5;
		at += 12 + len;
	}
	types[n ? n - 1 : 0] = '\0';
}

/* A picture of @colours colours, each once in the first row, then rows
 * as above and as the left: indexed up to 256 colours, RGB from 257, and
 * exactly the pixels either way. */
static void encode_colours(int colours, int want_type)
{
	int w = 300, h = 4;
	cairo_surface_t *s =
		cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	unsigned char *d = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			int c = y == 1 ? x / 7 % colours
				       : (x < colours ? x : colours - 1);
			uint32_t v = (uint32_t)c * 0x010305u;
			memcpy(d + (size_t)y * stride + 4 * (size_t)x, &v, 4);
		}
	cairo_surface_mark_dirty(s);
	struct buf png = BUF_INIT;
	assert_int_equal(pngenc_rgb24(d, w, h, stride, NULL, "k", "v", &png),
			 0);
	assert_int_equal(colour_type(&png), want_type);
	char types[64];
	chunk_types(&png, types, sizeof(types));
	assert_string_equal(types, want_type == 3 ? "IHDR tEXt PLTE IDAT IEND"
						  : "IHDR tEXt IDAT IEND");
	cairo_surface_t *got = fixture_png_decode(png.data, png.len);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			assert_int_equal(fixture_pixel(s, x, y),
					 fixture_pixel(got, x, y));
	cairo_surface_destroy(got);
	cairo_surface_destroy(s);
	buf_free(&png);
}

static void few_colours_are_indexed_many_are_rgb(void **state)
{
	(void)state;
	encode_colours(1, 3);
	encode_colours(256, 3);
	encode_colours(257, 2);
}

/* A grey @g between white paper and black ink, as 16 shades write it:
 * the nearest of the 17 steps from paper, each step's distance from
 * paper rounded half away from it. */
static uint32_t grey_shade(int g)
{
	long q = lround((255 - g) * 16 / 255.0);
	long v = 255 - lround(255.0 * (double)q / 16);
	return (uint32_t)v * 0x010101u;
}

/* Every grey between white and black, and colours off that line: with
 * a white-to-black blend in 16 steps the greys come out as 17 shades
 * (indexed), the others exactly as they were. */
static void blend_edges_are_written_in_shades(void **state)
{
	(void)state;
	int w = 256 + 3, h = 3;
	cairo_surface_t *s =
		cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	unsigned char *d = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	static const uint32_t off_line[3] = { 0xff0000u, 0x80808cu, 0x7f8082u };
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			uint32_t v = x < 256 ? (uint32_t)x * 0x010101u
					     : off_line[x - 256];
			memcpy(d + (size_t)y * stride + 4 * (size_t)x, &v, 4);
		}
	cairo_surface_mark_dirty(s);
	struct pngenc_blend blend = { 0xffffffu, 0x000000u };
	struct pngenc_shading shading = { &blend, 1, 16 };
	struct buf png = BUF_INIT;
	assert_int_equal(
		pngenc_rgb24(d, w, h, stride, &shading, "k", "v", &png), 0);
	assert_int_equal(colour_type(&png), 3);
	cairo_surface_t *got = fixture_png_decode(png.data, png.len);
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < 256; x++)
			assert_int_equal(fixture_pixel(got, x, y),
					 grey_shade(x));
		/* Off the line by 12 and by 3 (the most that is on it). */
		assert_int_equal(fixture_pixel(got, 256, y), 0xff0000u);
		assert_int_equal(fixture_pixel(got, 257, y), 0x80808cu);
		assert_int_equal(fixture_pixel(got, 258, y), grey_shade(0x80));
	}
	cairo_surface_destroy(got);
	cairo_surface_destroy(s);
	buf_free(&png);
}

static void a_row_beyond_deflates_reach_is_refused(void **state)
{
	(void)state;
	/* 3 bytes a pixel: the row above would be more than 32 KiB back. */
	int w = 11000;
	unsigned char *px = calloc((size_t)w, 4);
	struct buf png = BUF_INIT;
	buf_puts(&png, "kept");
	assert_int_equal(pngenc_rgb24(px, w, 1, 4 * w, NULL, "k", "v", &png),
			 -1);
	assert_int_equal(png.len, 4);
	assert_memory_equal(png.data, "kept", 4);
	buf_free(&png);
	free(px);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_kind_of_picture_decodes_exactly),
		cmocka_unit_test(the_text_chunk_follows_ihdr),
		cmocka_unit_test(few_colours_are_indexed_many_are_rgb),
		cmocka_unit_test(blend_edges_are_written_in_shades),
		cmocka_unit_test(a_row_beyond_deflates_reach_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
