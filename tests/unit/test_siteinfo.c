/*
 * test_siteinfo.c - the site's identity: which base URLs a site can have,
 * how a trailing slash is dropped, what --base-url replaces, what a
 * missing site.yaml is to each kind of command, and the URLs made from
 * the settings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "siteinfo.h"
#include "siteurl.h"

#include "fixture.h"

static void base_urls(void **state)
{
	(void)state;
	static const char *const good[] = {
		"https://www.cancelatlas.com",
		"https://www.cancelatlas.com/",
		"http://127.0.0.1:8080",
		"http://127.0.0.1:8080//",
		"HTTP://LOCALHOST",
		"https://[::1]:8443/",
		"https://atlas.example.org:65535",
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!siteinfo_base_url_check(good[i], NULL))
			fail_msg("`%s` is refused", good[i]);
	static const struct {
		const char *url, *why;
	} bad[] = {
		{ "", "must start with https:// or http://" },
		{ "www.example.org", "must start with https:// or http://" },
		{ "ftp://example.org", "must start with https:// or http://" },
		{ "https://", "must name a host" },
		{ "https://ex ample.org", "must name a host" },
		{ "https://-x.example.org", "must name a host" },
		{ "https://x..example.org", "must name a host" },
		{ "https://user:pw@example.org", "user name or password" },
		{ "https://example.org:0", "port must be a number" },
		{ "https://example.org:99999", "port must be a number" },
		{ "https://example.org:", "port must be a number" },
		{ "https://example.org/atlas", "no path, query or fragment" },
		{ "https://example.org/?q=1", "no path, query or fragment" },
		{ "https://example.org#top", "no path, query or fragment" },
		{ "https://example.org/<script>",
		  "no path, query or fragment" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct buf why = BUF_INIT;
		if (siteinfo_base_url_check(bad[i].url, &why))
			fail_msg("`%s` is accepted", bad[i].url);
		if (!strstr(buf_cstr(&why), bad[i].why))
			fail_msg("`%s`: %s", bad[i].url, buf_cstr(&why));
		buf_free(&why);
	}
	assert_int_equal(siteinfo_base_url_len("http://127.0.0.1:8080//"), 21);
	assert_int_equal(siteinfo_base_url_len("https://x.org"), 13);
}

struct dir {
	char *path; /* a scratch folder */
};

static void write_settings(struct dir *d, const char *text)
{
	fixture_write_file(d->path, "site.yaml", text, strlen(text));
}

static void load(struct dir *d, const char *base, enum siteinfo_need need,
		 struct arena *a, struct diag *dg, struct site_info *out)
{
	siteinfo_load(d->path, base, need, a, dg, out);
}

static void settings_and_the_option(void **state)
{
	(void)state;
	struct dir d;
	d.path = fixture_dir_new("site");
	struct arena *a = arena_new();
	struct diag *dg = diag_new();
	struct site_info s;

	/* No file: nothing, a warning, or an error, as the command needs. */
	load(&d, NULL, SITEINFO_OPTIONAL, a, dg, &s);
	assert_false(s.loaded);
	assert_int_equal(diag_count(dg, DIAG_WARNING), 0);
	load(&d, NULL, SITEINFO_EXPECTED, a, dg, &s);
	assert_int_equal(diag_count(dg, DIAG_WARNING), 1);
	assert_int_equal(diag_count(dg, DIAG_ERROR), 0);
	load(&d, "http://127.0.0.1:8080", SITEINFO_REQUIRED, a, dg, &s);
	assert_int_equal(diag_count(dg, DIAG_ERROR), 1);
	assert_false(s.loaded);

	/* The url loses its trailing slash; URLs are made on it. */
	write_settings(&d, "name: Atlas & Co\n"
			   "url: https://atlas.example.org/\n"
			   "contact: team@atlas.example.org\n"
			   "license:\n"
			   "  name: CC0 1.0\n"
			   "  url: https://creativecommons.org/publicdomain/"
			   "zero/1.0/\n");
	struct diag *clean = diag_new();
	load(&d, NULL, SITEINFO_REQUIRED, a, clean, &s);
	assert_true(s.loaded);
	assert_int_equal(diag_count(clean, DIAG_ERROR), 0);
	assert_string_equal(s.url.s, "https://atlas.example.org");
	assert_string_equal(s.name.s, "Atlas & Co");
	assert_string_equal(s.license_name.s, "CC0 1.0");
	struct buf b = BUF_INIT;
	assert_true(siteurl_put_record(&b, &s, "coursera"));
	assert_string_equal(b.data, "https://atlas.example.org/c/coursera");
	buf_reset(&b);
	assert_true(siteurl_put(&b, &s, "/feed.atom"));
	assert_string_equal(b.data, "https://atlas.example.org/feed.atom");
	buf_reset(&b);
	assert_true(siteurl_put_contact(&b, &s));
	assert_string_equal(b.data, "mailto:team@atlas.example.org");

	/* --base-url wins, slash and all normalised. */
	load(&d, "http://127.0.0.1:8080/", SITEINFO_REQUIRED, a, clean, &s);
	assert_true(s.loaded);
	assert_string_equal(s.url.s, "http://127.0.0.1:8080");
	buf_reset(&b);
	siteurl_put_record(&b, &s, "x");
	assert_string_equal(b.data, "http://127.0.0.1:8080/c/x");

	/* Without a url, only the option will do. */
	write_settings(&d,
		       "name: Atlas\n"
		       "contact: https://atlas.example.org/contact\n"
		       "license: {name: CC0 1.0, url: https://x.example/}\n");
	load(&d, "http://localhost:8080", SITEINFO_REQUIRED, a, clean, &s);
	assert_true(s.loaded);
	assert_int_equal(diag_count(clean, DIAG_ERROR), 0);
	buf_reset(&b);
	siteurl_put_contact(&b, &s);
	assert_string_equal(b.data, "https://atlas.example.org/contact");
	load(&d, NULL, SITEINFO_REQUIRED, a, clean, &s);
	assert_false(s.loaded);
	assert_int_equal(diag_count(clean, DIAG_ERROR), 1);

	buf_free(&b);
	diag_free(clean);
	diag_free(dg);
	arena_free(a);
	fixture_dir_remove(d.path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(base_urls),
		cmocka_unit_test(settings_and_the_option),
	};
	return cmocka_run_group_tests_name("siteinfo", tests, NULL, NULL);
}
