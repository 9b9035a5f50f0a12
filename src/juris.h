/*
 * juris.h - jurisdiction codes: ISO 3166-1 alpha-2 countries, the
 * reference's UK and EU, and ISO 3166-2 subdivisions such as US-CA.
 */
#ifndef CANCELATLAS_JURIS_H
#define CANCELATLAS_JURIS_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct juris {
	const char *code;
	const char *name; /* "US", "France", "California" */
	bool the;	  /* reads "in the Netherlands" */
};

extern const struct juris juris_countries[];
extern const size_t juris_ncountries;
extern const struct juris juris_subdivisions[];
extern const size_t juris_nsubdivisions;

/**
 * juris_lookup() - the jurisdiction a record's code names.
 * @code: "US", "UK", "EU", "US-CA", ... (exact case).
 *
 * Returns: the entry, or NULL when the code is unknown.
 */
const struct juris *juris_lookup(const char *code);

/**
 * juris_put_phrase() - append how a sentence names the jurisdiction after
 * "in": "the US", "France", "California (US)".
 *
 * Returns: false only when @out's limit is reached.
 */
bool juris_put_phrase(struct buf *out, const char *code);

#endif
