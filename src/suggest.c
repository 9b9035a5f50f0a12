/*
 * suggest.c - "did you mean": keep the few candidates nearest to a word.
 *
 * Candidates stream in one at a time (a command table, an option table, a
 * directory of 100,000 record files) and only the SUGGEST_MAX nearest are
 * kept, in a small array sorted by (distance, bytes), so the outcome is
 * the same in any order and nothing is quadratic in the number of
 * candidates. The distance is the optimal string alignment form of
 * Damerau-Levenshtein (a swap of two neighbours counts one, which is the
 * commonest slip: "chekc"), computed a row at a time over what lies
 * between a shared start and end, and abandoned as soon as a whole row
 * exceeds the bound; a candidate whose length alone puts it out of reach
 * costs nothing. One word starting the other counts as
 * close too, with the difference in length as its distance, so "cours"
 * finds "coursera" and "--output" finds "--out".
 */
#include "suggest.h"
#include "internal.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct suggest {
	char *word; /* lower case */
	size_t len;
	unsigned bound; /* the largest distance that counts as close */
	char *best[SUGGEST_MAX];
	unsigned dist[SUGGEST_MAX];
	size_t n;
	char *lower;	/* the candidate in lower case */
	unsigned *rows; /* three rows of the distance table */
	size_t cap;	/* room in @lower, and per row in @rows */
};

struct suggest *suggest_new(const char *word)
{
	struct suggest *s = xcalloc(1, sizeof(*s));
	s->len = strlen(word);
	s->word = xstrdup(word);
	for (size_t i = 0; i < s->len; i++)
		s->word[i] = (char)tolower((unsigned char)s->word[i]);
	s->bound = (unsigned)(s->len + 2) / 4;
	if (s->bound < 1)
		s->bound = 1;
	if (s->bound > 3)
		s->bound = 3;
	return s;
}

void suggest_free(struct suggest *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->best[i]);
	free(s->word);
	free(s->lower);
	free(s->rows);
	free(s);
}

static unsigned min3(unsigned a, unsigned b, unsigned c)
{
	unsigned m = a < b ? a : b;
	return m < c ? m : c;
}

/*
 * The distance between the word and @b (@lb bytes), or @limit + 1 when it
 * exceeds @limit. Row i holds the distances from the word's first i bytes;
 * each cell is at least the minimum of the row before it, so once a whole
 * row is past @limit no later cell can come back under it.
 */
static unsigned distance(struct suggest *s, const char *b, size_t lb,
			 unsigned limit)
{
	const char *a = s->word;
	size_t la = s->len;
	/* A shared start or end costs nothing: only what lies between is
	 * compared: "17" and "71" of "northwind-stream-04217" and "-04271". */
	while (la && lb && *a == *b) {
		a++, b++;
		la--, lb--;
	}
	while (la && lb && a[la - 1] == b[lb - 1])
		la--, lb--;
	unsigned *back = s->rows, *prev = back + s->cap, *cur = prev + s->cap;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = (unsigned)i;
		unsigned row_min = cur[0];
		for (size_t j = 1; j <= lb; j++) {
			unsigned cost = a[i - 1] != b[j - 1];
			unsigned v = min3(prev[j] + 1, cur[j - 1] + 1,
					  prev[j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && back[j - 2] + 1 < v)
				v = back[j - 2] + 1;
			cur[j] = v;
			if (v < row_min)
				row_min = v;
		}
		if (row_min > limit)
			return limit + 1;
		unsigned *t = back;
		back = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb] <= limit ? prev[lb] : limit + 1;
}

/* @text (@len bytes) against kept candidate @i in byte order, as strcmp. */
static int compare_kept(const struct suggest *s, const char *text, size_t len,
			size_t i)
{
	int c = strncmp(text, s->best[i], len);
	return c ? c : -(s->best[i][len] != '\0');
}

/* Whether (@d, @text) ranks before kept candidate @i. */
static bool ranks_before(const struct suggest *s, unsigned d, const char *text,
			 size_t len, size_t i)
{
	if (d != s->dist[i])
		return d < s->dist[i];
	return compare_kept(s, text, len, i) < 0;
}

static void keep(struct suggest *s, unsigned d, const char *text, size_t len)
{
	for (size_t i = 0; i < s->n; i++)
		if (compare_kept(s, text, len, i) == 0)
			return; /* offered twice */
	size_t at = s->n;
	while (at > 0 && ranks_before(s, d, text, len, at - 1))
		at--;
	if (at == SUGGEST_MAX)
		return;
	if (s->n == SUGGEST_MAX)
		free(s->best[--s->n]);
	memmove(&s->best[at + 1], &s->best[at],
		(s->n - at) * sizeof(s->best[0]));
	memmove(&s->dist[at + 1], &s->dist[at],
		(s->n - at) * sizeof(s->dist[0]));
	s->best[at] = xstrndup(text, len);
	s->dist[at] = d;
	s->n++;
}

void suggest_add(struct suggest *s, const char *candidate, size_t len)
{
	size_t la = s->len;
	if (!la || !len)
		return;
	/* Once the list is full, only a distance up to its last one can
	 * still get in. */
	unsigned limit = s->bound;
	if (s->n == SUGGEST_MAX && s->dist[SUGGEST_MAX - 1] < limit)
		limit = s->dist[SUGGEST_MAX - 1];
	bool prefix_only = false;
	size_t gap = la > len ? la - len : len - la;
	if (gap > limit) {
		/* Too far apart for edits; close only if one starts the
		 * other (and the list still has room at that distance). */
		size_t shorter = la < len ? la : len;
		if ((len < la && len < 3) ||
		    strncasecmp(s->word, candidate, shorter) != 0)
			return;
		prefix_only = true;
	}
	if (len >= s->cap) {
		s->cap = len + 1 > 2 * s->cap ? len + 1 : 2 * s->cap;
		s->lower = xrealloc(s->lower, s->cap);
		s->rows = xrealloc(s->rows, 3 * s->cap * sizeof(*s->rows));
	}
	for (size_t i = 0; i < len; i++)
		s->lower[i] = (char)tolower((unsigned char)candidate[i]);
	unsigned d =
		prefix_only ? (unsigned)gap : distance(s, s->lower, len, limit);
	if (!prefix_only && d > limit)
		return;
	keep(s, d, candidate, len);
}

size_t suggest_count(const struct suggest *s)
{
	return s->n;
}

const char *suggest_at(const struct suggest *s, size_t i)
{
	return i < s->n ? s->best[i] : NULL;
}

void suggest_put(const struct suggest *s, struct buf *out, const char *prefix)
{
	for (size_t i = 0; i < s->n; i++)
		buf_printf(out, "%s'%s%s'%s",
			   i == 0	   ? "; did you mean "
			   : i + 1 == s->n ? " or "
					   : ", ",
			   prefix, s->best[i], i + 1 == s->n ? "?" : "");
}
