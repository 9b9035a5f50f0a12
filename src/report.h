/*
 * report.h - the human-readable score breakdown of `cancelatlas score`.
 */
#ifndef CANCELATLAS_REPORT_H
#define CANCELATLAS_REPORT_H

#include <stdio.h>

#include "method.h"
#include "record.h"

/**
 * report_score() - print each dimension's level, weight and contribution,
 * the total and grade (with the rule that capped it), the record's
 * sentence, and for an audited record the flow score beside it and the
 * gap between the two.
 * @out: where to print.
 * @m: the methodology.
 * @r: a valid record.
 */
void report_score(FILE *out, const struct method *m, const struct record *r);

#endif
