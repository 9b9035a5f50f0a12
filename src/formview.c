/*
 * formview.c - the forms as tables, and the values their pages render.
 *
 * Each form is a table of fields (name, label, hint, control, limits), so
 * one template partial draws every control the same way: label, hint,
 * error, aria-describedby and aria-invalid are wired once, not per field.
 * The choices come from the record format (channels) and the methodology
 * table (retention, confirmation, policy dimensions), as the server's
 * checks do. A refused form is the same table with the values sent and
 * the problems submit.c found, each under the control it names.
 */
#include "formview.h"
#include "buf.h"
#include "date.h"
#include "esc.h"
#include "method.h"
#include "record.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

enum control {
	CONTROL_INPUT,
	CONTROL_TEXTAREA,
	CONTROL_SELECT,
	CONTROL_YESNO,
};

enum choices {
	CHOICES_NONE,
	CHOICES_FIELDS,
	CHOICES_CHANNELS,
	CHOICES_RETENTION,
	CHOICES_CONFIRMATION,
};

struct field {
	const char *name;
	const char *label;
	const char *hint; /* HTML, written here; NULL for none */
	enum control control;
	bool required;
	/* Inputs are all type=text, with a pattern and an inputmode where
	 * they help: a refused value is shown again as it was typed, which
	 * a date, number, email or url input could not hold validly. */
	const char *maxlength, *pattern, *autocomplete, *inputmode;
	const char *placeholder, *rows;
	enum choices choices;
};

#define PRIVACY_LINK "See <a href=\"/privacy/\">how we handle it</a>."

/* Every field names its members, so a table reads as a list of facts. */
#define TEXT(n, l, h) .name = n, .label = l, .hint = h

/* Both forms start with the record. */
#define RECORD_FIELD                                                           \
	{                                                                      \
		TEXT("record", "Record id",                                    \
		     "The last part of the record's address, such as "         \
		     "<code>coursera</code> in /c/coursera/."),                \
			.control = CONTROL_INPUT, .required = true,            \
			.maxlength = "80",                                     \
			.pattern = "[a-z0-9]+(-[a-z0-9]+)*",                   \
			.autocomplete = "off"                                  \
	}

static const struct field correction_fields[] = {
	RECORD_FIELD,
	{ TEXT("field", "Which fact",
	       "The fact on the record page that is wrong."),
	  .control = CONTROL_SELECT, .required = true,
	  .choices = CHOICES_FIELDS },
	{ TEXT("wrong", "What is wrong",
	       "What the record says now, and why it is wrong or out of "
	       "date."),
	  .control = CONTROL_TEXTAREA, .required = true, .maxlength = "2000",
	  .rows = "3" },
	{ TEXT("proposed", "How it should read",
	       "The fact as the company's own pages state it today."),
	  .control = CONTROL_TEXTAREA, .required = true, .maxlength = "2000",
	  .rows = "3" },
	{ TEXT("evidence_url", "Evidence",
	       "A public http(s) page that shows it, such as the company's "
	       "help page."),
	  .control = CONTROL_INPUT, .required = true, .maxlength = "2000",
	  .pattern = "https?://.+", .inputmode = "url",
	  .placeholder = "https://" },
	{ TEXT("email", "Your email (optional)",
	       "Only for an editor's questions about this request: never "
	       "published, deleted when the editor decides. " PRIVACY_LINK),
	  .control = CONTROL_INPUT, .maxlength = "254", .inputmode = "email",
	  .autocomplete = "email" },
};

