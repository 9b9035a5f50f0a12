#!/usr/bin/env bash
# bench/history.sh [RECORDS [VERSIONS]] - how long reading every record's
# history takes, first with nothing cached and again after one new commit.
#
# A git repository of RECORDS generated records (`cancelatlas gen`,
# default 2000) with VERSIONS commits each (default 50: 100,000 commits) is
# scripted with git fast-import: first one commit adding each record, then
# round after round of one commit per record, each changing a level
# (refund_disclosed), the summary and, every fifth round, the pause, so
# every commit is a version with a score line to explain. Then:
#
#   first   `cancelatlas history --all --json` with an empty cache: every
#           commit read from git, every version loaded and compared
#   again   the same with nothing new: everything from the cache
#   +1      after one more commit: only that commit read from git
#   peer    `git log --follow` over a few record files, for scale: git's
#           own walk for one file's history
#
# and prints the times and the ratio first / +1. The repository stays in
# $BENCH_DIR (default ${TMPDIR:-/tmp}/atlas-bench-history) and is reused
# when it has the same size; the cache goes to $BENCH_DIR/cache.
#
#   make && bench/history.sh            # 2000 x 50 (about 2 minutes to make)
#   bench/history.sh 200 10             # a quick one
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${BIN:-$ROOT/cancelatlas}
RECORDS=${1:-2000}
VERSIONS=${2:-50}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/atlas-bench-history}
REPO=$BENCH_DIR/repo-$RECORDS-$VERSIONS
export XDG_CACHE_HOME=$BENCH_DIR/cache
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com

[ -x "$BIN" ] || { echo "bench/history.sh: build $BIN first (make)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench/history.sh: needs python3" >&2; exit 2; }

now() { echo "${EPOCHREALTIME/./}"; } # microseconds
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1e6 }'; }

if [ ! -d "$REPO/.git" ]; then
	rm -rf "$REPO"
	mkdir -p "$BENCH_DIR"
	gen=$BENCH_DIR/gen-$RECORDS
	rm -rf "$gen"
	"$BIN" gen "$RECORDS" --seed 1 --out "$gen" >/dev/null
	git init -q -b main "$REPO"
	t0=$(now)
	# One commit per version, round-robin over the records, an hour apart.
	python3 - "$gen" "$VERSIONS" <<'EOF' | git -C "$REPO" fast-import --quiet
import os, re, sys
gen, versions = sys.argv[1], int(sys.argv[2])
ids = sorted(f[:-5] for f in os.listdir(f"{gen}/records") if f.endswith(".yaml"))
texts = {i: open(f"{gen}/records/{i}.yaml").read() for i in ids}
out = sys.stdout.buffer
t = 1700000000
def data(b):
    out.write(b"data %d\n" % len(b) + b + b"\n")
def commit(msg, files):
    global t
    t += 3600
    out.write(b"commit refs/heads/main\n")
    out.write(b"committer Bench <bench@example.com> %d +0000\n" % t)
    data(msg.encode())
    for path, text in files:
        out.write(b"M 100644 inline " + path.encode() + b"\n")
        data(text.encode())
refunds = [50, 25, 100]
def version(text, r):
    text = re.sub(r"refund_disclosed: \d+", "refund_disclosed: %d" % refunds[r % 3], text, 1)
    text = re.sub(r"^summary: >\n", "summary: >\n  Revision %d.\n" % r, text, 1, re.M)
    if r % 5 == 0:
        text = re.sub(r"offered: (true|false)",
                      lambda m: "offered: " + ("false" if m.group(1) == "true" else "true"), text, 1)
    return text
extra = [(f"data/{f}", open(f"{gen}/{f}").read()) for f in ("industries.yaml", "site.yaml")]
for n, i in enumerate(ids):
    commit(f"Add {i}", ([] if n else extra) + [(f"data/records/{i}.yaml", texts[i])])
for r in range(1, versions):
    for i in ids:
        commit(f"{i}: revision {r}", [(f"data/records/{i}.yaml", version(texts[i], r))])
EOF
	git -C "$REPO" checkout -q -f main
	echo "made $REPO: $(git -C "$REPO" rev-list --count HEAD) commits in $(secs "$t0" "$(now)") s"
fi

cd "$REPO"
commits=$(git rev-list --count HEAD)
rm -rf "$XDG_CACHE_HOME"
run() { # LABEL: time one full read, print its summary line
	local t0 t1 line
	t0=$(now)
	line=$("$BIN" history --all --json --data data 2>&1 >/dev/null | tail -n1)
	t1=$(now)
	printf '%-7s %8s s   %s\n' "$1" "$(secs "$t0" "$t1")" "$line"
	LAST=$(secs "$t0" "$t1")
}
echo "history of $RECORDS records, $commits commits ($(nproc) cores)"
run first
first=$LAST
run again
# One more commit: the first record's refund level moves again.
files=(data/records/*.yaml) # a glob: `ls | head` could die of SIGPIPE
f=${files[0]#data/records/}
sed -i 's/refund_disclosed: [0-9]*/refund_disclosed: 0/' "data/records/$f"
git commit -q -am "${f%.yaml}: refund terms removed"
run +1
plus=$LAST
git reset -q --hard HEAD~1
echo "ratio first / +1: $(awk -v a="$first" -v b="$plus" 'BEGIN { printf "%.1f", a / (b > 0 ? b : 0.01) }')"
echo "cache: $(du -h "$XDG_CACHE_HOME"/cancelatlas/* | cut -f1)"

# git's own walk of one file's history, for scale.
for f in "${files[@]:0:3}"; do
	f=${f#data/records/}
	t0=$(now)
	n=$(git log --follow --oneline -- "data/records/$f" | wc -l)
	printf 'peer    %8s s   git log --follow data/records/%s (%d commits)\n' \
		"$(secs "$t0" "$(now)")" "$f" "$n"
done
