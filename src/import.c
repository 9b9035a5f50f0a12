/*
 * import.c - companies.json entries (ours or the reference system's) into
 * record files.
 *
 * Each company becomes a struct record through a few translations: channel
 * labels to ids, the reference's "offered. ..." pause strings and URL-ended
 * deletion strings to their parts, "(accessed DATE)" in source titles to
 * evidence dates, industry spellings to data/industries.yaml. What cannot
 * be translated is an error naming the company, which is skipped while the
 * rest go on. A record is written by record_yaml_write() to a temporary
 * file, read back through the loader and the validator as `check` would,
 * and only then linked into place, so a rule the importer does not know
 * still stops it with the checker's own code. Scores are recomputed; a
 * stated score that differs is reported, never copied.
 */
#include "import.h"
#include "arena.h"
#include "buf.h"
#include "dataset.h"
#include "juris.h"
#include "method.h"
#include "record_yaml.h"
#include "score.h"
#include "utf8.h"
#include "validate.h"
#include "yaml_load.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Longest id the importer makes from a name. */
#define IMPORT_SLUG_MAX 64

/* ---- a set of the ids imported so far -------------------------------- */

struct id_slot {
	char *id;
	size_t index; /* the company that took it */
};

struct id_set {
	struct id_slot *slots;
	size_t cap, n;
};

/* FNV-1a. */
static size_t id_hash(const char *s)
{
	uint64_t h = 14695981039346656037u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return (size_t)h;
}

static struct id_slot *id_find(const struct id_set *set, const char *id)
{
	if (!set->cap)
		return NULL;
	for (size_t i = id_hash(id) & (set->cap - 1);;
	     i = (i + 1) & (set->cap - 1)) {
		if (!set->slots[i].id)
			return &set->slots[i];
		if (!strcmp(set->slots[i].id, id))
			return &set->slots[i];
	}
}

static void id_add(struct id_set *set, const char *id, size_t index)
{
	if (2 * (set->n + 1) > set->cap) {
		struct id_set grown = { NULL, set->cap ? set->cap * 2 : 64, 0 };
		grown.slots = xcalloc(grown.cap, sizeof(*grown.slots));
		for (size_t i = 0; i < set->cap; i++)
			if (set->slots[i].id)
				*id_find(&grown, set->slots[i].id) =
					set->slots[i];
		grown.n = set->n;
		free(set->slots);
		*set = grown;
	}
	*id_find(set, id) = (struct id_slot){ xstrdup(id), index };
	set->n++;
}

static void id_set_free(struct id_set *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slots[i].id);
	free(set->slots);
}

/* ---- the import and one company -------------------------------------- */

struct importer {
	const char *file; /* the JSON file, for diagnostics */
	const char *records_dir;
	const struct import_opts *opts;
	const struct method *m;
	struct industry *industries;
	size_t nindustries;
	FILE *report;
	struct diag *d;
	struct id_set ids;
	struct import_stats st;
};

struct company {
	struct importer *im;
	size_t index;
	char label[160]; /* "companies[3] (acme)" */
	struct arena *arena;
	struct record *r;
	struct buf notes; /* report lines, printed once it is imported */
	int stated_score, stated_flow_score;
	char stated_grade, stated_flow_grade;
	bool bad;
};

/* User text as a message can show it: hidden characters made visible,
 * long text cut. */
static const char *shown(struct company *c, const char *s)
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

static void fail(struct company *c, enum diag_code code, const char *fmt, ...)
	ATLAS_PRINTF(3, 4);

/* An error about the company: it will be skipped. */
static void fail(struct company *c, enum diag_code code, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	diag_add(c->im->d, code, c->im->file, 0, 0, "%s: %s", c->label,
		 buf_cstr(&msg));
	buf_free(&msg);
	c->bad = true;
}

static void note(struct company *c, const char *fmt, ...) ATLAS_PRINTF(2, 3);

/* A line for the report: something read as something else. */
static void note(struct company *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_printf(&c->notes, "%s: ", c->r->id.s ? c->r->id.s : c->label);
	buf_vprintf(&c->notes, fmt, ap);
	buf_putc(&c->notes, '\n');
	va_end(ap);
}

static const char *json_kind(const json_t *v)
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
static json_t *member(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_null(v) ? NULL : v;
}

static struct text make_text(struct company *c, const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	return (struct text){ arena_strndup(c->arena, s, len), len, { 0, 0 } };
}

/*
 * A text member: trimmed of surrounding white space. @what names it in
 * messages ("policy.policy_url"). Returns false, with an error when
 * @required, if it is absent, not a string or empty.
 */
static bool get_text(struct company *c, const json_t *o, const char *key,
		     const char *what, bool required, struct text *out)
{
	json_t *v = member(o, key);
	if (!v) {
		if (required)
			fail(c, DIAG_MISSING_KEY, "`%s` is missing", what);
		return false;
	}
	if (!json_is_string(v)) {
		fail(c, DIAG_BAD_TYPE, "`%s` must be a string, not %s", what,
		     json_kind(v));
		return false;
	}
	struct text t =
		make_text(c, json_string_value(v), json_string_length(v));
	if (!t.len) {
		if (required)
			fail(c, DIAG_EMPTY_VALUE, "`%s` is empty", what);
		return false;
	}
	*out = t;
	return true;
}

static bool check_url(struct company *c, const struct text *t, const char *what)
{
	if (validate_url(t->s))
		return true;
	fail(c, DIAG_BAD_URL,
	     "`%s` must be an absolute http:// or https:// URL (got `%s`)",
	     what, shown(c, t->s));
	return false;
}

static bool get_url(struct company *c, const json_t *o, const char *key,
		    const char *what, bool required, struct text *out)
{
	struct text t;
	if (!get_text(c, o, key, what, required, &t) || !check_url(c, &t, what))
		return false;
	*out = t;
	return true;
}

/* A date in YYYY-MM-DD that is real and not after today. */
static bool parse_date(struct company *c, const char *s, size_t len,
		       const char *what, struct date_value *out)
{
	date_days days;
	int rc = date_parse(s, len, &days);
	if (rc == -1) {
		fail(c, DIAG_BAD_DATE,
		     "`%s` must be a date written YYYY-MM-DD (got `%s`)", what,
		     shown(c, s));
		return false;
	}
	if (rc == -2) {
		fail(c, DIAG_BAD_DATE, "`%s`: %s is not a real calendar date",
		     what, shown(c, s));
		return false;
	}
	if (days > c->im->opts->today) {
		char today[DATE_ISO_LEN + 1];
		date_format(c->im->opts->today, today);
		fail(c, DIAG_FUTURE_DATE,
		     "`%s` %s is in the future (today is %s)", what,
		     shown(c, s), today);
		return false;
	}
	*out = (struct date_value){ days, true, { 0, 0 } };
	return true;
}

