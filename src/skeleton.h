/*
 * skeleton.h - the commented record skeleton `cancelatlas new` writes.
 */
#ifndef CANCELATLAS_SKELETON_H
#define CANCELATLAS_SKELETON_H

#include <stdio.h>

#include "date.h"

/**
 * skeleton_write() - write a commented record skeleton for @id.
 * @out: where to write the YAML.
 * @id: the record id (already checked to be a slug).
 * @today: the date to pre-fill `reviewed` and `accessed` with.
 *
 * Every value an editor must supply is a TODO placeholder that `check`
 * refuses until it is replaced, so a skeleton cannot be published by
 * accident; once filled in, it passes.
 *
 * Returns: 0, or -1 on a write error.
 */
int skeleton_write(FILE *out, const char *id, date_days today);

#endif
