/*
 * histprint.h - a record's history as text for people and JSON for
 * programs (`cancelatlas history`).
 */
#ifndef CANCELATLAS_HISTPRINT_H
#define CANCELATLAS_HISTPRINT_H

#include <jansson.h>
#include <stdio.h>

#include "history.h"
#include "method.h"

/**
 * histprint_text() - print @r's versions, newest first: date, short
 * commit id and note, the scores, then each change on its own line; a
 * skipped version says why it was skipped.
 */
void histprint_text(FILE *out, const struct method *m,
		    const struct history_record *r);

/**
 * histprint_json() - @r as JSON: {id, methodology, versions: [{date,
 * commit, commit_id, note, path, methodology, score, grade, levels{},
 * flow: {score, grade, levels{}} or null, changes: [{kind, field, from,
 * to, text}]}]}; a version that did not load has "skipped" (why) in place
 * of its scores. @unavailable, when not NULL, is said as
 * "history_unavailable".
 *
 * Returns: a new JSON object; caller releases it with json_decref().
 */
json_t *histprint_json(const struct method *m, const struct history_record *r,
		       const char *unavailable);

#endif
