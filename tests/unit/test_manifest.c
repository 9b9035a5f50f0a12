/*
 * test_manifest.c - the manifest of a built site: written and read back
 * whole, refused when damaged or missing, and the journal of a build
 * that replaces files in place; then outdir's incremental writes through
 * it: only differing bytes written, files no longer made deleted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "hash.h"
#include "manifest.h"
#include "outdir.h"
#include "safefile.h"

#include "fixture.h"

static char *root;

static int setup(void **state)
{
	(void)state;
	root = fixture_dir_new("manifest");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fixture_dir_remove(root);
	return 0;
}

static struct manifest *sample(void)
{
	struct manifest *m = manifest_new();
	manifest_set_input(m, "templates", "00ff00ff00ff00ff");
	manifest_set_input(m, "methodology", "CES-1.1");
	size_t site = manifest_add_group(m, "site", 7);
	size_t rec = manifest_add_group(m, "record/acme", 0x1234);
	manifest_add_file(m, rec, "c/acme/index.html", 0xabcdef, 100);
	manifest_add_file(m, site, "index.html", 42, 5);
	manifest_add_file(m, rec, "share/cards/acme.png", 99, 12345);
	manifest_add_file(m, site, "a file with spaces.txt", 1, 1);
	return m;
}

static char *slurp(const char *name)
{
	char *p = fixture_path(root, name);
	size_t len;
	char *text = safefile_read_all(p, &len);
	free(p);
	return text;
}

static void spit(const char *name, const char *text)
{
	char *p = fixture_path(root, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(p);
}

static void round_trip(void **state)
{
	(void)state;
	struct manifest *m = sample();
	struct buf err = BUF_INIT, why = BUF_INIT;
	assert_int_equal(manifest_save(m, root, &err), 0);
	struct manifest *back = NULL;
	assert_int_equal(manifest_load(root, &back, &why), 0);
	assert_null(manifest_changed_input(m, back));
	const struct manifest_group *g =
		manifest_find_group(back, "record/acme");
	assert_non_null(g);
	assert_int_equal(g->key, 0x1234);
	assert_int_equal(g->n, 2);
	const struct manifest_file *f =
		manifest_find_file(back, "share/cards/acme.png");
	assert_non_null(f);
	assert_int_equal(f->hash, 99);
	assert_int_equal(f->size, 12345);
	assert_non_null(manifest_find_file(back, "a file with spaces.txt"));
	assert_null(manifest_find_file(back, "c/other/index.html"));
	assert_null(manifest_find_group(back, "record/other"));
	/* Saved again, the same bytes: groups and files are sorted. */
	char *first = slurp(MANIFEST_NAME);
	assert_int_equal(manifest_save(back, root, &err), 0);
	char *second = slurp(MANIFEST_NAME);
	assert_string_equal(first, second);
	/* A changed input is named. */
	manifest_set_input(back, "methodology", "CES-2.0");
	assert_string_equal(manifest_changed_input(m, back), "methodology");
	free(first);
	free(second);
	manifest_free(m);
	manifest_free(back);
	buf_free(&err);
	buf_free(&why);
}

/* Groups copied from a loaded manifest are written again from the lines
 * read, unless changed since (a new key, a file added, forgotten): the
 * file saved is byte for byte the one a manifest made anew writes. */