static bool get_date(struct company *c, const json_t *o, const char *key,
		     const char *what, bool required, struct date_value *out)
{
	struct text t;
	return get_text(c, o, key, what, required, &t) &&
	       parse_date(c, t.s, t.len, what, out);
}

static bool get_flag(struct company *c, const json_t *o, const char *key,
		     const char *what, bool required, struct flag *out)
{
	json_t *v = member(o, key);
	if (!v) {
		if (required)
			fail(c, DIAG_MISSING_KEY, "`%s` is missing", what);
		return false;
	}
	if (!json_is_boolean(v)) {
		fail(c, DIAG_BAD_TYPE, "`%s` must be true or false, not %s",
		     what, json_kind(v));
		return false;
	}
	*out = (struct flag){ json_is_true(v), true, { 0, 0 } };
	return true;
}

static bool get_number(struct company *c, const json_t *o, const char *key,
		       const char *what, struct number *out)
{
	json_t *v = member(o, key);
	if (!v) {
		fail(c, DIAG_MISSING_KEY, "`%s` is missing", what);
		return false;
	}
	if (!json_is_number(v)) {
		fail(c, DIAG_BAD_TYPE, "`%s` must be a number, not %s", what,
		     json_kind(v));
		return false;
	}
	*out = (struct number){ json_number_value(v), true, { 0, 0 } };
	return true;
}

/* ---- translations ---------------------------------------------------- */

/* ASCII spellings of U+00C0..U+00FF for ids made from names. */
static const char *const latin1_ascii[64] = {
	"a", "a", "a", "a", "a",  "a",	"ae", "c", "e", "e", "e",  "e", "i",
	"i", "i", "i", "d", "n",  "o",	"o",  "o", "o", "o", "",   "o", "u",
	"u", "u", "u", "y", "th", "ss", "a",  "a", "a", "a", "a",  "a", "ae",
	"c", "e", "e", "e", "e",  "i",	"i",  "i", "i", "d", "n",  "o", "o",
	"o", "o", "o", "",  "o",  "u",	"u",  "u", "u", "y", "th", "y",
};

/* A slug from a name: "Café Zürich's" -> "cafe-zurichs". */
static void slugify(const char *s, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), n = 0;
	for (size_t i = 0; i < len && n + 4 < size;) {
		uint32_t cp;
		size_t k = utf8_decode(p + i, len - i, &cp);
		if (!k)
			k = 1, cp = '-';
		i += k;
		const char *ascii = NULL;
		char one[2] = { 0, 0 };
		if (cp < 0x80 && isalnum((int)cp))
			one[0] = (char)tolower((int)cp), ascii = one;
		else if (cp >= 0xc0 && cp <= 0xff)
			ascii = latin1_ascii[cp - 0xc0];
		else if (cp == '\'' || cp == 0x2019)
			continue; /* "Macy's" -> "macys" */
		if (ascii && *ascii) {
			for (; *ascii && n + 1 < size; ascii++)
				out[n++] = *ascii;
		} else if (n && out[n - 1] != '-') {
			out[n++] = '-';
		}
	}
	if (n > IMPORT_SLUG_MAX) {
		n = IMPORT_SLUG_MAX;
		while (n && out[n] != '-')
			n--;
		if (!n)
			n = IMPORT_SLUG_MAX;
	}
	while (n && out[n - 1] == '-')
		n--;
	out[n] = '\0';
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a > b && !strcmp(s + a - b, suffix);
}

static void read_jurisdiction(struct company *c, const json_t *j)
{
	struct text t;
	if (!get_text(c, j, "jurisdiction", "jurisdiction", true, &t))
		return;
	if (juris_lookup(t.s)) {
		c->r->jurisdiction = t;
		return;
	}
	/* Only the case is normalised: "uk" is UK, and GB stays GB. */
	char upper[16];
	if (t.len < sizeof(upper)) {
		for (size_t i = 0; i <= t.len; i++)
			upper[i] = (char)toupper((unsigned char)t.s[i]);
		if (juris_lookup(upper)) {
			c->r->jurisdiction = make_text(c, upper, t.len);
			return;
		}
	}
	fail(c, DIAG_UNKNOWN_JURISDICTION,
	     "unknown jurisdiction `%s`; use an ISO 3166-1 alpha-2 code, UK, "
	     "EU, or an ISO 3166-2 subdivision such as US-CA",
	     shown(c, t.s));
}

/*
 * The record id: the file's when it is a slug, else one made from the
 * name; either way ending in -<jurisdiction> outside the US, as check
 * requires.
 */
static void read_id(struct company *c, const json_t *j)
{
	struct record *r = c->r;
	char suffix[24] = "";
	const char *jur = r->jurisdiction.s;
	if (jur && strcmp(jur, "US") && strlen(jur) + 2 < sizeof(suffix)) {
		suffix[0] = '-';
		for (size_t i = 0; jur[i]; i++)
			suffix[i + 1] = (char)tolower((unsigned char)jur[i]);
		suffix[strlen(jur) + 1] = '\0';
	}
	json_t *v = member(j, "id");
	const char *given = json_is_string(v) ? json_string_value(v) : NULL;
	char base[IMPORT_SLUG_MAX * 4 + 8];
	bool from_name = !given || !validate_slug(given);
	if (!from_name)
		snprintf(base, sizeof(base), "%s", given);
	else if (r->name.s)
		slugify(r->name.s, base, sizeof(base));
	else
		return; /* the missing name is already an error */
	if (!*base) {
		fail(c, DIAG_BAD_ID,
		     "no usable id, and none can be made from the name `%s`",
		     shown(c, r->name.s));
		return;
	}
	struct buf id = BUF_INIT;
	buf_puts(&id, base);
	if (*suffix && !ends_with(base, suffix))
		buf_puts(&id, suffix);
	r->id = make_text(c, id.data, id.len);
	buf_free(&id);
	if (from_name && v)
		note(c, "the id `%s` is not a slug; imported as `%s`",
		     shown(c, given ? given : json_kind(v)), r->id.s);
	else if (from_name)
		note(c, "no id given; imported as `%s`", r->id.s);
	else if (strcmp(given, r->id.s))
		note(c,
		     "the id `%s` lacks the jurisdiction suffix `%s`; "
		     "imported as `%s`",
		     given, suffix, r->id.s);
}

