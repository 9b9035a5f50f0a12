/*
 * import_map.c - one company of a companies.json mapped to a struct
 * record, field by field.
 *
 * Each field goes through its own translation: the id made a slug with
 * the jurisdiction suffix check requires, channel labels to ids, the
 * reference's free text to facts (reftext.c), levels between the rubric's
 * to the level below, sources in any of the forms the reference writes,
 * and the review date settled against them. Industries are matched in
 * import_industry.c and audits read in import_audit.c. A value that cannot
 * be taken as it stands is recorded as the text says, or left out, with a
 * warning; the company fails only when no record can be made of it.
 */
#include "arena.h"
#include "buf.h"
#include "import_internal.h"
#include "juris.h"
#include "method.h"
#include "reftext.h"
#include "slug.h"
#include "utf8.h"
#include "validate.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- name, jurisdiction and id --------------------------------------- */

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a > b && !strcmp(s + a - b, suffix);
}

/* The name; without one, the id, which names the company too. */
static void read_name(struct company *c, const json_t *j)
{
	json_t *v = import_member(j, "name");
	json_t *id = import_member(j, "id");
	if (v && !json_is_string(v)) {
		import_fail(c, DIAG_BAD_TYPE, "`name` must be a string, not %s",
			    import_json_kind(v));
	} else if (import_get_text(c, j, "name", "name", false, &c->r->name)) {
		return;
	} else if (json_is_string(id) && json_string_length(id)) {
		c->r->name = import_make_text(c, json_string_value(id),
					      json_string_length(id));
		import_warn(c, DIAG_IMPORT_INFERRED,
			    "`name` is %s; the id `%s` is used as the name",
			    v ? "empty" : "missing",
			    import_shown(c, c->r->name.s));
	} else {
		import_fail(c, DIAG_MISSING_KEY,
			    "`name` is %s, and there is no id",
			    v ? "empty" : "missing");
	}
}

static void read_jurisdiction(struct company *c, const json_t *j)
{
	struct text t;
	if (!import_get_text(c, j, "jurisdiction", "jurisdiction", true, &t))
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
			c->r->jurisdiction = import_make_text(c, upper, t.len);
			return;
		}
	}
	import_fail(c, DIAG_UNKNOWN_JURISDICTION,
		    "unknown jurisdiction `%s`; use an ISO 3166-1 alpha-2 "
		    "code, UK, EU, or an ISO 3166-2 subdivision such as US-CA",
		    import_shown(c, t.s));
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
	json_t *v = import_member(j, "id");
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
		slug_from_url(
			import_member(import_member(j, "policy"), "policy_url"),
			base, sizeof(base));
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
	for (unsigned k = 2; import_id_taken(c->im, id.data); k++) {
		buf_reset(&id);
		buf_printf(&id, "%.*s-%u%s", (int)stem, base, k, suffix);
	}
	r->id = import_make_text(c, id.data, id.len);
	buf_free(&id);
	if (strcmp(first, r->id.s))
		import_warn(c, DIAG_IMPORT_INFERRED,
			    "the id `%s` is taken by an earlier company; "
			    "imported as `%s`",
			    first, r->id.s);
	free(first);
	if (from_name && v)
		import_note(
			c, "the id `%s` is not a slug; imported as `%s`",
			import_shown(c, given ? given : import_json_kind(v)),
			r->id.s);
	else if (from_name)
		import_note(c, "no id given; imported as `%s`", r->id.s);
	else if (strcmp(given, r->id.s) && *suffix && !ends_with(given, suffix))
		import_note(c,
			    "the id `%s` lacks the jurisdiction suffix `%s`; "
			    "imported as `%s`",
			    given, suffix, r->id.s);
}