static void copies_written_as_read(void **state)
{
	(void)state;
	const char *names[] = { "record/acme", "record/beta", "record/cero",
				"record/dune", "site" };
	struct manifest *m = manifest_new();
	manifest_set_input(m, "templates", "00ff00ff00ff00ff");
	for (size_t i = 0; i < 5; i++) {
		size_t g = manifest_add_group(m, names[i], 100 + i);
		for (size_t k = 0; k < 3; k++) {
			char path[64];
			snprintf(path, sizeof(path), "%s/file %zu", names[i],
				 2 - k);
			manifest_add_file(m, g, path, 1000 * i + k, k);
		}
	}
	struct buf err = BUF_INIT, why = BUF_INIT;
	assert_int_equal(manifest_save(m, root, &err), 0);
	struct manifest *old = NULL;
	assert_int_equal(manifest_load(root, &old, &why), 0);
	for (size_t i = 0; i < 5; i++)
		assert_non_null(manifest_find_group(old, names[i])->lines);
	manifest_forget_group(old, "record/dune");
	assert_null(manifest_find_group(old, "record/dune")->lines);

	/* Copied in another order; beta gets a new key, cero a file. */
	struct manifest *next = manifest_new();
	manifest_set_input(next, "templates", "00ff00ff00ff00ff");
	size_t id[5];
	for (size_t i = 5; i-- > 0;)
		id[i] = manifest_copy_group(next, old,
					    manifest_find_group(old, names[i]));
	manifest_set_key(next, id[1], 777);
	manifest_add_file(next, id[2], "record/cero/late", 5, 6);
	const struct manifest_group *groups;
	manifest_groups(next, &groups);
	assert_non_null(groups[id[0]].lines);
	assert_null(groups[id[1]].lines);
	assert_null(groups[id[2]].lines);
	assert_null(groups[id[3]].lines);
	assert_non_null(groups[id[4]].lines);
	assert_int_equal(manifest_save(next, root, &err), 0);
	char *copied = slurp(MANIFEST_NAME);

	/* The same content, made anew. */
	manifest_set_key(m, 1, 777);
	manifest_set_key(m, 3, 0);
	manifest_add_file(m, 2, "record/cero/late", 5, 6);
	assert_int_equal(manifest_save(m, root, &err), 0);
	char *made = slurp(MANIFEST_NAME);
	assert_string_equal(copied, made);
	free(copied);
	free(made);
	manifest_free(next);
	manifest_free(old);
	manifest_free(m);
	buf_free(&err);
	buf_free(&why);
}

static void damaged_and_missing(void **state)
{
	(void)state;
	struct manifest *m = NULL;
	struct buf why = BUF_INIT, err = BUF_INIT;
	assert_int_equal(manifest_load(root, &m, &why), -1);
	assert_null(m);
	assert_string_equal(why.data, "there is no manifest");

	struct manifest *s = sample();
	assert_int_equal(manifest_save(s, root, &err), 0);
	manifest_free(s);
	char *text = slurp(MANIFEST_NAME);
	/* One digit changed, a line dropped, the end cut off: each is
	 * refused. */
	char *edited = strdup(text);
	char *digit = strstr(edited, "file ") + 5;
	*digit = *digit == '0' ? '1' : '0';
	spit(MANIFEST_NAME, edited);
	buf_reset(&why);
	assert_int_equal(manifest_load(root, &m, &why), -1);
	assert_non_null(strstr(why.data, "the manifest is damaged"));
	strcpy(edited, text);
	char *line = strstr(edited, "file ");
	char *next = strchr(line, '\n') + 1;
	memmove(line, next, strlen(next) + 1);
	spit(MANIFEST_NAME, edited);
	assert_int_equal(manifest_load(root, &m, &why), -1);
	strcpy(edited, text);
	edited[strlen(edited) - 10] = '\0';
	spit(MANIFEST_NAME, edited);
	assert_int_equal(manifest_load(root, &m, &why), -1);
	spit(MANIFEST_NAME, "");
	assert_int_equal(manifest_load(root, &m, &why), -1);
	assert_null(m);

	/* Hashed as a save would, but a size past 64 bits, a size without
	 * digits, or an end line that counts too many lines: refused. */
	static const struct {
		const char *size;
		const char *lines;
		bool loads;
	} made[] = {
		{ "18446744073709551615", "4", true },
		{ "18446744073709551616", "4", false },
		{ "", "4", false },
		{ "12", "99999999999999999", false },
	};
	for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++) {
		struct buf t = BUF_INIT;
		buf_printf(&t,
			   "cancelatlas-manifest 1\ninput day 1\n"
			   "group 0000000000000001 site\n"
			   "file 0000000000000002 %s index.html\n",
			   made[i].size);
		uint64_t h = hash_data(t.data, t.len);
		buf_printf(&t, "end %s %016" PRIx64 "\n", made[i].lines, h);
		spit(MANIFEST_NAME, t.data);
		m = NULL;
		assert_int_equal(manifest_load(root, &m, &why),
				 made[i].loads ? 0 : -1);
		if (made[i].loads)
			assert_true(manifest_find_file(m, "index.html")->size ==
				    UINT64_MAX);
		manifest_free(m);
		buf_free(&t);
	}
	/* An input after a group, hashed as a save would: refused, since a
	 * save writes a group's lines again as they were read. */
	struct buf t = BUF_INIT;
	buf_puts(&t, "cancelatlas-manifest 1\ninput day 1\n"
		     "group 0000000000000001 site\n"
		     "input late 2\n"
		     "file 0000000000000002 12 index.html\n");
	uint64_t h = hash_data(t.data, t.len);
	buf_printf(&t, "end 5 %016" PRIx64 "\n", h);
	spit(MANIFEST_NAME, t.data);
	m = NULL;
	assert_int_equal(manifest_load(root, &m, &why), -1);
	assert_null(m);
	buf_free(&t);
	free(edited);
	free(text);
	buf_free(&why);
	buf_free(&err);
}

