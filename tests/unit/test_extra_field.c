/*
 * test_extra_field.c - adding a field to the record format is one row of
 * src/record_field.c.
 *
 * This program and the library it links are built with
 * RECORD_TEST_EXTRA_FIELD (see the Makefile), which adds one row, an
 * optional true/false `witnessed` of an audit, and the member that keeps
 * it. Nothing else names the field, yet the loader reads it and refuses a
 * wrong value, the writer writes it back, the JSON Schema describes it and
 * the write API takes it.
 */
#define _GNU_SOURCE /* open_memstream */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "method.h"
#include "schema.h"
#include "record_field.h"
#include "record_yaml.h"
#include "siteinfo.h"
#include "submit.h"
#include "yaml_load.h"

#include "fixtures/arena_diag.h"

#ifndef RECORD_TEST_EXTRA_FIELD
#error "build with -DRECORD_TEST_EXTRA_FIELD, as the Makefile does"
#endif

#define FIELD "witnessed"

/* A record with one audit; @extra is the audit's last line. */
static const char record_head[] =
	"id: acme\n"
	"name: Acme\n"
	"industry: Streaming\n"
	"jurisdiction: US\n"
	"reviewed: 2026-06-01\n"
	"channels: [online]\n"
	"summary: Cancelled online under Account.\n"
	"official_page: https://example.com/acme/help/cancel\n"
	"pause:\n"
	"  offered: false\n"
	"  note: No pause is offered.\n"
	"deletion:\n"
	"  note: By email to the privacy team.\n"
	"policy:\n"
	"  cancel_url: 100\n"
	"  channel_disclosed: 100\n"
	"  notice_disclosed: 100\n"
	"  refund_disclosed: 100\n"
	"  findability: 85\n"
	"why:\n"
	"  findability: The cancel page is not linked.\n"
	"evidence:\n"
	"  - title: How to cancel | Acme\n"
	"    url: https://example.com/acme/help/cancel\n"
	"    accessed: 2026-06-01\n"
	"flow:\n"
	"  - date: 2026-06-02\n"
	"    tier: editor_verified\n"
	"    signup_channel: online\n"
	"    online_path: true\n"
	"    steps: 2\n"
	"    retention: none\n"
	"    channel_symmetry: true\n"
	"    confirmation: immediate\n"
	"    minutes: 1.5\n"
	"    clean_exit: true\n"
	"    evidence:\n"
	"      - title: Screen recording\n"
	"        file: audits/acme/2026-06-02.webm\n"
	"        sha256: "
	"0f3c5d8e9a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5\n";

static struct record *load(struct fixture *f, const char *extra)
{
	char text[4096];
	snprintf(text, sizeof(text), "%s%s", record_head, extra);
	return yaml_load_record("acme.yaml", text, strlen(text), f->arena,
				f->d);
}

static void test_the_row_is_there(void **state)
{
	(void)state;
	const struct record_field *f =
		record_field_find(RECORD_BLOCK_AUDIT, FIELD);
	assert_non_null(f);
	assert_int_equal(f->type, RECORD_FIELD_BOOL);
	assert_false(f->required);
	assert_ptr_equal(record_field_at(RECORD_BLOCK_AUDIT,
					 offsetof(struct audit, witnessed)),
			 f);
}

static void test_loader_reads_it(void **state)
{
	struct fixture *f = *state;
	struct record *r = load(f, "    " FIELD ": true\n");
	assert_non_null(r);
	assert_int_equal(diag_count(f->d, DIAG_ERROR), 0);
	assert_int_equal(diag_count(f->d, DIAG_WARNING), 0);
	assert_int_equal(r->nflow, 1);
	assert_true(r->flow[0].witnessed.set);
	assert_true(r->flow[0].witnessed.v);
	assert_int_equal(r->flow[0].witnessed.pos.line, 41);

	/* Absent, as it is optional: no problem, and not set. */
	r = load(f, "");
	assert_int_equal(diag_count(f->d, DIAG_ERROR), 0);
	assert_false(r->flow[0].witnessed.set);
}

static void test_loader_refuses_a_wrong_type(void **state)
{
	struct fixture *f = *state;
	load(f, "    " FIELD ": perhaps\n");
	assert_int_equal(diag_count(f->d, DIAG_ERROR), 1);
	char *out = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&out, &len);
	diag_print(f->d, mem, false);
	fclose(mem);
	assert_non_null(strstr(out, "acme.yaml:41:16: error[E013]: `" FIELD
				    "` must be true or false (got `perhaps`)"));
	free(out);
}

