/*
 * mustache.c - Mustache templates compiled to a flat array of ops.
 *
 * Compiling makes four passes: split the source into text and tag tokens
 * (applying delimiter changes as they come), pair each section with its
 * closing tag, mark standalone lines (only tags and blanks; they vanish),
 * then emit ops. A section is an op followed by its body, and the op keeps
 * the index just past the body, so rendering is a loop over an array that
 * recurses once per open section or partial. Depth and total work are
 * capped, so hostile templates fail with a message instead of exhausting
 * the stack or the clock. Text and names live in one pool per template.
 * Rendering allocates only output and a buffer for partials' indentation
 * (the context stack is on the C stack); ops record whether they begin a
 * line, so a partial is compiled once and indented at render time.
 */
#include "mustache.h"
#include "hash.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE SIZE_MAX

static bool bytes_eq(const char *a, const char *b, size_t n)
{
	return n == 0 || memcmp(a, b, n) == 0;
}

/* Grow an array of @size-byte elements so that one more fits. */
static void *array_grow(void *p, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return p;
	size_t ncap = *cap ? *cap : 16;
	if (ncap > SIZE_MAX / 2 / size)
		return xrealloc(p, SIZE_MAX); /* aborts: out of memory */
	*cap = ncap * 2;
	return xrealloc(p, *cap * size);
}

/*
 * Values
 */

struct mst_entry {
	const char *key;
	size_t klen;
	uint32_t hash;
	const struct mst_value *val;
};

struct mst_value {
	enum mst_type type;
	union {
		bool b;
		/* Strings, and the printed form of numbers. */
		struct {
			const char *s;
			size_t len;
		} str;
		struct {
			const struct mst_value **items;
			size_t n, cap;
			struct arena *arena;
		} list;
		struct {
			struct mst_entry *ents;
			uint32_t *index; /* 2 * cap slots of entry + 1, or 0 */
			size_t n, cap;
			struct arena *arena;
		} map;
	} u;
};

/* Maps with more slots than this get a hash index. */
#define MAP_INDEX_MIN 32
#define MAP_INDEX_MAX ((size_t)1 << 30)

static const struct mst_value null_value = { .type = MST_NULL };
static const struct mst_value false_value = { .type = MST_BOOL,
					      .u = { .b = false } };
static const struct mst_value true_value = { .type = MST_BOOL,
					     .u = { .b = true } };

const struct mst_value *mst_null(void)
{
	return &null_value;
}

const struct mst_value *mst_bool(bool b)
{
	return b ? &true_value : &false_value;
}

static const struct mst_value *number_value(struct arena *a, const char *s,
					    int n)
{
	struct mst_value *v = arena_alloc(a, sizeof(*v));
	v->type = MST_NUMBER;
	v->u.str.s = arena_strndup(a, s, (size_t)n);
	v->u.str.len = (size_t)n;
	return v;
}

const struct mst_value *mst_int(struct arena *a, long long n)
{
	char s[32];
	return number_value(a, s, snprintf(s, sizeof(s), "%lld", n));
}

const struct mst_value *mst_number(struct arena *a, double d)
{
	char s[40];
	int n;

	if (isnan(d)) {
		n = snprintf(s, sizeof(s), "NaN");
	} else if (isinf(d)) {
		n = snprintf(s, sizeof(s), "%s",
			     d > 0 ? "Infinity" : "-Infinity");
	} else if (d == 0) {
		n = snprintf(s, sizeof(s), "0"); /* and not "-0" */
	} else if (d == floor(d) && fabs(d) < 1e21) {
		n = snprintf(s, sizeof(s), "%.0f", d);
	} else {
		/* The shortest of 15, 16 or 17 digits that reads back. */
		int prec = 15;
		do {
			n = snprintf(s, sizeof(s), "%.*g", prec, d);
		} while (prec++ < 17 && strtod(s, NULL) != d);
	}
	return number_value(a, s, n);
}

