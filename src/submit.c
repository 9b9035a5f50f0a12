/*
 * submit.c - parse and check what the public sends.
 *
 * A body is read into a small field source (a JSON object, or the pairs of
 * a form) and every field is then checked by one rule, so both encodings
 * give the same answers and the same messages. Checks stop at the first
 * problem and name its field, which is what a client needs to fix it.
 * Vocabularies (channels, retention, confirmation) come from the record
 * format and the methodology table, never from lists kept here; the
 * result is a plain struct whose strings live in the caller's arena, so a
 * request's memory is released all at once.
 */
#include "submit.h"
#include "esc.h"
#include "method.h"
#include "utf8.h"
#include "validate.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The record format's fields a correction may name (SPEC.md, "A
 * record"); the policy dimension ids are accepted too. */
static const char *const record_fields[] = {
	"name",	    "industry",	     "jurisdiction", "reviewed", "channels",
	"summary",  "official_page", "refund_page",  "exit_fee", "pause",
	"deletion", "policy",	     "why",	     "evidence", "flow",
};

static const char *const correction_keys[] = {
	"record", "field", "wrong", "proposed", "evidence_url", "email",
};

static const char *const audit_keys[] = {
	"record",	  "email",
	"date",		  "tier",
	"signup_channel", "online_path",
	"steps",	  "path",
	"retention",	  "channel_symmetry",
	"confirmation",	  "minutes",
	"clean_exit",	  "notes",
	"evidence",
};

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

static int fail(struct submit_error *err, const char *field, const char *fmt,
		...) ATLAS_PRINTF(3, 4);

static int fail(struct submit_error *err, const char *field, const char *fmt,
		...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	err->field = field;
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
	if (in_list(name, record_fields, ATLAS_COUNT(record_fields)))
		return true;
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

static int form_parse(const char *body, size_t len, struct arena *a,
		      struct source *src, struct submit_error *err)
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
		struct pair pr;
		size_t key_len;
		if (form_decode(p, klen, a, &pr.key, &key_len) ||
		    (eq &&
		     form_decode(eq + 1, n - klen - 1, a, &pr.value, &pr.len)))
			return fail(err, NULL,
				    "malformed form data: a %% escape is "
				    "not two hexadecimal digits");
		if (!eq) {
			pr.value = "";
			pr.len = 0;
		}
		if (strlen(pr.key) != key_len)
			return fail(err, NULL, "malformed form data");
		for (size_t j = 0; j < src->npairs; j++)
			if (!strcmp(src->pairs[j].key, pr.key))
				return fail(err, pr.key, "`%s` is given twice",
					    pr.key);
		src->pairs[src->npairs++] = pr;
	}
	return 0;
}

/* ---- sources --------------------------------------------------------- */

static int source_open(const char *body, size_t len, enum submit_format fmt,
		       struct arena *a, struct source *src,
		       struct submit_error *err)
{
	memset(src, 0, sizeof(*src));
	src->fmt = fmt;
	if (fmt == SUBMIT_FORM)
		return form_parse(body, len, a, src, err);
	json_error_t je;
	src->obj = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (!src->obj)
		return fail(err, NULL,
			    "malformed JSON at line %d, column %d: %s", je.line,
			    je.column, je.text);
	if (!json_is_object(src->obj))
		return fail(err, NULL, "the body must be a JSON object");
	return 0;
}

static void source_close(struct source *src)
{
	json_decref(src->obj);
	src->obj = NULL;
}

/* Refuse any key not in @keys. */
static int source_known_keys(const struct source *src, const char *const *keys,
			     size_t n, struct submit_error *err)
{
	if (src->fmt == SUBMIT_FORM) {
		for (size_t i = 0; i < src->npairs; i++)
			if (!in_list(src->pairs[i].key, keys, n))
				return fail(err, NULL, "unknown field `%.60s`",
					    src->pairs[i].key);
		return 0;
	}
	const char *key;
	json_t *v;
	json_object_foreach (src->obj, key, v) {
		if (!in_list(key, keys, n))
			return fail(err, NULL, "unknown field `%.60s`", key);
	}
	return 0;
}

/*
 * Check and copy one text value. Surrounding white space is dropped; a
 * multi-line text keeps line breaks (CR LF becomes LF) and tabs, other
 * control characters are refused anywhere.
 * Returns: 0 with *out set, 1 when the text is empty, -1 on a problem.
 */
