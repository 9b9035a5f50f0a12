/*
 * pngenc.c - a fast PNG encoder for the share cards' canvas.
 *
 * A card is mostly flat colour with some anti-aliased text, so its
 * repeats are of two kinds only: the pixel to the left and the row
 * above. This writer looks for those two alone, not with zlib's hash
 * chains: a row equal to the one above (most rows; memcmp tells) is one
 * fixed list of matches one row back; elsewhere stretches like the row
 * above are found 8 pixels a compare, runs of one colour become matches
 * a pixel back, and the rest literals. Unfiltered rows go out as one
 * deflate block with Huffman codes made for the card. Adler-32 is two
 * sums updated only where a row differs from the one above. A picture
 * of at most 256 colours is written as palette indexes, once the edges
 * of its text are in a few shades (pngenc.h); any other exactly, as
 * RGB; either 20 to 30 times faster than libpng writes it.
 */
#include "pngenc.h"
#include "internal.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

static void put_be32(struct buf *out, uint32_t v)
{
	unsigned char b[4] = { v >> 24, v >> 16 & 0xff, v >> 8 & 0xff,
			       v & 0xff };
	buf_put(out, b, 4);
}

/* A whole chunk: length, type, data, CRC of type and data. */
static void put_chunk(struct buf *out, const char type[4], const void *data,
		      size_t len)
{
	put_be32(out, (uint32_t)len);
	size_t at = out->len;
	buf_put(out, type, 4);
	buf_put(out, data, len);
	put_be32(out, (uint32_t)crc32(0, (const Bytef *)out->data + at,
				      (uInt)(len + 4)));
}

/* A code as it goes into the stream: @bits (first bit lowest), @n of them. */
struct code {
	uint32_t bits;
	unsigned n;
};

/*
 * The deflate stream being written, bits first to last from the lowest,
 * straight into memory reserved beforehand (bits_start()): a local
 * struct whose fields the compiler keeps in registers, as nothing it
 * writes through @p can alias them. Fewer than 8 bits wait in @acc
 * between puts, so a put of up to 56 bits fits, and each put stores 8
 * bytes and moves on by the whole ones: no branch.
 */
struct bits {
	unsigned char *p;
	uint64_t acc;
	unsigned n;
};

/* Start writing at the end of @out, with room for @bytes more bytes. */
static bool bits_start(struct bits *b, struct buf *out, size_t bytes)
{
	if (!buf_reserve(out, bytes + 8))
		return false;
	*b = (struct bits){ (unsigned char *)out->data + out->len, 0, 0 };
	return true;
}

/* Put @n (at most 56) bits. */
static inline void bits_put(struct bits *b, uint64_t v, unsigned n)
{
	b->acc |= v << b->n;
	b->n += n;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(b->p, &b->acc, 8); /* the stream's byte order: one store */
#else
	for (int i = 0; i < 8; i++)
		b->p[i] = (unsigned char)(b->acc >> 8 * i);
#endif
	b->p += b->n >> 3;
	b->acc >>= b->n & ~7u;
	b->n &= 7;
}

/* The last bits, padded to a byte; @out ends where they do. */
static void bits_finish(struct bits *b, struct buf *out)
{
	if (b->n)
		*b->p++ = b->acc & 0xff;
	out->len = (size_t)((char *)b->p - out->data);
}

/* Huffman codes are sent from their top bit down. */
static uint32_t reverse(uint32_t v, unsigned n)
{
	uint32_t r = 0;
	for (unsigned i = 0; i < n; i++, v >>= 1)
		r = r << 1 | (v & 1);
	return r;
}

/* Deflate's symbols (RFC 1951, 3.2.5): 286 literal/length ones (256 the
 * end of the block), 30 distance ones, 19 code length ones. */
#define NLIT  286
#define NDIST 30
#define NCL   19

/* The symbol of match length @len (3..258), its extra bits and their
 * value. */
struct extra {
	unsigned short sym;
	unsigned char n;
	unsigned short v;
};

static struct extra length_symbol(unsigned len)
{
	static const unsigned short base[29] = {
		3,  4,	5,  6,	7,  8,	9,  10, 11,  13,  15,  17,  19,	 23, 27,
		31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258
	};
	unsigned i = 28;
	while (base[i] > len)
		i--;
	unsigned extra = i < 8 || i == 28 ? 0 : (i - 4) / 4;
	return (struct extra){ (unsigned short)(257 + i), (unsigned char)extra,
			       (unsigned short)(len - base[i]) };
}

