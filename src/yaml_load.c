/*
 * yaml_load.c - walk a positioned YAML tree into a struct record.
 *
 * The record format is described once, as the table of record_field.c
 * (key, type, range, required, the block it sits in, offset into the
 * struct being filled); one generic walker reads any mapping against the
 * rows of its block, and site.yaml and industries.yaml against small
 * tables of the same shape. Every problem is reported with the position
 * of the offending key or value and the walk goes on, so one run lists
 * everything wrong with a file.
 */
#include "yaml_load.h"
#include "buf.h"
#include "date.h"
#include "internal.h"
#include "method.h"
#include "record_field.h"
#include "utf8.h"
#include "ytree.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A hostile file can hold thousands of bad keys; a few make the point. */
#define MAX_UNKNOWN_KEYS 20

/* SPEC "Ranges": a text is at most 2,000 characters unless its field
 * says otherwise. */
#define MAX_TEXT_CHARS 2000

/* site.yaml and industries.yaml, read by the same walker as records:
 * their fields in the record table's shape, with blocks of their own. */
enum { SITE_SETTINGS, SITE_LICENSE };

#define SITE_FIELD(blk, key, req, member)                                      \
	{                                                                      \
		.name = (key), .block = (blk), .type = RECORD_FIELD_TEXT,      \
		.required = (req), .off = offsetof(struct site_info, member)   \
	}

/* Two tables, as `url` is optional when build --base-url gives it. */
#define SITE_FIELDS(url_required)                                              \
	{                                                                      \
		SITE_FIELD(SITE_SETTINGS, "name", true, name),                 \
			SITE_FIELD(SITE_SETTINGS, "url", url_required, url),   \
			SITE_FIELD(SITE_SETTINGS, "contact", true, contact),   \
			{ .name = "license",                                   \
			  .block = SITE_SETTINGS,                              \
			  .type = RECORD_FIELD_MAPPING,                        \
			  .required = true,                                    \
			  .holds = SITE_LICENSE },                             \
			SITE_FIELD(SITE_LICENSE, "name", true, license_name),  \
			SITE_FIELD(SITE_LICENSE, "url", true, license_url),    \
	}
static const struct record_field site_fields[] = SITE_FIELDS(true);
static const struct record_field site_fields_any_url[] = SITE_FIELDS(false);

static const struct record_field industry_fields[] = {
	{ .name = "name",
	  .type = RECORD_FIELD_TEXT,
	  .required = true,
	  .off = offsetof(struct industry, name) },
	{ .name = "slug",
	  .type = RECORD_FIELD_TEXT,
	  .required = true,
	  .off = offsetof(struct industry, slug) },
};

struct loader {
	const char *file;    /* the file read, for diagnostics */
	struct arena *arena; /* where the values go */
	struct diag *d;	     /* where the problems go */
	const struct method
		*m; /* the vocabularies a record's words come from */
	/* Site settings leave their values' rules, line breaks included,
	 * to siteinfo. */
	bool site;
	/* The fields of the file being read, each block's together. */
	const struct record_field *table;
	size_t ntable;
};

/* ---- helpers --------------------------------------------------------- */

static void report_unknown(struct loader *L, const struct ytree_node *key,
			   const char *where, const char *const *names,
			   size_t n)
{
	const char *hint = diag_suggest(key->text, names, n);
	if (hint)
		diag_at(L->d, DIAG_UNKNOWN_KEY, L->file, key->pos,
			"unknown field `%s`%s (did you mean `%s`?)", key->text,
			where, hint);
	else
		diag_at(L->d, DIAG_UNKNOWN_KEY, L->file, key->pos,
			"unknown field `%s`%s", key->text, where);
}

static bool expect_kind(struct loader *L, const struct ytree_node *v,
			enum ytree_kind kind, const char *key)
{
	if (v->kind == kind)
		return true;
	diag_at(L->d, DIAG_NOT_MAPPING, L->file, v->pos,
		"`%s` must be %s, not %s", key, ytree_kind_name(kind),
		ytree_kind_name(v->kind));
	return false;
}

