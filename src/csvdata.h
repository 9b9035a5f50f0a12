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
 *
 * Returns: false only when @out's limit is reached.
 */
bool csvdata_put(struct buf *out, const struct catalog *c);

#endif
