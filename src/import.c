/*
 * import.c - companies.json entries (ours or the reference system's) into
 * record files: the driver.
 *
 * The file is read with jansson, and each company in turn is read into a
 * struct record (import_map.c), written and checked (import_write.c), and
 * counted; the report ends with the summary. Nothing published is dropped:
 * what cannot become a fact as it stands is recorded as the text says, or
 * left out, with a warning naming the company and the field; only a
 * company no record can be made of is skipped. The ids written so far are
 * kept in a set, so a second company with the same id is numbered rather
 * than dropped. The importer's files share their state through
 * import_internal.h.
 */
#include "import.h"
#include "arena.h"
#include "buf.h"
#include "hash.h"
#include "import_internal.h"
#include "method.h"
#include "reftext.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- a set of the ids imported so far -------------------------------- */

/* The slot holding @id, or the empty one where it would go; the set has
 * room (cap > 0). */
static char **id_slot(const struct id_set *set, const char *id)
{
	for (size_t i = hash_str(id) & (set->cap - 1);;
	     i = (i + 1) & (set->cap - 1)) {
		if (!set->slots[i] || !strcmp(set->slots[i], id))
			return &set->slots[i];
	}
}

bool import_id_taken(const struct importer *im, const char *id)
{
	return im->ids.cap && *id_slot(&im->ids, id);
}

static void id_add(struct id_set *set, const char *id)
{
	if (2 * (set->n + 1) > set->cap) {
		struct id_set grown = { NULL, set->cap ? set->cap * 2 : 64, 0 };
		grown.slots = xcalloc(grown.cap, sizeof(*grown.slots));
		for (size_t i = 0; i < set->cap; i++)
			if (set->slots[i])
				*id_slot(&grown, set->slots[i]) = set->slots[i];
		grown.n = set->n;
		free(set->slots);
		*set = grown;
	}
	*id_slot(set, id) = xstrdup(id);
	set->n++;
}

static void id_set_free(struct id_set *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slots[i]);
	free(set->slots);
}

/* ---- one company ----------------------------------------------------- */

static void import_company(struct importer *im, size_t index, const json_t *j)
{
	struct company c = { .im = im, .index = index };
	c.arena = arena_new();
	c.r = arena_alloc(c.arena, sizeof(*c.r));
	snprintf(c.label, sizeof(c.label), "companies[%zu]", index);
	if (!json_is_object(j)) {
		import_fail(&c, DIAG_NOT_MAPPING,
			    "a company must be an object, not %s",
			    import_json_kind(j));
		goto out;
	}
	json_t *id = import_member(j, "id"), *name = import_member(j, "name");
	json_t *shown_as = json_is_string(id) ? id : name;
	if (json_is_string(shown_as))
		snprintf(c.label, sizeof(c.label), "companies[%zu] (%s)", index,
			 import_shown(&c, json_string_value(shown_as)));

	struct record *r = c.r;
	if (!import_company_read(&c, j))
		goto out;

	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s.yaml", im->records_dir, r->id.s);
	r->file = arena_strdup(c.arena, path.data);
	buf_free(&path);
	if (!import_record_write(&c))
		goto out;
	id_add(&im->ids, r->id.s);
	fputs(buf_cstr(&c.notes), im->report);
	if (import_scores_compare(&c))
		im->st.differences++;
	im->st.imported++;
out:
	if (c.bad)
		im->st.skipped++;
	buf_free(&c.notes);
	buf_free(&c.audit_problem);
	arena_free(c.arena);
}

/* ---- the file -------------------------------------------------------- */

