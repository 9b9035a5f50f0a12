/*
 * fuzz_yaml_industries.c - libFuzzer harness for the industries list:
 * arbitrary bytes through yaml_load_industries and validate_industries
 * must never crash, leak or read out of bounds, whatever they report.
 */
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "validate.h"
#include "yaml_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *arena = arena_new();
	struct diag *d = diag_new();
	struct industry *v;
	size_t n;
	if (yaml_load_industries("industries.yaml", (const char *)data, size,
				 arena, d, &v, &n) == 0)
		validate_industries("industries.yaml", v, n, d);
	diag_free(d);
	arena_free(arena);
	return 0;
}