/* A manifest read ahead is taken only while the file is the one it read:
 * one saved meanwhile (another build) is read again. */
static void preload_sees_a_replaced_file(void **state)
{
	(void)state;
	struct manifest *m = sample(), *back = NULL;
	struct buf err = BUF_INIT, why = BUF_INIT;
	assert_int_equal(manifest_save(m, root, &err), 0);
	struct manifest_preload *p = manifest_preload(root);
	assert_int_equal(manifest_preload_finish(p, root, &back, &why), 0);
	assert_int_equal(manifest_find_group(back, "record/acme")->key, 0x1234);
	manifest_free(back);

	p = manifest_preload(root);
	struct manifest *next = manifest_new();
	manifest_set_input(next, "methodology", "CES-1.1");
	manifest_add_group(next, "record/acme", 0x5678);
	/* Whenever the preload's read happened (almost always within this
	 * pause, so the old file is what it holds), the site's manifest is
	 * now another file. */
	usleep(50 * 1000);
	assert_int_equal(manifest_save(next, root, &err), 0);
	assert_int_equal(manifest_preload_finish(p, root, &back, &why), 0);
	assert_int_equal(manifest_find_group(back, "record/acme")->key, 0x5678);
	manifest_free(back);

	/* None there: the reason, as manifest_load() gives it. */
	char *gone = fixture_path(root, MANIFEST_NAME);
	p = manifest_preload(root);
	assert_int_equal(unlink(gone), 0);
	assert_int_equal(manifest_preload_finish(p, root, &back, &why), -1);
	assert_string_equal(why.data, "there is no manifest");
	manifest_preload_cancel(manifest_preload(root));
	manifest_preload_cancel(NULL);
	free(gone);
	manifest_free(m);
	manifest_free(next);
	buf_free(&err);
	buf_free(&why);
}

static void journal(void **state)
{
	(void)state;
	struct buf names = BUF_INIT, err = BUF_INIT;
	assert_int_equal(manifest_journal_read(root, &names), -1);
	const char *groups[] = { "record/acme", "site" };
	assert_int_equal(manifest_journal_write(root, groups, 2, &err), 0);
	assert_int_equal(manifest_journal_read(root, &names), 2);
	assert_string_equal(names.data, "record/acme");
	assert_string_equal(names.data + strlen("record/acme") + 1, "site");
	spit(MANIFEST_JOURNAL, "cancelatlas-journal 1\nrecord/acme\n");
	assert_int_equal(manifest_journal_read(root, &names), -2);
	assert_int_equal(manifest_journal_remove(root), 0);
	assert_int_equal(manifest_journal_read(root, &names), -1);
	assert_int_equal(manifest_journal_remove(root), 0);
	buf_free(&names);
	buf_free(&err);
}

