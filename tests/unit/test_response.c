/*
 * test_response.c - what `serve` picks for a request: the encoding from
 * Accept-Encoding, the If-None-Match test, and the writes an address may
 * send.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "ratelimit.h"
#include "response.h"

static void encoding_follows_accept_encoding(void **state)
{
	(void)state;
	/* Too small to compress, no copy beside it: identity only. */
	struct sitefile f = { .path = "/",
			      .type = "text/html",
			      .compressible = true,
			      .size = 100 };
	assert_false(response_may_vary(&f));
	assert_int_equal(response_encoding("br, gzip", &f), SITEFILE_IDENTITY);
	f.size = 5000;
	assert_true(response_may_vary(&f));
	assert_int_equal(response_encoding(NULL, &f), SITEFILE_IDENTITY);
	assert_int_equal(response_encoding("gzip, br", &f), SITEFILE_BROTLI);
	assert_int_equal(response_encoding("br;q=0.5, gzip", &f),
			 SITEFILE_GZIP);
	assert_int_equal(response_encoding("br;q=0, x-gzip", &f),
			 SITEFILE_GZIP);
	assert_int_equal(response_encoding("*", &f), SITEFILE_BROTLI);
	assert_int_equal(response_encoding("identity", &f), SITEFILE_IDENTITY);
	/* Not text: only the copies beside it count. */
	f.compressible = false;
	assert_int_equal(response_encoding("br", &f), SITEFILE_IDENTITY);
	f.siblings = SITEFILE_HAS_GZ;
	assert_true(response_may_vary(&f));
	assert_int_equal(response_encoding("br", &f), SITEFILE_IDENTITY);
	assert_int_equal(response_encoding("br, gzip", &f), SITEFILE_GZIP);
}

static void etags_match_weakly_or_by_star(void **state)
{
	(void)state;
	assert_true(response_etag_matches("\"a1\"", "\"a1\""));
	assert_true(response_etag_matches("W/\"a1\"", "\"a1\""));
	assert_true(response_etag_matches("\"x\", \"a1\"", "\"a1\""));
	assert_true(response_etag_matches("*", "\"a1\""));
	assert_false(response_etag_matches("\"a\"", "\"a1\""));
	assert_false(response_etag_matches("a1", "\"a1\""));
	assert_false(response_etag_matches("\"a1", "\"a1\""));
	assert_true(response_is_api("/api/v1/companies.json"));
	assert_false(response_is_api("/c/api/"));
}

static struct sockaddr_storage address(int family, const char *text)
{
	struct sockaddr_storage sa;
	memset(&sa, 0, sizeof(sa));
	sa.ss_family = (sa_family_t)family;
	if (family == AF_INET)
		inet_pton(AF_INET, text,
			  &((struct sockaddr_in *)(void *)&sa)->sin_addr);
	else
		inet_pton(AF_INET6, text,
			  &((struct sockaddr_in6 *)(void *)&sa)->sin6_addr);
	return sa;
}

static void an_address_gets_its_burst_then_waits(void **state)
{
	(void)state;
	struct ratelimit *rl = ratelimit_new(3);
	struct sockaddr_storage a = address(AF_INET, "192.0.2.1");
	struct sockaddr_storage b = address(AF_INET, "192.0.2.2");
	unsigned retry = 0;
	for (int i = 0; i < 3; i++)
		assert_int_equal(ratelimit_take(rl, &a, &retry), 0);
	assert_int_equal(ratelimit_take(rl, &a, &retry), -1);
	assert_true(retry >= 1 && retry <= 20);
	assert_int_equal(ratelimit_take(rl, &b, &retry), 0);
	ratelimit_free(rl);

	/* An IPv6 client is one /64; no limit lets everything through. */
	rl = ratelimit_new(1);
	struct sockaddr_storage c = address(AF_INET6, "2001:db8::1");
	struct sockaddr_storage d = address(AF_INET6, "2001:db8::2");
	assert_int_equal(ratelimit_take(rl, &c, &retry), 0);
	assert_int_equal(ratelimit_take(rl, &d, &retry), -1);
	ratelimit_free(rl);
	rl = ratelimit_new(0);
	for (int i = 0; i < 100; i++)
		assert_int_equal(ratelimit_take(rl, &a, &retry), 0);
	ratelimit_free(rl);
	unsigned char k1[16], k2[16];
	ratelimit_key(&c, k1);
	ratelimit_key(&d, k2);
	assert_memory_equal(k1, k2, 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(encoding_follows_accept_encoding),
		cmocka_unit_test(etags_match_weakly_or_by_star),
		cmocka_unit_test(an_address_gets_its_burst_then_waits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
