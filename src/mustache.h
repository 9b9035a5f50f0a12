/*
 * mustache.h - logic-less Mustache templates: compile once, render many.
 *
 * Implements the Mustache spec (v1.4) core modules plus the optional
 * inheritance ({{<parent}}, {{$block}}) and dynamic-name ({{>*name}})
 * modules. Lambdas are not supported: data holds no code.
 *
 * Data is our own value tree (struct mst_value), built from an arena:
 *
 *	struct mst_value *page = mst_map_new(a);
 *	mst_map_set_str(page, "title", company->name);
 *	struct mst_value *items = mst_list_new(a);
 *	mst_map_set(page, "items", items);
 *	mst_list_push(items, mst_int(a, 85));
 *
 * Strings and keys are BORROWED: a value points at the caller's bytes, which
 * must stay valid and unchanged as long as the value is rendered. Use
 * mst_str_copy() for bytes that die sooner. Values live as long as the arena
 * they came from; nothing in a value tree is freed on its own.
 *
 * A compiled template and a value tree are never modified by rendering, so
 * both may be shared by threads that render at the same time. A partials
 * registry may be shared too as long as it has no loader (see
 * mst_partials_set_loader()).
 */
#ifndef CANCELATLAS_MUSTACHE_H
#define CANCELATLAS_MUSTACHE_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"

/* Sections, parents and blocks nested in one template, at most. */
#define MST_NEST_MAX 256
/* Sections, partials, parents and blocks open at once while rendering. */
#define MST_DEPTH_MAX 512
/*
 * Work allowed in one render: tags and text run, list items, context
 * frames searched and bytes of indentation each count one step.
 */
#define MST_STEPS_MAX 20000000

enum mst_type {
	MST_NULL,
	MST_BOOL,
	MST_NUMBER,
	MST_STRING,
	MST_LIST,
	MST_MAP,
};

struct mst_value;
struct mst_template;
struct mst_partials;

/*
 * Values.
 *
 * In a section ({{#x}}), null, false, an empty string, an empty list and a
 * missing name are false; everything else is true, including the number 0
 * and an empty map. A list repeats the section once per item; any other true
 * value renders it once with the value pushed on the context stack.
 *
 * In an interpolation ({{x}}), a string prints as is, a number in its
 * shortest form that reads back the same (85, 1.21, -0.5), a boolean as
 * "true" or "false"; null, lists, maps and missing names print nothing.
 */

/**
 * mst_null() - the null value.
 *
 * Returns: a shared immutable value; never NULL.
 */
const struct mst_value *mst_null(void);

/**
 * mst_bool() - a boolean.
 * @b: the truth value.
 *
 * Returns: a shared immutable value; never NULL.
 */
const struct mst_value *mst_bool(bool b);

/**
 * mst_int() - an integer, printed exactly (no decimals).
 * @a: the arena that owns the value.
 * @n: the integer.
 *
 * Returns: a value owned by @a.
 */
const struct mst_value *mst_int(struct arena *a, long long n);

/**
 * mst_number() - a floating-point number. Integral values print without
 * decimals; others print as the shortest decimal that reads back the same.
 * NaN and the infinities print as "NaN", "Infinity" and "-Infinity".
 * @a: the arena that owns the value.
 * @d: the number.
 *
 * Returns: a value owned by @a.
 */
const struct mst_value *mst_number(struct arena *a, double d);

/**
 * mst_str() - a string that borrows @s.
 * @a: the arena that owns the value (not the bytes).
 * @s: a NUL-terminated string; it must outlive every render of the value.
 *
 * Returns: a value owned by @a.
 */
const struct mst_value *mst_str(struct arena *a, const char *s);

/**
 * mst_strn() - a string that borrows @len bytes at @s (NUL bytes allowed).
 * @a: the arena that owns the value (not the bytes).
 * @s: the bytes; they must outlive every render of the value.
 * @len: the number of bytes.
 *
 * Returns: a value owned by @a.
 */
const struct mst_value *mst_strn(struct arena *a, const char *s, size_t len);

/**
 * mst_str_copy() - a string holding a copy of @len bytes at @s.
 * @a: the arena that owns the value and the copy.
 * @s: the bytes, borrowed for the call only.
 * @len: the number of bytes.
 *
 * Returns: a value owned by @a.
 */
const struct mst_value *mst_str_copy(struct arena *a, const char *s,
				     size_t len);

/**
 * mst_list_new() - an empty list, grown with mst_list_push().
 * @a: the arena that owns the list and its growth.
 *
 * Returns: a value owned by @a.
 */
struct mst_value *mst_list_new(struct arena *a);

/**
 * mst_list_push() - append an item to a list.
 * @list: a list from mst_list_new(); any other value is left alone.
 * @v: the item, or NULL for null. Borrowed: it must live as long as @list.
 */
void mst_list_push(struct mst_value *list, const struct mst_value *v);

/**
 * mst_map_new() - an empty map whose keys keep their insertion order.
 * Lookups scan small maps and hash larger ones.
 * @a: the arena that owns the map and its growth.
 *
 * Returns: a value owned by @a.
 */
struct mst_value *mst_map_new(struct arena *a);

/**
 * mst_map_set() - set @key to @v, replacing any value it had.
 * @map: a map from mst_map_new(); any other value is left alone.
 * @key: a NUL-terminated key, borrowed: it must live as long as @map.
 * @v: the value, or NULL for null. Borrowed: it must live as long as @map.
 */
void mst_map_set(struct mst_value *map, const char *key,
		 const struct mst_value *v);

/**
 * mst_map_setn() - as mst_map_set() for a key of @klen bytes.
 */