static void content_hash_in_pieces(void **state)
{
	(void)state;
	/* Several blocks of the hash and a tail, cut in three anywhere. */
	char text[150];
	for (size_t i = 0; i < sizeof(text); i++)
		text[i] =
			"The quick brown fox jumps over the lazy dog. "[i % 45];
	size_t len = sizeof(text);
	uint64_t whole = hash_data(text, len);
	for (size_t a = 0; a <= len; a++)
		for (size_t b = a; b <= len; b += 7) {
			struct hash_stream s;
			hash_stream_init(&s);
			hash_stream_put(&s, text, a);
			hash_stream_put(&s, text + a, b - a);
			hash_stream_put(&s, text + b, len - b);
			assert_int_equal(hash_stream_end(&s), whole);
		}
	/* Any byte changed, in any lane, or one cut off, changes it. */
	for (size_t i = 0; i < len; i++) {
		text[i] ^= 1;
		assert_int_not_equal(hash_data(text, len), whole);
		text[i] ^= 1;
	}
	for (size_t n = 0; n < len; n++)
		assert_int_not_equal(hash_data(text, n), whole);
	assert_int_not_equal(hash_data("a\0", 2), hash_data("a", 1));
	assert_int_not_equal(hash_data("", 0), hash_data("\0", 1));
}

/* A site built twice through outdir_begin_site(): the second build is
 * incremental, writes only what differs and deletes what it no longer
 * makes. */
static int build_changes(const char *site, const char *a_text, bool with_b,
			 struct outdir_counts *counts,
			 struct outdir_changes *changes, struct buf *note)
{
	struct buf err = BUF_INIT;
	struct manifest *in = manifest_new();
	manifest_set_input(in, "templates", "1");
	struct outdir *o = outdir_begin_site(site, in, NULL, false, note, &err);
	if (!o)
		return -1;
	bool keep_b = with_b && outdir_keep(o, "record/b", 2);
	const char *names[] = { "record/a", "record/b" };
	int rc = outdir_journal(o, names, keep_b ? 1 : 2, &err);
	outdir_group(o, "record/a", hash_str(a_text));
	rc |= outdir_write(o, "c/a/index.html", a_text, strlen(a_text), &err);
	if (with_b && !keep_b) {
		outdir_group(o, "record/b", 2);
		rc |= outdir_write(o, "c/b/index.html", "b", 1, &err);
	}
	outdir_group(o, "site", 3);
	rc |= outdir_write(o, "index.html", "index", 5, &err);
	rc |= outdir_commit_changes(o, counts, changes, &err);
	buf_free(&err);
	return rc;
}

static int build(const char *site, const char *a_text, bool with_b,
		 struct outdir_counts *counts, struct buf *note)
{
	return build_changes(site, a_text, with_b, counts, NULL, note);
}

