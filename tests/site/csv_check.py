#!/usr/bin/env python3
"""usage: csv_check.py SITE_DIR RECORD_COUNT [HOSTILE_ID]

data/companies.csv of a built site, read with Python's csv module (RFC
4180): a header plus one row per record, every line ending in CRLF, the
same number of cells in every row, numbers written as bare numbers, every
text cell that would start with = + - @ TAB or CR prefixed with a single
quote (checked against the name in companies.json, and for HOSTILE_ID
specifically), and id/score/grade of every row equal to companies.json.
Prints one "ok - ..." / "not ok - ..." line per check.
"""
import csv
import io
import json
import os
import re
import sys

failures = 0


def check(name, problems):
    global failures
    if problems:
        failures += 1
        print(f"not ok - {name}")
        for p in problems[:30]:
            print(f"    {p}")
        if len(problems) > 30:
            print(f"    … and {len(problems) - 30} more")
    else:
        print(f"ok - {name}")


def raw_cells(text):
    """Split RFC 4180 text into rows of (value, quoted) by hand, to see
    which cells were quoted (the csv module does not say)."""
    rows, row, cell, quoted, i, n = [], [], [], False, 0, len(text)
    at_start = True
    while i < n:
        ch = text[i]
        if at_start and ch == '"':
            quoted, at_start, i = True, False, i + 1
            while i < n:
                if text[i] == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        cell.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                cell.append(text[i])
                i += 1
            continue
        at_start = False
        if ch == ',':
            row.append(("".join(cell), quoted))
            cell, quoted, at_start = [], False, True
        elif ch == '\r' and text[i + 1:i + 2] == '\n':
            row.append(("".join(cell), quoted))
            rows.append(row)
            row, cell, quoted, at_start = [], [], False, True
            i += 1
        else:
            cell.append(ch)
        i += 1
    if cell or row:
        row.append(("".join(cell), quoted))
        rows.append(row)
    return rows


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    site, want = sys.argv[1], int(sys.argv[2])
    hostile = sys.argv[3] if len(sys.argv) > 3 else None
    path = os.path.join(site, "data", "companies.csv")
    data = open(path, "rb").read()
    text = data.decode("utf-8")
    with open(os.path.join(site, "api", "v1", "companies.json"), encoding="utf-8") as f:
        companies = json.load(f)["companies"]

    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    header, body = rows[0], rows[1:]
    problems = []
    if len(rows) != want + 1:
        problems.append(f"{len(rows)} rows, expected {want} records + 1 header")
    check(f"data/companies.csv has a header and one row per record ({want})", problems)

    problems = []
    if not data.endswith(b"\r\n"):
        problems.append("the file does not end with CRLF")
    bare_lf = len(re.findall(rb"(?<!\r)\n", data))
    bare_cr = len(re.findall(rb"\r(?!\n)", data))
    if bare_lf:
        problems.append(f"{bare_lf} line feed(s) without a carriage return")
    if bare_cr:
        problems.append(f"{bare_cr} carriage return(s) without a line feed")
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append("the file starts with a byte-order mark")
    for i, r in enumerate(rows):
        if len(r) != len(header):
            problems.append(f"line {i + 1}: {len(r)} cells, the header has {len(header)}")
    check("data/companies.csv: CRLF line ends, UTF-8, the same number of cells in every row", problems)

    # Cross-check the hand splitter against the csv module, then use it to
    # see quoting.
    raw = raw_cells(text)
    problems = []
    if [[v for v, _ in r] for r in raw] != rows:
        problems.append("the csv module and a plain RFC 4180 split disagree")
    numeric = {"policy_score", "flow_score", "gap", "headline_score", "cancel_url", "channel_disclosed",
               "notice_disclosed", "refund_disclosed", "findability"}
    col = {h: i for i, h in enumerate(header)}
    missing = [h for h in ("id", "name", "policy_score", "policy_grade", "headline_score", "headline_grade") if h not in col]
    if missing:
        problems.append(f"the header lacks {', '.join(missing)}: {header}")
    for li, r in enumerate(raw[1:], start=2):
        for h, (v, quoted) in zip(header, r):
            if h in numeric:
                if v != "" and (quoted or not re.fullmatch(r"-?[0-9]+", v)):
                    problems.append(f"line {li} {h}: {v!r} is not a bare integer{' (quoted)' if quoted else ''}")
            elif v[:1] in ("=", "+", "-", "@", "\t", "\r"):
                problems.append(f"line {li} {h}: text cell {v!r} starts with a formula character")
    check("data/companies.csv: numbers are bare, no text cell starts with = + - @ TAB or CR", problems)

    if missing:
        return 1
    problems = []
    by_id = {c["id"]: c for c in companies}
    seen = set()
    for li, r in enumerate(body, start=2):
        rid = r[col["id"]]
        seen.add(rid)
        c = by_id.get(rid)
        if c is None:
            problems.append(f"line {li}: id {rid!r} is not in companies.json")
            continue
        name = c["name"]
        want_name = "'" + name if name[:1] in ("=", "+", "-", "@", "\t", "\r") else name
        got = {
            "name": r[col["name"]],
            "policy_score": r[col["policy_score"]], "policy_grade": r[col["policy_grade"]],
            "headline_score": r[col["headline_score"]], "headline_grade": r[col["headline_grade"]],
        }
        exp = {
            "name": want_name,
            "policy_score": str(c["policy"]["score"]), "policy_grade": c["policy"]["grade"],
            "headline_score": str(c["headline"]["score"]), "headline_grade": c["headline"]["grade"],
        }
        if "flow_score" in col:
            got["flow_score"] = r[col["flow_score"]]
            exp["flow_score"] = str(c["flow"]["score"]) if c.get("flow") else ""
        for k in exp:
            if got[k] != exp[k]:
                problems.append(f"line {li} ({rid}) {k}: CSV {got[k]!r}, companies.json gives {exp[k]!r}")
    for rid in sorted(set(by_id) - seen):
        problems.append(f"{rid}: in companies.json, not in the CSV")
    check("data/companies.csv: id, name, scores and grades of every row equal companies.json", problems)

    if hostile:
        problems = []
        row = next((r for r in body if r[col["id"]] == hostile), None)
        if row is None:
            problems.append(f"no row for {hostile}")
        else:
            name = by_id[hostile]["name"]
            cell = row[col["name"]]
            if name[:1] not in "=+-@":
                problems.append(f"the fixture's {hostile} name should start with a formula: {name!r}")
            if cell != "'" + name:
                expected = "'" + name
                problems.append(f"name cell {cell!r}, expected {expected!r}")
            rawrow = next(r for r in raw[1:] if r[col["id"]][0] == hostile)
            if not rawrow[col["name"]][1]:
                problems.append("the name cell holds quotes and commas but is not quoted")
        check(f"data/companies.csv: the {hostile} row's formula name is quoted and prefixed with '", problems)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