/* A scalar's text with trailing white space (folded blocks) removed. */
static struct text scalar_text(struct loader *L, const struct ytree_node *v)
{
	size_t len = v->len;
	while (len && isspace((unsigned char)v->text[len - 1]))
		len--;
	/* Copied: the tree lives in scratch memory reset after each file. */
	return (struct text){ arena_strndup(L->arena, v->text, len), len,
			      v->pos };
}

/* Skeletons from `cancelatlas new` mark every value to supply with TODO. */
static bool is_placeholder(struct loader *L, const struct ytree_node *key,
			   const struct ytree_node *v)
{
	if (v->kind != YTREE_SCALAR || strncmp(v->text, "TODO", 4))
		return false;
	diag_at(L->d, DIAG_PLACEHOLDER, L->file, v->pos,
		"`%s` still holds the skeleton's TODO; replace it", key->text);
	return true;
}

/* The text rule of SPEC "Ranges" beyond what the parser checked: which
 * texts may break lines (the paragraphs: a summary, notes), and how long
 * any may be. Lengths are counted, never found with strlen, as a decoded
 * "\0" is text too (refused by the parser, but the length must not
 * depend on that). */
static bool text_ok(struct loader *L, const struct record_field *f,
		    const struct ytree_node *key, const struct ytree_node *v,
		    const struct text *t)
{
	const char *brk = memchr(t->s, '\n', t->len)   ? "a line break"
			  : memchr(t->s, '\t', t->len) ? "a tab"
						       : NULL;
	if (brk && !L->site && !(f->flags & RECORD_FIELD_PARAGRAPH)) {
		diag_at(L->d, DIAG_BAD_VALUE, L->file, v->pos,
			"`%s` holds %s; only `summary` and notes may run over "
			"lines",
			key->text, brk);
		return false;
	}
	size_t max = f->max_chars ? f->max_chars : MAX_TEXT_CHARS;
	size_t chars = utf8_chars(t->s, t->len);
	if (chars > max) {
		diag_at(L->d, DIAG_BAD_VALUE, L->file, v->pos,
			"`%s` is %zu characters long; at most %zu are allowed",
			key->text, chars, max);
		return false;
	}
	return true;
}

/* A text of field @f (a list's item, a reason: of the list's, of `why`'s). */
static bool load_text(struct loader *L, const struct record_field *f,
		      const struct ytree_node *key, const struct ytree_node *v,
		      struct text *out)
{
	if (!expect_kind(L, v, YTREE_SCALAR, key->text) ||
	    is_placeholder(L, key, v))
		return false;
	struct text t = scalar_text(L, v);
	if (v->is_null || t.len == 0) {
		diag_at(L->d, DIAG_EMPTY_VALUE, L->file, key->pos,
			"`%s` is empty", key->text);
		return false;
	}
	if (!text_ok(L, f, key, v, &t))
		return false;
	*out = t;
	return true;
}

static void load_date(struct loader *L, const struct ytree_node *key,
		      const struct ytree_node *v, struct date_value *out)
{
	if (!expect_kind(L, v, YTREE_SCALAR, key->text) ||
	    is_placeholder(L, key, v))
		return;
	if (v->is_null) {
		diag_at(L->d, DIAG_EMPTY_VALUE, L->file, key->pos,
			"`%s` is empty", key->text);
		return;
	}
	int rc = date_parse(v->text, v->len, &out->days);
	if (rc == -1)
		diag_at(L->d, DIAG_BAD_DATE, L->file, v->pos,
			"`%s` must be a date written YYYY-MM-DD (got `%s`)",
			key->text, v->text);
	else if (rc == -2)
		diag_at(L->d, DIAG_BAD_DATE, L->file, v->pos,
			"`%s`: %s is not a real calendar date", key->text,
			v->text);
	out->set = rc == 0;
	out->pos = v->pos;
}

