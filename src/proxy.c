/*
 * proxy.c - which peers of `serve` are proxies it trusts, and who the
 * client is behind them.
 *
 * A proxy appends the address it was reached from to X-Forwarded-For, so
 * the list grows to the right, and only its right end is vouched for:
 * whatever a client sent arrives as the left part. The client is found by
 * reading from the right, past every trusted proxy, to the first address
 * that is not one. Anything unexpected on that way (an empty item, a
 * port, a name, "unknown") makes the header worthless, and the peer is
 * used: a forged or broken header never yields an address the proxies
 * did not write. The trusted networks are a short array searched in
 * order: deployments name one to a few, and each test is two masks.
 */
#define _GNU_SOURCE
#include "proxy.h"
#include "internal.h"

#include <microhttpd.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* An address or a prefix, IPv4 ones in the first 4 bytes. */
struct net {
	int family; /* AF_INET or AF_INET6 */
	unsigned char addr[16];
	unsigned bits;
};

struct proxy_list {
	struct net *v;
	size_t n;
};

struct proxy_list *proxy_list_new(void)
{
	return xcalloc(1, sizeof(struct proxy_list));
}

void proxy_list_free(struct proxy_list *pl)
{
	if (!pl)
		return;
	free(pl->v);
	free(pl);
}

size_t proxy_list_count(const struct proxy_list *pl)
{
	return pl ? pl->n : 0;
}

/* Whether @c is optional whitespace as HTTP lists have it. */
static bool is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Parse @len bytes at @s as an IPv4 or IPv6 address into @a (bits set to
 * its full length); an IPv4 address mapped into IPv6 is taken as the IPv4
 * one. Returns 0, or -1 for anything else.
 */
static int parse_addr(const char *s, size_t len, struct net *a)
{
	char text[PROXY_ADDR_SIZE];
	if (len == 0 || len >= sizeof(text))
		return -1;
	memcpy(text, s, len);
	text[len] = '\0';
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, text, a->addr) == 1) {
		a->family = AF_INET;
		a->bits = 32;
		return 0;
	}
	if (inet_pton(AF_INET6, text, a->addr) != 1)
		return -1;
	a->family = AF_INET6;
	a->bits = 128;
	if (IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)(void *)a->addr)) {
		memmove(a->addr, a->addr + 12, 4);
		memset(a->addr + 4, 0, 12);
		a->family = AF_INET;
		a->bits = 32;
	}
	return 0;
}

/* @sa as a struct net; 0, or -1 when it is neither IPv4 nor IPv6. */
static int from_sockaddr(const struct sockaddr_storage *sa, struct net *a)
{
	memset(a, 0, sizeof(*a));
	if (sa->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;
		memcpy(a->addr, &in->sin_addr, 4);
		a->family = AF_INET;
		a->bits = 32;
		return 0;
	}
	if (sa->ss_family != AF_INET6)
		return -1;
	const struct sockaddr_in6 *in6 = (const void *)sa;
	if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
		memcpy(a->addr, in6->sin6_addr.s6_addr + 12, 4);
		a->family = AF_INET;
		a->bits = 32;
	} else {
		memcpy(a->addr, &in6->sin6_addr, 16);
		a->family = AF_INET6;
		a->bits = 128;
	}
	return 0;
}

static void to_sockaddr(const struct net *a, struct sockaddr_storage *sa)
{
	memset(sa, 0, sizeof(*sa));
	if (a->family == AF_INET) {
		struct sockaddr_in *in = (void *)sa;
		in->sin_family = AF_INET;
		memcpy(&in->sin_addr, a->addr, 4);
	} else {
		struct sockaddr_in6 *in6 = (void *)sa;
		in6->sin6_family = AF_INET6;
		memcpy(&in6->sin6_addr, a->addr, 16);
	}
}

/* Whether the first @bits bits of @a and @b are equal. */
static bool same_prefix(const unsigned char *a, const unsigned char *b,
			unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;
	if (memcmp(a, b, whole))
		return false;
	if (!rest)
		return true;
	unsigned char mask = (unsigned char)(0xff00 >> rest);
	return ((a[whole] ^ b[whole]) & mask) == 0;
}

static bool trusts(const struct proxy_list *pl, const struct net *a)
{
	for (size_t i = 0; pl && i < pl->n; i++)
		if (pl->v[i].family == a->family &&
		    same_prefix(pl->v[i].addr, a->addr, pl->v[i].bits))
			return true;
	return false;
}

bool proxy_list_trusts(const struct proxy_list *pl,
		       const struct sockaddr_storage *sa)
{
	struct net a;
	return pl && pl->n && from_sockaddr(sa, &a) == 0 && trusts(pl, &a);
}

/* One item of --trust-proxy, @len bytes at @s, into @net; 0, or -1 with
 * the reason in @err. */
