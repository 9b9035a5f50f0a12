#!/usr/bin/env bash
# bench/check_duplicates.sh [N] - how `cancelatlas check` scales with the
# number of problems in one file: a record whose `channels` lists `online`
# N times and then 4N times (N-1 and 4N-1 duplicate-item errors). Prints
# the time and peak memory of each run, the diagnostic lines printed, and
# the time ratio, which stays near 4 when each problem costs the same.
# A record file may hold 1 MiB, so 4N stays under about 95,000 (a larger
# file is refused before it is parsed, which this would then time).
#
#   make && bench/check_duplicates.sh 20000
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-$PWD/cancelatlas}
WORK=${BENCH_DIR:-${TMPDIR:-/tmp}/atlas-bench-dups}
n=${1:-20000}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1782864000}

# make_data DIR COUNT: a data folder whose one record repeats a channel.
make_data() {
	rm -rf "$1"
	mkdir -p "$1/records"
	cp data/industries.yaml data/site.yaml "$1/"
	{
		printf 'id: acme\nname: Acme\nindustry: Streaming\n'
		printf 'jurisdiction: US\nreviewed: 2026-06-01\nchannels:\n'
		awk -v n="$2" 'BEGIN { for (i = 0; i < n; i++) print "  - online" }'
		printf 'summary: Cancel online.\n'
	} >"$1/records/acme.yaml"
}

# run DIR: prints seconds, peak KiB and lines of output of one check.
run() {
	local out=$WORK/out.txt mem=$WORK/mem.txt t0 t1
	t0=$(date +%s.%N)
	/usr/bin/time -o "$mem" -f '%M' "$BIN" check --data "$1" \
		>/dev/null 2>"$out" || true
	t1=$(date +%s.%N)
	echo "$(python3 -c "print(f'{$t1 - $t0:.3f}')") $(tail -n 1 "$mem")" \
		"$(wc -l <"$out")"
}

mkdir -p "$WORK"
printf '%-10s %10s %10s %12s\n' items seconds peak_MiB output_lines
declare -A secs
for items in "$n" $((4 * n)); do
	make_data "$WORK/data-$items" "$items"
	run "$WORK/data-$items" >/dev/null # warm the page cache
	read -r s kib lines < <(run "$WORK/data-$items")
	secs[$items]=$s
	printf '%-10s %10s %10s %12s\n' "$items" "$s" \
		"$(python3 -c "print(f'{$kib / 1024:.1f}')")" "$lines"
done
printf 'ratio 4N/N: %s\n' "$(python3 -c "print(f'{${secs[$((4 * n))]} / ${secs[$n]}:.2f}')")"
