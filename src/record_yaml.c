/*
 * record_yaml.c - the one writer of YAML: records, flow entries, and the
 * comments and placeholders of skeletons.
 *
 * A record is written by walking the table of fields (record_field.h), so
 * it follows SPEC.md's example field by field and a new row is written
 * like the others. Every text takes the most readable of three YAML
 * styles that reads back as the same bytes: plain, folded (`>`) for long
 * prose, or double-quoted with escapes for anything else. Long lines are
 * broken only at a single space between two other characters, which both
 * folded and quoted scalars turn back into that one space, so no wrapping
 * can change a text. Characters an editor could not see (bidi controls,
 * zero-width marks, separators, controls) are escaped, which needs the
 * quoted style; nothing is ever dropped or replaced.
 */
#include "record_yaml.h"
#include "date.h"
#include "method.h"
#include "record_field.h"
#include "utf8.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool record_yaml_needs_escape(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	       utf8_is_invisible(cp) || cp == 0x2028 || cp == 0x2029 ||
	       cp == 0xfffe || cp == 0xffff;
}

/* The escape for @cp inside double quotes, or NULL to write it as is. */
static const char *escape_of(uint32_t cp, char tmp[12])
{
	switch (cp) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\n':
		return "\\n";
	case '\t':
		return "\\t";
	case '\r':
		return "\\r";
	}
	if (!record_yaml_needs_escape(cp))
		return NULL;
	if (cp <= 0xff)
		snprintf(tmp, 12, "\\x%02X", (unsigned)(cp & 0xff));
	else
		snprintf(tmp, 12, "\\u%04X", (unsigned)(cp & 0xffff));
	return tmp;
}

/* What a text allows, found in one pass. */
struct shape {
	size_t chars;	 /* code points */
	bool escapes;	 /* holds a character that must be escaped */
	bool breakable;	 /* has a space a line may be broken at */
	bool edge_space; /* starts or ends with a space */
};

/* A single space between two other characters: a safe line break. */
static bool is_break(const char *s, size_t len, size_t i)
{
	return s[i] == ' ' && i > 0 && i + 1 < len && s[i - 1] != ' ' &&
	       s[i + 1] != ' ';
}

static void shape_of(const char *s, size_t len, struct shape *sh)
{
	memset(sh, 0, sizeof(*sh));
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);
		if (record_yaml_needs_escape(cp))
			sh->escapes = true;
		if (is_break(s, len, i))
			sh->breakable = true;
		sh->chars++;
		i += n;
	}
	sh->edge_space = len && (s[0] == ' ' || s[len - 1] == ' ');
}

/* Plain scalars YAML would read as something other than text. */
static bool is_typed_word(const char *s, size_t len)
{
	static const char *const words[] = { "y",    "n",     "yes",
					     "no",   "on",    "off",
					     "true", "false", "null" };
	for (size_t i = 0; i < ATLAS_COUNT(words); i++)
		if (strlen(words[i]) == len && !strncasecmp(s, words[i], len))
			return true;
	return false;
}

/*
 * Digit-led text YAML 1.1 or 1.2 would read as a number or a timestamp:
 * 12, 1_000, 0x1F, 0o17, 1:30, 3.5, 1e3, 2026-05-01...
 */
static bool is_number_like(const char *s, size_t len)
{
	if (len >= 6 && isdigit((unsigned char)s[0]) &&
	    isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2]) &&
	    isdigit((unsigned char)s[3]) && s[4] == '-' &&
	    isdigit((unsigned char)s[5]))
		return true;
	size_t i = 0;
	if (len > 2 && s[0] == '0' && strchr("xXoObB", s[1])) {
		/* Only the digits of that base: 0b8f... is text. */
		const char *digits = strchr("xX", s[1])
					     ? "0123456789abcdefABCDEF_"
				     : strchr("oO", s[1]) ? "01234567_"
							  : "01_";
		for (i = 2; i < len; i++)
			if (!strchr(digits, s[i]))
				return false;
		return true;
	}
	bool digits = false;
	for (; i < len && (isdigit((unsigned char)s[i]) || s[i] == '_' ||
			   s[i] == ':' || s[i] == '.');
	     i++)
		digits = digits || isdigit((unsigned char)s[i]);
	if (digits && i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t exp = i;
		while (i < len && isdigit((unsigned char)s[i]))
			i++;
		if (i == exp)
			return false;
	}
	return digits && i == len;
}

