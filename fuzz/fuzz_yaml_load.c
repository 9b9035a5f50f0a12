/*
 * fuzz_yaml_load.c - libFuzzer harness for the record loader: arbitrary
 * bytes through ytree_parse, yaml_load_record and validate_record, and
 * through yaml_load_site as site settings, must never crash, leak or read
 * out of bounds, whatever they report. A record loaded is packed as the
 * parse cache keeps it (recordpack.h) and must come back the same bytes;
 * the input taken as a packed block must be refused or be a record that
 * packs without reading outside it.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "check.h"
#include "diag.h"
#include "method.h"
#include "opendata.h"
#include "recordpack.h"
#include "siteinfo.h"
#include "validate.h"
#include "yaml_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void repack(const struct record *r, struct arena *arena)
{
	struct buf block = BUF_INIT, again = BUF_INIT;
	recordpack_put(&block, r);
	const struct record *copy =
		recordpack_get(block.data, block.len, "fuzz.yaml", arena);
	FUZZ_CHECK(copy != NULL);
	recordpack_put(&again, copy);
	FUZZ_CHECK(again.len == block.len &&
		   !memcmp(again.data, block.data, block.len));
	buf_free(&block);
	buf_free(&again);
}

/* The input taken as a packed record: refused, or one whose every text
 * and list lies inside it, so that packing it reads nothing outside. */
static void unpack_any(const uint8_t *data, size_t size, struct arena *arena)
{
	const struct record *r = recordpack_get(data, size, "x", arena);
	if (r) {
		struct buf block = BUF_INIT;
		recordpack_put(&block, r);
		buf_free(&block);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct site_info site = {
		.name = { "Atlas", 5, { 1, 1 } },
		.url = { "https://atlas.example.org", 25, { 1, 1 } },
		.license_name = { "CC0 1.0", 7, { 1, 1 } },
	};
	struct arena *arena = arena_new();
	struct diag *d = diag_new();
	struct diag *site_diag = diag_new();
	struct site_info settings = { 0 };
	yaml_load_site("site.yaml", (const char *)data, size, true, arena,
		       site_diag, &settings);
	diag_free(site_diag);
	struct record *r = yaml_load_record("fuzz.yaml", (const char *)data,
					    size, arena, d);
	if (r) {
		repack(r, arena);
		static const struct industry industries[] = {
			{ { "Streaming", 9, { 1, 1 } },
			  { "streaming", 9, { 1, 1 } } },
		};
		struct validate_ctx ctx = { method_current(), industries, 1,
					    20000 };
		validate_record(r, &ctx, d);
		validate_records(&r, 1, d);
		if (!diag_count(d, DIAG_ERROR)) {
			/* A record the checker accepts must score and
			 * serialise. */
			json_t *j =
				opendata_company(&site, method_current(), r);
			json_decref(j);
		}
	}
	unpack_any(data, size, arena);
	diag_free(d);
	arena_free(arena);
	return 0;
}