/* The symbol of distance @dist (1..32768), its extra bits and value. */
static struct extra distance_symbol(unsigned dist)
{
	unsigned code = 0, base = 1;
	for (;;) {
		unsigned extra = code < 4 ? 0 : code / 2 - 1;
		if (dist < base + (1u << extra))
			return (struct extra){ (unsigned short)code,
					       (unsigned char)extra,
					       (unsigned short)(dist - base) };
		base += 1u << extra;
		code++;
	}
}

/* A symbol, and its place in a Huffman tree being built. */
struct node {
	uint32_t freq;
	int parent;
};

static int node_cmp(const void *a, const void *b)
{
	const struct node *x = a, *y = b;
	return (x->freq > y->freq) - (x->freq < y->freq);
}

/*
 * Code lengths of a Huffman code for @n symbols of frequencies @freq, at
 * most @limit bits, into @len (0 for a symbol never used). At least two
 * symbols get a code, as some decoders want a complete code. A code too
 * long is built again from halved frequencies until it fits.
 */
static void huffman_lengths(const uint32_t *freq, size_t n, unsigned limit,
			    unsigned char *len)
{
	struct node *nodes = xcalloc(2 * n, sizeof(*nodes));
	size_t *sym = xcalloc(n, sizeof(*sym));
	uint32_t *f = xmalloc(n * sizeof(*f));
	size_t used = 0;
	for (size_t i = 0; i < n; i++)
		if ((f[i] = freq[i]) != 0)
			used++;
	for (size_t i = 0; used < 2 && i < n; i++)
		if (!f[i])
			f[i] = 1, used++;
	for (;;) {
		/* The leaves by frequency, then the two-queue merge: each
		 * new node is no lighter than the one before. */
		size_t nl = 0;
		for (size_t i = 0; i < n; i++)
			if (f[i]) {
				nodes[nl] = (struct node){ f[i], -1 };
				sym[nl] = i;
				nl++;
			}
		/* Sort leaves, keeping which symbol each is. */
		for (size_t i = 0; i < nl; i++)
			nodes[i].parent = (int)sym[i];
		qsort(nodes, nl, sizeof(*nodes), node_cmp);
		for (size_t i = 0; i < nl; i++) {
			sym[i] = (size_t)nodes[i].parent;
			nodes[i].parent = -1;
		}
		size_t leaf = 0, inner = nl, top = nl;
		while (top < 2 * nl - 1) {
			size_t pick[2];
			for (int k = 0; k < 2; k++) {
				if (leaf < nl &&
				    (inner >= top ||
				     nodes[leaf].freq <= nodes[inner].freq))
					pick[k] = leaf++;
				else
					pick[k] = inner++;
			}
			nodes[top] = (struct node){
				nodes[pick[0]].freq + nodes[pick[1]].freq, -1
			};
			nodes[pick[0]].parent = nodes[pick[1]].parent =
				(int)top;
			top++;
		}
		memset(len, 0, n);
		unsigned longest = 0;
		for (size_t i = 0; i < nl; i++) {
			unsigned d = 0;
			for (int k = (int)i; nodes[k].parent >= 0;
			     k = nodes[k].parent)
				d++;
			len[sym[i]] = (unsigned char)d;
			if (d > longest)
				longest = d;
		}
		if (longest <= limit)
			break;
		for (size_t i = 0; i < n; i++)
			if (f[i])
				f[i] = f[i] / 2 + 1;
	}
	free(f);
	free(sym);
	free(nodes);
}

/* The canonical codes (RFC 1951, 3.2.2) of lengths @len, bits reversed
 * for the stream. */
static void huffman_codes(const unsigned char *len, size_t n, struct code *out)
{
	unsigned count[16] = { 0 }, next[16];
	for (size_t i = 0; i < n; i++)
		count[len[i]]++;
	count[0] = 0;
	unsigned code = 0;
	for (unsigned b = 1; b < 16; b++) {
		code = (code + count[b - 1]) << 1;
		next[b] = code;
	}
	for (size_t i = 0; i < n; i++)
		out[i] =
			len[i] ? (struct code){ reverse(next[len[i]]++, len[i]),
						len[i] }
			       : (struct code){ 0, 0 };
}

/*
 * What the rows become before their Huffman codes are known, each a
 * number below NSYMS: a literal byte (below 256), a match of 3 to 258
 * bytes a pixel back (SYM_LEFT + length - 3) or one row back (SYM_UP +
 * length - 3), or a whole row, filter byte and all, as the row above
 * (SYM_ROW_UP: the same matches for every such row). How often each
 * occurs is counted as they are made, and each gets its code (all its
 * bits, extra bits and distance included) once a picture.
 */
