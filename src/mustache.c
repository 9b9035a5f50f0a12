/*
 * mustache.c - Mustache templates compiled to a flat array of ops.
 *
 * Compiling makes four passes: split the source into text and tag tokens
 * (applying delimiter changes as they come), pair each section with its
 * closing tag, mark standalone lines (only tags and blanks; they vanish),
 * then emit ops. A section is an op followed by its body, and the op keeps
 * the index just past the body, so rendering (mustache_render.c) is a loop
 * over an array. Text and names live in one pool per template. Ops record
 * whether they begin a line, so a partial is compiled once and indented at
 * render time. Values are in mustache_value.c, partials in
 * mustache_partials.c.
 */
#include "mustache.h"
#include "mustache_internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE SIZE_MAX

enum tok_kind { TOK_TEXT, TOK_TAG };
enum tok_drop { DROP_NONE, DROP_ALL, DROP_KEEP_EOL };

struct tok {
	const char *s; /* the text, or the tag's name */
	size_t len;
	const char *otag, *ctag; /* delimiters in force, for messages */
	size_t olen, clen;
	const char *ind; /* standalone tags: the line's indentation */
	size_t ind_len;
	size_t match; /* sections: index of the other end */
	unsigned line;
	unsigned char kind;
	char sigil; /* 0, or one of # ^ / > < $ ! = & { */
	bool dynamic;
	bool eol; /* text that ends with a newline */
	bool standalone;
	unsigned char drop; /* enum tok_drop: text of a standalone line */
};

struct delims {
	const char *o, *c;
	size_t olen, clen;
};

struct frame {
	size_t op;	    /* the op whose body this is */
	const char *dedent; /* removed from the start of each line */
	size_t dlen;
};

struct compiler {
	const char *name;
	const char *src;
	size_t len;
	struct buf *err;
	struct tok *toks;
	size_t ntoks, tcap;
	struct op *ops;
	size_t nops, ocap;
	struct part *parts;
	size_t nparts, pcap;
	struct buf pool;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static bool is_eol(const char *s, size_t n)
{
	return (n == 1 && s[0] == '\n') ||
	       (n == 2 && s[0] == '\r' && s[1] == '\n');
}

static int compile_error(struct compiler *c, unsigned line, const char *fmt,
			 ...) ATLAS_PRINTF(3, 4);

static int compile_error(struct compiler *c, unsigned line, const char *fmt,
			 ...)
{
	if (c->err) {
		va_list ap;
		buf_printf(c->err, "%s:%u: ", c->name, line);
		va_start(ap, fmt);
		buf_vprintf(c->err, fmt, ap);
		va_end(ap);
	}
	return -1;
}

#define TAG_TEXT_MAX 128

static size_t put_clipped(char *out, size_t at, const char *s, size_t n,
			  size_t max)
{
	for (size_t i = 0; i < n && i < max; i++)
		out[at++] = is_space(s[i]) ? ' ' : s[i];
	if (n > max) {
		memcpy(out + at, "...", 3);
		at += 3;
	}
	return at;
}

/* The tag as written, e.g. "{{#items}}", clipped to fit a message. */
static const char *tag_text(const struct tok *t, char out[TAG_TEXT_MAX])
{
	size_t at = put_clipped(out, 0, t->otag, t->olen, 16);
	if (t->sigil)
		out[at++] = t->sigil;
	if (t->dynamic)
		out[at++] = '*';
	at = put_clipped(out, at, t->s, t->len, 40);
	if (t->sigil == '{')
		out[at++] = '}';
	at = put_clipped(out, at, t->ctag, t->clen, 16);
	out[at] = '\0';
	return out;
}

static struct tok *tok_push(struct compiler *c, enum tok_kind kind,
			    unsigned line)
{
	c->toks = array_grow(c->toks, &c->tcap, c->ntoks, sizeof(*c->toks));
	struct tok *t = &c->toks[c->ntoks++];
	memset(t, 0, sizeof(*t));
	t->kind = (unsigned char)kind;
	t->line = line;
	t->match = NONE;
	return t;
}

static void tok_text(struct compiler *c, const char *s, size_t n, unsigned line)
{
	struct tok *t = tok_push(c, TOK_TEXT, line);
	t->s = s;
	t->len = n;
	t->eol = s[n - 1] == '\n';
}

/* Where text stops: at a newline (kept with the text) or an open tag. */
static const char *text_end(const char *p, const char *end,
			    const struct delims *d)
{
	for (; p < end; p++) {
		if (*p == '\n')
			return p;
		if (*p == d->o[0] && (size_t)(end - p) >= d->olen &&
		    memcmp(p, d->o, d->olen) == 0)
			return p;
	}
	return end;
}

/* The first place at or after @p where @pre (unless 0) then @d->c start. */
static const char *close_find(const char *p, const char *end, char pre,
			      const struct delims *d)
{
	size_t need = d->clen + (pre != 0);
	char first = pre ? pre : d->c[0];
	while ((size_t)(end - p) >= need) {
		p = memchr(p, first, (size_t)(end - p) - need + 1);
		if (!p)
			return NULL;
		if (memcmp(p + (pre != 0), d->c, d->clen) == 0)
			return p;
		p++;
	}
	return NULL;
}

static int tag_delims(struct compiler *c, struct tok *t, const char *s,
		      const char *e, struct delims *d)
{
	const char *a = s, *b;
	while (s < e && !is_space(*s))
		s++;
	size_t alen = (size_t)(s - a);
	while (s < e && is_space(*s))
		s++;
	b = s;
	while (s < e && !is_space(*s))
		s++;
	size_t blen = (size_t)(s - b);
	if (!alen || !blen || s != e || memchr(a, '=', alen) ||
	    memchr(b, '=', blen))
		return compile_error(c, t->line,
				     "bad delimiter change: expected two "
				     "delimiters as in {{=<%% %%>=}}");
	d->o = a;
	d->olen = alen;
	d->c = b;
	d->clen = blen;
	return 0;
}

/* Read the tag that opens at @q; on success *@next is just past it. */
static int tok_tag(struct compiler *c, const char *q, const char *end,
		   struct delims *d, unsigned *line, const char **next)
{
	const char *p = q + d->olen;
	char sigil = 0;

