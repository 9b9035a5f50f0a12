/*
 * skeleton.c - the commented record skeleton `cancelatlas new` writes.
 *
 * The skeleton is the record format's table (record_field.h) walked in
 * order and written by the one YAML writer (record_yaml.h): each field
 * under the comment the table gives it, a TODO for every fact to supply
 * (which `check` refuses until it is replaced), the dates pre-filled and
 * the levels with their rubric. An optional list is shown as a commented
 * example to copy, from the examples in the table. A field added to the
 * table appears here as it does in a record.
 */
#include "skeleton.h"
#include "buf.h"
#include "juris.h"
#include "method.h"
#include "record.h"
#include "record_field.h"
#include "record_yaml.h"

#include <ctype.h>
#include <string.h>

/* What every value to supply reads until it is (E030). */
#define TODO "TODO"

struct skeleton {
	struct buf *b;
	struct buf t; /* scratch for comments */
	const char *id;
	char day[DATE_ISO_LEN + 1];
	const struct method *m;
};

/* The jurisdiction an id's suffix names ("acme-uk": UK), or NULL. */
static const char *id_jurisdiction(const char *id, char *code, size_t size)
{
	for (const char *p = strchr(id, '-'); p; p = strchr(p + 1, '-')) {
		size_t n = strlen(p + 1);
		if (n < 2 || n >= size)
			continue;
		for (size_t i = 0; i <= n; i++)
			code[i] = (char)toupper((unsigned char)p[1 + i]);
		if (strcmp(code, "US") && juris_lookup(code))
			return code;
	}
	return NULL;
}

static void put_comment(struct skeleton *sk, size_t indent, const char *text)
{
	record_yaml_put_comment(sk->b, indent, "", text);
}

/* A field's comment: the table's, with what only this id or the
 * vocabularies can add. */
static void put_hint(struct skeleton *sk, const struct record_field *f,
		     size_t indent)
{
	struct buf *t = &sk->t;
	buf_reset(t);
	if (f->hint)
		buf_puts(t, f->hint);
	if (f->check == RECORD_CHECK_JURISDICTION) {
		char code[16];
		const char *j = id_jurisdiction(sk->id, code, sizeof(code));
		if (j) {
			buf_printf(t, " The id ends in `-%s`, the suffix of ",
				   sk->id + strlen(sk->id) - strlen(j));
			juris_put_phrase(t, j);
			buf_printf(t, ": write %s here.", j);
		} else {
			buf_printf(t,
				   " A bare id such as `%s` means US; any "
				   "other jurisdiction needs its code at the "
				   "end of the id (`%s-uk`).",
				   sk->id, sk->id);
		}
	} else if (f->type == RECORD_FIELD_CHANNELS) {
		for (int c = 0; c < CHANNEL_COUNT; c++)
			buf_printf(t, "%s%s", c ? ", " : " ",
				   record_channel_id((enum channel)c));
		buf_printf(t, ". For example: [%s, %s].",
			   record_channel_id(CHANNEL_ONLINE),
			   record_channel_id(CHANNEL_PHONE));
	}
	if (t->len)
		put_comment(sk, indent, buf_cstr(t));
}

/* A dimension's name, id and weight, then each level's text hanging
 * under its value. */
static void put_level_comments(struct skeleton *sk,
			       const struct method_dim *dim)
{
	char head[160];
	snprintf(head, sizeof(head), "%s (%s, weight %d):", dim->name, dim->id,
		 dim->weight);
	put_comment(sk, 2, head);
	for (size_t i = 0; i < dim->nlevels; i++) {
		char value[16];
		snprintf(value, sizeof(value), "  %-5d", dim->levels[i].value);
		record_yaml_put_comment(sk->b, 2, value, dim->levels[i].text);
	}
}

static void put_levels(struct skeleton *sk, const struct record_field *f)
{
	const struct method_tier *tier = &sk->m->policy;
	struct buf *t = &sk->t;
	buf_reset(t);
	buf_printf(t, "One level per dimension of the %s tier; the levels are",
		   tier->name);
	put_comment(sk, 0, buf_cstr(t));
	put_comment(sk, 0, "the methodology's rubric.");
	record_yaml_put_value(sk->b, "", f->name, NULL, NULL);
	for (size_t i = 0; i < tier->ndims; i++) {
		const struct method_dim *dim = &tier->dims[i];
		put_level_comments(sk, dim);
		buf_reset(t);
		buf_puts(t, "allowed: ");
		method_levels_put(dim, t);
		record_yaml_put_value(sk->b, "  ", dim->id, TODO, buf_cstr(t));
	}
}

