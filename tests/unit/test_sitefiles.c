/*
 * test_sitefiles.c - a built folder indexed: paths that can and cannot
 * name a file, content types, folder index aliases, hidden names,
 * compressed copies beside files, ETags, and links never followed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sitefiles.h"

#include "fixture.h"

static const char *clean(const char *raw)
{
	static struct buf b;
	if (!raw) {
		buf_free(&b);
		return NULL;
	}
	return sitefiles_path_clean(raw, &b) ? NULL : buf_cstr(&b);
}

static void paths_are_decoded_and_escapes_refused(void **state)
{
	(void)state;
	assert_string_equal(clean("/"), "/");
	assert_string_equal(clean("/c/coursera/"), "/c/coursera/");
	assert_string_equal(clean("/c/caf%C3%A9"), "/c/caf\xc3\xa9");
	assert_string_equal(clean("/a%20b.txt"), "/a b.txt");
	assert_string_equal(clean("/a..b/c.d"), "/a..b/c.d");
	static const char *const refused[] = {
		"",
		"c/coursera/",
		"/../etc/passwd",
		"/c/../../etc/passwd",
		"/%2e%2e/etc/passwd",
		"/%2E%2e/etc/passwd",
		"/.%2e/etc/passwd",
		"/c/%2e/",
		"/./c/",
		"/c/..",
		"//etc/passwd",
		"/c//coursera/",
		"/c%2fcoursera/",
		"/c%2Fcoursera/",
		"/..%5c..%5cetc/passwd",
		"/c\\..\\etc",
		"/a%00b",
		"/a%0ab",
		"/a%",
		"/a%4",
		"/a%zz",
		"/a\x01",
	};
	for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++)
		if (clean(refused[i]))
			fail_msg("accepted '%s'", refused[i]);
	char long_path[SITEFILES_PATH_MAX + 10];
	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[0] = '/';
	long_path[sizeof(long_path) - 1] = '\0';
	assert_null(clean(long_path));
	clean(NULL);
}

static void content_types_by_extension(void **state)
{
	(void)state;
	bool text;
	assert_string_equal(sitefiles_content_type("index.html", &text),
			    "text/html; charset=utf-8");
	assert_true(text);
	assert_string_equal(sitefiles_content_type("a/style.css", NULL),
			    "text/css; charset=utf-8");
	assert_string_equal(sitefiles_content_type("x.JSON", NULL),
			    "application/json; charset=utf-8");
	assert_string_equal(sitefiles_content_type("feed.atom", NULL),
			    "application/atom+xml; charset=utf-8");
	assert_string_equal(sitefiles_content_type("companies.csv", NULL),
			    "text/csv; charset=utf-8; header=present");
	assert_string_equal(sitefiles_content_type("cite.bib", NULL),
			    "application/x-bibtex; charset=utf-8");
	assert_string_equal(
		sitefiles_content_type("cite.ris", NULL),
		"application/x-research-info-systems; charset=utf-8");
	assert_string_equal(sitefiles_content_type("b.svg", NULL),
			    "image/svg+xml; charset=utf-8");
	assert_string_equal(sitefiles_content_type("p.png", &text),
			    "image/png");
	assert_false(text);
	assert_string_equal(sitefiles_content_type("dir.v2/README", NULL),
			    "application/octet-stream");
}

/* Set @rel under @dir to modification time @sec. */
static void set_mtime(const char *dir, const char *rel, time_t sec)
{
	char path[600];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	struct timespec ts[2] = { { sec, 0 }, { sec, 0 } };
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

/* The bytes of @fd (closed), NUL-terminated. */
static char *slurp(int fd)
{
	assert_true(fd >= 0);
	static char data[16384];
	ssize_t n = read(fd, data, sizeof(data) - 1);
	assert_true(n >= 0);
	data[n] = '\0';
	close(fd);
	return data;
}

/* @make refuses a folder that does not exist in @dir, saying why. */
static void refuses_missing_folder(const char *dir,
				   int (*make)(const char *,
					       struct sitefiles **,
					       struct buf *))
{
	char missing[600];
	snprintf(missing, sizeof(missing), "%s/none", dir);
	struct sitefiles *t = (struct sitefiles *)1;
	struct buf err = BUF_INIT;
	assert_int_equal(make(missing, &t, &err), -1);
	assert_null(t);
	assert_true(err.len > 0);
	buf_free(&err);
}

static void index_a_folder(void **state)
{
	(void)state;
	char *dir = fixture_dir_new("sitefiles");
	struct buf page = BUF_INIT;
	for (int i = 0; i < 200; i++)
		buf_printf(&page, "<p>Row %d of a page that compresses.</p>\n",
			   i);
	fixture_write_file(dir, "index.html", page.data, page.len);
	fixture_write_file(dir, "c/coursera/index.html", page.data, page.len);
	fixture_write_file(dir, "tiny.txt", "hi", 2);
	fixture_write_file(dir, ".cancelatlas-manifest", "secret", 6);
	fixture_write_file(dir, ".hidden/x.txt", "secret", 6);
	fixture_write_file(dir, "a.css", "body{}", 6);
	fixture_write_file(dir, "a.css.gz", "GZ", 2);
	fixture_write_file(dir, "b.js", "let b", 5);
	fixture_write_file(dir, "b.js.br", "BR", 2);
	fixture_write_file(dir, "lone.gz", "L", 1);
	set_mtime(dir, "a.css", 1000);
	set_mtime(dir, "a.css.gz", 1000);
	set_mtime(dir, "b.js", 2000);
	set_mtime(dir, "b.js.br", 1000); /* stale: older than b.js */
	char link[600];
	snprintf(link, sizeof(link), "%s/passwd", dir);
	assert_int_equal(symlink("/etc/passwd", link), 0);
	snprintf(link, sizeof(link), "%s/up", dir);
	assert_int_equal(symlink("..", link), 0);

	struct sitefiles *t;
	struct buf err = BUF_INIT;
	assert_int_equal(sitefiles_load(dir, &t, &err), 0);
	/* index, coursera, tiny, a.css, b.js, lone.gz */
	assert_int_equal(sitefiles_count(t), 6);
	assert_int_equal(sitefiles_bytes(t), 2 * page.len + 2 + 6 + 5 + 1);
	assert_true(sitefiles_memory(t) > 0);
	assert_null(sitefiles_find(t, "/passwd", 7));
	assert_null(sitefiles_find(t, "/up/", 4));
	assert_null(sitefiles_find(t, "/.cancelatlas-manifest", 22));
	assert_null(sitefiles_find(t, "/.hidden/x.txt", 14));
	assert_null(sitefiles_find(t, "/a.css.gz", 9));
	assert_null(sitefiles_find(t, "/b.js.br", 8));
	assert_non_null(sitefiles_find(t, "/lone.gz", 8));

	const struct sitefile *f = sitefiles_find(t, "/", 1);
	assert_non_null(f);
	assert_string_equal(f->path, "/index.html");
	assert_int_equal(f->size, page.len);
	assert_true(f->compressible);
	assert_ptr_equal(sitefiles_find(t, "/index.html", 11), f);
	const struct sitefile *c = sitefiles_find(t, "/c/coursera/", 12);
	assert_non_null(c);
	assert_ptr_equal(sitefiles_find(t, "/c/coursera/index.html", 22), c);
	assert_null(sitefiles_find(t, "/c/coursera", 11));
	assert_ptr_equal(sitefiles_at(t, c->index), c);

	/* Copies beside a file, when not older than it. */
	const struct sitefile *a = sitefiles_find(t, "/a.css", 6);
	const struct sitefile *b = sitefiles_find(t, "/b.js", 5);
	assert_int_equal(a->siblings, SITEFILE_HAS_GZ);
	assert_int_equal(b->siblings, 0);
	assert_int_equal(a->mtime_ns, 1000000000000LL);

	/* Opening reads the file, or its copy, with its fstat(). */
	struct stat st;
	assert_string_equal(slurp(sitefiles_open(t, a, SITEFILE_GZIP, &st)),
			    "GZ");
	assert_int_equal(st.st_size, 2);
	assert_string_equal(slurp(sitefiles_open(t, a, SITEFILE_IDENTITY, &st)),
			    "body{}");
	assert_int_equal(sitefiles_open(t, b, SITEFILE_GZIP, &st), -1);
	/* A file replaced since: the new bytes, with their own time. */
	fixture_write_file(dir, "tiny.txt", "new!", 4);
	const struct sitefile *tiny = sitefiles_find(t, "/tiny.txt", 9);
	assert_string_equal(
		slurp(sitefiles_open(t, tiny, SITEFILE_IDENTITY, &st)), "new!");
	assert_int_equal(st.st_size, 4);
	/* A link put in a file's place is not followed. */
	char path[600];
	snprintf(path, sizeof(path), "%s/tiny.txt", dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	assert_int_equal(sitefiles_open(t, tiny, SITEFILE_IDENTITY, &st), -1);

	/* Tags: size and time, a suffix per variant. */
	char e1[SITEFILE_ETAG_SIZE], e2[SITEFILE_ETAG_SIZE];
	sitefile_etag(a->size, a->mtime_ns, SITEFILE_IDENTITY, e1);
	assert_string_equal(e1, "\"6-e8d4a51000\"");
	sitefile_etag(a->size, a->mtime_ns, SITEFILE_BROTLI, e2);
	assert_string_equal(e2, "\"6-e8d4a51000-br\"");

	sitefiles_free(t);
	sitefiles_free(NULL);

	refuses_missing_folder(dir, sitefiles_load);
	buf_free(&err);
	buf_free(&page);
	fixture_dir_remove(dir);
}

/* Whether @f and @g are the same file as indexed, or both none. */
static bool same_file(const struct sitefile *f, const struct sitefile *g)
{
	if (!f || !g)
		return f == g;
	return !strcmp(f->path, g->path) && f->size == g->size &&
	       f->mtime_ns == g->mtime_ns && f->ino == g->ino &&
	       f->siblings == g->siblings && !strcmp(f->type, g->type) &&
	       f->compressible == g->compressible;
}

/* Whether @u indexes what @t does: the same files with the same sizes,
 * times, inodes, types and copies; the first difference is printed. */
static bool same_index(const struct sitefiles *t, const struct sitefiles *u)
{
	if (sitefiles_count(t) != sitefiles_count(u) ||
	    sitefiles_bytes(t) != sitefiles_bytes(u)) {
		print_error("%zu files of %zu bytes against %zu of %zu\n",
			    sitefiles_count(t), sitefiles_bytes(t),
			    sitefiles_count(u), sitefiles_bytes(u));
		return false;
	}
	for (size_t i = 0; i < sitefiles_count(t); i++) {
		const struct sitefile *f = sitefiles_at(t, i);
		const struct sitefile *g =
			sitefiles_find(u, f->path, f->path_len);
		if (!g || !same_file(f, g) || sitefiles_at(u, g->index) != g) {
			print_error("%s differs\n", f->path);
			return false;
		}
	}
	return true;
}

/* A few files written and removed: the updated index is what a new walk
 * finds, and the old one still serves. */
static void update_in_place(void **state)
{
	(void)state;
	char *dir = fixture_dir_new("sitefiles-update");
	fixture_write_file(dir, "index.html", "<p>home", 7);
	fixture_write_file(dir, "c/a/index.html", "<p>a", 4);
	fixture_write_file(dir, "c/b/index.html", "<p>b", 4);
	fixture_write_file(dir, "c/b/card.png", "PNG", 3);
	fixture_write_file(dir, "data.json", "{}", 2);
	fixture_write_file(dir, "old.csv", "x", 1);
	fixture_write_file(dir, "old.csv.gz", "z", 1);
	set_mtime(dir, "old.csv", 1000);
	set_mtime(dir, "old.csv.gz", 1000);
	struct sitefiles *t, *u, *w;
	struct buf err = BUF_INIT;
	assert_int_equal(sitefiles_load(dir, &t, &err), 0);
	assert_int_equal(sitefiles_count(t), 6);

	/* Rewritten, new (in a new folder), removed, a copy made beside a
	 * file, its file removed under a copy, and names never served. */
	fixture_write_file(dir, "c/a/index.html", "<p>a, longer", 12);
	fixture_write_file(dir, "c/new/index.html", "<p>new", 6);
	char path[600];
	snprintf(path, sizeof(path), "%s/c/b/index.html", dir);
	assert_int_equal(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/c/b/card.png", dir);
	assert_int_equal(unlink(path), 0);
	fixture_write_file(dir, "data.json.gz", "GZ", 2);
	snprintf(path, sizeof(path), "%s/old.csv", dir);
	assert_int_equal(unlink(path), 0);
	fixture_write_file(dir, ".cancelatlas-manifest", "m", 1);
	fixture_write_file(dir, "c/.tmp-1", "t", 1);
	const char *const changed[] = {
		"c/a/index.html",
		"c/new/index.html",
		"c/b/index.html",
		"c/b/card.png",
		"data.json.gz",
		"old.csv",
		"c/a/index.html",
		".cancelatlas-manifest",
		"c/.tmp-1",
		"../etc/passwd",
		"",
	};
	assert_int_equal(
		sitefiles_update(t, changed, ATLAS_COUNT(changed), &u, &err),
		0);
	assert_int_equal(sitefiles_load(dir, &w, &err), 0);
	assert_true(same_index(w, u));
	assert_true(same_index(u, w));
	assert_non_null(sitefiles_find(u, "/c/new/", 7));
	assert_null(sitefiles_find(u, "/c/b/", 5));
	assert_non_null(sitefiles_find(u, "/old.csv.gz", 11));
	assert_int_equal(sitefiles_find(u, "/data.json", 10)->siblings,
			 SITEFILE_HAS_GZ);
	/* The old index is untouched. */
	assert_int_equal(sitefiles_count(t), 6);
	assert_non_null(sitefiles_find(t, "/c/b/", 5));
	sitefiles_free(t);
	/* The new one opens files by itself. */
	struct stat st;
	const struct sitefile *a = sitefiles_find(u, "/c/a/", 5);
	assert_string_equal(slurp(sitefiles_open(u, a, SITEFILE_IDENTITY, &st)),
			    "<p>a, longer");

	/* Nothing changed: the same index. */
	struct sitefiles *v;
	assert_int_equal(sitefiles_update(u, NULL, 0, &v, &err), 0);
	assert_true(same_index(w, v));
	sitefiles_free(u);
	sitefiles_free(v);
	sitefiles_free(w);
	buf_free(&err);
	fixture_dir_remove(dir);
}

/* Threads asking one lazy index for every file of a walked one at once. */
struct asker {
	const struct sitefiles *walked, *lazy;
	const struct sitefile **got; /* per file of @walked */
	size_t wrong;
};

static void *ask_all(void *arg)
{
	struct asker *a = arg;
	for (size_t i = 0; i < sitefiles_count(a->walked); i++) {
		const struct sitefile *f = sitefiles_at(a->walked, i);
		a->got[i] = sitefiles_find(a->lazy, f->path, f->path_len);
		a->wrong += !same_file(f, a->got[i]);
	}
	return NULL;
}

/* Four threads ask a new lazy index for the same 300 files at once: each
 * gets each file right, and all get the one entry kept for it. */
static void lazy_index_shared_by_threads(void **state)
{
	(void)state;
	char *dir = fixture_dir_new("sitefiles-threads");
	for (int i = 0; i < 300; i++) {
		char rel[64];
		snprintf(rel, sizeof(rel), "c/r%d/index.html", i);
		fixture_write_file(dir, rel, rel, strlen(rel));
	}
	struct sitefiles *walked, *lazy;
	struct buf err = BUF_INIT;
	assert_int_equal(sitefiles_load(dir, &walked, &err), 0);
	assert_int_equal(sitefiles_lazy(dir, &lazy, &err), 0);
	enum { THREADS = 4 };
	struct asker a[THREADS];
	pthread_t tid[THREADS];
	for (int k = 0; k < THREADS; k++) {
		a[k] = (struct asker){ walked, lazy,
				       calloc(300, sizeof(*a[k].got)), 0 };
		assert_int_equal(pthread_create(&tid[k], NULL, ask_all, &a[k]),
				 0);
	}
	for (int k = 0; k < THREADS; k++)
		pthread_join(tid[k], NULL);
	for (int k = 0; k < THREADS; k++) {
		assert_int_equal(a[k].wrong, 0);
		for (size_t i = 0; i < 300; i++)
			assert_ptr_equal(a[k].got[i], a[0].got[i]);
	}
	for (int k = 0; k < THREADS; k++)
		free(a[k].got);
	sitefiles_free(lazy);
	sitefiles_free(walked);
	buf_free(&err);
	fixture_dir_remove(dir);
}

/* A lazy index finds, path by path, what a walk of the folder finds:
 * the same files and the same refusals. */
static void lazy_finds_what_the_walk_finds(void **state)
{
	(void)state;
	char *dir = fixture_dir_new("sitefiles-lazy");
	fixture_write_file(dir, "index.html", "<p>home", 7);
	fixture_write_file(dir, "c/a/index.html", "<p>a", 4);
	fixture_write_file(dir, "c/a/card.png", "PNG", 3);
	fixture_write_file(dir, "c/a/index.html.br", "BR", 2);
	fixture_write_file(dir, "a.css", "body{}", 6);
	fixture_write_file(dir, "a.css.gz", "GZ", 2);
	fixture_write_file(dir, "b.js", "let b", 5);
	fixture_write_file(dir, "b.js.br", "BR", 2);
	fixture_write_file(dir, "lone.gz", "L", 1);
	fixture_write_file(dir, "dir.html/index.html", "d", 1);
	fixture_write_file(dir, ".cancelatlas-manifest", "secret", 6);
	fixture_write_file(dir, ".hidden/x.txt", "secret", 6);
	fixture_write_file(dir, "c/.tmp-1", "t", 1);
	set_mtime(dir, "b.js", 2000);
	set_mtime(dir, "b.js.br", 1000); /* stale: older than b.js */
	/* Past the walk's depth of 32 folders, and just within it. */
	char deep[600] = "", ok[600];
	for (int i = 0; i < 33; i++)
		strcat(deep, "d/");
	snprintf(ok, sizeof(ok), "%.*sx.txt", 32 * 2, deep);
	fixture_write_file(dir, ok, "ok", 2);
	strcat(deep, "x.txt");
	fixture_write_file(dir, deep, "deep", 4);
	char link[600];
	const char *const links[][2] = {
		{ "/etc/passwd", "passwd" },
		{ "..", "up" },
		{ "c/a", "alias" },
		{ "a.css", "c/a/style.css" },
	};
	for (size_t i = 0; i < ATLAS_COUNT(links); i++) {
		snprintf(link, sizeof(link), "%s/%s", dir, links[i][1]);
		assert_int_equal(symlink(links[i][0], link), 0);
	}

	struct sitefiles *walked, *lazy;
	struct buf err = BUF_INIT;
	assert_int_equal(sitefiles_load(dir, &walked, &err), 0);
	assert_int_equal(sitefiles_lazy(dir, &lazy, &err), 0);
	assert_true(sitefiles_walked(walked));
	assert_false(sitefiles_walked(lazy));
	assert_int_equal(sitefiles_count(lazy), 0);

	/* Every file the walk found, by its path and by its folder's. */
	struct buf probe = BUF_INIT;
	size_t found = 0;
	for (size_t i = 0; i < sitefiles_count(walked); i++) {
		const struct sitefile *f = sitefiles_at(walked, i);
		for (int alias = 0; alias < 2; alias++) {
			size_t len = f->path_len;
			if (alias) {
				if (len < 11 ||
				    strcmp(f->path + len - 11, "/index.html"))
					continue;
				len -= 10;
			}
			const struct sitefile *g =
				sitefiles_find(lazy, f->path, len);
			if (!same_file(f, g))
				fail_msg("%.*s: the lazy index finds %s",
					 (int)len, f->path,
					 g ? g->path : "nothing");
			/* Kept: the same entry the next time. */
			assert_ptr_equal(sitefiles_find(lazy, f->path, len), g);
			found++;
		}
	}
	assert_int_equal(found, sitefiles_count(walked) +
					3); /* "/", "/c/a/", "/dir.html/" */
	/* And what it refused. */
	const char *const refused[] = {
		"/passwd",
		"/up/",
		"/up/index.html",
		"/alias/",
		"/alias/card.png",
		"/c/a/style.css",
		"/a.css.gz",
		"/b.js.br",
		"/c/a/index.html.br",
		"/.cancelatlas-manifest",
		"/.hidden/x.txt",
		"/c/.tmp-1",
		"/c/a",
		"/c/",
		"/c",
		"/nothing",
		"/b.js/",
		"/dir.html",
		"",
		"x",
	};
	for (size_t i = 0; i < ATLAS_COUNT(refused); i++) {
		size_t len = strlen(refused[i]);
		assert_null(sitefiles_find(walked, refused[i], len));
		if (sitefiles_find(lazy, refused[i], len))
			fail_msg("the lazy index finds %s", refused[i]);
	}
	buf_reset(&probe);
	buf_printf(&probe, "/%s", deep);
	assert_null(sitefiles_find(walked, probe.data, probe.len));
	assert_null(sitefiles_find(lazy, probe.data, probe.len));
	buf_reset(&probe);
	buf_printf(&probe, "/%s", ok);
	assert_non_null(sitefiles_find(lazy, probe.data, probe.len));
	assert_true(same_file(sitefiles_find(walked, probe.data, probe.len),
			      sitefiles_find(lazy, probe.data, probe.len)));

	/* A file it found opens as a walked one does. */
	struct stat st;
	const struct sitefile *a = sitefiles_find(lazy, "/a.css", 6);
	assert_int_equal(a->siblings, SITEFILE_HAS_GZ);
	assert_string_equal(slurp(sitefiles_open(lazy, a, SITEFILE_GZIP, &st)),
			    "GZ");
	/* Updated, it starts again: nothing it kept is trusted. */
	struct sitefiles *again;
	const char *const changed[] = { "a.css" };
	assert_int_equal(sitefiles_update(lazy, changed, 1, &again, &err), 0);
	assert_false(sitefiles_walked(again));
	assert_true(same_file(sitefiles_find(again, "/a.css", 6),
			      sitefiles_find(walked, "/a.css", 6)));
	sitefiles_free(again);
	sitefiles_free(lazy);
	sitefiles_free(walked);

	refuses_missing_folder(dir, sitefiles_lazy);
	buf_free(&probe);
	buf_free(&err);
	fixture_dir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(paths_are_decoded_and_escapes_refused),
		cmocka_unit_test(content_types_by_extension),
		cmocka_unit_test(index_a_folder),
		cmocka_unit_test(update_in_place),
		cmocka_unit_test(lazy_finds_what_the_walk_finds),
		cmocka_unit_test(lazy_index_shared_by_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
