/*
 * robots.c - robots.txt as RFC 9309 reads it.
 *
 * The file is read line by line into groups: one or more User-agent lines
 * then their Allow and Disallow rules. Only the rules that apply to our
 * crawler are kept (the groups naming it, merged, else the "*" groups),
 * each as "Allow: PATTERN" text so a report can quote the rule that
 * decided. A check walks every rule and keeps the longest match, which is
 * what the RFC asks; files are small and each URL is checked once a run.
 */
#include "robots.h"
#include "buf.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct rule {
	bool allow;
	char *text;	     /* "Disallow: /private", for reports */
	const char *pattern; /* inside @text */
	size_t len;
};

struct rules {
	struct rule *v;
	size_t n;
};

struct robots {
	struct rules rules;
};

static void rules_add(struct rules *r, bool allow, const char *pattern,
		      size_t len)
{
	r->v = xrealloc(r->v, (r->n + 1) * sizeof(*r->v));
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s: %.*s", allow ? "Allow" : "Disallow", (int)len,
		   pattern);
	char *text = buf_detach(&b, NULL);
	r->v[r->n++] =
		(struct rule){ allow, text, text + strlen(text) - len, len };
}

static void rules_free(struct rules *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].text);
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Whether a User-agent value names @agent: its product token (up to any
 * space or '/') equal to it, case ignored. */
static bool names_agent(const char *v, size_t len, const char *agent)
{
	size_t tok = 0;
	while (tok < len && !is_blank(v[tok]) && v[tok] != '/')
		tok++;
	return tok == strlen(agent) && !strncasecmp(v, agent, tok);
}

struct robots *robots_parse(const char *text, size_t len, const char *agent)
{
	struct rules mine = { 0 }, star = { 0 };
	/* Where the current group's rules go: for a group naming both us
	 * and "*", ours. NULL: a group for other crawlers, or none yet. */
	struct rules *into = NULL;
	bool in_agents = false; /* the last line was a User-agent line */
	const char *end = text ? text + len : NULL;
	for (const char *p = text; p && p < end;) {
		const char *eol = p;
		while (eol < end && *eol != '\n' && *eol != '\r')
			eol++;
		const char *line_end = memchr(p, '#', (size_t)(eol - p));
		if (!line_end)
			line_end = eol;
		const char *k = p;
		p = eol < end ? eol + 1 : end;
		while (k < line_end && is_blank(*k))
			k++;
		const char *colon = memchr(k, ':', (size_t)(line_end - k));
		if (!colon)
			continue;
		size_t klen = (size_t)(colon - k);
		while (klen && is_blank(k[klen - 1]))
			klen--;
		const char *v = colon + 1;
		while (v < line_end && is_blank(*v))
			v++;
		size_t vlen = (size_t)(line_end - v);
		while (vlen && is_blank(v[vlen - 1]))
			vlen--;
		if (klen == 10 && !strncasecmp(k, "user-agent", 10)) {
			if (!in_agents)
				into = NULL;
			in_agents = true;
			if (names_agent(v, vlen, agent))
				into = &mine;
			else if (vlen == 1 && *v == '*' && into != &mine)
				into = &star;
			continue;
		}
		bool allow = klen == 5 && !strncasecmp(k, "allow", 5);
		bool disallow = klen == 8 && !strncasecmp(k, "disallow", 8);
		if (!allow && !disallow)
			continue;
		in_agents = false;
		/* An empty Disallow allows everything: no rule. */
		if (into && vlen)
			rules_add(into, allow, v, vlen);
	}
	struct robots *r = xcalloc(1, sizeof(*r));
	if (mine.n) {
		r->rules = mine;
		rules_free(&star);
	} else {
		r->rules = star;
		rules_free(&mine);
	}
	return r;
}

struct robots *robots_disallow_all(void)
{
	static const char all[] = "User-agent: *\nDisallow: /\n";
	return robots_parse(all, sizeof(all) - 1, "*");
}

void robots_free(struct robots *r)
{
	if (!r)
		return;
	rules_free(&r->rules);
	free(r);
}

/* Whether @pat (@plen bytes) matches the start of @s: '*' is any run of
 * characters, a final '$' the end of @s. Greedy with one backtrack
 * point, so linear in practice and never recursive. */
static bool pattern_match(const char *pat, size_t plen, const char *s)
{
	bool anchored = plen && pat[plen - 1] == '$';
	if (anchored)
		plen--;
	size_t slen = strlen(s), pi = 0, si = 0, star = (size_t)-1, from = 0;
	for (;;) {
		if (pi == plen) {
			if (!anchored || si == slen)
				return true;
		} else if (pat[pi] == '*') {
			star = pi++;
			from = si;
			continue;
		} else if (si < slen && pat[pi] == s[si]) {
			pi++;
			si++;
			continue;
		}
		if (star == (size_t)-1 || from >= slen)
			return false;
		pi = star + 1;
		si = ++from;
	}
}

bool robots_allowed(const struct robots *r, const char *path, const char **rule)
{
	if (rule)
		*rule = NULL;
	if (!strcmp(path, "/robots.txt"))
		return true;
	const struct rule *best = NULL;
	for (size_t i = 0; i < r->rules.n; i++) {
		const struct rule *x = &r->rules.v[i];
		if (!pattern_match(x->pattern, x->len, path))
			continue;
		if (!best || x->len > best->len ||
		    (x->len == best->len && x->allow && !best->allow))
			best = x;
	}
	if (rule && best)
		*rule = best->text;
	return !best || best->allow;
}
