/*
 * submit.c - parse and check what the public sends.
 *
 * A body is read into a small field source (a JSON object, or the pairs of
 * a form) and every field is then checked by one rule, so both encodings
 * give the same answers and the same messages. Every field is checked and
 * each problem names its field (one problem a field), so a person sees
 * everything to fix at once.
 * The fields a correction may name and the keys of an audit come from the
 * record format's table (record_field.h), vocabularies (channels,
 * retention, confirmation) from it and the methodology table, never from
 * lists kept here; the result is a plain struct whose strings live in the
 * caller's arena, so a request's memory is released all at once.
 */
#include "submit.h"
#include "buf.h"
#include "esc.h"
#include "method.h"
#include "record_field.h"
#include "utf8.h"
#include "validate.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const correction_keys[] = {
	"record", "field", "wrong", "proposed", "evidence_url", "email",
};

/* An audit is sent as the record it is of, a contact address and the
 * fields of one `flow` entry of the record format (record_field.h). */
static const char *const audit_sender_keys[] = { "record", "email" };

/* The key of member @member of an audit entry. */
#define AUDIT_KEY(member)                                                      \
	RECORD_FIELD_NAME(RECORD_BLOCK_AUDIT, struct audit, member)

/* An item of a submitted audit's evidence: where the file is, not (as in
 * the record) where it will be kept. */
static const char *const evidence_keys[] = { "title", "url", "sha256" };

struct pair {
	const char *key;
	const char *value;
	size_t len;
};

/* The fields of one submission, whatever the encoding. */
struct source {
	enum submit_format fmt;
	json_t *obj;
	struct pair *pairs;
	size_t npairs;
};

/* A message cut short by its buffer or a %.Ns may end inside a UTF-8
 * sequence; mark such bytes '?' so the message stays valid UTF-8. */
static void utf8_repair(char *s)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		i += utf8_check(s + i, len - i);
		if (i < len)
			s[i++] = '?';
	}
}

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Add a problem of @field (item 0), unless that field already has one:
 * its first problem is the one to fix. Returns -1. */
static int fail(struct submit_errors *errs, const char *field, const char *fmt,
		...) ATLAS_PRINTF(3, 4);

static int fail(struct submit_errors *errs, const char *field, const char *fmt,
		...)
{
	for (size_t i = 0; field && i < errs->n; i++)
		if (same(errs->v[i].field, field) && !errs->v[i].item)
			return -1;
	if (errs->n == SUBMIT_ERRORS_MAX) {
		errs->more = true;
		return -1;
	}
	struct submit_error *e = &errs->v[errs->n++];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof(e->message), fmt, ap);
	va_end(ap);
	utf8_repair(e->message);
	e->field = field;
	e->item = 0;
	e->part = NULL;
	return -1;
}

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

bool submit_field_known(const char *name)
{
	const struct record_field *f =
		record_field_find(RECORD_BLOCK_RECORD, name);
	if (f)
		return !(f->flags & RECORD_FIELD_NOT_A_FACT);
	return method_dim_index(&method_current()->policy, name) >= 0;
}

bool submit_email_valid(const char *s)
{
	size_t len = strlen(s);
	const char *at = strchr(s, '@');
	if (len < 6 || len > SUBMIT_EMAIL_MAX || !at || strchr(at + 1, '@'))
		return false;
	size_t local = (size_t)(at - s);
	if (local == 0 || local > 64 || s[0] == '.' || at[-1] == '.')
		return false;
	for (const char *p = s; p < at; p++) {
		unsigned char c = (unsigned char)*p;
		if (!(isalnum(c) || strchr(".!#$%&'*+/=?^_`{|}~-", c)))
			return false;
		if (c == '.' && p[1] == '.')
			return false;
	}
	/* The domain: labels of letters, digits and inner hyphens, at least
	 * two, the last alphabetic (or an xn-- label). */
	const char *label = at + 1;
	size_t labels = 0;
	for (;;) {
		size_t n = strcspn(label, ".");
		if (n == 0 || n > 63 || label[0] == '-' || label[n - 1] == '-')
			return false;
		for (size_t i = 0; i < n; i++)
			if (!isalnum((unsigned char)label[i]) &&
			    label[i] != '-')
				return false;
		labels++;
		if (!label[n])
			break;
		label += n + 1;
	}
	if (labels < 2)
		return false;
	size_t n = strlen(label);
	if (n >= 4 && !strncasecmp(label, "xn--", 4))
		return true;
	for (size_t i = 0; i < n; i++)
		if (!isalpha((unsigned char)label[i]))
			return false;
	return n >= 2;
}

