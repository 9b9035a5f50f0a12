#!/usr/bin/env bash
# bench/check.sh [N...] - how long `cancelatlas check` takes and how much
# memory it uses on N generated records, beside a peer run on the same
# files in the same script: libfyaml's own fy-tool parsing every record
# file (YAML parsing alone, no record rules). Prints one row per N.
#
#   make && bench/check.sh 10000 100000
#
# Needs hyperfine and fy-tool (Debian: hyperfine, libfyaml-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-$PWD/cancelatlas}
WORK=${BENCH_DIR:-${TMPDIR:-/tmp}/atlas-bench-check}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1782864000}
mkdir -p "$WORK"

peak_kib() { # COMMAND... -> peak resident set size in KiB
	/usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -n 1
}

printf '%-8s %12s %12s %10s %12s %12s\n' records check_s fy-tool_s ratio check_MiB fy-tool_MiB
for n in "${sizes[@]}"; do
	dir=$WORK/gen-$n
	if [ ! -f "$dir/.complete" ]; then
		rm -rf "$dir"
		"$BIN" gen "$n" --seed 1 --out "$dir" >/dev/null
		touch "$dir/.complete"
	fi
	"$BIN" check --data "$dir" 2>/dev/null # warm the page cache
	json=$WORK/hyperfine-$n.json
	hyperfine --warmup 1 --runs 3 --export-json "$json" --style none \
		-n check "$BIN check --data $dir" \
		-n fy-tool "find $dir/records -name '*.yaml' -print0 | xargs -0 -n 5000 fy-tool --testsuite >/dev/null" \
		>/dev/null
	read -r ours peer < <(python3 -c '
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
print(r["check"], r["fy-tool"])' "$json")
	mem_ours=$(peak_kib "$BIN" check --data "$dir")
	mem_peer=$(peak_kib fy-tool --testsuite "$dir"/records/$(ls "$dir/records" | head -n 1))
	printf '%-8s %12.3f %12.3f %10.2f %12.1f %12.1f\n' "$n" "$ours" "$peer" \
		"$(python3 -c "print($ours / $peer)")" \
		"$(python3 -c "print($mem_ours / 1024)")" \
		"$(python3 -c "print($mem_peer / 1024)")"
done
