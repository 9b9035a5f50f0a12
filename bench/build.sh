#!/usr/bin/env bash
# bench/build.sh [N...] - how long a clean `cancelatlas build` takes, how
# much memory it uses and what it writes for N generated records, beside
# Hugo building the same records in the same script. The records are
# generated once (`cancelatlas gen N --seed 1`); bench/hugo/convert.py turns
# them into Hugo content, taking every score, grade, level, reason and
# sentence from our own build so both sides show the same companies; the
# theme in bench/hugo/themes/atlas renders the same company page and the
# same index table as templates/record.mustache and templates/index.mustache.
# Hugo builds only those pages (RSS, sitemap, taxonomies off, as in
# ../shared/tools/bench-hugo); we also write industry and jurisdiction
# pages, badges, API JSON, CSV, feeds and citation files.
#
#   make && bench/build.sh                # N = 1000 10000 100000 (20-60 min)
#   bench/build.sh 1000 10000             # some sizes
#   TMPDIR=/dev/shm bench/build.sh 1000   # on tmpfs: file creation is cheap
#
# Each build runs with hyperfine into a fresh output folder: WARMUP=1
# warm-up and RUNS=3 runs, and from N = 100000 on BIG_WARMUP=0 and
# BIG_RUNS=3 (the inputs are read beforehand to warm the page cache
# anyway), each under /usr/bin/time for the peak resident set size. A row
# gives HTML pages, mean seconds and milliseconds per page of each side,
# their ratio (Hugo's ms per page over ours: above 1, we are faster), peak
# MiB of each, and the files and MB we write; a second table gives the
# spread and the CPU seconds (user, system).
#
# Except on tmpfs, each run's output is moved aside, not deleted, until
# the script ends: on ext4 without a journal (this machine's disk),
# creating files just after many were deleted is several times slower, as
# the inode allocator skips inodes freed in the last minutes
# (recently_deleted() in fs/ext4/ialloc.c), which would time the deletion
# rather than the build. Keep about 10 GB free for N = 100000.
#
# A second table times rebuilds of our site over the one the first table
# left (after a warm-up build that writes its manifest): `build --full`,
# which renders and draws everything again, and a one-change rebuild: one
# generated record's name edited before each run (hyperfine --prepare),
# the build then incremental; the script checks that the record's page
# shows the edit, and restores the record at the end.
#
# Records, converted content and results stay in $BENCH_DIR (default
# ${TMPDIR:-/tmp}/atlas-bench-build) and are reused by later runs; remove
# it after changing what the pages say. Needs hugo, hyperfine, time and
# python3-yaml (Debian packages; missing ones are installed with apt-get
# when run as root).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-$PWD/cancelatlas}
PY=${PYTHON:-/usr/bin/python3} # Debian's, for python3-yaml
WORK=${BENCH_DIR:-${TMPDIR:-/tmp}/atlas-bench-build}
WARMUP=${WARMUP:-1} RUNS=${RUNS:-3}
BIG_WARMUP=${BIG_WARMUP:-0} BIG_RUNS=${BIG_RUNS:-$RUNS}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1782864000}

need() { # COMMAND DEBIAN-PACKAGE
	if ! command -v "$1" >/dev/null ||
		{ [ "$1" = "$PY" ] && ! "$PY" -c 'import yaml' 2>/dev/null; }; then
		if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
			echo "installing $2 (apt-get)" >&2
			apt-get install -y --no-install-recommends "$2" >/dev/null ||
				{ apt-get update >/dev/null &&
					apt-get install -y --no-install-recommends "$2" >/dev/null; }
		else
			echo "bench/build.sh: needs $2 (apt-get install $2)" >&2
			exit 2
		fi
	fi
}
need hugo hugo
need hyperfine hyperfine
need /usr/bin/time time
need "$PY" python3-yaml
[ -x "$BIN" ] || { echo "bench/build.sh: no $BIN (run make)" >&2; exit 2; }

