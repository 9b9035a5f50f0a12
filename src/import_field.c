/*
 * import_field.c - the values of one company of a companies.json read
 * into record values, each problem said about the company.
 *
 * Every reader takes the JSON object, the member's key and the name it
 * has in messages ("policy.policy_url"), and says what it did: an error
 * (import_fail()) when no record can be made without the value, a warning
 * (import_warn()) when the value is left out or read as something else.
 * Text is trimmed and cleared of the control characters the record format
 * refuses, and lives in the company's arena; URLs and dates are read
 * through reftext.c, which knows the reference's ways of writing them.
 */
#include "arena.h"
#include "buf.h"
#include "import_internal.h"
#include "record_yaml.h"
#include "reftext.h"
#include "utf8.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

/* User text as a message can show it: hidden characters made visible,
 * long text cut. */
const char *import_shown(struct company *c, const char *s)
{
	struct buf b = BUF_INIT;
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), chars = 0;
	for (size_t i = 0; i < len && chars < 60; chars++) {
		uint32_t cp;
		size_t n = utf8_decode(p + i, len - i, &cp);
		if (!n)
			n = 1, cp = 0xfffd;
		if (record_yaml_needs_escape(cp))
			buf_printf(&b, "\\u{%X}", (unsigned)cp);
		else
			buf_put(&b, s + i, n);
		i += n;
		if (chars + 1 == 60 && i < len)
			buf_puts(&b, "...");
	}
	const char *out = arena_strndup(c->arena, buf_cstr(&b), b.len);
	buf_free(&b);
	return out;
}

/* An error about the company: it will be skipped. Inside an audit, the
 * audit alone is left out (see import_flow_read()). */
void import_fail(struct company *c, enum diag_code code, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (c->in_audit) {
		if (!c->audit_problem.len)
			buf_puts(&c->audit_problem, buf_cstr(&msg));
	} else {
		diag_add(c->im->d, code, c->im->file, 0, 0, "%s: %s", c->label,
			 buf_cstr(&msg));
		c->bad = true;
	}
	buf_free(&msg);
}

/*
 * A warning about the company: a published value that could not become
 * a fact as it stands, and what was recorded instead. The record is
 * still written.
 */
void import_warn(struct company *c, enum diag_code code, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	diag_add(c->im->d, code, c->im->file, 0, 0, "%s: %s", c->label,
		 buf_cstr(&msg));
	buf_free(&msg);
	struct import_stats *st = &c->im->st;
	st->no_url += code == DIAG_IMPORT_NO_URL;
	st->left_out += code == DIAG_IMPORT_LEFT_OUT;
	st->inferred += code == DIAG_IMPORT_INFERRED;
}

/* A line for the report: something read as something else. */
void import_note(struct company *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_printf(&c->notes, "%s: ", c->r->id.s ? c->r->id.s : c->label);
	buf_vprintf(&c->notes, fmt, ap);
	buf_putc(&c->notes, '\n');
	va_end(ap);
}

const char *import_json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "a list";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "true or false";
	case JSON_NULL:
		break;
	}
	return "null";
}

/* @o's member @key; NULL when it is absent or null. */
json_t *import_member(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_null(v) ? NULL : v;
}

/* A value of the wrong type (@want: "a list"), left out of the record. */
void import_left_out(struct company *c, const char *what, const json_t *v,
		     const char *want)
{
	import_warn(c, DIAG_IMPORT_LEFT_OUT, "`%s` is %s, not %s; left out",
		    what, import_json_kind(v), want);
}

struct text import_make_text(struct company *c, const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	/* The record format allows no control characters (C0 but tab and
	 * newline, DEL, C1); each becomes U+FFFD, marking where it was. */
	struct buf b = BUF_INIT;
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < len; i++) {
		bool c1 = p[i] == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 &&
			  p[i + 1] < 0xa0;
		if ((p[i] < 0x20 && p[i] != '\n' && p[i] != '\t') ||
		    p[i] == 0x7f || c1) {
			buf_puts(&b, "\xef\xbf\xbd");
			i += c1;
		} else {
			buf_putc(&b, (char)p[i]);
		}
	}
	struct text t = { arena_strndup(c->arena, b.data ? b.data : "", b.len),
			  b.len,
			  { 0, 0 } };
	buf_free(&b);
	return t;
}

struct text import_const_text(struct company *c, const char *s)
{
	return import_make_text(c, s, strlen(s));
}

struct text import_format_text(struct company *c, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	struct text t = import_make_text(c, buf_cstr(&b), b.len);
	buf_free(&b);
	return t;
}

/* The kinds of value a member is read as. */
enum value_kind { VALUE_TEXT, VALUE_FLAG, VALUE_NUMBER };

static bool is_kind(const json_t *v, enum value_kind kind)
{
	switch (kind) {
	case VALUE_TEXT:
		return json_is_string(v);
	case VALUE_FLAG:
		return json_is_boolean(v);
	case VALUE_NUMBER:
		break;
	}
	return json_is_number(v);
}

