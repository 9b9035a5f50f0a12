#!/usr/bin/env bash
# bench/abuse.sh [N] - how `cancelatlas serve` reads while it is attacked.
#
#   make test && bench/abuse.sh 1000
#
# Two runs against the same server, built once from N generated records
# (default 1,000), each DURATION long (default 20s), with wrk reading a
# mix of record pages, badges, per-record JSON and the home page:
#
#   quiet   wrk alone;
#   attack  wrk while slowflood holds FLOOD slow connections (default
#           4,200) from 17 loopback addresses, sending one header line
#           every 2 s and never ending its head, and while another
#           process holds the database's write lock and BURST clients
#           (default 16) post corrections in a loop.
#
# It prints, for each run, the reads' p50 and p99 latency, requests a
# second and errors (socket errors and non-2xx answers), and for the
# attack what the flood held and what the posts got: every post during
# the lock must be answered 503 with Retry-After within the lock timeout
# (--lock-timeout, 2000 ms here), never left waiting. Needs wrk, curl
# and sqlite3 (Debian packages) and slowflood (built by make test).
# Environment: BIN, FLOOD (4200), BURST (16), DURATION (20s),
# CONNECTIONS (wrk's, 32), BENCH_DIR (where the site and logs go).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${BIN:-$ROOT/cancelatlas}
FLOODER=${FLOODER:-$ROOT/build/tests/slowflood}
N=${1:-1000}
FLOOD=${FLOOD:-4200}
BURST=${BURST:-16}
DURATION=${DURATION:-20s}
CONNS=${CONNECTIONS:-32}
WORK=${BENCH_DIR:-${TMPDIR:-/tmp}/atlas-bench-abuse}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1782864000}
seconds=${DURATION%s}

for tool in wrk curl sqlite3; do
	command -v "$tool" >/dev/null ||
		{ echo "abuse.sh: needs $tool (apt-get install $tool)" >&2; exit 2; }
done
[ -x "$FLOODER" ] ||
	{ echo "abuse.sh: no $FLOODER (make test builds it)" >&2; exit 2; }
# The flood and the server each need a descriptor per connection.
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -lt $((FLOOD + 512)) ]; then
	echo "abuse.sh: the open-file limit ($(ulimit -n)) is below $((FLOOD + 512))" >&2
	exit 2
fi

rm -rf "$WORK"
mkdir -p "$WORK"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$BIN" gen "$N" --seed 1 --out "$WORK/data" >/dev/null
"$BIN" serve --data "$WORK/data" --out "$WORK/site" --templates templates \
	--db "$WORK/atlas.db" --port 0 --rate-limit 0 --lock-timeout 2000 \
	>"$WORK/serve.log" 2>"$WORK/serve.err" &
pids+=($!)
url=
for _ in $(seq 600); do
	url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$WORK/serve.log" | head -n 1) || true
	[ -n "$url" ] && break
	sleep 0.2
done
[ -n "$url" ] || { echo "abuse.sh: serve did not start" >&2; cat "$WORK/serve.err" >&2; exit 1; }
port=${url##*:}
port=${port%/}

# wrk's script: every 20th record's page, badge and JSON, and the home page.
mapfile -t ids < <(ls "$WORK/site/c" | awk 'NR % 20 == 1')
{
	echo 'local paths = {'
	echo '"/",'
	for id in "${ids[@]}"; do
		printf '"/c/%s/", "/share/badges/%s.svg", "/api/v1/companies/%s.json",\n' \
			"$id" "$id" "$id"
	done
	echo '}'
	cat <<'EOF'
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT p50=%.2f p99=%.2f rps=%.0f errors=%d non2xx=%d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6),
    e.connect + e.read + e.write + e.timeout, e.status))
end
EOF
} >"$WORK/mix.lua"

read_run() { # NAME: wrk for DURATION; prints its RESULT line
	wrk -t2 -c"$CONNS" -d"$DURATION" --timeout 5s -s "$WORK/mix.lua" \
		"http://127.0.0.1:$port" >"$WORK/wrk-$1.txt" 2>&1
	grep '^RESULT' "$WORK/wrk-$1.txt" | sed 's/^RESULT //'
}

record=${ids[0]}
poster() { # N: post corrections until killed; one line per answer
	local body
	body=$(printf '{"record":"%s","field":"summary","wrong":"The summary is out of date.","proposed":"It now says something else.","evidence_url":"https://example.com/%s"}' "$record" "$1")
	while :; do
		curl -s -o /dev/null -w '%{http_code} %{time_total}\n' \
			-H 'Content-Type: application/json' --data "$body" \
			--max-time 30 "http://127.0.0.1:$port/api/v1/corrections" || true
	done
}

quiet=$(read_run quiet)

# The attack: the lock (held once a write of our own is refused), the
# posts, the flood, then the reads.
(
	echo 'BEGIN IMMEDIATE;'
	sleep $((seconds + 15))
	echo 'ROLLBACK;'
) | sqlite3 "$WORK/atlas.db" &
lock=$!
pids+=($lock)
while sqlite3 "$WORK/atlas.db" 'BEGIN IMMEDIATE; ROLLBACK;' 2>/dev/null; do
	sleep 0.1
done
"$FLOODER" -n "$FLOOD" -a 17 -i 2 -t $((seconds + 10)) -r 5 "$port" \
	>"$WORK/flood.txt" 2>&1 &
pids+=($!)
posters=()
for i in $(seq "$BURST"); do
	poster "$i" >"$WORK/posts-$i.txt" &
	posters+=($!)
done
pids+=("${posters[@]}")
sleep 5 # the flood fills up and the posts queue before the reads start
attack=$(read_run attack)
# The posts stop first and those on their way are answered (within the
# lock timeout) before the lock is let go, so every post met the lock.
kill -TERM "${posters[@]}" 2>/dev/null || true
sleep 3
kill -TERM "$lock" 2>/dev/null || true

held=$(grep -o 'held=[0-9]*' "$WORK/flood.txt" | cut -d= -f2 | sort -n | tail -n 1)
cat "$WORK"/posts-*.txt | awk -v lock=2.0 '
	{ n++; code[$1]++; if ($2 > worst) worst = $2 }
	END {
		printf "posts during the lock: %d, answered", n
		for (c in code) printf " %s x%d", c, code[c]
		printf "; slowest %.2f s (lock timeout %.1f s)\n", worst, lock
	}' >"$WORK/posts.txt"
stderr_lines=$(wc -l <"$WORK/serve.err")

printf '%s records, wrk -t2 -c%s -d%s over %d paths\n' "$N" "$CONNS" "$DURATION" $((3 * ${#ids[@]} + 1))
printf '%-8s %s\n' quiet "$quiet" attack "$attack"
for run in quiet attack; do
	line=${!run}
	p99=${line#*p99=}
	printf '%s\n' "${p99%% *}"
done | awk 'NR == 1 { q = $1 } NR == 2 { printf "p99 attack / quiet: %.1f\n", (q > 0 ? $1 / q : 0) }'
echo "flood: up to ${held:-0} slow connections held from 17 addresses"
cat "$WORK/posts.txt"
echo "server stderr: $stderr_lines lines in all"