const struct mst_value *mst_strn(struct arena *a, const char *s, size_t len)
{
	struct mst_value *v = arena_alloc(a, sizeof(*v));
	v->type = MST_STRING;
	v->u.str.s = len ? s : "";
	v->u.str.len = len;
	return v;
}

const struct mst_value *mst_str(struct arena *a, const char *s)
{
	return mst_strn(a, s, strlen(s));
}

const struct mst_value *mst_str_copy(struct arena *a, const char *s, size_t len)
{
	return mst_strn(a, arena_strndup(a, len ? s : "", len), len);
}

struct mst_value *mst_list_new(struct arena *a)
{
	struct mst_value *v = arena_alloc(a, sizeof(*v));
	v->type = MST_LIST;
	v->u.list.arena = a;
	return v;
}

void mst_list_push(struct mst_value *list, const struct mst_value *v)
{
	if (!list || list->type != MST_LIST)
		return;
	if (list->u.list.n == list->u.list.cap) {
		size_t cap = list->u.list.cap ? list->u.list.cap * 2 : 8;
		const struct mst_value **items =
			arena_array(list->u.list.arena, cap, sizeof(*items));
		if (list->u.list.n)
			memcpy(items, list->u.list.items,
			       list->u.list.n * sizeof(*items));
		list->u.list.items = items;
		list->u.list.cap = cap;
	}
	list->u.list.items[list->u.list.n++] = v ? v : &null_value;
}

struct mst_value *mst_map_new(struct arena *a)
{
	struct mst_value *v = arena_alloc(a, sizeof(*v));
	v->type = MST_MAP;
	v->u.map.arena = a;
	return v;
}

static const struct mst_entry *
map_find(const struct mst_value *m, const char *key, size_t klen, uint32_t hash)
{
	const struct mst_entry *ents = m->u.map.ents;

	if (m->u.map.index) {
		size_t mask = 2 * m->u.map.cap - 1;
		for (size_t i = hash & mask;; i = (i + 1) & mask) {
			uint32_t slot = m->u.map.index[i];
			if (!slot)
				return NULL;
			const struct mst_entry *e = &ents[slot - 1];
			if (e->hash == hash && e->klen == klen &&
			    bytes_eq(e->key, key, klen))
				return e;
		}
	}
	for (size_t i = 0; i < m->u.map.n; i++) {
		const struct mst_entry *e = &ents[i];
		if (e->hash == hash && e->klen == klen &&
		    bytes_eq(e->key, key, klen))
			return e;
	}
	return NULL;
}

static void map_index_add(struct mst_value *m, size_t i)
{
	size_t mask = 2 * m->u.map.cap - 1;
	size_t slot = m->u.map.ents[i].hash & mask;
	while (m->u.map.index[slot])
		slot = (slot + 1) & mask;
	m->u.map.index[slot] = (uint32_t)(i + 1);
}

static void map_grow(struct mst_value *m)
{
	size_t cap = m->u.map.cap ? m->u.map.cap * 2 : 8;
	struct mst_entry *ents =
		arena_array(m->u.map.arena, cap, sizeof(*ents));
	if (m->u.map.n)
		memcpy(ents, m->u.map.ents, m->u.map.n * sizeof(*ents));
	m->u.map.ents = ents;
	m->u.map.cap = cap;
	m->u.map.index = NULL;
	if (cap < MAP_INDEX_MIN || cap > MAP_INDEX_MAX)
		return;
	m->u.map.index = arena_array(m->u.map.arena, 2 * cap, sizeof(uint32_t));
	for (size_t i = 0; i < m->u.map.n; i++)
		map_index_add(m, i);
}

