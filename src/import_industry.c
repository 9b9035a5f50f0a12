/*
 * import_industry.c - a company's industry matched to the data folder's
 * industries.yaml, and the industries it does not list added to it.
 *
 * A name matches exactly, else by a key that ignores case, punctuation
 * and "and" ("Gym and Fitness" is "gym-fitness"); the slug matches too.
 * Another industry is added with a slug made from its name, and, unless
 * this is a dry run, written to industries.yaml at once (import_write.c),
 * so every record written names a listed industry. The file's own text is
 * kept, comments and all, and new industries go after it.
 */
#include "arena.h"
#include "buf.h"
#include "dataset.h"
#include "import_internal.h"
#include "slug.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int import_industries_load(struct importer *im)
{
	struct industry_list list;
	int got =
		dataset_industries_read(im->data_dir, im->arena, im->d, &list);
	if (got == -1)
		diag_add(im->d, DIAG_IO, list.file, 0, 0,
			 "cannot read the industries list: %s (an import needs "
			 "a data folder with industries.yaml)",
			 strerror(errno));
	im->industries = list.v;
	im->nindustries = list.n;
	im->capindustries = im->nindustries;
	/* Kept as written, comments and all; new industries go after. */
	im->industries_text = list.text;
	return got == 0 && !diag_count(im->d, DIAG_ERROR) ? 0 : -1;
}

/* "Gym and Fitness", "gym-fitness", "GYM & FITNESS" -> "gymfitness". */
static void industry_key(const char *s, char *out, size_t size)
{
	size_t n = 0;
	while (*s) {
		while (*s && !isalnum((unsigned char)*s))
			s++;
		size_t w = 0;
		while (isalnum((unsigned char)s[w]))
			w++;
		bool skip = w == 3 && !strncasecmp(s, "and", 3);
		for (size_t i = 0; i < w && !skip && n + 1 < size; i++)
			out[n++] = (char)tolower((unsigned char)s[i]);
		s += w;
	}
	out[n] = '\0';
}

/* The industry of the list that @name means, by name, else by name or
 * slug ignoring case, punctuation and "and"; NULL when none does. */
static const struct industry *find_industry(const struct importer *im,
					    const char *name, bool *exact)
{
	char want[128], have[128];
	industry_key(name, want, sizeof(want));
	for (size_t pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < im->nindustries; i++) {
			const struct industry *ind = &im->industries[i];
			bool match;
			if (pass == 0) {
				match = !strcmp(ind->name.s, name);
			} else {
				industry_key(ind->name.s, have, sizeof(have));
				match = *want && !strcmp(want, have);
				industry_key(ind->slug.s, have, sizeof(have));
				match = match || (*want && !strcmp(want, have));
			}
			if (match) {
				*exact = pass == 0;
				return ind;
			}
		}
	}
	return NULL;
}

/* A listed industry close to @name ("Meal kits & food" for "Meal
 * kits"), for the editor who may want to merge the two; or NULL. */
static const char *industry_hint(const struct importer *im, const char *name)
{
	const char **names = xmalloc((im->nindustries + 1) * sizeof(*names));
	for (size_t i = 0; i < im->nindustries; i++)
		names[i] = im->industries[i].name.s;
	const char *hint = diag_suggest(name, names, im->nindustries);
	free(names);
	char want[128], have[128];
	industry_key(name, want, sizeof(want));
	for (size_t i = 0; !hint && *want && i < im->nindustries; i++) {
		industry_key(im->industries[i].name.s, have, sizeof(have));
		if (!strncmp(have, want, strlen(want)))
			hint = im->industries[i].name.s;
	}
	return hint;
}

/*
 * A new industry, added to the list (and, unless this is a dry run, to
 * DATA/industries.yaml at once, so every record written names a listed
 * industry) with a slug made from its name.
 */
static const struct industry *add_industry(struct company *c, const char *name)
{
	struct importer *im = c->im;
	char base[SLUG_NAME_SIZE], slug[sizeof(base) + 16];
	slug_from_name(name, base, sizeof(base));
	if (!*base)
		snprintf(base, sizeof(base), "industry-%zu",
			 im->nindustries + 1);
	snprintf(slug, sizeof(slug), "%s", base);
	for (unsigned k = 2;; k++) {
		size_t i = 0;
		while (i < im->nindustries &&
		       strcmp(im->industries[i].slug.s, slug))
			i++;
		if (i == im->nindustries)
			break;
		snprintf(slug, sizeof(slug), "%s-%u", base, k);
	}
	if (im->nindustries == im->capindustries) {
		im->capindustries = im->capindustries * 2 + 8;
		struct industry *v =
			arena_array(im->arena, im->capindustries, sizeof(*v));
		memcpy(v, im->industries, im->nindustries * sizeof(*v));
		im->industries = v;
	}
	const char *hint = industry_hint(im, name);
	struct industry *ind = &im->industries[im->nindustries++];
	ind->name = (struct text){ arena_strdup(im->arena, name),
				   strlen(name),
				   { 0, 0 } };
	ind->slug = (struct text){ arena_strdup(im->arena, slug),
				   strlen(slug),
				   { 0, 0 } };
	im->st.industries_added++;
	fprintf(im->report,
		"industry `%s` is new: %s %s/industries.yaml as `%s`",
		import_shown(c, name),
		im->opts->dry_run ? "would add it to" : "added to",
		im->data_dir, slug);
	if (hint)
		fprintf(im->report, " (close to `%s`)", hint);
	fputc('\n', im->report);
	if (!im->opts->dry_run && import_industries_write(im) != 0)
		import_fail(c, DIAG_IO,
			    "cannot add industry `%s` to industries.yaml",
			    import_shown(c, name));
	return ind;
}

void import_industry_read(struct company *c, const json_t *j)
{
	struct text t;
	json_t *v = import_member(j, "industry");
	if (!v || !json_is_string(v) ||
	    !import_get_text(c, j, "industry", "industry", false, &t)) {
		/* A record names an industry; say it is unknown. */
		t = import_const_text(c, "Other");
		import_warn(c, DIAG_IMPORT_INFERRED,
			    "`industry` is %s; filed under `%s`",
			    v ? json_is_string(v) ? "empty"
						  : import_json_kind(v)
			      : "missing",
			    t.s);
	}
	bool exact = true;
	const struct industry *ind = find_industry(c->im, t.s, &exact);
	if (!ind)
		ind = add_industry(c, t.s);
	else if (!exact)
		import_note(c, "industry `%s` read as `%s`",
			    import_shown(c, t.s), ind->name.s);
	c->r->industry = ind->name;
}
