/*
 * fixture.c - what the unit tests share (see fixture.h): SPEC.md's worked
 * example and edits of it, scratch folders, whole files, data folders, a
 * site built from one, diagnostics and templates as text, and PNGs read
 * back.
 *
 * The worked example lives once, in tests/unit/fixtures/, and each test
 * states only how its record differs from it: a change to the example
 * reaches every test, and a test's edits say what it is about. The texts
 * handed out (the example, each edit of it) are kept in one list freed at
 * exit, so tests chain edits without freeing each step and a leak checker
 * has nothing to report.
 */
#define _GNU_SOURCE /* mkdtemp, nftw, open_memstream */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "fixture.h"
#include "gen.h"
#include "mustache.h"
#include "safefile.h"
#include "site.h"
#include "yaml_load.h"

/* ---- texts that live until exit -------------------------------------- */

static char **kept;
static size_t nkept, kept_cap;

static void free_kept(void)
{
	for (size_t i = 0; i < nkept; i++)
		free(kept[i]);
	free(kept);
	kept = NULL;
	nkept = kept_cap = 0;
}

/* Take @text into the list freed at exit. */
static const char *keep(char *text)
{
	if (nkept == kept_cap) {
		if (!kept)
			atexit(free_kept);
		kept_cap = kept_cap ? 2 * kept_cap : 16;
		kept = xrealloc(kept, kept_cap * sizeof(*kept));
	}
	kept[nkept++] = text;
	return text;
}

const char *fixture_worked_example(void)
{
	static const char *text;
	if (!text)
		text = keep(fixture_read_file(FIXTURE_WORKED_EXAMPLE, NULL));
	return text;
}

const char *fixture_edit(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	if (!at)
		fail_msg("the edit of `%s` finds no such text in:\n%s", from,
			 text);
	struct buf b = BUF_INIT;
	buf_put(&b, text, (size_t)(at - text));
	buf_puts(&b, to);
	buf_puts(&b, at + strlen(from));
	return keep(buf_detach(&b, NULL));
}

const char *fixture_append(const char *text, const char *more)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, text);
	buf_puts(&b, more);
	return keep(buf_detach(&b, NULL));
}

/* ---- comments out of YAML --------------------------------------------- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

const char *fixture_uncommented(const char *text)
{
	struct buf out = BUF_INIT;
	for (const char *line = text; *line;) {
		size_t len = strcspn(line, "\n"), end = 0, blanks = 0;
		while (blanks < len && is_blank(line[blanks]))
			blanks++;
		while (end < len && !(line[end] == '#' &&
				      (end == 0 || is_blank(line[end - 1]))))
			end++;
		while (end > 0 && is_blank(line[end - 1]))
			end--;
		/* A line that was only a comment goes; a blank one stays. */
		if (end > 0 || blanks == len) {
			buf_put(&out, line, end);
			if (line[len] == '\n')
				buf_putc(&out, '\n');
		}
		line += len + (line[len] == '\n');
	}
	return keep(buf_detach(&out, NULL));
}

/* ---- scratch folders and files ----------------------------------------- */

char *fixture_dir_new(const char *name)
{
	const char *tmp = getenv("TMPDIR");
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s/atlas-%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
	char *dir = buf_detach(&b, NULL);
	if (!mkdtemp(dir))
		fail_msg("cannot make %s: %s", dir, strerror(errno));
	return dir;
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

void fixture_dir_remove(char *dir)
{
	if (!dir)
		return;
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

char *fixture_path(const char *dir, const char *rel)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s/%s", dir, rel);
	return buf_detach(&b, NULL);
}

void fixture_write_file(const char *dir, const char *rel, const char *text,
			size_t len)
{
	char *path = fixture_path(dir, rel);
	for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST)
			fail_msg("cannot make %s: %s", path, strerror(errno));
		*p = '/';
	}
	FILE *f = fopen(path, "wb");
	if (!f)
		fail_msg("cannot write %s: %s", path, strerror(errno));
	bool written = fwrite(text, 1, len, f) == len;
	if (fclose(f) != 0 || !written)
		fail_msg("cannot write %s", path);
	free(path);
}

char *fixture_read_file(const char *path, size_t *len)
{
	size_t n;
	char *text = safefile_read_all(path, len ? len : &n);
	if (!text)
		fail_msg("cannot read %s", path);
	return text;
}

