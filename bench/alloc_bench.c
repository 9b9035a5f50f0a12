/*
 * alloc_bench.c - what filling new memory costs, by how it was allocated.
 *
 * Allocates SIZE MiB (default 64) ROUNDS times (default 5) two ways and
 * writes one byte per 4 KiB into it, as a buffer being filled does:
 * with xmalloc() (src/arena.c: from 1 MiB on, whole 2 MiB pages advised
 * for huge pages), and, as the peer, with malloc(), whose large blocks
 * are mapped in 4 KiB pages where transparent huge pages are only taken
 * on advice (/sys/kernel/mm/transparent_hugepage/enabled: madvise, as on
 * Debian). glibc's mmap threshold is fixed at its default, so that each
 * round of either gets new memory from the kernel, as a build does (it
 * would otherwise rise to reuse what the last round freed). Prints the
 * fastest round of each, in milliseconds, and their ratio. It is not
 * built by make; run:
 *
 *	make build/libatlas.a
 *	cc -std=c17 -O2 -g -D_DEFAULT_SOURCE -pthread -Isrc \
 *		bench/alloc_bench.c build/libatlas.a -o build/alloc_bench
 *	build/alloc_bench [SIZE [ROUNDS]]
 */
#include "internal.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double wall_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Fill @size bytes from @alloc one byte per 4 KiB; the milliseconds
 * taken, the allocation included. */
static double fill(void *(*alloc)(size_t), size_t size)
{
	double t0 = wall_ms();
	volatile unsigned char *p = alloc(size);
	for (size_t i = 0; i < size; i += 4096)
		p[i] = 1;
	double ms = wall_ms() - t0;
	free((void *)p);
	return ms;
}

static void *plain_malloc(size_t size)
{
	void *p = malloc(size);
	if (!p) {
		fprintf(stderr, "alloc_bench: out of memory\n");
		exit(1);
	}
	return p;
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 64;
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	if (!mib || rounds < 1) {
		fprintf(stderr, "usage: alloc_bench [SIZE [ROUNDS]]\n");
		return 2;
	}
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	size_t size = mib << 20;
	double ours = 1e30, peer = 1e30;
	for (int r = 0; r < rounds; r++) {
		double a = fill(xmalloc, size), b = fill(plain_malloc, size);
		if (a < ours)
			ours = a;
		if (b < peer)
			peer = b;
	}
	printf("%zu MiB filled: xmalloc %.2f ms (%.3f us per 4 KiB), "
	       "malloc %.2f ms (%.3f us per 4 KiB); malloc / xmalloc %.1f\n",
	       mib, ours, ours * 1e3 / (double)(size >> 12), peer,
	       peer * 1e3 / (double)(size >> 12), peer / ours);
	return 0;
}
