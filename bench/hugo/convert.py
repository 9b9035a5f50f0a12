#!/usr/bin/env python3
"""bench/hugo/convert.py SITE DATA OUT - the records of a data folder as Hugo
content, for bench/build.sh.

SITE is a site built by `cancelatlas build` from DATA. Everything the scorer
derives (score, grade, levels, reasons, gap, weights, rubric texts) is read
from SITE's api/v1/companies.json, so Hugo shows exactly the same numbers.
A few sentences are built in C and are in no JSON file (the record's
sentences, its tier banner, the gap note, the badge phrase); they are
lifted from SITE's c/<id>/index.html, and the citation from c/<id>/cite.txt.
Industry slugs come from DATA/industries.yaml; for an audited record, the
audit's path, notes and evidence files (in no JSON file either) come from its
YAML in DATA/records.

Writes OUT/content/c/<id>.md (YAML front matter only; the body is empty),
OUT/content/_index.md and OUT/data/{method,filters}.json. Needs python3-yaml.
"""
import html
import json
import os
import re
import sys

import yaml

site, data, out = sys.argv[1:4]

with open(os.path.join(site, "api/v1/companies.json"), encoding="utf-8") as f:
    api = json.load(f)
with open(os.path.join(data, "industries.yaml"), encoding="utf-8") as f:
    industries = yaml.load(f, Loader=yaml.CSafeLoader)
slug_of = {i["name"]: i["slug"] for i in industries}


def grab(pattern, text):
    m = re.search(pattern, text, re.S)
    return html.unescape(m.group(1)) if m else None


SENTENCE = r'<p class="sentence">(.*?)</p>'
FLOW_SENTENCE = r'<p class="sentence flow-sentence">(.*?)</p>'
TIER_NAME = r'<p class="record-facts">Last reviewed <time[^>]*>[^<]*</time> · ([^<]*?) · Grade'
BANNER = r'<p class="tier-banner[^"]*">(.*?)</p>'
GAP_SIGNED = r'<p class="gap">Gap [^<]*<strong>(.*?)</strong>'
GAP_NOTE = r'<p class="gap">Gap [^<]*<strong>[^<]*</strong>\. (.*?)</p>'
BADGE = r'<h2 id="badge-h">[^<]*</h2>\s*<p>(.*?) Put the badge'



def cap_note(tier):
    """The index's note on a capped headline grade, as our view has it."""
    if not tier["grade_cap"]:
        return None
    return "%d/100 alone gives %s; %s" % (tier["score"], tier["band"],
                                          tier["grade_cap"])


os.makedirs(os.path.join(out, "content/c"), exist_ok=True)
os.makedirs(os.path.join(out, "data"), exist_ok=True)

method = {
    "version": api["methodology_version"],
    "policy_dimensions": api["policy_dimensions"],
    "flow_dimensions": api["flow_dimensions"],
    "grade_bands": api["grade_bands"],
}
with open(os.path.join(out, "data/method.json"), "w", encoding="utf-8") as f:
    json.dump(method, f, ensure_ascii=False)

used_ind, used_jur = set(), set()
dump = yaml.CSafeDumper
for c in api["companies"]:
    cid = c["id"]
    page = os.path.join(site, "c", cid)
    with open(os.path.join(page, "index.html"), encoding="utf-8") as f:
        text = f.read()
    with open(os.path.join(page, "cite.txt"), encoding="utf-8") as f:
        cite = f.read().strip()
    pol, flow, head = c["policy"], c["flow"], c["headline"]
    used_ind.add(c["industry"])
    used_jur.add(c["jurisdiction"])
    fm = {
        "title": c["name"],
        "id": cid,
        "name": c["name"],
        "industry": c["industry"],
        "industry_slug": slug_of[c["industry"]],
        "jurisdiction": c["jurisdiction"],
        "juris_slug": c["jurisdiction"].lower(),
        "fictional": c["fictional"],
        "reviewed": c["reviewed"],
        "score": head["score"],
        "grade": head["grade"],
        "cap_note": cap_note(flow or pol),
        "tier": "flow" if flow else "documented",
        "tier_banner": grab(BANNER, text),
        "tier_name": grab(TIER_NAME, text),
        "sentence": grab(SENTENCE, text),
        "summary": pol["policy_summary"],
        "channels": ", ".join(c["cancellation_types"]),
        "official_page": pol["policy_url"],
        "refund_page": pol["refund_url"],
        "pause": c["pause_detail"],
        "deletion": c["data_deletion_detail"],
        "policy": {
            "score": pol["score"],
            "grade": pol["grade"],
            "band": pol["band"],
            "cap": pol["grade_cap"],
            "scores": pol["scores"],
            "reasons": pol["reasons"],
        },
        "evidence": pol["sources"],
        "cite": cite,
        "badge_phrase": grab(BADGE, text),
    }
    if flow:
        with open(os.path.join(data, "records", cid + ".yaml"), "rb") as f:
            rec = yaml.load(f, Loader=yaml.CSafeLoader)
        audit = next(a for a in rec["flow"]
                     if str(a["date"]) == flow["audit_date"])
        fm["flow"] = {
            "sentence": grab(FLOW_SENTENCE, text),
            "tier": flow["evidence_tier"].replace("_", "-"),
            "score": flow["score"],
            "grade": flow["grade"],
            "band": flow["band"],
            "cap": flow["grade_cap"],
            "date": flow["audit_date"],
            "audits": flow["audits"],
            "scores": flow["scores"],
            "facts": flow["facts"],
            "path": audit.get("path", []),
            "notes": (audit.get("notes") or "").strip(),
            "evidence": audit.get("evidence", []),
        }
        fm["gap"] = {
            "value": c["gap"],
            "signed": grab(GAP_SIGNED, text),
            "note": grab(GAP_NOTE, text),
        }
    with open(os.path.join(out, "content/c", cid + ".md"), "w",
              encoding="utf-8") as f:
        f.write("---\n")
        f.write(yaml.dump(fm, Dumper=dump, allow_unicode=True,
                          sort_keys=False, width=1 << 30))
        f.write("---\n")

filters = {
    "industries": [{"name": i["name"], "slug": i["slug"]} for i in industries
                   if i["name"] in used_ind],
    "jurisdictions": [{"code": j, "slug": j.lower()} for j in sorted(used_jur)],
    "grades": [b["grade"] for b in api["grade_bands"]],
}
with open(os.path.join(out, "data/filters.json"), "w", encoding="utf-8") as f:
    json.dump(filters, f, ensure_ascii=False)
with open(os.path.join(out, "content/_index.md"), "w", encoding="utf-8") as f:
    f.write("---\ntitle: Cancel Atlas\n---\n")
