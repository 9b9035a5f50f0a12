/*
 * manifest_bench.c - what reading and writing a site's manifest costs.
 *
 * Loads SITE/.cancelatlas-manifest (any built site has one) ROUNDS times
 * (default 5), saving it each time into OUT, and, as the peer, reads the
 * same file whole and splits it into lines, the least any reader of it
 * does. Prints the fastest round of each, in milliseconds, and the
 * ratio. It is not built by make; run:
 *
 *	make build/libatlas.a
 *	cc -std=c17 -O2 -g -D_DEFAULT_SOURCE -pthread -Isrc \
 *		bench/manifest_bench.c build/libatlas.a $(pkg-config --cflags \
 *		--libs libfyaml jansson sqlite3 libpq libmicrohttpd zlib \
 *		libbrotlienc pangocairo libgit2 libcurl libxml-2.0) -lm \
 *		-o build/manifest_bench
 *	build/manifest_bench SITE OUT [ROUNDS]
 */
#include "buf.h"
#include "manifest.h"
#include "safefile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double wall_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: manifest_bench SITE OUT [ROUNDS]\n");
		return 2;
	}
	int rounds = argc > 3 ? atoi(argv[3]) : 5;
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", argv[1], MANIFEST_NAME);
	double load = 1e30, save = 1e30, peer = 1e30;
	size_t lines = 0;
	for (int i = 0; i < rounds; i++) {
		struct buf why = BUF_INIT;
		struct manifest *m;
		double t = wall_ms();
		if (manifest_load(argv[1], &m, &why) != 0) {
			fprintf(stderr, "manifest_bench: %s\n", why.data);
			return 1;
		}
		double ms = wall_ms() - t;
		load = ms < load ? ms : load;
		t = wall_ms();
		if (manifest_save(m, argv[2], &why) != 0) {
			fprintf(stderr, "manifest_bench: %s\n", why.data);
			return 1;
		}
		ms = wall_ms() - t;
		save = ms < save ? ms : save;
		manifest_free(m);
		buf_free(&why);

		t = wall_ms();
		size_t len;
		char *text = safefile_read_all(path, &len);
		lines = 0;
		for (const char *p = text; p && p < text + len; lines++) {
			const char *nl = memchr(p, '\n', len - (size_t)(p - text));
			p = nl ? nl + 1 : text + len;
		}
		free(text);
		ms = wall_ms() - t;
		peer = ms < peer ? ms : peer;
	}
	printf("%zu lines: load %.1f ms, save %.1f ms; peer, read and split "
	       "%.1f ms; load / peer %.2f\n",
	       lines, load, save, peer, load / peer);
	return 0;
}
