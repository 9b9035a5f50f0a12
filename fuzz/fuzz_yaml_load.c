/*
 * fuzz_yaml_load.c - libFuzzer harness for the record loader: arbitrary
 * bytes through ytree_parse, yaml_load_record and validate_record, and
 * through yaml_load_site as site settings, must never crash, leak or read
 * out of bounds, whatever they report.
 */
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "method.h"
#include "opendata.h"
#include "siteinfo.h"
#include "validate.h"
#include "yaml_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
	diag_free(d);
	arena_free(arena);
	return 0;
}
