/*
 * fuzz_api_json.c - libFuzzer harness for the JSON the program accepts
 * from outside: bodies of POST /api/v1/corrections (JSON and form) and
 * /api/v1/audits, and companies.json files given to `import` (as a dry
 * run into a scratch data folder). The first byte picks the parser; the
 * rest is the input. Nothing may crash, leak or read out of bounds.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "diag.h"
#include "import.h"
#include "submit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool any_record(void *user, const char *id)
{
	(void)user;
	return id[0] != 'x';
}

static char dir[64];

/* A data folder with one industry, made once. */
static void scratch_data(void)
{
	if (dir[0])
		return;
	snprintf(dir, sizeof(dir), "/tmp/fuzz-api-json-%ld", (long)getpid());
	char path[128];
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/records", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/industries.yaml", dir);
	FILE *f = fopen(path, "w");
	fputs("- name: Streaming\n  slug: streaming\n", f);
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *body = (const char *)data + 1;
	size_t len = size - 1;
	struct submit_rules rules = { any_record, NULL, 20600 };
	struct arena *a = arena_new();
	struct submit_errors err;
	switch (data[0] % 4) {
	case 0: {
		struct submit_correction c;
		submit_correction_parse(body, len, SUBMIT_JSON, &rules, a, &c,
					&err);
		break;
	}
	case 1: {
		struct submit_correction c;
		submit_correction_parse(body, len, SUBMIT_FORM, &rules, a, &c,
					&err);
		break;
	}
	case 2: {
		struct submit_audit au;
		submit_audit_parse(body, len,
				   data[0] & 4 ? SUBMIT_FORM : SUBMIT_JSON,
				   &rules, a, &au, &err);
		break;
	}
	default: {
		scratch_data();
		char file[128];
		snprintf(file, sizeof(file), "%s/in.json", dir);
		FILE *f = fopen(file, "wb");
		fwrite(body, 1, len, f);
		fclose(f);
		struct import_opts opts = { .dry_run = true, .today = 20600 };
		struct import_stats st;
		struct diag *d = diag_new();
		FILE *devnull = fopen("/dev/null", "w");
		import_file(file, dir, &opts, devnull, d, &st);
		fclose(devnull);
		diag_free(d);
		break;
	}
	}
	arena_free(a);
	return 0;
}
