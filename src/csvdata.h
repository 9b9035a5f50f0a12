/*
 * csvdata.h - /data/companies.csv, the records as one table.
 */
#ifndef CANCELATLAS_CSVDATA_H
#define CANCELATLAS_CSVDATA_H

#include <stdbool.h>

#include "buf.h"
#include "catalog.h"

/**
 * csvdata_put() - append /data/companies.csv (RFC 4180: CRLF line
 * ends, a header row, then one row per record in id order). Dimension
 * columns come from the methodology table; numbers are bare, absent
 * values are empty cells, text goes through esc_csv_cell().
 * @rows: NULL, or by entry a row already made (as csvdata_find_rows()
 *	  finds them), @lens[i] bytes with its CRLF; where NULL, the row
 *	  is made.
 *
 * Returns: false only when @out's limit is reached.
 */
bool csvdata_put(struct buf *out, const struct catalog *c,
		 const char *const *rows, const size_t *lens);

/**
 * csvdata_parts() - what csvdata_put() appends, as parts to write one
 * after the other, without copying the rows already made: @parts[0] is
 * the header row (put in @head), @parts[i + 1] the row of entry i, @rows[i]
 * itself or one made into @made. @parts and @part_lens have room for
 * @c->n + 1; they point into @head, @made and @rows.
 *
 * Returns: false only when the limit of @head or @made is reached.
 */
bool csvdata_parts(const struct catalog *c, const char *const *rows,
		   const size_t *lens, struct buf *head, struct buf *made,
		   const char **parts, size_t *part_lens);

/**
 * csvdata_find_rows() - find the row of each entry of @c in @text, a
 * companies.csv that csvdata_put() wrote (@len bytes, not NUL-ended):
 * @rows[i] and @lens[i] for the entries it has a whole row of; the
 * others are left as they are. A row is taken by its first cell, the
 * id; its other cells are not read.
 */
void csvdata_find_rows(const char *text, size_t len, const struct catalog *c,
		       const char **rows, size_t *lens);

#endif