static void put_fields(struct skeleton *sk, unsigned block, size_t indent,
		       bool item);
static void put_example(struct skeleton *sk, const struct record_field *f);

/* One field to fill in, under its comment, keys at column @indent; @lead
 * starts its line (the dash of a list's first item). */
static void put_field(struct skeleton *sk, const struct record_field *f,
		      const char *lead, size_t indent)
{
	struct buf *b = sk->b;
	if (f->type == RECORD_FIELD_LEVELS) {
		put_levels(sk, f);
		return;
	}
	if (f->type == RECORD_FIELD_LIST && !f->required) {
		put_example(sk, f);
		return;
	}
	put_hint(sk, f, indent);
	switch (f->type) {
	case RECORD_FIELD_DATE:
		record_yaml_put_value(b, lead, f->name, sk->day, NULL);
		break;
	case RECORD_FIELD_CHANNELS:
		record_yaml_put_value(b, lead, f->name, "[" TODO "]", NULL);
		break;
	case RECORD_FIELD_REASONS:
		record_yaml_put_value(b, lead, f->name, NULL, NULL);
		for (size_t i = 0; i < sk->m->policy.ndims; i++)
			record_yaml_put_value(b, "  ", sk->m->policy.dims[i].id,
					      TODO, NULL);
		break;
	case RECORD_FIELD_MAPPING:
		record_yaml_put_value(b, lead, f->name, NULL, NULL);
		put_fields(sk, f->holds, indent + 2, false);
		break;
	case RECORD_FIELD_LIST:
		record_yaml_put_value(b, lead, f->name, NULL, NULL);
		put_fields(sk, f->holds, indent + 4, true);
		break;
	default:
		record_yaml_put_value(b, lead, f->name, TODO, NULL);
		break;
	}
}

/* The fields of @block at column @indent, as one list item when @item. */
static void put_fields(struct skeleton *sk, unsigned block, size_t indent,
		       bool item)
{
	char lead[40], dash[40];
	snprintf(lead, sizeof(lead), "%*s", (int)indent, "");
	snprintf(dash, sizeof(dash), "%*s- ", (int)(item ? indent - 2 : 0), "");
	size_t n;
	const struct record_field *f = record_fields_in(block, &n);
	for (size_t i = 0; i < n; i++) {
		if (f[i].flags & RECORD_FIELD_NOT_A_FACT)
			continue;
		put_field(sk, &f[i], item ? dash : lead, indent);
		item = false;
	}
}

/* The example of one field in a commented example, or nothing for a
 * field without one. Returns: whether it wrote a line. */