/* "Gym and Fitness", "gym-fitness", "GYM & FITNESS" -> "gymfitness". */
static void industry_key(const char *s, char *out, size_t size)
{
	size_t n = 0;
	while (*s) {
		while (*s && !isalnum((unsigned char)*s))
			s++;
		size_t w = 0;
		while (isalnum((unsigned char)s[w]))
			w++;
		bool skip = w == 3 && !strncasecmp(s, "and", 3);
		for (size_t i = 0; i < w && !skip && n + 1 < size; i++)
			out[n++] = (char)tolower((unsigned char)s[i]);
		s += w;
	}
	out[n] = '\0';
}

static void read_industry(struct company *c, const json_t *j)
{
	struct text t;
	if (!get_text(c, j, "industry", "industry", true, &t))
		return;
	const struct importer *im = c->im;
	char want[128], have[128];
	industry_key(t.s, want, sizeof(want));
	for (size_t pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < im->nindustries; i++) {
			const struct industry *ind = &im->industries[i];
			bool match;
			if (pass == 0) {
				match = !strcmp(ind->name.s, t.s);
			} else {
				industry_key(ind->name.s, have, sizeof(have));
				match = *want && !strcmp(want, have);
				industry_key(ind->slug.s, have, sizeof(have));
				match = match || (*want && !strcmp(want, have));
			}
			if (!match)
				continue;
			c->r->industry = ind->name;
			if (pass)
				note(c, "industry `%s` read as `%s`",
				     shown(c, t.s), ind->name.s);
			return;
		}
	}
	const char **names = xmalloc((im->nindustries + 1) * sizeof(*names));
	for (size_t i = 0; i < im->nindustries; i++)
		names[i] = im->industries[i].name.s;
	const char *hint = diag_suggest(t.s, names, im->nindustries);
	free(names);
	/* "Meal kits" for "Meal kits & food": a hint, never a guess. */
	for (size_t i = 0; !hint && *want && i < im->nindustries; i++) {
		industry_key(im->industries[i].name.s, have, sizeof(have));
		if (!strncmp(have, want, strlen(want)))
			hint = im->industries[i].name.s;
	}
	fail(c, DIAG_UNKNOWN_INDUSTRY,
	     "unknown industry `%s`%s%s%s; industries are listed in "
	     "industries.yaml",
	     shown(c, t.s), hint ? " (did you mean `" : "", hint ? hint : "",
	     hint ? "`?)" : "");
}

static void read_channels(struct company *c, const json_t *j)
{
	struct record *r = c->r;
	json_t *v = member(j, "cancellation_types");
	if (!v) {
		fail(c, DIAG_MISSING_KEY, "`cancellation_types` is missing");
		return;
	}
	if (!json_is_array(v)) {
		fail(c, DIAG_BAD_TYPE,
		     "`cancellation_types` must be a list, not %s",
		     json_kind(v));
		return;
	}
	size_t i;
	json_t *item;
	json_array_foreach (v, i, item) {
		if (!json_is_string(item)) {
			fail(c, DIAG_BAD_TYPE,
			     "`cancellation_types[%zu]` must be a string, not "
			     "%s",
			     i, json_kind(item));
			continue;
		}
		const char *label = json_string_value(item);
		int ch = record_channel_from_label(label);
		if (ch < 0) {
			struct buf all = BUF_INIT;
			for (int k = 0; k < CHANNEL_COUNT; k++)
				buf_printf(
					&all, "%s%s", k ? ", " : "",
					record_channel_label((enum channel)k));
			fail(c, DIAG_UNKNOWN_CHANNEL,
			     "unknown channel `%s` in cancellation_types; "
			     "channels are %s",
			     shown(c, label), buf_cstr(&all));
			buf_free(&all);
			continue;
		}
		if (!record_has_channel(r, (enum channel)ch))
			r->channels[r->nchannels++] = (enum channel)ch;
	}
	if (!json_array_size(v))
		fail(c, DIAG_EMPTY_VALUE,
		     "`cancellation_types` lists no channel");
}

/* "not offered. No pause ..." -> false, "No pause ..." */
static bool split_status(const char *s, bool *offered, const char **rest)
{
	static const struct {
		const char *word;
		bool offered;
	} words[] = { { "not offered", false }, { "offered", true } };
	for (size_t i = 0; i < ATLAS_COUNT(words); i++) {
		size_t n = strlen(words[i].word);
		if (strncasecmp(s, words[i].word, n) ||
		    isalnum((unsigned char)s[n]))
			continue;
		s += n;
		while (*s &&
		       (isspace((unsigned char)*s) || strchr(".,:;-", *s)))
			s++;
		/* An em or en dash after the word, as prose writes it. */
		if (!strncmp(s, "\u2014", 3) || !strncmp(s, "\u2013", 3))
			for (s += 3; isspace((unsigned char)*s);)
				s++;
		*offered = words[i].offered;
		*rest = s;
		return true;
	}
	return false;
}

static void read_pause(struct company *c, const json_t *j)
{
	struct record *r = c->r;
	json_t *v = member(j, "pause");
	const char *rest = "";
	bool offered;
	if (!v) {
		fail(c, DIAG_MISSING_KEY, "`pause` is missing");
		return;
	} else if (json_is_object(v)) {
		if (!get_flag(c, v, "offered", "pause.offered", true,
			      &r->pause_offered))
			return;
		get_text(c, v, "note", "pause.note", false, &r->pause_note);
		offered = r->pause_offered.v;
	} else if (json_is_boolean(v)) {
		offered = json_is_true(v);
	} else if (!json_is_string(v)) {
		fail(c, DIAG_BAD_TYPE,
		     "`pause` must be an object or a string, not %s",
		     json_kind(v));
		return;
	} else if (!split_status(json_string_value(v), &offered, &rest)) {
		fail(c, DIAG_BAD_VALUE,
		     "`pause` must start with \"offered\" or \"not offered\" "
		     "(got `%s`)",
		     shown(c, json_string_value(v)));
		return;
	}
	r->pause_offered = (struct flag){ offered, true, { 0, 0 } };
	if (!r->pause_note.s)
		r->pause_note = make_text(c, rest, strlen(rest));
	/* The status alone is the whole fact; say it in the note. */
	if (!r->pause_note.len) {
		const char *s = offered ? "Offered." : "Not offered.";
		r->pause_note = make_text(c, s, strlen(s));
	}
}

/* "Delete under Settings. https://x.example/privacy" -> note and URL. */
static void split_trailing_url(struct company *c, const char *s,
			       struct text *note_out, struct text *url_out)
{
	size_t len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	size_t start = len;
	while (start && !isspace((unsigned char)s[start - 1]))
		start--;
	size_t end = len;
	while (end > start && strchr(".,;", s[end - 1]))
		end--;
	if (end > start && (!strncasecmp(s + start, "https://", 8) ||
			    !strncasecmp(s + start, "http://", 7))) {
		*url_out = make_text(c, s + start, end - start);
		*note_out = make_text(c, s, start);
	} else {
		*note_out = make_text(c, s, len);
	}
}

