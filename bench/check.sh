#!/usr/bin/env bash
# bench/check.sh [N...] - how long `cancelatlas check` takes and how much
# memory it uses on N generated records, beside a peer run on the same
# files in the same script: PyYAML with libyaml's C parser loading every
# record file (parsing alone, none of the record rules), the usual way a
# data project would read such a folder. Prints one row per N.
#
#   make && bench/check.sh 10000 100000
#
# Needs hyperfine and python3-yaml (Debian packages).
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

printf '%-8s %12s %12s %10s %12s %12s\n' records check_s pyyaml_s speedup check_MiB pyyaml_MiB
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
		-n pyyaml "/usr/bin/python3 $PWD/bench/pyyaml_load.py $dir/records" \
		>/dev/null
	read -r ours peer < <(python3 -c '
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
print(r["check"], r["pyyaml"])' "$json")
	mem_ours=$(peak_kib "$BIN" check --data "$dir")
	mem_peer=$(peak_kib /usr/bin/python3 bench/pyyaml_load.py "$dir/records")
	printf '%-8s %12.3f %12.3f %10.2f %12.1f %12.1f\n' "$n" "$ours" "$peer" \
		"$(python3 -c "print($peer / $ours)")" \
		"$(python3 -c "print($mem_ours / 1024)")" \
		"$(python3 -c "print($mem_peer / 1024)")"
done
