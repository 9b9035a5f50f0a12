/*
 * test_review.c - what an editor is told when a correction is accepted:
 * the record file and the line of the field to change, also for a field
 * the file holds without a value (an empty `why:`), and "not in the file
 * yet" only for a field that is not there.
 */
#define _GNU_SOURCE /* open_memstream */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "fixture.h"
#include "review.h"
#include "store.h"

/* A record at 100 but for findability, whose reason `why` may give. */
#define RECORD_HEAD                                                            \
	"name: Acme Stream\n"                                                  \
	"industry: Streaming\n"                                                \
	"jurisdiction: US\n"                                                   \
	"reviewed: 2026-06-01\n"                                               \
	"channels: [online]\n"                                                 \
	"summary: Cancelled online under Account.\n"                           \
	"official_page: https://example.com/acme/help/cancel\n"                \
	"pause:\n"                                                             \
	"  offered: false\n"                                                   \
	"  note: No pause is offered.\n"                                       \
	"deletion:\n"                                                          \
	"  note: By email to the privacy team.\n"                              \
	"policy:\n"                                                            \
	"  cancel_url: 100\n"                                                  \
	"  channel_disclosed: 100\n"                                           \
	"  notice_disclosed: 100\n"                                            \
	"  refund_disclosed: 100\n"                                            \
	"  findability: 85\n"
#define RECORD_TAIL                                                            \
	"evidence:\n"                                                          \
	"  - title: How to cancel | Acme\n"                                    \
	"    url: https://example.com/acme/help/cancel\n"                      \
	"    accessed: 2026-06-01\n"

struct fixture {
	char *dir;
	char *data;
	char *db;
};

static struct fixture fx;

/* Writes @text to data/@rel in the scratch folder. */
static void write_data(const char *rel, const char *text)
{
	char *path = fixture_path("data", rel);
	fixture_write_file(fx.dir, path, text, strlen(text));
	free(path);
}

static int setup(void **state)
{
	(void)state;
	fx.dir = fixture_dir_new("review");
	fx.data = fixture_path(fx.dir, "data");
	fx.db = fixture_path(fx.dir, "queue.db");
	write_data("industries.yaml", "- name: Streaming\n  slug: streaming\n");
	/* `why:` is there, with no reason in it yet. */
	write_data("records/acme.yaml",
		   "id: acme\n" RECORD_HEAD "why:\n" RECORD_TAIL);
	write_data(
		"records/acme-reasons.yaml",
		"id: acme-reasons\n" RECORD_HEAD "why:\n"
		"  findability: The cancel page is not linked.\n" RECORD_TAIL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(fx.data);
	free(fx.db);
	fixture_dir_remove(fx.dir);
	return 0;
}

/* Sends a correction of @field of @record and accepts it; returns what
 * the editor is told (caller frees). */
static char *accept_correction(const char *record, const char *field)
{
	struct buf err = BUF_INIT;
	struct store *s = store_open(fx.db, STORE_CREATE, 0, &err);
	assert_non_null(s);
	struct submit_correction c = { record,
				       field,
				       "It is wrong.",
				       "It should read so.",
				       "https://example.com/acme/terms",
				       NULL };
	char tracking[STORE_TRACKING_SIZE];
	assert_int_equal(
		store_correction_insert(s, &c, time(NULL), tracking, &err), 0);
	store_close(s);
	buf_free(&err);

	char *out = NULL, *problems = NULL;
	size_t len = 0, plen = 0;
	FILE *o = open_memstream(&out, &len);
	FILE *e = open_memstream(&problems, &plen);
	struct review_ctx ctx = { fx.db, fx.data, o, e };
	assert_int_equal(review_decide(&ctx, STORE_CORRECTION, tracking,
				       STORE_ACCEPTED, "Checked."),
			 0);
	fclose(o);
	fclose(e);
	assert_string_equal(problems, "");
	free(problems);
	return out;
}

/* The line "  DATA/records/ID.yaml:LINE: field `FIELD`" or, with LINE 0,
 * the line without one. */
static void assert_told(const char *out, const char *id, unsigned line,
			const char *field, const char *more)
{
	char want[320];
	if (line)
		snprintf(want, sizeof(want),
			 "\n  %s/records/%s.yaml:%u: field `%s`%s\n", fx.data,
			 id, line, field, more);
	else
		snprintf(want, sizeof(want),
			 "\n  %s/records/%s.yaml: field `%s`%s\n", fx.data, id,
			 field, more);
	if (!strstr(out, want))
		fail_msg("wanted%sgot:\n%s", want, out);
}

static void test_why_without_reasons(void **state)
{
	(void)state;
	char *out = accept_correction("acme", "why");
	/* `why:` is line 20 of the file: the block to add the reason to. */
	assert_told(out, "acme", 20, "why", "");
	assert_null(strstr(out, "not in the file yet"));
	free(out);
}

static void test_why_with_reasons(void **state)
{
	(void)state;
	char *out = accept_correction("acme-reasons", "why");
	/* The line of the first reason. */
	assert_told(out, "acme-reasons", 21, "why", "");
	free(out);
}

static void test_levels_and_texts(void **state)
{
	(void)state;
	char *out = accept_correction("acme", "findability");
	assert_told(out, "acme", 19, "findability", "");
	free(out);
	out = accept_correction("acme", "summary");
	assert_told(out, "acme", 7, "summary", "");
	free(out);
	out = accept_correction("acme", "pause");
	assert_told(out, "acme", 10, "pause", "");
	free(out);
}

static void test_field_not_in_file(void **state)
{
	(void)state;
	char *out = accept_correction("acme", "refund_page");
	assert_told(out, "acme", 0, "refund_page",
		    " (not in the file yet: add it)");
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_why_without_reasons),
		cmocka_unit_test(test_why_with_reasons),
		cmocka_unit_test(test_levels_and_texts),
		cmocka_unit_test(test_field_not_in_file),
	};
	return cmocka_run_group_tests_name("review", tests, setup, teardown);
}