const char *submit_error_key(const struct submit_error *e, struct arena *a)
{
	if (!e->field || !e->item || !e->part)
		return e->field;
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s_%s_%zu", e->field, e->part, e->item);
	const char *key = arena_strdup(a, buf_cstr(&b));
	buf_free(&b);
	return key;
}

/* ---- form encoding --------------------------------------------------- */

/* Decode one form component into the arena; -1 on a bad escape. */
static int form_decode(const char *s, size_t len, struct arena *a,
		       const char **out, size_t *out_len)
{
	char *d = arena_alloc(a, len + 1);
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			if (i + 2 >= len)
				return -1;
			int hi = esc_hex_digit(s[i + 1]),
			    lo = esc_hex_digit(s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		d[n++] = c;
	}
	d[n] = '\0';
	*out = d;
	*out_len = n;
	return 0;
}

/*
 * Split a form body into decoded pairs. With @errs, a bad escape or a NUL
 * in a key refuses the body and a key given twice is a problem of that
 * field; without, such parts are skipped. Returns 0 or -1.
 */
static int form_split(const char *body, size_t len, struct arena *a,
		      struct source *src, struct submit_errors *errs)
{
	size_t cap = 1;
	for (size_t i = 0; i < len; i++)
		cap += body[i] == '&';
	src->pairs = arena_array(a, cap, sizeof(*src->pairs));
	for (size_t i = 0; i <= len;) {
		const char *p = body + i;
		const char *amp = memchr(p, '&', len - i);
		size_t n = amp ? (size_t)(amp - p) : len - i;
		i += n + 1;
		if (n == 0)
			continue;
		const char *eq = memchr(p, '=', n);
		size_t klen = eq ? (size_t)(eq - p) : n;
		struct pair pr = { .value = "", .len = 0 };
		size_t key_len;
		bool bad = form_decode(p, klen, a, &pr.key, &key_len) ||
			   (eq && form_decode(eq + 1, n - klen - 1, a,
					      &pr.value, &pr.len));
		if (!bad && strlen(pr.key) != key_len)
			bad = true;
		if (bad && errs)
			return fail(errs, NULL,
				    "malformed form data: a %% escape is "
				    "not two hexadecimal digits, or a name "
				    "holds a NUL");
		if (bad)
			continue;
		bool twice = false;
		for (size_t j = 0; j < src->npairs && !twice; j++)
			twice = !strcmp(src->pairs[j].key, pr.key);
		if (twice) {
			if (errs)
				fail(errs, pr.key, "`%s` is given twice",
				     pr.key);
			continue;
		}
		src->pairs[src->npairs++] = pr;
	}
	return 0;
}

size_t submit_form_fields(const char *body, size_t len, struct arena *a,
			  struct submit_pair **out)
{
	struct source src = { .fmt = SUBMIT_FORM };
	form_split(body, len, a, &src, NULL);
	*out = arena_array(a, src.npairs ? src.npairs : 1, sizeof(**out));
	size_t n = 0;
	for (size_t i = 0; i < src.npairs; i++) {
		const struct pair *p = &src.pairs[i];
		bool shown =
			utf8_check(p->key, strlen(p->key)) == strlen(p->key) &&
			utf8_check(p->value, p->len) == p->len;
		for (size_t j = 0; shown && j < p->len; j++) {
			unsigned char c = (unsigned char)p->value[j];
			shown = !((c < 0x20 || c == 0x7f) && c != '\n' &&
				  c != '\r' && c != '\t');
		}
		if (shown)
			(*out)[n++] = (struct submit_pair){ p->key, p->value };
	}
	return n;
}

