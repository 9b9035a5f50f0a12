/*
 * mustache_partials.c - a registry of named templates, for {{>name}} and
 * {{<name}}.
 *
 * Each is compiled once and kept until the registry is freed. The list is
 * scanned: names are few, and each entry keeps its name's hash, so a scan
 * compares few of them. A loader, when set, is asked once for a name not
 * registered, and its answer, even "no such partial", is kept.
 */
#include "mustache.h"
#include "mustache_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct partial {
	char *name;
	size_t len;
	uint32_t hash;
	struct mst_template *t; /* NULL: the loader has no such partial */
};

struct mst_partials {
	struct partial *v;
	size_t n, cap;
	int (*load)(void *user, const char *name, struct buf *src,
		    struct buf *err);
	void *user;
};

struct mst_partials *mst_partials_new(void)
{
	return xcalloc(1, sizeof(struct mst_partials));
}

void mst_partials_free(struct mst_partials *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].name);
		mst_template_free(p->v[i].t);
	}
	free(p->v);
	free(p);
}

static struct partial *partials_find(struct mst_partials *p, const char *name,
				     size_t len, uint32_t hash)
{
	for (size_t i = 0; i < p->n; i++) {
		struct partial *e = &p->v[i];
		if (e->hash == hash && e->len == len &&
		    bytes_eq(e->name, name, len))
			return e;
	}
	return NULL;
}

/* Register @t under a name of @len bytes; takes @name (malloc'd). */
static void partials_put(struct mst_partials *p, char *name, size_t len,
			 struct mst_template *t)
{
	uint32_t hash = mst_hash(name, len);
	struct partial *e = partials_find(p, name, len, hash);
	if (e) {
		free(name);
		mst_template_free(e->t);
		e->t = t;
		return;
	}
	p->v = array_grow(p->v, &p->cap, p->n, sizeof(*p->v));
	e = &p->v[p->n++];
	e->name = name;
	e->len = len;
	e->hash = hash;
	e->t = t;
}

void mst_partials_add_take(struct mst_partials *p, const char *name,
			   struct mst_template *t)
{
	partials_put(p, xstrdup(name), strlen(name), t);
}

int mst_partials_add(struct mst_partials *p, const char *name, const char *src,
		     size_t len, struct buf *err)
{
	struct mst_template *t = mst_template_compile(name, src, len, err);
	if (!t)
		return -1;
	mst_partials_add_take(p, name, t);
	return 0;
}

void mst_partials_set_loader(struct mst_partials *p,
			     int (*load)(void *user, const char *name,
					 struct buf *src, struct buf *err),
			     void *user)
{
	p->load = load;
	p->user = user;
}

/* Find a partial, asking the loader once for unknown names. */
int mst_partials_get(struct mst_partials *p, const char *name, size_t len,
		     uint32_t hash, struct buf *err,
		     const struct mst_template **out)
{
	struct partial *e = partials_find(p, name, len, hash);
	if (e || !p->load) {
		*out = e ? e->t : NULL;
		return 0;
	}
	char *cname = xstrndup(name, len);
	struct buf src = BUF_INIT;
	struct mst_template *t = NULL;
	int rc = p->load(p->user, cname, &src, err);
	if (rc > 0) {
		t = mst_template_compile(cname, buf_cstr(&src), src.len, err);
		if (!t)
			rc = -1;
	}
	buf_free(&src);
	if (rc < 0) {
		free(cname);
		return -1;
	}
	partials_put(p, cname, len, t);
	*out = t;
	return 0;
}