static int parse_item(const char *s, size_t len, struct net *net,
		      struct buf *err)
{
	const char *slash = memchr(s, '/', len);
	size_t alen = slash ? (size_t)(slash - s) : len;
	if (parse_addr(s, alen, net)) {
		buf_printf(err,
			   "'%.*s' is not an IPv4 or IPv6 address or prefix",
			   (int)len, s);
		return -1;
	}
	if (!slash)
		return 0;
	unsigned max = net->family == AF_INET ? 32 : 128, bits = 0;
	if (net->family == AF_INET && memchr(s, ':', alen)) {
		/* An IPv4 address mapped into IPv6 is the IPv4 address,
		 * but its prefix length would count in the IPv6 form. */
		buf_printf(err, "'%.*s': write an IPv4 prefix as a.b.c.d/N",
			   (int)len, s);
		return -1;
	}
	const char *p = slash + 1, *end = s + len;
	if (p == end || end - p > 3)
		goto bad_length;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			goto bad_length;
		bits = bits * 10 + (unsigned)(*p - '0');
	}
	if (bits > max)
		goto bad_length;
	net->bits = bits;
	unsigned char masked[16];
	memcpy(masked, net->addr, sizeof(masked));
	for (unsigned i = bits; i < max; i++)
		masked[i / 8] &= (unsigned char)~(0x80u >> (i % 8));
	if (memcmp(masked, net->addr, sizeof(masked))) {
		char text[PROXY_ADDR_SIZE];
		inet_ntop(net->family, masked, text, sizeof(text));
		buf_printf(err,
			   "'%.*s' has bits set past its /%u (the prefix is "
			   "%s/%u)",
			   (int)len, s, bits, text, bits);
		return -1;
	}
	return 0;
bad_length:
	buf_printf(err, "'%.*s': the prefix length must be 0 to %u", (int)len,
		   s, max);
	return -1;
}

int proxy_list_add(struct proxy_list *pl, const char *spec, struct buf *err)
{
	size_t before = pl->n;
	const char *p = spec;
	for (;;) {
		size_t len = strcspn(p, ",");
		const char *item = p;
		size_t ilen = len;
		while (ilen && is_ows(*item)) {
			item++;
			ilen--;
		}
		while (ilen && is_ows(item[ilen - 1]))
			ilen--;
		struct net net;
		if (!ilen) {
			buf_printf(err, "'%s' has an empty address", spec);
			goto fail;
		}
		if (parse_item(item, ilen, &net, err))
			goto fail;
		pl->v = xrealloc(pl->v, (pl->n + 1) * sizeof(*pl->v));
		pl->v[pl->n++] = net;
		if (!p[len])
			return 0;
		p += len + 1;
	}
fail:
	pl->n = before;
	return -1;
}

static void say(const struct net *a, char *text)
{
	if (!inet_ntop(a->family, a->addr, text, PROXY_ADDR_SIZE))
		text[0] = '\0';
}

bool proxy_client(const struct proxy_list *pl,
		  const struct sockaddr_storage *peer, const char *const *xff,
		  size_t n, struct sockaddr_storage *client, char *text)
{
	struct net a, left;
	bool found = false, any = false;
	*client = *peer;
	text[0] = '\0';
	if (from_sockaddr(peer, &a))
		return false;
	say(&a, text);
	if (!n || !trusts(pl, &a))
		return false;
	for (size_t h = n; h-- > 0 && !found;) {
		const char *s = xff[h] ? xff[h] : "";
		size_t end = strlen(s);
		for (;;) {
			/* The item before @end: from after the previous comma
			 * (or the start), with its whitespace trimmed. */
			size_t start = end;
			while (start && s[start - 1] != ',')
				start--;
			size_t i = start, j = end;
			while (i < j && is_ows(s[i]))
				i++;
			while (j > i && is_ows(s[j - 1]))
				j--;
			if (parse_addr(s + i, j - i, &a))
				return false; /* text still says the peer */
			any = true;
			left = a;
			if (!trusts(pl, &a)) {
				found = true;
				break;
			}
			if (!start)
				break;
			end = start - 1;
		}
	}
	if (!any)
		return false;
	to_sockaddr(&left, client);
	say(&left, text);
	return true;
}

struct xff_values {
	const char *v[PROXY_MAX_HEADERS];
	size_t n;
	bool over;
};

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind,
			       const char *key, const char *value)
{
	(void)kind;
	struct xff_values *x = cls;
	if (!key || strcasecmp(key, "X-Forwarded-For"))
		return MHD_YES;
	if (x->n == PROXY_MAX_HEADERS) {
		x->over = true;
		return MHD_NO;
	}
	x->v[x->n++] = value ? value : "";
	return MHD_YES;
}

bool proxy_request_client(const struct proxy_list *pl, struct MHD_Connection *c,
			  const struct sockaddr_storage *peer,
			  struct sockaddr_storage *client, char *text)
{
	struct xff_values x = { .n = 0 };
	if (proxy_list_trusts(pl, peer))
		MHD_get_connection_values(c, MHD_HEADER_KIND, collect, &x);
	return proxy_client(pl, peer, x.v, x.over ? 0 : x.n, client, text);
}
