/*
 * fuzz_proxy.c - libFuzzer harness for what `serve --trust-proxy` reads:
 * the first line of the input is added to the trusted list as a
 * --trust-proxy value, and each further line is one X-Forwarded-For
 * header of a request from 127.0.0.1 (always trusted). Besides never
 * crashing or reading out of bounds: a refused value says why and adds
 * nothing; an accepted one adds one entry per comma-separated item; the
 * client is the peer, port and all, unless it came from the header, and
 * then it is an address in its written form that appears among the
 * header's items, and no trusted one unless every item read was.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "internal.h"
#include "proxy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Whether some comma-separated item of @h, trimmed, is the address
 * @want; @all_trusted is cleared when an item is one @pl does not
 * trust. */
static bool among(const struct proxy_list *pl, const char *h,
		  const struct sockaddr_storage *want, bool *all_trusted)
{
	bool seen = false;
	for (const char *p = h;; p++) {
		size_t n = strcspn(p, ",");
		const char *s = p;
		while (n && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
		}
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		char text[64];
		struct sockaddr_storage ss;
		memset(&ss, 0, sizeof(ss));
		struct sockaddr_in *in = (void *)&ss;
		struct sockaddr_in6 *in6 = (void *)&ss;
		if (n < sizeof(text)) {
			memcpy(text, s, n);
			text[n] = '\0';
			if (inet_pton(AF_INET, text, &in->sin_addr) == 1)
				in->sin_family = AF_INET;
			else if (inet_pton(AF_INET6, text, &in6->sin6_addr) ==
				 1)
				in6->sin6_family = AF_INET6;
		}
		if (ss.ss_family && !proxy_list_trusts(pl, &ss))
			*all_trusted = false;
		if (ss.ss_family == want->ss_family &&
		    !memcmp(&ss, want, sizeof(ss)))
			seen = true;
		/* A mapped IPv4 address is reported as the IPv4 one. */
		if (ss.ss_family == AF_INET6 &&
		    IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) &&
		    want->ss_family == AF_INET &&
		    !memcmp(in6->sin6_addr.s6_addr + 12,
			    &((const struct sockaddr_in *)(const void *)want)
				     ->sin_addr,
			    4))
			seen = true;
		p += strcspn(p, ",");
		if (!*p)
			return seen;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = xmalloc(size + 1);
	memcpy(in, data, size);
	in[size] = '\0';
	char *nl = strchr(in, '\n');
	if (nl)
		*nl = '\0';
	struct proxy_list *pl = proxy_list_new();
	struct buf err = BUF_INIT;
	FUZZ_CHECK(proxy_list_add(pl, "127.0.0.1", &err) == 0);
	size_t commas = 0;
	for (const char *p = in; *p; p++)
		commas += *p == ',';
	if (proxy_list_add(pl, in, &err) == 0)
		FUZZ_CHECK(proxy_list_count(pl) == 2 + commas && !err.len);
	else
		FUZZ_CHECK(proxy_list_count(pl) == 1 && err.len);

	const char *h[PROXY_MAX_HEADERS];
	size_t n = 0;
	for (char *p = nl ? nl + 1 : NULL; p && n < PROXY_MAX_HEADERS;) {
		h[n++] = p;
		p = strchr(p, '\n');
		if (p)
			*p++ = '\0';
	}
	struct sockaddr_storage peer, client;
	memset(&peer, 0, sizeof(peer));
	struct sockaddr_in *pin = (void *)&peer;
	pin->sin_family = AF_INET;
	pin->sin_port = htons(40000);
	pin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	char text[PROXY_ADDR_SIZE];
	bool took = proxy_client(pl, &peer, h, n, &client, text);
	if (!took) {
		FUZZ_CHECK(!memcmp(&client, &peer, sizeof(peer)));
		FUZZ_CHECK(!strcmp(text, "127.0.0.1"));
	} else {
		FUZZ_CHECK(client.ss_family == AF_INET ||
			   client.ss_family == AF_INET6);
		unsigned char bin[16];
		const void *addr =
			client.ss_family == AF_INET
				? (const void *)&(
					  (struct sockaddr_in *)(void *)&client)
					  ->sin_addr
				: (const void *)&((struct sockaddr_in6
							   *)(void *)&client)
					  ->sin6_addr;
		FUZZ_CHECK(inet_pton(client.ss_family, text, bin) == 1);
		FUZZ_CHECK(!memcmp(bin, addr,
				   client.ss_family == AF_INET ? 4 : 16));
		bool seen = false, all_trusted = true;
		for (size_t i = 0; i < n; i++)
			seen |= among(pl, h[i], &client, &all_trusted);
		FUZZ_CHECK(seen);
		FUZZ_CHECK(!proxy_list_trusts(pl, &client) || all_trusted);
	}
	buf_free(&err);
	proxy_list_free(pl);
	free(in);
	return 0;
}
