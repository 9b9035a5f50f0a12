/*
 * validate.c - the semantic rules of the record format.
 *
 * The loader has already checked shape and types; here a record is checked
 * against the methodology (rubric levels, audit keywords), the world
 * (industries, jurisdiction codes, today's date, URL syntax) and itself
 * (the id against its file name, evidence against the review date, levels
 * against the channels and evidence they describe). What one field asks
 * of its value is the table's check column (record_field.h), walked
 * first; the rules that read several fields follow. Errors block
 * publication; warnings (W1xx) are for an editor's attention only.
 */
#include "validate.h"
#include "buf.h"
#include "hash.h"
#include "internal.h"
#include "juris.h"
#include "record_field.h"
#include "slug.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct check {
	const struct record *r;
	const struct validate_ctx *ctx;
	struct diag *d;
};

bool validate_slug(const char *s)
{
	if (!*s || *s == '-')
		return false;
	for (const char *p = s; *p; p++) {
		if (*p == '-') {
			if (p[1] == '-' || p[1] == '\0')
				return false;
		} else if (!(islower((unsigned char)*p) ||
			     isdigit((unsigned char)*p))) {
			return false;
		}
	}
	return true;
}

bool validate_url(const char *s)
{
	size_t scheme;
	if (!strncasecmp(s, "https://", 8))
		scheme = 8;
	else if (!strncasecmp(s, "http://", 7))
		scheme = 7;
	else
		return false;
	const char *host = s + scheme;
	size_t hostlen = strcspn(host, "/?#");
	if (hostlen == 0)
		return false;
	for (size_t i = 0; i < hostlen; i++) {
		unsigned char c = (unsigned char)host[i];
		if (!(isalnum(c) || c == '.' || c == '-' || c == ':' ||
		      c == '[' || c == ']' || c >= 0x80))
			return false;
	}
	for (const unsigned char *p = (const unsigned char *)host; *p; p++)
		if (*p <= 0x20 || *p == 0x7f || strchr("\"<>\\^`{|}", *p))
			return false;
	/* Invisible direction controls in a link are a spoofing trick. */
	static const char *const controls[] = {
		"\u061c", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c",
		"\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
	};
	for (size_t i = 0; i < ATLAS_COUNT(controls); i++)
		if (strstr(s, controls[i]))
			return false;
	return true;
}

static void check_url(struct check *c, const struct text *t, const char *key)
{
	if (t->s && !validate_url(t->s))
		diag_at(c->d, DIAG_BAD_URL, c->r->file, t->pos,
			"`%s` must be an absolute http:// or https:// URL "
			"(got `%s`)",
			key, t->s);
}

static void check_not_future(struct check *c, const struct date_value *v,
			     const char *key)
{
	if (v->set && v->days > c->ctx->today) {
		char day[DATE_ISO_LEN + 1], today[DATE_ISO_LEN + 1];
		date_format(v->days, day);
		date_format(c->ctx->today, today);
		diag_at(c->d, DIAG_FUTURE_DATE, c->r->file, v->pos,
			"`%s` %s is in the future (today is %s)", key, day,
			today);
	}
}

/* The id: a slug, the file's name, with the jurisdiction's suffix. */
static void check_id(struct check *c, const struct text *id)
{
	const struct record *r = c->r;
	if (!id->s)
		return;
	if (!validate_slug(id->s)) {
		diag_at(c->d, DIAG_BAD_ID, r->file, id->pos,
			"id `%s` must be a lower-case slug: letters, digits "
			"and single hyphens",
			id->s);
		return;
	}
	const char *base = strrchr(r->file, '/');
	base = base ? base + 1 : r->file;
	size_t stem = strlen(base);
	if (stem > 5 && !strcmp(base + stem - 5, ".yaml"))
		stem -= 5;
	if (strlen(id->s) != stem || strncmp(id->s, base, stem))
		diag_at(c->d, DIAG_ID_MISMATCH, r->file, id->pos,
			"id `%s` does not match the file name `%.*s`; a "
			"record's id is its file name",
			id->s, (int)stem, base);

	/* Non-US records carry their jurisdiction: puregym-uk. */
	const char *j = r->jurisdiction.s;
	if (!j || !strcmp(j, "US") || !juris_lookup(j))
		return;
	char suffix[16];
	slug_id_suffix(j, suffix, sizeof(suffix));
	size_t n = strlen(suffix);
	size_t idlen = strlen(id->s);
	if (idlen <= n || strcmp(id->s + idlen - n, suffix))
		diag_at(c->d, DIAG_ID_SUFFIX, r->file, id->pos,
			"id `%s` must end in `%s` for jurisdiction %s "
			"(only US records have a bare id)",
			id->s, suffix, j);
}