	while (p < end && is_blank(*p))
		p++;
	if (p < end && *p && strchr("#^/><$!=&{", *p))
		sigil = *p++;
	char pre = sigil == '{' ? '}' : sigil == '=' ? '=' : 0;
	char pres[2] = { pre, 0 }, sigils[2] = { sigil, 0 };
	const char *close = close_find(p, end, pre, d);
	if (!close)
		return compile_error(
			c, *line, "unclosed tag: no %s%.*s after %.*s%s", pres,
			(int)d->clen, d->c, (int)d->olen, d->o, sigils);

	struct tok *t = tok_push(c, TOK_TAG, *line);
	t->sigil = sigil;
	t->otag = d->o;
	t->olen = d->olen;
	t->ctag = d->c;
	t->clen = d->clen;
	*next = close + (pre != 0) + d->clen;
	for (const char *n = q; n < *next; n++)
		*line += *n == '\n';

	const char *s = p, *e = close;
	while (s < e && is_space(*s))
		s++;
	while (e > s && is_space(e[-1]))
		e--;
	if (sigil == '!')
		return 0;
	if (sigil == '=')
		return tag_delims(c, t, s, e, d);
	if ((sigil == '>' || sigil == '<' || sigil == '/') && s < e &&
	    *s == '*') {
		t->dynamic = sigil != '/';
		s++;
		while (s < e && is_space(*s))
			s++;
	}
	t->s = s;
	t->len = (size_t)(e - s);