#define SYM_LEFT   256u
#define SYM_UP	   (SYM_LEFT + 256u)
#define SYM_ROW_UP (SYM_UP + 256u)
#define NSYMS	   (SYM_ROW_UP + 1)

struct syms {
	uint16_t *v;
	size_t n, cap;
	uint32_t count[NSYMS];
};

/* Room for @n more symbols. */
static void syms_room(struct syms *s, size_t n)
{
	if (s->cap - s->n < n) {
		while (s->cap - s->n < n)
			s->cap = s->cap ? 2 * s->cap : 65536;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
}

/* Add a symbol; syms_room() made room for it. */
static inline void syms_add(struct syms *s, unsigned v)
{
	s->v[s->n++] = (uint16_t)v;
	s->count[v]++;
}

/* Pixel @x of row @row: 0x00RRGGBB, whatever the unused byte holds. */
static inline uint32_t pixel(const unsigned char *row, size_t x)
{
	uint32_t v;
	memcpy(&v, row + 4 * x, 4);
	return v & 0xffffff;
}

/* Two pixels from byte @p on, their unused bytes cleared. */
static inline uint64_t pixels2(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v & 0x00ffffff00ffffffu;
}

/* Whether the 32 bytes at @a and @b are equal: with SSE2 (every x86-64
 * has it), two vector compares and one test; else a memcmp() of a
 * constant size, which compilers make word compares. */
static inline bool same32(const unsigned char *a, const unsigned char *b)
{
#ifdef __SSE2__
	__m128i x = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)a),
				   _mm_loadu_si128((const __m128i *)b));
	__m128i y = _mm_cmpeq_epi8(
		_mm_loadu_si128((const __m128i *)(const void *)(a + 16)),
		_mm_loadu_si128((const __m128i *)(const void *)(b + 16)));
	return _mm_movemask_epi8(_mm_and_si128(x, y)) == 0xffff;
#else
	return memcmp(a, b, 32) == 0;
#endif
}

/* How many pixels from @x on (up to @w) equal those of @other from
 * @x on: eight at a time, unused bytes and all, as most runs are long
 * and the unused bytes of a canvas agree; then two by two, and one by
 * one, without them. */
static size_t same_as(const unsigned char *row, const unsigned char *other,
		      size_t x, size_t w)
{
	size_t k = x;
	while (k + 8 <= w && same32(row + 4 * k, other + 4 * k))
		k += 8;
	while (k + 2 <= w && pixels2(row + 4 * k) == pixels2(other + 4 * k))
		k += 2;
	while (k < w && pixel(row, k) == pixel(other, k))
		k++;
	return k - x;
}

/* How many pixels from @x on (up to @w) equal @v. */
static size_t same_value(const unsigned char *row, uint32_t v, size_t x,
			 size_t w)
{
	uint64_t vv = (uint64_t)v << 32 | v;
	size_t k = x;
	while (k + 4 <= w && ((pixels2(row + 4 * k) ^ vv) |
			      (pixels2(row + 4 * k + 8) ^ vv)) == 0)
		k += 4;
	while (k + 2 <= w && pixels2(row + 4 * k) == vv)
		k += 2;
	while (k < w && pixel(row, k) == v)
		k++;
	return k - x;
}

/*
 * A row's Adler-32 sums, kept from one row to the next and updated only
 * where a row differs from the one above: @s1 the sum of its bytes, @s2
 * the sum of each byte times its distance from the row's end.
 */
struct sums {
	int64_t s1, s2;
};

/* The Adler-32 of a row of @n bytes with sums @m (RFC 1950, 8.2). */
static uLong sums_adler(const struct sums *m, size_t n)
{
	return (uLong)((m->s2 + (int64_t)n) % 65521) << 16 |
	       (uLong)((m->s1 + 1) % 65521);
}

/* Pixels @x to @end of @row, where they differ from @prev's, into @m;
 * the row is @n bytes, a filter byte then 3 a pixel. */
static inline void sums_update(struct sums *m, const unsigned char *row,
			       const unsigned char *prev, size_t x, size_t end,
			       size_t n)
{
	for (; x < end; x++) {
		uint32_t c = pixel(row, x), p = prev ? pixel(prev, x) : 0;
		if (c == p)
			continue;
		/* Red is n - 1 - 3x bytes from the end, green and blue one
		 * and two fewer. */
		int64_t dr = (int64_t)(c >> 16) - (p >> 16),
			dg = (int64_t)(c >> 8 & 0xff) - (p >> 8 & 0xff),
			db = (int64_t)(c & 0xff) - (p & 0xff);
		int64_t at = (int64_t)(n - 1 - 3 * x), d = dr + dg + db;
		m->s1 += d;
		m->s2 += d * at - dg - 2 * db;
	}
}

