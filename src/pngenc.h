/*
 * pngenc.h - a fast, lossless PNG encoder for the share cards' canvas.
 */
#ifndef CANCELATLAS_PNGENC_H
#define CANCELATLAS_PNGENC_H

#include "buf.h"

/**
 * pngenc_rgb24() - append to @out an 8-bit RGB PNG of the pixels at
 * @data: @height rows of @width native 32-bit 0x00RRGGBB pixels (cairo's
 * CAIRO_FORMAT_RGB24), @stride bytes apart. A tEXt chunk with keyword
 * @keyword and text @text follows IHDR directly, so a reader finds it at
 * a fixed offset (33). The picture decodes exactly to the pixels given.
 *
 * Returns: 0, or -1 when zlib fails (@out is then left as it was).
 */
int pngenc_rgb24(const unsigned char *data, int width, int height, int stride,
		 const char *keyword, const char *text, struct buf *out);

#endif
