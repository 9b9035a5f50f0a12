/*
 * htmltext.h - the readable text of an HTML page, as a person sees it
 * once menus, scripts and page furniture are left out.
 */
#ifndef CANCELATLAS_HTMLTEXT_H
#define CANCELATLAS_HTMLTEXT_H

#include <stddef.h>

#include "buf.h"

/**
 * htmltext_extract() - append the readable text of an HTML document.
 * @html: the bytes as served (need not be NUL-terminated).
 * @len: their length.
 * @charset: the charset the server declared (Content-Type), or NULL to
 *	     take the page's own <meta> declaration, else UTF-8.
 * @out: receives the text in UTF-8: one line per block (paragraph,
 *	 heading, list item, table cell...), words separated by one space,
 *	 no empty lines; nothing when the page has no text.
 *
 * The page is parsed by libxml2's HTML parser, which recovers from any
 * markup the way browsers do and never fetches anything. The contents of
 * head, script, style, noscript, template, nav, header, footer, aside,
 * svg, form, iframe, object and canvas are left out, as are comments.
 *
 * Returns: 0 (a page with no readable text adds nothing), or -1 when it
 * is too large for the parser (over 2 GiB; @out is then unchanged).
 */
int htmltext_extract(const char *html, size_t len, const char *charset,
		     struct buf *out);

#endif