static int clean_text(const char *field, const char *s, size_t len,
		      size_t max_chars, bool multiline, struct arena *a,
		      const char **out, struct submit_error *err)
{
	if (utf8_check(s, len) != len)
		return fail(err, field, "`%s` is not valid UTF-8", field);
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
			return fail(err, field,
				    "`%s` holds a control character%s", field,
				    multiline ? "" : " or a line break");
		d[n++] = (char)c;
	}
	d[n] = '\0';
	if (utf8_chars(d, n) > max_chars)
		return fail(err, field, "`%s` is longer than %zu characters",
			    field, max_chars);
	*out = d;
	return 0;
}

/*
 * A text field: *out is NULL when absent or empty, and then an error if
 * @required. Returns 0 or -1.
 */
static int get_text(const struct source *src, const char *field,
		    size_t max_chars, bool multiline, bool required,
		    struct arena *a, const char **out, struct submit_error *err)
{
	const char *s = NULL;
	size_t len = 0;
	*out = NULL;
	if (src->fmt == SUBMIT_FORM) {
		for (size_t i = 0; i < src->npairs; i++)
			if (!strcmp(src->pairs[i].key, field)) {
				s = src->pairs[i].value;
				len = src->pairs[i].len;
			}
	} else {
		json_t *v = json_object_get(src->obj, field);
		if (v && !json_is_null(v)) {
			if (!json_is_string(v))
				return fail(err, field, "`%s` must be a string",
					    field);
			s = json_string_value(v);
			len = json_string_length(v);
		}
	}
	int rc =
		s ? clean_text(field, s, len, max_chars, multiline, a, out, err)
		  : 1;
	if (rc < 0)
		return -1;
	if (rc == 1 && required)
		return fail(err, field, "`%s` is missing", field);
	return 0;
}

static int check_record(const char *id, const struct submit_rules *rules,
			struct submit_error *err)
{
	if (strlen(id) > SUBMIT_ID_MAX || !validate_slug(id))
		return fail(err, "record",
			    "`record` must be a record id such as coursera");
	if (!rules->record_exists(rules->user, id))
		return fail(err, "record", "no record `%s` is published", id);
	return 0;
}

static int check_url(const char *field, const char *url,
		     struct submit_error *err)
{
	if (!validate_url(url))
		return fail(err, field,
			    "`%s` must be an absolute http:// or https:// URL",
			    field);
	return 0;
}

static int check_email(const char *email, struct submit_error *err)
{
	if (email && !submit_email_valid(email))
		return fail(err, "email",
			    "`email` is not an email address such as "
			    "name@example.com");
	return 0;
}

int submit_correction_parse(const char *body, size_t len,
			    enum submit_format fmt,
			    const struct submit_rules *rules, struct arena *a,
			    struct submit_correction *out,
			    struct submit_error *err)
{
	memset(out, 0, sizeof(*out));
	err->field = NULL;
	err->message[0] = '\0';
	struct source src;
	int rc = source_open(body, len, fmt, a, &src, err);
	if (rc == 0)
		rc = source_known_keys(&src, correction_keys,
				       ATLAS_COUNT(correction_keys), err);
	if (rc == 0)
		rc = get_text(&src, "record", SUBMIT_ID_MAX, false, true, a,
			      &out->record, err);
	if (rc == 0)
		rc = check_record(out->record, rules, err);
	if (rc == 0)
		rc = get_text(&src, "field", 40, false, true, a, &out->field,
			      err);
	if (rc == 0 && !submit_field_known(out->field))
		rc = fail(err, "field",
			  "`field` must name a field of the record format "
			  "or a policy dimension (got `%.40s`)",
			  out->field);
	if (rc == 0)
		rc = get_text(&src, "wrong", SUBMIT_TEXT_MAX, true, true, a,
			      &out->wrong, err);
	if (rc == 0)
		rc = get_text(&src, "proposed", SUBMIT_TEXT_MAX, true, true, a,
			      &out->proposed, err);
	if (rc == 0)
		rc = get_text(&src, "evidence_url", SUBMIT_URL_MAX, false, true,
			      a, &out->evidence_url, err);
	if (rc == 0)
		rc = check_url("evidence_url", out->evidence_url, err);
	if (rc == 0)
		rc = get_text(&src, "email", SUBMIT_EMAIL_MAX, false, false, a,
			      &out->email, err);
	if (rc == 0)
		rc = check_email(out->email, err);
	source_close(&src);
	return rc;
}

/* ---- audits ---------------------------------------------------------- */

