/*
 * slug.c - slugs from names and codes. A name becomes plain ASCII so an
 * id reads the same in any shell, file system and URL: Latin-1 letters
 * lose their accents through a table, and anything that is not a letter
 * or digit separates words. Names in other scripts give no slug; their
 * callers fall back to another source (a web address's host) or a
 * number.
 */
#include "slug.h"
#include "utf8.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

/* U+00C0..U+00FF in ASCII; "" for the two signs among them (× ÷). */
static const char *const latin1_ascii[64] = {
	"a", "a", "a", "a", "a",  "a",	"ae", "c", "e", "e", "e",  "e", "i",
	"i", "i", "i", "d", "n",  "o",	"o",  "o", "o", "o", "",   "o", "u",
	"u", "u", "u", "y", "th", "ss", "a",  "a", "a", "a", "a",  "a", "ae",
	"c", "e", "e", "e", "e",  "i",	"i",  "i", "i", "d", "n",  "o", "o",
	"o", "o", "o", "",  "o",  "u",	"u",  "u", "u", "y", "th", "y",
};

void slug_from_name(const char *name, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t len = strlen(name), n = 0;
	for (size_t i = 0; i < len && n + 4 < size;) {
		uint32_t cp;
		size_t k = utf8_decode(p + i, len - i, &cp);
		if (!k)
			k = 1, cp = '-';
		i += k;
		const char *ascii = NULL;
		char one[2] = { 0, 0 };
		if (cp < 0x80 && isalnum((int)cp))
			one[0] = (char)tolower((int)cp), ascii = one;
		else if (cp >= 0xc0 && cp <= 0xff)
			ascii = latin1_ascii[cp - 0xc0];
		else if (cp == '\'' || cp == 0x2019)
			continue; /* "Macy's" -> "macys" */
		if (ascii && *ascii) {
			for (; *ascii && n + 1 < size; ascii++)
				out[n++] = *ascii;
		} else if (n && out[n - 1] != '-') {
			out[n++] = '-';
		}
	}
	if (n > SLUG_MAX) {
		n = SLUG_MAX;
		while (n && out[n] != '-')
			n--;
		if (!n)
			n = SLUG_MAX;
	}
	while (n && out[n - 1] == '-')
		n--;
	out[n] = '\0';
}

void slug_from_code(const char *code, char *out, size_t size)
{
	size_t n = 0;
	for (const char *p = code; *p && n + 1 < size; p++)
		out[n++] = (char)tolower((unsigned char)*p);
	out[n] = '\0';
}

void slug_id_suffix(const char *jurisdiction, char *out, size_t size)
{
	if (!strcmp(jurisdiction, "US") || size < 2) {
		out[0] = '\0';
		return;
	}
	out[0] = '-';
	slug_from_code(jurisdiction, out + 1, size - 1);
}