void mst_map_setn(struct mst_value *map, const char *key, size_t klen,
		  const struct mst_value *v)
{
	if (!map || map->type != MST_MAP)
		return;
	if (!klen)
		key = "";
	uint32_t hash = hash_bytes(key, klen);
	struct mst_entry *e =
		(struct mst_entry *)map_find(map, key, klen, hash);
	if (!e) {
		if (map->u.map.n == map->u.map.cap)
			map_grow(map);
		e = &map->u.map.ents[map->u.map.n++];
		e->key = key;
		e->klen = klen;
		e->hash = hash;
		if (map->u.map.index)
			map_index_add(map, map->u.map.n - 1);
	}
	e->val = v ? v : &null_value;
}

void mst_map_set(struct mst_value *map, const char *key,
		 const struct mst_value *v)
{
	mst_map_setn(map, key, strlen(key), v);
}

void mst_map_set_str(struct mst_value *map, const char *key, const char *s)
{
	if (map && map->type == MST_MAP)
		mst_map_set(map, key, s ? mst_str(map->u.map.arena, s) : NULL);
}

void mst_map_set_int(struct mst_value *map, const char *key, long long n)
{
	if (map && map->type == MST_MAP)
		mst_map_set(map, key, mst_int(map->u.map.arena, n));
}

void mst_map_set_number(struct mst_value *map, const char *key, double d)
{
	if (map && map->type == MST_MAP)
		mst_map_set(map, key, mst_number(map->u.map.arena, d));
}

void mst_map_set_bool(struct mst_value *map, const char *key, bool b)
{
	mst_map_set(map, key, mst_bool(b));
}

const struct mst_value *mst_map_get(const struct mst_value *map,
				    const char *key)
{
	if (!map || map->type != MST_MAP)
		return NULL;
	size_t klen = strlen(key);
	const struct mst_entry *e =
		map_find(map, key, klen, hash_bytes(key, klen));
	return e ? e->val : NULL;
}

enum mst_type mst_value_type(const struct mst_value *v)
{
	return v ? v->type : MST_NULL;
}

/*
 * Compiled templates
 */

enum op_kind {
	OP_TEXT,
	OP_VAR, /* {{name}}, escaped */
	OP_RAW, /* {{{name}}} and {{&name}} */
	OP_SECTION,
	OP_INVERTED,
	OP_PARTIAL,
	OP_PARENT,
	OP_BLOCK,
	OP_INDENT, /* only the indentation of a line that starts here */
};

#define OPF_STANDALONE 1 /* partial, parent or block alone on its line */
#define OPF_DYNAMIC    2 /* {{>*name}}: the name is looked up in the data */
#define OPF_LINES      4 /* text with a line start after its first byte */

struct op {
	unsigned char kind;
	unsigned char flags;
	bool bol;		 /* begins a line: indentation comes first */
	unsigned line;		 /* of the tag, for messages */
	uint32_t hash;		 /* of the name */
	size_t end;		 /* ops with a body: the index just past it */
	size_t off, len;	 /* the text, or the tag's name, in the pool */
	size_t ind_off, ind_len; /* standalone: indentation, in the pool */
	size_t part, nparts;	 /* the parts of a dotted name */
};

struct part {
	size_t off, len;
	uint32_t hash;
};

struct mst_template {
	char *name;
	char *pool;
	struct op *ops;
	struct part *parts;
	size_t nops;
};

static bool op_has_body(const struct op *op)
{
	return op->kind == OP_SECTION || op->kind == OP_INVERTED ||
	       op->kind == OP_PARENT || op->kind == OP_BLOCK;
}

/*
 * Compiling
 */

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

static bool starts_with_eol(const char *s, size_t n)
{
	return (n >= 1 && s[0] == '\n') ||
	       (n >= 2 && s[0] == '\r' && s[1] == '\n');
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
	op->hash = hash_bytes(t->s, t->len);
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
		p->hash = hash_bytes(s, p->len);
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

/*
 * Partials
 */

struct partial {
	char *name;
	size_t len;
	uint32_t hash;
	struct mst_template *t; /* NULL: the loader has no such partial */
};

struct mst_partials {
	struct partial *v;
	size_t n, cap;
	int (*load)(void *user, const char *name, struct buf *src,
		    struct buf *err);
	void *user;
};

struct mst_partials *mst_partials_new(void)
{
	return xcalloc(1, sizeof(struct mst_partials));
}

void mst_partials_free(struct mst_partials *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].name);
		mst_template_free(p->v[i].t);
	}
	free(p->v);
	free(p);
}