/* ---- sources --------------------------------------------------------- */

static int source_open(const char *body, size_t len, enum submit_format fmt,
		       struct arena *a, struct source *src,
		       struct submit_errors *errs)
{
	memset(src, 0, sizeof(*src));
	src->fmt = fmt;
	if (fmt == SUBMIT_FORM)
		return form_split(body, len, a, src, errs);
	json_error_t je;
	src->obj = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (!src->obj)
		return fail(errs, NULL,
			    "malformed JSON at line %d, column %d: %s", je.line,
			    je.column, je.text);
	if (!json_is_object(src->obj))
		return fail(errs, NULL, "the body must be a JSON object");
	return 0;
}

static void source_close(struct source *src)
{
	json_decref(src->obj);
	src->obj = NULL;
}

/* The audit form's numbered evidence fields: evidence_PART_N. */
static bool evidence_form_key(const char *key)
{
	const char *list = AUDIT_KEY(evidence);
	size_t len = strlen(list);
	if (strncmp(key, list, len) || key[len] != '_')
		return false;
	key += len + 1;
	for (size_t i = 0; i < ATLAS_COUNT(evidence_keys); i++) {
		size_t n = strlen(evidence_keys[i]);
		if (strncmp(key, evidence_keys[i], n) || key[n] != '_')
			continue;
		const char *num = key + n + 1;
		char *end;
		long item = strtol(num, &end, 10);
		return num[0] >= '1' && num[0] <= '9' && !*end && item >= 1 &&
		       item <= SUBMIT_EVIDENCE_MAX;
	}
	return false;
}

/* Whether an audit sent as @fmt has a field @key: the sender's, or one
 * of a `flow` entry, but for the evidence list, which a form sends as
 * numbered rows. */
static bool audit_key_known(const char *key, enum submit_format fmt)
{
	if (in_list(key, audit_sender_keys, ATLAS_COUNT(audit_sender_keys)))
		return true;
	const struct record_field *f =
		record_field_find(RECORD_BLOCK_AUDIT, key);
	if (fmt == SUBMIT_FORM)
		return f ? f->type != RECORD_FIELD_LIST
			 : evidence_form_key(key);
	return f != NULL;
}

static bool correction_key_known(const char *key, enum submit_format fmt)
{
	(void)fmt;
	return in_list(key, correction_keys, ATLAS_COUNT(correction_keys));
}

static bool evidence_key_known(const char *key, enum submit_format fmt)
{
	(void)fmt;
	return in_list(key, evidence_keys, ATLAS_COUNT(evidence_keys));
}

/* Refuse any key @known does not take. */
static void source_known_keys(const struct source *src,
			      bool (*known)(const char *key,
					    enum submit_format fmt),
			      struct submit_errors *errs)
{
	if (src->fmt == SUBMIT_FORM) {
		for (size_t i = 0; i < src->npairs; i++) {
			const char *key = src->pairs[i].key;
			if (!known(key, src->fmt))
				fail(errs, NULL, "unknown field `%.60s`", key);
		}
		return;
	}
	const char *key;
	json_t *v;
	json_object_foreach (src->obj, key, v) {
		if (!known(key, src->fmt))
			fail(errs, NULL, "unknown field `%.60s`", key);
	}
}

/*
 * The raw text of @field: 1 with *s and *len set, 0 when absent (or JSON
 * null), -1 when JSON gives it a type other than a string.
 */