	char text[TAG_TEXT_MAX];
	if (s == e)
		return compile_error(c, t->line, "empty tag name in %s",
				     tag_text(t, text));
	for (const char *n = s; n < e; n++)
		if (is_space(*n))
			return compile_error(c, t->line, "space in tag name %s",
					     tag_text(t, text));
	return 0;
}

static int tokenize(struct compiler *c)
{
	struct delims d = { "{{", "}}", 2, 2 };
	const char *p = c->src, *end = c->src + c->len;
	unsigned line = 1;

	while (p < end) {
		const char *q = text_end(p, end, &d);
		if (q == end || *q == '\n') {
			if (q < end)
				q++;
			tok_text(c, p, (size_t)(q - p), line);
			if (q[-1] == '\n')
				line++;
			p = q;
			continue;
		}
		if (q > p)
			tok_text(c, p, (size_t)(q - p), line);
		if (tok_tag(c, q, end, &d, &line, &p) < 0)
			return -1;
	}
	return 0;
}

static const char *section_word(char sigil)
{
	return sigil == '<' ? "parent" : sigil == '$' ? "block" : "section";
}

/* Pair sections with their closing tags and bound the nesting. */
static int match_sections(struct compiler *c)
{
	size_t *open = xmalloc(MST_NEST_MAX * sizeof(*open));
	size_t n = 0;
	char text[TAG_TEXT_MAX], text2[TAG_TEXT_MAX];
	int rc = 0;

	for (size_t i = 0; i < c->ntoks && rc == 0; i++) {
		struct tok *t = &c->toks[i];
		if (t->kind != TOK_TAG)
			continue;
		switch (t->sigil) {
		case '#':
		case '^':
		case '<':
		case '$':
			if (n == MST_NEST_MAX) {
				rc = compile_error(c, t->line,
						   "sections nested deeper "
						   "than %d levels",
						   MST_NEST_MAX);
				break;
			}
			open[n++] = i;
			break;
		case '/': {
			if (!n) {
				rc = compile_error(c, t->line,
						   "closing tag %s has no open "
						   "section",
						   tag_text(t, text));
				break;
			}
			struct tok *o = &c->toks[open[n - 1]];
			if (o->len != t->len || !bytes_eq(o->s, t->s, t->len)) {
				rc = compile_error(
					c, t->line,
					"closing tag %s does not match %s on "
					"line %u",
					tag_text(t, text), tag_text(o, text2),
					o->line);
				break;
			}
			o->match = i;
			t->match = open[--n];
			break;
		}
		default:
			break;
		}
	}
	if (rc == 0 && n) {
		struct tok *o = &c->toks[open[n - 1]];
		rc = compile_error(c, o->line, "unclosed %s %s",
				   section_word(o->sigil), tag_text(o, text));
	}
	free(open);
	return rc;
}

static size_t eol_len(const struct tok *t)
{
	if (!t->eol)
		return 0;
	return t->len >= 2 && t->s[t->len - 2] == '\r' ? 2 : 1;
}

/* Text made of blanks only, apart from its line ending. */
static bool text_is_blank(const struct tok *t)
{
	size_t n = t->len - eol_len(t);
	for (size_t i = 0; i < n; i++)
		if (!is_blank(t->s[i]))
			return false;
	return true;
}

static bool tag_can_stand_alone(char sigil)
{
	return sigil && sigil != '&' && sigil != '{';
}

/*
 * A line holding only blanks and non-interpolating tags is standalone: its
 * blanks and line ending vanish, and its indentation goes to any partial,
 * parent or block on it. A block opened and closed on one standalone line
 * keeps the line ending, as the spec's inheritance module requires.
 */
static void mark_standalone(struct compiler *c)
{
	size_t i = 0;
	while (i < c->ntoks) {
		size_t j = i, ntags = 0, last_tag = NONE;
		bool ok = true;
		for (; j < c->ntoks; j++) {
			struct tok *t = &c->toks[j];
			if (t->kind == TOK_TAG) {
				ntags++;
				last_tag = j;
				ok = ok && tag_can_stand_alone(t->sigil);
				continue;
			}
			ok = ok && text_is_blank(t);
			if (t->eol) {
				j++;
				break;
			}
		}
		if (ok && ntags) {
			struct tok *first = &c->toks[i];
			const char *ind =
				first->kind == TOK_TEXT ? first->s : "";
			size_t ind_len =
				first->kind == TOK_TEXT ? first->len : 0;
			for (size_t k = i; k < j; k++) {
				struct tok *t = &c->toks[k];
				if (t->kind == TOK_TEXT) {
					t->drop = DROP_ALL;
				} else {
					t->standalone = true;
					t->ind = ind;
					t->ind_len = ind_len;
				}
			}
			struct tok *lt = &c->toks[last_tag];
			struct tok *tail = &c->toks[j - 1];
			if (lt->sigil == '/' && lt->match >= i &&
			    c->toks[lt->match].sigil == '$' && tail->eol)
				tail->drop = DROP_KEEP_EOL;
		}
		i = j;
	}
}

static void strip_prefix(const char **s, size_t *n, const char *d, size_t dlen)
{
	size_t k = 0;
	while (k < dlen && k < *n && (*s)[k] == d[k])
		k++;
	*s += k;
	*n -= k;
}

/*
 * The indentation common to the lines of a standalone block's body, which
 * is removed where the block is defined and added where it is expanded.
 * Blank lines do not count. Returns false if no line counts.
 */
static bool block_dedent(const struct compiler *c, size_t open, const char **d,
			 size_t *dlen)
{
	size_t close = c->toks[open].match;
	bool have = false;

	for (size_t j = open + 1; j < close; j++) {
		const struct tok *prev = &c->toks[j - 1];
		const struct tok *t = &c->toks[j];
		if (prev->kind != TOK_TEXT || !prev->eol)
			continue;
		const char *ws = "";
		size_t n = 0;
		if (t->kind == TOK_TEXT) {
			while (n < t->len && is_blank(t->s[n]))
				n++;
			if (n < t->len ? is_eol(t->s + n, t->len - n)
				       : j + 1 >= close)
				continue; /* a blank line */
			ws = t->s;
		}
		if (!have) {
			*d = ws;
			*dlen = n;
			have = true;
		} else {
			size_t k = 0;
			while (k < *dlen && k < n && (*d)[k] == ws[k])
				k++;
			*dlen = k;
		}
		if (!*dlen)
			break;
	}
	return have;
}

static size_t pool_add(struct compiler *c, const char *s, size_t n)
{
	size_t off = c->pool.len;
	if (n)
		buf_put(&c->pool, s, n);
	return off;
}

static struct op *op_push(struct compiler *c, enum op_kind kind, bool bol,
			  unsigned line)
{
	c->ops = array_grow(c->ops, &c->ocap, c->nops, sizeof(*c->ops));
	struct op *op = &c->ops[c->nops++];
	memset(op, 0, sizeof(*op));
	op->kind = (unsigned char)kind;
	op->bol = bol;
	op->line = line;
	op->end = c->nops;
	return op;
}

/* Store a tag's name; @split also stores the parts of a dotted name. */
static void op_name(struct compiler *c, struct op *op, const struct tok *t,
		    bool split)
{
	op->off = pool_add(c, t->s, t->len);
	op->len = t->len;
	op->hash = mst_hash(t->s, t->len);
	op->part = c->nparts;
	if (!split || (t->len == 1 && t->s[0] == '.'))
		return; /* no parts: the implicit iterator {{.}} */
	const char *s = t->s, *e = t->s + t->len;
	for (;;) {
		const char *dot = memchr(s, '.', (size_t)(e - s));
		const char *pe = dot ? dot : e;
		c->parts = array_grow(c->parts, &c->pcap, c->nparts,
				      sizeof(*c->parts));
		struct part *p = &c->parts[c->nparts++];
		p->len = (size_t)(pe - s);
		p->off = pool_add(c, s, p->len);
		p->hash = mst_hash(s, p->len);
		op->nparts++;
		if (!dot)
			break;
		s = dot + 1;
	}
}

/* Indentation of a standalone tag, relative to the enclosing block's. */
static void op_indent(struct compiler *c, struct op *op, const char *ind,
		      size_t n, const struct frame *f)
{
	strip_prefix(&ind, &n, f->dedent, f->dlen);
	op->flags |= OPF_STANDALONE;
	op->ind_off = pool_add(c, ind, n);
	op->ind_len = n;
}

static void emit_text(struct compiler *c, const char *s, size_t n, bool bol,
		      unsigned line, size_t *merge)
{
	if (*merge != NONE) {
		pool_add(c, s, n);
		c->ops[*merge].len += n;
		return;
	}
	struct op *op =
		op_push(c, OP_TEXT, bol && !starts_with_eol(s, n), line);
	op->off = pool_add(c, s, n);
	op->len = n;
	*merge = c->nops - 1;
}

static void build_ops(struct compiler *c)
{
	struct frame *fr = xmalloc((MST_NEST_MAX + 1) * sizeof(*fr));
	size_t nfr = 1, merge = NONE;
	bool src_bol = true, op_bol = true;

	fr[0] = (struct frame){ NONE, "", 0 };
	for (size_t i = 0; i < c->ntoks; i++) {
		struct tok *t = &c->toks[i];
		struct frame *f = &fr[nfr - 1];
		bool line_start = src_bol;
		src_bol = t->kind == TOK_TEXT && t->eol;

		if (t->kind == TOK_TEXT) {
			const char *s = t->s;
			size_t n = t->len;
			if (t->drop == DROP_ALL) {
				op_bol = op_bol || t->eol;
				continue;
			}
			if (t->drop == DROP_KEEP_EOL) {
				s += n - eol_len(t);
				n = eol_len(t);
			} else if (line_start && f->dlen) {
				if (text_is_blank(t) && t->eol) {
					s += n - eol_len(t);
					n = eol_len(t);
				} else {
					strip_prefix(&s, &n, f->dedent,
						     f->dlen);
				}
			}
			if (!n)
				continue;
			emit_text(c, s, n, op_bol, t->line, &merge);
			op_bol = s[n - 1] == '\n';
			continue;
		}

		bool bol = op_bol && !t->standalone;
		struct op *op;
		switch (t->sigil) {
		case '!':
		case '=':
			continue; /* a pending line start carries over */
		case 0:
		case '&':
		case '{':
			op = op_push(c, t->sigil ? OP_RAW : OP_VAR, bol,
				     t->line);
			op_name(c, op, t, true);
			break;
		case '#':
		case '^':
			op = op_push(c,
				     t->sigil == '#' ? OP_SECTION : OP_INVERTED,
				     bol, t->line);
			op_name(c, op, t, true);
			fr[nfr++] = (struct frame){ c->nops - 1, f->dedent,
						    f->dlen };
			break;
		case '>':
		case '<':
			op = op_push(c,
				     t->sigil == '>' ? OP_PARTIAL : OP_PARENT,
				     bol, t->line);
			op_name(c, op, t, t->dynamic);
			if (t->dynamic)
				op->flags |= OPF_DYNAMIC;
			if (t->standalone)
				op_indent(c, op, t->ind, t->ind_len, f);
			if (t->sigil == '<')
				fr[nfr++] =
					(struct frame){ c->nops - 1, f->dedent,
							f->dlen };
			break;
		case '$': {
			const char *d = "";
			size_t dlen = 0;
			bool have =
				t->standalone && block_dedent(c, i, &d, &dlen);
			op = op_push(c, OP_BLOCK, bol, t->line);
			op_name(c, op, t, false);
			if (t->standalone && have && dlen)
				op_indent(c, op, d, dlen, f);
			else if (t->standalone)
				op_indent(c, op, t->ind, t->ind_len, f);
			if (!have || dlen < f->dlen) {
				d = f->dedent;
				dlen = f->dlen;
			}
			fr[nfr++] = (struct frame){ c->nops - 1, d, dlen };
			break;
		}
		case '/':
			if (op_bol && !t->standalone)
				op_push(c, OP_INDENT, true, t->line);
			c->ops[f->op].end = c->nops;
			nfr--;
			break;
		default:
			continue;
		}
		op_bol = false;
		merge = NONE;
	}
	free(fr);

	for (size_t i = 0; i < c->nops; i++) {
		struct op *op = &c->ops[i];
		if (op->kind == OP_TEXT && op->len > 1 &&
		    memchr(c->pool.data + op->off, '\n', op->len - 1))
			op->flags |= OPF_LINES;
	}
}

struct mst_template *mst_template_compile(const char *name, const char *src,
					  size_t len, struct buf *err)
{
	struct compiler c;
	struct mst_template *t = NULL;

	memset(&c, 0, sizeof(c));
	c.name = name ? name : "template";
	c.src = src && len ? src : "";
	c.len = src ? len : 0;
	c.err = err;
	if (tokenize(&c) < 0 || match_sections(&c) < 0)
		goto out;
	mark_standalone(&c);
	build_ops(&c);

	t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(c.name);
	t->pool = buf_detach(&c.pool, NULL);
	t->ops = c.ops;
	t->nops = c.nops;
	t->parts = c.parts;
	c.ops = NULL;
	c.parts = NULL;
out:
	free(c.toks);
	free(c.ops);
	free(c.parts);
	buf_free(&c.pool);
	return t;
}

void mst_template_free(struct mst_template *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->pool);
	free(t->ops);
	free(t->parts);
	free(t);
}

const char *mst_template_name(const struct mst_template *t)
{
	return t->name;
}
