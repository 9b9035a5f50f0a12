/*
 * test_sitefiles.c - a built folder in memory: paths that can and cannot
 * name a file, content types, folder index aliases, ETags, compressed
 * variants kept only when smaller, and links never followed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

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

static void load_a_folder(void **state)
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
	/* Random bytes do not compress: no variant is kept. */
	char noise[4096];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof(noise); i++) {
		x = x * 1103515245u + 12345u;
		noise[i] = (char)(x >> 24);
	}
	fixture_write_file(dir, "noise.txt", noise, sizeof(noise));
	char link[600];
	snprintf(link, sizeof(link), "%s/passwd", dir);
	assert_int_equal(symlink("/etc/passwd", link), 0);
	snprintf(link, sizeof(link), "%s/up", dir);
	assert_int_equal(symlink("..", link), 0);

	struct sitefiles *t;
	struct buf err = BUF_INIT;
	struct sitefiles_opts o = { .threads = 2 };
	assert_int_equal(sitefiles_load(dir, &o, &t, &err), 0);
	assert_int_equal(sitefiles_count(t), 4);
	assert_int_equal(sitefiles_bytes(t), 2 * page.len + 2 + sizeof(noise));
	assert_null(sitefiles_find(t, "/passwd", 7));
	assert_null(sitefiles_find(t, "/up/", 4));

	const struct sitefile *f = sitefiles_find(t, "/", 1);
	assert_non_null(f);
	assert_string_equal(f->path, "/index.html");
	assert_ptr_equal(sitefiles_find(t, "/index.html", 11), f);
	const struct sitefile *c = sitefiles_find(t, "/c/coursera/", 12);
	assert_non_null(c);
	assert_ptr_equal(sitefiles_find(t, "/c/coursera/index.html", 22), c);
	assert_null(sitefiles_find(t, "/c/coursera", 11));
	assert_ptr_equal(sitefiles_at(t, c->index), c);

	/* Same content, same tag; each variant its own tag. */
	assert_string_equal(f->v[SITEFILE_IDENTITY].etag,
			    c->v[SITEFILE_IDENTITY].etag);
	assert_int_equal(f->v[SITEFILE_IDENTITY].etag[0], '"');
	assert_non_null(f->v[SITEFILE_GZIP].data);
	assert_non_null(f->v[SITEFILE_BROTLI].data);
	assert_true(f->v[SITEFILE_GZIP].len < page.len);
	assert_true(f->v[SITEFILE_BROTLI].len < page.len);
	assert_string_not_equal(f->v[SITEFILE_GZIP].etag,
				f->v[SITEFILE_IDENTITY].etag);
	assert_string_not_equal(f->v[SITEFILE_GZIP].etag,
				f->v[SITEFILE_BROTLI].etag);
	/* The gzip variant is the page. */
	unsigned char out[16384];
	z_stream z;
	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (unsigned char *)f->v[SITEFILE_GZIP].data;
	z.avail_in = (uInt)f->v[SITEFILE_GZIP].len;
	z.next_out = out;
	z.avail_out = sizeof(out);
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	assert_int_equal(z.total_out, page.len);
	assert_memory_equal(out, page.data, page.len);
	inflateEnd(&z);

	const struct sitefile *tiny = sitefiles_find(t, "/tiny.txt", 9);
	assert_null(tiny->v[SITEFILE_GZIP].data);
	const struct sitefile *n = sitefiles_find(t, "/noise.txt", 10);
	assert_null(n->v[SITEFILE_GZIP].data);
	assert_null(n->v[SITEFILE_BROTLI].data);
	sitefiles_free(t);
	sitefiles_free(NULL);

	char missing[600];
	snprintf(missing, sizeof(missing), "%s/none", dir);
	assert_int_equal(sitefiles_load(missing, NULL, &t, &err), -1);
	assert_null(t);
	assert_true(err.len > 0);
	buf_free(&err);
	buf_free(&page);
	fixture_dir_remove(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(paths_are_decoded_and_escapes_refused),
		cmocka_unit_test(content_types_by_extension),
		cmocka_unit_test(load_a_folder),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
