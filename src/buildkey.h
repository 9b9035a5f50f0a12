/*
 * buildkey.h - the hashes of what a build's outputs are made from: the
 * site-wide inputs (program, templates, methodology, settings, the day),
 * each record's own inputs, and those of the pages every record shows on.
 */
#ifndef CANCELATLAS_BUILDKEY_H
#define CANCELATLAS_BUILDKEY_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct catalog;
struct entry;
struct manifest;
struct store_decision;

/**
 * buildkey_program() - the hash of the running program's bytes, read
 * once per process: every output and the parse cache depend on it.
 */
uint64_t buildkey_program(void);

/**
 * buildkey_inputs() - set on @m the inputs every output depends on: the
 * program's own bytes, every file under @templates_dir, the methodology
 * version, site.yaml and industries.yaml, @base_url, the build's day, the
 * number of records (every page shows it) and whether history was read.
 */
void buildkey_inputs(struct manifest *m, const struct catalog *c,
		     const char *templates_dir, const char *base_url);

/**
 * buildkey_record() - the hash of entry @e's own inputs: its file's
 * bytes, its versions from history, the decisions about it and what
 * monitoring found of the pages it cites. Several threads may call it;
 * @a is the caller's scratch arena (reset by the caller).
 *
 * Returns: the hash, never 0.
 */
uint64_t buildkey_record(const struct catalog *c, const struct entry *e,
			 struct arena *a);

/**
 * buildkey_shared() - the hash of the shared pages' inputs: every
 * record's key (@keys, in catalog order) and the public log of @n
 * decisions @d.
 *
 * Returns: the hash, never 0.
 */
uint64_t buildkey_shared(const struct catalog *c, const uint64_t *keys,
			 const struct store_decision *d, size_t n);

#endif
