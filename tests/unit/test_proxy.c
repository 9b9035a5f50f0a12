/*
 * test_proxy.c - the proxies `serve --trust-proxy` names, and the client
 * read from X-Forwarded-For behind them: forged left parts, chains of
 * proxies, malformed items, IPv6 and mapped addresses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "buf.h"
#include "proxy.h"

/* @text (IPv4 or IPv6) as a socket address, port 443. */
static struct sockaddr_storage sa(const char *text)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	struct sockaddr_in *in = (void *)&ss;
	struct sockaddr_in6 *in6 = (void *)&ss;
	if (inet_pton(AF_INET, text, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons(443);
	} else {
		assert_int_equal(inet_pton(AF_INET6, text, &in6->sin6_addr), 1);
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(443);
	}
	return ss;
}

static struct proxy_list *list_of(const char *spec)
{
	struct proxy_list *pl = proxy_list_new();
	struct buf err = BUF_INIT;
	assert_int_equal(proxy_list_add(pl, spec, &err), 0);
	assert_int_equal(err.len, 0);
	buf_free(&err);
	return pl;
}

static bool trusted(const struct proxy_list *pl, const char *addr)
{
	struct sockaddr_storage s = sa(addr);
	return proxy_list_trusts(pl, &s);
}

static void test_list_parse(void **state)
{
	(void)state;
	struct proxy_list *pl = list_of("127.0.0.1");
	assert_int_equal(proxy_list_count(pl), 1);
	struct buf err = BUF_INIT;
	assert_int_equal(
		proxy_list_add(pl, " 10.0.0.0/8 ,::1,\tfd00::/8", &err), 0);
	assert_int_equal(proxy_list_count(pl), 4);
	static const struct {
		const char *spec, *why;
	} bad[] = {
		{ "", "'' has an empty address" },
		{ "1.2.3.4,", "'1.2.3.4,' has an empty address" },
		{ "1.2.3.4,,5.6.7.8",
		  "'1.2.3.4,,5.6.7.8' has an empty address" },
		{ "localhost",
		  "'localhost' is not an IPv4 or IPv6 address or prefix" },
		{ "1.2.3", "'1.2.3' is not an IPv4 or IPv6 address or prefix" },
		{ "1.2.3.4:80",
		  "'1.2.3.4:80' is not an IPv4 or IPv6 address or prefix" },
		{ "[::1]", "'[::1]' is not an IPv4 or IPv6 address or prefix" },
		{ "10.0.0.1/8",
		  "'10.0.0.1/8' has bits set past its /8 (the prefix is "
		  "10.0.0.0/8)" },
		{ "2001:db8::1/32",
		  "'2001:db8::1/32' has bits set past its /32 (the prefix is "
		  "2001:db8::/32)" },
		{ "10.0.0.0/33",
		  "'10.0.0.0/33': the prefix length must be 0 to 32" },
		{ "::/129", "'::/129': the prefix length must be 0 to 128" },
		{ "10.0.0.0/",
		  "'10.0.0.0/': the prefix length must be 0 to 32" },
		{ "10.0.0.0/8x",
		  "'10.0.0.0/8x': the prefix length must be 0 to 32" },
		{ "10.0.0.0/-8",
		  "'10.0.0.0/-8': the prefix length must be 0 to 32" },
		{ "::ffff:10.0.0.0/104",
		  "'::ffff:10.0.0.0/104': write an IPv4 prefix as a.b.c.d/N" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		buf_reset(&err);
		assert_int_equal(proxy_list_add(pl, bad[i].spec, &err), -1);
		assert_string_equal(buf_cstr(&err), bad[i].why);
		/* Nothing of a refused spec is kept, not even its good
		 * part. */
		assert_int_equal(proxy_list_count(pl), 4);
	}
	buf_free(&err);
	proxy_list_free(pl);
	proxy_list_free(NULL);
	assert_int_equal(proxy_list_count(NULL), 0);
}

static void test_trusts(void **state)
{
	(void)state;
	struct proxy_list *pl =
		list_of("127.0.0.1,172.16.0.0/12,2001:db8:1::/48,::1");
	assert_true(trusted(pl, "127.0.0.1"));
	assert_false(trusted(pl, "127.0.0.2"));
	/* A prefix that does not end on a byte. */
	assert_true(trusted(pl, "172.16.0.0"));
	assert_true(trusted(pl, "172.31.255.255"));
	assert_false(trusted(pl, "172.32.0.0"));
	assert_false(trusted(pl, "172.15.255.255"));
	assert_true(trusted(pl, "2001:db8:1:ffff::9"));
	assert_false(trusted(pl, "2001:db8:2::9"));
	assert_true(trusted(pl, "::1"));
	assert_false(trusted(pl, "::2"));
	/* An IPv4 peer seen through an IPv6 socket is the IPv4 one. */
	assert_true(trusted(pl, "::ffff:127.0.0.1"));
	assert_true(trusted(pl, "::ffff:172.20.1.1"));
	assert_false(trusted(pl, "::ffff:127.0.0.2"));
	proxy_list_free(pl);
	/* /0 is every address of its own family only. */
	pl = list_of("0.0.0.0/0");
	assert_true(trusted(pl, "203.0.113.9"));
	assert_false(trusted(pl, "2001:db8::9"));
	proxy_list_free(pl);
	pl = list_of("::/0");
	assert_true(trusted(pl, "2001:db8::9"));
	assert_false(trusted(pl, "203.0.113.9"));
	proxy_list_free(pl);
	/* No list, or an empty one, trusts nothing. */
	struct sockaddr_storage lo = sa("127.0.0.1");
	assert_false(proxy_list_trusts(NULL, &lo));
	pl = proxy_list_new();
	assert_false(proxy_list_trusts(pl, &lo));
	proxy_list_free(pl);
}

/*
 * The client for a request from @peer carrying the X-Forwarded-For
 * values @h (@n of them) with @pl trusted: its text, and whether it came
 * from the header (checked against @from_header).
 */
static const char *client(const struct proxy_list *pl, const char *peer,
			  const char *const *h, size_t n, bool from_header)
{
	static char text[PROXY_ADDR_SIZE];
	struct sockaddr_storage p = sa(peer), c;
	bool took = proxy_client(pl, &p, h, n, &c, text);
	assert_int_equal(took, from_header);
	if (!took) {
		/* The peer itself, port and all. */
		assert_memory_equal(&c, &p, sizeof(c));
	} else {
		struct sockaddr_storage want = sa(text);
		if (want.ss_family == AF_INET)
			((struct sockaddr_in *)(void *)&want)->sin_port = 0;
		else
			((struct sockaddr_in6 *)(void *)&want)->sin6_port = 0;
		assert_memory_equal(&c, &want, sizeof(c));
	}
	return text;
}

#define ONE(pl, peer, value, from)                                             \
	client(pl, peer, (const char *const[]){ value }, 1, from)

static void test_client(void **state)
{
	(void)state;
	struct proxy_list *pl = list_of("127.0.0.1,10.0.0.0/8");
	/* A peer that is no proxy: the header is not read at all. */
	assert_string_equal(ONE(pl, "192.0.2.7", "203.0.113.1", false),
			    "192.0.2.7");
	/* A trusted peer without the header is the client itself. */
	assert_string_equal(client(pl, "127.0.0.1", NULL, 0, false),
			    "127.0.0.1");
	assert_string_equal(ONE(pl, "127.0.0.1", "203.0.113.1", true),
			    "203.0.113.1");
	/* Read from the right past every trusted proxy; what the client
	 * wrote on the left is never reached. */
	assert_string_equal(
		ONE(pl, "127.0.0.1", "6.6.6.6, 203.0.113.1, 10.1.2.3", true),
		"203.0.113.1");
	assert_string_equal(
		ONE(pl, "127.0.0.1", "not an address, 203.0.113.1", true),
		"203.0.113.1");
	/* Only proxies in the list: the leftmost of them. */
	assert_string_equal(ONE(pl, "127.0.0.1", "10.0.0.5,10.0.0.6", true),
			    "10.0.0.5");
	/* Malformed where it is read: the peer. */
	static const char *const broken[] = {
		"",
		" ",
		"203.0.113.1,",
		"203.0.113.1, ,10.0.0.1",
		"unknown",
		"203.0.113.1:5555",
		"[2001:db8::1]",
		"203.0.113.1 203.0.113.2",
		"203.0.113.1, 10.0.0.1, garbage",
		"2001:db8::1%eth0",
		"0203.0.113.1",
		"1111:2222:3333:4444:5555:6666:7777:8888:9999:0000:1111:2222",
	};
	for (size_t i = 0; i < sizeof(broken) / sizeof(*broken); i++)
		assert_string_equal(ONE(pl, "127.0.0.1", broken[i], false),
				    "127.0.0.1");
	/* Whitespace around items, tabs included, is allowed. */
	assert_string_equal(ONE(pl, "127.0.0.1", " \t203.0.113.1\t ", true),
			    "203.0.113.1");
	/* IPv6 clients, and mapped IPv4 ones written as IPv4. */
	assert_string_equal(ONE(pl, "127.0.0.1", "2001:DB8::0:1", true),
			    "2001:db8::1");
	assert_string_equal(ONE(pl, "127.0.0.1", "::ffff:203.0.113.1", true),
			    "203.0.113.1");
	/* Several headers are one list, in order. */
	const char *two[] = { "198.51.100.1", "203.0.113.1, 10.0.0.3" };
	assert_string_equal(client(pl, "127.0.0.1", two, 2, true),
			    "203.0.113.1");
	const char *behind[] = { "198.51.100.1", "10.0.0.3" };
	assert_string_equal(client(pl, "127.0.0.1", behind, 2, true),
			    "198.51.100.1");
	const char *empty_last[] = { "198.51.100.1", "" };
	assert_string_equal(client(pl, "127.0.0.1", empty_last, 2, false),
			    "127.0.0.1");
	proxy_list_free(pl);
	/* No list: never the header. */
	assert_string_equal(ONE(NULL, "127.0.0.1", "203.0.113.1", false),
			    "127.0.0.1");
	/* An IPv6 proxy, and an IPv4 one reached over IPv6. */
	pl = list_of("fd00::/8,192.0.2.1");
	assert_string_equal(ONE(pl, "fd12::1", "2001:db8::7", true),
			    "2001:db8::7");
	assert_string_equal(ONE(pl, "::ffff:192.0.2.1", "203.0.113.1", true),
			    "203.0.113.1");
	assert_string_equal(ONE(pl, "fe80::1", "203.0.113.1", false),
			    "fe80::1");
	proxy_list_free(pl);
}

/* A peer that is neither IPv4 nor IPv6 has no text and no client. */
static void test_other_family(void **state)
{
	(void)state;
	struct proxy_list *pl = list_of("127.0.0.1");
	struct sockaddr_storage unix_peer, c;
	memset(&unix_peer, 0, sizeof(unix_peer));
	unix_peer.ss_family = AF_UNIX;
	char text[PROXY_ADDR_SIZE] = "x";
	const char *h[] = { "203.0.113.1" };
	assert_false(proxy_client(pl, &unix_peer, h, 1, &c, text));
	assert_string_equal(text, "");
	assert_int_equal(c.ss_family, AF_UNIX);
	assert_false(proxy_list_trusts(pl, &unix_peer));
	proxy_list_free(pl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_parse),
		cmocka_unit_test(test_trusts),
		cmocka_unit_test(test_client),
		cmocka_unit_test(test_other_family),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
