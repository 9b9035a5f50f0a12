/*
 * cite.c - citations of a record in the formats researchers paste or
 * import: plain text, BibTeX, RIS and CSL-JSON.
 *
 * Every format cites the same thing: the record page, by the site (its
 * name from site.yaml) as author, dated by the review, with the methodology
 * version that produced the scores and the licence. Names are data, so each
 * format gets its own escaping: line breaks (which would end an RIS value or a
 * one-line text citation) and explicit bidirectional controls (which would
 * reorder the rest of the line on screen) are folded away first, then BibTeX's
 * specials become LaTeX commands and JSON goes through jansson.
 */
#include "cite.h"
#include "date.h"
#include "internal.h"
#include "siteurl.h"
#include "utf8.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

/*
 * The name as one line: C0 controls, DEL, U+0085, U+2028 and U+2029
 * become a space, runs of spaces one, ends trimmed; U+202A-U+202E and
 * U+2066-U+2069 (embeddings, overrides, isolates) are dropped.
 */
static bool put_folded(struct buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), start = out->len;
	bool ok = true, space = true; /* true: drop leading spaces */
	for (size_t i = 0; i < len && ok;) {
		uint32_t cp = p[i];
		size_t n = 1;
		if (cp >= 0x80 && !(n = utf8_decode(p + i, len - i, &cp))) {
			/* The loader refuses invalid UTF-8; stay safe anyway.
			 */
			ok = buf_puts(out, "\xef\xbf\xbd");
			space = false;
			i++;
			continue;
		}
		bool blank = cp < 0x20 || cp == ' ' || cp == 0x7f ||
			     cp == 0x85 || cp == 0x2028 || cp == 0x2029;
		bool drop = utf8_is_bidi_explicit(cp);
		if (blank) {
			if (!space)
				ok = buf_putc(out, ' ');
			space = true;
		} else if (!drop) {
			ok = buf_put(out, p + i, n);
			space = false;
		}
		i += n;
	}
	if (ok && out->len > start && out->data[out->len - 1] == ' ')
		out->data[--out->len] = '\0';
	return ok;
}

static int review_year(const struct record *r)
{
	int y, mo, d;
	date_to_ymd(r->reviewed.days, &y, &mo, &d);
	return y;
}

static bool put_note(struct buf *out, const struct site_info *site,
		     const struct method *m)
{
	return buf_printf(out, "Methodology %s. Licence: %s.", m->version,
			  site->license_name.s);
}

bool cite_title(struct buf *out, const struct record *r)
{
	return put_folded(out, r->name.s) &&
	       buf_puts(out, " \u2014 " CITE_WORK " (") &&
	       put_folded(out, r->jurisdiction.s) && buf_putc(out, ')');
}

static bool is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

bool cite_key(struct buf *out, const struct site_info *site,
	      const struct record *r)
{
	size_t start = out->len;
	bool ok = true;
	for (const char *p = site->name.s; *p && ok; p++)
		if (is_key_char(*p))
			ok = buf_putc(out, (char)tolower((unsigned char)*p));
	if (ok && out->len == start)
		ok = buf_puts(out, "record"); /* a name with no ASCII letter */
	ok = ok && buf_putc(out, '-');
	for (const char *p = r->id.s; *p && ok; p++)
		ok = buf_putc(out, is_key_char(*p) || *p == '-' ? *p : '-');
	return ok && buf_printf(out, "-%d", review_year(r));
}

bool cite_text(struct buf *out, const struct site_info *site,
	       const struct method *m, const struct record *r)
{
	return put_folded(out, site->name.s) &&
	       buf_printf(out, " (%d). \u201c", review_year(r)) &&
	       cite_title(out, r) &&
	       buf_printf(out, ".\u201d %s. ", m->version) &&
	       siteurl_put_record(out, site, r->id.s) &&
	       buf_printf(out, " (%s).", site->license_name.s);
}

/* Append @s (already one line) with BibTeX's specials made literal. */
static bool bib_escape(struct buf *out, const char *s)
{
	bool ok = true;
	for (const char *p = s; *p && ok; p++) {
		switch (*p) {
		case '{':
			ok = buf_puts(out, "\\textbraceleft{}");
			break;
		case '}':
			ok = buf_puts(out, "\\textbraceright{}");
			break;
		case '\\':
			ok = buf_puts(out, "\\textbackslash{}");
			break;
		case '^':
			ok = buf_puts(out, "\\textasciicircum{}");
			break;
		case '~':
			ok = buf_puts(out, "\\textasciitilde{}");
			break;
		case '%':
		case '&':
		case '$':
		case '#':
		case '_':
			ok = buf_putc(out, '\\') && buf_putc(out, *p);
			break;
		default:
			ok = buf_putc(out, *p);
		}
	}
	return ok;
}

