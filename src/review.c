/*
 * review.c - the editors' side of corrections and crowd audits.
 *
 * Every command opens the store, does one thing and closes it; the store
 * serialises with a running server through SQLite's locks. A decision is
 * logged in the store only: the record files stay the single source of
 * every fact and score, so an acceptance ends by telling the editor what
 * to change (the file, the field and its line, or the YAML of the audit
 * to add) rather than changing it. Text that came from the public is
 * printed with control and invisible characters escaped, so a submission
 * can neither drive the editor's terminal nor hide in the YAML.
 */
#include "review.h"
#include "arena.h"
#include "dataset.h"
#include "date.h"
#include "diag.h"
#include "esc.h"
#include "method.h"
#include "record.h"
#include "record_field.h"
#include "record_yaml.h"
#include "utf8.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

static const char *const kind_names[] = { "correction", "audit" };

void review_default_db(const char *data_dir, struct buf *out)
{
	buf_reset(out);
	size_t len = strlen(data_dir);
	while (len > 1 && data_dir[len - 1] == '/')
		len--;
	const char *slash = NULL;
	for (size_t i = 0; i < len; i++)
		if (data_dir[i] == '/')
			slash = data_dir + i;
	if (!slash)
		buf_puts(out, "cancelatlas.db");
	else if (slash == data_dir)
		buf_puts(out, "/cancelatlas.db");
	else
		buf_printf(out, "%.*s/cancelatlas.db", (int)(slash - data_dir),
			   data_dir);
}

static struct store *open_store(const struct review_ctx *ctx, bool write)
{
	struct buf err = BUF_INIT;
	struct store *s =
		store_open(ctx->db_path, write ? 0 : STORE_READONLY, 0, &err);
	if (!s)
		fprintf(ctx->err, "cancelatlas: %s\n", buf_cstr(&err));
	buf_free(&err);
	return s;
}

static void format_time(int64_t t, bool with_time, char *out, size_t size)
{
	if (!t) {
		snprintf(out, size, "-");
		return;
	}
	char s[DATE_TIME_SIZE];
	date_format_time(t, DATE_TIME_MINUTE, s);
	snprintf(out, size, "%.*s", with_time ? DATE_TIME_SIZE : DATE_ISO_LEN,
		 s);
}

/* Print public text with every control, bidi or invisible character
 * escaped; @indent starts each line when @multiline. */
static void put_safe(FILE *out, const char *s, const char *indent)
{
	if (!s) {
		fputs("-", out);
		return;
	}
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n =
			utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (n == 0) {
			fprintf(out, "\\x%02x", (unsigned char)s[i]);
			i++;
			continue;
		}
		if (cp == '\n' && indent) {
			fputc('\n', out);
			fputs(indent, out);
		} else if (cp == '\t' && indent) {
			fputc('\t', out);
		} else if (record_yaml_needs_escape(cp)) {
			fprintf(out, "\\u{%04x}", (unsigned)cp);
		} else {
			fwrite(s + i, 1, n, out);
		}
		i += n;
	}
}

/* ---- list and show --------------------------------------------------- */

int review_list(const struct review_ctx *ctx, enum store_kind kind, int status)
{
	struct store *s = open_store(ctx, false);
	if (!s)
		return REVIEW_FAILED;
	struct arena *a = arena_new();
	struct store_public *v;
	size_t n;
	struct buf err = BUF_INIT;
	int rc = store_list(s, kind, status, a, &v, &n, &err);
	if (rc) {
		fprintf(ctx->err, "cancelatlas: %s\n", buf_cstr(&err));
	} else {
		for (size_t i = 0; i < n; i++) {
			char day[32];
			format_time(v[i].received, false, day, sizeof(day));
			fprintf(ctx->out, "%s  %s  %-8s  ", v[i].tracking, day,
				store_status_str(v[i].status));
			put_safe(ctx->out, v[i].record, NULL);
			fputs("  ", ctx->out);
			put_safe(ctx->out, v[i].field, NULL);
			fputc('\n', ctx->out);
		}
		fprintf(ctx->err, "%zu %s%s%s%s\n", n, kind_names[kind],
			n == 1 ? "" : "s", status >= 0 ? " " : "",
			status >= 0
				? store_status_str((enum store_status)status)
				: "");
	}
	buf_free(&err);
	arena_free(a);
	store_close(s);
	return rc ? REVIEW_FAILED : 0;
}