static struct partial *partials_find(struct mst_partials *p, const char *name,
				     size_t len, uint32_t hash)
{
	for (size_t i = 0; i < p->n; i++) {
		struct partial *e = &p->v[i];
		if (e->hash == hash && e->len == len &&
		    bytes_eq(e->name, name, len))
			return e;
	}
	return NULL;
}

/* Register @t under a name of @len bytes; takes @name (malloc'd). */
static void partials_put(struct mst_partials *p, char *name, size_t len,
			 struct mst_template *t)
{
	uint32_t hash = hash_bytes(name, len);
	struct partial *e = partials_find(p, name, len, hash);
	if (e) {
		free(name);
		mst_template_free(e->t);
		e->t = t;
		return;
	}
	p->v = array_grow(p->v, &p->cap, p->n, sizeof(*p->v));
	e = &p->v[p->n++];
	e->name = name;
	e->len = len;
	e->hash = hash;
	e->t = t;
}

void mst_partials_add_take(struct mst_partials *p, const char *name,
			   struct mst_template *t)
{
	partials_put(p, xstrdup(name), strlen(name), t);
}

int mst_partials_add(struct mst_partials *p, const char *name, const char *src,
		     size_t len, struct buf *err)
{
	struct mst_template *t = mst_template_compile(name, src, len, err);
	if (!t)
		return -1;
	mst_partials_add_take(p, name, t);
	return 0;
}

void mst_partials_set_loader(struct mst_partials *p,
			     int (*load)(void *user, const char *name,
					 struct buf *src, struct buf *err),
			     void *user)
{
	p->load = load;
	p->user = user;
}

/* Find a partial, asking the loader once for unknown names. */
static int partials_get(struct mst_partials *p, const char *name, size_t len,
			uint32_t hash, struct buf *err,
			const struct mst_template **out)
{
	struct partial *e = partials_find(p, name, len, hash);
	if (e || !p->load) {
		*out = e ? e->t : NULL;
		return 0;
	}
	char *cname = xstrndup(name, len);
	struct buf src = BUF_INIT;
	struct mst_template *t = NULL;
	int rc = p->load(p->user, cname, &src, err);
	if (rc > 0) {
		t = mst_template_compile(cname, buf_cstr(&src), src.len, err);
		if (!t)
			rc = -1;
	}
	buf_free(&src);
	if (rc < 0) {
		free(cname);
		return -1;
	}
	partials_put(p, cname, len, t);
	*out = t;
	return 0;
}

/*
 * Rendering
 */

/* The arguments of one {{<parent}} tag, innermost first. */
struct scope {
	const struct mst_template *t;
	size_t op;
	const struct scope *outer;
};

struct render {
	const struct mst_template *root;
	struct buf *out;
	struct buf *err;
	struct mst_partials *partials;
	struct buf ind;	  /* indentation of the partials being rendered */
	size_t ind_start; /* the current one is ind.data[ind_start..ind.len) */
	size_t depth;
	size_t steps;
	size_t nctx;
	const struct mst_value *ctx[MST_DEPTH_MAX + 1];
};

static bool render_error(struct render *r, const struct mst_template *t,
			 const struct op *op, const char *fmt, ...)
	ATLAS_PRINTF(4, 5);

static bool render_error(struct render *r, const struct mst_template *t,
			 const struct op *op, const char *fmt, ...)
{
	if (r->err) {
		va_list ap;
		buf_printf(r->err, "%s:%u: ", t->name, op->line);
		va_start(ap, fmt);
		buf_vprintf(r->err, fmt, ap);
		va_end(ap);
	}
	return false;
}