static void test_writer_round_trip(void **state)
{
	struct fixture *f = *state;
	struct record *r = load(f, "    " FIELD ": false\n");
	struct buf out = BUF_INIT, again = BUF_INIT;
	assert_true(record_yaml_write(&out, r));
	assert_non_null(strstr(buf_cstr(&out), "\n    " FIELD ": false\n"));
	struct record *back = yaml_load_record("acme.yaml", out.data, out.len,
					       f->arena, f->d);
	assert_int_equal(diag_count(f->d, DIAG_ERROR), 0);
	assert_true(back->flow[0].witnessed.set);
	assert_false(back->flow[0].witnessed.v);
	assert_true(record_yaml_write(&again, back));
	assert_string_equal(buf_cstr(&again), buf_cstr(&out));
	buf_free(&again);
	buf_free(&out);
}

static void test_schema_describes_it(void **state)
{
	(void)state;
	static const struct site_info site = {
		.name = { "Atlas", 5, { 1, 1 } },
		.url = { "https://atlas.example.org", 25, { 1, 1 } },
		.license_name = { "CC0 1.0", 7, { 1, 1 } },
	};
	json_t *schema = schema_json(&site, method_current(), NULL);
	json_t *audit = json_object_get(
		json_object_get(
			json_object_get(
				json_object_get(
					json_object_get(
						json_object_get(schema,
								"$defs"),
						"flow"),
					"properties"),
				"all_audits"),
			"items"),
		"properties");
	assert_non_null(audit);
	json_t *field = json_object_get(audit, FIELD);
	assert_non_null(field);
	/* Optional: true, false or null. */
	json_t *types = json_object_get(field, "anyOf");
	assert_int_equal(json_array_size(types), 2);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(types, 1), "type")),
			    "boolean");
	json_decref(schema);
}

static bool every_record(void *user, const char *id)
{
	(void)user;
	(void)id;
	return true;
}

static void test_write_api_takes_it(void **state)
{
	struct fixture *f = *state;
	static const char audit[] =
		"{\"record\": \"acme\", \"email\": \"a@example.com\", "
		"\"date\": \"2026-06-02\", \"signup_channel\": \"online\", "
		"\"online_path\": true, \"steps\": 2, \"retention\": "
		"\"none\", \"channel_symmetry\": true, \"confirmation\": "
		"\"immediate\", \"minutes\": 1.5, \"clean_exit\": true, "
		"\"evidence\": [{\"title\": \"Recording\", \"url\": "
		"\"https://example.com/r.webm\"}], \"%s\": true}";
	struct submit_rules rules = { every_record, NULL,
				      date_from_ymd(2026, 7, 1) };
	struct submit_audit out;
	struct submit_errors errs;
	char body[1024];
	snprintf(body, sizeof(body), audit, FIELD);
	int rc = submit_audit_parse(body, strlen(body), SUBMIT_JSON, &rules,
				    f->arena, &out, &errs);
	if (rc)
		fail_msg("%s", errs.v[0].message);

	/* A key the table does not have is still refused. */
	snprintf(body, sizeof(body), audit, "unwitnessed");
	assert_int_equal(submit_audit_parse(body, strlen(body), SUBMIT_JSON,
					    &rules, f->arena, &out, &errs),
			 -1);
	assert_non_null(strstr(errs.v[0].message, "unknown field"));

	static const char form[] =
		"record=acme&email=a%40example.com&date=2026-06-02&"
		"signup_channel=online&online_path=true&steps=2&retention=none&"
		"channel_symmetry=true&confirmation=immediate&minutes=1.5&"
		"clean_exit=true&evidence_title_1=Recording&"
		"evidence_url_1=https%3A%2F%2Fexample.com%2Fr.webm&" FIELD
		"=true";
	rc = submit_audit_parse(form, strlen(form), SUBMIT_FORM, &rules,
				f->arena, &out, &errs);
	if (rc)
		fail_msg("%s", errs.v[0].message);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_row_is_there),
		cmocka_unit_test_setup_teardown(test_loader_reads_it, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_loader_refuses_a_wrong_type, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writer_round_trip, setup,
						teardown),
		cmocka_unit_test(test_schema_describes_it),
		cmocka_unit_test_setup_teardown(test_write_api_takes_it, setup,
						teardown),
	};
	return cmocka_run_group_tests_name("extra field", tests, NULL, NULL);
}