static int get_bool(json_t *obj, const char *field, bool *out,
		    struct submit_error *err)
{
	json_t *v = json_object_get(obj, field);
	if (!v || json_is_null(v))
		return fail(err, field, "`%s` is missing", field);
	if (!json_is_boolean(v))
		return fail(err, field, "`%s` must be true or false", field);
	*out = json_is_true(v);
	return 0;
}

static int get_number(json_t *obj, const char *field, double max, bool whole,
		      double *out, struct submit_error *err)
{
	json_t *v = json_object_get(obj, field);
	if (!v || json_is_null(v))
		return fail(err, field, "`%s` is missing", field);
	if (whole ? !json_is_integer(v) : !json_is_number(v))
		return fail(err, field, "`%s` must be a %s", field,
			    whole ? "whole number" : "number");
	double d = json_number_value(v);
	if (!isfinite(d) || d < 0 || d > max)
		return fail(err, field, "`%s` must be from 0 to %g", field,
			    max);
	*out = d;
	return 0;
}

/* A keyword of a flow dimension's vocabulary, as the table spells it. */
static int get_keyword(const struct source *src, const char *field,
		       const char *dim_id, struct arena *a, const char **out,
		       struct submit_error *err)
{
	const char *s;
	if (get_text(src, field, 40, false, true, a, &s, err))
		return -1;
	const struct method_tier *flow = &method_current()->flow;
	int i = method_dim_index(flow, dim_id);
	const struct method_level *l =
		i < 0 ? NULL : method_level_for_key(&flow->dims[i], s);
	if (!l) {
		struct buf allowed = BUF_INIT;
		if (i >= 0)
			method_levels_put(&flow->dims[i], &allowed);
		fail(err, field, "`%s` must be one of %s (got `%.40s`)", field,
		     buf_cstr(&allowed), s);
		buf_free(&allowed);
		return -1;
	}
	*out = l->match;
	return 0;
}

static int get_date(const struct source *src, const struct submit_rules *rules,
		    struct arena *a, date_days *out, struct submit_error *err)
{
	const char *s;
	if (get_text(src, "date", DATE_ISO_LEN, false, true, a, &s, err))
		return -1;
	if (date_parse(s, strlen(s), out))
		return fail(err, "date",
			    "`date` must be a real day written YYYY-MM-DD");
	if (*out > rules->today)
		return fail(err, "date", "`date` is in the future");
	if (*out < date_from_ymd(2000, 1, 1))
		return fail(err, "date", "`date` is before 2000");
	return 0;
}

static int get_path(json_t *obj, struct arena *a, struct submit_audit *out,
		    struct submit_error *err)
{
	json_t *v = json_object_get(obj, "path");
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v) || json_array_size(v) == 0 ||
	    json_array_size(v) > SUBMIT_PATH_MAX)
		return fail(err, "path",
			    "`path` must be a list of 1 to %d step "
			    "descriptions",
			    SUBMIT_PATH_MAX);
	out->npath = json_array_size(v);
	out->path = arena_array(a, out->npath, sizeof(*out->path));
	for (size_t i = 0; i < out->npath; i++) {
		json_t *step = json_array_get(v, i);
		int rc = json_is_string(step)
				 ? clean_text("path", json_string_value(step),
					      json_string_length(step),
					      SUBMIT_TITLE_MAX, false, a,
					      &out->path[i], err)
				 : 1;
		if (rc < 0)
			return -1;
		if (rc > 0)
			return fail(err, "path",
				    "`path` step %zu must be a non-empty text",
				    i + 1);
	}
	if ((int)out->npath != out->steps)
		return fail(err, "path",
			    "`path` lists %zu steps but `steps` is %d",
			    out->npath, out->steps);
	return 0;
}