static void check_industry(struct check *c, const struct text *t)
{
	if (!t->s)
		return;
	const struct validate_ctx *ctx = c->ctx;
	for (size_t i = 0; i < ctx->nindustries; i++)
		if (!strcmp(ctx->industries[i].name.s, t->s))
			return;
	const char *hint = NULL;
	const char **names = xmalloc((ctx->nindustries + 1) * sizeof(*names));
	for (size_t i = 0; i < ctx->nindustries; i++) {
		names[i] = ctx->industries[i].name.s;
		if (!hint && (!strcasecmp(names[i], t->s) ||
			      !strcmp(ctx->industries[i].slug.s, t->s)))
			hint = names[i];
	}
	if (!hint)
		hint = diag_suggest(t->s, names, ctx->nindustries);
	free(names);
	if (hint)
		diag_at(c->d, DIAG_UNKNOWN_INDUSTRY, c->r->file, t->pos,
			"unknown industry `%s` (did you mean `%s`?)", t->s,
			hint);
	else
		diag_at(c->d, DIAG_UNKNOWN_INDUSTRY, c->r->file, t->pos,
			"unknown industry `%s`; industries are listed in "
			"industries.yaml",
			t->s);
}

static void check_jurisdiction(struct check *c, const struct text *t)
{
	if (!t->s || juris_lookup(t->s))
		return;
	char upper[16];
	size_t n = 0;
	for (const char *p = t->s; *p && n + 1 < sizeof(upper); p++)
		upper[n++] = (char)toupper((unsigned char)*p);
	upper[n] = '\0';
	if (strlen(t->s) < sizeof(upper) && juris_lookup(upper))
		diag_at(c->d, DIAG_UNKNOWN_JURISDICTION, c->r->file, t->pos,
			"unknown jurisdiction `%s` (codes are upper case: "
			"`%s`)",
			t->s, upper);
	else
		diag_at(c->d, DIAG_UNKNOWN_JURISDICTION, c->r->file, t->pos,
			"unknown jurisdiction `%s`; use an ISO 3166-1 "
			"alpha-2 code, UK, EU, or an ISO 3166-2 subdivision "
			"such as US-CA",
			t->s);
}

static void check_levels(struct check *c)
{
	const struct record *r = c->r;
	const struct method_tier *tier = &c->ctx->m->policy;
	for (size_t i = 0; i < tier->ndims; i++) {
		const struct method_dim *dim = &tier->dims[i];
		const struct number *v = &r->policy[i];
		if (!v->set)
			continue;
		if (v->v != floor(v->v) ||
		    !method_level_find(
			    dim, record_number_int(v->v, INT_MIN, INT_MAX))) {
			struct buf allowed = BUF_INIT;
			method_levels_put(dim, &allowed);
			diag_at(c->d, DIAG_BAD_LEVEL, r->file, v->pos,
				"%s must be one of %s (got %g)", dim->id,
				buf_cstr(&allowed), v->v);
			buf_free(&allowed);
			continue;
		}
		if (v->v < 100 && !r->why[i].s)
			diag_at(c->d, DIAG_MISSING_WHY, r->file, v->pos,
				"%s is %g but `why` gives no reason; add "
				"`why: {%s: ...}`",
				dim->id, v->v, dim->id);
		if (v->v == 100 && r->why[i].s)
			diag_at(c->d, DIAG_NEEDLESS_WHY, r->file, r->why[i].pos,
				"a reason is given for %s, which is at 100; "
				"reasons explain lost points",
				dim->id);
	}
}

static int level_of(const struct check *c, const char *dim)
{
	int i = method_dim_index(&c->ctx->m->policy, dim);
	const struct number *v = &c->r->policy[i];
	return v->set ? record_number_int(v->v, INT_MIN, INT_MAX) : -1;
}

static struct src_pos level_pos(const struct check *c, const char *dim)
{
	return c->r->policy[method_dim_index(&c->ctx->m->policy, dim)].pos;
}

/* A level the record's own facts make impossible (W102), at the level. */
static void contradiction(struct check *c, const char *dim, const char *fmt,
			  ...) ATLAS_PRINTF(3, 4);

static void contradiction(struct check *c, const char *dim, const char *fmt,
			  ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_at(c->d, DIAG_CONTRADICTION, c->r->file, level_pos(c, dim), "%s",
		msg);
}

