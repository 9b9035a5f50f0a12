/*
 * diag.h - collected diagnostics about user data, printed GCC-style.
 */
#ifndef CANCELATLAS_DIAG_H
#define CANCELATLAS_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "internal.h"
#include "srcpos.h"

enum diag_severity {
	DIAG_ERROR,
	DIAG_WARNING,
};

/*
 * Every diagnostic has a stable code. Errors are E0nn, warnings W1nn; the
 * numbers never change meaning, so docs, tests and scripts can match them.
 * Each code has a golden test in tests/errors/.
 */
enum diag_code {
	/* reading and YAML syntax */
	DIAG_IO = 1,	    /* E001 file cannot be read */
	DIAG_YAML_SYNTAX,   /* E002 YAML syntax error */
	DIAG_BAD_UTF8,	    /* E003 invalid UTF-8 */
	DIAG_TAB,	    /* E004 tab character */
	DIAG_DUPLICATE_KEY, /* E005 key given twice in a mapping */
	DIAG_NOT_MAPPING,   /* E006 wrong node kind */
	DIAG_YAML_FEATURE,  /* E007 anchors, aliases, tags, documents */
	DIAG_EMPTY_FILE,    /* E008 no record in the file */
	/* shape of a record */
	DIAG_MISSING_KEY = 10,	    /* E010 */
	DIAG_UNKNOWN_KEY,	    /* E011 */
	DIAG_BAD_LEVEL,		    /* E012 level not in the rubric */
	DIAG_BAD_TYPE,		    /* E013 not a string/number/boolean */
	DIAG_UNKNOWN_CHANNEL,	    /* E014 */
	DIAG_UNKNOWN_INDUSTRY,	    /* E015 */
	DIAG_UNKNOWN_JURISDICTION,  /* E016 */
	DIAG_BAD_DATE,		    /* E017 not a real calendar date */
	DIAG_FUTURE_DATE,	    /* E018 */
	DIAG_BAD_URL,		    /* E019 not absolute http(s) */
	DIAG_DUPLICATE_ID,	    /* E020 */
	DIAG_ID_MISMATCH,	    /* E021 id differs from the file name */
	DIAG_EVIDENCE_AFTER_REVIEW, /* E022 */
	DIAG_EMPTY_VALUE,	    /* E023 empty text or list */
	DIAG_BAD_ID,		    /* E024 id is not a slug */
	DIAG_BAD_VALUE,	     /* E025 value outside its vocabulary/range */
	DIAG_BAD_HASH,	     /* E026 sha256 is not 64 hex digits */
	DIAG_DUPLICATE_ITEM, /* E027 same channel/industry twice */
	DIAG_BAD_PATH,	     /* E028 evidence file path not relative */
	DIAG_ID_SUFFIX,	     /* E029 id lacks the jurisdiction suffix */
	DIAG_PLACEHOLDER,    /* E030 a TODO left from the skeleton */
	DIAG_BAD_BASE_URL,   /* E031 site.yaml's url is not a site root */
	DIAG_NOT_REGULAR,    /* E032 a link, FIFO, device... not a file */
	DIAG_TOO_LARGE,	     /* E033 a data file over 1 MiB */
	/* warnings */
	DIAG_STALE_REVIEW = 101, /* W101 */
	DIAG_CONTRADICTION,	 /* W102 level contradicts the facts */
	DIAG_MISSING_WHY,	 /* W103 */
	DIAG_NEEDLESS_WHY,	 /* W104 a reason for a level of 100 */
	DIAG_AUDIT_INCONSISTENT, /* W105 audit facts disagree */
	DIAG_NO_SITE,		 /* W106 the data folder has no site.yaml */
	/* import: what a published value became when it could not become
	 * a fact as it stood */
	DIAG_IMPORT_NO_URL = 110, /* W110 a source cited by the official page */
	DIAG_IMPORT_LEFT_OUT,	  /* W111 a value left out */
	DIAG_IMPORT_INFERRED,	  /* W112 a value read, repaired or inferred */
};

struct diag;

/**
 * diag_new() - an empty collection of diagnostics.
 *
 * Returns: a new collection; release with diag_free().
 */
struct diag *diag_new(void);

/**
 * diag_show_all() - keep and print every entry of @d. By default a file
 * shows its first 20 entries (by position) and a line counting the rest,
 * since hostile data can hold millions; the counts always cover all.
 */
void diag_show_all(struct diag *d);

/* diag_free() - release @d and every message in it; accepts NULL. */
void diag_free(struct diag *d);

/**
 * diag_add() - record one problem and keep going.
 * @d: the collection.
 * @code: the stable code; its severity follows from it.
 * @file: the file the problem is in (copied).
 * @line: 1-based line, or 0 when the problem concerns the whole file.
 * @col: 1-based column in characters, or 0.
 * @fmt: printf-style message, without the position or code.
 */
void diag_add(struct diag *d, enum diag_code code, const char *file,
	      unsigned line, unsigned col, const char *fmt, ...)
	ATLAS_PRINTF(6, 7);

/* diag_at() - diag_add() at a struct src_pos. */
#define diag_at(d, code, file, pos, ...)                                       \
	diag_add((d), (code), (file), (pos).line, (pos).col, __VA_ARGS__)

/* diag_merge() - move every entry of @from into @into; @from is emptied. */
void diag_merge(struct diag *into, struct diag *from);

/* diag_count() - how many entries of @severity have been added. */
size_t diag_count(const struct diag *d, enum diag_severity severity);

/* diag_files() - how many distinct files have at least one entry. */
size_t diag_files(const struct diag *d);

/**
 * diag_print() - sort the entries by file, line and column and print them,
 * each followed by its source line and a caret under the column. A file
 * whose entries were not all kept ends with a line saying how many more
 * there were ("x.yaml: 99,980 more diagnostics not shown").
 * @out: where to print (stderr for the CLI).
 * @color: wrap severities and carets in ANSI colours.
 */
void diag_print(struct diag *d, FILE *out, bool color);

/* diag_code_str() - "E012", "W101"; a static string. */
const char *diag_code_str(enum diag_code code);

/* diag_code_severity() - the severity a code always has. */
enum diag_severity diag_code_severity(enum diag_code code);

/* diag_code_summary() - one line describing what the code means. */
const char *diag_code_summary(enum diag_code code);

/**
 * diag_suggest() - the name in @names closest to a misspelt @word, for a
 * "did you mean" hint (at most two edits away).
 *
 * Returns: one of @names (borrowed), or NULL when none is close.
 */
const char *diag_suggest(const char *word, const char *const *names, size_t n);

/**
 * diag_code_at() - the @i-th defined code, for listing them all.
 *
 * Returns: the code, or 0 when @i is past the last one.
 */
enum diag_code diag_code_at(size_t i);

#endif