static void load_bool(struct loader *L, const struct ytree_node *key,
		      const struct ytree_node *v, struct flag *out)
{
	if (!expect_kind(L, v, YTREE_SCALAR, key->text) ||
	    is_placeholder(L, key, v))
		return;
	static const char *const yes[] = { "true", "True", "TRUE" };
	static const char *const no[] = { "false", "False", "FALSE" };
	for (size_t i = 0; v->plain && i < ATLAS_COUNT(yes); i++) {
		if (!strcmp(v->text, yes[i]) || !strcmp(v->text, no[i])) {
			*out = (struct flag){ !strcmp(v->text, yes[i]), true,
					      v->pos };
			return;
		}
	}
	diag_at(L->d, DIAG_BAD_TYPE, L->file, v->pos,
		"`%s` must be true or false (got `%s`)", key->text, v->text);
}

/*
 * The digits of @s[0..len) as a plain decimal: an optional minus, an
 * integer part without leading zeros, and an optional fraction. Anything
 * else strtod() or a YAML schema might read (hex, octal, exponents, `+`,
 * `1_000`, `.inf`, `.nan`) is refused. Returns the number of digits after
 * the point, or -1.
 */
static int decimal_digits(const char *s, size_t len)
{
	size_t i = s[0] == '-' ? 1 : 0, int_start = i;
	while (i < len && isdigit((unsigned char)s[i]))
		i++;
	size_t int_len = i - int_start;
	if (!int_len || (int_len > 1 && s[int_start] == '0'))
		return -1;
	if (i == len)
		return 0;
	if (s[i] != '.')
		return -1;
	size_t frac_start = ++i;
	while (i < len && isdigit((unsigned char)s[i]))
		i++;
	if (i != len || i == frac_start)
		return -1;
	return (int)(i - frac_start);
}

/* A number as records write it: decimal digits, nothing YAML-specific,
 * and finite (a thousand digits are not). */
static bool load_number(struct loader *L, const struct ytree_node *key,
			const struct ytree_node *v, struct number *out,
			int *decimals)
{
	if (!expect_kind(L, v, YTREE_SCALAR, key->text) ||
	    is_placeholder(L, key, v))
		return false;
	int frac = v->plain && v->len ? decimal_digits(v->text, v->len) : -1;
	if (frac < 0) {
		diag_at(L->d, DIAG_BAD_TYPE, L->file, v->pos,
			"`%s` must be a number (got `%s`)", key->text, v->text);
		return false;
	}
	double x = strtod(v->text, NULL);
	if (!isfinite(x)) {
		diag_at(L->d, DIAG_BAD_VALUE, L->file, v->pos,
			"`%s` is far too large a number (got %zu digits)",
			key->text, v->len);
		return false;
	}
	*out = (struct number){ x, true, v->pos };
	if (decimals)
		*decimals = frac;
	return true;
}

/* A number within its field's range (SPEC "Ranges": steps are a whole
 * number 1-200, minutes 0-1440 with at most one decimal). A value out of
 * range is not kept. */
static void load_ranged(struct loader *L, const struct record_field *f,
			const struct ytree_node *key,
			const struct ytree_node *v, struct number *out)
{
	static const char *const counts[] = { "no", "one", "two", "three" };
	int decimals;
	struct number n;
	if (!load_number(L, key, v, &n, &decimals))
		return;
	if (decimals <= f->decimals && n.v >= f->min && n.v <= f->max) {
		*out = n;
		return;
	}
	if (!f->decimals)
		diag_at(L->d, DIAG_BAD_VALUE, L->file, v->pos,
			"`%s` must be a whole number from %g to %g (got `%s`)",
			key->text, f->min, f->max, v->text);
	else
		diag_at(L->d, DIAG_BAD_VALUE, L->file, v->pos,
			"`%s` must be from %g to %g with at most %s decimal%s "
			"(got `%s`)",
			key->text, f->min, f->max,
			f->decimals < (int)ATLAS_COUNT(counts)
				? counts[f->decimals]
				: "a few",
			f->decimals == 1 ? "" : "s", v->text);
}

