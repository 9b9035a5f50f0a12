/*
 * tmplset.h - a folder of Mustache templates, compiled once and rendered
 * many times: by the build for every page, and by the server for the
 * pages it makes per request.
 */
#ifndef CANCELATLAS_TMPLSET_H
#define CANCELATLAS_TMPLSET_H

#include <stddef.h>

#include "buf.h"
#include "mustache.h"

struct tmplset;

/**
 * tmplset_load() - compile every NAME.mustache file of @dir as a partial,
 * and the templates @names[0..@n) as the entry points to render.
 * @dir: the templates folder.
 * @names: template names without ".mustache"; borrowed for the call.
 * @err: receives the reason on failure.
 *
 * A missing entry point is an error, never an empty page. The result is
 * never changed by rendering, so threads may render from it at once.
 *
 * Returns: the set, or NULL with @err set. Free it with tmplset_free().
 */
struct tmplset *tmplset_load(const char *dir, const char *const *names,
			     size_t n, struct buf *err);

/**
 * tmplset_render() - render entry point @i with @root, appending to @out.
 *
 * Returns: 0, or -1 with @err set.
 */
int tmplset_render(const struct tmplset *t, size_t i,
		   const struct mst_value *root, struct buf *out,
		   struct buf *err);

/* tmplset_free() - free the set; accepts NULL. */
void tmplset_free(struct tmplset *t);

#endif