/* ---- data folders and sites -------------------------------------------- */

void fixture_shipped_data(const char *dir)
{
	static const char *const files[] = { "industries.yaml", "site.yaml",
					     "records/coursera.yaml" };
	if (mkdir(dir, 0755) != 0)
		fail_msg("cannot make %s: %s", dir, strerror(errno));
	for (size_t i = 0; i < ATLAS_COUNT(files); i++) {
		char *from = fixture_path("data", files[i]);
		size_t len;
		char *text = fixture_read_file(from, &len);
		fixture_write_file(dir, files[i], text, len);
		free(text);
		free(from);
	}
}

struct dataset *fixture_generated_data(const char *dir, size_t n, uint64_t seed)
{
	static const char industries[] = "data/industries.yaml";
	struct arena *arena = arena_new();
	struct diag *d = diag_new();
	date_days today = date_from_ymd(FIXTURE_TODAY_YMD);
	size_t len, nind;
	struct industry *ind;
	char *text = fixture_read_file(industries, &len);
	if (yaml_load_industries(industries, text, len, arena, d, &ind,
				 &nind) != 0)
		fail_msg("cannot load %s", industries);
	free(text);
	if (gen_records(dir, n, seed, today, ind, nind, NULL) != 0)
		fail_msg("cannot generate %zu records in %s", n, dir);
	struct dataset_opts opts = { .today = today };
	struct dataset *ds;
	if (dataset_load(dir, &opts, d, &ds) != 0 ||
	    diag_count(d, DIAG_ERROR) != 0) {
		diag_print(d, stderr, false);
		fail_msg("the records generated in %s do not load", dir);
	}
	diag_free(d);
	arena_free(arena);
	return ds;
}

int fixture_site_build(const char *data, const char *out, struct diag *d,
		       struct buf *err)
{
	struct site_opts opts = { .data_dir = data,
				  .out_dir = out,
				  .templates_dir = "templates",
				  .today = date_today(),
				  .generated = FIXTURE_GENERATED };
	struct site_stats st;
	struct buf dropped = BUF_INIT;
	int rc = site_build(&opts, d, &st, err ? err : &dropped);
	buf_free(&dropped);
	return rc;
}

/* ---- diagnostics and templates as text -------------------------------- */

char *fixture_diag_printed(struct diag *d)
{
	char *out = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&out, &len);
	if (!mem)
		fail_msg("open_memstream: %s", strerror(errno));
	diag_print(d, mem, false);
	fclose(mem);
	return out;
}

char *fixture_render(const char *tpl, const struct mst_value *data)
{
	struct mst_template *t =
		mst_template_compile("t", tpl, strlen(tpl), NULL);
	if (!t)
		fail_msg("the template does not compile: %s", tpl);
	struct buf out = BUF_INIT;
	if (mst_template_render(t, data, NULL, &out, NULL) != 0)
		fail_msg("the template does not render: %s", tpl);
	mst_template_free(t);
	return buf_detach(&out, NULL);
}

/* ---- PNGs read back ---------------------------------------------------- */

struct png_reader {
	const unsigned char *data;
	size_t len, at;
};

static cairo_status_t png_read(void *closure, unsigned char *data,
			       unsigned int len)
{
	struct png_reader *r = closure;
	if (len > r->len - r->at)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, r->data + r->at, len);
	r->at += len;
	return CAIRO_STATUS_SUCCESS;
}

cairo_surface_t *fixture_png_decode(const void *png, size_t len)
{
	struct png_reader r = { png, len, 0 };
	cairo_surface_t *s =
		cairo_image_surface_create_from_png_stream(png_read, &r);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		fail_msg("the PNG (%zu bytes) does not decode: %s", len,
			 cairo_status_to_string(cairo_surface_status(s)));
	if (r.at != len)
		fail_msg("%zu bytes follow the PNG's end (at %zu of %zu)",
			 len - r.at, r.at, len);
	cairo_surface_flush(s);
	return s;
}

uint32_t fixture_pixel(cairo_surface_t *s, int x, int y)
{
	const unsigned char *d = cairo_image_surface_get_data(s);
	size_t at = (size_t)y * (size_t)cairo_image_surface_get_stride(s) +
		    4 * (size_t)x;
	uint32_t v;
	memcpy(&v, d + at, sizeof(v));
	return v & 0xffffffu;
}
