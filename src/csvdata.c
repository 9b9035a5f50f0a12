/*
 * csvdata.c - /data/companies.csv: every record as one row of a table,
 * for spreadsheets.
 *
 * RFC 4180 with a header row, one row per record in id order. The
 * dimension columns come from the methodology table, so a new dimension
 * is a new column. Every text cell goes through esc_csv_cell(), which
 * also defuses a cell a spreadsheet would read as a formula.
 */
#include "csvdata.h"
#include "date.h"
#include "esc.h"
#include "internal.h"
#include "record.h"
#include "siteurl.h"
#include "uri.h"

#include <stdlib.h>
#include <string.h>

static bool csv_text(struct buf *out, const char *s)
{
	return buf_putc(out, ',') && esc_csv_cell(out, s ? s : "");
}

static bool csv_int(struct buf *out, int v, bool present)
{
	return buf_putc(out, ',') && (!present || buf_printf(out, "%d", v));
}

static bool csv_grade(struct buf *out, char g, bool present)
{
	return buf_putc(out, ',') && (!present || buf_putc(out, g));
}

static bool csv_bool(struct buf *out, bool v)
{
	return csv_text(out, v ? "true" : "false");
}

static bool csv_uri(struct buf *out, struct buf *tmp, const struct text *t)
{
	buf_reset(tmp);
	if (t->s)
		uri_put(tmp, t->s);
	return csv_text(out, buf_cstr(tmp));
}

static bool csv_row(struct buf *out, struct buf *tmp, const struct catalog *c,
		    const struct entry *e)
{
	const struct method *m = c->m;
	const struct record *r = e->r;
	char date[DATE_ISO_LEN + 1];
	bool audited = e->audit != NULL;
	bool ok = esc_csv_cell(out, r->id.s) && csv_text(out, r->name.s) &&
		  csv_text(out, r->industry.s) &&
		  csv_text(out, r->jurisdiction.s) &&
		  csv_int(out, e->policy.score, true) &&
		  csv_grade(out, e->policy.grade, true);
	for (size_t k = 0; k < m->policy.ndims; k++)
		ok = ok && csv_int(out, e->policy.levels[k], true);
	ok = ok && csv_int(out, e->flow.score, audited) &&
	     csv_grade(out, e->flow.grade, audited) &&
	     csv_text(out, audited ? record_tier_id(e->audit->tier) : "");
	if (audited)
		date_format(e->audit->date.days, date);
	ok = ok && csv_text(out, audited ? date : "") &&
	     csv_int(out, catalog_gap(e), audited) &&
	     csv_int(out, e->headline->score, true) &&
	     csv_grade(out, e->headline->grade, true);
	buf_reset(tmp);
	for (size_t k = 0; k < r->nchannels; k++)
		buf_printf(tmp, "%s%s", k ? "; " : "",
			   record_channel_label(r->channels[k]));
	ok = ok && csv_text(out, buf_cstr(tmp)) &&
	     csv_bool(out, r->pause_offered.v);
	date_format(r->reviewed.days, date);
	ok = ok && csv_text(out, date) &&
	     csv_uri(out, tmp, &r->official_page) &&
	     csv_bool(out, r->fictional.v);
	buf_reset(tmp);
	siteurl_put_record(tmp, c->site, r->id.s);
	return ok && csv_text(out, buf_cstr(tmp)) && buf_puts(out, "\r\n");
}

bool csvdata_parts(const struct catalog *c, const char *const *rows,
		   const size_t *lens, struct buf *head, struct buf *made,
		   const char **parts, size_t *part_lens)
{
	const struct method *m = c->m;
	struct buf tmp = BUF_INIT;
	bool ok = buf_puts(head, "id,name,industry,jurisdiction,policy_score,"
				 "policy_grade");
	for (size_t k = 0; k < m->policy.ndims; k++)
		ok = ok && csv_text(head, m->policy.dims[k].id);
	ok = ok && buf_puts(head, ",flow_score,flow_grade,flow_tier,audit_date,"
				  "gap,headline_score,headline_grade,channels,"
				  "pause_offered,reviewed,official_page,"
				  "fictional,url\r\n");
	parts[0] = head->data;
	part_lens[0] = head->len;
	/* A row made goes into @made, which may move as it grows: its
	 * part is its offset there until the end. */
	size_t *from = xmalloc((c->n ? c->n : 1) * sizeof(*from));
	for (size_t i = 0; i < c->n && ok; i++) {
		if (rows && rows[i]) {
			parts[i + 1] = rows[i];
			part_lens[i + 1] = lens[i];
			continue;
		}
		from[i] = made->len;
		parts[i + 1] = NULL;
		ok = csv_row(made, &tmp, c, &c->entries[i]);
		part_lens[i + 1] = made->len - from[i];
	}
	for (size_t i = 0; i < c->n && ok; i++)
		if (!parts[i + 1])
			parts[i + 1] = made->data + from[i];
	free(from);
	buf_free(&tmp);
	return ok;
}

bool csvdata_put(struct buf *out, const struct catalog *c,
		 const char *const *rows, const size_t *lens)
{
	struct buf head = BUF_INIT, made = BUF_INIT;
	const char **parts = xmalloc((c->n + 1) * sizeof(*parts));
	size_t *part_lens = xmalloc((c->n + 1) * sizeof(*part_lens));
	bool ok = csvdata_parts(c, rows, lens, &head, &made, parts, part_lens);
	for (size_t i = 0; i <= c->n && ok; i++)
		ok = buf_put(out, parts[i], part_lens[i]);
	free(part_lens);
	free(parts);
	buf_free(&made);
	buf_free(&head);
	return ok;
}

/* The end of the row at @p: past the first CRLF outside quotes (a
 * quoted cell may hold line ends, and a quote inside one is doubled, so
 * counting quotes tells inside from out). NULL when it has none. */
static const char *row_end(const char *p, const char *end)
{
	bool quoted = false;
	for (;;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return NULL;
		for (const char *q = p; (q = memchr(q, '"', (size_t)(nl - q)));
		     q++)
			quoted = !quoted;
		if (!quoted)
			return nl > p && nl[-1] == '\r' ? nl + 1 : NULL;
		p = nl + 1;
	}
}

void csvdata_find_rows(const char *text, size_t len, const struct catalog *c,
		       const char **rows, size_t *lens)
{
	const char *end = text + len;
	const char *p = row_end(text, end); /* past the header */
	size_t i = 0;
	while (p && p < end && i < c->n) {
		const char *next = row_end(p, end);
		/* An id is a slug: its cell is never quoted. */
		const char *comma = memchr(p, ',', (size_t)(end - p));
		if (next && comma && comma < next &&
		    catalog_seek(c, &i, p, (size_t)(comma - p))) {
			rows[i] = p;
			lens[i] = (size_t)(next - p);
		}
		p = next;
	}
}
