/*
 * worddiff.c - a word diff for the monitor's reports.
 *
 * Both texts are split into words at ASCII white space; the common first
 * and last words are set aside, and Myers' O(ND) algorithm finds a
 * shortest edit script for the middle. It keeps each round's furthest
 * reaching paths (2d+1 positions in round d) to walk the script back, so
 * its memory is the square of the edit distance, not of the length; the
 * search stops at a bound and then reports the whole middle as removed
 * and added, which is true if not minimal. Pages are compared whole, so a
 * page that changed a few words costs a few rounds.
 */
#include "worddiff.h"
#include "hash.h"
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct words {
	char *copy; /* the text, with a NUL after each word */
	char **w;
	uint32_t *hash;
	size_t n;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static void words_split(const char *text, struct words *out)
{
	out->copy = xstrdup(text ? text : "");
	size_t cap = 16;
	out->w = xmalloc(cap * sizeof(*out->w));
	out->n = 0;
	char *p = out->copy;
	for (;;) {
		while (*p && is_space(*p))
			p++;
		if (!*p)
			break;
		if (out->n == cap) {
			cap *= 2;
			out->w = xrealloc(out->w, cap * sizeof(*out->w));
		}
		out->w[out->n++] = p;
		while (*p && !is_space(*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
	out->hash = xmalloc((out->n ? out->n : 1) * sizeof(*out->hash));
	for (size_t i = 0; i < out->n; i++)
		out->hash[i] = (uint32_t)hash_str(out->w[i]);
}

static void words_free(struct words *w)
{
	free(w->copy);
	free(w->w);
	free(w->hash);
}

static bool same(const struct words *a, size_t i, const struct words *b,
		 size_t j)
{
	return a->hash[i] == b->hash[j] && !strcmp(a->w[i], b->w[j]);
}

/* One step of the script: a word of the old text removed or of the new
 * one added, by its index. */
struct edit {
	bool added;
	size_t at;
};

/*
 * Myers' search over old[lo_a, lo_a + n) and new[lo_b, lo_b + m).
 * Returns: the number of edits written to *@out (in order), or -1 when
 * the distance is over @max.
 */
static ptrdiff_t myers(const struct words *a, size_t lo_a, ptrdiff_t n,
		       const struct words *b, size_t lo_b, ptrdiff_t m,
		       ptrdiff_t max, struct edit **out)
{
	ptrdiff_t **trace = xcalloc((size_t)max + 1, sizeof(*trace));
	ptrdiff_t found = -1;
	for (ptrdiff_t d = 0; d <= max && found < 0; d++) {
		ptrdiff_t *v = xmalloc((size_t)(2 * d + 1) * sizeof(*v));
		const ptrdiff_t *prev = d ? trace[d - 1] : NULL;
		trace[d] = v;
		for (ptrdiff_t k = -d; k <= d; k += 2) {
			ptrdiff_t x;
			if (d == 0)
				x = 0;
			else if (k == -d ||
				 (k != d &&
				  prev[k - 1 + d - 1] < prev[k + 1 + d - 1]))
				x = prev[k + 1 + d - 1];
			else
				x = prev[k - 1 + d - 1] + 1;
			ptrdiff_t y = x - k;
			while (x < n && y < m &&
			       same(a, lo_a + (size_t)x, b, lo_b + (size_t)y)) {
				x++;
				y++;
			}
			v[k + d] = x;
			if (x >= n && y >= m) {
				found = d;
				break;
			}
		}
	}
	if (found < 0) {
		for (ptrdiff_t d = 0; d <= max; d++)
			free(trace[d]);
		free(trace);
		return -1;
	}
	struct edit *e = xmalloc((size_t)(found ? found : 1) * sizeof(*e));
	ptrdiff_t x = n, y = m;
	for (ptrdiff_t d = found; d > 0; d--) {
		const ptrdiff_t *prev = trace[d - 1];
		ptrdiff_t k = x - y, pk;
		if (k == -d ||
		    (k != d && prev[k - 1 + d - 1] < prev[k + 1 + d - 1]))
			pk = k + 1;
		else
			pk = k - 1;
		ptrdiff_t px = prev[pk + d - 1], py = px - pk;
		if (pk == k + 1)
			e[d - 1] = (struct edit){ true, lo_b + (size_t)py };
		else
			e[d - 1] = (struct edit){ false, lo_a + (size_t)px };
		x = px;
		y = py;
	}
	for (ptrdiff_t d = 0; d <= found; d++)
		free(trace[d]);
	free(trace);
	*out = e;
	return found;
}

static void run_add(struct worddiff *d, bool added, const struct words *w,
		    size_t from, size_t count)
{
	if (!count)
		return;
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < count; i++) {
		if (i)
			buf_putc(&b, ' ');
		buf_puts(&b, w->w[from + i]);
	}
	d->runs = xrealloc(d->runs, (d->nruns + 1) * sizeof(*d->runs));
	d->runs[d->nruns++] = (struct worddiff_run){
		.added = added,
		.words = buf_detach(&b, NULL),
		.nwords = count,
		.at = from,
	};
	if (added)
		d->added += count;
	else
		d->removed += count;
}

void worddiff_compute(const char *old_text, const char *new_text,
		      size_t max_edits, struct worddiff *out)
{
	memset(out, 0, sizeof(*out));
	struct words a, b;
	words_split(old_text, &a);
	words_split(new_text, &b);
	size_t pre = 0;
	while (pre < a.n && pre < b.n && same(&a, pre, &b, pre))
		pre++;
	size_t suf = 0;
	while (suf < a.n - pre && suf < b.n - pre &&
	       same(&a, a.n - 1 - suf, &b, b.n - 1 - suf))
		suf++;
	ptrdiff_t n = (ptrdiff_t)(a.n - pre - suf);
	ptrdiff_t m = (ptrdiff_t)(b.n - pre - suf);
	ptrdiff_t max = (ptrdiff_t)(max_edits ? max_edits : WORDDIFF_MAX_EDITS);
	if (max > n + m)
		max = n + m;
	struct edit *e = NULL;
	ptrdiff_t ne = n && m ? myers(&a, pre, n, &b, pre, m, max, &e) : -1;
	if (ne < 0) {
		/* One side is empty, or the bound was hit. */
		out->capped = n && m;
		run_add(out, false, &a, pre, (size_t)n);
		run_add(out, true, &b, pre, (size_t)m);
	}
	for (ptrdiff_t i = 0; i < ne;) {
		ptrdiff_t j = i + 1;
		while (j < ne && e[j].added == e[i].added &&
		       e[j].at == e[j - 1].at + 1)
			j++;
		run_add(out, e[i].added, e[i].added ? &b : &a, e[i].at,
			(size_t)(j - i));
		i = j;
	}
	free(e);
	words_free(&a);
	words_free(&b);
}

void worddiff_free(struct worddiff *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nruns; i++)
		free(d->runs[i].words);
	free(d->runs);
	memset(d, 0, sizeof(*d));
}

/* The largest length up to @max that does not cut a UTF-8 character. */
static size_t char_floor(const char *s, size_t max)
{
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

void worddiff_put(const struct worddiff *d, struct buf *out, const char *indent,
		  size_t max_runs, size_t max_chars)
{
	size_t shown = d->nruns < max_runs ? d->nruns : max_runs;
	for (size_t i = 0; i < shown; i++) {
		const struct worddiff_run *r = &d->runs[i];
		size_t len = strlen(r->words);
		size_t cut =
			len > max_chars ? char_floor(r->words, max_chars) : len;
		buf_printf(out, "%s%c %.*s%s\n", indent, r->added ? '+' : '-',
			   (int)cut, r->words, cut < len ? "..." : "");
	}
	if (shown < d->nruns)
		buf_printf(out, "%s(%zu more change%s)\n", indent,
			   d->nruns - shown, d->nruns - shown == 1 ? "" : "s");
}