static void read_deletion(struct company *c, const json_t *j)
{
	struct record *r = c->r;
	json_t *v = member(j, "data_deletion");
	if (!v) {
		fail(c, DIAG_MISSING_KEY, "`data_deletion` is missing");
		return;
	}
	if (json_is_object(v)) {
		get_text(c, v, "note", "data_deletion.note", true,
			 &r->deletion_note);
		get_url(c, v, "url", "data_deletion.url", false,
			&r->deletion_url);
		return;
	}
	if (!json_is_string(v)) {
		fail(c, DIAG_BAD_TYPE,
		     "`data_deletion` must be an object or a string, not %s",
		     json_kind(v));
		return;
	}
	struct text note_text = { NULL, 0, { 0, 0 } }, url = note_text;
	split_trailing_url(c, json_string_value(v), &note_text, &url);
	if (url.s && check_url(c, &url, "data_deletion"))
		r->deletion_url = url;
	if (!note_text.len)
		fail(c, DIAG_EMPTY_VALUE,
		     "`data_deletion` gives no note on how to delete the "
		     "account, only %s",
		     url.s ? "a URL" : "white space");
	else
		r->deletion_note = note_text;
}

static void read_levels(struct company *c, const json_t *policy)
{
	const struct method_tier *tier = &c->im->m->policy;
	json_t *scores = member(policy, "scores");
	if (!scores) {
		fail(c, DIAG_MISSING_KEY, "`policy.scores` is missing");
		return;
	}
	if (!json_is_object(scores)) {
		fail(c, DIAG_BAD_TYPE,
		     "`policy.scores` must be an object, not %s",
		     json_kind(scores));
		return;
	}
	for (size_t i = 0; i < tier->ndims; i++) {
		const struct method_dim *dim = &tier->dims[i];
		char what[64];
		snprintf(what, sizeof(what), "policy.scores.%s", dim->id);
		struct number *v = &c->r->policy[i];
		if (!get_number(c, scores, dim->id, what, v))
			continue;
		if (v->v != floor(v->v) || fabs(v->v) > 1000 ||
		    !method_level_find(dim, (int)v->v)) {
			struct buf allowed = BUF_INIT;
			method_levels_put(dim, &allowed);
			fail(c, DIAG_BAD_LEVEL,
			     "%s %g is not a rubric level; allowed: %s",
			     dim->id, v->v, buf_cstr(&allowed));
			buf_free(&allowed);
			v->set = false;
		}
	}
	const char *key;
	json_t *val;
	const char *names[METHOD_MAX_DIMS];
	for (size_t i = 0; i < tier->ndims; i++)
		names[i] = tier->dims[i].id;
	json_object_foreach (scores, key, val) {
		if (method_dim_index(tier, key) >= 0)
			continue;
		const char *hint = diag_suggest(key, names, tier->ndims);
		fail(c, DIAG_UNKNOWN_KEY,
		     "unknown policy dimension `%s` in policy.scores%s%s%s",
		     shown(c, key), hint ? " (did you mean `" : "",
		     hint ? hint : "", hint ? "`?)" : "");
	}
}

static void read_reasons(struct company *c, const json_t *policy)
{
	const struct method_tier *tier = &c->im->m->policy;
	json_t *reasons = member(policy, "reasons");
	if (!reasons)
		return;
	if (!json_is_object(reasons)) {
		fail(c, DIAG_BAD_TYPE,
		     "`policy.reasons` must be an object, not %s",
		     json_kind(reasons));
		return;
	}
	const char *key;
	json_t *val;
	json_object_foreach (reasons, key, val) {
		int d = method_dim_index(tier, key);
		if (d < 0) {
			fail(c, DIAG_UNKNOWN_KEY,
			     "unknown policy dimension `%s` in policy.reasons",
			     shown(c, key));
			continue;
		}
		char what[64];
		snprintf(what, sizeof(what), "policy.reasons.%s", key);
		get_text(c, reasons, key, what, false, &c->r->why[d]);
	}
}

/*
 * The reference writes a source's date into its title:
 * "Terms of Use | Coursera (accessed 2026-06-05)". Returns false when
 * the title has no such ending; the date is checked by the caller.
 */
static bool split_accessed(const struct text *title, size_t *title_len,
			   const char **date, size_t *date_len)
{
	const char *s = title->s;
	size_t len = title->len;
	if (!len || s[len - 1] != ')')
		return false;
	const char *open = NULL;
	for (size_t i = len; i-- > 0;)
		if (s[i] == '(') {
			open = s + i;
			break;
		}
	if (!open || strncasecmp(open, "(accessed", 9))
		return false;
	const char *d = open + 9;
	while (*d == ' ' || *d == ':')
		d++;
	*date = d;
	*date_len = (size_t)(s + len - 1 - d);
	while (*date_len && d[*date_len - 1] == ' ')
		(*date_len)--;
	*title_len = (size_t)(open - s);
	return true;
}

static void read_source(struct company *c, const json_t *src, size_t i,
			struct evidence *e)
{
	char what[64];
	snprintf(what, sizeof(what), "policy.sources[%zu]", i);
	if (!json_is_object(src)) {
		fail(c, DIAG_NOT_MAPPING,
		     "`%s` must be an object with title and url, not %s", what,
		     json_kind(src));
		return;
	}
	char key[128];
	snprintf(key, sizeof(key), "%s.url", what);
	get_url(c, src, "url", key, true, &e->url);
	snprintf(key, sizeof(key), "%s.title", what);
	if (!get_text(c, src, "title", key, true, &e->title))
		return;
	snprintf(key, sizeof(key), "%s.accessed", what);
	size_t title_len, date_len;
	const char *date;
	if (member(src, "accessed")) {
		get_date(c, src, "accessed", key, true, &e->accessed);
	} else if (split_accessed(&e->title, &title_len, &date, &date_len)) {
		char *day = arena_strndup(c->arena, date, date_len);
		snprintf(key, sizeof(key), "%s.title's accessed date", what);
		parse_date(c, day, date_len, key, &e->accessed);
		e->title = make_text(c, e->title.s, title_len);
		if (!e->title.len)
			fail(c, DIAG_EMPTY_VALUE,
			     "`%s.title` has a date but no title", what);
	} else {
		e->accessed = c->r->reviewed;
	}
	const struct date_value *rv = &c->r->reviewed;
	if (e->accessed.set && rv->set && e->accessed.days > rv->days) {
		char a[DATE_ISO_LEN + 1], b[DATE_ISO_LEN + 1];
		date_format(e->accessed.days, a);
		date_format(rv->days, b);
		fail(c, DIAG_EVIDENCE_AFTER_REVIEW,
		     "`%s` was accessed %s, after policy_checked %s", what, a,
		     b);
	}
}

