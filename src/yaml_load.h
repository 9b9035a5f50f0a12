/*
 * yaml_load.h - YAML records and the industries list into our structs.
 */
#ifndef CANCELATLAS_YAML_LOAD_H
#define CANCELATLAS_YAML_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "record.h"

/**
 * yaml_load_record() - read one record file's text into a record.
 * @file: the path used in diagnostics and stored in the record.
 * @text: the file's bytes.
 * @len: their number.
 * @arena: owns the record and its strings.
 * @d: receives every structural problem: syntax, unknown or missing
 *     fields, values of the wrong type or outside the record format's
 *     vocabularies (E001-E014, E017, E023, E025-E027).
 *
 * Rules that need other records, the methodology or today's date are the
 * validator's. A record with problems is still returned as far as it could
 * be read, so later checks can report more in the same run.
 *
 * Returns: the record, or NULL when the file is not a usable YAML mapping.
 */
struct record *yaml_load_record(const char *file, const char *text, size_t len,
				struct arena *arena, struct diag *d);

struct yaml_loader;

/**
 * yaml_loader_new() - a loader to read many records with: it keeps its
 * YAML parser and scratch memory between files. Not shared between
 * threads.
 *
 * Returns: a new loader; release with yaml_loader_free().
 */
struct yaml_loader *yaml_loader_new(void);

/* yaml_loader_free() - release a loader; accepts NULL. */
void yaml_loader_free(struct yaml_loader *l);

/**
 * yaml_loader_record() - as yaml_load_record(), with a reusable loader.
 * Only the record's own strings go into @arena; the parse tree lives in
 * the loader's scratch memory and is discarded with the next file.
 */
struct record *yaml_loader_record(struct yaml_loader *l, const char *file,
				  const char *text, size_t len,
				  struct arena *arena, struct diag *d);

/**
 * yaml_load_industries() - read the industries list (name and slug).
 * @out: set to an array in @arena.
 * @n: set to its length.
 *
 * Returns: 0, or -1 when the file could not be used at all.
 */
int yaml_load_industries(const char *file, const char *text, size_t len,
			 struct arena *arena, struct diag *d,
			 struct industry **out, size_t *n);

/**
 * yaml_load_site() - read the site settings (DATA/site.yaml) into @out:
 * name, url, contact and license (name and url), each positioned.
 * @need_url: whether `url` is required (not when build --base-url gives
 *	      it).
 *
 * Only the shape is checked here (E002-E013, E023); siteinfo_load()
 * checks the values.
 *
 * Returns: 0, or -1 when the file is not a usable YAML mapping.
 */
int yaml_load_site(const char *file, const char *text, size_t len,
		   bool need_url, struct arena *arena, struct diag *d,
		   struct site_info *out);

#endif
