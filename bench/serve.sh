#!/usr/bin/env bash
# bench/serve.sh [N] - requests per second and latency of `cancelatlas
# serve` beside nginx serving the same built folder, with the same URLs,
# in the same script, in alternating rounds (nginx with 1 worker, nginx
# with 2, ours, nginx with 1, ...), so machine noise hits all alike.
#
#   make && bench/serve.sh 10000
#
# The site is built once from N generated records (default 10,000). Two
# URL lists are measured: "mix" cycles through record pages, badges,
# per-record API JSON, the index and /api/v1/index.json (the index of N
# records is 3 MB and dominates the bytes); "small" is the same without
# the index. wrk sends no Accept-Encoding, so both servers send the same
# bytes (checked before timing). Needs nginx and wrk (Debian packages).
# Environment: BIN, ROUNDS (3), DURATION (10s), CONNECTIONS (64),
# BENCH_DIR (where the site and logs go).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=${BIN:-$ROOT/cancelatlas}
N=${1:-10000}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONNS=${CONNECTIONS:-64}
WORK=${BENCH_DIR:-${TMPDIR:-/tmp}/atlas-bench-serve}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1782864000}
mkdir -p "$WORK"

pids=()
cleanup() {
	for p in "${pids[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The site, built once per N.
data=$WORK/data-$N site=$WORK/site-$N
if [ ! -f "$site.complete" ]; then
	rm -rf "$data" "$site"
	"$BIN" gen "$N" --seed 1 --out "$data" >/dev/null
	"$BIN" build --data "$data" --out "$site" --templates templates
	touch "$site.complete"
fi

# URL lists: every 50th record's page, badge and JSON.
mapfile -t ids < <(ls "$site/c" | awk 'NR % 50 == 1')
{
	for id in "${ids[@]}"; do
		echo "/c/$id/"
		echo "/share/badges/$id.svg"
		echo "/api/v1/companies/$id.json"
	done
	echo "/api/v1/index.json"
} >"$WORK/small.txt"
{
	cat "$WORK/small.txt"
	echo "/"
} >"$WORK/mix.txt"

# nginx as tools/serve runs it: sendfile, keep-alive, no access log.
start_nginx() { # WORKERS PORT
	local dir=$WORK/nginx-w$1
	mkdir -p "$dir"
	cat >"$dir/nginx.conf" <<CONF
$([ "$(id -u)" = 0 ] && echo "user root root;")
worker_processes $1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 8192; }
http {
  include /etc/nginx/mime.types;
  types { text/csv csv; application/ld+json jsonld; }
  default_type application/octet-stream;
  charset utf-8; charset_types text/css text/csv application/json application/javascript image/svg+xml;
  access_log off;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_timeout 65s; keepalive_requests 100000;
  server { listen 127.0.0.1:$2; root $site; index index.html; }
}
CONF
	setsid nginx -p "$dir" -c "$dir/nginx.conf" >"$dir/out.log" 2>&1 &
	pids+=($!)
}

start_ours() { # PORT
	rm -f "$WORK/bench.db"*
	setsid "$BIN" serve --no-build --out "$site" --port "$1" \
		--db "$WORK/bench.db" >"$WORK/serve.log" 2>&1 &
	pids+=($!)
}

wait_ready() { # NAME PORT SECONDS
	for _ in $(seq $(($3 * 10))); do
		curl -s -o /dev/null "http://127.0.0.1:$2/" && return 0
		sleep 0.1
	done
	echo "bench/serve.sh: $1 did not answer on port $2" >&2
	exit 2
}

names=(nginx-w1 nginx-w2 serve)
declare -A port
for s in "${names[@]}"; do port[$s]=$(free_port); done
start_nginx 1 "${port[nginx-w1]}"
start_nginx 2 "${port[nginx-w2]}"
t0=$(date +%s.%N)
start_ours "${port[serve]}"
wait_ready nginx-w1 "${port[nginx-w1]}" 10
wait_ready nginx-w2 "${port[nginx-w2]}" 10
wait_ready serve "${port[serve]}" 600
echo "serve loaded the site in $(python3 -c "print(round($(date +%s.%N) - $t0, 1))") s: $(head -n 1 "$WORK/serve.log")"

# Same status and bytes from every server, for every URL.
for s in "${names[@]}"; do
	sed "s#^#url = \"http://127.0.0.1:${port[$s]}#; s#\$#\"\noutput = \"/dev/null\"#" \
		"$WORK/mix.txt" >"$WORK/curl.cfg"
	curl -s -K "$WORK/curl.cfg" -w '%{http_code} %{size_download}\n' >"$WORK/check-$s.txt"
	if awk '$1 != 200 {bad = 1} END {exit !bad}' "$WORK/check-$s.txt"; then
		echo "bench/serve.sh: $s did not answer 200 for every URL" >&2
		exit 2
	fi
done
if ! cmp -s "$WORK/check-nginx-w1.txt" "$WORK/check-serve.txt"; then
	echo "bench/serve.sh: the servers send different bytes" >&2
	exit 2
fi
echo "$(wc -l <"$WORK/mix.txt") URLs, $(awk '{b += $2} END {print b}' "$WORK/check-serve.txt") bytes per cycle (the index: $(stat -c %s "$site/index.html"))"

cat >"$WORK/cycle.lua" <<'LUA'
local paths = {}
for line in io.lines(os.getenv("URL_LIST")) do
  if line:match("%S") then paths[#paths + 1] = line end
end
local i = math.random(#paths)
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(s, lat, req)
  local e = s.errors
  io.write(string.format("RESULT %.1f %.3f %.3f %d\n",
    s.requests / (s.duration / 1e6), lat:percentile(50) / 1000,
    lat:percentile(99) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout))
end
LUA

median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }

echo "wrk -t1 -c$CONNS -d$DURATION, $ROUNDS rounds, alternating"
for list in mix small; do
	for r in $(seq "$ROUNDS"); do
		for s in "${names[@]}"; do
			read -r _ rps p50 p99 err < <(URL_LIST=$WORK/$list.txt wrk -t1 \
				-c"$CONNS" -d"$DURATION" -s "$WORK/cycle.lua" \
				"http://127.0.0.1:${port[$s]}" | grep '^RESULT')
			echo "  $list round $r $s: $rps req/s, p50 $p50 ms, p99 $p99 ms, errors $err"
			echo "$rps $p50 $p99 $err" >>"$WORK/$list-$s.res.$$"
		done
	done
done

echo
echo "| URLs | server | req/s | p50 ms | p99 ms | errors | serve / this |"
echo "|---|---|---:|---:|---:|---:|---:|"
for list in mix small; do
	ours=$(awk '{print $1}' "$WORK/$list-serve.res.$$" | median)
	for s in "${names[@]}"; do
		f=$WORK/$list-$s.res.$$
		rps=$(awk '{print $1}' "$f" | median)
		printf '| %s | %s | %.0f | %.2f | %.2f | %d | %s |\n' "$list" \
			"$([ "$s" = serve ] && echo 'cancelatlas serve' || echo "nginx, ${s#nginx-w} worker$([ "$s" = nginx-w2 ] && echo s)")" \
			"$rps" "$(awk '{print $2}' "$f" | median)" \
			"$(awk '{print $3}' "$f" | median)" \
			"$(awk '{s += $4} END {print s}' "$f")" \
			"$([ "$s" = serve ] && echo - || python3 -c "print(f'{$ours / $rps:.2f}')")"
	done
done
rm -f "$WORK"/*.res.$$