static void read_sources(struct company *c, const json_t *policy)
{
	struct record *r = c->r;
	json_t *v = member(policy, "sources");
	if (!v) {
		fail(c, DIAG_MISSING_KEY, "`policy.sources` is missing");
		return;
	}
	if (!json_is_array(v)) {
		fail(c, DIAG_BAD_TYPE,
		     "`policy.sources` must be a list, not %s", json_kind(v));
		return;
	}
	if (!json_array_size(v)) {
		fail(c, DIAG_EMPTY_VALUE,
		     "`policy.sources` is empty; a record cites at least one "
		     "source");
		return;
	}
	r->evidence =
		arena_array(c->arena, json_array_size(v), sizeof(*r->evidence));
	size_t i;
	json_t *src;
	json_array_foreach (v, i, src)
		read_source(c, src, i, &r->evidence[r->nevidence++]);
}

/* A stated score and grade, kept to compare with ours. */
static void read_stated(struct company *c, const json_t *o, const char *tier,
			int *score, char *grade)
{
	*score = -1;
	*grade = 0;
	json_t *s = member(o, "score"), *g = member(o, "grade");
	if (s && (!json_is_number(s) || json_number_value(s) < 0 ||
		  json_number_value(s) > 100))
		fail(c, DIAG_BAD_TYPE, "`%s.score` must be a number 0-100",
		     tier);
	else if (s)
		*score = (int)lround(json_number_value(s));
	const char *letter = json_is_string(g) ? json_string_value(g) : NULL;
	if (g &&
	    (!letter || strlen(letter) != 1 ||
	     !method_grade(c->im->m, (char)toupper((unsigned char)*letter))))
		fail(c, DIAG_BAD_TYPE, "`%s.grade` must be a grade letter",
		     tier);
	else if (g)
		*grade = (char)toupper((unsigned char)*letter);
}

static void read_policy(struct company *c, const json_t *j)
{
	struct record *r = c->r;
	json_t *policy = member(j, "policy");
	if (!policy) {
		fail(c, DIAG_MISSING_KEY, "`policy` is missing");
		return;
	}
	if (!json_is_object(policy)) {
		fail(c, DIAG_BAD_TYPE, "`policy` must be an object, not %s",
		     json_kind(policy));
		return;
	}
	if (member(policy, "policy_checked"))
		get_date(c, policy, "policy_checked", "policy.policy_checked",
			 true, &r->reviewed);
	else
		get_date(c, j, "reviewed", "policy.policy_checked", true,
			 &r->reviewed);
	read_levels(c, policy);
	read_reasons(c, policy);
	get_text(c, policy, "policy_summary", "policy.policy_summary", true,
		 &r->summary);
	get_url(c, policy, "policy_url", "policy.policy_url", true,
		&r->official_page);
	get_url(c, policy, "refund_url", "policy.refund_url", false,
		&r->refund_page);
	struct flag fee;
	if (get_flag(c, policy, "exit_fee", "policy.exit_fee", false, &fee) &&
	    fee.v)
		r->exit_fee = fee;
	read_sources(c, policy);
	read_stated(c, policy, "policy", &c->stated_score, &c->stated_grade);
}

/* ---- flow audits ----------------------------------------------------- */

/* An audit field: from @facts when it has it, else from @o. */
static json_t *audit_member(const json_t *o, const json_t *facts,
			    const char *key, const char *alt)
{
	json_t *v = facts ? member(facts, key) : NULL;
	if (!v)
		v = member(o, key);
	if (!v && alt)
		v = member(o, alt);
	return v;
}

static void check_keyword(struct company *c, const struct text *t,
			  const char *field, const char *what)
{
	const struct method_tier *flow = &c->im->m->flow;
	for (size_t i = 0; i < flow->ndims; i++) {
		const struct method_dim *dim = &flow->dims[i];
		if (!dim->field || strcmp(dim->field, field) ||
		    method_level_for_key(dim, t->s))
			continue;
		struct buf allowed = BUF_INIT;
		method_levels_put(dim, &allowed);
		fail(c, DIAG_BAD_VALUE, "`%s` must be one of %s (got `%s`)",
		     what, buf_cstr(&allowed), shown(c, t->s));
		buf_free(&allowed);
	}
}

static void read_audit_files(struct company *c, const json_t *v,
			     const char *what, struct audit *a)
{
	a->evidence =
		arena_array(c->arena, json_array_size(v), sizeof(*a->evidence));
	size_t i;
	json_t *item;
	json_array_foreach (v, i, item) {
		char w[96];
		if (!json_is_object(item)) {
			fail(c, DIAG_NOT_MAPPING,
			     "`%s.evidence[%zu]` must be an object, not %s",
			     what, i, json_kind(item));
			continue;
		}
		struct audit_file *f = &a->evidence[a->nevidence++];
		snprintf(w, sizeof(w), "%s.evidence[%zu].title", what, i);
		get_text(c, item, "title", w, true, &f->title);
		snprintf(w, sizeof(w), "%s.evidence[%zu].file", what, i);
		get_text(c, item, "file", w, true, &f->file);
		snprintf(w, sizeof(w), "%s.evidence[%zu].sha256", what, i);
		get_text(c, item, "sha256", w, true, &f->sha256);
	}
}

/*
 * One audit, from a full audit object (@facts NULL) or from our
 * companies.json summary of the latest one (@o the flow object, @facts
 * its `facts`). Returns false when it is left out for want of evidence
 * files.
 */
