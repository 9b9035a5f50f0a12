/*
 * slug.h - the lower-case, hyphenated words that ids and URL segments
 * are made of, from a name ("Café Zürich's" -> "cafe-zurichs") or a code
 * ("US-CA" -> "us-ca").
 */
#ifndef CANCELATLAS_SLUG_H
#define CANCELATLAS_SLUG_H

#include <stddef.h>

/* The longest slug made from a name. */
#define SLUG_MAX 64

/* A buffer slug_from_name() can read far enough into to cut a long name
 * between two words: every character may take up to four bytes. */
#define SLUG_NAME_SIZE (SLUG_MAX * 4 + 8)

/**
 * slug_from_name() - a slug from a name: ASCII letters and digits in
 * lower case, Latin-1 letters without their accents ("é" -> "e", "ß" ->
 * "ss"), apostrophes dropped ("Macy's" -> "macys"), and every other run
 * of characters one hyphen, with none at either end. A slug longer than
 * SLUG_MAX is cut at the last hyphen within it.
 * @out: receives the slug, "" when the name holds no letter or digit it
 *	 keeps.
 * @size: the size of @out; SLUG_NAME_SIZE lets the cut fall between words.
 */
void slug_from_name(const char *name, char *out, size_t size);

/**
 * slug_from_code() - @code in lower case ("US-CA" -> "us-ca"), as the
 * site's paths name a jurisdiction; cut to @size - 1 bytes.
 */
void slug_from_code(const char *code, char *out, size_t size);

/**
 * slug_id_suffix() - what a record id ends in for @jurisdiction: "-uk"
 * for UK, "-us-ca" for US-CA, and nothing for US, whose ids are bare.
 */
void slug_id_suffix(const char *jurisdiction, char *out, size_t size);

#endif
