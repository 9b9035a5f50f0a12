/*
 * test_pngenc.c - the share cards' PNG encoder: what it writes decodes
 * (with libpng, through cairo's reader: fixture_png_decode()) to exactly
 * the pixels given, for
 * pictures of every kind it optimises for and of none: flat runs longer
 * than a match, rows equal to the one above, noise, one pixel wide; its
 * text chunk sits where card.c looks for it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cairo.h>
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
				      cairo_image_surface_get_stride(s), "key",
				      "value", &png),
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
		for (int kind = 0; kind < 4; kind++)
			round_trip(sizes[i][0], sizes[i][1], kind);
}

static void the_text_chunk_follows_ihdr(void **state)
{
	(void)state;
	unsigned char px[4 * 3] = { 0 };
	struct buf png = BUF_INIT;
	assert_int_equal(pngenc_rgb24(px, 3, 1, 12, "cancelatlas-card",
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

static void a_row_beyond_deflates_reach_is_refused(void **state)
{
	(void)state;
	/* 3 bytes a pixel: the row above would be more than 32 KiB back. */
	int w = 11000;
	unsigned char *px = calloc((size_t)w, 4);
	struct buf png = BUF_INIT;
	buf_puts(&png, "kept");
	assert_int_equal(pngenc_rgb24(px, w, 1, 4 * w, "k", "v", &png), -1);
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
		cmocka_unit_test(a_row_beyond_deflates_reach_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