static int open_records_dir(struct importer *im)
{
	struct stat st;
	if (stat(im->records_dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		errno = ENOTDIR;
	} else if (errno == ENOENT &&
		   (im->opts->dry_run || mkdir(im->records_dir, 0777) == 0)) {
		return 0;
	}
	diag_add(im->d, DIAG_IO, im->records_dir, 0, 0,
		 "cannot use the records folder: %s", strerror(errno));
	return -1;
}

/* The companies of @root, with the message when it holds none. */
static json_t *companies_of(struct importer *im, json_t *root)
{
	if (json_is_array(root))
		return json_incref(root);
	json_t *list = json_object_get(root, "companies");
	if (!list) {
		json_t *one = json_array();
		json_array_append(one, root);
		return one;
	}
	if (json_is_array(list))
		return json_incref(list);
	diag_add(im->d, DIAG_NOT_MAPPING, im->file, 0, 0,
		 "`companies` must be a list of companies, not %s",
		 import_json_kind(list));
	return NULL;
}

/* The file's own date (`generated`, a date or a timestamp): reviews
 * that give none of their own fall back to it. */
static void read_generated(struct importer *im, const json_t *root)
{
	json_t *v =
		json_is_object(root) ? import_member(root, "generated") : NULL;
	date_days d;
	if (json_is_string(v) &&
	    reftext_date(json_string_value(v), json_string_length(v), &d) ==
		    0 &&
	    d <= im->opts->today)
		im->generated = (struct date_value){ d, true, { 0, 0 } };
	else if (v)
		fprintf(im->report, "the file's `generated` is not a date up "
				    "to today; it is not used\n");
}

/* import_file() when @text is NULL, else import_text() of @text. */
static int import_json(const char *path, const char *text, size_t len,
		       const char *data_dir, const struct import_opts *opts,
		       FILE *report, struct diag *d, struct import_stats *stats)
{
	struct importer im = { .file = path,
			       .data_dir = data_dir,
			       .opts = opts,
			       .m = method_current(),
			       .arena = arena_new(),
			       .report = report,
			       .d = d };
	struct buf records = BUF_INIT;
	buf_printf(&records, "%s/records", data_dir);
	im.records_dir = records.data;
	json_t *root = NULL, *list = NULL;
	int rc = -2;
	if (import_industries_load(&im) != 0 || open_records_dir(&im) != 0)
		goto out;

	rc = -1;
	json_error_t err;
	if (text) {
		root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	} else {
		FILE *f = fopen(path, "rb");
		if (!f) {
			diag_add(d, DIAG_IO, path, 0, 0, "cannot read: %s",
				 strerror(errno));
			goto out;
		}
		root = json_loadf(f, JSON_REJECT_DUPLICATES, &err);
		fclose(f);
	}
	if (!root) {
		diag_add(d, DIAG_YAML_SYNTAX, path,
			 err.line > 0 ? (unsigned)err.line : 0,
			 err.column > 0 ? (unsigned)err.column : 0,
			 "JSON syntax: %s", err.text);
		goto out;
	}
	list = companies_of(&im, root);
	if (!list)
		goto out;
	json_t *version = json_is_object(root)
				  ? json_object_get(root, "methodology_version")
				  : NULL;
	if (json_is_string(version) &&
	    strcmp(json_string_value(version), im.m->version))
		fprintf(report,
			"the file was scored with %s; scores are recomputed "
			"with %s\n",
			json_string_value(version), im.m->version);
	read_generated(&im, root);
	im.st.companies = json_array_size(list);
	for (size_t i = 0; i < im.st.companies; i++)
		import_company(&im, i, json_array_get(list, i));
	import_summary_put(&im);
	rc = 0;
out:
	if (stats)
		*stats = im.st;
	json_decref(list);
	json_decref(root);
	id_set_free(&im.ids);
	buf_free(&records);
	arena_free(im.arena);
	return rc;
}

int import_file(const char *path, const char *data_dir,
		const struct import_opts *opts, FILE *report, struct diag *d,
		struct import_stats *stats)
{
	return import_json(path, NULL, 0, data_dir, opts, report, d, stats);
}

int import_text(const char *name, const char *text, size_t len,
		const char *data_dir, const struct import_opts *opts,
		FILE *report, struct diag *d, struct import_stats *stats)
{
	return import_json(name, text, len, data_dir, opts, report, d, stats);
}

enum import_outcome import_command(const char *file, const char *data_dir,
				   bool force, bool dry_run, bool color,
				   FILE *report)
{
	struct import_opts opts = { force, dry_run, date_today() };
	struct diag *d = diag_new();
	/* Each warning is about one company of the one reference file:
	 * every one is worth reading. */
	diag_show_all(d);
	int rc = import_file(file, data_dir, &opts, report, d, NULL);
	fflush(report);
	if (diag_count(d, DIAG_ERROR) || diag_count(d, DIAG_WARNING))
		diag_print(d, stderr, color);
	enum import_outcome done = IMPORT_DONE;
	if (rc == -2)
		done = IMPORT_NO_DATA;
	else if (rc == -1 || diag_count(d, DIAG_ERROR))
		done = IMPORT_ERRORS;
	diag_free(d);
	return done;
}
