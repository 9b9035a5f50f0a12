/*
 * robots.h - the rules of a robots.txt file for one crawler (RFC 9309).
 */
#ifndef CANCELATLAS_ROBOTS_H
#define CANCELATLAS_ROBOTS_H

#include <stdbool.h>
#include <stddef.h>

struct robots;

/**
 * robots_parse() - the rules a robots.txt gives the crawler @agent.
 * @text: the file (need not be NUL-terminated); NULL or empty allows all.
 * @len: its length.
 * @agent: the crawler's product token, e.g. "CancelAtlas-monitor",
 *	   matched case-insensitively against each User-agent line.
 *
 * The groups naming @agent are merged; when none does, those for "*"
 * are; when there is neither, everything is allowed. Lines that are not
 * User-agent, Allow or Disallow are ignored, as is anything unreadable.
 *
 * Returns: the rules; release with robots_free().
 */
struct robots *robots_parse(const char *text, size_t len, const char *agent);

/* robots_disallow_all() - rules that refuse every path but /robots.txt,
 * for a file that could not be read (RFC 9309 2.3.1.4). */
struct robots *robots_disallow_all(void);

/* robots_free() - release @r; accepts NULL. */
void robots_free(struct robots *r);

/**
 * robots_allowed() - whether the crawler may fetch @path.
 * @path: the URL's path and query, starting with '/'.
 * @rule: when not NULL, set to the deciding rule ("Disallow: /private"),
 *	  owned by @r, or NULL when no rule matched.
 *
 * The longest matching pattern decides ('*' matches any run of
 * characters, a final '$' the end of the path); Allow wins a tie.
 * /robots.txt itself is always allowed.
 */
bool robots_allowed(const struct robots *r, const char *path,
		    const char **rule);

#endif