static bool read_audit(struct company *c, const json_t *o, const json_t *facts,
		       const char *what, struct audit *a)
{
	json_t *files = audit_member(o, facts, "evidence", NULL);
	char w[96];
	snprintf(w, sizeof(w), "%s.date", what);
	json_t *date = audit_member(o, facts, "date", "audit_date");
	if (!files || (json_is_array(files) && !json_array_size(files))) {
		if (!facts) {
			fail(c, DIAG_EMPTY_VALUE,
			     "`%s.evidence` lists no recording or screenshot",
			     what);
			return false;
		}
		note(c,
		     "the flow audit of %s is left out: the file lists no "
		     "evidence files for it",
		     json_is_string(date) ? shown(c, json_string_value(date))
					  : "unknown date");
		return false;
	}
	struct text t;
	if (json_is_string(date))
		parse_date(c, json_string_value(date), json_string_length(date),
			   w, &a->date);
	else
		fail(c, DIAG_MISSING_KEY, "`%s` is missing", w);

	json_t *tier = audit_member(o, facts, "tier", "evidence_tier");
	int k = json_is_string(tier)
			? record_tier_parse(json_string_value(tier))
			: -1;
	if (k < 0)
		fail(c, DIAG_BAD_VALUE, "`%s.tier` must be %s or %s", what,
		     record_tier_id(AUDIT_EDITOR_VERIFIED),
		     record_tier_id(AUDIT_CROWD_VERIFIED));
	else
		a->tier = (enum audit_tier)k;

	json_t *ch = audit_member(o, facts, "signup_channel", NULL);
	k = json_is_string(ch) ? record_channel_parse(json_string_value(ch))
			       : -1;
	if (k < 0 && json_is_string(ch))
		k = record_channel_from_label(json_string_value(ch));
	if (k < 0)
		fail(c, DIAG_UNKNOWN_CHANNEL,
		     "`%s.signup_channel` must be a channel", what);
	else
		a->signup_channel = (enum channel)k;

	/* The facts read straight into the audit's fields. */
	const json_t *src = facts ? facts : o;
	static const struct {
		const char *key;
		size_t off;
	} flags[] = {
		{ "online_path", offsetof(struct audit, online_path) },
		{ "channel_symmetry",
		  offsetof(struct audit, channel_symmetry) },
		{ "clean_exit", offsetof(struct audit, clean_exit) },
	};
	for (size_t i = 0; i < ATLAS_COUNT(flags); i++) {
		snprintf(w, sizeof(w), "%s.%s", what, flags[i].key);
		get_flag(c, src, flags[i].key, w, true,
			 (struct flag *)((char *)a + flags[i].off));
	}
	snprintf(w, sizeof(w), "%s.steps", what);
	if (get_number(c, src, "steps", w, &a->steps) &&
	    (a->steps.v < 0 || a->steps.v != floor(a->steps.v)))
		fail(c, DIAG_BAD_VALUE,
		     "`%s` must be a whole number of steps, 0 or more (got %g)",
		     w, a->steps.v);
	snprintf(w, sizeof(w), "%s.minutes", what);
	if (get_number(c, src, "minutes", w, &a->minutes) && a->minutes.v < 0)
		fail(c, DIAG_BAD_VALUE, "`%s` cannot be negative (got %g)", w,
		     a->minutes.v);
	snprintf(w, sizeof(w), "%s.retention", what);
	if (get_text(c, src, "retention", w, true, &t)) {
		a->retention = t;
		check_keyword(c, &t, "retention", w);
	}
	snprintf(w, sizeof(w), "%s.confirmation", what);
	if (get_text(c, src, "confirmation", w, true, &t)) {
		a->confirmation = t;
		check_keyword(c, &t, "confirmation", w);
	}

	json_t *notes = audit_member(o, facts, "notes", NULL);
	snprintf(w, sizeof(w), "%s.notes", what);
	if (notes && json_is_string(notes)) {
		t = make_text(c, json_string_value(notes),
			      json_string_length(notes));
		if (t.len)
			a->notes = t;
	} else if (notes) {
		fail(c, DIAG_BAD_TYPE, "`%s` must be a string", w);
	}

	json_t *path = audit_member(o, facts, "path", NULL);
	if (path && !json_is_array(path)) {
		fail(c, DIAG_BAD_TYPE, "`%s.path` must be a list of steps",
		     what);
	} else if (path) {
		a->path = arena_array(c->arena, json_array_size(path),
				      sizeof(*a->path));
		size_t i;
		json_t *step;
		json_array_foreach (path, i, step) {
			snprintf(w, sizeof(w), "%s.path[%zu]", what, i);
			if (!json_is_string(step)) {
				fail(c, DIAG_BAD_TYPE, "`%s` must be a string",
				     w);
				continue;
			}
			t = make_text(c, json_string_value(step),
				      json_string_length(step));
			if (!t.len)
				fail(c, DIAG_EMPTY_VALUE, "`%s` is empty", w);
			else
				a->path[a->npath++] = t;
		}
	}
	if (!json_is_array(files))
		fail(c, DIAG_BAD_TYPE, "`%s.evidence` must be a list", what);
	else
		read_audit_files(c, files, what, a);
	return true;
}

static void read_flow(struct company *c, const json_t *j)
{
	struct record *r = c->r;
	json_t *flow = member(j, "flow");
	c->stated_flow_score = -1;
	c->stated_flow_grade = 0;
	if (!flow)
		return;
	if (!json_is_object(flow)) {
		fail(c, DIAG_BAD_TYPE,
		     "`flow` must be an object or null, not %s",
		     json_kind(flow));
		return;
	}
	json_t *all = member(flow, "all_audits");
	json_t *facts = member(flow, "facts");
	if (all && json_is_array(all) && json_array_size(all)) {
		r->flow = arena_array(c->arena, json_array_size(all),
				      sizeof(*r->flow));
		size_t i;
		json_t *item;
		json_array_foreach (all, i, item) {
			char what[48];
			snprintf(what, sizeof(what), "flow.all_audits[%zu]", i);
			if (!json_is_object(item))
				fail(c, DIAG_NOT_MAPPING,
				     "`%s` must be an object, not %s", what,
				     json_kind(item));
			else if (read_audit(c, item, NULL, what,
					    &r->flow[r->nflow]))
				r->nflow++;
		}
	} else if (facts && json_is_object(facts)) {
		r->flow = arena_alloc(c->arena, sizeof(*r->flow));
		if (read_audit(c, flow, facts, "flow", r->flow))
			r->nflow = 1;
		json_t *count = member(flow, "audits");
		if (r->nflow && json_is_integer(count) &&
		    json_integer_value(count) > 1)
			note(c,
			     "the file gives only the latest of its %lld flow "
			     "audits",
			     (long long)json_integer_value(count));
	} else {
		note(c, "`flow` has no audit facts; left out");
		return;
	}
	if (r->nflow)
		read_stated(c, flow, "flow", &c->stated_flow_score,
			    &c->stated_flow_grade);
}

/* ---- writing --------------------------------------------------------- */

/*
 * Relay what the checker says about a record we made, as errors about the
 * company: the lines of diag_print() that start with @label carry the
 * code and message.
 */
static void relay(struct company *c, struct diag *sd, const char *label)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (!mem)
		abort();
	diag_print(sd, mem, false);
	fclose(mem);
	size_t lablen = strlen(label);
	for (char *line = text; line && *line;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		char *tag = strstr(line, ": error[E");
		if (!strncmp(line, label, lablen) && line[lablen] == ':' &&
		    tag) {
			int code = atoi(tag + 9);
			char *msg = strstr(tag, "]: ");
			fail(c, (enum diag_code)code,
			     "the record made from it fails check: %s",
			     msg ? msg + 3 : tag);
		}
		line = end ? end + 1 : NULL;
	}
	free(text);
}

