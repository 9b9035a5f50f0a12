/*
 * jsonld.h - schema.org JSON-LD for record pages.
 */
#ifndef CANCELATLAS_JSONLD_H
#define CANCELATLAS_JSONLD_H

#include <stdbool.h>

#include "buf.h"
#include "catalog.h"

/**
 * jsonld_record() - append a record's schema.org Review (the company as
 * itemReviewed, the headline score as reviewRating, the evidence as
 * isBasedOn) as JSON already escaped for an HTML script element.
 *
 * Returns: false only when @out's limit is reached.
 */
bool jsonld_record(struct buf *out, const struct catalog *c,
		   const struct entry *e);

#endif