static const struct field audit_fields[] = {
	RECORD_FIELD,
	{ TEXT("email", "Your email",
	       "An editor may ask to see the recording. Never published, "
	       "deleted when the editor decides. " PRIVACY_LINK),
	  .control = CONTROL_INPUT, .required = true, .maxlength = "254",
	  .inputmode = "email", .autocomplete = "email" },
	{ TEXT("date", "Date you cancelled",
	       "The day of the cancellation, written YYYY-MM-DD; not in the "
	       "future."),
	  .control = CONTROL_INPUT, .required = true, .maxlength = "10",
	  .pattern = "[0-9]{4}-[0-9]{2}-[0-9]{2}", .inputmode = "numeric",
	  .placeholder = "YYYY-MM-DD" },
	{ TEXT("signup_channel", "How you signed up",
	       "The channel you used to start the subscription."),
	  .control = CONTROL_SELECT, .required = true,
	  .choices = CHOICES_CHANNELS },
	{ TEXT("online_path", "Was there an online way to cancel?",
	       "In the channel you signed up in, starting from a published "
	       "entry point such as the account page."),
	  .control = CONTROL_YESNO, .required = true },
	{ TEXT("steps", "Steps",
	       "Screens or actions from the published entry point to the "
	       "confirmation (1 to 100)."),
	  .control = CONTROL_INPUT, .required = true, .maxlength = "3",
	  .pattern = "[0-9]{1,3}", .inputmode = "numeric" },
	{ TEXT("path", "The steps, one per line (optional)",
	       "Short descriptions in order, such as Account, Membership, "
	       "Cancel: as many lines as steps."),
	  .control = CONTROL_TEXTAREA, .maxlength = "10000", .rows = "4" },
	{ TEXT("retention", "Retention",
	       "What stood between you and cancelling."),
	  .control = CONTROL_SELECT, .required = true,
	  .choices = CHOICES_RETENTION },
	{ TEXT("channel_symmetry",
	       "Could you cancel in the channel you signed up in?",
	       "For example online after an online sign-up, not only by "
	       "phone."),
	  .control = CONTROL_YESNO, .required = true },
	{ TEXT("confirmation", "Written confirmation",
	       "When a written confirmation of the cancellation reached you."),
	  .control = CONTROL_SELECT, .required = true,
	  .choices = CHOICES_CONFIRMATION },
	{ TEXT("minutes", "Minutes it took",
	       "From the entry point to the confirmation, to a tenth of a "
	       "minute (2.5)."),
	  .control = CONTROL_INPUT, .required = true, .maxlength = "20",
	  .pattern = "[0-9]+([.][0-9]+)?", .inputmode = "decimal" },
	{ TEXT("clean_exit", "Did it end cleanly?",
	       "No charge after cancelling, and access lasted as the policy "
	       "says."),
	  .control = CONTROL_YESNO, .required = true },
	{ TEXT("notes", "Notes (optional)",
	       "Anything else an editor should know, such as the offer you "
	       "were shown."),
	  .control = CONTROL_TEXTAREA, .maxlength = "2000", .rows = "3" },
};

/* The evidence rows the audit form shows (the server takes up to
 * SUBMIT_EVIDENCE_MAX); the first is required. */
#define EVIDENCE_ROWS 3

static const struct field evidence_fields[] = {
	{ TEXT("title", "Title", "What it shows, such as Screen recording."),
	  .control = CONTROL_INPUT, .required = true, .maxlength = "200" },
	{ TEXT("url", "Public link", "Where an editor can see the file."),
	  .control = CONTROL_INPUT, .required = true, .maxlength = "2000",
	  .pattern = "https?://.+", .inputmode = "url",
	  .placeholder = "https://" },
	{ TEXT("sha256", "SHA-256 of the file (optional)",
	       "64 hexadecimal digits, as sha256sum prints them."),
	  .control = CONTROL_INPUT, .maxlength = "64",
	  .pattern = "[0-9a-fA-F]{64}", .autocomplete = "off" },
};

/* What a correction may name, as the select offers it; the policy
 * dimensions follow from the methodology table. */
static const struct {
	const char *id, *label;
} fact_choices[] = {
	{ "name", "The company's name" },
	{ "industry", "Industry" },
	{ "jurisdiction", "Jurisdiction" },
	{ "channels", "Cancellation channels" },
	{ "summary", "Summary" },
	{ "official_page", "Official cancellation page" },
	{ "refund_page", "Refund page" },
	{ "exit_fee", "Exit fee or minimum term" },
	{ "pause", "Pause or freeze" },
	{ "deletion", "Account or data deletion" },
	{ "evidence", "Evidence" },
	{ "flow", "Verified-Flow audit" },
};

