/*
 * utf8.c - strict UTF-8 decoding, shared by the loader (which must refuse
 * invalid input with a position), the diagnostics printer and the badge
 * text measurer; and the one list of the invisible and direction-setting
 * code points that every output treats with care.
 */
#include "utf8.h"

size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t n;
	uint32_t min, v;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2, min = 0x80, v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3, min = 0x800, v = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4, min = 0x10000, v = c & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

size_t utf8_find(const char *s, size_t len, bool (*match)(uint32_t cp))
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		uint32_t cp = p[i];
		size_t n = 1;
		if (cp >= 0x80 && !(n = utf8_decode(p + i, len - i, &cp)))
			return i;
		if (match && match(cp))
			return i;
		i += n;
	}
	return len;
}

size_t utf8_check(const char *s, size_t len)
{
	return utf8_find(s, len, NULL);
}

size_t utf8_chars(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

bool utf8_is_bidi_mark(uint32_t cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f;
}

bool utf8_is_bidi_explicit(uint32_t cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

bool utf8_is_bidi_control(uint32_t cp)
{
	return utf8_is_bidi_mark(cp) || utf8_is_bidi_explicit(cp);
}

bool utf8_is_invisible(uint32_t cp)
{
	return utf8_is_bidi_control(cp) || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff;
}