/* Whether @s reads back as itself written plain after `key: `. */
static bool plain_ok(const char *s, size_t len, const struct shape *sh)
{
	if (!len || sh->escapes || sh->edge_space)
		return false;
	unsigned char c = (unsigned char)s[0];
	if (!(isalnum(c) || c >= 0x80 || c == '(' || c == '/' || c == '$' ||
	      c == '_'))
		return false;
	if (isdigit(c) && is_number_like(s, len))
		return false;
	if (s[len - 1] == ':' || is_typed_word(s, len))
		return false;
	for (size_t i = 0; i + 1 < len; i++)
		if ((s[i] == ':' && s[i + 1] == ' ') ||
		    (s[i] == ' ' && s[i + 1] == '#'))
			return false;
	return true;
}

struct wrap {
	struct buf *b;
	const char *s;
	size_t len;
	size_t col;    /* where the next character goes */
	size_t indent; /* where continuation lines start */
	bool quoted;
	bool ok;
};

/* The columns the word s[from, to) takes as written. */
static size_t word_width(const struct wrap *w, size_t from, size_t to)
{
	const unsigned char *p = (const unsigned char *)w->s;
	size_t width = 0;
	char tmp[12];
	for (size_t i = from; i < to;) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, w->len - i, &cp);
		const char *esc = w->quoted ? escape_of(cp, tmp) : NULL;
		width += esc ? strlen(esc) : 1;
		i += n;
	}
	return width;
}

static void word_put(struct wrap *w, size_t from, size_t to)
{
	const unsigned char *p = (const unsigned char *)w->s;
	char tmp[12];
	size_t run = from;
	for (size_t i = from; i < to;) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, w->len - i, &cp);
		const char *esc = w->quoted ? escape_of(cp, tmp) : NULL;
		if (esc) {
			w->ok = w->ok && buf_put(w->b, w->s + run, i - run) &&
				buf_puts(w->b, esc);
			run = i + n;
		}
		i += n;
	}
	w->ok = w->ok && buf_put(w->b, w->s + run, to - run);
}

/*
 * Fill lines up to RECORD_YAML_WIDTH, word by word. @fresh: the current
 * line has nothing of the text yet. A closing quote counts with the last
 * word.
 */
static void wrap_text(struct wrap *w, bool fresh)
{
	size_t i = 0;
	while (i <= w->len) {
		size_t j = i;
		while (j < w->len && !is_break(w->s, w->len, j))
			j++;
		size_t width = word_width(w, i, j) + (w->quoted && j == w->len);
		if (!fresh && w->col + 1 + width > RECORD_YAML_WIDTH) {
			w->ok = w->ok && buf_putc(w->b, '\n');
			for (size_t k = 0; k < w->indent; k++)
				w->ok = w->ok && buf_putc(w->b, ' ');
			w->col = w->indent;
		} else if (!fresh) {
			w->ok = w->ok && buf_putc(w->b, ' ');
			w->col++;
		}
		word_put(w, i, j);
		w->col += width;
		fresh = false;
		i = j + 1;
	}
}

/* A scalar whose first character goes at column @col. */
static bool put_scalar(struct buf *b, size_t col, size_t indent, const char *s,
		       size_t len)
{
	if (utf8_check(s, len) != len)
		return false;
	struct shape sh;
	shape_of(s, len, &sh);
	bool fits = col + sh.chars <= RECORD_YAML_WIDTH;
	if (plain_ok(s, len, &sh) && (fits || !sh.breakable))
		return buf_put(b, s, len) && buf_putc(b, '\n');
	struct wrap w = { b, s, len, col, indent, false, true };
	if (!fits && sh.breakable && !sh.escapes && !sh.edge_space) {
		w.ok = buf_puts(b, ">\n");
		for (size_t k = 0; k < indent; k++)
			w.ok = w.ok && buf_putc(b, ' ');
		w.col = indent;
		wrap_text(&w, true);
		return w.ok && buf_putc(b, '\n');
	}
	w.quoted = true;
	w.ok = buf_putc(b, '"');
	w.col++;
	wrap_text(&w, true);
	return w.ok && buf_puts(b, "\"\n");
}