static bool load_channel(struct loader *L, const struct ytree_node *key,
			 const struct ytree_node *v, enum channel *out)
{
	if (!expect_kind(L, v, YTREE_SCALAR, key->text) ||
	    is_placeholder(L, key, v))
		return false;
	int c = record_channel_parse(v->text);
	if (c >= 0) {
		*out = (enum channel)c;
		return true;
	}
	struct buf allowed = BUF_INIT;
	const char *names[CHANNEL_COUNT];
	for (int i = 0; i < CHANNEL_COUNT; i++) {
		names[i] = record_channel_id((enum channel)i);
		buf_printf(&allowed, "%s%s", i ? ", " : "", names[i]);
	}
	const char *hint = diag_suggest(v->text, names, CHANNEL_COUNT);
	if (hint)
		diag_at(L->d, DIAG_UNKNOWN_CHANNEL, L->file, v->pos,
			"unknown channel `%s` (did you mean `%s`?)", v->text,
			hint);
	else
		diag_at(L->d, DIAG_UNKNOWN_CHANNEL, L->file, v->pos,
			"unknown channel `%s`; channels are %s", v->text,
			buf_cstr(&allowed));
	buf_free(&allowed);
	return false;
}

/* The record's channels: the list, each item's position and how many. */
static void load_channels(struct loader *L, const struct record_field *f,
			  const struct ytree_node *key,
			  const struct ytree_node *v, struct record *r)
{
	if (!expect_kind(L, v, YTREE_SEQ, key->text))
		return;
	r->channels_pos = v->pos;
	if (!v->nitems)
		diag_at(L->d, DIAG_EMPTY_VALUE, L->file, key->pos, "%s",
			f->if_empty);
	for (size_t i = 0; i < v->nitems; i++) {
		enum channel c;
		if (!load_channel(L, key, v->items[i], &c))
			continue;
		if (record_has_channel(r, c)) {
			diag_at(L->d, DIAG_DUPLICATE_ITEM, L->file,
				v->items[i]->pos,
				"channel `%s` is listed twice",
				record_channel_id(c));
			continue;
		}
		r->channel_pos[r->nchannels] = v->items[i]->pos;
		r->channels[r->nchannels++] = c;
	}
}

static void load_tier(struct loader *L, const struct ytree_node *key,
		      const struct ytree_node *v, enum audit_tier *out,
		      struct src_pos *pos)
{
	if (!expect_kind(L, v, YTREE_SCALAR, key->text) ||
	    is_placeholder(L, key, v))
		return;
	int t = record_tier_parse(v->text);
	*pos = v->pos;
	if (t >= 0) {
		*out = (enum audit_tier)t;
		return;
	}
	diag_at(L->d, DIAG_BAD_VALUE, L->file, v->pos,
		"`%s` must be %s or %s (got `%s`)", key->text,
		record_tier_id(AUDIT_EDITOR_VERIFIED),
		record_tier_id(AUDIT_CROWD_VERIFIED), v->text);
}

static void load_text_list(struct loader *L, const struct record_field *f,
			   const struct ytree_node *key,
			   const struct ytree_node *v, struct text **out,
			   size_t *n, struct src_pos *pos)
{
	if (!expect_kind(L, v, YTREE_SEQ, key->text))
		return;
	*pos = v->pos;
	*out = arena_array(L->arena, v->nitems, sizeof(**out));
	for (size_t i = 0; i < v->nitems; i++)
		if (load_text(L, f, key, v->items[i], &(*out)[*n]))
			(*n)++;
}

/* ---- mappings against field tables ----------------------------------- */

static void load_map(struct loader *L, const struct ytree_node *map,
		     const char *where, unsigned block, void *base);

