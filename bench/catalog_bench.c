/*
 * catalog_bench.c - what scoring and ordering every record costs.
 *
 * Loads a data folder (`cancelatlas gen N --out DIR` makes one), then
 * makes its catalog (catalog_new: every record scored, the index order,
 * the newest reviews, the records due, the industries and the
 * jurisdictions) ROUNDS times (default 7), and, as the peer, sorts the
 * same entries once by the index's order with one qsort() comparing
 * records field by field, as the catalog did before it made keys. Prints
 * the fastest round of each, in milliseconds, and their ratio. It is not
 * built by make; run:
 *
 *	make build/libatlas.a
 *	cc -std=c17 -O2 -g -D_DEFAULT_SOURCE -pthread -Isrc \
 *		bench/catalog_bench.c build/libatlas.a $(pkg-config --cflags \
 *		--libs libfyaml jansson sqlite3 libpq libmicrohttpd zlib \
 *		libbrotlienc pangocairo libgit2 libcurl libxml-2.0) -lm \
 *		-o build/catalog_bench
 *	build/catalog_bench DIR [ROUNDS]
 */
#include "catalog.h"
#include "dataset.h"
#include "date.h"
#include "diag.h"
#include "method.h"

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>
#include <time.h>

static double wall_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* The index order, compared field by field. */
static int stated_cmp(const void *a, const void *b)
{
	const struct entry *x = *(struct entry *const *)a;
	const struct entry *y = *(struct entry *const *)b;
	if (x->headline->score != y->headline->score)
		return y->headline->score - x->headline->score;
	if (x->headline->grade != y->headline->grade)
		return x->headline->grade - y->headline->grade;
	int c = strcasecmp(x->r->name.s, y->r->name.s);
	if (!c)
		c = strcmp(x->r->name.s, y->r->name.s);
	return c ? c : strcmp(x->r->id.s, y->r->id.s);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: catalog_bench DIR [ROUNDS]\n");
		return 2;
	}
	int rounds = argc > 2 ? atoi(argv[2]) : 7;
	struct diag *d = diag_new();
	struct dataset *ds = NULL;
	struct dataset_opts opts = { .today = date_today() };
	if (dataset_load(argv[1], &opts, d, &ds) != 0 ||
	    diag_count(d, DIAG_ERROR)) {
		fprintf(stderr, "catalog_bench: %s does not load cleanly\n",
			argv[1]);
		return 1;
	}
	double best = 1e30, peer = 1e30;
	for (int i = 0; i < rounds; i++) {
		double t = wall_ms();
		struct catalog *c = catalog_new(ds, method_current(), 0);
		double ms = wall_ms() - t;
		best = ms < best ? ms : best;
		struct entry **v = malloc((c->n ? c->n : 1) * sizeof(*v));
		for (size_t k = 0; k < c->n; k++)
			v[k] = &c->entries[k];
		t = wall_ms();
		qsort(v, c->n, sizeof(*v), stated_cmp);
		ms = wall_ms() - t;
		peer = ms < peer ? ms : peer;
		free(v);
		catalog_free(c);
	}
	printf("%zu records: catalog_new %.1f ms; peer, one qsort by the "
	       "index order %.1f ms; catalog / peer %.2f\n",
	       ds->nrecords, best, peer, best / peer);
	dataset_free(ds);
	diag_free(d);
	return 0;
}
