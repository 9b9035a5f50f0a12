/*
 * pngenc.h - a fast, lossless PNG encoder for the share cards' canvas.
 */
#ifndef CANCELATLAS_PNGENC_H
#define CANCELATLAS_PNGENC_H

#include "buf.h"

#include <stddef.h>
#include <stdint.h>

/**
 * struct pngenc_blend - text in colour @ink anti-aliased on @paper, both
 * 0x00RRGGBB: its edges are colours on the way from one to the other.
 */
struct pngenc_blend {
	uint32_t paper, ink;
};

/**
 * struct pngenc_shading - @nblends blends whose edge colours may be
 * written as the nearest of @steps + 1 shades from paper to ink, so that
 * a picture of text has few enough colours to be indexed. 16 steps are
 * more than an eye tells apart at a glyph's edge.
 */
struct pngenc_shading {
	const struct pngenc_blend *blends;
	size_t nblends;
	unsigned steps;
};

/**
 * pngenc_rgb24() - append to @out an 8-bit PNG of the pixels at @data:
 * @height rows of @width native 32-bit 0x00RRGGBB pixels (cairo's
 * CAIRO_FORMAT_RGB24), @stride bytes apart. A picture of at most 256
 * colours, once @shading (NULL: none) has rounded the colours of its
 * blends' edges, is written indexed; any other exactly, as RGB. A tEXt
 * chunk with keyword @keyword and text @text follows IHDR directly, so a
 * reader finds it at a fixed offset (33).
 *
 * Returns: 0, or -1 when the picture is empty or its rows are too long
 * for deflate to refer back to (@out is then left as it was).
 */
int pngenc_rgb24(const unsigned char *data, int width, int height, int stride,
		 const struct pngenc_shading *shading, const char *keyword,
		 const char *text, struct buf *out);

#endif