static int source_raw(const struct source *src, const char *field,
		      const char **s, size_t *len)
{
	if (src->fmt == SUBMIT_FORM) {
		for (size_t i = 0; i < src->npairs; i++)
			if (!strcmp(src->pairs[i].key, field)) {
				*s = src->pairs[i].value;
				*len = src->pairs[i].len;
				return 1;
			}
		return 0;
	}
	json_t *v = json_object_get(src->obj, field);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -1;
	*s = json_string_value(v);
	*len = json_string_length(v);
	return 1;
}

/*
 * Check and copy one text value. Surrounding white space is dropped; a
 * multi-line text keeps line breaks (CR LF becomes LF) and tabs, other
 * control characters are refused anywhere.
 * Returns: 0 with *out set, 1 when the text is empty, -1 on a problem.
 */
static int clean_text(const char *field, const char *s, size_t len,
		      size_t max_chars, bool multiline, struct arena *a,
		      const char **out, struct submit_errors *errs)
{
	if (utf8_check(s, len) != len)
		return fail(errs, field, "`%s` is not valid UTF-8", field);
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (!len)
		return 1;
	char *d = arena_alloc(a, len + 1);
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\r' && i + 1 < len && s[i + 1] == '\n' && multiline)
			continue;
		if ((c < 0x20 || c == 0x7f) &&
		    !(multiline && (c == '\n' || c == '\t')))
			return fail(errs, field,
				    "`%s` holds a control character%s", field,
				    multiline ? "" : " or a line break");
		d[n++] = (char)c;
	}
	d[n] = '\0';
	if (utf8_chars(d, n) > max_chars)
		return fail(errs, field, "`%s` is longer than %zu characters",
			    field, max_chars);
	*out = d;
	return 0;
}

/*
 * A text field: *out is NULL when absent or empty, and then a problem if
 * @required. Returns 0, or -1 with the problem added.
 */
static int get_text(const struct source *src, const char *field,
		    size_t max_chars, bool multiline, bool required,
		    struct arena *a, const char **out,
		    struct submit_errors *errs)
{
	const char *s = NULL;
	size_t len = 0;
	*out = NULL;
	int got = source_raw(src, field, &s, &len);
	if (got < 0)
		return fail(errs, field, "`%s` must be a string", field);
	int rc = got ? clean_text(field, s, len, max_chars, multiline, a, out,
				  errs)
		     : 1;
	if (rc < 0)
		return -1;
	if (rc == 1 && required)
		return fail(errs, field, "`%s` is missing", field);
	return 0;
}

static int check_record(const char *id, const struct submit_rules *rules,
			struct submit_errors *errs)
{
	if (strlen(id) > SUBMIT_ID_MAX || !validate_slug(id))
		return fail(errs, "record",
			    "`record` must be a record id such as coursera");
	if (!rules->record_exists(rules->user, id))
		return fail(errs, "record", "no record `%s` is published", id);
	return 0;
}

static int check_url(const char *field, const char *url,
		     struct submit_errors *errs)
{
	if (!validate_url(url))
		return fail(errs, field,
			    "`%s` must be an absolute http:// or https:// URL",
			    field);
	return 0;
}

static int check_email(const char *email, struct submit_errors *errs)
{
	if (email && !submit_email_valid(email))
		return fail(errs, "email",
			    "`email` is not an email address such as "
			    "name@example.com");
	return 0;
}

static void errors_clear(struct submit_errors *errs)
{
	errs->n = 0;
	errs->more = false;
}

