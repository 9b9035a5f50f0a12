/*
 * record_yaml.c - write a struct record as a record file.
 *
 * The output is the format editors read and diff, so it follows SPEC.md's
 * example field by field, and every text takes the most readable of three
 * YAML styles that reads back as the same bytes: plain, folded (`>`) for
 * long prose, or double-quoted with escapes for anything else. Long lines
 * are broken only at a single space between two other characters, which
 * both folded and quoted scalars turn back into that one space, so no
 * wrapping can change a text. Characters an editor could not see (bidi
 * controls, zero-width marks, separators, controls) are escaped, which
 * needs the quoted style; nothing is ever dropped or replaced.
 */
#include "record_yaml.h"
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
		for (i = 2; i < len; i++)
			if (!isxdigit((unsigned char)s[i]) && s[i] != '_')
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

/* ---- the record ------------------------------------------------------ */

static bool put_channels(struct buf *b, const struct record *r)
{
	if (!r->nchannels)
		return true;
	bool ok = buf_puts(b, "channels: [");
	for (size_t i = 0; i < r->nchannels; i++)
		ok = ok && buf_printf(b, "%s%s", i ? ", " : "",
				      record_channel_id(r->channels[i]));
	return ok && buf_puts(b, "]\n");
}

static bool put_policy(struct buf *b, const struct record *r)
{
	const struct method_tier *tier = &method_current()->policy;
	bool levels = false, reasons = false, ok = true;
	for (size_t i = 0; i < tier->ndims; i++) {
		levels = levels || r->policy[i].set;
		reasons = reasons || r->why[i].s;
	}
	if (levels) {
		ok = buf_puts(b, "policy:\n");
		for (size_t i = 0; i < tier->ndims; i++)
			ok = ok && put_number(b, "  ", tier->dims[i].id,
					      &r->policy[i]);
	}
	if (reasons) {
		ok = ok && buf_puts(b, "why:\n");
		for (size_t i = 0; i < tier->ndims; i++)
			ok = ok &&
			     put_text(b, "  ", tier->dims[i].id, &r->why[i]);
	}
	return ok;
}

/*
 * A list item of text fields: the first field present carries the dash,
 * the rest line up under it; an item with none is written `{}`.
 */
static bool put_item(struct buf *b, const char *dash, const char *indent,
		     const char *const *keys, const struct text *const *texts,
		     size_t n, const struct date_value *date, const char *dkey)
{
	const char *lead = dash;
	bool ok = true;
	for (size_t k = 0; k < n; k++) {
		if (!texts[k]->s)
			continue;
		ok = ok && put_text(b, lead, keys[k], texts[k]);
		lead = indent;
	}
	if (date && date->set) {
		ok = ok && put_date(b, lead, dkey, date);
		lead = indent;
	}
	if (lead == dash)
		ok = ok && buf_puts(b, dash) && buf_puts(b, "{}\n");
	return ok;
}

static bool put_evidence(struct buf *b, const struct record *r)
{
	static const char *const keys[] = { "title", "url" };
	if (!r->nevidence)
		return true;
	bool ok = buf_puts(b, "evidence:\n");
	for (size_t i = 0; i < r->nevidence; i++) {
		const struct evidence *e = &r->evidence[i];
		const struct text *const texts[] = { &e->title, &e->url };
		ok = ok &&
		     put_item(b, "  - ", "    ", keys, texts,
			      ATLAS_COUNT(texts), &e->accessed, "accessed");
	}
	return ok;
}

static bool put_audit_files(struct buf *b, const struct audit *a)
{
	static const char *const keys[] = { "title", "file", "sha256" };
	if (!a->nevidence)
		return true;
	bool ok = buf_puts(b, "    evidence:\n");
	for (size_t i = 0; i < a->nevidence; i++) {
		const struct audit_file *f = &a->evidence[i];
		const struct text *const texts[] = { &f->title, &f->file,
						     &f->sha256 };
		ok = ok && put_item(b, "      - ", "        ", keys, texts,
				    ATLAS_COUNT(texts), NULL, NULL);
	}
	return ok;
}

static bool put_audit(struct buf *b, const struct audit *a)
{
	const char *lead = "  - ";
	bool ok = true;
	if (a->date.set) {
		ok = put_date(b, lead, "date", &a->date);
		lead = "    ";
	}
	ok = ok &&
	     buf_printf(b, "%stier: %s\n", lead, record_tier_id(a->tier)) &&
	     buf_printf(b, "    signup_channel: %s\n",
			record_channel_id(a->signup_channel)) &&
	     put_flag(b, "    ", "online_path", &a->online_path) &&
	     put_number(b, "    ", "steps", &a->steps);
	if (a->npath) {
		ok = ok && buf_puts(b, "    path:\n");
		for (size_t i = 0; i < a->npath; i++)
			ok = ok && put_text(b, "      - ", NULL, &a->path[i]);
	}
	return ok && put_text(b, "    ", "retention", &a->retention) &&
	       put_flag(b, "    ", "channel_symmetry", &a->channel_symmetry) &&
	       put_text(b, "    ", "confirmation", &a->confirmation) &&
	       put_number(b, "    ", "minutes", &a->minutes) &&
	       put_flag(b, "    ", "clean_exit", &a->clean_exit) &&
	       put_text(b, "    ", "notes", &a->notes) && put_audit_files(b, a);
}

bool record_yaml_write(struct buf *out, const struct record *r)
{
	bool ok = put_text(out, "", "id", &r->id) &&
		  put_text(out, "", "name", &r->name) &&
		  put_text(out, "", "industry", &r->industry) &&
		  put_text(out, "", "jurisdiction", &r->jurisdiction) &&
		  put_date(out, "", "reviewed", &r->reviewed) &&
		  put_flag(out, "", "fictional", &r->fictional) &&
		  put_channels(out, r) &&
		  put_text(out, "", "summary", &r->summary) &&
		  put_text(out, "", "official_page", &r->official_page) &&
		  put_text(out, "", "refund_page", &r->refund_page) &&
		  put_flag(out, "", "exit_fee", &r->exit_fee);
	if (r->pause_offered.set || r->pause_note.s)
		ok = ok && buf_puts(out, "pause:\n") &&
		     put_flag(out, "  ", "offered", &r->pause_offered) &&
		     put_text(out, "  ", "note", &r->pause_note);
	if (r->deletion_note.s || r->deletion_url.s)
		ok = ok && buf_puts(out, "deletion:\n") &&
		     put_text(out, "  ", "note", &r->deletion_note) &&
		     put_text(out, "  ", "url", &r->deletion_url);
	ok = ok && put_policy(out, r) && put_evidence(out, r);
	if (r->nflow) {
		ok = ok && buf_puts(out, "flow:\n");
		for (size_t i = 0; i < r->nflow; i++)
			ok = ok && put_audit(out, &r->flow[i]);
	}
	return ok;
}