/* The next piece of a match of @n bytes (at least 3): deflate's at most
 * 258, leaving no piece shorter than 3. */
static inline size_t match_piece(size_t n)
{
	return n <= 258 ? n : n - 258 >= 3 ? 258 : n - 3;
}

/* A match of @n bytes, one row back when @up, else a pixel back; cut
 * into deflate's at most 258 each. */
static void put_match(struct syms *s, size_t n, bool up)
{
	for (size_t k; n; n -= k) {
		k = match_piece(n);
		syms_add(s, (up ? SYM_UP : SYM_LEFT) + (unsigned)k - 3);
	}
}

/*
 * Row @row (@w pixels) as literals and matches: what is as in the row
 * above (@prev, NULL on the first row) as a match one row back, so that
 * long stretches cost one word compare per four pixels and nothing else;
 * what differs as runs of the pixel to the left, else literals. The
 * filter byte (0) goes with the match of the row above when the first
 * pixel is as above. @m goes from the sums of the row above to this
 * row's.
 */
static void code_row(struct syms *s, const unsigned char *row,
		     const unsigned char *prev, size_t w, struct sums *m)
{
	size_t n = 1 + 3 * w, x = 0;
	size_t ku = prev ? same_as(row, prev, 0, w) : 0;
	if (ku) {
		put_match(s, 1 + 3 * ku, true);
		x = ku;
	} else {
		syms_add(s, 0);
	}
	while (x < w) {
		/* One look at the pixel picks the path: most of those that
		 * get here are literals, and a call to find a run that is
		 * not there would cost more than the literal. */
		uint32_t c = pixel(row, x);
		if (prev && c == pixel(prev, x)) {
			size_t k = 1 + same_as(row, prev, x + 1, w);
			put_match(s, 3 * k, true);
			x += k;
		} else if (x && c == pixel(row, x - 1)) {
			size_t k = 1 + same_value(row, c, x + 1, w);
			put_match(s, 3 * k, false);
			sums_update(m, row, prev, x, x + k, n);
			x += k;
		} else {
			syms_add(s, c >> 16);
			syms_add(s, c >> 8 & 0xff);
			syms_add(s, c & 0xff);
			sums_update(m, row, prev, x, x + 1, n);
			x++;
		}
	}
}

/* The code lengths of both trees, run-length coded (RFC 1951, 3.2.7):
 * symbols 0..18 in @cl with extra bits in @cl_extra. Returns how many. */
static size_t rle_lengths(const unsigned char *len, size_t n, uint8_t *cl,
			  uint8_t *cl_extra)
{
	size_t out = 0;
	for (size_t i = 0; i < n;) {
		size_t r = 1;
		while (i + r < n && len[i + r] == len[i])
			r++;
		size_t left = r;
		if (len[i] == 0) {
			while (left >= 11) {
				size_t k = left < 138 ? left : 138;
				cl[out] = 18,
				cl_extra[out++] = (uint8_t)(k - 11);
				left -= k;
			}
			if (left >= 3) {
				cl[out] = 17,
				cl_extra[out++] = (uint8_t)(left - 3);
				left = 0;
			}
		} else {
			cl[out] = len[i], cl_extra[out++] = 0;
			left--;
			while (left >= 3) {
				size_t k = left < 6 ? left : 6;
				cl[out] = 16,
				cl_extra[out++] = (uint8_t)(k - 3);
				left -= k;
			}
		}
		for (; left; left--)
			cl[out] = len[i], cl_extra[out++] = 0;
		i += r;
	}
	return out;
}

/* A code as it goes into the stream, extra bits and all. */
struct code64 {
	uint64_t bits;
	unsigned n;
};

/* Length code, its extra bits, distance code and its extra bits of a
 * match of @len (3..258) at distance @d, as one put. */
static struct code64 match_code(const struct code *lc, const struct code *dc,
				struct extra len, struct extra d)
{
	struct code64 c = { lc[len.sym].bits, lc[len.sym].n };
	c.bits |= (uint64_t)len.v << c.n;
	c.n += len.n;
	c.bits |= (uint64_t)dc[d.sym].bits << c.n;
	c.n += dc[d.sym].n;
	c.bits |= (uint64_t)d.v << c.n;
	c.n += d.n;
	return c;
}