int submit_correction_parse(const char *body, size_t len,
			    enum submit_format fmt,
			    const struct submit_rules *rules, struct arena *a,
			    struct submit_correction *out,
			    struct submit_errors *errs)
{
	memset(out, 0, sizeof(*out));
	errors_clear(errs);
	struct source src;
	if (source_open(body, len, fmt, a, &src, errs) == 0) {
		source_known_keys(&src, correction_key_known, errs);
		if (!get_text(&src, "record", SUBMIT_ID_MAX, false, true, a,
			      &out->record, errs))
			check_record(out->record, rules, errs);
		if (!get_text(&src, "field", 40, false, true, a, &out->field,
			      errs) &&
		    !submit_field_known(out->field))
			fail(errs, "field",
			     "`field` must name a field of the record format "
			     "or a policy dimension (got `%.40s`)",
			     out->field);
		get_text(&src, "wrong", SUBMIT_TEXT_MAX, true, true, a,
			 &out->wrong, errs);
		get_text(&src, "proposed", SUBMIT_TEXT_MAX, true, true, a,
			 &out->proposed, errs);
		if (!get_text(&src, "evidence_url", SUBMIT_URL_MAX, false, true,
			      a, &out->evidence_url, errs))
			check_url("evidence_url", out->evidence_url, errs);
		if (!get_text(&src, "email", SUBMIT_EMAIL_MAX, false, false, a,
			      &out->email, errs))
			check_email(out->email, errs);
	}
	source_close(&src);
	return errs->n ? -1 : 0;
}

/* ---- audits ---------------------------------------------------------- */

/* A boolean: JSON true or false, or the form's "true" or "false". */
static int get_bool(const struct source *src, const char *field, bool *out,
		    struct submit_errors *errs)
{
	if (src->fmt == SUBMIT_FORM) {
		const char *s = NULL;
		size_t len = 0;
		if (!source_raw(src, field, &s, &len) || !len)
			return fail(errs, field, "`%s` is missing", field);
		if ((len == 4 && !memcmp(s, "true", 4)) ||
		    (len == 5 && !memcmp(s, "false", 5))) {
			*out = len == 4;
			return 0;
		}
		return fail(errs, field, "`%s` must be true or false", field);
	}
	json_t *v = json_object_get(src->obj, field);
	if (!v || json_is_null(v))
		return fail(errs, field, "`%s` is missing", field);
	if (!json_is_boolean(v))
		return fail(errs, field, "`%s` must be true or false", field);
	*out = json_is_true(v);
	return 0;
}

/* A form's number: digits, with a decimal point unless @whole. */
static bool parse_decimal(const char *s, bool whole, double *out)
{
	size_t digits = 0, points = 0;
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p == '.' && !whole)
			points++;
		else
			return false;
	}
	if (!digits || points > 1 || strlen(s) > 20)
		return false;
	*out = strtod(s, NULL);
	return true;
}

static int get_number(const struct source *src, const char *field, double max,
		      bool whole, struct arena *a, double *out,
		      struct submit_errors *errs)
{
	double d;
	if (src->fmt == SUBMIT_FORM) {
		const char *s;
		if (get_text(src, field, 40, false, true, a, &s, errs))
			return -1;
		if (!parse_decimal(s, whole, &d))
			return fail(errs, field, "`%s` must be a %s", field,
				    whole ? "whole number" : "number");
	} else {
		json_t *v = json_object_get(src->obj, field);
		if (!v || json_is_null(v))
			return fail(errs, field, "`%s` is missing", field);
		if (whole ? !json_is_integer(v) : !json_is_number(v))
			return fail(errs, field, "`%s` must be a %s", field,
				    whole ? "whole number" : "number");
		d = json_number_value(v);
	}
	if (!isfinite(d) || d < 0 || d > max)
		return fail(errs, field, "`%s` must be from 0 to %g", field,
			    max);
	*out = d;
	return 0;
}

/* A keyword of the vocabulary of the flow dimension that reads @field,
 * as the methodology table spells it. */
static int get_keyword(const struct source *src, const char *field,
		       struct arena *a, const char **out,
		       struct submit_errors *errs)
{
	const char *s;
	if (get_text(src, field, 40, false, true, a, &s, errs))
		return -1;
	const struct method_dim *dim =
		record_field_scored_by(method_current(), field);
	const struct method_level *l =
		dim ? method_level_for_key(dim, s) : NULL;
	if (!l) {
		struct buf allowed = BUF_INIT;
		if (dim)
			method_levels_put(dim, &allowed);
		fail(errs, field, "`%s` must be one of %s (got `%.40s`)", field,
		     buf_cstr(&allowed), s);
		buf_free(&allowed);
		return -1;
	}
	*out = l->match;
	return 0;
}