/* Levels that the record's own facts make impossible (W102). */
static void check_contradictions(struct check *c)
{
	const struct record *r = c->r;
	bool online = record_has_channel(r, CHANNEL_ONLINE) ||
		      record_has_channel(r, CHANNEL_IN_APP);
	bool self_serve = online || record_has_channel(r, CHANNEL_APP_STORE);
	int channel = level_of(c, "channel_disclosed");
	int cancel = level_of(c, "cancel_url");
	int find = level_of(c, "findability");
	int refund = level_of(c, "refund_disclosed");

	if (channel >= 80 && r->nchannels && !online)
		contradiction(c, "channel_disclosed",
			      "channel_disclosed %d means self-serve online "
			      "cancelling, but `channels` has neither online "
			      "nor in-app",
			      channel);
	if (channel >= 0 && channel <= 60 && online)
		contradiction(c, "channel_disclosed",
			      "channel_disclosed %d means no self-serve online "
			      "channel is named, but `channels` lists one",
			      channel);
	if (cancel >= 50 && r->nchannels && !self_serve)
		contradiction(c, "cancel_url",
			      "cancel_url %d means a self-serve cancel path, "
			      "but `channels` has no online, in-app or "
			      "app-store channel",
			      cancel);
	if (find == 100 && r->nevidence < 2)
		contradiction(c, "findability",
			      "findability 100 needs the page that links to "
			      "the cancel page cited too, but `evidence` has "
			      "%zu item%s",
			      r->nevidence, r->nevidence == 1 ? "" : "s");
	if (refund == 0 && r->refund_page.s)
		contradiction(c, "refund_disclosed",
			      "refund_disclosed 0 means refunds are not "
			      "stated, but the record names a `refund_page`");
}

/* Evidence read after the review it supports (E022). */
static void check_evidence(struct check *c)
{
	const struct record *r = c->r;
	for (size_t i = 0; i < r->nevidence; i++) {
		const struct evidence *e = &r->evidence[i];
		if (e->accessed.set && r->reviewed.set &&
		    e->accessed.days > r->reviewed.days) {
			char a[DATE_ISO_LEN + 1], rv[DATE_ISO_LEN + 1];
			date_format(e->accessed.days, a);
			date_format(r->reviewed.days, rv);
			diag_at(c->d, DIAG_EVIDENCE_AFTER_REVIEW, r->file,
				e->accessed.pos,
				"evidence accessed %s, after the record was "
				"reviewed (%s); move `reviewed` forward",
				a, rv);
		}
	}
}

bool validate_sha256(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!isxdigit((unsigned char)s[n]))
			return false;
	return n == 64;
}

static bool is_relative_path(const char *s)
{
	if (s[0] == '/' || strstr(s, "://") || strchr(s, '\\'))
		return false;
	for (const char *p = s; *p;) {
		size_t seg = strcspn(p, "/");
		if (seg == 0 || (seg == 2 && !strncmp(p, "..", 2)))
			return false;
		p += seg;
		if (*p)
			p++;
	}
	return true;
}

/* A keyword of the flow dimension that reads field @key. */
static void check_keyword(struct check *c, const struct text *t,
			  const char *key)
{
	const struct method_dim *dim = record_field_scored_by(c->ctx->m, key);
	if (!t->s || !dim || method_level_for_key(dim, t->s))
		return;
	struct buf allowed = BUF_INIT;
	method_levels_put(dim, &allowed);
	diag_at(c->d, DIAG_BAD_VALUE, c->r->file, t->pos,
		"`%s` must be one of %s (got `%s`)", key, buf_cstr(&allowed),
		t->s);
	buf_free(&allowed);
}

static void check_sha256(struct check *c, const struct text *t, const char *key)
{
	if (t->s && !validate_sha256(t->s))
		diag_at(c->d, DIAG_BAD_HASH, c->r->file, t->pos,
			"`%s` must be 64 hexadecimal digits (got %zu "
			"characters)",
			key, t->len);
}

static void check_data_path(struct check *c, const struct text *t,
			    const char *key)
{
	if (t->s && !is_relative_path(t->s))
		diag_at(c->d, DIAG_BAD_PATH, c->r->file, t->pos,
			"`%s` must be a path inside the data folder, such as "
			"audits/%s/recording.webm (got `%s`)",
			key, c->r->id.s ? c->r->id.s : "ID", t->s);
}

/* An audit's facts that disagree with each other (W105). */
static void check_audit(struct check *c, const struct audit *a)
{
	const char *file = c->r->file;
	/* The loader has checked the ranges of `steps` and `minutes`. */
	if (a->npath && a->steps.set && (double)a->npath != a->steps.v)
		diag_at(c->d, DIAG_AUDIT_INCONSISTENT, file, a->path_pos,
			"`path` lists %zu steps but `steps` is %g", a->npath,
			a->steps.v);
	if (a->signup_pos.line && a->signup_channel == CHANNEL_ONLINE &&
	    a->channel_symmetry.set && a->channel_symmetry.v &&
	    a->online_path.set && !a->online_path.v)
		diag_at(c->d, DIAG_AUDIT_INCONSISTENT, file, a->online_path.pos,
			"sign-up was online and cancelling used the same "
			"channel, yet `online_path` is false");
}

