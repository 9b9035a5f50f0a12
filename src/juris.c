/*
 * juris.c - look up jurisdiction codes in the generated ISO tables
 * (juris_data.c) by binary search, plus the two codes the reference adds.
 */
#include "juris.h"

#include <stdlib.h>
#include <string.h>

static const struct juris extra[] = {
	{ "EU", "EU", true },
	{ "UK", "UK", true },
};

static int juris_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct juris *)elem)->code);
}

const struct juris *juris_lookup(const char *code)
{
	const struct juris *j = bsearch(code, extra, ATLAS_COUNT(extra),
					sizeof(extra[0]), juris_cmp);
	if (j)
		return j;
	if (strlen(code) == 2)
		return bsearch(code, juris_countries, juris_ncountries,
			       sizeof(juris_countries[0]), juris_cmp);
	return bsearch(code, juris_subdivisions, juris_nsubdivisions,
		       sizeof(juris_subdivisions[0]), juris_cmp);
}

bool juris_put_phrase(struct buf *out, const char *code)
{
	const struct juris *j = juris_lookup(code);
	if (!j)
		return buf_puts(out, code);
	bool ok = buf_printf(out, "%s%s", j->the ? "the " : "", j->name);
	if (strlen(code) > 2) {
		char country[3] = { code[0], code[1], '\0' };
		const struct juris *c = juris_lookup(country);
		ok = ok && buf_printf(out, " (%s)", c ? c->name : country);
	}
	return ok;
}
