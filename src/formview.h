/*
 * formview.h - the values of the pages people take part through: the
 * correction and audit forms (empty, or sent back with what was typed
 * and every problem beside its field) and a submission's status page.
 */
#ifndef CANCELATLAS_FORMVIEW_H
#define CANCELATLAS_FORMVIEW_H

#include "arena.h"
#include "mustache.h"
#include "store.h"
#include "submit.h"

enum formview_kind {
	FORMVIEW_CORRECTION,
	FORMVIEW_AUDIT,
};

/**
 * formview_form() - a form as its page shows it (the `form` value of the
 * correction-form and audit-form templates): its fields with labels,
 * hints and choices, and, for a refused submission, the values sent, each
 * problem beside its field and a summary that links to them.
 * @kind: which form.
 * @pairs: the fields as sent (submit_form_fields()), or NULL.
 * @n: how many.
 * @errs: the problems found, or NULL.
 * @message: a problem of the submission as a whole (too many from one
 *           address, too large, not stored), or NULL.
 *
 * Returns: a value tree from @a; strings borrow from @pairs and @errs,
 * which must outlive it.
 */
struct mst_value *formview_form(struct arena *a, enum formview_kind kind,
				const struct submit_pair *pairs, size_t n,
				const struct submit_errors *errs,
				const char *message);

/**
 * formview_status() - the public status of one submission (the
 * `submission` value of its page): tracking id, kind, record, field,
 * status, dates, reason and the address of the same as JSON. There is no
 * email and no submitted text in a store_public, so none here either.
 *
 * Returns: a value tree from @a; strings borrow from @p.
 */
struct mst_value *formview_status(struct arena *a,
				  const struct store_public *p);

#endif
