/*
 * mustache_render.c - a compiled template rendered against a value tree.
 *
 * Rendering is a loop over the template's ops (mustache.c) that recurses
 * once per open section, partial, parent or block. Depth and total work
 * are capped, so hostile templates fail with a message instead of
 * exhausting the stack or the clock. It allocates only output and a
 * buffer for partials' indentation (the context stack is on the C stack);
 * neither the template nor the values change, so threads may render them
 * at once.
 */
#include "mustache.h"
#include "mustache_internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
			mst_map_find(c, t->pool + p->off, p->len, p->hash);
		if (e) {
			v = e->val;
			break;
		}
	}
	for (size_t k = 1; v && k < op->nparts; k++) {
		const struct mst_entry *e = NULL;
		if (v->type == MST_MAP)
			e = mst_map_find(v, t->pool + p[k].off, p[k].len,
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
		hash = mst_hash(name, len);
	}
	if (!r->partials)
		return true;
	return mst_partials_get(r->partials, name, len, hash, r->err, pt) == 0;
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
	r.ctx[0] = data ? data : mst_null();
	ok = render_ops(&r, t, 0, t->nops, NULL);
	buf_free(&r.ind);
	return ok ? 0 : -1;
}
