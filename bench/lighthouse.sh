#!/usr/bin/env bash
# bench/lighthouse.sh [N] - Lighthouse scores of the main page types as
# `cancelatlas serve` sends them (compression, caching and security
# headers included), on a phone (Lighthouse's default mobile emulation
# with simulated slow 4G) and on a desktop.
#
#   make && bench/lighthouse.sh 1000
#
# The site is the shipped Coursera record beside N generated records
# (default 1,000), so the index, industry page and insights carry a real
# load. Prints one row per page and form factor: the four category scores
# (0-100), Largest Contentful Paint, Total Blocking Time, Cumulative Layout
# Shift and the bytes transferred. Lighthouse comes from the npm registry
# into bench/lighthouse/node_modules (pinned in its package-lock.json);
# Chromium is Debian's. Environment: BIN, PAGES (the paths to score,
# space-separated), BENCH_DIR (where the site and the reports go; the
# HTML reports stay there to be read), SITE (a site already built, to be
# served as it is instead of N records: e.g. one of 100,000).
#
#   SITE=/work/b100/site PAGES="/ /page/2000/" bench/lighthouse.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${BIN:-$ROOT/cancelatlas}
N=${1:-1000}
WORK=${BENCH_DIR:-${TMPDIR:-/tmp}/atlas-bench-lighthouse}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1782864000}
mkdir -p "$WORK"

for tool in node npm jq curl "$CHROMIUM"; do
	command -v "$tool" >/dev/null ||
		{ echo "bench/lighthouse.sh: needs $tool" >&2 && exit 2; }
done
lh=$ROOT/bench/lighthouse
if [ ! -x "$lh/node_modules/.bin/lighthouse" ] ||
	[ "$lh/package-lock.json" -nt "$lh/node_modules" ]; then
	(cd "$lh" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null)
fi

pid=
cleanup() {
	[ -z "$pid" ] && return
	kill -TERM -- "-$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The data: N generated records and the shipped ones, or a site as built.
data=$WORK/data-$N
if [ -n "${SITE:-}" ]; then
	serve=(--no-build --out "$SITE")
elif [ ! -f "$data.complete" ]; then
	rm -rf "$data"
	"$BIN" gen "$N" --seed 1 --out "$data" >/dev/null
	cp data/records/*.yaml "$data/records/"
	touch "$data.complete"
fi
[ -n "${SITE:-}" ] || serve=(--data "$data" --out "$WORK/site")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
rm -f "$WORK"/bench.db*
setsid "$BIN" serve "${serve[@]}" --templates templates \
	--port "$port" --db "$WORK/bench.db" >"$WORK/serve.log" 2>&1 &
pid=$!
for _ in $(seq 600); do
	curl -s -o /dev/null "http://127.0.0.1:$port/" && break
	kill -0 "$pid" 2>/dev/null ||
		{ cat "$WORK/serve.log" >&2 && exit 2; }
	sleep 0.1
done
industry=$(ls "${SITE:-$WORK/site}/industries" | head -n 1)
read -ra pages <<<"${PAGES:-/c/coursera/ / /insights/ /methodology/ /industries/$industry/ /corrections/}"

flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run"
flags+=" --disable-background-networking --disable-component-update"
flags+=" --disable-sync --disable-dev-shm-usage"
run_one() { # FORM PAGE NAME
	local preset=() profile
	[ "$1" = desktop ] && preset=(--preset=desktop)
	profile=$(mktemp -d)
	TMPDIR=$profile CHROME_PATH=$CHROMIUM "$lh/node_modules/.bin/lighthouse" \
		"http://127.0.0.1:$port$2" --quiet --chrome-flags="$flags" \
		--only-categories=performance,accessibility,best-practices,seo \
		--output=json --output=html --output-path="$WORK/$3-$1" \
		"${preset[@]}" >"$WORK/$3-$1.log" 2>&1 || true
	rm -rf "$profile"
	local json=$WORK/$3-$1.report.json
	if ! jq -e '.categories.performance' "$json" >/dev/null 2>&1; then
		echo "bench/lighthouse.sh: Lighthouse failed on $2 ($1):" >&2
		tail -n 5 "$WORK/$3-$1.log" >&2
		return 1
	fi
	jq -r --arg page "$2" --arg form "$1" '
		def pct: if . == null then "-" else (. * 100 | round | tostring) end;
		"| \($page) | \($form) | \(.categories.performance.score | pct)"
		+ " | \(.categories.accessibility.score | pct)"
		+ " | \(.categories["best-practices"].score | pct)"
		+ " | \(.categories.seo.score | pct)"
		+ " | \(.audits["largest-contentful-paint"].numericValue / 1000 * 100 | round / 100) s"
		+ " | \(.audits["total-blocking-time"].numericValue | round) ms"
		+ " | \(.audits["cumulative-layout-shift"].numericValue * 1000 | round / 1000)"
		+ " | \(.audits["total-byte-weight"].numericValue / 1024 | round) KiB |"' "$json"
	# What loses points, for the reader of the report.
	jq -r '.audits[] | select(.score != null and .score < 0.9 and
		(.scoreDisplayMode == "binary" or .scoreDisplayMode == "numeric"))
		| "    \(.id) (\(.score)): \(.title)"' "$json" >>"$WORK/lost-points.txt"
}

: >"$WORK/lost-points.txt"
if [ -n "${SITE:-}" ]; then
	records=$(find "$SITE/c" -mindepth 1 -maxdepth 1 -type d | wc -l)
else
	records=$(grep -c . <(ls "$data/records"))
fi
echo "$records records; Lighthouse $("$lh/node_modules/.bin/lighthouse" --version), $("$CHROMIUM" --version 2>/dev/null | head -n 1)"
echo
echo "| page | form | performance | accessibility | best practices | SEO | LCP | TBT | CLS | transferred |"
echo "|---|---|---|---|---|---|---|---|---|---|"
status=0
for page in "${pages[@]}"; do
	name=$(echo "$page" | tr -c 'a-z0-9\n' '_' | sed 's/^_*$/index/; s/^_//; s/_$//')
	for form in mobile desktop; do
		run_one "$form" "$page" "$name" || status=1
	done
done
if [ -s "$WORK/lost-points.txt" ]; then
	echo
	echo "Audits below 0.9 (reports in $WORK):"
	sort "$WORK/lost-points.txt" | uniq -c | sort -rn
fi
exit $status