/* Symbols @s as one final deflate block with Huffman codes made for
 * them (RFC 1951, 3.2.7), appended to @out; @dist_up is the distance of a
 * row, and the length of one (SYM_ROW_UP), @dist_left that of a pixel. */
static int put_block(struct buf *out, const struct syms *s, unsigned dist_up,
		     unsigned dist_left)
{
	uint32_t lf[NLIT] = { 0 }, df[NDIST] = { 0 }, cf[NCL] = { 0 };
	struct extra lens[259], up = distance_symbol(dist_up),
				left = distance_symbol(dist_left);
	for (unsigned l = 3; l < 259; l++)
		lens[l] = length_symbol(l);
	/* A row as above is always the same pieces. A row is at most
	 * 32768 bytes, so at most 128 pieces. */
	unsigned short row[128];
	size_t nrow = 0, rows = s->count[SYM_ROW_UP];
	for (size_t n = dist_up, k; n; n -= k)
		row[nrow++] = (unsigned short)(k = match_piece(n));
	for (unsigned i = 0; i < 256; i++)
		lf[i] = s->count[i];
	for (unsigned l = 3; l < 259; l++) {
		uint32_t nl = s->count[SYM_LEFT + l - 3],
			 nu = s->count[SYM_UP + l - 3];
		lf[lens[l].sym] += nl + nu;
		df[left.sym] += nl;
		df[up.sym] += nu;
	}
	for (size_t i = 0; i < nrow; i++)
		lf[lens[row[i]].sym] += (uint32_t)rows;
	df[up.sym] += (uint32_t)(rows * nrow);
	lf[256] = 1;
	unsigned char len[NLIT + NDIST], cll[NCL];
	huffman_lengths(lf, NLIT, 15, len);
	huffman_lengths(df, NDIST, 15, len + NLIT);
	size_t hlit = NLIT, hdist = NDIST;
	while (hlit > 257 && !len[hlit - 1])
		hlit--;
	while (hdist > 1 && !len[NLIT + hdist - 1])
		hdist--;
	/* The lengths as one sequence, the distances' after the others. */
	unsigned char seq[NLIT + NDIST];
	memcpy(seq, len, hlit);
	memcpy(seq + hlit, len + NLIT, hdist);
	uint8_t cl[NLIT + NDIST], cl_extra[NLIT + NDIST];
	size_t ncl = rle_lengths(seq, hlit + hdist, cl, cl_extra);
	for (size_t i = 0; i < ncl; i++)
		cf[cl[i]]++;
	huffman_lengths(cf, NCL, 7, cll);
	static const unsigned char order[NCL] = { 16, 17, 18, 0,  8, 7,	 9,
						  6,  10, 5,  11, 4, 12, 3,
						  13, 2,  14, 1,  15 };
	size_t hclen = NCL;
	while (hclen > 4 && !cll[order[hclen - 1]])
		hclen--;
	struct code lc[NLIT], dc[NDIST], cc[NCL];
	huffman_codes(len, NLIT, lc);
	huffman_codes(len + NLIT, NDIST, dc);
	huffman_codes(cll, NCL, cc);

	/* Every symbol's code, then a row as above's pieces. */
	struct code64 code[NSYMS];
	for (unsigned i = 0; i < 256; i++)
		code[i] = (struct code64){ lc[i].bits, lc[i].n };
	for (unsigned l = 3; l < 259; l++) {
		code[SYM_LEFT + l - 3] = match_code(lc, dc, lens[l], left);
		code[SYM_UP + l - 3] = match_code(lc, dc, lens[l], up);
	}
	struct code64 row_code[128];
	for (size_t i = 0; i < nrow; i++)
		row_code[i] = match_code(lc, dc, lens[row[i]], up);

	/* The trees take less than 64 + 3 * NCL + 7 * (NLIT + NDIST) bits;
	 * a symbol at most 15 + 5 + 15 + 13, a row as above @nrow of
	 * those. */
	struct bits bb, *b = &bb;
	if (!bits_start(b, out,
			64 + NLIT + NDIST + (s->n + rows * nrow) * 6 + 8))
		return -1;
	bits_put(b, 1 | 2 << 1, 3); /* the final block, its own codes */
	bits_put(b, (uint32_t)(hlit - 257), 5);
	bits_put(b, (uint32_t)(hdist - 1), 5);
	bits_put(b, (uint32_t)(hclen - 4), 4);
	for (size_t i = 0; i < hclen; i++)
		bits_put(b, cll[order[i]], 3);
	static const unsigned char cl_bits[3] = { 2, 3, 7 };
	for (size_t i = 0; i < ncl; i++) {
		bits_put(b, cc[cl[i]].bits, cc[cl[i]].n);
		if (cl[i] >= 16)
			bits_put(b, cl_extra[i], cl_bits[cl[i] - 16]);
	}
	for (size_t i = 0; i < s->n; i++) {
		unsigned v = s->v[i];
		if (v == SYM_ROW_UP)
			for (size_t k = 0; k < nrow; k++)
				bits_put(b, row_code[k].bits, row_code[k].n);
		else
			bits_put(b, code[v].bits, code[v].n);
	}
	bits_put(b, lc[256].bits, lc[256].n);
	bits_finish(b, out);
	return 0;
}

