/*
 * test_route.c - the request router: the write API, its status
 * resources, a submission's status page, and everything else a file of
 * the site, with the near misses that must stay files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "route.h"

static void write_api_and_status_resources(void **state)
{
	(void)state;
	assert_int_equal(route_parse("/api/v1/corrections"), ROUTE_CORRECTIONS);
	assert_int_equal(route_parse("/api/v1/audits"), ROUTE_AUDITS);
	assert_int_equal(route_parse("/api/v1/corrections/c-1a2b"),
			 ROUTE_CORRECTION_STATUS);
	assert_int_equal(route_parse("/api/v1/audits/a-1a2b"),
			 ROUTE_AUDIT_STATUS);
	assert_int_equal(route_parse("/corrections/status/c-1a2b"),
			 ROUTE_STATUS_PAGE);
	assert_int_equal(route_parse("/corrections/status/c-1a2b/"),
			 ROUTE_STATUS_PAGE);
}

static void near_misses_are_files(void **state)
{
	(void)state;
	static const char *const files[] = {
		"/",
		"/index.html",
		"/api/v1/companies.json",
		"/api/v1/corrections/", /* no id */
		"/api/v1/corrections/c-1/more",
		"/api/v1/correctionsx",
		"/api/v1/audits/",
		"/api/v1/audits/a-1/",
		"/api/v1/auditsx/a-1",
		"/corrections/status/",
		"/corrections/status/c-1/x",
		"/corrections/status/c-1//",
		"/corrections/statusx/c-1",
		"/corrections/",
		"",
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		assert_int_equal(route_parse(files[i]), ROUTE_STATIC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(write_api_and_status_resources),
		cmocka_unit_test(near_misses_are_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
