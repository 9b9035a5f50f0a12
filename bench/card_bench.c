/*
 * card_bench.c - what one share image costs: drawing and encoding apart.
 *
 * Loads a data folder (`cancelatlas gen N --out DIR` makes one), then
 * draws the card of every record in turn, N cards in all (default 500),
 * and prints CPU ms per card: the whole card (card_record_png), the
 * encoding of the decoded card (pngenc_rgb24 on its pixels, whose text
 * is already in shades: close to, not exactly, the card's own encoding)
 * and the difference as drawing, and, as the peer, cairo's own PNG writer
 * (libpng) on the same pixels (the first 20 cards: it is slow). Also
 * the mean size of a card. It is not
 * built by make; run:
 *
 *	make build/libatlas.a
 *	cc -std=c17 -O2 -g -D_DEFAULT_SOURCE -pthread -Isrc \
 *		bench/card_bench.c build/libatlas.a $(pkg-config --cflags \
 *		--libs libfyaml jansson sqlite3 libpq libmicrohttpd zlib \
 *		libbrotlienc pangocairo libgit2 libcurl libxml-2.0) -lm \
 *		-o build/card_bench
 *	build/card_bench DIR [N]
 */
#include "card.h"
#include "catalog.h"
#include "dataset.h"
#include "diag.h"
#include "method.h"
#include "pngenc.h"

#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PEER_CARDS 20

static double cpu_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

struct reader {
	const struct buf *b;
	size_t at;
};

static cairo_status_t read_png(void *closure, unsigned char *data,
			       unsigned int len)
{
	struct reader *r = closure;
	if (r->at + len > r->b->len)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, r->b->data + r->at, len);
	r->at += len;
	return CAIRO_STATUS_SUCCESS;
}

static cairo_status_t count_png(void *closure, const unsigned char *data,
				unsigned int len)
{
	(void)data;
	*(size_t *)closure += len;
	return CAIRO_STATUS_SUCCESS;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: card_bench DIR [N]\n");
		return 2;
	}
	size_t n = argc > 2 ? strtoul(argv[2], NULL, 10) : 500;
	struct diag *d = diag_new();
	struct dataset *ds;
	struct dataset_opts opts = { .today = date_today(),
				     .site = SITEINFO_REQUIRED };
	if (dataset_load(argv[1], &opts, d, &ds) != 0 || !ds->nrecords) {
		fprintf(stderr, "card_bench: cannot load %s\n", argv[1]);
		return 1;
	}
	const struct method *m = method_current();
	struct catalog *cat = catalog_new(ds, m, 0);
	const char *brand = ds->site.name.s;
	struct card_painter *p = card_painter_new();
	struct buf png = BUF_INIT, again = BUF_INIT;

	/* Once, so fonts and glyph caches are warm as in a long build. */
	card_record_png(p, brand, m, &cat->entries[0], &png);
	double whole = 0, enc = 0, peer = 0;
	size_t bytes = 0, peer_bytes = 0;
	for (size_t i = 0; i < n; i++) {
		const struct entry *e = &cat->entries[i % cat->n];
		buf_reset(&png);
		double t0 = cpu_ms();
		if (card_record_png(p, brand, m, e, &png) != 0) {
			fprintf(stderr, "card_bench: %s failed\n", e->r->id.s);
			return 1;
		}
		whole += cpu_ms() - t0;
		bytes += png.len;

		struct reader r = { &png, 0 };
		cairo_surface_t *s = cairo_image_surface_create_from_png_stream(
			read_png, &r);
		cairo_surface_flush(s);
		buf_reset(&again);
		t0 = cpu_ms();
		pngenc_rgb24(cairo_image_surface_get_data(s), CARD_WIDTH,
			     CARD_HEIGHT, cairo_image_surface_get_stride(s),
			     NULL, "cancelatlas-card", "0123456789abcdef",
			     &again);
		enc += cpu_ms() - t0;
		if (i < PEER_CARDS) {
			t0 = cpu_ms();
			cairo_surface_write_to_png_stream(s, count_png,
							  &peer_bytes);
			peer += cpu_ms() - t0;
		}
		cairo_surface_destroy(s);
	}
	printf("cards: %zu from %s (%zu records)\n", n, argv[1], cat->n);
	printf("whole card: %.3f ms CPU, %.1f KB\n", whole / n,
	       bytes / 1e3 / n);
	printf("  drawing:  %.3f ms\n", (whole - enc) / n);
	printf("  encoding: %.3f ms\n", enc / n);
	size_t np = n < PEER_CARDS ? n : PEER_CARDS;
	printf("peer: cairo's PNG writer (libpng) %.3f ms, %.1f KB; "
	       "ratio %.1fx\n",
	       peer / np, peer_bytes / 1e3 / np, peer / np / (enc / n));
	buf_free(&png);
	buf_free(&again);
	card_painter_free(p);
	catalog_free(cat);
	dataset_free(ds);
	diag_free(d);
	return 0;
}