static void show_public(FILE *out, const struct store_public *p)
{
	char when[40];
	fprintf(out, "%s %s\n", kind_names[p->kind], p->tracking);
	fputs("  record:       ", out);
	put_safe(out, p->record, NULL);
	fputs("\n  field:        ", out);
	put_safe(out, p->field, NULL);
	format_time(p->received, true, when, sizeof(when));
	fprintf(out, "\n  received:     %s\n", when);
	fprintf(out, "  status:       %s", store_status_str(p->status));
	if (p->status != STORE_PENDING) {
		format_time(p->decided, false, when, sizeof(when));
		fprintf(out, " on %s", when);
	}
	fputc('\n', out);
	if (p->reason) {
		fputs("  reason:       ", out);
		put_safe(out, p->reason, "                ");
		fputc('\n', out);
	}
}

static void show_text(FILE *out, const char *label, const char *text)
{
	fprintf(out, "  %s\n    ", label);
	put_safe(out, text, "    ");
	fputc('\n', out);
}

static void show_correction(FILE *out, const struct store_correction *c)
{
	show_public(out, &c->pub);
	fputs("  email:        ", out);
	put_safe(out, c->c.email, NULL);
	fputs(c->c.email ? " (never published)\n" : "\n", out);
	fputs("  evidence_url: ", out);
	put_safe(out, c->c.evidence_url, NULL);
	fputc('\n', out);
	show_text(out, "wrong:", c->c.wrong);
	show_text(out, "proposed:", c->c.proposed);
}

static void show_audit(FILE *out, const struct store_audit *a)
{
	const struct submit_audit *au = &a->a;
	char date[DATE_ISO_LEN + 1];
	date_format(au->date, date);
	show_public(out, &a->pub);
	fputs("  email:        ", out);
	put_safe(out, au->email, NULL);
	fputs(" (never published)\n", out);
	fprintf(out,
		"  date:         %s\n"
		"  signup:       %s\n"
		"  online_path:  %s\n"
		"  steps:        %d\n",
		date, record_channel_id(au->signup_channel),
		au->online_path ? "true" : "false", au->steps);
	for (size_t i = 0; i < au->npath; i++) {
		fprintf(out, "    %zu. ", i + 1);
		put_safe(out, au->path[i], NULL);
		fputc('\n', out);
	}
	fputs("  retention:    ", out);
	put_safe(out, au->retention, NULL);
	fprintf(out, "\n  symmetry:     %s\n  confirmation: ",
		au->channel_symmetry ? "true" : "false");
	put_safe(out, au->confirmation, NULL);
	fprintf(out, "\n  minutes:      %g\n  clean_exit:   %s\n", au->minutes,
		au->clean_exit ? "true" : "false");
	if (au->notes)
		show_text(out, "notes:", au->notes);
	for (size_t i = 0; i < au->nevidence; i++) {
		fprintf(out, "  evidence %zu:   ", i + 1);
		put_safe(out, au->evidence[i].title, NULL);
		fputs("\n                ", out);
		put_safe(out, au->evidence[i].url, NULL);
		if (au->evidence[i].sha256)
			fprintf(out, "\n                sha256 %s",
				au->evidence[i].sha256);
		fputc('\n', out);
	}
}

static bool kind_matches(const struct review_ctx *ctx, enum store_kind kind,
			 const char *tracking)
{
	if (store_tracking_valid(tracking) &&
	    (tracking[0] == 'a') == (kind == STORE_AUDIT))
		return true;
	fprintf(ctx->err,
		"cancelatlas: '%s' is not %s tracking id (they look like "
		"%s-7k2m9xq4t3vw)\n",
		tracking, kind == STORE_AUDIT ? "an audit" : "a correction",
		kind == STORE_AUDIT ? "a" : "c");
	return false;
}