/*
 * A picture of at most 256 colours goes out as palette indexes, a byte a
 * pixel: a third of the bytes, so a faster encoding and a smaller file.
 * The palette is in the order the colours are met. A card's text is
 * anti-aliased in some 250 shades per colour, so a card has 700 to 1,000
 * colours; with shading (pngenc.h), a colour between a text's paper and
 * ink is written as the nearest of a few shades, and a card fits.
 */
#define PALETTE_MAX   256
#define PALETTE_BITS  10 /* slots: four times the most colours */
#define PALETTE_SLOTS (1u << PALETTE_BITS)
/* Colours met, by the index they are written as: a picture has few, and
 * one that has more only looks some up twice. */
#define SEEN_BITS  12
#define SEEN_SLOTS (1u << SEEN_BITS)

/* Where colour @c goes in a table of 2^@bits slots. */
static size_t colour_slot(uint32_t c, unsigned bits)
{
	return (uint32_t)(c * 0x9e3779b1u) >> (32 - bits);
}

/* A blend made ready: its colours, the channel that tells most of its
 * shades apart, and how far along that channel its ink is from paper. */
struct blend_line {
	uint32_t paper, ink;
	int key, span;
};

struct palette {
	struct blend_line *lines; /* the shading's, with shades to round */
	size_t nlines;
	int steps;
	uint32_t key[PALETTE_SLOTS]; /* colour | PALETTE_USED, or 0 */
	unsigned char index[PALETTE_SLOTS];
	uint32_t colour[PALETTE_MAX];
	unsigned n;
	uint32_t seen[SEEN_SLOTS]; /* colour | PALETTE_USED, or 0 */
	unsigned char seen_index[SEEN_SLOTS];
};

#define PALETTE_USED 0x1000000u

/* The index of colour @c, added when new; -1 when there is no room. */
static int palette_index(struct palette *p, uint32_t c)
{
	uint32_t key = c | PALETTE_USED;
	size_t i = colour_slot(c, PALETTE_BITS);
	for (; p->key[i]; i = (i + 1) & (PALETTE_SLOTS - 1))
		if (p->key[i] == key)
			return p->index[i];
	if (p->n == PALETTE_MAX)
		return -1;
	p->key[i] = key;
	p->index[i] = (unsigned char)p->n;
	p->colour[p->n] = c;
	return (int)p->n++;
}

static int channel(uint32_t c, int i)
{
	return (int)(c >> (16 - 8 * i) & 0xff);
}

/* The palette to write with @shading (NULL: none). */
static struct palette *palette_new(const struct pngenc_shading *shading)
{
	struct palette *p = xcalloc(1, sizeof(*p));
	size_t n = shading ? shading->nblends : 0;
	p->lines = xcalloc(n ? n : 1, sizeof(*p->lines));
	p->steps = shading ? (int)shading->steps : 0;
	for (size_t i = 0; i < n; i++) {
		struct blend_line l = { shading->blends[i].paper,
					shading->blends[i].ink, 0, 0 };
		for (int k = 1; k < 3; k++)
			if (abs(channel(l.ink, k) - channel(l.paper, k)) >
			    abs(channel(l.ink, l.key) -
				channel(l.paper, l.key)))
				l.key = k;
		l.span = channel(l.ink, l.key) - channel(l.paper, l.key);
		/* Too close to have shades worth rounding. */
		if (p->steps > 0 && abs(l.span) >= 2 * p->steps)
			p->lines[p->nlines++] = l;
	}
	return p;
}

static void palette_free(struct palette *p)
{
	if (p)
		free(p->lines);
	free(p);
}