static int get_evidence(json_t *obj, struct arena *a, struct submit_audit *out,
			struct submit_error *err)
{
	json_t *v = json_object_get(obj, "evidence");
	if (!v || json_is_null(v))
		return fail(err, "evidence", "`evidence` is missing");
	if (!json_is_array(v) || json_array_size(v) == 0 ||
	    json_array_size(v) > SUBMIT_EVIDENCE_MAX)
		return fail(err, "evidence",
			    "`evidence` must be a list of 1 to %d items, each "
			    "with a title and a url",
			    SUBMIT_EVIDENCE_MAX);
	out->nevidence = json_array_size(v);
	out->evidence = arena_array(a, out->nevidence, sizeof(*out->evidence));
	for (size_t i = 0; i < out->nevidence; i++) {
		json_t *item = json_array_get(v, i);
		struct submit_evidence *e = &out->evidence[i];
		if (!json_is_object(item))
			return fail(err, "evidence",
				    "`evidence` item %zu must be an object "
				    "with a title and a url",
				    i + 1);
		struct source src = { .fmt = SUBMIT_JSON, .obj = item };
		if (source_known_keys(&src, evidence_keys,
				      ATLAS_COUNT(evidence_keys), err) ||
		    get_text(&src, "title", SUBMIT_TITLE_MAX, false, true, a,
			     &e->title, err) ||
		    get_text(&src, "url", SUBMIT_URL_MAX, false, true, a,
			     &e->url, err) ||
		    check_url("url", e->url, err) ||
		    get_text(&src, "sha256", 64, false, false, a, &e->sha256,
			     err)) {
			/* Name the list, which is the field the client sent. */
			char inner[sizeof(err->message)];
			snprintf(inner, sizeof(inner), "%s", err->message);
			return fail(err, "evidence", "`evidence` item %zu: %s",
				    i + 1, inner);
		}
		if (e->sha256 && !validate_sha256(e->sha256))
			return fail(err, "evidence",
				    "`evidence` item %zu: `sha256` must be 64 "
				    "hexadecimal digits",
				    i + 1);
		if (e->sha256) {
			char *lower = arena_strdup(a, e->sha256);
			for (char *p = lower; *p; p++)
				*p = (char)tolower((unsigned char)*p);
			e->sha256 = lower;
		}
	}
	return 0;
}

int submit_audit_parse(const char *body, size_t len,
		       const struct submit_rules *rules, struct arena *a,
		       struct submit_audit *out, struct submit_error *err)
{
	memset(out, 0, sizeof(*out));
	err->field = NULL;
	err->message[0] = '\0';
	struct source src;
	int rc = source_open(body, len, SUBMIT_JSON, a, &src, err);
	json_t *o = src.obj;
	const char *s = NULL;
	double d = 0;
	if (rc == 0)
		rc = source_known_keys(&src, audit_keys,
				       ATLAS_COUNT(audit_keys), err);
	if (rc == 0)
		rc = get_text(&src, "record", SUBMIT_ID_MAX, false, true, a,
			      &out->record, err);
	if (rc == 0)
		rc = check_record(out->record, rules, err);
	if (rc == 0)
		rc = get_text(&src, "email", SUBMIT_EMAIL_MAX, false, true, a,
			      &out->email, err);
	if (rc == 0)
		rc = check_email(out->email, err);
	if (rc == 0)
		rc = get_text(&src, "tier", 40, false, false, a, &s, err);
	if (rc == 0 && s && record_tier_parse(s) != (int)AUDIT_CROWD_VERIFIED)
		rc = fail(err, "tier",
			  "`tier` of a submitted audit is always "
			  "crowd_verified");
	if (rc == 0)
		rc = get_date(&src, rules, a, &out->date, err);
	if (rc == 0)
		rc = get_text(&src, "signup_channel", 40, false, true, a, &s,
			      err);
	if (rc == 0) {
		int c = record_channel_parse(s);
		if (c < 0)
			rc = fail(err, "signup_channel",
				  "`signup_channel` must be one of online, "
				  "in-app, app-store, email, chat, phone, "
				  "postal-mail, in-person (got `%.40s`)",
				  s);
		else
			out->signup_channel = (enum channel)c;
	}
	if (rc == 0)
		rc = get_bool(o, "online_path", &out->online_path, err);
	if (rc == 0)
		rc = get_number(o, "steps", SUBMIT_STEPS_MAX, true, &d, err);
	out->steps = (int)d;
	if (rc == 0)
		rc = get_path(o, a, out, err);
	if (rc == 0)
		rc = get_keyword(&src, "retention", "retention", a,
				 &out->retention, err);
	if (rc == 0)
		rc = get_bool(o, "channel_symmetry", &out->channel_symmetry,
			      err);
	if (rc == 0)
		rc = get_keyword(&src, "confirmation", "confirmation", a,
				 &out->confirmation, err);
	if (rc == 0)
		rc = get_number(o, "minutes", SUBMIT_MINUTES_MAX, false,
				&out->minutes, err);
	if (rc == 0)
		rc = get_bool(o, "clean_exit", &out->clean_exit, err);
	if (rc == 0)
		rc = get_text(&src, "notes", SUBMIT_TEXT_MAX, true, false, a,
			      &out->notes, err);
	if (rc == 0)
		rc = get_evidence(o, a, out, err);
	source_close(&src);
	return rc;
}