/* ---- channels, pause and account deletion ---------------------------- */

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
	json_t *v = import_member(j, "cancellation_types");
	if (v && !json_is_array(v))
		import_left_out(c, "cancellation_types", v, "a list");
	size_t i;
	json_t *item;
	json_array_foreach (json_is_array(v) ? v : NULL, i, item) {
		const char *label =
			json_is_string(item) ? json_string_value(item) : NULL;
		int ch = label ? record_channel_from_label(label) : -1;
		if (ch < 0) {
			import_warn(c, DIAG_IMPORT_LEFT_OUT,
				    "`cancellation_types[%zu]` `%s` is not a "
				    "channel of the record format; left out",
				    i,
				    label ? import_shown(c, label)
					  : import_json_kind(item));
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
	import_warn(c, DIAG_IMPORT_INFERRED,
		    "`cancellation_types` names no channel; `%s` is recorded, "
		    "as cancel_url %d reads in the rubric",
		    record_channel_id(ch), level);
}

/* A pause (offered, note) from one of the forms the reference and we
 * have written: our {offered, note}, true/false, or the text. */
static void read_pause(struct company *c, const json_t *j)
{
	struct record *r = c->r;
	json_t *detail = import_member(j, "pause_detail");
	json_t *v = json_is_object(detail) ? detail : import_member(j, "pause");
	bool unstated = false;
	if (json_is_object(v)) {
		if (import_get_flag(c, v, "offered", "pause.offered", true,
				    &r->pause_offered))
			import_get_optional_text(c, v, "note", "pause.note",
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
		r->pause_note = import_make_text(c, rest, len);
		unstated = st == REFTEXT_UNSTATED && !len;
		if (st == REFTEXT_UNSTATED && len) {
			/* Readers see "not offered" beside it: say why. */
			r->pause_note = import_format_text(
				c,
				"The source does not say whether a pause is "
				"offered; it says: \u201c%s\u201d",
				r->pause_note.s);
			import_warn(c, DIAG_IMPORT_INFERRED,
				    "`pause` does not say whether a pause is "
				    "offered (`%s`); recorded as not offered, "
				    "the text quoted in the note",
				    import_shown(c, s));
		} else if (unstated)
			import_warn(c, DIAG_IMPORT_INFERRED,
				    "`pause` is %s; recorded as not offered, "
				    "with a note that the source does not say",
				    !v			? "missing"
				    : json_is_string(v) ? "empty"
							: import_json_kind(v));
	}
	if (r->pause_note.len)
		return;
	/* The status alone is the whole fact; say it in the note. */
	r->pause_note = import_const_text(
		c,
		unstated ? "The source does not say whether a pause is offered."
		: r->pause_offered.v ? "Offered."
				     : "Not offered.");
}

/* Account deletion (note, url): our {note, url}, or the reference's
 * note with its URL at the end. */
static void read_deletion(struct company *c, const json_t *j)
{
	struct record *r = c->r;
	json_t *detail = import_member(j, "data_deletion_detail");
	json_t *v = json_is_object(detail) ? detail
					   : import_member(j, "data_deletion");
	const char *what =
		v && v == detail ? "data_deletion_detail" : "data_deletion";
	char key[48];
	if (json_is_object(v)) {
		snprintf(key, sizeof(key), "%s.note", what);
		import_get_optional_text(c, v, "note", key, &r->deletion_note);
		json_t *url = import_member(v, "url");
		snprintf(key, sizeof(key), "%s.url", what);
		if (json_is_string(url) &&
		    !import_read_url(c, json_string_value(url), key,
				     &r->deletion_url))
			import_warn(c, DIAG_IMPORT_LEFT_OUT,
				    "`%s` `%s` is not a web address; left out",
				    key,
				    import_shown(c, json_string_value(url)));
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v), *url;
		size_t len, url_len;
		reftext_split_url(s, &len, &url, &url_len);
		char *u = url ? arena_strndup(c->arena, url, url_len) : NULL;
		/* A URL that is no web address stays in the note. */
		if (u && !import_read_url(c, u, what, &r->deletion_url))
			len = strlen(s);
		r->deletion_note = import_make_text(c, s, len);
	} else if (v) {
		import_left_out(c, what, v, "a text");
	}
	if (r->deletion_note.len)
		return;
	r->deletion_note = import_const_text(
		c,
		r->deletion_url.s
			? "The source gives only this link."
			: "The source does not say how to delete the account.");
	import_warn(c, DIAG_IMPORT_INFERRED,
		    "`%s` gives no note on deleting the account%s; the note "
		    "says so",
		    what, r->deletion_url.s ? ", only a link" : "");
}

/* ---- the policy ------------------------------------------------------ */

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
	json_t *scores = import_member(policy, "scores");
	if (scores && !json_is_object(scores)) {
		import_left_out(c, "policy.scores", scores, "an object");
		scores = NULL;
	}
	for (size_t i = 0; i < tier->ndims; i++) {
		const struct method_dim *dim = &tier->dims[i];
		struct number *v = &c->r->policy[i];
		json_t *x = import_member(scores, dim->id);
		if (!json_is_number(x)) {
			int lowest = level_at_most(dim, -1);
			*v = (struct number){ lowest, true, { 0, 0 } };
			import_warn(c, DIAG_IMPORT_INFERRED,
				    "`policy.scores.%s` is %s; recorded as %d, "
				    "the lowest level",
				    dim->id,
				    x ? import_json_kind(x) : "missing",
				    lowest);
			continue;
		}
		double got = json_number_value(x);
		int level = level_at_most(dim, got);
		*v = (struct number){ level, true, { 0, 0 } };
		if (got != level) {
			struct buf allowed = BUF_INIT;
			method_levels_put(dim, &allowed);
			import_warn(
				c, DIAG_IMPORT_INFERRED,
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
			import_warn(c, DIAG_IMPORT_LEFT_OUT,
				    "`policy.scores.%s` is not a dimension of "
				    "%s; left out",
				    import_shown(c, key), c->im->m->version);
	}
}

static void read_reasons(struct company *c, const json_t *policy)
{
	const struct method_tier *tier = &c->im->m->policy;
	json_t *reasons = import_member(policy, "reasons");
	if (reasons && !json_is_object(reasons)) {
		import_left_out(c, "policy.reasons", reasons, "an object");
		return;
	}
	const char *key;
	json_t *val;
	json_object_foreach (reasons, key, val) {
		int d = method_dim_index(tier, key);
		char what[96];
		snprintf(what, sizeof(what), "policy.reasons.%s",
			 import_shown(c, key));
		if (d < 0)
			import_warn(c, DIAG_IMPORT_LEFT_OUT,
				    "`%s` is not a dimension of %s; left out",
				    what, c->im->m->version);
		else
			import_get_optional_text(c, reasons, key, what,
						 &c->r->why[d]);
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
	json_t *title = import_member(o, "title"), *u = import_member(o, "url");
	if (json_is_string(title))
		e->title = import_make_text(c, json_string_value(title),
					    json_string_length(title));
	bool has_url = json_is_string(u) && json_string_length(u);
	if (has_url) {
		char key[64];
		snprintf(key, sizeof(key), "%s.url", what);
		import_read_url(c, json_string_value(u), key, &url);
	}
	size_t title_len, date_len;
	const char *date, *why = NULL;
	json_t *accessed = import_member(o, "accessed");
	if (json_is_string(accessed)) {
		if (!import_parse_date(c, json_string_value(accessed),
				       json_string_length(accessed),
				       &e->accessed, &why))
			import_warn(
				c, DIAG_IMPORT_INFERRED,
				"`%s.accessed` `%s` %s; dated by the review",
				what,
				import_shown(c, json_string_value(accessed)),
				why);
	} else if (e->title.s &&
		   reftext_split_accessed(e->title.s, e->title.len, &title_len,
					  &date, &date_len)) {
		if (!import_parse_date(c, date, date_len, &e->accessed, &why))
			import_warn(c, DIAG_IMPORT_INFERRED,
				    "`%s`: the date in its title (`%.*s`) %s; "
				    "dated by the review",
				    what, (int)date_len, date, why);
		e->title = import_make_text(c, e->title.s, title_len);
	}
	if (!e->title.len)
		e->title = url.s ? url : import_const_text(c, "Source");
	if (url.s) {
		e->url = url;
	} else {
		/* The official page stands in; the title says so. */
		import_warn(c, DIAG_IMPORT_NO_URL,
			    "`%s` (`%s`) has %s; cited with the official page "
			    "(policy_url) in its place, its title noted",
			    what, import_shown(c, e->title.s),
			    has_url ? "no usable URL" : "no URL");
		e->title = import_format_text(c,
					      "%s (no link given; the official "
					      "page is cited in its place)",
					      e->title.s);
		e->url = c->r->official_page;
	}
	json_decref(o);
}

static void read_sources(struct company *c, const json_t *policy)
{
	struct record *r = c->r;
	json_t *v = import_member(policy, "sources");
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
		.title = import_const_text(
			c, "Official page (the source lists no sources)"),
		.url = r->official_page,
	};
	import_warn(c, DIAG_IMPORT_NO_URL,
		    "`policy.sources` %s; the official page (policy_url) is "
		    "cited as the evidence",
		    !v		       ? "is missing"
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
	json_t *v = import_member(policy, "policy_checked");
	const char *what = "policy.policy_checked";
	if (!v && (v = import_member(j, "reviewed")) != NULL)
		what = "reviewed";
	const char *why = "is missing";
	if (json_is_string(v))
		import_parse_date(c, json_string_value(v),
				  json_string_length(v), &r->reviewed, &why);
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
			import_warn(c, DIAG_IMPORT_INFERRED,
				    "`%s` `%s` %s; reviewed on %s, %s", what,
				    import_shown(c, json_string_value(v)), why,
				    day, from);
		else
			import_warn(c, DIAG_IMPORT_INFERRED,
				    "`%s` %s; reviewed on %s, %s", what, why,
				    day, from);
	} else if (any && newest > r->reviewed.days) {
		char was[DATE_ISO_LEN + 1];
		date_format(r->reviewed.days, was);
		date_format(newest, day);
		r->reviewed.days = newest;
		import_warn(c, DIAG_IMPORT_INFERRED,
			    "a source was accessed %s, after `%s` %s; reviewed "
			    "on %s",
			    day, what, was, day);
	}
	for (size_t i = 0; i < r->nevidence; i++)
		if (!r->evidence[i].accessed.set)
			r->evidence[i].accessed = r->reviewed;
}

/* A stated score and grade, kept to compare with ours. */
void import_read_stated(struct company *c, const json_t *o, const char *tier,
			int *score, char *grade)
{
	*score = -1;
	*grade = 0;
	json_t *s = import_member(o, "score"), *g = import_member(o, "grade");
	if (s && (!json_is_number(s) || json_number_value(s) < 0 ||
		  json_number_value(s) > 100))
		import_warn(c, DIAG_IMPORT_LEFT_OUT,
			    "`%s.score` is not a number from 0 to 100; left "
			    "out (scores are recomputed)",
			    tier);
	else if (s)
		*score = (int)lround(json_number_value(s));
	const char *letter = json_is_string(g) ? json_string_value(g) : NULL;
	if (g &&
	    (!letter || strlen(letter) != 1 ||
	     !method_grade(c->im->m, (char)toupper((unsigned char)*letter))))
		import_warn(c, DIAG_IMPORT_LEFT_OUT,
			    "`%s.grade` is not a grade letter; left out "
			    "(grades are recomputed)",
			    tier);
	else if (g)
		*grade = (char)toupper((unsigned char)*letter);
}

/* The official page: policy_url, else the first source's URL. */
static void read_official_page(struct company *c, const json_t *policy)
{
	json_t *v = import_member(policy, "policy_url");
	const char *given = json_is_string(v) ? json_string_value(v) : NULL;
	if (given && import_read_url(c, given, "policy.policy_url",
				     &c->r->official_page))
		return;
	struct buf said = BUF_INIT;
	if (given)
		buf_printf(&said, "`%s` is not a web address",
			   import_shown(c, given));
	else
		buf_puts(&said, "is missing");
	json_t *sources = import_member(policy, "sources");
	size_t i;
	json_t *src;
	json_array_foreach (json_is_array(sources) ? sources : NULL, i, src) {
		json_t *o = source_object(src);
		json_t *u = import_member(o, "url");
		bool ok =
			json_is_string(u) &&
			import_read_url(c, json_string_value(u),
					"policy.sources", &c->r->official_page);
		json_decref(o);
		if (ok) {
			import_warn(c, DIAG_IMPORT_INFERRED,
				    "`policy.policy_url` %s; the official page "
				    "is the URL of `policy.sources[%zu]`, %s",
				    said.data, i, c->r->official_page.s);
			break;
		}
	}
	if (!c->r->official_page.s)
		import_fail(c, given ? DIAG_BAD_URL : DIAG_MISSING_KEY,
			    "`policy.policy_url` %s, and no source has a URL: "
			    "a record needs its official page",
			    said.data);
	buf_free(&said);
}

static void read_policy(struct company *c, const json_t *j)
{
	struct record *r = c->r;
	json_t *policy = import_member(j, "policy");
	if (!policy) {
		import_fail(c, DIAG_MISSING_KEY, "`policy` is missing");
		return;
	}
	if (!json_is_object(policy)) {
		import_fail(c, DIAG_BAD_TYPE,
			    "`policy` must be an object, not %s",
			    import_json_kind(policy));
		return;
	}
	read_levels(c, policy);
	read_reasons(c, policy);
	if (!import_get_optional_text(c, policy, "policy_summary",
				      "policy.policy_summary", &r->summary)) {
		r->summary =
			import_const_text(c, "The source gives no summary.");
		import_warn(c, DIAG_IMPORT_INFERRED,
			    "`policy.policy_summary` is missing or empty; the "
			    "summary says so");
	}
	read_official_page(c, policy);
	json_t *refund = import_member(policy, "refund_url");
	if (json_is_string(refund) &&
	    !import_read_url(c, json_string_value(refund), "policy.refund_url",
			     &r->refund_page))
		import_warn(c, DIAG_IMPORT_LEFT_OUT,
			    "`policy.refund_url` `%s` is not a web address; "
			    "left out",
			    import_shown(c, json_string_value(refund)));
	struct flag fee;
	if (import_get_optional_flag(c, policy, "exit_fee", "policy.exit_fee",
				     &fee) &&
	    fee.v)
		r->exit_fee = fee;
	if (r->official_page.s)
		read_sources(c, policy);
	settle_dates(c, policy, j);
	import_read_stated(c, policy, "policy", &c->stated_score,
			   &c->stated_grade);
}

/* ---- the company ----------------------------------------------------- */

bool import_company_read(struct company *c, const json_t *j)
{
	struct record *r = c->r;
	read_name(c, j);
	read_jurisdiction(c, j);
	read_id(c, j);
	if (c->bad)
		return false; /* no record to speak of */
	import_industry_read(c, j);
	struct flag fictional;
	if (import_get_optional_flag(c, j, "fictional", "fictional",
				     &fictional) &&
	    fictional.v)
		r->fictional = fictional;
	read_policy(c, j);
	read_channels(c, j); /* after the levels it may be read from */
	read_pause(c, j);
	read_deletion(c, j);
	import_flow_read(c, j);
	return !c->bad;
}
