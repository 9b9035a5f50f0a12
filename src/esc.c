/*
 * esc.c - one escaper per output context. Data never becomes markup: every
 * record text reaches a page, feed, badge, CSV or script through one of
 * these (or the template engine's HTML escaping, which matches esc_xml).
 */
#include "esc.h"
#include "utf8.h"

#include <string.h>

static const char replacement[] = "\xef\xbf\xbd";

bool esc_xml(struct buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	bool ok = true;
	size_t run = 0; /* bytes copied verbatim, pending */
	for (size_t i = 0; i < len;) {
		const char *ent = NULL;
		size_t n = 1;
		switch (p[i]) {
		case '&':
			ent = "&amp;";
			break;
		case '<':
			ent = "&lt;";
			break;
		case '>':
			ent = "&gt;";
			break;
		case '"':
			ent = "&quot;";
			break;
		case '\'':
			ent = "&#39;";
			break;
		default:
			if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' &&
			    p[i] != '\r') {
				ent = replacement;
			} else if (p[i] >= 0x80) {
				uint32_t cp;
				n = utf8_decode(p + i, len - i, &cp);
				if (!n || cp == 0xfffe || cp == 0xffff) {
					ent = replacement;
					n = n ? n : 1;
				}
			}
		}
		if (!ent) {
			run += n;
			i += n;
			continue;
		}
		ok = ok && buf_put(out, p + i - run, run) && buf_puts(out, ent);
		run = 0;
		i += n;
	}
	return ok && buf_put(out, p + len - run, run);
}

bool esc_xml_str(struct buf *out, const char *s)
{
	return esc_xml(out, s, strlen(s));
}

static bool is_rtl_letter(uint32_t cp)
{
	return (cp >= 0x0590 && cp <= 0x08ff) ||
	       (cp >= 0xfb1d && cp <= 0xfdff) ||
	       (cp >= 0xfe70 && cp <= 0xfeff) ||
	       (cp >= 0x10800 && cp <= 0x10fff) ||
	       (cp >= 0x1e800 && cp <= 0x1efff);
}

static bool is_bidi_risky(uint32_t cp)
{
	return utf8_is_bidi_control(cp) || is_rtl_letter(cp);
}

bool esc_bidi_risky(const char *s)
{
	return esc_bidi_risky_len(s, strlen(s));
}

bool esc_bidi_risky_len(const char *s, size_t len)
{
	/* Invalid UTF-8 is risky too: it stops the search as well. */
	return utf8_find(s, len, is_bidi_risky) < len;
}

bool esc_bidi_isolate(struct buf *out, const char *s)
{
	if (!esc_bidi_risky(s))
		return buf_puts(out, s);
	return buf_puts(out, "\u2068") && buf_puts(out, s) &&
	       buf_puts(out, "\u2069");
}

bool esc_csv_cell(struct buf *out, const char *s)
{
	/* Spreadsheets skip leading blanks and line breaks before reading
	 * a formula, so look past them. */
	char first = s[strspn(s, " \t\r\n")];
	bool formula = (s[0] && strchr("\t\r", s[0])) ||
		       (first && strchr("=+-@", first));
	bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	bool ok = true;
	if (quote)
		ok = buf_putc(out, '"');
	if (formula)
		ok = ok && buf_putc(out, '\'');
	for (const char *p = s; *p && ok; p++)
		ok = *p == '"' ? buf_puts(out, "\"\"") : buf_putc(out, *p);
	if (quote)
		ok = ok && buf_putc(out, '"');
	return ok;
}

bool esc_json_in_script(struct buf *out, const char *json, size_t len)
{
	bool ok = true;
	size_t start = 0;
	for (size_t i = 0; i < len && ok; i++) {
		const char *rep = NULL;
		size_t skip = 1;
		unsigned char c = (unsigned char)json[i];
		if (c == '<')
			rep = "\\u003c";
		else if (c == '>')
			rep = "\\u003e";
		else if (c == '&')
			rep = "\\u0026";
		else if (c == 0xe2 && i + 2 < len &&
			 (unsigned char)json[i + 1] == 0x80 &&
			 ((unsigned char)json[i + 2] == 0xa8 ||
			  (unsigned char)json[i + 2] == 0xa9)) {
			rep = (unsigned char)json[i + 2] == 0xa8 ? "\\u2028"
								 : "\\u2029";
			skip = 3;
		}
		if (!rep)
			continue;
		ok = buf_put(out, json + start, i - start) &&
		     buf_puts(out, rep);
		i += skip - 1;
		start = i + 1;
	}
	return ok && buf_put(out, json + start, len - start);
}

int esc_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

bool esc_shell_word(struct buf *out, const char *s)
{
	static const char plain[] = "abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "0123456789-_./:,+=@%";
	if (*s && *s != '=' && strspn(s, plain) == strlen(s))
		return buf_puts(out, s);
	bool ok = buf_putc(out, '\'');
	for (; *s; s++)
		ok = ok &&
		     (*s == '\'' ? buf_puts(out, "'\\''") : buf_putc(out, *s));
	return ok && buf_putc(out, '\'');
}