/* Load and validate @text as `check` would, under the name @label. */
static bool self_check(struct company *c, const char *label, const char *text,
		       size_t len)
{
	struct importer *im = c->im;
	struct diag *sd = diag_new();
	struct arena *arena = arena_new();
	struct validate_ctx ctx = { im->m, im->industries, im->nindustries,
				    im->opts->today };
	struct record *r = yaml_load_record(label, text, len, arena, sd);
	if (r)
		validate_record(r, &ctx, sd);
	bool ok = r && !diag_count(sd, DIAG_ERROR);
	if (!ok) {
		relay(c, sd, label);
		if (!c->bad)
			fail(c, DIAG_BAD_VALUE,
			     "the record made from it fails check");
	}
	arena_free(arena);
	diag_free(sd);
	return ok;
}

/* Write @yaml to a new file beside @path; returns its name, or NULL. */
static char *write_temp(struct company *c, const char *path,
			const struct buf *yaml)
{
	struct buf tmp = BUF_INIT;
	buf_printf(&tmp, "%s/.%s.yaml.XXXXXX", c->im->records_dir, c->r->id.s);
	char *name = buf_detach(&tmp, NULL);
	int fd = mkstemp(name);
	if (fd < 0) {
		fail(c, DIAG_IO, "cannot create a file in %s: %s",
		     c->im->records_dir, strerror(errno));
		free(name);
		return NULL;
	}
	mode_t mask = umask(0);
	umask(mask);
	int rc = fchmod(fd, 0666 & ~mask);
	for (size_t done = 0; rc == 0 && done < yaml->len;) {
		ssize_t n = write(fd, yaml->data + done, yaml->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			rc = -1;
		else
			done += (size_t)n;
	}
	if (rc == 0)
		rc = fsync(fd);
	if (close(fd) != 0)
		rc = -1;
	if (rc != 0) {
		fail(c, DIAG_IO, "cannot write %s: %s", path, strerror(errno));
		unlink(name);
		free(name);
		return NULL;
	}
	return name;
}

/* Put the checked temporary file in place, never over another file
 * unless overwriting. */
static bool commit(struct company *c, const char *tmp, const char *path)
{
	int rc;
	if (c->im->opts->overwrite) {
		rc = rename(tmp, path);
	} else {
		rc = link(tmp, path);
		/* Filesystems without hard links: check, then rename. */
		if (rc != 0 && errno != EEXIST && access(path, F_OK) != 0)
			rc = rename(tmp, path);
	}
	if (rc != 0 && errno == EEXIST)
		fail(c, DIAG_DUPLICATE_ID,
		     "a record `%s` already exists (%s); use --force to "
		     "replace "
		     "it",
		     c->r->id.s, path);
	else if (rc != 0)
		fail(c, DIAG_IO, "cannot write %s: %s", path, strerror(errno));
	unlink(tmp);
	return rc == 0;
}

static bool write_record(struct company *c)
{
	struct importer *im = c->im;
	struct buf path = BUF_INIT, yaml = BUF_INIT;
	buf_printf(&path, "%s/%s.yaml", im->records_dir, c->r->id.s);
	bool ok = false;
	char *tmp = NULL, *text = NULL;
	if (!im->opts->overwrite && access(path.data, F_OK) == 0) {
		fail(c, DIAG_DUPLICATE_ID,
		     "a record `%s` already exists (%s); use --force to "
		     "replace "
		     "it",
		     c->r->id.s, path.data);
		goto out;
	}
	if (!record_yaml_write(&yaml, c->r)) {
		fail(c, DIAG_BAD_VALUE, "cannot be written as a record file");
		goto out;
	}
	if (im->opts->dry_run) {
		ok = self_check(c, path.data, yaml.data, yaml.len);
		goto out;
	}
	tmp = write_temp(c, path.data, &yaml);
	if (!tmp)
		goto out;
	size_t len;
	text = dataset_read_file(tmp, &len);
	if (!text)
		fail(c, DIAG_IO, "cannot read back %s: %s", tmp,
		     strerror(errno));
	if (text && self_check(c, path.data, text, len))
		ok = commit(c, tmp, path.data);
	else
		unlink(tmp);
out:
	free(text);
	free(tmp);
	buf_free(&yaml);
	buf_free(&path);
	return ok;
}

/* ---- one company ----------------------------------------------------- */

static void put_stated(struct buf *b, int score, char grade)
{
	if (score >= 0 && grade)
		buf_printf(b, "%d/%c", score, grade);
	else if (score >= 0)
		buf_printf(b, "%d", score);
	else
		buf_printf(b, "grade %c", grade);
}

/* Report where the file's scores differ from ours; true if they do. */
static bool compare_scores(struct company *c)
{
	const struct method *m = c->im->m;
	struct score_result s;
	bool differs = false;
	score_policy(m, c->r, &s);
	if ((c->stated_score >= 0 && c->stated_score != s.score) ||
	    (c->stated_grade && c->stated_grade != s.grade)) {
		fprintf(c->im->report, "%s: the file says ", c->r->id.s);
		struct buf b = BUF_INIT;
		put_stated(&b, c->stated_score, c->stated_grade);
		fprintf(c->im->report, "%s; the levels give %d/%c (%s)\n",
			buf_cstr(&b), s.score, s.grade, m->version);
		buf_free(&b);
		differs = true;
	}
	const struct audit *a = record_latest_audit(c->r);
	if (!a)
		return differs;
	score_flow(m, a, &s);
	if ((c->stated_flow_score >= 0 && c->stated_flow_score != s.score) ||
	    (c->stated_flow_grade && c->stated_flow_grade != s.grade)) {
		struct buf b = BUF_INIT;
		put_stated(&b, c->stated_flow_score, c->stated_flow_grade);
		fprintf(c->im->report,
			"%s: the file says flow %s; the audit gives %d/%c "
			"(%s)\n",
			c->r->id.s, buf_cstr(&b), s.score, s.grade, m->version);
		buf_free(&b);
		differs = true;
	}
	return differs;
}

static void import_company(struct importer *im, size_t index, const json_t *j)
{
	struct company c = { .im = im, .index = index };
	c.arena = arena_new();
	c.r = arena_alloc(c.arena, sizeof(*c.r));
	snprintf(c.label, sizeof(c.label), "companies[%zu]", index);
	if (!json_is_object(j)) {
		fail(&c, DIAG_NOT_MAPPING,
		     "a company must be an object, not %s", json_kind(j));
		goto out;
	}
	json_t *id = member(j, "id"), *name = member(j, "name");
	json_t *shown_as = json_is_string(id) ? id : name;
	if (json_is_string(shown_as))
		snprintf(c.label, sizeof(c.label), "companies[%zu] (%s)", index,
			 shown(&c, json_string_value(shown_as)));

	struct record *r = c.r;
	get_text(&c, j, "name", "name", true, &r->name);
	read_jurisdiction(&c, j);
	read_id(&c, j);
	read_industry(&c, j);
	struct flag fictional;
	if (get_flag(&c, j, "fictional", "fictional", false, &fictional) &&
	    fictional.v)
		r->fictional = fictional;
	read_channels(&c, j);
	read_pause(&c, j);
	read_deletion(&c, j);
	read_policy(&c, j);
	read_flow(&c, j);
	if (c.bad)
		goto out;

	struct id_slot *seen = id_find(&im->ids, r->id.s);
	if (seen && seen->id) {
		fail(&c, DIAG_DUPLICATE_ID,
		     "id `%s` is also used by companies[%zu]; ids must be "
		     "unique",
		     r->id.s, seen->index);
		goto out;
	}
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s.yaml", im->records_dir, r->id.s);
	r->file = arena_strdup(c.arena, path.data);
	buf_free(&path);
	if (!write_record(&c))
		goto out;
	id_add(&im->ids, r->id.s, index);
	fputs(buf_cstr(&c.notes), im->report);
	if (compare_scores(&c))
		im->st.differences++;
	im->st.imported++;
out:
	if (c.bad)
		im->st.skipped++;
	buf_free(&c.notes);
	arena_free(c.arena);
}

/* ---- the file -------------------------------------------------------- */

static int load_industries(struct importer *im, const char *data_dir,
			   struct arena *arena)
{
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/industries.yaml", data_dir);
	size_t len;
	char *text = dataset_read_file(path.data, &len);
	int rc = -1;
	if (!text)
		diag_add(im->d, DIAG_IO, path.data, 0, 0,
			 "cannot read the industries list: %s (an import "
			 "needs a data folder with industries.yaml)",
			 strerror(errno));
	else if (yaml_load_industries(path.data, text, len, arena, im->d,
				      &im->industries, &im->nindustries) == 0 &&
		 !diag_count(im->d, DIAG_ERROR))
		rc = 0;
	free(text);
	buf_free(&path);
	return rc;
}

static int open_records_dir(struct importer *im)
{
	struct stat st;
	if (stat(im->records_dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		errno = ENOTDIR;
	} else if (errno == ENOENT &&
		   (im->opts->dry_run || mkdir(im->records_dir, 0777) == 0)) {
		return 0;
	}
	diag_add(im->d, DIAG_IO, im->records_dir, 0, 0,
		 "cannot use the records folder: %s", strerror(errno));
	return -1;
}

/* The companies of @root, with the message when it holds none. */
static json_t *companies_of(struct importer *im, json_t *root)
{
	if (json_is_array(root))
		return json_incref(root);
	json_t *list = json_object_get(root, "companies");
	if (!list) {
		json_t *one = json_array();
		json_array_append(one, root);
		return one;
	}
	if (json_is_array(list))
		return json_incref(list);
	diag_add(im->d, DIAG_NOT_MAPPING, im->file, 0, 0,
		 "`companies` must be a list of companies, not %s",
		 json_kind(list));
	return NULL;
}

int import_file(const char *path, const char *data_dir,
		const struct import_opts *opts, FILE *report, struct diag *d,
		struct import_stats *stats)
{
	struct importer im = { .file = path,
			       .opts = opts,
			       .m = method_current(),
			       .report = report,
			       .d = d };
	struct arena *arena = arena_new();
	struct buf records = BUF_INIT;
	buf_printf(&records, "%s/records", data_dir);
	im.records_dir = records.data;
	json_t *root = NULL, *list = NULL;
	int rc = -2;
	if (load_industries(&im, data_dir, arena) != 0 ||
	    open_records_dir(&im) != 0)
		goto out;

	rc = -1;
	json_error_t err;
	FILE *f = fopen(path, "rb");
	if (!f) {
		diag_add(d, DIAG_IO, path, 0, 0, "cannot read: %s",
			 strerror(errno));
		goto out;
	}
	root = json_loadf(f, JSON_REJECT_DUPLICATES, &err);
	fclose(f);
	if (!root) {
		diag_add(d, DIAG_YAML_SYNTAX, path,
			 err.line > 0 ? (unsigned)err.line : 0,
			 err.column > 0 ? (unsigned)err.column : 0,
			 "JSON syntax: %s", err.text);
		goto out;
	}
	list = companies_of(&im, root);
	if (!list)
		goto out;
	json_t *version = json_is_object(root)
				  ? json_object_get(root, "methodology_version")
				  : NULL;
	if (json_is_string(version) &&
	    strcmp(json_string_value(version), im.m->version))
		fprintf(report,
			"the file was scored with %s; scores are recomputed "
			"with %s\n",
			json_string_value(version), im.m->version);
	im.st.companies = json_array_size(list);
	for (size_t i = 0; i < im.st.companies; i++)
		import_company(&im, i, json_array_get(list, i));
	fprintf(report,
		"%s %zu record%s into %s (%zu skipped, %zu score "
		"difference%s)\n",
		opts->dry_run ? "would import" : "imported", im.st.imported,
		im.st.imported == 1 ? "" : "s", im.records_dir, im.st.skipped,
		im.st.differences, im.st.differences == 1 ? "" : "s");
	rc = 0;
out:
	if (stats)
		*stats = im.st;
	json_decref(list);
	json_decref(root);
	id_set_free(&im.ids);
	buf_free(&records);
	arena_free(arena);
	return rc;
}

int import_command(const char *file, const char *data_dir, bool force,
		   bool dry_run, FILE *report)
{
	struct import_opts opts = { force, dry_run, date_today() };
	struct diag *d = diag_new();
	int rc = import_file(file, data_dir, &opts, report, d, NULL);
	fflush(report);
	const char *no = getenv("NO_COLOR");
	if (diag_count(d, DIAG_ERROR) || diag_count(d, DIAG_WARNING))
		diag_print(d, stderr, isatty(STDERR_FILENO) && !(no && *no));
	int status = 0;
	if (rc == -2)
		status = 2;
	else if (rc == -1 || diag_count(d, DIAG_ERROR))
		status = 1;
	diag_free(d);
	return status;
}

/* ---- the audits as companies.json can carry them --------------------- */