static int get_date(const struct source *src, const struct submit_rules *rules,
		    struct arena *a, date_days *out, struct submit_errors *errs)
{
	const char *key = AUDIT_KEY(date), *s;
	if (get_text(src, key, DATE_ISO_LEN, false, true, a, &s, errs))
		return -1;
	if (date_parse(s, strlen(s), out))
		return fail(errs, key,
			    "`%s` must be a real day written YYYY-MM-DD", key);
	if (*out > rules->today)
		return fail(errs, key, "`%s` is in the future", key);
	if (*out < date_from_ymd(2000, 1, 1))
		return fail(errs, key, "`%s` is before 2000", key);
	return 0;
}

static int path_too_long(struct submit_errors *errs)
{
	const char *key = AUDIT_KEY(path);
	return fail(errs, key,
		    "`%s` must be a list of 1 to %d step descriptions", key,
		    SUBMIT_PATH_MAX);
}

/* The form's path: one step per line, blank lines skipped. */
static int get_path_form(const struct source *src, struct arena *a,
			 struct submit_audit *out, struct submit_errors *errs)
{
	const char *key = AUDIT_KEY(path), *text;
	if (get_text(src, key, SUBMIT_PATH_MAX * (SUBMIT_TITLE_MAX + 2), true,
		     false, a, &text, errs))
		return -1;
	if (!text)
		return 0;
	out->path = arena_array(a, SUBMIT_PATH_MAX, sizeof(*out->path));
	for (const char *line = text; *line;) {
		size_t n = strcspn(line, "\n");
		const char *step;
		int rc = clean_text(key, line, n, SUBMIT_TITLE_MAX, false, a,
				    &step, errs);
		if (rc < 0)
			return -1;
		if (rc == 0 && out->npath == SUBMIT_PATH_MAX)
			return path_too_long(errs);
		if (rc == 0)
			out->path[out->npath++] = step;
		line += n + (line[n] == '\n');
	}
	return 0;
}

static int get_path_json(const struct source *src, struct arena *a,
			 struct submit_audit *out, struct submit_errors *errs)
{
	const char *key = AUDIT_KEY(path);
	json_t *v = json_object_get(src->obj, key);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v) || json_array_size(v) == 0 ||
	    json_array_size(v) > SUBMIT_PATH_MAX)
		return path_too_long(errs);
	size_t n = json_array_size(v);
	out->path = arena_array(a, n, sizeof(*out->path));
	for (size_t i = 0; i < n; i++) {
		json_t *step = json_array_get(v, i);
		int rc = json_is_string(step)
				 ? clean_text(key, json_string_value(step),
					      json_string_length(step),
					      SUBMIT_TITLE_MAX, false, a,
					      &out->path[i], errs)
				 : 1;
		if (rc < 0)
			return -1;
		if (rc > 0)
			return fail(errs, key,
				    "`%s` step %zu must be a non-empty text",
				    key, i + 1);
	}
	out->npath = n;
	return 0;
}

/* The path, which must list @steps steps when both are given (@steps
 * is -1 when it was refused). */
static void get_path(const struct source *src, int steps, struct arena *a,
		     struct submit_audit *out, struct submit_errors *errs)
{
	int rc = src->fmt == SUBMIT_FORM ? get_path_form(src, a, out, errs)
					 : get_path_json(src, a, out, errs);
	if (rc == 0 && out->npath && steps >= 0 && (int)out->npath != steps)
		fail(errs, AUDIT_KEY(path),
		     "`%s` lists %zu steps but `%s` is %d", AUDIT_KEY(path),
		     out->npath, AUDIT_KEY(steps), steps);
}