mkdir -p "$WORK"
trash=$WORK/trash.$$
mkdir -p "$trash"/ours "$trash"/hugo
trap 'rm -rf "$trash"' EXIT
discard() { # OUTPUT-FOLDER TRASH-SUBFOLDER -> a shell command for --prepare
	if [ "$(stat -f -c %T "$WORK")" = tmpfs ]; then
		echo "rm -rf $1"
	else
		echo "mv $1 $trash/$2/\$(date +%s%N) 2>/dev/null || true"
	fi
}
note() { echo "# N=$*" >&2; }
# The templates as they are now, so edits made during a long run don't
# change what is measured.
rm -rf "$WORK/templates"
cp -r templates "$WORK/templates"
THEMES=$PWD/bench/hugo/themes

sum_sizes() { find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f\n", s }'; }
max_line() { sort -n "$1" | tail -n 1; }

res=$WORK/results.txt
{
	echo "# bench/build.sh $(date -u +%F) $("$BIN" version 2>/dev/null | head -n 1)," \
		"$(hugo version | cut -d' ' -f1-2) ($(hugo version | grep -o 'VendorInfo=[^ ]*')), $(hyperfine --version)"
	echo "# $(nproc) cores:$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)," \
		"$(free -g | awk '/^Mem:/ { print $2 }') GiB;" \
		"$WORK on $(df -T "$WORK" | awk 'NR == 2 { print $2 }');" \
		"load average$(uptime | sed 's/.*load average//')"
	printf '%-7s %7s %7s %8s %8s %8s %8s %6s %8s %8s %8s %9s\n' \
		N pages pages_h s s_hugo ms/pg ms/pg_h ratio MiB MiB_hugo \
		files MB
} | tee "$res"
echo "# ratio = Hugo's ms per page / ours (above 1: we are faster)" |
	tee -a "$res"
rebuilds=$WORK/rebuilds.txt
printf '%-7s %8s %8s %8s %8s %8s %8s %8s\n' N first_s full_s full_usr \
	full_sys one_s one_usr one_share >"$rebuilds"
cpu=$WORK/cpu.txt
printf '%-7s %7s %7s %8s %8s %8s %8s %6s %9s %9s\n' N sd_s sd_h user_s sys_s \
	user_h sys_h runs files_h MB_h >"$cpu"

for n in "${sizes[@]}"; do
	warmup=$WARMUP runs=$RUNS
	if [ "$n" -ge 100000 ]; then warmup=$BIG_WARMUP runs=$BIG_RUNS; fi
	gen=$WORK/gen-$n
	if [ ! -f "$gen/.complete" ]; then
		note "$n: generating records"
		rm -rf "$gen"
		"$BIN" gen "$n" --seed 1 --out "$gen" >/dev/null
		touch "$gen/.complete"
	fi
	ours=$WORK/out-$n
	hsite=$WORK/hugo-$n
	hout=$WORK/hugo-out-$n
	mem=$WORK/mem-$n
	json=$WORK/hyperfine-$n
	rm -f "$mem".ours "$mem".hugo
	"$BIN" check --data "$gen" >/dev/null 2>&1 || true # warm the page cache
	note "$n: timing cancelatlas build ($warmup warm-up, $runs runs)"

	hyperfine --warmup "$warmup" --runs "$runs" --style none \
		--export-json "$json.ours.json" \
		--prepare "$(discard "$ours" ours); rm -rf $ours.new-*" \
		-n ours "/usr/bin/time -a -o $mem.ours -f %M $BIN build --data $gen --out $ours --templates $WORK/templates" \
		>/dev/null

	# Hugo's content comes from our site (the last timed build).
	if [ ! -f "$hsite/.complete" ]; then
		note "$n: converting the records for Hugo"
		rm -rf "$hsite"
		"$PY" bench/hugo/convert.py "$ours" "$gen" "$hsite"
		touch "$hsite/.complete"
	fi
	cp bench/hugo/hugo.toml "$hsite/hugo.toml"
	find "$hsite/content" -type f -exec cat {} + >/dev/null # warm the cache
	note "$n: timing hugo ($warmup warm-up, $runs runs)"
	hyperfine --warmup "$warmup" --runs "$runs" --style none \
		--export-json "$json.hugo.json" \
		--prepare "$(discard "$hout" hugo); rm -rf $hsite/resources" \
		-n hugo "/usr/bin/time -a -o $mem.hugo -f %M hugo --quiet -s $hsite -d $hout --themesDir $THEMES --cacheDir $WORK/hugo-cache" \
		>/dev/null

	pages=$(find "$ours" -name '*.html' | wc -l)
	pages_h=$(find "$hout" -name '*.html' | wc -l)
	files=$(find "$ours" -type f | wc -l)
	files_h=$(find "$hout" -type f | wc -l)
	bytes=$(sum_sizes "$ours")
	bytes_h=$(sum_sizes "$hout")
	"$PY" - "$n" "$json" "$pages" "$pages_h" "$(max_line "$mem.ours")" \
		"$(max_line "$mem.hugo")" "$files" "$bytes" "$files_h" "$bytes_h" \
		"$runs" "$res" "$cpu" <<'PY'
import json, sys
(n, js, pages, pages_h, kib, kib_h, files, size, files_h, size_h, runs,
 res, cpu) = sys.argv[1:]
o = json.load(open(js + ".ours.json"))["results"][0]
h = json.load(open(js + ".hugo.json"))["results"][0]
ms, ms_h = o["mean"] * 1000 / int(pages), h["mean"] * 1000 / int(pages_h)
row = ("%-7s %7s %7s %8.2f %8.2f %8.3f %8.3f %6.2f %8.1f %8.1f %8s %9.1f" %
       (n, pages, pages_h, o["mean"], h["mean"], ms, ms_h, ms_h / ms,
        int(kib) / 1024, int(kib_h) / 1024, files, int(size) / 1e6))
print(row)
open(res, "a").write(row + "\n")
open(cpu, "a").write("%-7s %7.2f %7.2f %8.2f %8.2f %8.2f %8.2f %6s %9s %9.1f\n" % (
    n, o["stddev"] or 0, h["stddev"] or 0, o["user"], o["system"], h["user"],
    h["system"], runs, files_h, int(size_h) / 1e6))
PY

	# Rebuilds over the site the timed builds left.
	"$BIN" build --data "$gen" --out "$ours" --templates "$WORK/templates" >/dev/null 2>&1
	note "$n: timing build --full and a one-change rebuild ($runs runs each)"
	hyperfine --warmup 0 --runs "$runs" --style none \
		--export-json "$json.full.json" \
		-n full "$BIN build --data $gen --out $ours --templates $WORK/templates --full" \
		>/dev/null
	"$BIN" build --data "$gen" --out "$ours" --templates "$WORK/templates" >/dev/null 2>&1
	one=$(find "$gen/records" -name '*.yaml' | sort | sed -n 2p)
	one_id=$(basename "$one" .yaml)
	cp "$one" "$WORK/one-$n.yaml"
	hyperfine --warmup 1 --runs "$runs" --style none \
		--export-json "$json.one.json" \
		--prepare "sed -i 's/^name: .*/name: Bench Edit '\$(date +%s%N)'/' $one" \
		-n one "$BIN build --data $gen --out $ours --templates $WORK/templates" \
		>/dev/null
	edited=$(sed -n 's/^name: //p' "$one")
	if ! grep -qF "$edited" "$ours/c/$one_id/index.html"; then
		echo "bench/build.sh: the one-change rebuild did not update c/$one_id/" >&2
		cp "$WORK/one-$n.yaml" "$one"
		exit 1
	fi
	cp "$WORK/one-$n.yaml" "$one"
	"$PY" - "$n" "$json" "$rebuilds" <<'PY'
import json, sys
n, js, out = sys.argv[1:]
first = json.load(open(js + ".ours.json"))["results"][0]
full = json.load(open(js + ".full.json"))["results"][0]
one = json.load(open(js + ".one.json"))["results"][0]
row = "%-7s %8.2f %8.2f %8.2f %8.2f %8.3f %8.2f %7.1f%%" % (
    n, first["mean"], full["mean"], full["user"], full["system"],
    one["mean"], one["user"], 100 * one["mean"] / full["mean"])
print(row)
open(out, "a").write(row + "\n")
PY
done
echo "# rebuilds of our site: the first build (above), build --full over it," \
	"one record changed (mean s, user s) and its share of --full" | tee -a "$res"
tee -a "$res" <"$rebuilds"
echo "# standard deviation of the build times; mean CPU seconds per build" \
	"(user, system); Hugo's files and MB" | tee -a "$res"
tee -a "$res" <"$cpu"
