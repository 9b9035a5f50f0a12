#!/usr/bin/env python3
"""cards_check.py SITE_DIR DATA_DIR - share images and the tags that name them.

Every record (DATA_DIR/records/*.yaml) has /share/cards/ID.png, a real PNG
of 1200x630 (read from its IHDR); every HTML page of the site carries the
Open Graph and Twitter card tags, with an absolute og:url and og:image, and
its og:image names a PNG of the site whose size is the one the tags give.
Prints "ok - NAME" / "not ok - NAME" lines, details indented; exits 1 on a
failure.
"""
import html.parser
import os
import struct
import sys
import urllib.parse

site, data = sys.argv[1], sys.argv[2]
failed = False


def report(ok, name, details=()):
    global failed
    print(("ok - " if ok else "not ok - ") + name)
    if not ok:
        failed = True
        for d in list(details)[:30]:
            print("    " + d)


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


class Meta(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        key = a.get("property") or a.get("name")
        if tag == "meta" and key and "content" in a:
            self.meta.setdefault(key, a["content"])


ids = sorted(f[:-5] for f in os.listdir(os.path.join(data, "records")) if f.endswith(".yaml"))
problems = []
for i in ids:
    p = os.path.join(site, "share", "cards", i + ".png")
    if not os.path.isfile(p):
        problems.append(f"share/cards/{i}.png is missing")
    elif png_size(p) != (1200, 630):
        problems.append(f"share/cards/{i}.png is not a 1200x630 PNG: {png_size(p)}")
report(not problems, f"every record has its 1200x630 share image ({len(ids)})", problems)

need = ["og:site_name", "og:type", "og:title", "og:description", "og:url", "og:image",
        "og:image:width", "og:image:height", "og:image:alt", "twitter:card"]
problems, pages = [], 0
for root, _, files in os.walk(site):
    for f in files:
        if not f.endswith(".html"):
            continue
        pages += 1
        path = os.path.join(root, f)
        rel = os.path.relpath(path, site)
        m = Meta()
        with open(path, encoding="utf-8") as fh:
            m.feed(fh.read())
        meta = m.meta
        missing = [k for k in need if not meta.get(k)]
        if missing:
            problems.append(f"{rel}: no {', '.join(missing)}")
            continue
        if meta["twitter:card"] != "summary_large_image":
            problems.append(f"{rel}: twitter:card is {meta['twitter:card']}")
        for k in ("og:url", "og:image"):
            if not urllib.parse.urlsplit(meta[k]).scheme.startswith("http"):
                problems.append(f"{rel}: {k} is not absolute: {meta[k]}")
        image = urllib.parse.unquote(urllib.parse.urlsplit(meta["og:image"]).path)
        file = os.path.join(site, image.lstrip("/"))
        size = png_size(file) if os.path.isfile(file) else None
        want = (int(meta["og:image:width"]), int(meta["og:image:height"]))
        if size is None:
            problems.append(f"{rel}: og:image {image} is no PNG of the site")
        elif size != want:
            problems.append(f"{rel}: og:image {image} is {size}, the tags say {want}")
report(not problems and pages > 0,
       f"every page ({pages}) has Open Graph and Twitter card tags, its og:image a PNG of the site", problems)
sys.exit(1 if failed else 0)