/* File the problems from @first on under `evidence` item @number, the
 * field each named becoming the part. */
static void file_under_evidence(struct submit_errors *errs, size_t first,
				size_t number)
{
	for (size_t i = first; i < errs->n; i++) {
		struct submit_error *er = &errs->v[i];
		char inner[sizeof(er->message)];
		snprintf(inner, sizeof(inner), "%s", er->message);
		snprintf(er->message, sizeof(er->message),
			 "`%s` item %zu: %.200s", AUDIT_KEY(evidence), number,
			 inner);
		utf8_repair(er->message);
		er->part = er->field;
		er->field = AUDIT_KEY(evidence);
		er->item = number;
	}
}

/*
 * Check one evidence item, whose problems are then filed under
 * `evidence`, its number (1-based, as the client counts) and the key.
 */
static void check_evidence_item(const struct source *item, size_t number,
				struct arena *a, struct submit_evidence *e,
				struct submit_errors *errs)
{
	size_t first = errs->n;
	if (item->fmt == SUBMIT_JSON)
		source_known_keys(item, evidence_key_known, errs);
	get_text(item, "title", SUBMIT_TITLE_MAX, false, true, a, &e->title,
		 errs);
	if (!get_text(item, "url", SUBMIT_URL_MAX, false, true, a, &e->url,
		      errs))
		check_url("url", e->url, errs);
	if (!get_text(item, "sha256", 64, false, false, a, &e->sha256, errs) &&
	    e->sha256) {
		if (!validate_sha256(e->sha256)) {
			fail(errs, "sha256",
			     "`sha256` must be 64 hexadecimal digits");
		} else {
			char *lower = arena_strdup(a, e->sha256);
			for (char *p = lower; *p; p++)
				*p = (char)tolower((unsigned char)*p);
			e->sha256 = lower;
		}
	}
	file_under_evidence(errs, first, number);
}

static int evidence_missing(struct submit_errors *errs)
{
	const char *key = AUDIT_KEY(evidence);
	return fail(errs, key,
		    "`%s` must be a list of 1 to %d items, each with a title "
		    "and a url",
		    key, SUBMIT_EVIDENCE_MAX);
}

/* The form's evidence rows: evidence_title_N, evidence_url_N,
 * evidence_sha256_N; a row left empty is no item. */
static void get_evidence_form(const struct source *src, struct arena *a,
			      struct submit_audit *out,
			      struct submit_errors *errs)
{
	out->evidence =
		arena_array(a, SUBMIT_EVIDENCE_MAX, sizeof(*out->evidence));
	for (size_t row = 1; row <= SUBMIT_EVIDENCE_MAX; row++) {
		struct pair parts[ATLAS_COUNT(evidence_keys)];
		struct source item = { .fmt = SUBMIT_FORM, .pairs = parts };
		bool filled = false;
		for (size_t k = 0; k < ATLAS_COUNT(evidence_keys); k++) {
			char key[40];
			snprintf(key, sizeof(key), "%s_%s_%zu",
				 AUDIT_KEY(evidence), evidence_keys[k], row);
			const char *s;
			size_t len;
			if (source_raw(src, key, &s, &len) != 1)
				continue;
			parts[item.npairs++] =
				(struct pair){ evidence_keys[k], s, len };
			for (size_t i = 0; i < len; i++)
				filled |= !isspace((unsigned char)s[i]);
		}
		if (filled)
			check_evidence_item(&item, row, a,
					    &out->evidence[out->nevidence++],
					    errs);
	}
	if (!out->nevidence)
		evidence_missing(errs);
}