static void incremental_writes(void **state)
{
	(void)state;
	char *site = fixture_path(root, "site");
	struct outdir_counts n;
	struct buf note = BUF_INIT;
	assert_int_equal(build(site, "a1", true, &n, &note), 0);
	assert_non_null(strstr(note.data, "holds no site yet"));
	char *manifest = fixture_path(root, "site/" MANIFEST_NAME);
	assert_int_equal(access(manifest, F_OK), 0);

	buf_reset(&note);
	struct outdir_changes ch;
	assert_int_equal(build_changes(site, "a2", true, &n, &ch, &note), 0);
	assert_int_equal(note.len, 0);
	/* Only a's page is listed: b was kept, the index had its bytes. */
	assert_false(ch.swapped);
	assert_int_equal(ch.nwritten, 1);
	assert_string_equal(ch.written[0], "c/a/index.html");
	assert_int_equal(ch.ndeleted, 0);
	outdir_changes_free(&ch);
	assert_null(ch.written);
	/* a's page rewritten, b kept, the index's bytes the same. */
	assert_int_equal(n.written, 1);
	assert_int_equal(n.same, 1);
	assert_int_equal(n.deleted, 0);
	char *a = slurp("site/c/a/index.html");
	assert_string_equal(a, "a2");
	free(a);

	assert_int_equal(build_changes(site, "a2", false, &n, &ch, &note), 0);
	assert_int_equal(n.written, 0);
	assert_int_equal(n.deleted, 1);
	assert_int_equal(ch.nwritten, 0);
	assert_int_equal(ch.ndeleted, 1);
	assert_string_equal(ch.deleted[0], "c/b/index.html");
	outdir_changes_free(&ch);
	char *b = fixture_path(root, "site/c/b");
	assert_int_not_equal(access(b, F_OK), 0); /* its folder too */
	char *journal_path = fixture_path(root, "site/" MANIFEST_JOURNAL);
	assert_int_not_equal(access(journal_path, F_OK), 0);

	/* A journal left behind: the next build says so and rebuilds. */
	struct buf err = BUF_INIT;
	const char *names[] = { "record/a" };
	assert_int_equal(manifest_journal_write(site, names, 1, &err), 0);
	buf_reset(&note);
	assert_int_equal(build(site, "a2", false, &n, &note), 0);
	assert_non_null(strstr(note.data, "was interrupted"));
	assert_int_not_equal(access(journal_path, F_OK), 0);

	/* The manifest gone: a full build, which says why. */
	unlink(manifest);
	buf_reset(&note);
	assert_int_equal(build_changes(site, "a3", false, &n, &ch, &note), 0);
	assert_true(ch.swapped);
	assert_int_equal(ch.nwritten + ch.ndeleted, 0);
	outdir_changes_free(&ch);
	assert_non_null(strstr(note.data, "full build: there is no manifest"));
	a = slurp("site/c/a/index.html");
	assert_string_equal(a, "a3");
	free(a);
	free(b);
	free(journal_path);
	free(manifest);
	free(site);
	buf_free(&note);
	buf_free(&err);
}

/* A path or group name given twice is refused, in a small manifest and
 * in one large enough to be indexed on two threads. */
static void duplicates(void **state)
{
	(void)state;
	for (size_t n = 2; n <= 20000; n += 19998) {
		struct manifest *m = manifest_new();
		size_t g = manifest_add_group(m, "site", 1);
		char path[64];
		for (size_t i = 0; i < n; i++) {
			snprintf(path, sizeof(path), "page/%zu/index.html", i);
			manifest_add_file(m, g, path, i, i);
		}
		assert_true(manifest_index(m));
		assert_non_null(manifest_find_file(m, "page/1/index.html"));
		manifest_add_file(m, g, "page/1/index.html", 0, 0);
		assert_false(manifest_index(m));
		manifest_free(m);

		m = manifest_new();
		manifest_add_group(m, "record/a", 1);
		manifest_add_group(m, "record/a", 2);
		for (size_t i = 0; i < n; i++) {
			snprintf(path, sizeof(path), "f/%zu", i);
			manifest_add_file(m, 0, path, i, i);
		}
		assert_false(manifest_index(m));
		manifest_free(m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(copies_written_as_read, setup,
						teardown),
		cmocka_unit_test_setup_teardown(damaged_and_missing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(journal, setup, teardown),
		cmocka_unit_test_setup_teardown(preload_sees_a_replaced_file,
						setup, teardown),
		cmocka_unit_test(content_hash_in_pieces),
		cmocka_unit_test(duplicates),
		cmocka_unit_test_setup_teardown(incremental_writes, setup,
						teardown),
	};
	return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}
