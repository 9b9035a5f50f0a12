/*
 * histchange.c - compare two versions of a record and say what changed.
 *
 * A version is first reduced to a snapshot (struct histchange_facts) of
 * what its history reports: the published facts as plain strings and its
 * scores. Snapshots are small and own their memory, so a walk of the log
 * can keep one per record between commits without keeping the loader's
 * arenas. Every change carries its field, its values before and after and
 * a sentence; the score sentence is the one SPEC.md quotes, "79 → 72 (B →
 * B): refund_disclosed 100 → 50", so a reader sees which levels moved the
 * score.
 */
#include "histchange.h"
#include "buf.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct histchange_evidence {
	char *title;
	char *url;
};

struct histchange_facts {
	char *problem;
	char *name, *industry, *jurisdiction, *summary;
	char *official_page, *refund_page;
	char *pause_note, *deletion_note, *deletion_url;
	date_days reviewed;
	bool reviewed_set;
	bool exit_fee, pause_offered;
	enum channel channels[CHANNEL_COUNT];
	size_t nchannels;
	struct score_result policy;
	bool has_flow;
	struct score_result flow;
	struct histchange_evidence *evidence;
	size_t nevidence;
};

static const char *const kind_ids[HISTCHANGE_KIND_COUNT] = {
	[HISTCHANGE_METHODOLOGY] = "methodology",
	[HISTCHANGE_CREATED] = "created",
	[HISTCHANGE_RENAMED] = "renamed",
	[HISTCHANGE_SCORE] = "score",
	[HISTCHANGE_EVIDENCE_ADDED] = "evidence_added",
	[HISTCHANGE_EVIDENCE_REMOVED] = "evidence_removed",
	[HISTCHANGE_REVIEWED] = "reviewed",
	[HISTCHANGE_FACT] = "fact",
};

const char *histchange_kind_id(enum histchange_kind kind)
{
	return kind < HISTCHANGE_KIND_COUNT ? kind_ids[kind] : "fact";
}

int histchange_kind_parse(const char *id)
{
	for (size_t i = 0; i < HISTCHANGE_KIND_COUNT; i++)
		if (!strcmp(kind_ids[i], id))
			return (int)i;
	return -1;
}

static char *copy_text(const struct text *t)
{
	return t->s ? xstrndup(t->s, t->len) : NULL;
}

struct histchange_facts *histchange_facts_new(const struct method *m,
					      const struct record *r)
{
	struct histchange_facts *f = xcalloc(1, sizeof(*f));
	f->name = copy_text(&r->name);
	f->industry = copy_text(&r->industry);
	f->jurisdiction = copy_text(&r->jurisdiction);
	f->summary = copy_text(&r->summary);
	f->official_page = copy_text(&r->official_page);
	f->refund_page = copy_text(&r->refund_page);
	f->pause_note = copy_text(&r->pause_note);
	f->deletion_note = copy_text(&r->deletion_note);
	f->deletion_url = copy_text(&r->deletion_url);
	f->reviewed = r->reviewed.days;
	f->reviewed_set = r->reviewed.set;
	f->exit_fee = r->exit_fee.v;
	f->pause_offered = r->pause_offered.v;
	f->nchannels = r->nchannels;
	memcpy(f->channels, r->channels, sizeof(f->channels));
	score_policy(m, r, &f->policy);
	const struct audit *a = record_latest_audit(r);
	if (a) {
		f->has_flow = true;
		score_flow(m, a, &f->flow);
	}
	if (r->nevidence) {
		f->evidence = xcalloc(r->nevidence, sizeof(*f->evidence));
		for (size_t i = 0; i < r->nevidence; i++) {
			f->evidence[i].title = copy_text(&r->evidence[i].title);
			f->evidence[i].url = copy_text(&r->evidence[i].url);
		}
		f->nevidence = r->nevidence;
	}
	return f;
}

struct histchange_facts *histchange_facts_broken(const char *problem)
{
	struct histchange_facts *f = xcalloc(1, sizeof(*f));
	f->problem = xstrdup(problem);
	return f;
}

void histchange_facts_free(struct histchange_facts *f)
{
	if (!f)
		return;
	char *strings[] = { f->problem,	     f->name,	    f->industry,
			    f->jurisdiction, f->summary,    f->official_page,
			    f->refund_page,  f->pause_note, f->deletion_note,
			    f->deletion_url };
	for (size_t i = 0; i < ATLAS_COUNT(strings); i++)
		free(strings[i]);
	for (size_t i = 0; i < f->nevidence; i++) {
		free(f->evidence[i].title);
		free(f->evidence[i].url);
	}
	free(f->evidence);
	free(f);
}

