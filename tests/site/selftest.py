#!/usr/bin/env python3
"""usage: selftest.py SITE_DIR DATA_DIR

Proves that the site checks can fail: copies a built fixture site, breaks
it in many independent ways at once (an unescaped "<", a dead link, a
schema-violating value, an unprefixed formula in the CSV, a script that
runs from the data, a missing label, a broken sort, ...), runs
tests/site/run.sh on the copy and requires, for every break, a "not ok"
line from the check meant to catch it, naming the broken thing in its
details. Prints one "ok - ..." / "not ok - ..." line per break.
Run by tests/run when SITE_SELFTEST=1.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
failures = 0


def report(ok, name, details=()):
    global failures
    print(f"{'ok' if ok else 'not ok'} - {name}")
    if not ok:
        failures += 1
        for d in details:
            print(f"    {d}")


class Site:
    def __init__(self, root):
        self.root = root
        self.expect = []  # (description, check name part, detail part)
        self.broken = []  # mutations that could not be applied

    def path(self, rel):
        return os.path.join(self.root, rel)

    def read(self, rel):
        with open(self.path(rel), encoding="utf-8", newline="") as f:
            return f.read()

    def write(self, rel, text):
        with open(self.path(rel), "w", encoding="utf-8", newline="") as f:
            f.write(text)

    def sub(self, what, rel, old, new, check, detail, count=1):
        """Replace @old (a plain string) by @new in @rel; expect @check to
        fail with @detail in its details."""
        text = self.read(rel)
        if old not in text:
            self.broken.append(f"{what}: {old!r} is not in {rel} (update the self-test)")
            return
        self.write(rel, text.replace(old, new, count))
        self.expect.append((what, check, detail))

    def edit(self, what, rel, fn, check, detail):
        try:
            fn(rel)
        except Exception as e:  # noqa: BLE001 - any failure to apply is reported
            self.broken.append(f"{what}: cannot apply to {rel}: {e}")
            return
        self.expect.append((what, check, detail))


def mutate(s):
    nu, html = "Nu Html Checker: no error in", "HTML pages"
    # Markup.
    s.sub("an unescaped '<' and an <img> without alt in a record page", "c/coursera/index.html",
          '<p class="summary">', '<p class="summary">1 < 2 <img src="/assets/favicon.svg"> ',
          f"{nu}", '"c/coursera/index.html"')
    s.sub("an attribute SVG does not have in a badge", "share/badges/coursera.svg",
          "<rect ", '<rect bogus="1" ', "SVG files (SVG mode)", "share/badges/coursera.svg")
    s.edit("a badge cut in half", "share/badges/bloron-shield.svg",
           lambda rel: s.write(rel, s.read(rel)[: len(s.read(rel)) // 2]),
           "rsvg-convert renders every SVG", "bloron-shield.svg")
    s.edit("a property CSS does not have", "assets/style.css",
           lambda rel: s.write(rel, s.read(rel) + "\na { colr: red; }\n"), "stylesheets", "style.css")
    # Links.
    s.sub("a link to a record that does not exist", "about/index.html", "</main>",
          '<p><a href="/c/no-such-record/">gone</a></p></main>', "no broken link", "/c/no-such-record/")
    s.sub("a link to a row id that does not exist", "faq/index.html", "</main>",
          '<p><a href="/#r-no-such-row">gone</a></p></main>', "no broken link", "r-no-such-row")
    s.sub("a javascript: link", "data/index.html", "</main>",
          '<p><a href="javascript:alert(1)">x</a></p></main>', "no broken link", "javascript:")
    s.sub("a stylesheet that does not exist", "faq/index.html", 'href="/assets/style.css"',
          'href="/assets/no-such.css"', "axe: /faq/", "no-such.css")
    s.sub("a sitemap entry for a page that does not exist", "sitemap.xml", "</urlset>",
          "<url><loc>https://atlas.example.org/c/ghost/</loc></url>\n</urlset>", "sitemap.xml", "/c/ghost/")
    s.sub("a feed entry linking to a page that does not exist", "feed.atom",
          'href="https://atlas.example.org/c/', 'href="https://atlas.example.org/c/zz-gone-',
          "Atom feed", "zz-gone-")

    s.sub("a canonical URL that is not the page's address", "faq/index.html",
          'rel="canonical" href="https://atlas.example.org/faq/"', 'rel="canonical" href="https://atlas.example.org/faq"',
          "canonical URL", "faq/index.html: canonical https://atlas.example.org/faq,")

    s.sub("a feed id on a host that is not the site's", "feed.atom",
          "<id>tag:atlas.example.org,", "<id>tag:www.cancelatlas.com,",
          "every URL naming the site is on", "feed.atom: <id>")

    def orphan(rel):
        os.makedirs(os.path.dirname(s.path(rel)))
        s.write(rel, s.read("about/index.html"))
    s.edit("a page no other page links to", "orphan/index.html", orphan,
           "every page is linked from another page", "orphan/index.html")
    s.sub("a block wider than a phone", "methodology/index.html", "</main>",
          '<div style="width:800px">wide</div></main>', "phone (390 px): /methodology/", "<div> ends at")

    # JSON.
    def companies(rel):
        d = json.loads(s.read(rel))
        c = next(c for c in d["companies"] if c["id"] == "coursera")
        c["policy"]["score"] = 182
        s.write(rel, json.dumps(d, ensure_ascii=False, indent=2) + "\n")
    s.edit("a policy score of 182 in companies.json", "api/v1/companies.json", companies,
           "every entry of api/v1/companies.json", "companies[id=coursera]: /policy/score must be <= 100")

    def pause_object(rel):
        d = json.loads(s.read(rel))
        c = next(c for c in d["companies"] if c["id"] == "coursera")
        c["pause"] = c["pause_detail"]
        s.write(rel, json.dumps(d, ensure_ascii=False, indent=2) + "\n")
    s.edit("pause as an object, not the reference's string, in companies.json", "api/v1/companies.json",
           pause_object, "a reference client reads ours", "companies[id=coursera].pause is object")

    def one(rel):
        d = json.loads(s.read(rel))
        d["policy"]["grade"] = "Z"
        s.write(rel, json.dumps(d, ensure_ascii=False, indent=2) + "\n")
    s.edit("a grade Z in a per-record file", "api/v1/companies/bloron-shield.json", one,
           "every api/v1/companies/<id>.json", "bloron-shield.json: /policy/grade")
    s.edit("a JSON file cut short", "api/v1/insights.json",
           lambda rel: s.write(rel, s.read(rel)[:-40]), ".json files parse", "insights.json")
    s.sub("JSON-LD without @context", "c/galily-club/index.html", '"@context":"https://schema.org",', "",
          "JSON-LD block", "galily-club")

    # CSV.
    s.sub("the hostile formula name without its quote prefix", "data/companies.csv", "\"'=HYPERLINK",
          '"=HYPERLINK', "no text cell starts with", "=HYPERLINK")
    s.expect.append(("the hostile formula name without its quote prefix (its own check)",
                     "the hostile row's formula name", "expected"))
    s.edit("a line ending in LF alone", "data/companies.csv",
           lambda rel: s.write(rel, s.read(rel).replace("\r\n", "\n", 2).replace("\n", "\r\n", 1)),
           "CRLF line ends", "line feed")

    def quoted_number(rel):
        t = s.read(rel)
        t2 = re.sub(r"^(coursera,Coursera,[^,]*,US,)79,", r'\g<1>"79",', t, count=1, flags=re.M)
        assert t2 != t, "no coursera row with 79"
        s.write(rel, t2)
    s.edit("a score written as a quoted string", "data/companies.csv", quoted_number,
           "numbers are bare", "policy_score")

    def wrong_grade(rel):
        t = s.read(rel)
        t2 = re.sub(r"^(galily-club,[^\r]*?,)F(,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,)",
                    r"\1A\2", t, count=1, flags=re.M)
        assert t2 != t, "no galily-club row with a policy grade F"
        s.write(rel, t2)
    s.edit("a policy grade that differs from companies.json", "data/companies.csv", wrong_grade,
           "equal companies.json", "galily-club")

    def drop_row(rel):
        t = s.read(rel)
        t2 = re.sub(r"^crenby-yoga-au,[^\n]*\n", "", t, count=1, flags=re.M)
        assert t2 != t, "no crenby-yoga-au row"
        s.write(rel, t2)
    s.edit("a record's CSV row left out", "data/companies.csv", drop_row, "one row per record", "rows")

    # Badges.
    s.edit("a record without its badge", "share/badges/frimash-radio.svg",
           lambda rel: os.remove(s.path(rel)), "every record has a 232x52 badge", "frimash-radio")

    # In the browser: scripts from data, accessibility, the index's JavaScript.
    s.sub("the hostile summary unescaped (a script that runs)", "c/hostile/index.html",
          '<p class="summary">\u2068+1+1 &lt;script&gt;window.__pwned=1&lt;/script&gt;',
          '<p class="summary">\u2068+1+1 <script>window.__pwned=1</script>',
          "no script from the data runs on /c/hostile/", "window.__pwned is 1")
    s.edit("the hostile name unescaped in the index (an onerror handler)", "index.html",
           lambda rel: s.write(rel, s.read(rel).replace(
               "&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;", '<img src=x onerror="window.__pwned=1">', 1)
               if "&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;" in s.read(rel) else 1 / 0),
           "index: no script from the data runs on /", "__pwned")
    s.sub("an input without a label", "methodology/index.html", "</main>",
          '<p><input id="zz-unlabelled"></p></main>', "axe: /methodology/", "label")
    s.sub("a page without a language", "about/index.html", '<html lang="en"', "<html",
          "axe: /about/", "html-has-lang")
    s.sub("a sort that does nothing", "assets/index.js", "var r = cmp(key, a, b);", "var r = 0;",
          "the Company header sorts by name", "order")
    s.sub("an industry filter that shows the other industries", "assets/index.js",
          "d.industrySlug === ind", "d.industrySlug !== ind", "the industry filter", "visible")
    s.sub("a search that needs the whole name", "assets/index.js",
          "d.low.indexOf(words) !== -1", "d.low === words", 'typing "cours"', "visible")
    s.edit("a record's row left out of the index table", "index.html",
           lambda rel: s.write(rel, re.sub(r'<tr id="r-galily-club"[^\n]*\n', "", s.read(rel), count=1))
           if 'id="r-galily-club"' in s.read(rel) else 1 / 0,
           "index without JavaScript", "galily-club")


def parse(out):
    """The not-ok checks of run.sh's output, with their details."""
    fails, cur = {}, None
    for line in out.splitlines():
        if line.startswith("not ok - "):
            cur = line[len("not ok - "):]
            fails[cur] = []
        elif line.startswith("    ") and cur is not None:
            fails[cur].append(line[4:])
        else:
            cur = None
    return fails


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    site, data = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory(prefix="atlas-selftest.") as tmp:
        copy = os.path.join(tmp, "site")
        shutil.copytree(site, copy)
        s = Site(copy)
        mutate(s)
        for b in s.broken:
            report(False, f"self-test: {b}")
        env = dict(os.environ, SCREENSHOTS="")
        proc = subprocess.run([os.path.join(ROOT, "tests/site/run.sh"), copy, data, "hostile"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        fails = parse(proc.stdout)
        if proc.returncode == 0:
            report(False, "self-test: run.sh fails on the broken site", proc.stdout.splitlines()[-20:])
        for what, check, detail in s.expect:
            hits = [name for name, lines in fails.items() if check in name and any(detail in l for l in lines)]
            near = [f"{name}: {lines[:3]}" for name, lines in fails.items() if check in name]
            report(bool(hits), f"self-test: {what} -> not ok from '{check}'",
                   near or [f"no failing check named like {check!r}; failing: {list(fails)}"])
            if hits and os.environ.get("VERBOSE"):
                print(f"#   caught by: {hits[0]}: {next(l for l in fails[hits[0]] if detail in l)[:200]}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
