/*
 * htmltext.c - readable text from HTML with libxml2's HTML parser.
 *
 * The parser builds the same tree from broken markup that a browser
 * would, so no pattern over the markup is ever needed. The tree is walked
 * without recursion (through parent links, so a deeply nested page cannot
 * exhaust the stack), skipping the elements that are not the page's
 * content and ending a line at every block element. Text is written
 * through a small state machine that collapses white space (no-break
 * spaces included), so two fetches of the same words give the same text
 * whatever the indentation of the markup, and a word diff sees words.
 */
#include "htmltext.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

static const char *const skipped[] = {
	"head",	  "script", "style", "noscript", "template", "nav",    "header",
	"footer", "aside",  "svg",   "form",	 "iframe",   "object", "canvas",
};

static const char *const blocks[] = {
	"address",    "article", "blockquote", "body", "br",	 "caption",
	"dd",	      "details", "div",	       "dl",   "dt",	 "fieldset",
	"figcaption", "figure",	 "h1",	       "h2",   "h3",	 "h4",
	"h5",	      "h6",	 "hr",	       "html", "legend", "li",
	"main",	      "ol",	 "option",     "p",    "pre",	 "section",
	"summary",    "table",	 "td",	       "th",   "tr",	 "ul",
};

static bool in_list(const xmlChar *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp((const char *)name, list[i]))
			return true;
	return false;
}

struct writer {
	struct buf *out;
	bool line_start; /* nothing written on this line yet */
	bool space;	 /* white space seen since the last word */
};

static void put_text(struct writer *w, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = 0;
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		    *p == '\f' || *p == '\v')
			n = 1;
		else if (p[0] == 0xc2 && p[1] == 0xa0) /* U+00A0 */
			n = 2;
		if (n) {
			w->space = true;
			p += n;
			continue;
		}
		if (w->space && !w->line_start)
			buf_putc(w->out, ' ');
		w->space = false;
		w->line_start = false;
		buf_putc(w->out, (char)*p++);
	}
}

static void end_line(struct writer *w)
{
	if (!w->line_start)
		buf_putc(w->out, '\n');
	w->line_start = true;
	w->space = false;
}

int htmltext_extract(const char *html, size_t len, const char *charset,
		     struct buf *out)
{
	if (len > INT32_MAX)
		return -1;
	htmlDocPtr doc = htmlReadMemory(
		html, (int)len, NULL, charset,
		HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
			HTML_PARSE_RECOVER | HTML_PARSE_NOBLANKS);
	if (!doc) /* nothing at all to parse (empty, or blank) */
		return 0;
	size_t start = out->len;
	struct writer w = { out, true, false };
	xmlNodePtr root = xmlDocGetRootElement(doc);
	for (xmlNodePtr n = root; n;) {
		bool enter = false;
		if (n->type == XML_ELEMENT_NODE) {
			if (!in_list(n->name, skipped, ATLAS_COUNT(skipped))) {
				if (in_list(n->name, blocks,
					    ATLAS_COUNT(blocks)))
					end_line(&w);
				enter = n->children != NULL;
			}
		} else if ((n->type == XML_TEXT_NODE ||
			    n->type == XML_CDATA_SECTION_NODE) &&
			   n->content) {
			put_text(&w, (const char *)n->content);
		}
		if (enter) {
			n = n->children;
			continue;
		}
		/* Next sibling, else climb, ending each block left. */
		while (n && !n->next) {
			n = n->parent;
			if (!n || n == (xmlNodePtr)doc)
				n = NULL;
			else if (in_list(n->name, blocks, ATLAS_COUNT(blocks)))
				end_line(&w);
			if (n == root)
				n = NULL;
		}
		if (n)
			n = n->next;
	}
	end_line(&w);
	/* No trailing newline: the text is lines joined by '\n'. */
	if (out->len > start && out->data[out->len - 1] == '\n')
		out->data[--out->len] = '\0';
	xmlFreeDoc(doc);
	return 0;
}