int review_show(const struct review_ctx *ctx, enum store_kind kind,
		const char *tracking)
{
	if (!kind_matches(ctx, kind, tracking))
		return REVIEW_FAILED;
	struct store *s = open_store(ctx, false);
	if (!s)
		return REVIEW_FAILED;
	struct arena *a = arena_new();
	struct buf err = BUF_INIT;
	int rc;
	if (kind == STORE_AUDIT) {
		struct store_audit au;
		rc = store_audit_get(s, tracking, a, &au, &err);
		if (rc == 0)
			show_audit(ctx->out, &au);
	} else {
		struct store_correction c;
		rc = store_correction_get(s, tracking, a, &c, &err);
		if (rc == 0)
			show_correction(ctx->out, &c);
	}
	if (rc < 0)
		fprintf(ctx->err, "cancelatlas: %s\n", buf_cstr(&err));
	else if (rc > 0)
		fprintf(ctx->err, "cancelatlas: no %s %s in %s\n",
			kind_names[kind], tracking, ctx->db_path);
	buf_free(&err);
	arena_free(a);
	store_close(s);
	return rc ? REVIEW_FAILED : 0;
}

/* ---- decisions ------------------------------------------------------- */

/* The extension of the file a URL names, or "bin". */
static void url_extension(const char *url, char *out, size_t size)
{
	const char *path = strstr(url, "://");
	path = path ? strchr(path + 3, '/') : NULL;
	size_t len = path ? strcspn(path, "?#") : 0;
	const char *dot = NULL;
	for (size_t i = 0; i < len; i++) {
		if (path[i] == '/')
			dot = NULL;
		else if (path[i] == '.')
			dot = path + i;
	}
	size_t n = dot ? (size_t)(path + len - dot - 1) : 0;
	bool ok = n >= 1 && n <= 5;
	for (size_t i = 0; ok && i < n; i++)
		ok = isalnum((unsigned char)dot[1 + i]);
	if (!ok) {
		snprintf(out, size, "bin");
		return;
	}
	size_t i = 0;
	for (; i < n && i + 1 < size; i++)
		out[i] = (char)tolower((unsigned char)dot[1 + i]);
	out[i] = '\0';
}

static void evidence_file(struct buf *out, const struct submit_audit *au,
			  const char *tracking, size_t i)
{
	char date[DATE_ISO_LEN + 1], ext[8];
	date_format(au->date, date);
	url_extension(au->evidence[i].url, ext, sizeof(ext));
	buf_printf(out, "audits/%s/%s-%s-%zu.%s", au->record, date, tracking,
		   i + 1, ext);
}

/* @s as a record's text, copied into @a; an absent text for NULL. */
static struct text text_of(struct arena *a, const char *s)
{
	if (!s)
		return (struct text){ NULL, 0, { 0, 0 } };
	return (struct text){ arena_strdup(a, s), strlen(s), { 0, 0 } };
}

void review_flow_yaml(struct buf *out, const struct submit_audit *au,
		      const char *tracking)
{
	struct arena *a = arena_new();
	struct audit entry = {
		.date = { au->date, true, { 0, 0 } },
		.tier = AUDIT_CROWD_VERIFIED,
		.signup_channel = au->signup_channel,
		.online_path = { au->online_path, true, { 0, 0 } },
		.steps = { au->steps, true, { 0, 0 } },
		.retention = text_of(a, au->retention),
		.channel_symmetry = { au->channel_symmetry, true, { 0, 0 } },
		.confirmation = text_of(a, au->confirmation),
		.minutes = { au->minutes, true, { 0, 0 } },
		.clean_exit = { au->clean_exit, true, { 0, 0 } },
	};
	entry.path = arena_array(a, au->npath, sizeof(*entry.path));
	for (size_t i = 0; i < au->npath; i++)
		entry.path[i] = text_of(a, au->path[i]);
	entry.npath = au->npath;

	struct buf text = BUF_INIT;
	buf_printf(&text, "Crowd audit %s.", tracking);
	if (au->notes)
		buf_printf(&text, " %s", au->notes);
	entry.notes = text_of(a, text.data);

	entry.evidence = arena_array(a, au->nevidence, sizeof(*entry.evidence));
	for (size_t i = 0; i < au->nevidence; i++) {
		const struct submit_evidence *e = &au->evidence[i];
		struct audit_file *f = &entry.evidence[i];
		buf_reset(&text);
		evidence_file(&text, au, tracking, i);
		f->title = text_of(a, e->title);
		f->file = text_of(a, text.data);
		/* No hash given: a value `check` refuses until the editor
		 * puts in the hash of the fetched file. */
		if (e->sha256) {
			f->sha256 = text_of(a, e->sha256);
		} else {
			struct buf hint = BUF_INIT;
			buf_printf(&hint, "the sha256sum of %s", text.data);
			f->sha256 = text_of(a, hint.data);
			buf_free(&hint);
		}
	}
	entry.nevidence = au->nevidence;
	record_yaml_write_audit(out, &entry);
	buf_free(&text);
	arena_free(a);
}

