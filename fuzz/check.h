/*
 * check.h - FUZZ_CHECK(), what a harness asserts about a parser's answer:
 * when it does not hold, the condition and its place are printed and the
 * run aborts, which libFuzzer and the corpus replay (fuzz/replay.c) both
 * report as a crash of that input.
 */
#ifndef CANCELATLAS_FUZZ_CHECK_H
#define CANCELATLAS_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond);                              \
			abort();                                               \
		}                                                              \
	} while (0)

#endif