/* A mapping keyed by policy dimension: levels or reasons (@f's). */
static void load_dims(struct loader *L, const struct record_field *f,
		      const struct ytree_node *key, const struct ytree_node *v,
		      void *base)
{
	bool levels = f->type == RECORD_FIELD_LEVELS;
	if (!expect_kind(L, v, YTREE_MAP, key->text))
		return;
	const struct method_tier *tier = &L->m->policy;
	const char *names[METHOD_MAX_DIMS];
	struct src_pos seen[METHOD_MAX_DIMS] = { { 0, 0 } };
	for (size_t i = 0; i < tier->ndims; i++)
		names[i] = tier->dims[i].id;
	if (levels && f->pos)
		*(struct src_pos *)((char *)base + f->pos) = v->pos;
	struct number *level = (struct number *)((char *)base + f->off);
	struct text *reason = (struct text *)((char *)base + f->off);
	size_t unknown = 0;
	for (size_t i = 0; i < v->nitems; i++) {
		const struct ytree_node *k = v->items[2 * i];
		const struct ytree_node *val = v->items[2 * i + 1];
		int d = method_dim_index(tier, k->text);
		if (d < 0) {
			if (unknown++ < MAX_UNKNOWN_KEYS) {
				const char *hint = diag_suggest(k->text, names,
								tier->ndims);
				diag_at(L->d, DIAG_UNKNOWN_KEY, L->file, k->pos,
					"unknown policy dimension `%s` in "
					"`%s`%s%s%s",
					k->text, key->text,
					hint ? " (did you mean `" : "",
					hint ? hint : "", hint ? "`?)" : "");
			}
			continue;
		}
		if (seen[d].line) {
			diag_at(L->d, DIAG_DUPLICATE_KEY, L->file, k->pos,
				"`%s` is given twice in `%s` (first on line "
				"%u)",
				k->text, key->text, seen[d].line);
			continue;
		}
		seen[d] = k->pos;
		if (levels)
			load_number(L, k, val, &level[d], NULL);
		else
			load_text(L, f, k, val, &reason[d]);
	}
	if (!levels)
		return;
	for (size_t i = 0; i < tier->ndims; i++)
		if (!seen[i].line)
			diag_at(L->d, DIAG_MISSING_KEY, L->file, key->pos,
				"`%s` is missing the `%s` level", key->text,
				tier->dims[i].id);
}

/* A list of mappings, each read against the fields of @block into an
 * arena array of @size items. */
static void *load_list(struct loader *L, const struct ytree_node *key,
		       const struct ytree_node *v, unsigned block, size_t size,
		       size_t *n)
{
	*n = 0;
	if (!expect_kind(L, v, YTREE_SEQ, key->text))
		return NULL;
	char *items = arena_array(L->arena, v->nitems, size);
	for (size_t i = 0; i < v->nitems; i++) {
		const struct ytree_node *item = v->items[i];
		char where[64];
		snprintf(where, sizeof(where), " in `%s` item %zu", key->text,
			 i + 1);
		if (!expect_kind(L, item, YTREE_MAP, key->text))
			continue;
		void *base = items + *n * size;
		/* Every list item struct starts with its position. */
		*(struct src_pos *)base = item->pos;
		load_map(L, item, where, block, base);
		(*n)++;
	}
	return items;
}

