/*
 * strsort.h - strings sorted in strcmp() order, fast: the first eight
 * bytes of each are read once into a number kept beside it, so that most
 * comparisons compare two numbers and only strings alike that far are
 * read again. A build sorts its 100,000 file names and ids this way.
 */
#ifndef CANCELATLAS_STRSORT_H
#define CANCELATLAS_STRSORT_H

#include <stddef.h>

/**
 * strsort_order() - the order of the @n strings @v: @order[k] is set to
 * the index in @v of the k-th string in strcmp() order, equal strings in
 * the order of @v.
 */
void strsort_order(const char *const *v, size_t n, size_t *order);

/* strsort() - sort the @n strings @v in place, in strcmp() order. */
void strsort(const char **v, size_t n);

#endif
