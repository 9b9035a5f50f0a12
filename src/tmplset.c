/*
 * tmplset.c - a templates folder compiled once.
 *
 * Every template file becomes a partial up front, so rendering never
 * loads anything and threads can share the registry; the page templates
 * are compiled once more as entry points. The build and the server load
 * the same folder through this one function, so a page the server makes
 * per request looks exactly like the pages the build wrote.
 */
#include "tmplset.h"
#include "internal.h"
#include "safefile.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct tmplset {
	struct mst_partials *partials;
	struct mst_template **pages;
	size_t n;
};

/* Read DIR/NAME.mustache into @src. */
static int read_template(const char *dir, const char *name, struct buf *src,
			 struct buf *err)
{
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s.mustache", dir, name);
	size_t len;
	char *text = safefile_read_all(path.data, &len);
	if (!text) {
		buf_printf(err, "cannot read template %s: %s", path.data,
			   strerror(errno));
		buf_free(&path);
		return -1;
	}
	buf_put(src, text, len);
	free(text);
	buf_free(&path);
	return 0;
}

static int load_partials(struct tmplset *t, const char *dir, struct buf *err)
{
	DIR *dp = opendir(dir);
	if (!dp) {
		buf_printf(err, "cannot open templates folder %s: %s", dir,
			   strerror(errno));
		return -1;
	}
	int rc = 0;
	struct dirent *de;
	while (rc == 0 && (de = readdir(dp)) != NULL) {
		size_t n = strlen(de->d_name);
		if (de->d_name[0] == '.' || n <= 9 ||
		    strcmp(de->d_name + n - 9, ".mustache"))
			continue;
		char *name = xstrndup(de->d_name, n - 9);
		struct buf src = BUF_INIT;
		rc = read_template(dir, name, &src, err);
		if (rc == 0)
			rc = mst_partials_add(t->partials, name, buf_cstr(&src),
					      src.len, err);
		buf_free(&src);
		free(name);
	}
	closedir(dp);
	return rc;
}

struct tmplset *tmplset_load(const char *dir, const char *const *names,
			     size_t n, struct buf *err)
{
	struct tmplset *t = xcalloc(1, sizeof(*t));
	t->partials = mst_partials_new();
	t->pages = xcalloc(n ? n : 1, sizeof(*t->pages));
	t->n = n;
	int rc = load_partials(t, dir, err);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct buf src = BUF_INIT;
		rc = read_template(dir, names[i], &src, err);
		if (rc == 0) {
			t->pages[i] = mst_template_compile(
				names[i], buf_cstr(&src), src.len, err);
			rc = t->pages[i] ? 0 : -1;
		}
		buf_free(&src);
	}
	if (rc != 0) {
		tmplset_free(t);
		return NULL;
	}
	return t;
}

int tmplset_render(const struct tmplset *t, size_t i,
		   const struct mst_value *root, struct buf *out,
		   struct buf *err)
{
	return mst_template_render(t->pages[i], root, t->partials, out, err);
}

void tmplset_free(struct tmplset *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		mst_template_free(t->pages[i]);
	free(t->pages);
	mst_partials_free(t->partials);
	free(t);
}
