/*
 * recordpack.h - a record as one block of bytes that holds no pointer:
 * each pointer becomes the offset of what it points to from the block's
 * start. Such a block can be kept in a file and made a record again with
 * one copy and a walk over the record field table (record_field.h), which
 * is how the parse cache (parsecache.h) spares a build loading records
 * that did not change.
 *
 * The bytes are the program's own structs: a block is read back only by
 * the program that wrote it, on the same machine.
 */
#ifndef CANCELATLAS_RECORDPACK_H
#define CANCELATLAS_RECORDPACK_H

#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "record.h"

/**
 * recordpack_put() - append the block of @r to @out. Its file name is
 * not kept: recordpack_get() is given it.
 */
void recordpack_put(struct buf *out, const struct record *r);

/**
 * recordpack_get() - the record packed in the @len bytes at @data, made
 * in @arena with the file name @file.
 *
 * Where each pointer leads is checked, so that nothing outside the block
 * is ever reached through it; the values themselves (a channel, a count
 * of channels) are trusted, as the caller's hash of the bytes vouches.
 *
 * Returns: the record, or NULL when the bytes are not a block that
 * recordpack_put() could have made (a text or a list would lie outside
 * it, or a text is not ended).
 */
struct record *recordpack_get(const void *data, size_t len, const char *file,
			      struct arena *arena);

#endif