/* Print @s as one word of a shell command. */
static void put_shell(FILE *out, const char *s)
{
	struct buf b = BUF_INIT;
	esc_shell_word(&b, s);
	fputs(buf_cstr(&b), out);
	buf_free(&b);
}

/* Print the path @dir/@name as one word of a shell command. */
static void put_shell_path(FILE *out, const char *dir, const char *name)
{
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", dir, name);
	put_shell(out, path.data);
	buf_free(&path);
}

/*
 * Where field @field is in record @r: a policy dimension's level, else
 * the field's value (the first reason of `why`, or the `why:` key when it
 * holds none yet); a zero position when the file does not have it.
 */
static struct src_pos field_pos(const struct record *r, const char *field)
{
	int dim = method_dim_index(&method_current()->policy, field);
	if (dim >= 0)
		return r->policy[dim].pos;
	const struct record_field *f =
		record_field_find(RECORD_BLOCK_RECORD, field);
	return f ? record_field_pos(f, r) : (struct src_pos){ 0, 0 };
}

/* Load the record @id to point at its file; NULL when it is not there. */
static struct dataset *load_record(const struct review_ctx *ctx, const char *id,
				   const struct record **r)
{
	struct diag *d = diag_new();
	struct dataset *ds = NULL;
	struct dataset_opts opts = { .today = date_today(), .only_id = id };
	*r = NULL;
	if (dataset_load(ctx->data_dir, &opts, d, &ds) == 0)
		*r = dataset_find(ds, id);
	diag_free(d);
	return ds;
}

/*
 * The record a submission named is gone from the data folder (renamed or
 * removed since it was sent): say so, with the ids it may have become.
 */
static void tell_missing(const struct review_ctx *ctx, const char *id)
{
	struct buf msg = BUF_INIT;
	buf_printf(&msg,
		   "  (no record '%s' in %s/records now: renamed or removed",
		   id, ctx->data_dir);
	dataset_suggest_id(ctx->data_dir, id, &msg);
	buf_puts(&msg, ")\n");
	fputs(msg.data, ctx->out);
	buf_free(&msg);
}

static void tell_correction(const struct review_ctx *ctx,
			    const struct store_correction *c)
{
	FILE *out = ctx->out;
	const struct record *r;
	struct dataset *ds = load_record(ctx, c->c.record, &r);
	struct src_pos pos =
		r ? field_pos(r, c->c.field) : (struct src_pos){ 0 };
	fputs("Change the record file, then run 'cancelatlas check' and "
	      "commit it:\n  ",
	      out);
	if (r && pos.line)
		fprintf(out, "%s:%u: ", r->file, pos.line);
	else if (r)
		fprintf(out, "%s: ", r->file);
	else
		fprintf(out, "%s/records/%s.yaml: ", ctx->data_dir,
			c->c.record);
	fprintf(out, "field `%s`%s\n", c->c.field,
		r && !pos.line ? " (not in the file yet: add it)" : "");
	if (!r)
		tell_missing(ctx, c->c.record);
	fputs("  it should read: ", out);
	put_safe(out, c->c.proposed, "    ");
	fputs("\n  evidence: ", out);
	put_safe(out, c->c.evidence_url, NULL);
	fputs("\n  (add it under `evidence:` with today's date as "
	      "`accessed`)\n",
	      out);
	dataset_free(ds);
}