/* A string formatted into @a. */
static const char *format(struct arena *a, const char *fmt, ...)
	ATLAS_PRINTF(2, 3);

static const char *format(struct arena *a, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	const char *s = arena_strndup(a, buf_cstr(&b), b.len);
	buf_free(&b);
	return s;
}

/* A problem's sentence as HTML: escaped, with each `name` in backquotes
 * set as code. */
static const char *message_html(struct arena *a, const char *message)
{
	struct buf b = BUF_INIT;
	bool code = false;
	for (const char *p = message; *p;) {
		size_t n = strcspn(p, "`");
		esc_xml(&b, p, n);
		p += n;
		if (*p == '`') {
			/* An unpaired backquote stays as it is. */
			if (code || strchr(p + 1, '`'))
				buf_puts(&b, code ? "</code>" : "<code>");
			else
				buf_putc(&b, '`');
			code = !code && strchr(p + 1, '`');
			p++;
		}
	}
	if (code)
		buf_puts(&b, "</code>");
	const char *s = arena_strndup(a, buf_cstr(&b), b.len);
	buf_free(&b);
	return s;
}

static const char *value_of(const struct submit_pair *pairs, size_t n,
			    const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(pairs[i].key, name))
			return pairs[i].value;
	return NULL;
}

static void add_choice(struct arena *a, struct mst_value *list,
		       const char *value, const char *label,
		       const char *current)
{
	struct mst_value *o = mst_map_new(a);
	mst_map_set_str(o, "value", value);
	mst_map_set_str(o, "label", label);
	mst_map_set_bool(o, "selected", current && !strcmp(current, value));
	mst_list_push(list, o);
}

static void add_flow_choices(struct arena *a, struct mst_value *list,
			     const char *dim_id, const char *current)
{
	const struct method_tier *flow = &method_current()->flow;
	int i = method_dim_index(flow, dim_id);
	for (size_t j = 0; i >= 0 && j < flow->dims[i].nlevels; j++) {
		const struct method_level *l = &flow->dims[i].levels[j];
		add_choice(a, list, l->match, l->text, current);
	}
}

static struct mst_value *choices(struct arena *a, enum choices which,
				 const char *current)
{
	struct mst_value *list = mst_list_new(a);
	const struct method_tier *policy = &method_current()->policy;
	switch (which) {
	case CHOICES_FIELDS:
		for (size_t i = 0; i < ATLAS_COUNT(fact_choices); i++)
			add_choice(a, list, fact_choices[i].id,
				   fact_choices[i].label, current);
		/* The level of each policy dimension can be disputed too. */
		for (size_t i = 0; i < policy->ndims; i++)
			add_choice(a, list, policy->dims[i].id,
				   format(a, "Level: %s", policy->dims[i].name),
				   current);
		break;
	case CHOICES_CHANNELS:
		for (int c = 0; c < CHANNEL_COUNT; c++)
			add_choice(a, list, record_channel_id(c),
				   record_channel_label(c), current);
		break;
	case CHOICES_RETENTION:
		add_flow_choices(a, list, "retention", current);
		break;
	case CHOICES_CONFIRMATION:
		add_flow_choices(a, list, "confirmation", current);
		break;
	case CHOICES_NONE:
		break;
	}
	return list;
}

/* What a form's values tree needs to find a field's value and problem. */
struct sent {
	const struct submit_pair *pairs;
	size_t n;
	const char *const *error_keys; /* per problem, its control's name */
	const struct submit_errors *errs;
};

static const char *error_for(const struct sent *s, const char *name)
{
	for (size_t i = 0; s->errs && i < s->errs->n; i++)
		if (s->error_keys[i] && !strcmp(s->error_keys[i], name))
			return s->errs->v[i].message;
	return NULL;
}

/*
 * One control: @name is its form name, @id its element id; @required may
 * be turned off (the optional evidence rows).
 */