static const char *op_sigil(const struct op *op)
{
	static const char *const s[] = {
		[OP_SECTION] = "#", [OP_INVERTED] = "^", [OP_PARTIAL] = ">",
		[OP_PARENT] = "<",  [OP_BLOCK] = "$",
	};
	const char *x = op->kind < ATLAS_COUNT(s) ? s[op->kind] : NULL;
	return x ? x : "";
}

static bool too_deep(struct render *r, const struct mst_template *t,
		     const struct op *op)
{
	int n = op->len > 40 ? 40 : (int)op->len;
	return render_error(
		r, t, op, "nesting deeper than %d levels at {{%s%s%.*s}}",
		MST_DEPTH_MAX, op_sigil(op), op->flags & OPF_DYNAMIC ? "*" : "",
		n, t->pool + op->off);
}

static bool step(struct render *r, const struct mst_template *t,
		 const struct op *op)
{
	if (++r->steps <= MST_STEPS_MAX)
		return true;
	return render_error(r, t, op, "rendering takes more than %d steps",
			    MST_STEPS_MAX);
}

/* Append to the output: buf_put() without its call overhead. */
static inline bool emit(struct render *r, const char *s, size_t n)
{
	struct buf *b = r->out;

	if (!n)
		return true;
	if (n >= b->cap - b->len || (b->limit && n > b->limit - b->len)) {
		if (!buf_reserve(b, n)) {
			if (r->err)
				buf_printf(r->err,
					   "%s: output exceeds %zu bytes",
					   r->root->name, b->limit);
			return false;
		}
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return true;
}

static bool emit_indent(struct render *r)
{
	return emit(r, r->ind.data + r->ind_start, r->ind.len - r->ind_start);
}

/* Text from a template: every line that starts in it gets indented. */
static bool emit_lines(struct render *r, const char *s, size_t n)
{
	while (n) {
		const char *nl = memchr(s, '\n', n);
		size_t k = nl ? (size_t)(nl - s) + 1 : n;
		if (!emit(r, s, k))
			return false;
		s += k;
		n -= k;
		if (n && !starts_with_eol(s, n) && !emit_indent(r))
			return false;
	}
	return true;
}

/* The HTML escape of each byte that needs one, by index in escapes[]. */
static const unsigned char escape_of[256] = {
	['&'] = 1, ['<'] = 2, ['>'] = 3, ['"'] = 4, ['\''] = 5,
};

static const struct {
	const char *s;
	size_t n;
} escapes[] = {
	{ "", 0 },     { "&amp;", 5 },	{ "&lt;", 4 },
	{ "&gt;", 4 }, { "&quot;", 6 }, { "&#39;", 5 },
};

static bool emit_escaped(struct render *r, const char *s, size_t n)
{
	const char *end = s + n;

	while (s < end) {
		const char *run = s;
		while (s < end && !escape_of[(unsigned char)*s])
			s++;
		if (!emit(r, run, (size_t)(s - run)))
			return false;
		if (s == end)
			break;
		unsigned char e = escape_of[(unsigned char)*s++];
		if (!emit(r, escapes[e].s, escapes[e].n))
			return false;
	}
	return true;
}

static bool truthy(const struct mst_value *v)
{
	if (!v)
		return false;
	switch (v->type) {
	case MST_BOOL:
		return v->u.b;
	case MST_NUMBER:
	case MST_MAP:
		return true;
	case MST_STRING:
		return v->u.str.len > 0;
	case MST_LIST:
		return v->u.list.n > 0;
	case MST_NULL:
		break;
	}
	return false;
}

/* Resolve a (dotted) name: the first part up the context stack, the rest
 * inside what it found. */
static const struct mst_value *
lookup(struct render *r, const struct mst_template *t, const struct op *op)
{
	if (!op->nparts)
		return r->ctx[r->nctx - 1];

	const struct part *p = &t->parts[op->part];
	const struct mst_value *v = NULL;
	for (size_t i = r->nctx; i-- > 0;) {
		const struct mst_value *c = r->ctx[i];
		r->steps++;
		if (c->type != MST_MAP)
			continue;
		const struct mst_entry *e =
			map_find(c, t->pool + p->off, p->len, p->hash);
		if (e) {
			v = e->val;
			break;
		}
	}
	for (size_t k = 1; v && k < op->nparts; k++) {
		const struct mst_entry *e = NULL;
		if (v->type == MST_MAP)
			e = map_find(v, t->pool + p[k].off, p[k].len,
				     p[k].hash);
		v = e ? e->val : NULL;
	}
	return v;
}

static bool emit_value(struct render *r, const struct mst_value *v, bool escape)
{
	const char *s;
	size_t n;

	if (!v)
		return true;
	switch (v->type) {
	case MST_STRING:
	case MST_NUMBER:
		s = v->u.str.s;
		n = v->u.str.len;
		break;
	case MST_BOOL:
		s = v->u.b ? "true" : "false";
		n = strlen(s);
		break;
	default:
		return true;
	}
	return escape ? emit_escaped(r, s, n) : emit(r, s, n);
}

static bool render_ops(struct render *r, const struct mst_template *t, size_t i,
		       size_t end, const struct scope *chain);

/* Render the body of op @i with @v (unless NULL) pushed on the stack. */
static bool render_body(struct render *r, const struct mst_template *t,
			size_t i, const struct mst_value *v,
			const struct scope *chain)
{
	bool ok;
	if (v)
		r->ctx[r->nctx++] = v;
	ok = render_ops(r, t, i + 1, t->ops[i].end, chain);
	if (v)
		r->nctx--;
	return ok;
}

static bool render_section(struct render *r, const struct mst_template *t,
			   size_t i, const struct scope *chain)
{
	const struct op *op = &t->ops[i];
	const struct mst_value *v = lookup(r, t, op);
	bool ok = true;

	if (!truthy(v) == (op->kind == OP_SECTION))
		return true;
	if (r->depth >= MST_DEPTH_MAX)
		return too_deep(r, t, op);
	r->depth++;
	if (op->kind == OP_INVERTED) {
		ok = render_body(r, t, i, NULL, chain);
	} else if (v->type == MST_LIST) {
		for (size_t k = 0; ok && k < v->u.list.n; k++)
			ok = step(r, t, op) &&
			     render_body(r, t, i, v->u.list.items[k], chain);
	} else {
		ok = render_body(r, t, i, v, chain);
	}
	r->depth--;
	return ok;
}

/* The template a partial or parent tag names, or NULL if there is none. */
static bool resolve(struct render *r, const struct mst_template *t,
		    const struct op *op, const struct mst_template **pt)
{
	const char *name = t->pool + op->off;
	size_t len = op->len;
	uint32_t hash = op->hash;

	*pt = NULL;
	if (op->flags & OPF_DYNAMIC) {
		const struct mst_value *v = lookup(r, t, op);
		if (!v || v->type != MST_STRING)
			return true;
		name = v->u.str.s;
		len = v->u.str.len;
		hash = hash_bytes(name, len);
	}
	if (!r->partials)
		return true;
	return partials_get(r->partials, name, len, hash, r->err, pt) == 0;
}

/* Render @pt (or ops @i..@end of it) in the indentation @op asks for. */
static bool render_nested(struct render *r, const struct mst_template *t,
			  const struct op *op, const struct mst_template *pt,
			  size_t i, size_t end, const struct scope *chain)
{
	size_t start = r->ind_start, len = r->ind.len;
	bool ok;

	if (r->depth >= MST_DEPTH_MAX)
		return too_deep(r, t, op);
	r->depth++;
	if (op->flags & OPF_STANDALONE) {
		/* Indentation counts as work, which bounds its growth. */
		r->steps += op->ind_len;
		if (op->ind_len)
			buf_put(&r->ind, t->pool + op->ind_off, op->ind_len);
	} else if (op->kind != OP_BLOCK) {
		r->ind_start =
			r->ind.len; /* inline partials are not indented */
	}
	ok = render_ops(r, pt, i, end, chain);
	r->ind_start = start;
	r->ind.len = len;
	r->depth--;
	return ok;
}

/*
 * A block renders the argument of the outermost parent tag that passes
 * one, else its own content. An argument is rendered with the scopes
 * outside the one that passed it, so it cannot override itself.
 */
static bool render_block(struct render *r, const struct mst_template *t,
			 size_t i, const struct scope *chain)
{
	const struct op *op = &t->ops[i];
	const struct mst_template *bt = t;
	size_t bi = i;
	const struct scope *bchain = chain;

	for (const struct scope *s = chain; s; s = s->outer) {
		const struct op *ops = s->t->ops;
		for (size_t k = s->op + 1; k < ops[s->op].end;) {
			const struct op *a = &ops[k];
			if (!step(r, t, op))
				return false;
			if (a->kind == OP_BLOCK && a->hash == op->hash &&
			    a->len == op->len &&
			    bytes_eq(s->t->pool + a->off, t->pool + op->off,
				     op->len)) {
				bt = s->t;
				bi = k;
				bchain = s->outer;
			}
			k = op_has_body(a) ? a->end : k + 1;
		}
	}
	return render_nested(r, t, op, bt, bi + 1, bt->ops[bi].end, bchain);
}

static bool render_ops(struct render *r, const struct mst_template *t, size_t i,
		       size_t end, const struct scope *chain)
{
	while (i < end) {
		const struct op *op = &t->ops[i];
		const struct mst_template *pt;

		if (!step(r, t, op))
			return false;
		if (op->bol && r->ind.len > r->ind_start && !emit_indent(r))
			return false;
		switch (op->kind) {
		case OP_TEXT:
			if (!((op->flags & OPF_LINES) &&
					      r->ind.len > r->ind_start
				      ? emit_lines(r, t->pool + op->off,
						   op->len)
				      : emit(r, t->pool + op->off, op->len)))
				return false;
			break;
		case OP_VAR:
		case OP_RAW:
			if (!emit_value(r, lookup(r, t, op),
					op->kind == OP_VAR))
				return false;
			break;
		case OP_SECTION:
		case OP_INVERTED:
			if (!render_section(r, t, i, chain))
				return false;
			break;
		case OP_PARTIAL:
			if (!resolve(r, t, op, &pt))
				return false;
			if (pt &&
			    !render_nested(r, t, op, pt, 0, pt->nops, chain))
				return false;
			break;
		case OP_PARENT: {
			struct scope s = { t, i, chain };
			if (!resolve(r, t, op, &pt))
				return false;
			if (pt && !render_nested(r, t, op, pt, 0, pt->nops, &s))
				return false;
			break;
		}
		case OP_BLOCK:
			if (!render_block(r, t, i, chain))
				return false;
			break;
		default:
			break;
		}
		i = op_has_body(op) ? op->end : i + 1;
	}
	return true;
}

int mst_template_render(const struct mst_template *t,
			const struct mst_value *data,
			struct mst_partials *partials, struct buf *out,
			struct buf *err)
{
	struct render r;
	bool ok;

	r.root = t;
	r.out = out;
	r.err = err;
	r.partials = partials;
	r.ind = (struct buf)BUF_INIT;
	r.ind_start = 0;
	r.depth = 0;
	r.steps = 0;
	r.nctx = 1;
	r.ctx[0] = data ? data : &null_value;
	ok = render_ops(&r, t, 0, t->nops, NULL);
	buf_free(&r.ind);
	return ok ? 0 : -1;
}