const char *histchange_facts_problem(const struct histchange_facts *f)
{
	return f->problem;
}

const struct score_result *
histchange_facts_policy(const struct histchange_facts *f)
{
	return &f->policy;
}

const struct score_result *
histchange_facts_flow(const struct histchange_facts *f)
{
	return f->has_flow ? &f->flow : NULL;
}

void histchange_add(struct histchange_list *out, struct arena *a,
		    enum histchange_kind kind, const char *field,
		    const char *from, const char *to, const char *text)
{
	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 4;
		out->v = xrealloc(out->v, out->cap * sizeof(*out->v));
	}
	out->v[out->n++] = (struct histchange){
		kind,
		arena_strdup(a, field),
		from ? arena_strdup(a, from) : NULL,
		to ? arena_strdup(a, to) : NULL,
		arena_strdup(a, text),
	};
}

void histchange_list_free(struct histchange_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static void put_score(struct buf *b, const struct score_result *s)
{
	buf_printf(b, "%d/100 (%c)", s->score, s->grade);
}

void histchange_created(const struct histchange_facts *f,
			struct histchange_list *out, struct arena *a)
{
	struct buf text = BUF_INIT, to = BUF_INIT;
	buf_puts(&text, "created: ");
	put_score(&text, &f->policy);
	buf_printf(&to, "%d", f->policy.score);
	if (f->has_flow) {
		buf_puts(&text, ", flow ");
		put_score(&text, &f->flow);
	}
	histchange_add(out, a, HISTCHANGE_CREATED, "policy", NULL, to.data,
		       text.data);
	buf_free(&text);
	buf_free(&to);
}

/*
 * A tier's score line: "79 → 72 (B → B): refund_disclosed 100 → 50", with
 * "flow " before a flow score. Nothing when neither the score, the grade
 * nor any level moved.
 */
static void compare_tier(const char *field, const struct score_result *old,
			 const struct score_result *new,
			 struct histchange_list *out, struct arena *a)
{
	const char *prefix = strcmp(field, "flow") ? "" : "flow ";
	struct buf text = BUF_INIT, from = BUF_INIT, to = BUF_INIT;
	if (!old || !new) {
		const struct score_result *s = old ? old : new;
		buf_printf(&text, "%s",
			   old ? "flow audit removed (was "
			       : "flow audit added: ");
		put_score(&text, s);
		if (old)
			buf_putc(&text, ')');
		buf_printf(old ? &from : &to, "%d", s->score);
		histchange_add(out, a, HISTCHANGE_SCORE, field,
			       old ? from.data : NULL, new ? to.data : NULL,
			       text.data);
		goto done;
	}
	bool moved = old->score != new->score || old->grade != new->grade;
	size_t nmoved = 0;
	for (size_t i = 0; i < new->tier->ndims; i++)
		nmoved += old->levels[i] != new->levels[i];
	if (!moved && !nmoved)
		goto done;
	buf_printf(&text, "%s%d \u2192 %d (%c \u2192 %c)", prefix, old->score,
		   new->score, old->grade, new->grade);
	const char *sep = ": ";
	for (size_t i = 0; i < new->tier->ndims; i++) {
		if (old->levels[i] == new->levels[i])
			continue;
		buf_printf(&text, "%s%s %d \u2192 %d", sep,
			   new->tier->dims[i].id, old->levels[i],
			   new->levels[i]);
		sep = ", ";
	}
	buf_printf(&from, "%d", old->score);
	buf_printf(&to, "%d", new->score);
	histchange_add(out, a, HISTCHANGE_SCORE, field, from.data, to.data,
		       text.data);
done:
	buf_free(&text);
	buf_free(&from);
	buf_free(&to);
}

static bool same_evidence(const struct histchange_evidence *x,
			  const struct histchange_evidence *y)
{
	return !strcmp(x->url ? x->url : "", y->url ? y->url : "") &&
	       !strcmp(x->title ? x->title : "", y->title ? y->title : "");
}

/* Append each item of @from that @in lacks as a change of @kind. */
static void evidence_missing(const struct histchange_facts *from,
			     const struct histchange_facts *in,
			     enum histchange_kind kind,
			     struct histchange_list *out, struct arena *a)
{
	bool added = kind == HISTCHANGE_EVIDENCE_ADDED;
	struct buf text = BUF_INIT, value = BUF_INIT;
	for (size_t i = 0; i < from->nevidence; i++) {
		const struct histchange_evidence *e = &from->evidence[i];
		bool found = false;
		for (size_t j = 0; j < in->nevidence && !found; j++)
			found = same_evidence(e, &in->evidence[j]);
		if (found)
			continue;
		buf_reset(&text);
		buf_reset(&value);
		buf_printf(&value, "%s <%s>", e->title ? e->title : "",
			   e->url ? e->url : "");
		buf_printf(&text, "evidence %s: %s",
			   added ? "added" : "removed", value.data);
		histchange_add(out, a, kind, "evidence",
			       added ? NULL : value.data,
			       added ? value.data : NULL, text.data);
	}
	buf_free(&text);
	buf_free(&value);
}

static bool same_str(const char *x, const char *y)
{
	return (!x && !y) || (x && y && !strcmp(x, y));
}

/*
 * A text fact: "official_page https://a → https://b"; a long one (@brief)
 * only says it changed, its values are in @from and @to.
 */
static void compare_text(const char *field, const char *old, const char *new,
			 bool brief, struct histchange_list *out,
			 struct arena *a)
{
	if (same_str(old, new))
		return;
	struct buf text = BUF_INIT;
	if (brief)
		buf_printf(&text, "%s %s", field,
			   !old	  ? "added"
			   : !new ? "removed"
				  : "changed");
	else if (!old)
		buf_printf(&text, "%s added: %s", field, new);
	else if (!new)
		buf_printf(&text, "%s removed (was %s)", field, old);
	else
		buf_printf(&text, "%s %s \u2192 %s", field, old, new);
	histchange_add(out, a, HISTCHANGE_FACT, field, old, new, text.data);
	buf_free(&text);
}

static void compare_flag(const char *field, bool old, bool new,
			 struct histchange_list *out, struct arena *a)
{
	if (old == new)
		return;
	const char *from = old ? "yes" : "no", *to = new ? "yes" : "no";
	struct buf text = BUF_INIT;
	buf_printf(&text, "%s %s \u2192 %s", field, from, to);
	histchange_add(out, a, HISTCHANGE_FACT, field, from, to, text.data);
	buf_free(&text);
}

static void put_channels(struct buf *b, const struct histchange_facts *f)
{
	for (size_t i = 0; i < f->nchannels; i++)
		buf_printf(b, "%s%s", i ? ", " : "",
			   record_channel_id(f->channels[i]));
	if (!f->nchannels)
		buf_puts(b, "none");
}

void histchange_compare(const struct histchange_facts *old,
			const struct histchange_facts *new,
			struct histchange_list *out, struct arena *a)
{
	compare_tier("policy", &old->policy, &new->policy, out, a);
	if (old->has_flow || new->has_flow)
		compare_tier("flow", old->has_flow ? &old->flow : NULL,
			     new->has_flow ? &new->flow : NULL, out, a);
	evidence_missing(new, old, HISTCHANGE_EVIDENCE_ADDED, out, a);
	evidence_missing(old, new, HISTCHANGE_EVIDENCE_REMOVED, out, a);

	if (old->reviewed != new->reviewed ||
	    old->reviewed_set != new->reviewed_set) {
		char from[DATE_ISO_LEN + 1] = "", to[DATE_ISO_LEN + 1] = "";
		if (old->reviewed_set)
			date_format(old->reviewed, from);
		if (new->reviewed_set)
			date_format(new->reviewed, to);
		struct buf text = BUF_INIT;
		buf_printf(&text, "reviewed %s \u2192 %s", from, to);
		histchange_add(out, a, HISTCHANGE_REVIEWED, "reviewed",
			       old->reviewed_set ? from : NULL,
			       new->reviewed_set ? to : NULL, text.data);
		buf_free(&text);
	}

	compare_text("name", old->name, new->name, false, out, a);
	compare_text("industry", old->industry, new->industry, false, out, a);
	compare_text("jurisdiction", old->jurisdiction, new->jurisdiction,
		     false, out, a);
	struct buf from = BUF_INIT, to = BUF_INIT;
	put_channels(&from, old);
	put_channels(&to, new);
	compare_text("channels", from.data, to.data, false, out, a);
	buf_free(&from);
	buf_free(&to);
	compare_text("official_page", old->official_page, new->official_page,
		     false, out, a);
	compare_text("refund_page", old->refund_page, new->refund_page, false,
		     out, a);
	compare_flag("exit_fee", old->exit_fee, new->exit_fee, out, a);
	compare_flag("pause.offered", old->pause_offered, new->pause_offered,
		     out, a);
	compare_text("pause.note", old->pause_note, new->pause_note, true, out,
		     a);
	compare_text("deletion.note", old->deletion_note, new->deletion_note,
		     true, out, a);
	compare_text("deletion.url", old->deletion_url, new->deletion_url,
		     false, out, a);
	compare_text("summary", old->summary, new->summary, true, out, a);
}
