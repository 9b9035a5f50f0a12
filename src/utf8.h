/*
 * utf8.h - strict UTF-8 decoding (RFC 3629: no overlongs, no surrogates,
 * nothing above U+10FFFF), and which code points are invisible or steer
 * the direction of text.
 */
#ifndef CANCELATLAS_UTF8_H
#define CANCELATLAS_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * utf8_decode() - decode the code point at the start of @s.
 * @s: the bytes.
 * @len: how many bytes are available (at least 1).
 * @cp: where to store the code point.
 *
 * Returns: the length of the sequence (1-4), or 0 if it is not valid UTF-8.
 */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/**
 * utf8_check() - find the first invalid byte in @s.
 *
 * Returns: the offset of the first invalid sequence, or @len when all of
 * @s is valid.
 */
size_t utf8_check(const char *s, size_t len);

/**
 * utf8_find() - find the first code point of @s that @match accepts.
 * @match: the test; NULL accepts none.
 *
 * Returns: the offset of that code point or of the first invalid
 * sequence, whichever comes first, or @len when there is neither.
 */
size_t utf8_find(const char *s, size_t len, bool (*match)(uint32_t cp));

/* utf8_chars() - the number of code points in @len valid bytes of @s. */
size_t utf8_chars(const char *s, size_t len);

/*
 * Characters that change how text is ordered or shown without showing
 * themselves: one set, so that what the pages isolate, the citations
 * drop, the record writer escapes and the badges measure as nothing
 * cannot drift apart.
 */

/* utf8_is_bidi_mark() - ALM, LRM or RLM (U+061C, U+200E, U+200F): a
 * mark that sets the direction of its neighbours but opens no span. */
bool utf8_is_bidi_mark(uint32_t cp);

/* utf8_is_bidi_explicit() - an embedding or override (U+202A..U+202E)
 * or an isolate (U+2066..U+2069): it opens or closes a span of text laid
 * out in a direction of its own. */
bool utf8_is_bidi_explicit(uint32_t cp);

/* utf8_is_bidi_control() - a mark or an explicit control: Unicode's
 * Bidi_Control property. */
bool utf8_is_bidi_control(uint32_t cp);

/* utf8_is_invisible() - a format character that takes no room: the
 * bidi controls, zero-width space, joiners and marks (U+200B..U+200F),
 * the word joiner and invisible operators (U+2060..U+206F) and the
 * zero-width no-break space (U+FEFF). */
bool utf8_is_invisible(uint32_t cp);

#endif