static void load_value(struct loader *L, const struct record_field *f,
		       const struct ytree_node *key, const struct ytree_node *v,
		       void *base)
{
	void *at = (char *)base + f->off;
	struct src_pos no_pos;
	size_t no_count = 0;
	struct src_pos *pos =
		f->pos ? (struct src_pos *)((char *)base + f->pos) : &no_pos;
	size_t *count =
		f->count ? (size_t *)((char *)base + f->count) : &no_count;
	switch (f->type) {
	case RECORD_FIELD_TEXT:
		load_text(L, f, key, v, at);
		break;
	case RECORD_FIELD_DATE:
		load_date(L, key, v, at);
		break;
	case RECORD_FIELD_BOOL:
		load_bool(L, key, v, at);
		break;
	case RECORD_FIELD_NUMBER:
		load_ranged(L, f, key, v, at);
		break;
	case RECORD_FIELD_CHANNEL:
		if (load_channel(L, key, v, at))
			*pos = v->pos;
		break;
	case RECORD_FIELD_CHANNELS:
		load_channels(L, f, key, v, base);
		break;
	case RECORD_FIELD_TIER:
		load_tier(L, key, v, at, pos);
		break;
	case RECORD_FIELD_TEXT_LIST:
		load_text_list(L, f, key, v, at, count, pos);
		break;
	case RECORD_FIELD_LEVELS:
	case RECORD_FIELD_REASONS:
		load_dims(L, f, key, v, base);
		break;
	case RECORD_FIELD_MAPPING:
		if (expect_kind(L, v, YTREE_MAP, key->text)) {
			char where[64];
			snprintf(where, sizeof(where), " in `%s`", key->text);
			load_map(L, v, where, f->holds, base);
		}
		break;
	case RECORD_FIELD_LIST:
		*(void **)at =
			load_list(L, key, v, f->holds, f->item_size, count);
		if (f->if_empty && v->kind == YTREE_SEQ && !*count)
			diag_at(L->d, DIAG_EMPTY_VALUE, L->file, key->pos, "%s",
				f->if_empty);
		break;
	}
}

static void load_map(struct loader *L, const struct ytree_node *map,
		     const char *where, unsigned block, void *base)
{
	size_t nfields;
	const struct record_field *fields =
		record_field_group(L->table, L->ntable, block, &nfields);
	struct src_pos seen[RECORD_FIELDS_PER_BLOCK] = { { 0, 0 } };
	const char *names[RECORD_FIELDS_PER_BLOCK];
	for (size_t i = 0; i < nfields; i++)
		names[i] = fields[i].name;
	size_t unknown = 0;
	for (size_t i = 0; i < map->nitems; i++) {
		const struct ytree_node *key = map->items[2 * i];
		const struct ytree_node *v = map->items[2 * i + 1];
		size_t f = 0;
		while (f < nfields && strcmp(fields[f].name, key->text))
			f++;
		if (f == nfields) {
			if (unknown++ < MAX_UNKNOWN_KEYS)
				report_unknown(L, key, where, names, nfields);
			continue;
		}
		if (seen[f].line) {
			diag_at(L->d, DIAG_DUPLICATE_KEY, L->file, key->pos,
				"`%s` is given twice%s (first on line %u)",
				key->text, where, seen[f].line);
			continue;
		}
		seen[f] = key->pos;
		/* A list's or the reasons' own position is their key's,
		 * whatever they hold. */
		if ((fields[f].type == RECORD_FIELD_LIST ||
		     fields[f].type == RECORD_FIELD_REASONS) &&
		    fields[f].pos)
			*(struct src_pos *)((char *)base + fields[f].pos) =
				key->pos;
		if (fields[f].required || !v->is_null)
			load_value(L, &fields[f], key, v, base);
	}
	if (unknown > MAX_UNKNOWN_KEYS)
		diag_at(L->d, DIAG_UNKNOWN_KEY, L->file, map->pos,
			"%zu more unknown fields%s not shown",
			unknown - MAX_UNKNOWN_KEYS, where);
	for (size_t f = 0; f < nfields; f++)
		if (fields[f].required && !seen[f].line)
			diag_at(L->d, DIAG_MISSING_KEY, L->file, map->pos,
				"missing required field `%s`%s", fields[f].name,
				where);
}

/* ---- entry points ---------------------------------------------------- */

struct yaml_loader {
	struct ytree_parser *parser;
	struct arena *scratch;
};

struct yaml_loader *yaml_loader_new(void)
{
	struct yaml_loader *l = xcalloc(1, sizeof(*l));
	l->parser = ytree_parser_new();
	l->scratch = arena_new();
	return l;
}

