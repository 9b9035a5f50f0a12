/*
 * mustache_value.c - the values templates render: null, booleans,
 * numbers, strings, lists and maps, all from the caller's arena.
 *
 * Strings borrow the caller's bytes; numbers keep their printed form, made
 * once when the value is. A map keeps its keys in insertion order in an
 * array of entries, each with its hash; small maps are scanned, and from
 * MAP_INDEX_MIN slots on an open-addressed index of entry numbers finds a
 * key in a probe or a few. Nothing is freed on its own: the arena is.
 */
#include "mustache.h"
#include "arena.h"
#include "hash.h"
#include "mustache_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Maps with more slots than this get a hash index. */
#define MAP_INDEX_MIN 32
#define MAP_INDEX_MAX ((size_t)1 << 30)

static const struct mst_value null_value = { .type = MST_NULL };
static const struct mst_value false_value = { .type = MST_BOOL,
					      .u = { .b = false } };
static const struct mst_value true_value = { .type = MST_BOOL,
					     .u = { .b = true } };

const struct mst_value *mst_null(void)
{
	return &null_value;
}

const struct mst_value *mst_bool(bool b)
{
	return b ? &true_value : &false_value;
}

static const struct mst_value *number_value(struct arena *a, const char *s,
					    int n)
{
	struct mst_value *v = arena_alloc(a, sizeof(*v));
	v->type = MST_NUMBER;
	v->u.str.s = arena_strndup(a, s, (size_t)n);
	v->u.str.len = (size_t)n;
	return v;
}

const struct mst_value *mst_int(struct arena *a, long long n)
{
	char s[32];
	return number_value(a, s, snprintf(s, sizeof(s), "%lld", n));
}

const struct mst_value *mst_number(struct arena *a, double d)
{
	char s[40];
	int n;

	if (isnan(d)) {
		n = snprintf(s, sizeof(s), "NaN");
	} else if (isinf(d)) {
		n = snprintf(s, sizeof(s), "%s",
			     d > 0 ? "Infinity" : "-Infinity");
	} else if (d == 0) {
		n = snprintf(s, sizeof(s), "0"); /* and not "-0" */
	} else if (d == floor(d) && fabs(d) < 1e21) {
		n = snprintf(s, sizeof(s), "%.0f", d);
	} else {
		/* The shortest of 15, 16 or 17 digits that reads back. */
		int prec = 15;
		do {
			n = snprintf(s, sizeof(s), "%.*g", prec, d);
		} while (prec++ < 17 && strtod(s, NULL) != d);
	}
	return number_value(a, s, n);
}

const struct mst_value *mst_strn(struct arena *a, const char *s, size_t len)
{
	struct mst_value *v = arena_alloc(a, sizeof(*v));
	v->type = MST_STRING;
	v->u.str.s = len ? s : "";
	v->u.str.len = len;
	return v;
}

const struct mst_value *mst_str(struct arena *a, const char *s)
{
	return mst_strn(a, s, strlen(s));
}

const struct mst_value *mst_str_copy(struct arena *a, const char *s, size_t len)
{
	return mst_strn(a, arena_strndup(a, len ? s : "", len), len);
}

struct mst_value *mst_list_new(struct arena *a)
{
	struct mst_value *v = arena_alloc(a, sizeof(*v));
	v->type = MST_LIST;
	v->u.list.arena = a;
	return v;
}

void mst_list_push(struct mst_value *list, const struct mst_value *v)
{
	if (!list || list->type != MST_LIST)
		return;
	if (list->u.list.n == list->u.list.cap) {
		size_t cap = list->u.list.cap ? list->u.list.cap * 2 : 8;
		const struct mst_value **items =
			arena_array(list->u.list.arena, cap, sizeof(*items));
		if (list->u.list.n)
			memcpy(items, list->u.list.items,
			       list->u.list.n * sizeof(*items));
		list->u.list.items = items;
		list->u.list.cap = cap;
	}
	list->u.list.items[list->u.list.n++] = v ? v : &null_value;
}

struct mst_value *mst_map_new(struct arena *a)
{
	struct mst_value *v = arena_alloc(a, sizeof(*v));
	v->type = MST_MAP;
	v->u.map.arena = a;
	return v;
}

const struct mst_entry *mst_map_find(const struct mst_value *m, const char *key,
				     size_t klen, uint32_t hash)
{
	const struct mst_entry *ents = m->u.map.ents;

	if (m->u.map.index) {
		size_t mask = 2 * m->u.map.cap - 1;
		for (size_t i = hash & mask;; i = (i + 1) & mask) {
			uint32_t slot = m->u.map.index[i];
			if (!slot)
				return NULL;
			const struct mst_entry *e = &ents[slot - 1];
			if (e->hash == hash && e->klen == klen &&
			    bytes_eq(e->key, key, klen))
				return e;
		}
	}
	for (size_t i = 0; i < m->u.map.n; i++) {
		const struct mst_entry *e = &ents[i];
		if (e->hash == hash && e->klen == klen &&
		    bytes_eq(e->key, key, klen))
			return e;
	}
	return NULL;
}