/*
 * @o's member @key when it is of @kind; else NULL, with an error when it
 * is absent and @required, or of another kind.
 */
static json_t *member_of_kind(struct company *c, const json_t *o,
			      const char *key, const char *what, bool required,
			      enum value_kind kind)
{
	static const char *const want[] = {
		[VALUE_TEXT] = "a string",
		[VALUE_FLAG] = "true or false",
		[VALUE_NUMBER] = "a number",
	};
	json_t *v = import_member(o, key);
	if (!v) {
		if (required)
			import_fail(c, DIAG_MISSING_KEY, "`%s` is missing",
				    what);
		return NULL;
	}
	if (!is_kind(v, kind)) {
		import_fail(c, DIAG_BAD_TYPE, "`%s` must be %s, not %s", what,
			    want[kind], import_json_kind(v));
		return NULL;
	}
	return v;
}

/* Whether an optional member @key is there and of @kind; one of another
 * kind (@want: "a text") is left out with a warning. */
static bool optional_of_kind(struct company *c, const json_t *o,
			     const char *key, const char *what,
			     enum value_kind kind, const char *want)
{
	json_t *v = import_member(o, key);
	if (v && !is_kind(v, kind)) {
		import_left_out(c, what, v, want);
		return false;
	}
	return v != NULL;
}

/*
 * A text member: trimmed of surrounding white space. @what names it in
 * messages ("policy.policy_url"). Returns false, with an error when
 * @required, if it is absent, not a string or empty.
 */
bool import_get_text(struct company *c, const json_t *o, const char *key,
		     const char *what, bool required, struct text *out)
{
	json_t *v = member_of_kind(c, o, key, what, required, VALUE_TEXT);
	if (!v)
		return false;
	struct text t = import_make_text(c, json_string_value(v),
					 json_string_length(v));
	if (!t.len) {
		if (required)
			import_fail(c, DIAG_EMPTY_VALUE, "`%s` is empty", what);
		return false;
	}
	*out = t;
	return true;
}

/* As import_get_text() for a value that may be absent: a value of another
 * type is left out with a warning instead of failing the company. */
bool import_get_optional_text(struct company *c, const json_t *o,
			      const char *key, const char *what,
			      struct text *out)
{
	return optional_of_kind(c, o, key, what, VALUE_TEXT, "a text") &&
	       import_get_text(c, o, key, what, false, out);
}

/*
 * A URL from @s, repaired where that is certain (reftext_url()), with a
 * warning naming the repair. Returns false, saying nothing, when @s names
 * no web page: the caller decides what that means.
 */
bool import_read_url(struct company *c, const char *s, const char *what,
		     struct text *out)
{
	struct buf b = BUF_INIT;
	bool repaired;
	bool ok = reftext_url(s, &b, &repaired);
	if (ok) {
		*out = import_make_text(c, b.data, b.len);
		if (repaired)
			import_warn(c, DIAG_IMPORT_INFERRED,
				    "`%s` `%s` is not a usable URL as written; "
				    "read as `%s`",
				    what, import_shown(c, s),
				    import_shown(c, out->s));
	}
	buf_free(&b);
	return ok;
}

/* A date in YYYY-MM-DD (or a timestamp) that is real and not after
 * today; false, with @why set, when it is not one. */
bool import_parse_date(struct company *c, const char *s, size_t len,
		       struct date_value *out, const char **why)
{
	date_days days;
	int rc = reftext_date(s, len, &days);
	if (rc == 0 && days > c->im->opts->today)
		*why = "is in the future";
	else if (rc == -2)
		*why = "is not a real calendar date";
	else if (rc != 0)
		*why = "is not a date written YYYY-MM-DD";
	else
		*out = (struct date_value){ days, true, { 0, 0 } };
	return rc == 0 && days <= c->im->opts->today;
}

bool import_get_flag(struct company *c, const json_t *o, const char *key,
		     const char *what, bool required, struct flag *out)
{
	json_t *v = member_of_kind(c, o, key, what, required, VALUE_FLAG);
	if (v)
		*out = (struct flag){ json_is_true(v), true, { 0, 0 } };
	return v != NULL;
}

/* An optional true/false: another type is left out with a warning. */
bool import_get_optional_flag(struct company *c, const json_t *o,
			      const char *key, const char *what,
			      struct flag *out)
{
	return optional_of_kind(c, o, key, what, VALUE_FLAG, "true or false") &&
	       import_get_flag(c, o, key, what, false, out);
}

bool import_get_number(struct company *c, const json_t *o, const char *key,
		       const char *what, struct number *out)
{
	json_t *v = member_of_kind(c, o, key, what, true, VALUE_NUMBER);
	if (v)
		*out = (struct number){ json_number_value(v), true, { 0, 0 } };
	return v != NULL;
}
