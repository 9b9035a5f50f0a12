#!/usr/bin/env bash
# fuzz/run.sh BINDIR [NAME...] - fuzz each libFuzzer binary BINDIR/fuzz_NAME
# (make fuzz builds them; default: all of them) for FUZZ_SECONDS (15) from
# a scratch copy of its corpus fuzz/corpus/NAME, with fuzz/NAME.dict as its
# dictionary when there is one. The repository is never written to: new
# inputs stay in the scratch folder, which is removed. One line per
# harness says how many inputs ran and the coverage reached. A crash, a
# leak, a sanitizer report, an input that runs longer than FUZZ_TIMEOUT
# (25 s) or a harness's own abort() fails it: its log is printed and the
# input that did it is kept in build/fuzz/found/ (reproduce with
# `BINDIR/fuzz_NAME FILE`). The exit status is 1 when any harness failed.
set -u
cd "$(dirname "$0")/.."
bindir=${1:?usage: fuzz/run.sh BINDIR [NAME...]}
shift
seconds=${FUZZ_SECONDS:-15}
timeout=${FUZZ_TIMEOUT:-25}
found=build/fuzz/found
scratch=$(mktemp -d "${TMPDIR:-/tmp}/atlas-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	for f in fuzz/fuzz_*.c; do
		f=${f##*/fuzz_}
		names+=("${f%.c}")
	done
fi

# UBSan already stops at its first report (-fno-sanitize-recover=all);
# this makes sure of it and asks for the stack. LeakSanitizer is on.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
# A leak inside libfyaml itself is known and reported upstream (see the
# file); every other leak still fails the run.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

failed=0
for name in "${names[@]}"; do
	bin=$bindir/fuzz_$name
	if [ ! -x "$bin" ]; then
		echo "fuzz_$name: FAILED: no $bin (make fuzz builds it)"
		failed=1
		continue
	fi
	corpus=$scratch/$name/corpus
	mkdir -p "$corpus"
	if [ -d "fuzz/corpus/$name" ]; then
		cp fuzz/corpus/"$name"/* "$corpus/"
	fi
	seeds=$(find "$corpus" -type f | wc -l)
	dict=()
	[ -f "fuzz/$name.dict" ] && dict=("-dict=fuzz/$name.dict")
	log=$scratch/$name/log
	"$bin" -max_total_time="$seconds" -timeout="$timeout" \
		-artifact_prefix="$scratch/$name/" -print_final_stats=1 \
		"${dict[@]}" "$corpus" >"$log" 2>&1
	status=$?
	done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1)
	runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' "$log")
	units=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\) corp: \([0-9]*\).*/cov \1, features \2, corpus \3/p' \
		<<<"$done_line")
	if [ $status -eq 0 ] && [ -n "$done_line" ]; then
		echo "fuzz_$name: ok, ${runs:-? runs}, $cov (from $seeds seeds)"
		continue
	fi
	failed=1
	echo "fuzz_$name: FAILED (exit status $status) after ${units:-an unknown number of} runs"
	mkdir -p "$found"
	for a in "$scratch/$name"/crash-* "$scratch/$name"/leak-* \
		"$scratch/$name"/timeout-* "$scratch/$name"/oom-*; do
		[ -f "$a" ] || continue
		cp "$a" "$found/fuzz_$name-${a##*/}"
		echo "    input kept as $found/fuzz_$name-${a##*/}"
	done
	# The report, from its first line (else the end of the log).
	report=$(sed -n '/runtime error:\|ERROR: \(AddressSanitizer\|LeakSanitizer\|libFuzzer\)/,$p' "$log")
	[ -n "$report" ] || report=$(tail -n 40 "$log")
	head -n 60 <<<"$report" | sed 's/^/    /'
done
exit $failed
