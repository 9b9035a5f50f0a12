/*
 * worddiff.h - what words were added and removed between two texts: a
 * shortest edit script over whitespace-separated words (Myers' diff).
 */
#ifndef CANCELATLAS_WORDDIFF_H
#define CANCELATLAS_WORDDIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* The default bound on the edit distance worddiff_compute() searches. */
#define WORDDIFF_MAX_EDITS 1000

/* One run of consecutive words added or removed, joined by one space. */
struct worddiff_run {
	bool added; /* false: removed */
	char *words;
	size_t nwords;
	size_t at; /* the index of its first word in the new text (added) or
		      the old one (removed) */
};

/*
 * The difference of two texts, in the order the runs occur. @capped is
 * set when the texts differ by more than the bound: the differing middle
 * (after the common first and last words) is then one removed and one
 * added run, which is still correct, only not minimal.
 */
struct worddiff {
	struct worddiff_run *runs;
	size_t nruns;
	size_t added, removed; /* words */
	bool capped;
};

/**
 * worddiff_compute() - diff two texts word by word.
 * @old_text: the earlier text (NUL-terminated).
 * @new_text: the later text.
 * @max_edits: the largest edit distance searched (0: WORDDIFF_MAX_EDITS);
 *	       time and memory grow with its square, never with the length.
 * @out: filled in; release with worddiff_free().
 */
void worddiff_compute(const char *old_text, const char *new_text,
		      size_t max_edits, struct worddiff *out);

/* worddiff_free() - release what worddiff_compute() filled in. */
void worddiff_free(struct worddiff *d);

/**
 * worddiff_put() - the difference as lines for a report: "- removed
 * words" and "+ added words", each run cut to @max_chars bytes (at a
 * character boundary, with "..."), at most @max_runs runs, then a line
 * saying how many runs were left out.
 * @indent: put before each line.
 */
void worddiff_put(const struct worddiff *d, struct buf *out, const char *indent,
		  size_t max_runs, size_t max_chars);

#endif
