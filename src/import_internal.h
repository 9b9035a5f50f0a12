/*
 * import_internal.h - what the files of the importer share: the state of
 * one import and of one company, and the functions each file gives the
 * others. Not for use outside import*.c; import.h is the interface.
 *
 *	import.c           the driver: the file, each company in turn
 *	import_field.c     a company's JSON values read, with diagnostics
 *	import_map.c       a company's fields mapped to a struct record
 *	import_industry.c  industry spellings matched to industries.yaml
 *	import_audit.c     flow audits
 *	import_write.c     record files, industries.yaml and the report
 */
#ifndef CANCELATLAS_IMPORT_INTERNAL_H
#define CANCELATLAS_IMPORT_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "arena.h"
#include "buf.h"
#include "date.h"
#include "diag.h"
#include "import.h"
#include "internal.h"
#include "method.h"
#include "record.h"
#include "yaml_load.h"

/* A set of the ids imported so far. */
struct id_set {
	char **slots; /* open addressing; NULL is an empty slot */
	size_t cap, n;
};

struct importer {
	const char *file; /* the JSON file, for diagnostics */
	const char *data_dir;
	const char *records_dir;
	const struct import_opts *opts;
	const struct method *m;
	struct arena *arena; /* the industries, kept for the whole import */
	struct industry *industries;
	size_t nindustries, capindustries;
	struct date_value generated; /* the file's date, when it gives one */
	const char *industries_text; /* industries.yaml as it was read */
	FILE *report;
	struct diag *d;
	struct id_set ids;
	struct import_stats st;
};

struct company {
	struct importer *im;
	size_t index;
	char label[160]; /* "companies[3] (acme)" */
	struct arena *arena;
	struct record *r;
	struct buf notes; /* report lines, printed once it is imported */
	int stated_score, stated_flow_score;
	char stated_grade, stated_flow_grade;
	bool bad;
	/* While an audit is read, its first problem: the audit is then left
	 * out with a warning, and the company is still imported. */
	bool in_audit;
	struct buf audit_problem;
};

/* ---- import.c -------------------------------------------------------- */

/* Whether an earlier company of this import was written as @id. */
bool import_id_taken(const struct importer *im, const char *id);

/* ---- import_field.c -------------------------------------------------- */

/* User text as a message can show it: hidden characters made visible,
 * long text cut. Returns a string owned by @c's arena. */
const char *import_shown(struct company *c, const char *s);

/* An error about the company: it will be skipped. Inside an audit, the
 * audit alone is left out (see import_flow_read()). */
void import_fail(struct company *c, enum diag_code code, const char *fmt, ...)
	ATLAS_PRINTF(3, 4);

/* A warning about the company: a published value that could not become a
 * fact as it stands, and what was recorded instead. The record is still
 * written. */
void import_warn(struct company *c, enum diag_code code, const char *fmt, ...)
	ATLAS_PRINTF(3, 4);

/* A line for the report: something read as something else. */
void import_note(struct company *c, const char *fmt, ...) ATLAS_PRINTF(2, 3);

/* "an object", "a list", ... for messages. */
const char *import_json_kind(const json_t *v);

/* @o's member @key; NULL when it is absent or null. Borrowed from @o. */
json_t *import_member(const json_t *o, const char *key);

/* A value of the wrong type (@want: "a list"), left out of the record. */
void import_left_out(struct company *c, const char *what, const json_t *v,
		     const char *want);

/* @len bytes of @s trimmed, control characters made U+FFFD; the text is
 * owned by @c's arena. */
struct text import_make_text(struct company *c, const char *s, size_t len);
struct text import_const_text(struct company *c, const char *s);
/* As import_make_text() of the text printf() makes of @fmt. */
struct text import_format_text(struct company *c, const char *fmt, ...)
	ATLAS_PRINTF(2, 3);

/*
 * A text member: trimmed of surrounding white space. @what names it in
 * messages ("policy.policy_url"). Returns false, with an error when
 * @required, if it is absent, not a string or empty.
 */
bool import_get_text(struct company *c, const json_t *o, const char *key,
		     const char *what, bool required, struct text *out);

/* As import_get_text() for a value that may be absent: a value of another
 * type is left out with a warning instead of failing the company. */
bool import_get_optional_text(struct company *c, const json_t *o,
			      const char *key, const char *what,
			      struct text *out);

/* A true/false member; false, with an error when @required, if it is
 * absent or of another type. */
bool import_get_flag(struct company *c, const json_t *o, const char *key,
		     const char *what, bool required, struct flag *out);

/* An optional true/false: another type is left out with a warning. */
bool import_get_optional_flag(struct company *c, const json_t *o,
			      const char *key, const char *what,
			      struct flag *out);

/* A required number; false, with an error, if it is absent or not one. */
bool import_get_number(struct company *c, const json_t *o, const char *key,
		       const char *what, struct number *out);

/*
 * A URL from @s, repaired where that is certain (reftext_url()), with a
 * warning naming the repair. Returns false, saying nothing, when @s names
 * no web page: the caller decides what that means.
 */
bool import_read_url(struct company *c, const char *s, const char *what,
		     struct text *out);

/* A date in YYYY-MM-DD (or a timestamp) that is real and not after
 * today; false, with @why set, when it is not one. */
bool import_parse_date(struct company *c, const char *s, size_t len,
		       struct date_value *out, const char **why);

/* ---- import_map.c ---------------------------------------------------- */

/*
 * Read company @j into @c->r, field by field. Returns false when no
 * record can be made of it (@c->bad, the reasons are errors in the
 * diagnostics).
 */
bool import_company_read(struct company *c, const json_t *j);

/* A stated score and grade (@tier "policy" or "flow"), kept to compare
 * with ours: -1 and 0 when not stated. */
void import_read_stated(struct company *c, const json_t *o, const char *tier,
			int *score, char *grade);

/* ---- import_industry.c ----------------------------------------------- */

/* DATA/industries.yaml into @im's list (kept as written too, for
 * import_industries_write()). Returns 0, or -1 with the reason in @im->d. */
int import_industries_load(struct importer *im);

/* The company's industry: a listed one it names, else a new one added. */
void import_industry_read(struct company *c, const json_t *j);

/* ---- import_audit.c -------------------------------------------------- */

/* The company's flow audits, each with a problem left out with a
 * warning, and the stated flow score. */
void import_flow_read(struct company *c, const json_t *j);

/* ---- import_write.c -------------------------------------------------- */

/*
 * Write @c's record to RECORDS/ID.yaml through a temporary file that is
 * checked as `check` would first (with a dry run, only check it).
 * Returns true when it is written; else the reason is an error.
 */
bool import_record_write(struct company *c);

/* DATA/industries.yaml as it was read, with the industries this import
 * added after it, replaced atomically. Returns 0, or -1. */
int import_industries_write(struct importer *im);

/* Report where the file's scores differ from ours; true if they do. */
bool import_scores_compare(struct company *c);

/* The last lines of the report: the count, the warnings by kind and the
 * industries added. */
void import_summary_put(const struct importer *im);

#endif
