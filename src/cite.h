/*
 * cite.h - how to cite a record: the text citation the record page shows,
 * and the BibTeX, RIS and CSL-JSON files beside it (c/<id>/cite.*).
 */
#ifndef CANCELATLAS_CITE_H
#define CANCELATLAS_CITE_H

#include <stdbool.h>

#include "buf.h"
#include "method.h"
#include "outdir.h"
#include "record.h"
#include "siteinfo.h"

/* What a record's page is called; the author is the site's name. */
#define CITE_WORK "Cancellation Friction Index"

/**
 * cite_title() - the cited work's title: "Coursera — Cancellation
 * Friction Index (US)", with line breaks and control characters in the
 * name folded to spaces.
 * @out: appended to.
 * @r: the record.
 *
 * Returns: false only when @out's limit is reached.
 */
bool cite_title(struct buf *out, const struct record *r);

/**
 * cite_text() - the plain-text citation, as the seed page writes it:
 * Cancel Atlas (2026). “Coursera — Cancellation Friction Index (US).”
 * CES-1.1. https://www.cancelatlas.com/c/coursera (CC BY-SA 4.0).
 * @out: appended to; plain text, so a page must still escape it.
 * @site: the author (its name), the record's URL and the licence.
 * @m: the methodology that produced the record's scores.
 * @r: the record; the year is that of its review date.
 *
 * Returns: false only when @out's limit is reached.
 */
bool cite_text(struct buf *out, const struct site_info *site,
	       const struct method *m, const struct record *r);

/**
 * cite_bibtex() - a BibTeX @misc entry, newline-terminated. The key is
 * "cancelatlas-<id>-<year>"; BibTeX's special characters in the data
 * ({ } \ % & $ # _ ^ ~) are written as LaTeX commands that keep braces
 * balanced, and line breaks become spaces.
 *
 * Returns: false only when @out's limit is reached.
 */
bool cite_bibtex(struct buf *out, const struct site_info *site,
		 const struct method *m, const struct record *r);

/**
 * cite_ris() - an RIS record (TY ELEC ... ER), lines ending in CRLF as
 * the format asks; line breaks in values become spaces, so no value can
 * start a tag of its own.
 *
 * Returns: false only when @out's limit is reached.
 */
bool cite_ris(struct buf *out, const struct site_info *site,
	      const struct method *m, const struct record *r);

/**
 * cite_csl() - a CSL-JSON array holding one item of type "webpage",
 * newline-terminated, for citation managers and citeproc.
 *
 * Returns: false only when @out's limit is reached.
 */
bool cite_csl(struct buf *out, const struct site_info *site,
	      const struct method *m, const struct record *r);

/**
 * cite_key() - the citation key the BibTeX entry and the CSL item share:
 * the site name's ASCII letters and digits in lower case, the id and the
 * review year, "cancelatlas-coursera-2026"; characters of the id other
 * than letters, digits and '-' become '-'.
 *
 * Returns: false only when @out's limit is reached.
 */
bool cite_key(struct buf *out, const struct site_info *site,
	      const struct record *r);

/**
 * cite_write_files() - write the citation files beside a record's page,
 * c/<id>/cite.txt (with a final newline), cite.bib, cite.ris and
 * cite.json, into the folder being built.
 *
 * Returns: 0, or -1 with @err set.
 */
int cite_write_files(struct outdir *o, const struct site_info *site,
		     const struct method *m, const struct record *r,
		     struct buf *err);

#endif
