/*
 * import.c - companies.json entries (ours or the reference system's) into
 * record files.
 *
 * Each company becomes a struct record through a few translations: channel
 * labels to ids, the reference's free text to facts (reftext.c), industry
 * spellings to data/industries.yaml. Nothing published is dropped: what
 * cannot become a fact as it stands is recorded as the text says, or left
 * out, with a warning naming the company and the field; only a company no
 * record can be made of is skipped. A record is written by
 * record_yaml_write() to a temporary file, read back through the loader and
 * the validator as `check` would, and only then linked into place, so a
 * rule the importer does not know still stops it with the checker's own
 * code. Scores are recomputed; a stated score that differs is reported,
 * never copied.
 */
#include "import.h"
#include "arena.h"
#include "buf.h"
#include "dataset.h"
#include "hash.h"
#include "juris.h"
#include "method.h"
#include "record_yaml.h"
#include "reftext.h"
#include "safefile.h"
#include "score.h"
#include "slug.h"
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

/* ---- a set of the ids imported so far -------------------------------- */

struct id_set {
	char **slots; /* open addressing; NULL is an empty slot */
	size_t cap, n;
};

/* The slot holding @id, or the empty one where it would go; the set has
 * room (cap > 0). */
static char **id_slot(const struct id_set *set, const char *id)
{
	for (size_t i = hash_str(id) & (set->cap - 1);;
	     i = (i + 1) & (set->cap - 1)) {
		if (!set->slots[i] || !strcmp(set->slots[i], id))
			return &set->slots[i];
	}
}

static bool id_taken(const struct id_set *set, const char *id)
{
	return set->cap && *id_slot(set, id);
}

static void id_add(struct id_set *set, const char *id)
{
	if (2 * (set->n + 1) > set->cap) {
		struct id_set grown = { NULL, set->cap ? set->cap * 2 : 64, 0 };
		grown.slots = xcalloc(grown.cap, sizeof(*grown.slots));
		for (size_t i = 0; i < set->cap; i++)
			if (set->slots[i])
				*id_slot(&grown, set->slots[i]) = set->slots[i];
		grown.n = set->n;
		free(set->slots);
		*set = grown;
	}
	*id_slot(set, id) = xstrdup(id);
	set->n++;
}

static void id_set_free(struct id_set *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slots[i]);
	free(set->slots);
}

/* ---- the import and one company -------------------------------------- */