static void tell_audit(const struct review_ctx *ctx,
		       const struct store_audit *a)
{
	FILE *out = ctx->out;
	const struct submit_audit *au = &a->a;
	const struct record *r;
	struct dataset *ds = load_record(ctx, au->record, &r);
	struct buf yaml = BUF_INIT, dir = BUF_INIT;
	review_flow_yaml(&yaml, au, a->pub.tracking);
	if (r)
		fprintf(out, "Add this entry under `flow:` in %s%s:\n", r->file,
			r->nflow ? ""
				 : " (the record has no `flow:` "
				   "yet: add the key at the end)");
	else
		fprintf(out,
			"Add this entry under `flow:` in "
			"%s/records/%s.yaml:\n",
			ctx->data_dir, au->record);
	if (!r)
		tell_missing(ctx, au->record);
	fputc('\n', out);
	fputs(yaml.data, out);
	fputs("\nFetch each piece of evidence into the data folder and check "
	      "its hash\n(put the printed sha256 in the entry if none was "
	      "given):\n",
	      out);
	buf_printf(&dir, "audits/%s", au->record);
	for (size_t i = 0; i < au->nevidence; i++) {
		struct buf file = BUF_INIT;
		evidence_file(&file, au, a->pub.tracking, i);
		fputs("  mkdir -p ", out);
		put_shell_path(out, ctx->data_dir, dir.data);
		fputs(" && curl -fLo ", out);
		put_shell_path(out, ctx->data_dir, file.data);
		fputc(' ', out);
		put_shell(out, au->evidence[i].url);
		fputs("\n  sha256sum ", out);
		put_shell_path(out, ctx->data_dir, file.data);
		fputc('\n', out);
		buf_free(&file);
	}
	fputs("Then run 'cancelatlas check' and commit: the flow score "
	      "changes only\nthrough the record file.\n",
	      out);
	buf_free(&dir);
	buf_free(&yaml);
	dataset_free(ds);
}

int review_decide(const struct review_ctx *ctx, enum store_kind kind,
		  const char *tracking, enum store_status decision,
		  const char *reason)
{
	if (!kind_matches(ctx, kind, tracking))
		return REVIEW_FAILED;
	struct store *s = open_store(ctx, true);
	if (!s)
		return REVIEW_FAILED;
	struct arena *a = arena_new();
	struct buf err = BUF_INIT;
	int64_t now = (int64_t)time(NULL);
	int rc = store_decide(s, tracking, decision, reason, now, &err);
	if (rc < 0) {
		fprintf(ctx->err, "cancelatlas: %s\n", buf_cstr(&err));
	} else if (rc == 1) {
		fprintf(ctx->err, "cancelatlas: no %s %s in %s\n",
			kind_names[kind], tracking, ctx->db_path);
	} else if (rc == 2) {
		struct store_public p;
		buf_reset(&err);
		char day[32] = "-";
		const char *was = "decided";
		if (store_public_get(s, tracking, a, &p, &err) == 0) {
			format_time(p.decided, false, day, sizeof(day));
			was = store_status_str(p.status);
		}
		fprintf(ctx->err,
			"cancelatlas: %s %s was already %s on %s; a decision "
			"is final\n",
			kind_names[kind], tracking, was, day);
	} else {
		char day[32];
		format_time(now, false, day, sizeof(day));
		fprintf(ctx->out, "%s %s %s on %s", kind_names[kind], tracking,
			decision == STORE_ACCEPTED ? "accepted" : "rejected",
			day);
		if (reason && *reason) {
			fputs(": ", ctx->out);
			put_safe(ctx->out, reason, NULL);
		}
		fputs("\nThe decision shows in the public log at the next "
		      "build.\n",
		      ctx->out);
		if (decision == STORE_ACCEPTED && kind == STORE_CORRECTION) {
			struct store_correction c;
			if (store_correction_get(s, tracking, a, &c, &err) == 0)
				tell_correction(ctx, &c);
		} else if (decision == STORE_ACCEPTED) {
			struct store_audit au;
			if (store_audit_get(s, tracking, a, &au, &err) == 0)
				tell_audit(ctx, &au);
		}
	}
	buf_free(&err);
	arena_free(a);
	store_close(s);
	return rc ? REVIEW_FAILED : 0;
}
