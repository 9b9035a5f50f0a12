/*
 * pagekeys.h - the hash of what each listing page of the last build
 * showed, kept beside the site (PAGEKEYS_NAME), so that a build renders
 * again only the listing pages whose values changed.
 *
 * The keys belong to one state of the site: the file holds the key of the
 * manifest's "site" group of the build that wrote it, and is trusted only
 * while the manifest still says that key. A build that replaces shared
 * files journals "site", so one cut short leaves keys that no longer
 * match, and the next build renders every listing page.
 */
#ifndef CANCELATLAS_PAGEKEYS_H
#define CANCELATLAS_PAGEKEYS_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"

#define PAGEKEYS_NAME ".cancelatlas-pages"

struct pagekeys;

/* pagekeys_new() - an empty set, to fill during a build. */
struct pagekeys *pagekeys_new(void);

/**
 * pagekeys_load() - the keys in DIR/PAGEKEYS_NAME, when the file was
 * written for the site state @site_key; otherwise (absent, damaged, made
 * for another state, or @site_key 0) an empty set.
 */
struct pagekeys *pagekeys_load(const char *dir, uint64_t site_key);

/* pagekeys_match() - whether @k holds @path with @key. */
bool pagekeys_match(const struct pagekeys *k, const char *path, uint64_t key);

/* pagekeys_put() - add @path with @key; safe from several threads. */
void pagekeys_put(struct pagekeys *k, const char *path, uint64_t key);

/**
 * pagekeys_save() - write @k as DIR/PAGEKEYS_NAME for the site state
 * @site_key, atomically, sorted by path.
 *
 * Returns: 0, or -1 with @err set.
 */
int pagekeys_save(struct pagekeys *k, const char *dir, uint64_t site_key,
		  struct buf *err);

/* pagekeys_free() - release @k; accepts NULL. */
void pagekeys_free(struct pagekeys *k);

#endif
