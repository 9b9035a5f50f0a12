/*
 * test_record_field.c - the table of the record format holds together:
 * each block's rows stand together and fit the loader, names are unique
 * in a block, every block a field opens has rows, every keyword field is
 * read by a flow dimension, and a field is found by its name and by its
 * member.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "method.h"
#include "record_field.h"

static void test_blocks_stand_together(void **state)
{
	(void)state;
	size_t n, total = 0;
	const struct record_field *all = record_fields_all(&n);
	for (unsigned b = 0; b < RECORD_BLOCK_COUNT; b++) {
		size_t count;
		const struct record_field *f = record_fields_in(b, &count);
		assert_true(count > 0);
		assert_true(count <= RECORD_FIELDS_PER_BLOCK);
		total += count;
		for (size_t i = 0; i < count; i++) {
			assert_int_equal(f[i].block, b);
			for (size_t j = 0; j < i; j++)
				assert_string_not_equal(f[i].name, f[j].name);
		}
	}
	/* No row outside its block's run. */
	assert_int_equal(total, n);
	assert_int_equal(all[0].block, RECORD_BLOCK_RECORD);
}

static void test_fields_open_blocks(void **state)
{
	(void)state;
	size_t n;
	const struct record_field *f = record_fields_all(&n);
	const struct method *m = method_current();
	for (size_t i = 0; i < n; i++) {
		if (f[i].type == RECORD_FIELD_MAPPING ||
		    f[i].type == RECORD_FIELD_LIST) {
			assert_true(f[i].holds != f[i].block);
			assert_true(f[i].holds < RECORD_BLOCK_COUNT);
		}
		if (f[i].type == RECORD_FIELD_LIST)
			assert_true(f[i].item_size > 0 && f[i].count > 0);
		if (f[i].type == RECORD_FIELD_NUMBER)
			assert_true(f[i].min < f[i].max);
		if (f[i].check == RECORD_CHECK_KEYWORD)
			assert_non_null(record_field_scored_by(m, f[i].name));
	}
}

static void test_found_by_name_and_member(void **state)
{
	(void)state;
	const struct record_field *f =
		record_field_find(RECORD_BLOCK_AUDIT, "clean_exit");
	assert_non_null(f);
	assert_int_equal(f->type, RECORD_FIELD_BOOL);
	assert_ptr_equal(record_field_at(RECORD_BLOCK_AUDIT,
					 offsetof(struct audit, clean_exit)),
			 f);
	assert_string_equal(RECORD_FIELD_NAME(RECORD_BLOCK_RECORD,
					      struct record, official_page),
			    "official_page");
	assert_null(record_field_find(RECORD_BLOCK_AUDIT, "cleanexit"));
	assert_null(record_field_find(RECORD_BLOCK_RECORD, "clean_exit"));
	/* `note` is a key of two blocks, each with its own member. */
	assert_int_equal(record_field_find(RECORD_BLOCK_PAUSE, "note")->off,
			 offsetof(struct record, pause_note));
	assert_int_equal(record_field_find(RECORD_BLOCK_DELETION, "note")->off,
			 offsetof(struct record, deletion_note));
}

static void test_present_and_where(void **state)
{
	(void)state;
	struct record r;
	memset(&r, 0, sizeof(r));
	const struct record_field *why =
		record_field_find(RECORD_BLOCK_RECORD, "why");
	const struct record_field *pause =
		record_field_find(RECORD_BLOCK_RECORD, "pause");
	assert_false(record_field_present(why, &r));
	assert_false(record_field_present(pause, &r));
	assert_int_equal(record_field_pos(why, &r).line, 0);

	/* An empty `why:` is where its key is. */
	r.why_pos = (struct src_pos){ 20, 1 };
	assert_int_equal(record_field_pos(why, &r).line, 20);
	/* A reason is where the reasons are. */
	r.why[1] = (struct text){ "Not linked.", 11, { 22, 16 } };
	assert_true(record_field_present(why, &r));
	assert_int_equal(record_field_pos(why, &r).line, 22);

	r.pause_note = (struct text){ "None.", 5, { 11, 9 } };
	assert_true(record_field_present(pause, &r));
	assert_int_equal(record_field_pos(pause, &r).line, 11);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blocks_stand_together),
		cmocka_unit_test(test_fields_open_blocks),
		cmocka_unit_test(test_found_by_name_and_member),
		cmocka_unit_test(test_present_and_where),
	};
	return cmocka_run_group_tests_name("record_field", tests, NULL, NULL);
}
