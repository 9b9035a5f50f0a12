/*
 * suggest.h - "did you mean": the few candidates closest to a mistyped
 * word (a command, an option, a record id).
 */
#ifndef CANCELATLAS_SUGGEST_H
#define CANCELATLAS_SUGGEST_H

#include <stddef.h>

#include "buf.h"

/* At most this many candidates are kept and suggested. */
#define SUGGEST_MAX 3

struct suggest;

/**
 * suggest_new() - start looking for the candidates closest to @word.
 * @word: what the user typed (copied).
 *
 * A candidate is close when its Damerau-Levenshtein distance (optimal
 * string alignment, ASCII case ignored) to @word is at most 1 for words
 * of up to 5 characters, 2 up to 9 and 3 beyond; or when one starts with
 * the other ("cours" and "coursera", "output" and "out"; a candidate
 * shorter than 3 characters must be matched whole).
 *
 * Returns: a new suggester; free it with suggest_free().
 */
struct suggest *suggest_new(const char *word);

/**
 * suggest_add() - offer one candidate.
 * @s: the suggester.
 * @candidate: the candidate's text (copied when it is kept).
 * @len: its length in bytes.
 *
 * Costs time proportional to @len times the word's length at most, and
 * usually much less (candidates of a very different length are skipped
 * at once), so 100,000 candidates take milliseconds.
 */
void suggest_add(struct suggest *s, const char *candidate, size_t len);

/**
 * suggest_count() - how many close candidates were kept (0 to
 * SUGGEST_MAX).
 */
size_t suggest_count(const struct suggest *s);

/**
 * suggest_at() - the @i-th closest candidate: nearest first, ties in
 * byte order, so the result does not depend on the order of the calls.
 *
 * Returns: a string owned by @s.
 */
const char *suggest_at(const struct suggest *s, size_t i);

/**
 * suggest_put() - append "; did you mean 'a'?" (or "'a' or 'b'", or
 * "'a', 'b' or 'c'") to @out, each candidate after @prefix (e.g. "--");
 * nothing when no candidate is close.
 */
void suggest_put(const struct suggest *s, struct buf *out, const char *prefix);

/* suggest_free() - release the suggester; accepts NULL. */
void suggest_free(struct suggest *s);

#endif