static struct mst_value *field_value(struct arena *a, const struct field *f,
				     const char *name, const char *id,
				     bool required, const struct sent *s)
{
	struct mst_value *v = mst_map_new(a);
	mst_map_set_str(v, "name", name);
	mst_map_set_str(v, "id", id);
	mst_map_set_str(v, "label", f->label);
	mst_map_set_str(v, "hint", f->hint);
	mst_map_set_bool(v, "input", f->control == CONTROL_INPUT);
	mst_map_set_bool(v, "textarea", f->control == CONTROL_TEXTAREA);
	mst_map_set_bool(v, "select", f->control == CONTROL_SELECT);
	mst_map_set_bool(v, "yesno", f->control == CONTROL_YESNO);
	mst_map_set_bool(v, "required", required);
	mst_map_set_str(v, "maxlength", f->maxlength);
	mst_map_set_str(v, "pattern", f->pattern);
	mst_map_set_str(v, "autocomplete", f->autocomplete);
	mst_map_set_str(v, "inputmode", f->inputmode);
	mst_map_set_str(v, "placeholder", f->placeholder);
	mst_map_set_str(v, "rows", f->rows);
	const char *value = value_of(s->pairs, s->n, name);
	mst_map_set_str(v, "value", value);
	if (f->control == CONTROL_SELECT)
		mst_map_set(v, "choices", choices(a, f->choices, value));
	if (f->control == CONTROL_YESNO) {
		mst_map_set_bool(v, "yes", value && !strcmp(value, "true"));
		mst_map_set_bool(v, "no", value && !strcmp(value, "false"));
	}
	const char *error = error_for(s, name);
	if (error)
		mst_map_set_str(v, "error", message_html(a, error));
	return v;
}

static struct mst_value *fields_value(struct arena *a, const char *prefix,
				      const struct field *fields, size_t n,
				      const struct sent *s)
{
	struct mst_value *list = mst_list_new(a);
	for (size_t i = 0; i < n; i++)
		mst_list_push(list, field_value(a, &fields[i], fields[i].name,
						format(a, "%s-%s", prefix,
						       fields[i].name),
						fields[i].required, s));
	return list;
}

static struct mst_value *evidence_rows(struct arena *a, const struct sent *s)
{
	struct mst_value *rows = mst_list_new(a);
	for (size_t row = 1; row <= EVIDENCE_ROWS; row++) {
		struct mst_value *r = mst_map_new(a);
		mst_map_set_int(r, "n", (long long)row);
		mst_map_set_bool(r, "optional", row > 1);
		struct mst_value *list = mst_list_new(a);
		for (size_t k = 0; k < ATLAS_COUNT(evidence_fields); k++) {
			const struct field *f = &evidence_fields[k];
			const char *name =
				format(a, "evidence_%s_%zu", f->name, row);
			mst_list_push(list,
				      field_value(a, f, name,
						  format(a, "a-%s", name),
						  f->required && row == 1, s));
		}
		mst_map_set(r, "fields", list);
		mst_list_push(rows, r);
	}
	return rows;
}

/* Whether @name is a yes/no question (all are on the audit form). */
static bool is_yesno(const char *name)
{
	for (size_t i = 0; i < ATLAS_COUNT(audit_fields); i++)
		if (!strcmp(audit_fields[i].name, name))
			return audit_fields[i].control == CONTROL_YESNO;
	return false;
}

/* The summary: every problem, linked to its control when it has one. */
static struct mst_value *summary(struct arena *a, const char *prefix,
				 const struct sent *s, const char *message)
{
	struct mst_value *list = mst_list_new(a);
	if (message) {
		struct mst_value *e = mst_map_new(a);
		mst_map_set_str(e, "html", message_html(a, message));
		mst_list_push(list, e);
	}
	for (size_t i = 0; s->errs && i < s->errs->n; i++) {
		struct mst_value *e = mst_map_new(a);
		const char *key = s->error_keys[i];
		/* A yes/no question is reached at its first answer. */
		if (key)
			mst_map_set_str(e, "href",
					format(a, "%s-%s%s", prefix, key,
					       is_yesno(key) ? "-yes" : ""));
		mst_map_set_str(e, "html",
				message_html(a, s->errs->v[i].message));
		mst_list_push(list, e);
	}
	if (s->errs && s->errs->more) {
		struct mst_value *e = mst_map_new(a);
		mst_map_set_str(e, "html", "More problems were left out.");
		mst_list_push(list, e);
	}
	return list;
}

