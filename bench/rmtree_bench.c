/*
 * rmtree_bench.c - delete one folder the way a build deletes the site it
 * replaced (rmtree) or the way it used to (nftw() and remove()), and
 * print the seconds. bench/rmtree.sh builds it and runs each on its own
 * copy of a site, with rm -rf as the peer.
 *
 *	rmtree_bench rmtree|nftw DIR
 */
#define _GNU_SOURCE
#include "rmtree.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

int main(int argc, char **argv)
{
	if (argc != 3 ||
	    (strcmp(argv[1], "rmtree") && strcmp(argv[1], "nftw"))) {
		fprintf(stderr, "usage: rmtree_bench rmtree|nftw DIR\n");
		return 2;
	}
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	int rc = !strcmp(argv[1], "nftw")
			 ? nftw(argv[2], remove_one, 32, FTW_DEPTH | FTW_PHYS)
			 : rmtree(argv[2]);
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (rc != 0) {
		perror(argv[2]);
		return 1;
	}
	printf("%.3f\n", (double)(b.tv_sec - a.tv_sec) +
				 (double)(b.tv_nsec - a.tv_nsec) / 1e9);
	return 0;
}