void yaml_loader_free(struct yaml_loader *l)
{
	if (!l)
		return;
	ytree_parser_free(l->parser);
	arena_free(l->scratch);
	free(l);
}

/* The record in tree @root, its own strings in @arena. */
static struct record *record_of(const char *file, struct ytree_node *root,
				struct arena *arena, struct diag *d)
{
	struct loader L = { file, arena, d, method_current(), false, NULL, 0 };
	L.table = record_fields_all(&L.ntable);
	if (root->kind != YTREE_MAP) {
		diag_at(d, DIAG_NOT_MAPPING, file, root->pos,
			"a record must be a mapping of fields, not %s",
			ytree_kind_name(root->kind));
		return NULL;
	}
	struct record *r = arena_alloc(arena, sizeof(*r));
	r->file = arena_strdup(arena, file);
	load_map(&L, root, "", RECORD_BLOCK_RECORD, r);
	return r;
}

struct record *yaml_loader_record(struct yaml_loader *l, const char *file,
				  const char *text, size_t len,
				  struct arena *arena, struct diag *d)
{
	/* The tree is needed only until the record is made. */
	arena_reset(l->scratch);
	struct ytree_node *root =
		ytree_parser_parse(l->parser, file, text, len, l->scratch, d);
	return root ? record_of(file, root, arena, d) : NULL;
}

struct record *yaml_load_record(const char *file, const char *text, size_t len,
				struct arena *arena, struct diag *d)
{
	struct yaml_loader *l = yaml_loader_new();
	struct record *r = yaml_loader_record(l, file, text, len, arena, d);
	yaml_loader_free(l);
	return r;
}

int yaml_load_industries(const char *file, const char *text, size_t len,
			 struct arena *arena, struct diag *d,
			 struct industry **out, size_t *n)
{
	struct loader L = { file,
			    arena,
			    d,
			    method_current(),
			    false,
			    industry_fields,
			    ATLAS_COUNT(industry_fields) };
	*out = NULL;
	*n = 0;
	struct ytree_node *root = ytree_parse(file, text, len, arena, d);
	if (!root)
		return -1;
	if (root->kind != YTREE_SEQ) {
		diag_at(d, DIAG_NOT_MAPPING, file, root->pos,
			"the industries file must be a list of name/slug "
			"mappings, not %s",
			ytree_kind_name(root->kind));
		return -1;
	}
	struct industry *v = arena_array(arena, root->nitems, sizeof(*v));
	size_t count = 0;
	for (size_t i = 0; i < root->nitems; i++) {
		const struct ytree_node *item = root->items[i];
		char where[48];
		snprintf(where, sizeof(where), " in industry %zu", i + 1);
		if (item->kind != YTREE_MAP) {
			diag_at(d, DIAG_NOT_MAPPING, file, item->pos,
				"industry %zu must be a mapping with `name` "
				"and `slug`",
				i + 1);
			continue;
		}
		struct industry ind = { { NULL, 0, item->pos },
					{ NULL, 0, item->pos } };
		load_map(&L, item, where, 0, &ind);
		if (ind.name.s && ind.slug.s)
			v[count++] = ind;
	}
	*out = v;
	*n = count;
	return 0;
}

int yaml_load_site(const char *file, const char *text, size_t len,
		   bool need_url, struct arena *arena, struct diag *d,
		   struct site_info *out)
{
	struct loader L = { file,
			    arena,
			    d,
			    method_current(),
			    true,
			    need_url ? site_fields : site_fields_any_url,
			    ATLAS_COUNT(site_fields) };
	struct ytree_node *root = ytree_parse(file, text, len, arena, d);
	if (!root)
		return -1;
	if (root->kind != YTREE_MAP) {
		diag_at(d, DIAG_NOT_MAPPING, file, root->pos,
			"the site settings must be a mapping of name, url, "
			"contact and license, not %s",
			ytree_kind_name(root->kind));
		return -1;
	}
	load_map(&L, root, "", SITE_SETTINGS, out);
	return 0;
}