bool record_yaml_put_text(struct buf *out, const char *lead, const char *key,
			  const char *s, size_t len)
{
	size_t col = strlen(lead);
	size_t indent = key ? col + 2 : col;
	bool ok = buf_puts(out, lead);
	if (key) {
		ok = ok && buf_puts(out, key) && buf_puts(out, ": ");
		col += strlen(key) + 2;
	}
	return ok && put_scalar(out, col, indent, s, len);
}

/* ---- values of other types ------------------------------------------- */

static bool put_text(struct buf *b, const char *lead, const char *key,
		     const struct text *t)
{
	if (!t->s)
		return true;
	return record_yaml_put_text(b, lead, key, t->s, t->len);
}

static bool put_date(struct buf *b, const char *lead, const char *key,
		     const struct date_value *v)
{
	if (!v->set)
		return true;
	char day[DATE_ISO_LEN + 1];
	date_format(v->days, day);
	return buf_printf(b, "%s%s: %s\n", lead, key, day);
}

static bool put_flag(struct buf *b, const char *lead, const char *key,
		     const struct flag *v)
{
	if (!v->set)
		return true;
	return buf_printf(b, "%s%s: %s\n", lead, key, v->v ? "true" : "false");
}

/* The shortest decimal form that strtod() reads back as @v. */
static bool put_number(struct buf *b, const char *lead, const char *key,
		       const struct number *v)
{
	if (!v->set)
		return true;
	if (!isfinite(v->v))
		return false;
	char s[40];
	if (v->v == floor(v->v) && fabs(v->v) < 1e15) {
		snprintf(s, sizeof(s), "%.0f", v->v);
	} else {
		snprintf(s, sizeof(s), "%.15g", v->v);
		if (strtod(s, NULL) != v->v)
			snprintf(s, sizeof(s), "%.17g", v->v);
	}
	return buf_printf(b, "%s%s: %s\n", lead, key, s);
}

/* ---- comments and hand-written values -------------------------------- */

bool record_yaml_put_value(struct buf *out, const char *lead, const char *key,
			   const char *value, const char *comment)
{
	bool ok =
		buf_puts(out, lead) && buf_puts(out, key) && buf_putc(out, ':');
	if (value && *value)
		ok = ok && buf_putc(out, ' ') && buf_puts(out, value);
	if (comment)
		ok = ok && buf_puts(out, "  # ") && buf_puts(out, comment);
	return ok && buf_putc(out, '\n');
}

static bool put_spaces(struct buf *b, size_t n)
{
	bool ok = true;
	while (n--)
		ok = ok && buf_putc(b, ' ');
	return ok;
}

bool record_yaml_put_comment(struct buf *out, size_t indent, const char *lead,
			     const char *text)
{
	size_t hang = strlen(lead);
	size_t used = indent + 2 + hang;
	size_t width = used < RECORD_YAML_WIDTH ? RECORD_YAML_WIDTH - used : 1;
	const char *s = text;
	bool ok = true, first = true;
	while (*s == ' ')
		s++;
	do {
		/* The most words that fit, or one word alone. */
		size_t len = strlen(s), cut = len;
		if (len > width) {
			cut = width;
			while (cut > 0 && s[cut] != ' ')
				cut--;
			if (!cut)
				cut = strcspn(s, " ");
		}
		ok = ok && put_spaces(out, indent) && buf_puts(out, "# ");
		ok = ok &&
		     (first ? buf_puts(out, lead) : put_spaces(out, hang));
		ok = ok && buf_put(out, s, cut) && buf_putc(out, '\n');
		first = false;
		s += cut;
		while (*s == ' ')
			s++;
	} while (*s);
	return ok;
}

/* ---- the record, by the table of its fields --------------------------- */

static bool put_block(struct buf *b, unsigned block, const void *base,
		      size_t indent, bool item);

/* The member of @f in @base, of type @type. */
#define MEMBER(type, f, base)                                                  \
	((const type *)(const void *)((const char *)(base) + (f)->off))

/* The value of @f, which is present, after `@lead@key: ` (or `:` and the
 * lines below); @indent is the column of its block's keys. */