static bool put_example_field(struct skeleton *sk, struct buf *b,
			      const struct record_field *f, const char *lead,
			      size_t indent)
{
	const char *value = f->example;
	const char *comment = f->hint;
	char path[200];
	struct buf levels = BUF_INIT;
	switch (f->type) {
	case RECORD_FIELD_DATE:
		value = sk->day;
		break;
	case RECORD_FIELD_TIER:
		value = record_tier_id(AUDIT_EDITOR_VERIFIED);
		buf_printf(&levels, "or %s",
			   record_tier_id(AUDIT_CROWD_VERIFIED));
		comment = buf_cstr(&levels);
		break;
	case RECORD_FIELD_CHANNEL:
		value = record_channel_id(CHANNEL_ONLINE);
		break;
	case RECORD_FIELD_TEXT_LIST:
		record_yaml_put_value(b, lead, f->name, NULL, comment);
		snprintf(path, sizeof(path), "%*s- ", (int)indent + 2, "");
		for (const char *s = value; s && *s;) {
			size_t len = strcspn(s, "\n");
			record_yaml_put_text(b, path, NULL, s, len);
			s += len + (s[len] == '\n');
		}
		return true;
	case RECORD_FIELD_LIST: {
		record_yaml_put_value(b, lead, f->name, NULL, comment);
		size_t n;
		const struct record_field *sub = record_fields_in(f->holds, &n);
		char dash[40], rest[40];
		snprintf(dash, sizeof(dash), "%*s- ", (int)indent + 2, "");
		snprintf(rest, sizeof(rest), "%*s", (int)indent + 4, "");
		bool first = true;
		for (size_t i = 0; i < n; i++)
			if (put_example_field(sk, b, &sub[i],
					      first ? dash : rest, indent + 4))
				first = false;
		return true;
	}
	default:
		break;
	}
	if (f->check == RECORD_CHECK_KEYWORD) {
		const struct method_dim *dim =
			record_field_scored_by(sk->m, f->name);
		if (dim && dim->nlevels) {
			value = dim->levels[0].match;
			method_levels_put(dim, &levels);
			comment = buf_cstr(&levels);
		}
	} else if (f->check == RECORD_CHECK_DATA_PATH) {
		snprintf(path, sizeof(path), "audits/%s/%s.webm", sk->id,
			 sk->day);
		value = path;
	}
	/* A field without an example is left out. */
	if (value && f->type == RECORD_FIELD_TEXT && !comment)
		record_yaml_put_text(b, lead, f->name, value, strlen(value));
	else if (value)
		record_yaml_put_value(b, lead, f->name, value, comment);
	buf_free(&levels);
	return value != NULL;
}

/*
 * An optional list as a commented example of one item: the lines a
 * record would hold, each behind "# ", to copy and fill in.
 */
static void put_example(struct skeleton *sk, const struct record_field *f)
{
	struct buf *t = &sk->t;
	if (f->holds == RECORD_BLOCK_AUDIT) {
		buf_reset(t);
		buf_printf(t,
			   "Optional: %s audits, one per cancellation "
			   "actually carried",
			   sk->m->flow.name);
		put_comment(sk, 0, buf_cstr(t));
		put_comment(sk, 0,
			    "out; the newest counts. Remove the leading \"# \" "
			    "to use.");
	} else {
		put_hint(sk, f, 0);
	}
	struct buf example = BUF_INIT;
	struct record_field list = *f;
	list.hint = NULL;
	put_example_field(sk, &example, &list, "", 0);
	/* The list's key is at the top level: its items at column 2. */
	for (const char *line = buf_cstr(&example); *line;) {
		size_t len = strcspn(line, "\n");
		buf_puts(sk->b, "# ");
		buf_put(sk->b, line, len);
		buf_putc(sk->b, '\n');
		line += len + (line[len] == '\n');
	}
	buf_free(&example);
}

int skeleton_write(FILE *out, const char *id, date_days today)
{
	struct buf b = BUF_INIT;
	struct skeleton sk = { &b, BUF_INIT, id, "", method_current() };
	date_format(today, sk.day);

	size_t n;
	const struct record_field *f =
		record_fields_in(RECORD_BLOCK_RECORD, &n);
	for (size_t i = 0; i < n; i++) {
		if (f[i].check != RECORD_CHECK_ID) {
			if (!(f[i].flags & RECORD_FIELD_NOT_A_FACT))
				put_field(&sk, &f[i], "", 0);
			continue;
		}
		buf_reset(&sk.t);
		buf_printf(&sk.t, "Record skeleton for `%s`, scored by %s.", id,
			   sk.m->version);
		record_yaml_put_comment(&b, 0, buf_cstr(&sk.t), "");
		buf_reset(&sk.t);
		buf_printf(&sk.t,
			   "Replace every TODO with the fact it asks for: "
			   "`cancelatlas check` refuses the file (E030) while "
			   "any TODO is left, so fill it in outside the data "
			   "folder, then move it to records/%s.yaml in it. "
			   "Delete the optional lines that do not apply. Every "
			   "fact must come from the pages cited under "
			   "`evidence`.",
			   id);
		put_comment(&sk, 0, buf_cstr(&sk.t));
		record_yaml_put_text(&b, "", f[i].name, id, strlen(id));
	}

	int rc =
		fwrite(buf_cstr(&b), 1, b.len, out) == b.len && fflush(out) == 0
			? 0
			: -1;
	buf_free(&sk.t);
	buf_free(&b);
	return rc;
}