bool cite_bibtex(struct buf *out, const struct site_info *site,
		 const struct method *m, const struct record *r)
{
	struct buf name = BUF_INIT, url = BUF_INIT, note = BUF_INIT;
	char date[DATE_ISO_LEN + 1];
	date_format(r->reviewed.days, date);
	bool ok = put_folded(&name, r->name.s) &&
		  siteurl_put_record(&url, site, r->id.s) &&
		  put_note(&note, site, m);
	ok = ok && buf_puts(out, "@misc{") && cite_key(out, site, r) &&
	     buf_puts(out, ",\n  author       = {{") &&
	     bib_escape(out, site->name.s) &&
	     buf_puts(out, "}},\n  title        = {{") &&
	     bib_escape(out, buf_cstr(&name)) &&
	     buf_puts(out, " --- " CITE_WORK " (") &&
	     bib_escape(out, r->jurisdiction.s) &&
	     buf_printf(out, ")}},\n  year         = {%d},\n",
			review_year(r)) &&
	     buf_puts(out, "  howpublished = {\\url{") &&
	     buf_puts(out, buf_cstr(&url)) &&
	     buf_puts(out, "}},\n  url          = {") &&
	     buf_puts(out, buf_cstr(&url)) &&
	     buf_puts(out, "},\n  note         = {") &&
	     bib_escape(out, buf_cstr(&note)) &&
	     buf_printf(out, "},\n  urldate      = {%s}\n}\n", date);
	buf_free(&name);
	buf_free(&url);
	buf_free(&note);
	return ok;
}

static bool ris_line(struct buf *out, const char *tag, const char *value)
{
	return buf_printf(out, "%s  - ", tag) && put_folded(out, value) &&
	       buf_puts(out, "\r\n");
}

bool cite_ris(struct buf *out, const struct site_info *site,
	      const struct method *m, const struct record *r)
{
	struct buf title = BUF_INIT, url = BUF_INIT, note = BUF_INIT;
	char year[16], date[DATE_ISO_LEN + 1];
	date_format(r->reviewed.days, date);
	snprintf(year, sizeof(year), "%d", review_year(r));
	date[4] = date[7] = '/'; /* RIS dates are YYYY/MM/DD */
	bool ok = cite_title(&title, r) &&
		  siteurl_put_record(&url, site, r->id.s) &&
		  put_note(&note, site, m);
	ok = ok && ris_line(out, "TY", "ELEC") &&
	     ris_line(out, "AU", site->name.s) &&
	     ris_line(out, "TI", buf_cstr(&title)) &&
	     ris_line(out, "PY", year) && ris_line(out, "DA", date) &&
	     ris_line(out, "UR", buf_cstr(&url)) &&
	     ris_line(out, "N1", buf_cstr(&note)) &&
	     buf_puts(out, "ER  - \r\n");
	buf_free(&title);
	buf_free(&url);
	buf_free(&note);
	return ok;
}

static int dump_to_buf(const char *s, size_t n, void *data)
{
	return buf_put(data, s, n) ? 0 : -1;
}

bool cite_csl(struct buf *out, const struct site_info *site,
	      const struct method *m, const struct record *r)
{
	struct buf key = BUF_INIT, title = BUF_INIT, url = BUF_INIT,
		   note = BUF_INIT;
	int y, mo, d;
	date_to_ymd(r->reviewed.days, &y, &mo, &d);
	cite_key(&key, site, r);
	cite_title(&title, r);
	siteurl_put_record(&url, site, r->id.s);
	put_note(&note, site, m);

	json_t *item = json_object();
	json_object_set_new(item, "id", json_string(buf_cstr(&key)));
	json_object_set_new(item, "type", json_string("webpage"));
	json_object_set_new(item, "title", json_string(buf_cstr(&title)));
	json_t *author = json_object();
	json_object_set_new(author, "literal", json_string(site->name.s));
	json_object_set_new(item, "author", json_pack("[o]", author));
	json_object_set_new(item, "issued",
			    json_pack("{s:[[i,i,i]]}", "date-parts", y, mo, d));
	json_object_set_new(item, "URL", json_string(buf_cstr(&url)));
	json_object_set_new(item, "version", json_string(m->version));
	json_object_set_new(item, "note", json_string(buf_cstr(&note)));
	json_t *all = json_pack("[o]", item);
	bool ok = json_dump_callback(all, dump_to_buf, out, JSON_INDENT(2)) ==
			  0 &&
		  buf_putc(out, '\n');
	json_decref(all);
	buf_free(&key);
	buf_free(&title);
	buf_free(&url);
	buf_free(&note);
	return ok;
}

int cite_write_files(struct outdir *o, const struct site_info *site,
		     const struct method *m, const struct record *r,
		     struct buf *err)
{
	static const struct {
		const char *ext;
		bool (*put)(struct buf *, const struct site_info *,
			    const struct method *, const struct record *);
	} formats[] = {
		{ "txt", cite_text },
		{ "bib", cite_bibtex },
		{ "ris", cite_ris },
		{ "json", cite_csl },
	};
	struct buf path = BUF_INIT, text = BUF_INIT;
	int rc = 0;
	for (size_t i = 0; i < ATLAS_COUNT(formats) && rc == 0; i++) {
		buf_reset(&path);
		buf_reset(&text);
		siteurl_put_record_file(&path, r->id.s, SITEURL_CITE);
		buf_puts(&path, formats[i].ext);
		formats[i].put(&text, site, m, r);
		if (i == 0)
			buf_putc(&text, '\n');
		rc = outdir_write(o, path.data, text.data, text.len, err);
	}
	buf_free(&path);
	buf_free(&text);
	return rc;
}