static bool put_field(struct buf *b, const char *lead, size_t indent,
		      const struct record_field *f, const void *base)
{
	const struct method_tier *tier = &method_current()->policy;
	const char *key = f->name;
	bool ok = true;
	switch (f->type) {
	case RECORD_FIELD_TEXT:
		return put_text(b, lead, key, MEMBER(struct text, f, base));
	case RECORD_FIELD_DATE:
		return put_date(b, lead, key,
				MEMBER(struct date_value, f, base));
	case RECORD_FIELD_BOOL:
		return put_flag(b, lead, key, MEMBER(struct flag, f, base));
	case RECORD_FIELD_NUMBER:
		return put_number(b, lead, key, MEMBER(struct number, f, base));
	case RECORD_FIELD_CHANNEL:
		return record_yaml_put_value(
			b, lead, key,
			record_channel_id(*MEMBER(enum channel, f, base)),
			NULL);
	case RECORD_FIELD_TIER:
		return record_yaml_put_value(
			b, lead, key,
			record_tier_id(*MEMBER(enum audit_tier, f, base)),
			NULL);
	case RECORD_FIELD_CHANNELS: {
		const enum channel *v = MEMBER(enum channel, f, base);
		ok = buf_printf(b, "%s%s: [", lead, key);
		for (size_t i = 0; i < record_field_count(f, base); i++)
			ok = ok && buf_printf(b, "%s%s", i ? ", " : "",
					      record_channel_id(v[i]));
		return ok && buf_puts(b, "]\n");
	}
	default:
		break;
	}
	/* The rest are blocks: the key, then lines below it. */
	char sub[40];
	snprintf(sub, sizeof(sub), "%*s", (int)(indent + 2), "");
	ok = record_yaml_put_value(b, lead, key, NULL, NULL);
	switch (f->type) {
	case RECORD_FIELD_TEXT_LIST: {
		const struct text *v = *MEMBER(struct text *, f, base);
		snprintf(sub, sizeof(sub), "%*s- ", (int)(indent + 2), "");
		for (size_t i = 0; i < record_field_count(f, base); i++)
			ok = ok && put_text(b, sub, NULL, &v[i]);
		break;
	}
	case RECORD_FIELD_LEVELS:
		for (size_t i = 0; i < tier->ndims; i++)
			ok = ok &&
			     put_number(b, sub, tier->dims[i].id,
					&MEMBER(struct number, f, base)[i]);
		break;
	case RECORD_FIELD_REASONS:
		for (size_t i = 0; i < tier->ndims; i++)
			ok = ok && put_text(b, sub, tier->dims[i].id,
					    &MEMBER(struct text, f, base)[i]);
		break;
	case RECORD_FIELD_MAPPING:
		ok = ok && put_block(b, f->holds, base, indent + 2, false);
		break;
	case RECORD_FIELD_LIST:
		for (size_t i = 0; i < record_field_count(f, base); i++)
			ok = ok && put_block(b, f->holds,
					     record_field_item(f, base, i),
					     indent + 4, true);
		break;
	default:
		break;
	}
	return ok;
}

/*
 * The fields of @block present in @base, keys at column @indent. A list
 * @item's first field carries the dash, the rest line up under it; an
 * item with none is written `{}`.
 */
static bool put_block(struct buf *b, unsigned block, const void *base,
		      size_t indent, bool item)
{
	char dash[40], lead[40];
	snprintf(lead, sizeof(lead), "%*s", (int)indent, "");
	snprintf(dash, sizeof(dash), "%*s- ", (int)(item ? indent - 2 : 0), "");
	size_t n;
	const struct record_field *fields = record_fields_in(block, &n);
	bool ok = true, first = item;
	for (size_t i = 0; i < n; i++) {
		if (!record_field_present(&fields[i], base))
			continue;
		ok = ok && put_field(b, first ? dash : lead, indent, &fields[i],
				     base);
		first = false;
	}
	if (first)
		ok = ok && buf_puts(b, dash) && buf_puts(b, "{}\n");
	return ok;
}

bool record_yaml_write(struct buf *out, const struct record *r)
{
	return put_block(out, RECORD_BLOCK_RECORD, r, 0, false);
}

bool record_yaml_write_audit(struct buf *out, const struct audit *a)
{
	return put_block(out, RECORD_BLOCK_AUDIT, a, 4, true);
}