struct mst_value *formview_form(struct arena *a, enum formview_kind kind,
				const struct submit_pair *pairs, size_t n,
				const struct submit_errors *errs,
				const char *message)
{
	bool audit = kind == FORMVIEW_AUDIT;
	const char *prefix = audit ? "a" : "c";
	const char **keys =
		arena_array(a, errs && errs->n ? errs->n : 1, sizeof(*keys));
	for (size_t i = 0; errs && i < errs->n; i++) {
		keys[i] = submit_error_key(&errs->v[i], a);
		/* A problem of the body, or of a control the form does not
		 * have (an evidence row past those shown), has no place
		 * beside a field: the summary lists it. */
		if (keys[i] && audit && !strncmp(keys[i], "evidence_", 9) &&
		    errs->v[i].item > EVIDENCE_ROWS)
			keys[i] = NULL;
	}
	struct sent s = { pairs, pairs ? n : 0, keys, errs };
	struct mst_value *v = mst_map_new(a);
	mst_map_set_str(v, "action",
			audit ? "/api/v1/audits" : "/api/v1/corrections");
	if (audit) {
		mst_map_set(v, "fields",
			    fields_value(a, prefix, audit_fields,
					 ATLAS_COUNT(audit_fields), &s));
		mst_map_set(v, "evidence", evidence_rows(a, &s));
		const char *evidence = error_for(&s, "evidence");
		mst_map_set_str(v, "evidence_error",
				evidence ? message_html(a, evidence) : NULL);
	} else {
		mst_map_set(v, "fields",
			    fields_value(a, prefix, correction_fields,
					 ATLAS_COUNT(correction_fields), &s));
	}
	size_t problems = (errs ? errs->n : 0) + (message != NULL);
	mst_map_set_bool(v, "has_errors", problems > 0);
	if (problems) {
		mst_map_set(v, "errors", summary(a, prefix, &s, message));
		mst_map_set_str(
			v, "summary_title",
			errs && errs->n
				? format(a,
					 "Nothing was stored: %zu problem%s "
					 "to fix",
					 errs->n, errs->n == 1 ? "" : "s")
				: "Nothing was stored");
	}
	return v;
}

/* @t in @form, or NULL for 0 (not decided yet). */
static const char *utc(struct arena *a, int64_t t, enum date_time_form form)
{
	if (!t)
		return NULL;
	char s[DATE_TIME_SIZE];
	date_format_time(t, form, s);
	return arena_strdup(a, s);
}

struct mst_value *formview_status(struct arena *a, const struct store_public *p)
{
	bool audit = p->kind == STORE_AUDIT;
	struct mst_value *v = mst_map_new(a);
	mst_map_set_str(v, "tracking", p->tracking);
	mst_map_set_str(v, "kind", audit ? "audit" : "correction");
	mst_map_set_str(v, "kind_title",
			audit ? "Audit" : "Correction request");
	mst_map_set_str(v, "record", p->record);
	mst_map_set_str(v, "field", p->field);
	mst_map_set_str(v, "status", store_status_str(p->status));
	mst_map_set_bool(v, "pending", p->status == STORE_PENDING);
	mst_map_set_bool(v, "accepted", p->status == STORE_ACCEPTED);
	mst_map_set_bool(v, "rejected", p->status == STORE_REJECTED);
	mst_map_set_str(v, "received", utc(a, p->received, DATE_TIME_MINUTE));
	mst_map_set_str(v, "received_iso",
			utc(a, p->received, DATE_TIME_MINUTE_ISO));
	mst_map_set_str(v, "decided", utc(a, p->decided, DATE_TIME_MINUTE));
	mst_map_set_str(v, "decided_iso",
			utc(a, p->decided, DATE_TIME_MINUTE_ISO));
	mst_map_set_str(v, "reason", p->reason);
	mst_map_set_str(v, "json",
			format(a, "/api/v1/%s/%s",
			       audit ? "audits" : "corrections", p->tracking));
	return v;
}
