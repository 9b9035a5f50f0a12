/*
 * datafile.h - a file of a data folder (a record, industries.yaml,
 * site.yaml) read as the hostile input it may be, with the reason it was
 * refused said as a diagnostic.
 */
#ifndef CANCELATLAS_DATAFILE_H
#define CANCELATLAS_DATAFILE_H

#include <stddef.h>

#include "diag.h"

/* The most bytes a file of a data folder may hold: a record is a few KiB,
 * and SPEC.md allows at most 1 MiB. */
#define DATAFILE_MAX ((size_t)1 << 20)

/**
 * datafile_read() - read a file of a data folder: a regular file of at
 * most DATAFILE_MAX bytes, and nothing else. It is opened without
 * following a symbolic link or waiting on a FIFO, and judged by the
 * descriptor it opened, so a link, FIFO, device, socket or folder is
 * refused by name and never read, and a file that grows while it is read
 * is still caught.
 * @path: the file.
 * @d: receives E032 (not a regular file) or E033 (too large).
 * @text: set to a new NUL-terminated buffer; caller frees with free().
 * @len: set to its length.
 *
 * Returns: 0; -1 with errno set when the file cannot be read, with nothing
 * added to @d (the caller says what the file is for, or that its absence
 * is fine); -2 when the file was refused, with the reason in @d.
 */
int datafile_read(const char *path, struct diag *d, char **text, size_t *len);

/**
 * datafile_read_at() - datafile_read() for the file @name of the folder
 * @dirfd (as listed from it, so a folder renamed meanwhile is still the
 * one read); @path names the file in diagnostics.
 */
int datafile_read_at(int dirfd, const char *name, const char *path,
		     struct diag *d, char **text, size_t *len);

#endif