/*
 * The nearest to colour @c of @steps + 1 shades from @l's paper to its
 * ink, and in *@err how far @c is from the line between them: the most
 * any channel is off it (4 and more: @c is not between them).
 */
static uint32_t blend_shade(const struct blend_line *l, int steps, uint32_t c,
			    int *err)
{
	int along = channel(c, l->key) - channel(l->paper, l->key);
	*err = 4;
	if (along * l->span < 0 || abs(along) > abs(l->span))
		return c; /* beyond the paper or the ink */
	int q = (2 * along * steps + l->span) / (2 * l->span);
	uint32_t shade = 0;
	*err = 0;
	for (int i = 0; i < 3; i++) {
		int from = channel(l->paper, i), d = channel(l->ink, i) - from;
		int off = abs(channel(c, i) - (from + d * along / l->span));
		*err = off > *err ? off : *err;
		shade = shade << 8 |
			(uint32_t)(from +
				   (2 * d * q + (d < 0 ? -steps : steps)) /
					   (2 * steps));
	}
	return shade;
}

/* Colour @c as written: the shade of the blend whose line it is nearest
 * to, within 3 on every channel; else itself. */
static uint32_t shade_of(const struct palette *p, uint32_t c)
{
	uint32_t best = c;
	int best_err = 4;
	for (size_t i = 0; i < p->nlines; i++) {
		int err;
		uint32_t shade = blend_shade(&p->lines[i], p->steps, c, &err);
		if (err < best_err)
			best = shade, best_err = err;
	}
	return best;
}

/* The index pixel colour @c is written as; -1 when the palette has no
 * room for it. */
static int colour_index(struct palette *p, uint32_t c)
{
	size_t i = colour_slot(c, SEEN_BITS);
	if (p->seen[i] == (c | PALETTE_USED))
		return p->seen_index[i];
	int index = palette_index(p, shade_of(p, c));
	if (index >= 0) {
		p->seen[i] = c | PALETTE_USED;
		p->seen_index[i] = (unsigned char)index;
	}
	return index;
}

/* @k bytes of @idx from @x on, as literals when fewer than a match's 3,
 * else as a match one row back when @up, else one byte back. */
static inline void put_stretch(struct syms *s, const unsigned char *idx,
			       size_t x, size_t k, bool up)
{
	if (k >= 3)
		put_match(s, k, up);
	else
		for (size_t i = 0; i < k; i++)
			syms_add(s, idx[x + i]);
}

/*
 * code_row() for a picture written as palette indexes: the same stretches
 * as above and as the left, found on the pixels (equal pixels, equal
 * indexes), each a byte a pixel, and the rest literal indexes. Row
 * @row's indexes go to @idx; @idx_above holds the row above's. False when
 * the palette has no room for a colour.
 */
static bool code_row_indexed(struct syms *s, const unsigned char *row,
			     const unsigned char *prev, size_t w,
			     struct sums *m, struct palette *pal,
			     unsigned char *idx, const unsigned char *idx_above)
{
	size_t n = 1 + w, x = 0, ku;
	/* What is as above needs no index of its own; the sums change by
	 * what a new index adds to the one above (0 on the first row). */
	if (prev)
		memcpy(idx, idx_above, w);
	else
		memset(idx, 0, w);
	/* The filter byte goes with a stretch as above of 2 or more. */
	if (prev && (ku = same_as(row, prev, 0, w)) >= 2) {
		put_match(s, 1 + ku, true);
		x = ku;
	} else {
		syms_add(s, 0);
	}
	uint32_t last = 0;
	int last_index = -1;
	while (x < w) {
		uint32_t c = pixel(row, x);
		if (prev && c == pixel(prev, x)) {
			size_t k = 1 + same_as(row, prev, x + 1, w);
			put_stretch(s, idx, x, k, true);
			x += k;
			continue;
		}
		if (last_index < 0 || c != last) {
			last_index = colour_index(pal, c);
			if (last_index < 0)
				return false;
			last = c;
		}
		size_t k = x && c == pixel(row, x - 1)
				   ? 1 + same_value(row, c, x + 1, w)
				   : 1;
		for (size_t i = x; i < x + k; i++) {
			int64_t d = last_index - idx[i];
			m->s1 += d;
			m->s2 += d * (int64_t)(n - 1 - i);
			idx[i] = (unsigned char)last_index;
		}
		put_stretch(s, idx, x, k, false);
		x += k;
	}
	return true;
}

/*
 * The zlib stream of the image's rows into @out: as indexes into @pal
 * when it is not NULL, else as RGB. Returns 0, -1 when it cannot be
 * written, 1 when the picture has more colours than a palette holds
 * (@out is then as it was).
 */