static void get_evidence_json(const struct source *src, struct arena *a,
			      struct submit_audit *out,
			      struct submit_errors *errs)
{
	json_t *v = json_object_get(src->obj, AUDIT_KEY(evidence));
	if (!v || json_is_null(v) || !json_is_array(v) ||
	    json_array_size(v) == 0 ||
	    json_array_size(v) > SUBMIT_EVIDENCE_MAX) {
		evidence_missing(errs);
		return;
	}
	out->nevidence = json_array_size(v);
	out->evidence = arena_array(a, out->nevidence, sizeof(*out->evidence));
	for (size_t i = 0; i < out->nevidence; i++) {
		json_t *obj = json_array_get(v, i);
		if (!json_is_object(obj)) {
			size_t first = errs->n;
			fail(errs, NULL,
			     "it must be an object with a title and a url");
			file_under_evidence(errs, first, i + 1);
			continue;
		}
		struct source item = { .fmt = SUBMIT_JSON, .obj = obj };
		check_evidence_item(&item, i + 1, a, &out->evidence[i], errs);
	}
}

int submit_audit_parse(const char *body, size_t len, enum submit_format fmt,
		       const struct submit_rules *rules, struct arena *a,
		       struct submit_audit *out, struct submit_errors *errs)
{
	memset(out, 0, sizeof(*out));
	errors_clear(errs);
	struct source src;
	if (source_open(body, len, fmt, a, &src, errs) != 0) {
		source_close(&src);
		return -1;
	}
	bool form = fmt == SUBMIT_FORM;
	source_known_keys(&src, audit_key_known, errs);
	if (!get_text(&src, "record", SUBMIT_ID_MAX, false, true, a,
		      &out->record, errs))
		check_record(out->record, rules, errs);
	if (!get_text(&src, "email", SUBMIT_EMAIL_MAX, false, true, a,
		      &out->email, errs))
		check_email(out->email, errs);
	const char *s = NULL, *key = AUDIT_KEY(tier);
	if (!get_text(&src, key, 40, false, false, a, &s, errs) && s &&
	    record_tier_parse(s) != (int)AUDIT_CROWD_VERIFIED)
		fail(errs, key, "`%s` of a submitted audit is always %s", key,
		     record_tier_id(AUDIT_CROWD_VERIFIED));
	get_date(&src, rules, a, &out->date, errs);
	key = AUDIT_KEY(signup_channel);
	if (!get_text(&src, key, 40, false, true, a, &s, errs)) {
		int c = record_channel_parse(s);
		if (c < 0) {
			struct buf allowed = BUF_INIT;
			for (int i = 0; i < CHANNEL_COUNT; i++)
				buf_printf(&allowed, "%s%s", i ? ", " : "",
					   record_channel_id((enum channel)i));
			fail(errs, key, "`%s` must be one of %s (got `%.40s`)",
			     key, buf_cstr(&allowed), s);
			buf_free(&allowed);
		} else {
			out->signup_channel = (enum channel)c;
		}
	}
	get_bool(&src, AUDIT_KEY(online_path), &out->online_path, errs);
	double d = 0;
	int steps_rc = get_number(&src, AUDIT_KEY(steps), SUBMIT_STEPS_MAX,
				  true, a, &d, errs);
	out->steps = (int)d;
	get_path(&src, steps_rc ? -1 : out->steps, a, out, errs);
	get_keyword(&src, AUDIT_KEY(retention), a, &out->retention, errs);
	get_bool(&src, AUDIT_KEY(channel_symmetry), &out->channel_symmetry,
		 errs);
	get_keyword(&src, AUDIT_KEY(confirmation), a, &out->confirmation, errs);
	get_number(&src, AUDIT_KEY(minutes), SUBMIT_MINUTES_MAX, false, a,
		   &out->minutes, errs);
	get_bool(&src, AUDIT_KEY(clean_exit), &out->clean_exit, errs);
	get_text(&src, AUDIT_KEY(notes), SUBMIT_TEXT_MAX, true, false, a,
		 &out->notes, errs);
	if (form)
		get_evidence_form(&src, a, out, errs);
	else
		get_evidence_json(&src, a, out, errs);
	source_close(&src);
	return errs->n ? -1 : 0;
}