static void map_index_add(struct mst_value *m, size_t i)
{
	size_t mask = 2 * m->u.map.cap - 1;
	size_t slot = m->u.map.ents[i].hash & mask;
	while (m->u.map.index[slot])
		slot = (slot + 1) & mask;
	m->u.map.index[slot] = (uint32_t)(i + 1);
}

static void map_grow(struct mst_value *m)
{
	size_t cap = m->u.map.cap ? m->u.map.cap * 2 : 8;
	struct mst_entry *ents =
		arena_array(m->u.map.arena, cap, sizeof(*ents));
	if (m->u.map.n)
		memcpy(ents, m->u.map.ents, m->u.map.n * sizeof(*ents));
	m->u.map.ents = ents;
	m->u.map.cap = cap;
	m->u.map.index = NULL;
	if (cap < MAP_INDEX_MIN || cap > MAP_INDEX_MAX)
		return;
	m->u.map.index = arena_array(m->u.map.arena, 2 * cap, sizeof(uint32_t));
	for (size_t i = 0; i < m->u.map.n; i++)
		map_index_add(m, i);
}

void mst_map_setn(struct mst_value *map, const char *key, size_t klen,
		  const struct mst_value *v)
{
	if (!map || map->type != MST_MAP)
		return;
	if (!klen)
		key = "";
	uint32_t hash = mst_hash(key, klen);
	struct mst_entry *e =
		(struct mst_entry *)mst_map_find(map, key, klen, hash);
	if (!e) {
		if (map->u.map.n == map->u.map.cap)
			map_grow(map);
		e = &map->u.map.ents[map->u.map.n++];
		e->key = key;
		e->klen = klen;
		e->hash = hash;
		if (map->u.map.index)
			map_index_add(map, map->u.map.n - 1);
	}
	e->val = v ? v : &null_value;
}

void mst_map_set(struct mst_value *map, const char *key,
		 const struct mst_value *v)
{
	mst_map_setn(map, key, strlen(key), v);
}

void mst_map_set_str(struct mst_value *map, const char *key, const char *s)
{
	if (map && map->type == MST_MAP)
		mst_map_set(map, key, s ? mst_str(map->u.map.arena, s) : NULL);
}

void mst_map_set_int(struct mst_value *map, const char *key, long long n)
{
	if (map && map->type == MST_MAP)
		mst_map_set(map, key, mst_int(map->u.map.arena, n));
}

void mst_map_set_number(struct mst_value *map, const char *key, double d)
{
	if (map && map->type == MST_MAP)
		mst_map_set(map, key, mst_number(map->u.map.arena, d));
}

void mst_map_set_bool(struct mst_value *map, const char *key, bool b)
{
	mst_map_set(map, key, mst_bool(b));
}

const struct mst_value *mst_map_get(const struct mst_value *map,
				    const char *key)
{
	if (!map || map->type != MST_MAP)
		return NULL;
	size_t klen = strlen(key);
	const struct mst_entry *e =
		mst_map_find(map, key, klen, mst_hash(key, klen));
	return e ? e->val : NULL;
}

enum mst_type mst_value_type(const struct mst_value *v)
{
	return v ? v->type : MST_NULL;
}

static void put_len(struct hash_stream *h, size_t n)
{
	uint64_t v = n;
	hash_stream_put(h, &v, sizeof(v));
}

static void hash_value(struct hash_stream *h, const struct mst_value *v)
{
	unsigned char tag = (unsigned char)mst_value_type(v);
	hash_stream_put(h, &tag, 1);
	switch (mst_value_type(v)) {
	case MST_NULL:
		break;
	case MST_BOOL:
		tag = v->u.b;
		hash_stream_put(h, &tag, 1);
		break;
	case MST_NUMBER:
	case MST_STRING:
		put_len(h, v->u.str.len);
		hash_stream_put(h, v->u.str.s, v->u.str.len);
		break;
	case MST_LIST:
		put_len(h, v->u.list.n);
		for (size_t i = 0; i < v->u.list.n; i++)
			hash_value(h, v->u.list.items[i]);
		break;
	case MST_MAP:
		put_len(h, v->u.map.n);
		for (size_t i = 0; i < v->u.map.n; i++) {
			const struct mst_entry *e = &v->u.map.ents[i];
			put_len(h, e->klen);
			hash_stream_put(h, e->key, e->klen);
			hash_value(h, e->val);
		}
		break;
	}
}

uint64_t mst_value_hash(const struct mst_value *v)
{
	struct hash_stream h;
	hash_stream_init(&h);
	hash_value(&h, v);
	return hash_stream_end(&h);
}