/* What the table asks of each field of @block in @base, and of the
 * blocks and list items inside it. */
static void check_fields(struct check *c, enum record_block block,
			 const void *base)
{
	size_t n;
	const struct record_field *fields = record_fields_in(block, &n);
	for (size_t i = 0; i < n; i++) {
		const struct record_field *f = &fields[i];
		const void *at = (const char *)base + f->off;
		switch (f->check) {
		case RECORD_CHECK_NONE:
			break;
		case RECORD_CHECK_ID:
			check_id(c, at);
			break;
		case RECORD_CHECK_INDUSTRY:
			check_industry(c, at);
			break;
		case RECORD_CHECK_JURISDICTION:
			check_jurisdiction(c, at);
			break;
		case RECORD_CHECK_URL:
			check_url(c, at, f->name);
			break;
		case RECORD_CHECK_PAST:
			check_not_future(c, at, f->name);
			break;
		case RECORD_CHECK_KEYWORD:
			check_keyword(c, at, f->name);
			break;
		case RECORD_CHECK_SHA256:
			check_sha256(c, at, f->name);
			break;
		case RECORD_CHECK_DATA_PATH:
			check_data_path(c, at, f->name);
			break;
		}
		if (f->type == RECORD_FIELD_MAPPING)
			check_fields(c, f->holds, base);
		else if (f->type == RECORD_FIELD_LIST)
			for (size_t k = 0; k < record_field_count(f, base); k++)
				check_fields(c, f->holds,
					     record_field_item(f, base, k));
	}
}

void validate_record(const struct record *r, const struct validate_ctx *ctx,
		     struct diag *d)
{
	struct check c = { r, ctx, d };
	check_fields(&c, RECORD_BLOCK_RECORD, r);
	/* Then the rules that read several fields. */
	if (r->reviewed.set && r->reviewed.days <= ctx->today &&
	    ctx->today - r->reviewed.days > VALIDATE_STALE_DAYS) {
		char day[DATE_ISO_LEN + 1];
		date_format(r->reviewed.days, day);
		diag_at(d, DIAG_STALE_REVIEW, r->file, r->reviewed.pos,
			"last reviewed %s, %d days ago; re-check the "
			"evidence (reviews go stale after %d days)",
			day, (int)(ctx->today - r->reviewed.days),
			VALIDATE_STALE_DAYS);
	}
	check_levels(&c);
	check_contradictions(&c);
	check_evidence(&c);
	for (size_t i = 0; i < r->nflow; i++)
		check_audit(&c, &r->flow[i]);
}

uint64_t validate_ctx_key(const struct validate_ctx *ctx)
{
	struct hash_stream h;
	hash_stream_init(&h);
	hash_stream_put(&h, ctx->m->version, strlen(ctx->m->version) + 1);
	hash_stream_put(&h, &ctx->today, sizeof(ctx->today));
	for (size_t i = 0; i < ctx->nindustries; i++) {
		const struct industry *v = &ctx->industries[i];
		hash_stream_put(&h, v->name.s ? v->name.s : "",
				v->name.len + 1);
		hash_stream_put(&h, v->slug.s ? v->slug.s : "",
				v->slug.len + 1);
	}
	uint64_t key = hash_stream_end(&h);
	return key ? key : 1;
}

void validate_records(struct record *const *by_id, size_t n, struct diag *d)
{
	for (size_t k = 1; k < n; k++)
		if (!strcmp(by_id[k]->id.s, by_id[k - 1]->id.s))
			diag_at(d, DIAG_DUPLICATE_ID, by_id[k]->file,
				by_id[k]->id.pos,
				"id `%s` is also used by %s; ids must be "
				"unique",
				by_id[k]->id.s, by_id[k - 1]->file);
}

void validate_industries(const char *file, const struct industry *v, size_t n,
			 struct diag *d)
{
	for (size_t i = 0; i < n; i++) {
		if (!validate_slug(v[i].slug.s))
			diag_at(d, DIAG_BAD_ID, file, v[i].slug.pos,
				"industry slug `%s` must be a lower-case slug",
				v[i].slug.s);
		for (size_t j = 0; j < i; j++) {
			if (!strcmp(v[i].name.s, v[j].name.s))
				diag_at(d, DIAG_DUPLICATE_ITEM, file,
					v[i].name.pos,
					"industry `%s` is listed twice (first "
					"on line %u)",
					v[i].name.s, v[j].name.pos.line);
			else if (!strcmp(v[i].slug.s, v[j].slug.s))
				diag_at(d, DIAG_DUPLICATE_ITEM, file,
					v[i].slug.pos,
					"slug `%s` is used twice (first on "
					"line %u)",
					v[i].slug.s, v[j].slug.pos.line);
		}
	}
}
