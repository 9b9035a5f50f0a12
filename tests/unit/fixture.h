/*
 * fixture.h - what the unit tests share: SPEC.md's worked example, which
 * each test edits to suit it; scratch folders and the files in them; a
 * data folder of the shipped settings and record, or of generated ones;
 * a site built from a data folder; diagnostics and templates as text;
 * and PNGs read back into pixels. Every
 * function here fails the
 * running test when it cannot do its job, so a test need not check.
 *
 * Tests run from the top of the repository (tests/run goes there), which
 * is where the paths below are read from.
 */
#ifndef TEST_FIXTURE_H
#define TEST_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include <cairo.h>

#include "buf.h"
#include "dataset.h"
#include "diag.h"

/* The worked example of SPEC.md's "A record" section: a fictional
 * streaming service with a flow audit, scoring policy 85/B, flow 85/B. */
#define FIXTURE_WORKED_EXAMPLE "tests/unit/fixtures/northwind-stream.yaml"

/* The date the tests take for today, and the time every output they
 * build is stamped with: 2026-07-01, as tests/run's SOURCE_DATE_EPOCH. */
#define FIXTURE_TODAY_YMD 2026, 7, 1
#define FIXTURE_GENERATED 1782864000

/**
 * fixture_worked_example() - the text of SPEC.md's worked example record
 * (FIXTURE_WORKED_EXAMPLE), comments and all.
 *
 * Returns: the text; it lives until the program ends.
 */
const char *fixture_worked_example(void);

/**
 * fixture_edit() - a text with one change: the first @from in @text
 * replaced by @to. The test fails when @text has no @from, so an edit
 * cannot silently stop applying when the fixture changes.
 *
 * Returns: a new text that lives until the program ends, so edits chain:
 * fixture_edit(fixture_edit(t, a, b), c, d).
 */
const char *fixture_edit(const char *text, const char *from, const char *to);

/**
 * fixture_append() - @text followed by @more, as when a test adds an
 * audit or a list entry after a record's last line.
 *
 * Returns: a new text that lives until the program ends.
 */
const char *fixture_append(const char *text, const char *more);

/**
 * fixture_uncommented() - YAML text without its comments: a line that is
 * only a comment is dropped, and a comment after a value is cut with the
 * blanks before it. It knows the fixtures' YAML only: a " #" inside a
 * quoted or block scalar would be taken for a comment too.
 *
 * Returns: a new text that lives until the program ends.
 */
const char *fixture_uncommented(const char *text);

/**
 * fixture_dir_new() - a new, empty scratch folder,
 * $TMPDIR/atlas-@name.XXXXXX (/tmp when TMPDIR is unset).
 *
 * Returns: its path; free it with fixture_dir_remove().
 */
char *fixture_dir_new(const char *name);

/**
 * fixture_dir_remove() - delete a scratch folder and everything in it
 * (links are removed, never followed), then free @dir. NULL is ignored.
 */
void fixture_dir_remove(char *dir);

/**
 * fixture_path() - "@dir/@rel".
 *
 * Returns: a new string; caller frees with free().
 */
char *fixture_path(const char *dir, const char *rel);

/**
 * fixture_write_file() - write @len bytes of @text to @dir/@rel, making
 * the folders of @rel that are missing.
 */
void fixture_write_file(const char *dir, const char *rel, const char *text,
			size_t len);

/**
 * fixture_read_file() - the whole of a file.
 * @len: set to its length, or NULL.
 *
 * Returns: a new NUL-terminated string; caller frees with free().
 */
char *fixture_read_file(const char *path, size_t *len);

/**
 * fixture_shipped_data() - make @dir a data folder of the shipped
 * settings (data/industries.yaml, data/site.yaml) and the shipped record
 * (data/records/coursera.yaml). @dir must not exist yet.
 */
void fixture_shipped_data(const char *dir);

/**
 * fixture_generated_data() - write @n fictional records (`cancelatlas
 * gen` with @seed, dated FIXTURE_TODAY_YMD, in the shipped industries)
 * as the data folder @dir, and load it as `check` would. The test fails
 * on any error in the records.
 *
 * Returns: the dataset; caller frees with dataset_free().
 */
struct dataset *fixture_generated_data(const char *dir, size_t n,
				       uint64_t seed);

/**
 * fixture_site_build() - build the site of the data folder @data into
 * @out with the shipped templates, as `cancelatlas build` would: checked
 * against date_today() (which SOURCE_DATE_EPOCH fixes) and stamped
 * FIXTURE_GENERATED.
 * @d: collects the problems in the data.
 * @err: the reason for a failure, or NULL to drop it.
 *
 * Returns: what site_build() returns (0 when the site was written).
 */
int fixture_site_build(const char *data, const char *out, struct diag *d,
		       struct buf *err);

/**
 * fixture_diag_printed() - the diagnostics in @d as `check` prints them
 * (diag_print() without colour), for asserting on them and for failure
 * messages.
 *
 * Returns: a new string; caller frees with free().
 */
char *fixture_diag_printed(struct diag *d);

struct mst_value;

/**
 * fixture_render() - the template text @tpl compiled and rendered
 * against @data; the test fails when either step does.
 *
 * Returns: a new string; caller frees with free().
 */
char *fixture_render(const char *tpl, const struct mst_value *data);

/**
 * fixture_png_decode() - read a PNG back into pixels with cairo's own
 * reader (libpng's decoder, which checks every chunk's CRC and the
 * deflate stream), as any program showing it would. The test fails
 * when the PNG does not decode, or when bytes follow its end.
 * @png: the PNG's bytes, from its signature to the end of IEND.
 *
 * Returns: the picture, flushed so its pixels can be read; caller frees
 * with cairo_surface_destroy().
 */
cairo_surface_t *fixture_png_decode(const void *png, size_t len);

/**
 * fixture_pixel() - the colour of the pixel at (@x, @y) of an image
 * surface in CAIRO_FORMAT_RGB24, as 0xRRGGBB (the byte RGB24 leaves
 * unused is dropped). Flush the surface first if it was drawn on.
 */
uint32_t fixture_pixel(cairo_surface_t *s, int x, int y);

#endif
