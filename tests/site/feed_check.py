#!/usr/bin/python3
"""feed_check.py FEED... - read each Atom feed with feedparser, a real
feed parser, and check it against RFC 4287: the feed has an id, a title,
an RFC 3339 updated, an author and a rel="self" link to itself; every
entry has an id (a tag: URI), a title, an RFC 3339 updated and a link;
ids are unique within the feed. Prints one line per problem and exits 1
if there is any, else prints how many feeds and entries it read."""
import re
import sys

import feedparser

RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def check(path):
    problems = []
    with open(path, "rb") as f:
        raw = f.read()
    d = feedparser.parse(raw)
    if d.bozo:
        problems.append(f"{path}: not well-formed: {d.bozo_exception}")
    if d.version != "atom10":
        problems.append(f"{path}: not Atom 1.0 (read as {d.version!r})")
    feed = d.feed
    for key in ("id", "title", "updated"):
        if not feed.get(key):
            problems.append(f"{path}: the feed has no {key}")
    if feed.get("updated") and not RFC3339.match(feed["updated"]):
        problems.append(f"{path}: feed updated {feed['updated']!r} is not RFC 3339")
    if not feed.get("author_detail", {}).get("name"):
        problems.append(f"{path}: the feed has no author name")
    if not any(l.get("rel") == "self" and l.get("href") == feed.get("id")
               for l in feed.get("links", [])):
        problems.append(f"{path}: no rel=\"self\" link equal to the feed id")
    seen = set()
    for i, e in enumerate(d.entries):
        where = f"{path}: entry {i + 1}"
        for key in ("id", "title", "updated", "link"):
            if not e.get(key):
                problems.append(f"{where} has no {key}")
        if e.get("id", "") in seen:
            problems.append(f"{where}: id {e.get('id')!r} is used twice")
        seen.add(e.get("id", ""))
        if not e.get("id", "").startswith("tag:"):
            problems.append(f"{where}: id {e.get('id')!r} is not a tag: URI")
        if e.get("updated") and not RFC3339.match(e["updated"]):
            problems.append(f"{where}: updated {e['updated']!r} is not RFC 3339")
        if not (e.get("summary") or e.get("content")):
            problems.append(f"{where} has no summary or content")
    return problems, len(d.entries)


def main():
    problems, entries = [], 0
    for path in sys.argv[1:]:
        p, n = check(path)
        problems += p
        entries += n
    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"{len(sys.argv) - 1} feeds, {entries} entries, valid Atom")
    return 0


if __name__ == "__main__":
    sys.exit(main())
