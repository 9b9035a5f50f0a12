/*
 * replay.c - a main() for a libFuzzer harness, so it builds with any
 * compiler and replays inputs without fuzzing: `replay_NAME FILE...` runs
 * LLVMFuzzerTestOneInput() once on an empty input, as libFuzzer does
 * first, then once on the content of each FILE, in a buffer of exactly
 * its size so that a sanitizer sees any read past its end. `make test`
 * replays every committed corpus this way (tests/run, suite fuzz); a
 * crash is the harness's own abort() or a sanitizer's report, and the
 * exit status is then not 0. A file that cannot be read is exit status 2.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "safefile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	LLVMFuzzerTestOneInput((const uint8_t *)"", 0);
	for (int i = 1; i < argc; i++) {
		size_t len;
		char *text = safefile_read_all(argv[i], &len);
		if (!text) {
			perror(argv[i]);
			return 2;
		}
		/* safefile_read_all() adds a NUL past the end; the copy has
		 * none, as libFuzzer's inputs have none. */
		uint8_t *data = xmalloc(len ? len : 1);
		memcpy(data, text, len);
		free(text);
		LLVMFuzzerTestOneInput(data, len);
		free(data);
	}
	return 0;
}