void mst_map_setn(struct mst_value *map, const char *key, size_t klen,
		  const struct mst_value *v);

/**
 * mst_map_set_str() - set @key to a string that borrows @s (NULL sets null).
 */
void mst_map_set_str(struct mst_value *map, const char *key, const char *s);

/* mst_map_set_int() - set @key to the integer @n. */
void mst_map_set_int(struct mst_value *map, const char *key, long long n);

/* mst_map_set_number() - set @key to the number @d. */
void mst_map_set_number(struct mst_value *map, const char *key, double d);

/* mst_map_set_bool() - set @key to the boolean @b. */
void mst_map_set_bool(struct mst_value *map, const char *key, bool b);

/**
 * mst_map_get() - look up a key in a map.
 * @map: the map; any other value has no keys.
 * @key: a NUL-terminated key.
 *
 * Returns: the value, borrowed from @map, or NULL if @key is not set.
 */
const struct mst_value *mst_map_get(const struct mst_value *map,
				    const char *key);

/**
 * mst_value_type() - the type of a value.
 * @v: the value; NULL counts as null.
 */
enum mst_type mst_value_type(const struct mst_value *v);

/**
 * mst_value_hash() - a hash of @v and everything in it: types, strings,
 * numbers' printed forms, list items in order, map keys and values in
 * the order they were set. Values built alike hash alike; any difference
 * a template could show changes the hash, as do some it could not (the
 * order of a map's keys, a number against the same digits as a string).
 */
uint64_t mst_value_hash(const struct mst_value *v);

/*
 * Templates.
 */

/**
 * mst_template_compile() - parse a template into its compiled form.
 * @name: the template's name for messages, e.g. "page.mustache"; copied.
 * @src: the template text; copied where needed, so it may be freed after.
 * @len: the length of @src in bytes.
 * @err: where to append a message on failure, or NULL. Messages read
 *	"page.mustache:12: unclosed section {{#items}}".
 *
 * Returns: a new template, freed with mst_template_free(), or NULL when the
 * template is malformed: an unclosed tag or section, a mismatched closing
 * tag, a bad delimiter change, an empty or spaced tag name, or sections
 * nested deeper than MST_NEST_MAX.
 */
struct mst_template *mst_template_compile(const char *name, const char *src,
					  size_t len, struct buf *err);

/**
 * mst_template_free() - release a template.
 * @t: the template, or NULL.
 */
void mst_template_free(struct mst_template *t);

/**
 * mst_template_name() - the name given to mst_template_compile().
 *
 * Returns: a string owned by @t.
 */
const char *mst_template_name(const struct mst_template *t);

/**
 * mst_template_render() - render a template against a value tree.
 * @t: the compiled template.
 * @data: the root of the context stack; NULL counts as null.
 * @partials: where {{>name}} and {{<name}} find templates, or NULL for none.
 *	A name that is not found renders as the empty string.
 * @out: the output is appended here; its limit, if any, is respected.
 * @err: where to append a message on failure, or NULL.
 *
 * Escaped interpolation ({{x}}) replaces & < > " ' by &amp; &lt; &gt; &quot;
 * &#39;. Values are never parsed as templates.
 *
 * Returns: 0 on success; -1 when rendering goes deeper than MST_DEPTH_MAX
 * (runaway partial recursion), takes more than MST_STEPS_MAX steps, a
 * partial fails to load or compile, or @out reaches its limit. On failure
 * @out holds partial output that the caller should discard.
 */
int mst_template_render(const struct mst_template *t,
			const struct mst_value *data,
			struct mst_partials *partials, struct buf *out,
			struct buf *err);

/*
 * Partials: a registry of named templates for {{>name}} and {{<name}}.
 * Each is compiled once and kept until the registry is freed.
 */

/**
 * mst_partials_new() - an empty registry.
 *
 * Returns: a new registry, freed with mst_partials_free().
 */
struct mst_partials *mst_partials_new(void);

/**
 * mst_partials_free() - release a registry and every template in it.
 * @p: the registry, or NULL.
 */
void mst_partials_free(struct mst_partials *p);

/**
 * mst_partials_add() - compile @src and register it as @name, replacing
 * any template of that name.
 * @p: the registry.
 * @name: the partial's name, also used in messages; copied.
 * @src: the template text; copied where needed.
 * @len: the length of @src in bytes.
 * @err: where to append a message on failure, or NULL.
 *
 * Returns: 0 on success, -1 if @src does not compile (nothing is added).
 */
int mst_partials_add(struct mst_partials *p, const char *name, const char *src,
		     size_t len, struct buf *err);

/**
 * mst_partials_add_take() - register a compiled template as @name,
 * replacing any template of that name.
 * @p: the registry.
 * @name: the partial's name; copied.
 * @t: the template; the registry takes it over and frees it.
 */
void mst_partials_add_take(struct mst_partials *p, const char *name,
			   struct mst_template *t);

/**
 * mst_partials_set_loader() - ask a callback for names not registered.
 * @p: the registry.
 * @load: called once per unknown name during a render. It appends the
 *	partial's text to @src and returns 1, returns 0 if there is no such
 *	partial (it then renders empty), or appends a message to @err (which
 *	may be NULL) and returns -1 to fail the render. Its answer is cached,
 *	so a registry with a loader changes while rendering and must not be
 *	used by two threads at once.
 * @user: passed to @load as is.
 */
void mst_partials_set_loader(struct mst_partials *p,
			     int (*load)(void *user, const char *name,
					 struct buf *src, struct buf *err),
			     void *user);

#endif