struct importer {
	const char *file; /* the JSON file, for diagnostics */
	const char *data_dir;
	const char *records_dir;
	const struct import_opts *opts;
	const struct method *m;
	struct arena *arena; /* the industries, kept for the whole import */
	struct industry *industries;
	size_t nindustries, capindustries;
	struct date_value generated; /* the file's date, when it gives one */
	const char *industries_text; /* industries.yaml as it was read */
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
	/* While an audit is read, its first problem: the audit is then left
	 * out with a warning, and the company is still imported. */
	bool in_audit;
	struct buf audit_problem;
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

/* An error about the company: it will be skipped. Inside an audit, the
 * audit alone is left out (see read_flow()). */
static void fail(struct company *c, enum diag_code code, const char *fmt, ...)
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

static void warn(struct company *c, enum diag_code code, const char *fmt, ...)
	ATLAS_PRINTF(3, 4);

/*
 * A warning about the company: a published value that could not become
 * a fact as it stands, and what was recorded instead. The record is
 * still written.
 */
static void warn(struct company *c, enum diag_code code, const char *fmt, ...)
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

/* A value of the wrong type (@want: "a list"), left out of the record. */
static void left_out(struct company *c, const char *what, const json_t *v,
		     const char *want)
{
	warn(c, DIAG_IMPORT_LEFT_OUT, "`%s` is %s, not %s; left out", what,
	     json_kind(v), want);
}

static struct text make_text(struct company *c, const char *s, size_t len)
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

static struct text const_text(struct company *c, const char *s)
{
	return make_text(c, s, strlen(s));
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

/* As get_text() for a value that may be absent: a value of another type
 * is left out with a warning instead of failing the company. */
static bool get_optional_text(struct company *c, const json_t *o,
			      const char *key, const char *what,
			      struct text *out)
{
	json_t *v = member(o, key);
	if (v && !json_is_string(v)) {
		left_out(c, what, v, "a text");
		return false;
	}
	return v && get_text(c, o, key, what, false, out);
}

/*
 * A URL from @s, repaired where that is certain (reftext_url()), with a
 * warning naming the repair. Returns false, saying nothing, when @s names
 * no web page: the caller decides what that means.
 */
static bool read_url(struct company *c, const char *s, const char *what,
		     struct text *out)
{
	struct buf b = BUF_INIT;
	bool repaired;
	bool ok = reftext_url(s, &b, &repaired);
	if (ok) {
		*out = make_text(c, b.data, b.len);
		if (repaired)
			warn(c, DIAG_IMPORT_INFERRED,
			     "`%s` `%s` is not a usable URL as written; read "
			     "as `%s`",
			     what, shown(c, s), shown(c, out->s));
	}
	buf_free(&b);
	return ok;
}

/* A date in YYYY-MM-DD (or a timestamp) that is real and not after
 * today; false, with @why set, when it is not one. */
static bool parse_date(struct company *c, const char *s, size_t len,
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

/* An optional true/false: another type is left out with a warning. */
static bool get_optional_flag(struct company *c, const json_t *o,
			      const char *key, const char *what,
			      struct flag *out)
{
	json_t *v = member(o, key);
	if (v && !json_is_boolean(v)) {
		left_out(c, what, v, "true or false");
		return false;
	}
	return v && get_flag(c, o, key, what, false, out);
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
static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a > b && !strcmp(s + a - b, suffix);
}

/* The name; without one, the id, which names the company too. */
static void read_name(struct company *c, const json_t *j)
{
	json_t *v = member(j, "name");
	json_t *id = member(j, "id");
	if (v && !json_is_string(v)) {
		fail(c, DIAG_BAD_TYPE, "`name` must be a string, not %s",
		     json_kind(v));
	} else if (get_text(c, j, "name", "name", false, &c->r->name)) {
		return;
	} else if (json_is_string(id) && json_string_length(id)) {
		c->r->name = make_text(c, json_string_value(id),
				       json_string_length(id));
		warn(c, DIAG_IMPORT_INFERRED,
		     "`name` is %s; the id `%s` is used as the name",
		     v ? "empty" : "missing", shown(c, c->r->name.s));
	} else {
		fail(c, DIAG_MISSING_KEY, "`name` is %s, and there is no id",
		     v ? "empty" : "missing");
	}
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

/* An id base from a web address's host: "https://www.vk.com/x" ->
 * "vk-com", for a name with no Latin letters. */
static void slug_from_url(const json_t *url, char *out, size_t size)
{
	*out = '\0';
	if (!json_is_string(url))
		return;
	const char *s = json_string_value(url);
	const char *host = strstr(s, "://");
	host = host ? host + 3 : s;
	if (!strncasecmp(host, "www.", 4))
		host += 4;
	char h[128];
	snprintf(h, sizeof(h), "%.*s", (int)strcspn(host, "/?#:"), host);
	slug_from_name(h, out, size);
}

/*
 * The record id: the file's when it is a slug, else one made from the
 * name (or, for a name with no Latin letters, the official page's host);
 * either way ending in -<jurisdiction> outside the US, as check requires.
 * An id an earlier company took gets "-2", "-3", ...
 */
static void read_id(struct company *c, const json_t *j)
{
	struct record *r = c->r;
	char suffix[24] = "";
	const char *jur = r->jurisdiction.s;
	if (jur && strlen(jur) + 2 < sizeof(suffix))
		slug_id_suffix(jur, suffix, sizeof(suffix));
	json_t *v = member(j, "id");
	const char *given = json_is_string(v) ? json_string_value(v) : NULL;
	char base[SLUG_NAME_SIZE];
	bool from_name = !given || !validate_slug(given);
	if (!from_name)
		snprintf(base, sizeof(base), "%s", given);
	else if (r->name.s)
		slug_from_name(r->name.s, base, sizeof(base));
	else
		return; /* the missing name is already an error */
	if (!*base)
		slug_from_url(member(member(j, "policy"), "policy_url"), base,
			      sizeof(base));
	if (!*base)
		snprintf(base, sizeof(base), "company-%zu", c->index + 1);
	/* The suffix goes last; a second company with the same id is not
	 * dropped but numbered before it: acme-uk, acme-2-uk. */
	size_t stem = strlen(base);
	if (*suffix && ends_with(base, suffix))
		stem -= strlen(suffix);
	struct buf id = BUF_INIT;
	buf_printf(&id, "%.*s%s", (int)stem, base, suffix);
	char *first = xstrdup(id.data);
	for (unsigned k = 2; id_taken(&c->im->ids, id.data); k++) {
		buf_reset(&id);
		buf_printf(&id, "%.*s-%u%s", (int)stem, base, k, suffix);
	}
	r->id = make_text(c, id.data, id.len);
	buf_free(&id);
	if (strcmp(first, r->id.s))
		warn(c, DIAG_IMPORT_INFERRED,
		     "the id `%s` is taken by an earlier company; imported "
		     "as `%s`",
		     first, r->id.s);
	free(first);
	if (from_name && v)
		note(c, "the id `%s` is not a slug; imported as `%s`",
		     shown(c, given ? given : json_kind(v)), r->id.s);
	else if (from_name)
		note(c, "no id given; imported as `%s`", r->id.s);
	else if (strcmp(given, r->id.s) && *suffix && !ends_with(given, suffix))
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

/* The industry of the list that @name means, by name, else by name or
 * slug ignoring case, punctuation and "and"; NULL when none does. */
static const struct industry *find_industry(const struct importer *im,
					    const char *name, bool *exact)
{
	char want[128], have[128];
	industry_key(name, want, sizeof(want));
	for (size_t pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < im->nindustries; i++) {
			const struct industry *ind = &im->industries[i];
			bool match;
			if (pass == 0) {
				match = !strcmp(ind->name.s, name);
			} else {
				industry_key(ind->name.s, have, sizeof(have));
				match = *want && !strcmp(want, have);
				industry_key(ind->slug.s, have, sizeof(have));
				match = match || (*want && !strcmp(want, have));
			}
			if (match) {
				*exact = pass == 0;
				return ind;
			}
		}
	}
	return NULL;
}

static int write_industries(struct importer *im);

/* A listed industry close to @name ("Meal kits & food" for "Meal
 * kits"), for the editor who may want to merge the two; or NULL. */
static const char *industry_hint(const struct importer *im, const char *name)
{
	const char **names = xmalloc((im->nindustries + 1) * sizeof(*names));
	for (size_t i = 0; i < im->nindustries; i++)
		names[i] = im->industries[i].name.s;
	const char *hint = diag_suggest(name, names, im->nindustries);
	free(names);
	char want[128], have[128];
	industry_key(name, want, sizeof(want));
	for (size_t i = 0; !hint && *want && i < im->nindustries; i++) {
		industry_key(im->industries[i].name.s, have, sizeof(have));
		if (!strncmp(have, want, strlen(want)))
			hint = im->industries[i].name.s;
	}
	return hint;
}

/*
 * A new industry, added to the list (and, unless this is a dry run, to
 * DATA/industries.yaml at once, so every record written names a listed
 * industry) with a slug made from its name.
 */
static const struct industry *add_industry(struct company *c, const char *name)
{
	struct importer *im = c->im;
	char base[SLUG_NAME_SIZE], slug[sizeof(base) + 16];
	slug_from_name(name, base, sizeof(base));
	if (!*base)
		snprintf(base, sizeof(base), "industry-%zu",
			 im->nindustries + 1);
	snprintf(slug, sizeof(slug), "%s", base);
	for (unsigned k = 2;; k++) {
		size_t i = 0;
		while (i < im->nindustries &&
		       strcmp(im->industries[i].slug.s, slug))
			i++;
		if (i == im->nindustries)
			break;
		snprintf(slug, sizeof(slug), "%s-%u", base, k);
	}
	if (im->nindustries == im->capindustries) {
		im->capindustries = im->capindustries * 2 + 8;
		struct industry *v =
			arena_array(im->arena, im->capindustries, sizeof(*v));
		memcpy(v, im->industries, im->nindustries * sizeof(*v));
		im->industries = v;
	}
	const char *hint = industry_hint(im, name);
	struct industry *ind = &im->industries[im->nindustries++];
	ind->name = (struct text){ arena_strdup(im->arena, name),
				   strlen(name),
				   { 0, 0 } };
	ind->slug = (struct text){ arena_strdup(im->arena, slug),
				   strlen(slug),
				   { 0, 0 } };
	im->st.industries_added++;
	fprintf(im->report,
		"industry `%s` is new: %s %s/industries.yaml as `%s`",
		shown(c, name),
		im->opts->dry_run ? "would add it to" : "added to",
		im->data_dir, slug);
	if (hint)
		fprintf(im->report, " (close to `%s`)", hint);
	fputc('\n', im->report);
	if (!im->opts->dry_run && write_industries(im) != 0)
		fail(c, DIAG_IO, "cannot add industry `%s` to industries.yaml",
		     shown(c, name));
	return ind;
}

static void read_industry(struct company *c, const json_t *j)
{
	struct text t;
	json_t *v = member(j, "industry");
	if (!v || !json_is_string(v) ||
	    !get_text(c, j, "industry", "industry", false, &t)) {
		/* A record names an industry; say it is unknown. */
		t = const_text(c, "Other");
		warn(c, DIAG_IMPORT_INFERRED,
		     "`industry` is %s; filed under `%s`",
		     v ? json_is_string(v) ? "empty" : json_kind(v) : "missing",
		     t.s);
	}
	bool exact = true;
	const struct industry *ind = find_industry(c->im, t.s, &exact);
	if (!ind)
		ind = add_industry(c, t.s);
	else if (!exact)
		note(c, "industry `%s` read as `%s`", shown(c, t.s),
		     ind->name.s);
	c->r->industry = ind->name;
}

/* The channel a record without one most likely has, from its
 * cancel_url level as the rubric words it. */
static enum channel channel_from_levels(struct company *c, int *level)
{
	int i = method_dim_index(&c->im->m->policy, "cancel_url");
	*level = i >= 0 && c->r->policy[i].set ? (int)c->r->policy[i].v : 0;
	return *level >= 50   ? CHANNEL_ONLINE /* a self-serve path */
	       : *level >= 25 ? CHANNEL_EMAIL  /* a written request */
			      : CHANNEL_PHONE; /* a call or a visit */
}

static void read_channels(struct company *c, const json_t *j)
{
	struct record *r = c->r;
	json_t *v = member(j, "cancellation_types");
	if (v && !json_is_array(v))
		left_out(c, "cancellation_types", v, "a list");
	size_t i;
	json_t *item;
	json_array_foreach (json_is_array(v) ? v : NULL, i, item) {
		const char *label =
			json_is_string(item) ? json_string_value(item) : NULL;
		int ch = label ? record_channel_from_label(label) : -1;
		if (ch < 0) {
			warn(c, DIAG_IMPORT_LEFT_OUT,
			     "`cancellation_types[%zu]` `%s` is not a "
			     "channel of the record format; left out",
			     i, label ? shown(c, label) : json_kind(item));
			continue;
		}
		if (!record_has_channel(r, (enum channel)ch))
			r->channels[r->nchannels++] = (enum channel)ch;
	}
	if (r->nchannels)
		return;
	int level;
	enum channel ch = channel_from_levels(c, &level);
	r->channels[r->nchannels++] = ch;
	warn(c, DIAG_IMPORT_INFERRED,
	     "`cancellation_types` names no channel; `%s` is recorded, as "
	     "cancel_url %d reads in the rubric",
	     record_channel_id(ch), level);
}

/* A pause (offered, note) from one of the forms the reference and we
 * have written: our {offered, note}, true/false, or the text. */
static void read_pause(struct company *c, const json_t *j)
{
	struct record *r = c->r;
	json_t *detail = member(j, "pause_detail");
	json_t *v = json_is_object(detail) ? detail : member(j, "pause");
	bool unstated = false;
	if (json_is_object(v)) {
		if (get_flag(c, v, "offered", "pause.offered", true,
			     &r->pause_offered))
			get_optional_text(c, v, "note", "pause.note",
					  &r->pause_note);
	} else if (json_is_boolean(v)) {
		r->pause_offered =
			(struct flag){ json_is_true(v), true, { 0, 0 } };
	} else {
		const char *s = json_is_string(v) ? json_string_value(v) : "";
		const char *rest;
		size_t len;
		enum reftext_status st = reftext_status(s, &rest, &len);
		r->pause_offered =
			(struct flag){ st == REFTEXT_OFFERED, true, { 0, 0 } };
		r->pause_note = make_text(c, rest, len);
		unstated = st == REFTEXT_UNSTATED && !len;
		if (st == REFTEXT_UNSTATED && len) {
			/* Readers see "not offered" beside it: say why. */
			struct buf n = BUF_INIT;
			buf_printf(&n,
				   "The source does not say whether a pause "
				   "is offered; it says: \u201c%s\u201d",
				   r->pause_note.s);
			r->pause_note = make_text(c, n.data, n.len);
			buf_free(&n);
			warn(c, DIAG_IMPORT_INFERRED,
			     "`pause` does not say whether a pause is offered "
			     "(`%s`); recorded as not offered, the text quoted "
			     "in the note",
			     shown(c, s));
		} else if (unstated)
			warn(c, DIAG_IMPORT_INFERRED,
			     "`pause` is %s; recorded as not offered, with a "
			     "note that the source does not say",
			     !v			 ? "missing"
			     : json_is_string(v) ? "empty"
						 : json_kind(v));
	}
	if (r->pause_note.len)
		return;
	/* The status alone is the whole fact; say it in the note. */
	r->pause_note = const_text(c, unstated ? "The source does not say "
						 "whether a pause is offered."
				      : r->pause_offered.v ? "Offered."
							   : "Not offered.");
}

/* Account deletion (note, url): our {note, url}, or the reference's
 * note with its URL at the end. */
static void read_deletion(struct company *c, const json_t *j)
{
	struct record *r = c->r;
	json_t *detail = member(j, "data_deletion_detail");
	json_t *v =
		json_is_object(detail) ? detail : member(j, "data_deletion");
	const char *what =
		v && v == detail ? "data_deletion_detail" : "data_deletion";
	char key[48];
	if (json_is_object(v)) {
		snprintf(key, sizeof(key), "%s.note", what);
		get_optional_text(c, v, "note", key, &r->deletion_note);
		json_t *url = member(v, "url");
		snprintf(key, sizeof(key), "%s.url", what);
		if (json_is_string(url) &&
		    !read_url(c, json_string_value(url), key, &r->deletion_url))
			warn(c, DIAG_IMPORT_LEFT_OUT,
			     "`%s` `%s` is not a web address; left out", key,
			     shown(c, json_string_value(url)));
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v), *url;
		size_t len, url_len;
		reftext_split_url(s, &len, &url, &url_len);
		char *u = url ? arena_strndup(c->arena, url, url_len) : NULL;
		/* A URL that is no web address stays in the note. */
		if (u && !read_url(c, u, what, &r->deletion_url))
			len = strlen(s);
		r->deletion_note = make_text(c, s, len);
	} else if (v) {
		left_out(c, what, v, "a text");
	}
	if (r->deletion_note.len)
		return;
	r->deletion_note = const_text(
		c, r->deletion_url.s ? "The source gives only this link."
				     : "The source does not say how to delete "
				       "the account.");
	warn(c, DIAG_IMPORT_INFERRED,
	     "`%s` gives no note on deleting the account%s; the note says so",
	     what, r->deletion_url.s ? ", only a link" : "");
}

/* The rubric level a stated number stands for: itself when it is one,
 * else the highest level below it, so no level is read higher than the
 * source put it (the lowest level for a number below them all). */
static int level_at_most(const struct method_dim *dim, double v)
{
	int best = -1, lowest = 100;
	for (size_t i = 0; i < dim->nlevels; i++) {
		int l = dim->levels[i].value;
		if (l <= v && l > best)
			best = l;
		if (l < lowest)
			lowest = l;
	}
	return best >= 0 ? best : lowest;
}

static void read_levels(struct company *c, const json_t *policy)
{
	const struct method_tier *tier = &c->im->m->policy;
	json_t *scores = member(policy, "scores");
	if (scores && !json_is_object(scores)) {
		left_out(c, "policy.scores", scores, "an object");
		scores = NULL;
	}
	for (size_t i = 0; i < tier->ndims; i++) {
		const struct method_dim *dim = &tier->dims[i];
		struct number *v = &c->r->policy[i];
		json_t *x = member(scores, dim->id);
		if (!json_is_number(x)) {
			int lowest = level_at_most(dim, -1);
			*v = (struct number){ lowest, true, { 0, 0 } };
			warn(c, DIAG_IMPORT_INFERRED,
			     "`policy.scores.%s` is %s; recorded as %d, the "
			     "lowest level",
			     dim->id, x ? json_kind(x) : "missing", lowest);
			continue;
		}
		double got = json_number_value(x);
		int level = level_at_most(dim, got);
		*v = (struct number){ level, true, { 0, 0 } };
		if (got != level) {
			struct buf allowed = BUF_INIT;
			method_levels_put(dim, &allowed);
			warn(c, DIAG_IMPORT_INFERRED,
			     "`policy.scores.%s` %g is not a rubric level "
			     "(%s); recorded as %d, the level below it",
			     dim->id, got, buf_cstr(&allowed), level);
			buf_free(&allowed);
		}
	}
	const char *key;
	json_t *val;
	json_object_foreach (scores, key, val) {
		if (method_dim_index(tier, key) < 0)
			warn(c, DIAG_IMPORT_LEFT_OUT,
			     "`policy.scores.%s` is not a dimension of %s; "
			     "left out",
			     shown(c, key), c->im->m->version);
	}
}

static void read_reasons(struct company *c, const json_t *policy)
{
	const struct method_tier *tier = &c->im->m->policy;
	json_t *reasons = member(policy, "reasons");
	if (reasons && !json_is_object(reasons)) {
		left_out(c, "policy.reasons", reasons, "an object");
		return;
	}
	const char *key;
	json_t *val;
	json_object_foreach (reasons, key, val) {
		int d = method_dim_index(tier, key);
		char what[96];
		snprintf(what, sizeof(what), "policy.reasons.%s",
			 shown(c, key));
		if (d < 0)
			warn(c, DIAG_IMPORT_LEFT_OUT,
			     "`%s` is not a dimension of %s; left out", what,
			     c->im->m->version);
		else
			get_optional_text(c, reasons, key, what, &c->r->why[d]);
	}
}

/* A source as the reference may write it: an object, a stringified
 * dict, a bare URL or a bare title. Returns a new object of what it
 * says (title and url, either may be absent). */
static json_t *source_object(const json_t *src)
{
	if (json_is_object(src))
		return json_incref((json_t *)src);
	if (!json_is_string(src))
		return json_object();
	const char *s = json_string_value(src);
	json_t *dict = reftext_dict(s);
	if (dict)
		return dict;
	struct buf b = BUF_INIT;
	bool repaired;
	bool url = reftext_url(s, &b, &repaired) && !repaired;
	buf_free(&b);
	return json_pack("{s:s}", url ? "url" : "title", s);
}

/*
 * One source. Its date is its `accessed`, else a trailing "(accessed
 * YYYY-MM-DD)" in its title (taken out of the title); one without a
 * usable date is dated by the review (settle_dates()). A source with no
 * usable URL is still cited: by the official page, its title saying so.
 */
static void read_source(struct company *c, const json_t *src, size_t i,
			struct evidence *e)
{
	char what[48];
	snprintf(what, sizeof(what), "policy.sources[%zu]", i);
	json_t *o = source_object(src);
	struct text url = { NULL, 0, { 0, 0 } };
	json_t *title = member(o, "title"), *u = member(o, "url");
	if (json_is_string(title))
		e->title = make_text(c, json_string_value(title),
				     json_string_length(title));
	bool has_url = json_is_string(u) && json_string_length(u);
	if (has_url) {
		char key[64];
		snprintf(key, sizeof(key), "%s.url", what);
		read_url(c, json_string_value(u), key, &url);
	}
	size_t title_len, date_len;
	const char *date, *why = NULL;
	json_t *accessed = member(o, "accessed");
	if (json_is_string(accessed)) {
		if (!parse_date(c, json_string_value(accessed),
				json_string_length(accessed), &e->accessed,
				&why))
			warn(c, DIAG_IMPORT_INFERRED,
			     "`%s.accessed` `%s` %s; dated by the review", what,
			     shown(c, json_string_value(accessed)), why);
	} else if (e->title.s &&
		   reftext_split_accessed(e->title.s, e->title.len, &title_len,
					  &date, &date_len)) {
		if (!parse_date(c, date, date_len, &e->accessed, &why))
			warn(c, DIAG_IMPORT_INFERRED,
			     "`%s`: the date in its title (`%.*s`) %s; dated "
			     "by the review",
			     what, (int)date_len, date, why);
		e->title = make_text(c, e->title.s, title_len);
	}
	if (!e->title.len)
		e->title = url.s ? url : const_text(c, "Source");
	if (url.s) {
		e->url = url;
	} else {
		/* The official page stands in; the title says so. */
		warn(c, DIAG_IMPORT_NO_URL,
		     "`%s` (`%s`) has %s; cited with the official page "
		     "(policy_url) in its place, its title noted",
		     what, shown(c, e->title.s),
		     has_url ? "no usable URL" : "no URL");
		struct buf t = BUF_INIT;
		buf_printf(&t,
			   "%s (no link given; the official page is cited "
			   "in its place)",
			   e->title.s);
		e->title = make_text(c, t.data, t.len);
		buf_free(&t);
		e->url = c->r->official_page;
	}
	json_decref(o);
}

static void read_sources(struct company *c, const json_t *policy)
{
	struct record *r = c->r;
	json_t *v = member(policy, "sources");
	size_t n = json_is_array(v) ? json_array_size(v) : 0;
	r->evidence = arena_array(c->arena, n ? n : 1, sizeof(*r->evidence));
	size_t i;
	json_t *src;
	json_array_foreach (json_is_array(v) ? v : NULL, i, src)
		read_source(c, src, i, &r->evidence[r->nevidence++]);
	if (r->nevidence)
		return;
	/* A record cites at least one source: the official page. */
	r->evidence[r->nevidence++] = (struct evidence){
		.title = const_text(c, "Official page (the source lists no "
				       "sources)"),
		.url = r->official_page,
	};
	warn(c, DIAG_IMPORT_NO_URL,
	     "`policy.sources` %s; the official page (policy_url) is cited "
	     "as the evidence",
	     !v			? "is missing"
	     : json_is_array(v) ? "is empty"
				: "is not a list");
}

/*
 * The review date: policy_checked, and never before a source was
 * accessed (a source read later was checked later). Without a usable
 * policy_checked: the newest source's date, the file's `generated`, or
 * today, in that order. Sources without a date of their own take it.
 */
static void settle_dates(struct company *c, const json_t *policy,
			 const json_t *j)
{
	struct record *r = c->r;
	json_t *v = member(policy, "policy_checked");
	const char *what = "policy.policy_checked";
	if (!v && (v = member(j, "reviewed")) != NULL)
		what = "reviewed";
	const char *why = "is missing";
	if (json_is_string(v))
		parse_date(c, json_string_value(v), json_string_length(v),
			   &r->reviewed, &why);
	else if (v)
		why = "is not a text";
	date_days newest = 0;
	bool any = false;
	for (size_t i = 0; i < r->nevidence; i++) {
		const struct date_value *a = &r->evidence[i].accessed;
		if (a->set && (!any || a->days > newest))
			newest = a->days, any = true;
	}
	char day[DATE_ISO_LEN + 1];
	if (!r->reviewed.set) {
		const char *from = any ? "the newest source's date"
				   : c->im->generated.set ? "the file's date"
							  : "today";
		date_days d = any		     ? newest
			      : c->im->generated.set ? c->im->generated.days
						     : c->im->opts->today;
		r->reviewed = (struct date_value){ d, true, { 0, 0 } };
		date_format(d, day);
		if (json_is_string(v))
			warn(c, DIAG_IMPORT_INFERRED,
			     "`%s` `%s` %s; reviewed on %s, %s", what,
			     shown(c, json_string_value(v)), why, day, from);
		else
			warn(c, DIAG_IMPORT_INFERRED,
			     "`%s` %s; reviewed on %s, %s", what, why, day,
			     from);
	} else if (any && newest > r->reviewed.days) {
		char was[DATE_ISO_LEN + 1];
		date_format(r->reviewed.days, was);
		date_format(newest, day);
		r->reviewed.days = newest;
		warn(c, DIAG_IMPORT_INFERRED,
		     "a source was accessed %s, after `%s` %s; reviewed on %s",
		     day, what, was, day);
	}
	for (size_t i = 0; i < r->nevidence; i++)
		if (!r->evidence[i].accessed.set)
			r->evidence[i].accessed = r->reviewed;
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
		warn(c, DIAG_IMPORT_LEFT_OUT,
		     "`%s.score` is not a number from 0 to 100; left out "
		     "(scores are recomputed)",
		     tier);
	else if (s)
		*score = (int)lround(json_number_value(s));
	const char *letter = json_is_string(g) ? json_string_value(g) : NULL;
	if (g &&
	    (!letter || strlen(letter) != 1 ||
	     !method_grade(c->im->m, (char)toupper((unsigned char)*letter))))
		warn(c, DIAG_IMPORT_LEFT_OUT,
		     "`%s.grade` is not a grade letter; left out (grades are "
		     "recomputed)",
		     tier);
	else if (g)
		*grade = (char)toupper((unsigned char)*letter);
}

/* The official page: policy_url, else the first source's URL. */
static void read_official_page(struct company *c, const json_t *policy)
{
	json_t *v = member(policy, "policy_url");
	const char *given = json_is_string(v) ? json_string_value(v) : NULL;
	if (given &&
	    read_url(c, given, "policy.policy_url", &c->r->official_page))
		return;
	struct buf said = BUF_INIT;
	if (given)
		buf_printf(&said, "`%s` is not a web address", shown(c, given));
	else
		buf_puts(&said, "is missing");
	json_t *sources = member(policy, "sources");
	size_t i;
	json_t *src;
	json_array_foreach (json_is_array(sources) ? sources : NULL, i, src) {
		json_t *o = source_object(src);
		json_t *u = member(o, "url");
		bool ok = json_is_string(u) &&
			  read_url(c, json_string_value(u), "policy.sources",
				   &c->r->official_page);
		json_decref(o);
		if (ok) {
			warn(c, DIAG_IMPORT_INFERRED,
			     "`policy.policy_url` %s; the official page is "
			     "the URL of `policy.sources[%zu]`, %s",
			     said.data, i, c->r->official_page.s);
			break;
		}
	}
	if (!c->r->official_page.s)
		fail(c, given ? DIAG_BAD_URL : DIAG_MISSING_KEY,
		     "`policy.policy_url` %s, and no source has a URL: a "
		     "record needs its official page",
		     said.data);
	buf_free(&said);
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
	read_levels(c, policy);
	read_reasons(c, policy);
	if (!get_optional_text(c, policy, "policy_summary",
			       "policy.policy_summary", &r->summary)) {
		r->summary = const_text(c, "The source gives no summary.");
		warn(c, DIAG_IMPORT_INFERRED,
		     "`policy.policy_summary` is missing or empty; the "
		     "summary says so");
	}
	read_official_page(c, policy);
	json_t *refund = member(policy, "refund_url");
	if (json_is_string(refund) &&
	    !read_url(c, json_string_value(refund), "policy.refund_url",
		      &r->refund_page))
		warn(c, DIAG_IMPORT_LEFT_OUT,
		     "`policy.refund_url` `%s` is not a web address; left out",
		     shown(c, json_string_value(refund)));
	struct flag fee;
	if (get_optional_flag(c, policy, "exit_fee", "policy.exit_fee", &fee) &&
	    fee.v)
		r->exit_fee = fee;
	if (r->official_page.s)
		read_sources(c, policy);
	settle_dates(c, policy, j);
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
		if (get_text(c, item, "sha256", w, true, &f->sha256) &&
		    !validate_sha256(f->sha256.s))
			fail(c, DIAG_BAD_HASH,
			     "`%s` must be 64 hexadecimal digits (got %zu "
			     "characters)",
			     w, f->sha256.len);
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
		fail(c, DIAG_EMPTY_VALUE,
		     "the file lists no recording or screenshot for it, and "
		     "an audit stands on its evidence files");
		return false;
	}
	struct text t;
	const char *why = "is missing";
	if (!json_is_string(date) ||
	    !parse_date(c, json_string_value(date), json_string_length(date),
			&a->date, &why))
		fail(c, DIAG_BAD_DATE, "`%s` %s", w, why);

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

/*
 * One audit read with its problems kept to itself: an audit with a
 * problem is left out, with a warning naming it, and the company is
 * imported with the audits that are whole.
 */
static bool read_whole_audit(struct company *c, const json_t *o,
			     const json_t *facts, const char *what,
			     struct audit *a)
{
	c->in_audit = true;
	buf_reset(&c->audit_problem);
	bool ok = read_audit(c, o, facts, what, a) && !c->audit_problem.len;
	c->in_audit = false;
	if (!ok) {
		json_t *date = audit_member(o, facts, "date", "audit_date");
		warn(c, DIAG_IMPORT_LEFT_OUT,
		     "`%s` (the audit of %s) is left out: %s", what,
		     json_is_string(date) ? shown(c, json_string_value(date))
					  : "an unknown date",
		     buf_cstr(&c->audit_problem));
		memset(a, 0, sizeof(*a));
	}
	return ok;
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
		left_out(c, "flow", flow, "an object");
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
				left_out(c, what, item, "an audit");
			else if (read_whole_audit(c, item, NULL, what,
						  &r->flow[r->nflow]))
				r->nflow++;
		}
	} else if (facts && json_is_object(facts)) {
		r->flow = arena_alloc(c->arena, sizeof(*r->flow));
		if (read_whole_audit(c, flow, facts, "flow", r->flow))
			r->nflow = 1;
		json_t *count = member(flow, "audits");
		if (r->nflow && json_is_integer(count) &&
		    json_integer_value(count) > 1)
			note(c,
			     "the file gives only the latest of its %lld flow "
			     "audits",
			     (long long)json_integer_value(count));
	} else {
		warn(c, DIAG_IMPORT_LEFT_OUT,
		     "`flow` has no audit facts (`all_audits` or `facts`); "
		     "left out");
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

/* All of @b to @fd, through short writes and signals: 0, or -1. */
static int write_all(int fd, const struct buf *b)
{
	for (size_t done = 0; done < b->len;) {
		ssize_t n = write(fd, b->data + done, b->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
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
	if (rc == 0)
		rc = write_all(fd, yaml);
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
	text = safefile_read_all(tmp, &len);
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
	read_name(&c, j);
	read_jurisdiction(&c, j);
	read_id(&c, j);
	if (c.bad)
		goto out; /* no record to speak of */
	read_industry(&c, j);
	struct flag fictional;
	if (get_optional_flag(&c, j, "fictional", "fictional", &fictional) &&
	    fictional.v)
		r->fictional = fictional;
	read_policy(&c, j);
	read_channels(&c, j); /* after the levels it may be read from */
	read_pause(&c, j);
	read_deletion(&c, j);
	read_flow(&c, j);
	if (c.bad)
		goto out;

	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s.yaml", im->records_dir, r->id.s);
	r->file = arena_strdup(c.arena, path.data);
	buf_free(&path);
	if (!write_record(&c))
		goto out;
	id_add(&im->ids, r->id.s);
	fputs(buf_cstr(&c.notes), im->report);
	if (compare_scores(&c))
		im->st.differences++;
	im->st.imported++;
out:
	if (c.bad)
		im->st.skipped++;
	buf_free(&c.notes);
	buf_free(&c.audit_problem);
	arena_free(c.arena);
}

/* ---- the file -------------------------------------------------------- */

static int load_industries(struct importer *im)
{
	struct industry_list list;
	int got =
		dataset_industries_read(im->data_dir, im->arena, im->d, &list);
	if (got == -1)
		diag_add(im->d, DIAG_IO, list.file, 0, 0,
			 "cannot read the industries list: %s (an import "
			 "needs a data folder with industries.yaml)",
			 strerror(errno));
	im->industries = list.v;
	im->nindustries = list.n;
	im->capindustries = im->nindustries;
	/* Kept as written, comments and all; new industries go after. */
	im->industries_text = list.text;
	return got == 0 && !diag_count(im->d, DIAG_ERROR) ? 0 : -1;
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

/*
 * DATA/industries.yaml as it was read, with the industries this import
 * added after it, written to a new file and renamed over the old one.
 */
static int write_industries(struct importer *im)
{
	struct buf text = BUF_INIT, path = BUF_INIT, tmp = BUF_INIT;
	buf_puts(&text, im->industries_text);
	if (text.len && text.data[text.len - 1] != '\n')
		buf_putc(&text, '\n');
	size_t first = im->nindustries - im->st.industries_added;
	for (size_t i = first; i < im->nindustries; i++) {
		const struct industry *ind = &im->industries[i];
		record_yaml_put_text(&text, "- ", "name", ind->name.s,
				     ind->name.len);
		record_yaml_put_text(&text, "  ", "slug", ind->slug.s,
				     ind->slug.len);
	}
	buf_printf(&path, "%s/industries.yaml", im->data_dir);
	buf_printf(&tmp, "%s.XXXXXX", path.data);
	int fd = mkstemp(tmp.data);
	int rc = fd < 0 ? -1 : write_all(fd, &text);
	if (fd >= 0 && fchmod(fd, 0644) != 0)
		rc = -1;
	if (fd >= 0 && close(fd) != 0)
		rc = -1;
	if (rc == 0)
		rc = rename(tmp.data, path.data);
	if (rc != 0 && fd >= 0)
		unlink(tmp.data);
	buf_free(&text);
	buf_free(&path);
	buf_free(&tmp);
	return rc;
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

/* The file's own date (`generated`, a date or a timestamp): reviews
 * that give none of their own fall back to it. */
static void read_generated(struct importer *im, const json_t *root)
{
	json_t *v = json_is_object(root) ? member(root, "generated") : NULL;
	date_days d;
	if (json_is_string(v) &&
	    reftext_date(json_string_value(v), json_string_length(v), &d) ==
		    0 &&
	    d <= im->opts->today)
		im->generated = (struct date_value){ d, true, { 0, 0 } };
	else if (v)
		fprintf(im->report,
			"the file's `generated` is not a date up to today; "
			"it is not used\n");
}

/*
 * The last lines of the report: how many records, then, when there were
 * any, the warnings by kind and the industries added.
 */
static void put_summary(const struct importer *im)
{
	const struct import_stats *st = &im->st;
	fprintf(im->report,
		"%s %zu record%s into %s (%zu skipped, %zu score "
		"difference%s)\n",
		im->opts->dry_run ? "would import" : "imported", st->imported,
		st->imported == 1 ? "" : "s", im->records_dir, st->skipped,
		st->differences, st->differences == 1 ? "" : "s");
	const struct {
		size_t n;
		enum diag_code code;
	} kinds[] = {
		{ st->no_url, DIAG_IMPORT_NO_URL },
		{ st->left_out, DIAG_IMPORT_LEFT_OUT },
		{ st->inferred, DIAG_IMPORT_INFERRED },
	};
	if (st->no_url + st->left_out + st->inferred) {
		fprintf(im->report, "warnings:");
		for (size_t i = 0, k = 0; i < ATLAS_COUNT(kinds); i++)
			if (kinds[i].n)
				fprintf(im->report, "%s %zu %s (%s)",
					k++ ? "," : "", kinds[i].n,
					diag_code_str(kinds[i].code),
					diag_code_summary(kinds[i].code));
		fputc('\n', im->report);
	}
	if (st->industries_added) {
		fprintf(im->report, "industries %s:",
			im->opts->dry_run ? "to add" : "added");
		for (size_t i = im->nindustries - st->industries_added;
		     i < im->nindustries; i++)
			fprintf(im->report, " %s%s", im->industries[i].name.s,
				i + 1 < im->nindustries ? ";" : "\n");
	}
}

/* import_file() when @text is NULL, else import_text() of @text. */
static int import_json(const char *path, const char *text, size_t len,
		       const char *data_dir, const struct import_opts *opts,
		       FILE *report, struct diag *d, struct import_stats *stats)
{
	struct importer im = { .file = path,
			       .data_dir = data_dir,
			       .opts = opts,
			       .m = method_current(),
			       .arena = arena_new(),
			       .report = report,
			       .d = d };
	struct buf records = BUF_INIT;
	buf_printf(&records, "%s/records", data_dir);
	im.records_dir = records.data;
	json_t *root = NULL, *list = NULL;
	int rc = -2;
	if (load_industries(&im) != 0 || open_records_dir(&im) != 0)
		goto out;

	rc = -1;
	json_error_t err;
	if (text) {
		root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	} else {
		FILE *f = fopen(path, "rb");
		if (!f) {
			diag_add(d, DIAG_IO, path, 0, 0, "cannot read: %s",
				 strerror(errno));
			goto out;
		}
		root = json_loadf(f, JSON_REJECT_DUPLICATES, &err);
		fclose(f);
	}
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
	read_generated(&im, root);
	im.st.companies = json_array_size(list);
	for (size_t i = 0; i < im.st.companies; i++)
		import_company(&im, i, json_array_get(list, i));
	put_summary(&im);
	rc = 0;
out:
	if (stats)
		*stats = im.st;
	json_decref(list);
	json_decref(root);
	id_set_free(&im.ids);
	buf_free(&records);
	arena_free(im.arena);
	return rc;
}

int import_file(const char *path, const char *data_dir,
		const struct import_opts *opts, FILE *report, struct diag *d,
		struct import_stats *stats)
{
	return import_json(path, NULL, 0, data_dir, opts, report, d, stats);
}

int import_text(const char *name, const char *text, size_t len,
		const char *data_dir, const struct import_opts *opts,
		FILE *report, struct diag *d, struct import_stats *stats)
{
	return import_json(name, text, len, data_dir, opts, report, d, stats);
}

int import_command(const char *file, const char *data_dir, bool force,
		   bool dry_run, FILE *report)
{
	struct import_opts opts = { force, dry_run, date_today() };
	struct diag *d = diag_new();
	/* Each warning is about one company of the one reference file:
	 * every one is worth reading. */
	diag_show_all(d);
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