static int deflate_rows(const unsigned char *data, int width, int height,
			int stride, struct palette *pal, struct buf *out)
{
	size_t w = (size_t)width, row = 1 + (pal ? 1 : 3) * w;
	uLong adler = adler32(0, NULL, 0);
	struct sums m = { 0, 0 };
	struct syms s = { 0 };
	/* The indexes of this row and of the one above. */
	unsigned char *rows = pal ? xmalloc(2 * w) : NULL, *idx = rows,
		      *idx_above = rows ? rows + w : NULL;
	int rc = 0;
	for (int y = 0; y < height && rc == 0; y++) {
		const unsigned char *src = data + (size_t)y * stride,
				    *above = y ? src - stride : NULL;
		syms_room(&s, row); /* at most a symbol a byte */
		/* Most of a card's rows are the row above: memcmp() tells
		 * them fast, and their sums stay as they are. (A row that
		 * differs only in the unused bytes goes the long way.) */
		if (above && !memcmp(src, above, 4 * w)) {
			syms_add(&s, SYM_ROW_UP);
		} else if (!pal) {
			code_row(&s, src, above, w, &m);
		} else if (code_row_indexed(&s, src, above, w, &m, pal, idx,
					    idx_above)) {
			unsigned char *t = idx;
			idx = idx_above;
			idx_above = t;
		} else {
			rc = 1;
		}
		adler = adler32_combine(adler, sums_adler(&m, row),
					(z_off_t)row);
	}
	free(rows);
	if (rc == 0) {
		/* Deflate, 32 KiB window, fastest; a header check of 31. */
		buf_put(out, "\x78\x01", 2);
		rc = put_block(out, &s, (unsigned)row, pal ? 1 : 3);
		if (rc == 0)
			put_be32(out, (uint32_t)adler);
	}
	free(s.v);
	return rc;
}

int pngenc_rgb24(const unsigned char *data, int width, int height, int stride,
		 const struct pngenc_shading *shading, const char *keyword,
		 const char *text, struct buf *out)
{
	/* The row above must be in deflate's reach as RGB too, which a
	 * picture of many colours is written as. */
	if (width <= 0 || height <= 0 || 1 + 3 * (size_t)width > 32768)
		return -1;
	/* A row of indexes must be a match's 3 bytes at least. */
	struct palette *pal = width >= 2 ? palette_new(shading) : NULL;
	struct buf z = BUF_INIT;
	int rc = pal ? deflate_rows(data, width, height, stride, pal, &z) : 1;
	if (rc == 1) {
		palette_free(pal);
		pal = NULL;
		rc = deflate_rows(data, width, height, stride, NULL, &z);
	}
	if (rc != 0) {
		palette_free(pal);
		buf_free(&z);
		return -1;
	}
	unsigned char ihdr[13];
	uint32_t wh[2] = { (uint32_t)width, (uint32_t)height };
	for (int i = 0; i < 2; i++)
		for (int k = 0; k < 4; k++)
			ihdr[4 * i + k] =
				(unsigned char)(wh[i] >> (24 - 8 * k));
	/* 8 bits, indexed (3) or RGB (2); deflate, standard filters, no
	 * interlace. */
	memcpy(ihdr + 8, pal ? "\x08\x03\x00\x00\x00" : "\x08\x02\x00\x00\x00",
	       5);
	buf_put(out, "\x89PNG\r\n\x1a\n", 8);
	put_chunk(out, "IHDR", ihdr, sizeof(ihdr));
	size_t klen = strlen(keyword) + 1, tlen = strlen(text);
	char *t = xmalloc(klen + tlen);
	memcpy(t, keyword, klen);
	memcpy(t + klen, text, tlen);
	put_chunk(out, "tEXt", t, klen + tlen);
	free(t);
	if (pal) {
		unsigned char plte[3 * PALETTE_MAX];
		for (unsigned i = 0; i < pal->n; i++) {
			uint32_t c = pal->colour[i];
			plte[3 * i] = (unsigned char)(c >> 16);
			plte[3 * i + 1] = (unsigned char)(c >> 8);
			plte[3 * i + 2] = (unsigned char)c;
		}
		put_chunk(out, "PLTE", plte, 3 * (size_t)pal->n);
		palette_free(pal);
	}
	put_chunk(out, "IDAT", z.data, z.len);
	put_chunk(out, "IEND", "", 0);
	buf_free(&z);
	return 0;
}
