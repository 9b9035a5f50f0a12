/*
 * fuzz_yaml_site.c - libFuzzer harness for the site settings: arbitrary
 * bytes through yaml_load_site, with and without a required url, must
 * never crash, leak or read out of bounds, whatever they report.
 */
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "siteinfo.h"
#include "yaml_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int need_url = 0; need_url < 2; need_url++) {
		struct arena *arena = arena_new();
		struct diag *d = diag_new();
		struct site_info settings = { 0 };
		yaml_load_site("site.yaml", (const char *)data, size, need_url,
			       arena, d, &settings);
		diag_free(d);
		arena_free(arena);
	}
	return 0;
}
