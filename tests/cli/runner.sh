# Sourced by tests/run: tests/run itself. A unit test that was not built,
# a test program that reports no test, a suite that finds nothing to run
# and a suite that does not exist each fail by name, and the run fails:
# "0 tests" never reads as a pass. Each case runs tests/run again, on a
# stand-in build folder or a copy of the runner in a tree of its own.
# Uses $ROOT and $TMP, check and expect_lines from tests/run.

runner=$TMP/runner
mkdir -p "$runner/empty"

# run_runner DIR ARGS...: DIR/tests/run (the repository's or a copy) with a
# stand-in BUILD; sets runner_said and runner_status.
run_runner() {
	local tree=$1
	shift
	runner_said=$(BUILD=${RUNNER_BUILD:-$runner/empty} TEST_WRAPPER= \
		"$tree/tests/run" "$@" 2>&1)
	runner_status=$?
}

# runner_expect STATUS LINE...: the last run exited STATUS and printed
# each LINE (the count at the end without its time).
runner_expect() {
	local want=$1
	shift
	expect_lines "$runner_status" "$want" \
		"$(sed 's/ ([0-9]* s)$//' <<<"$runner_said")" "$@"
}

unit_sources=(tests/unit/test_*.c)

# No unit test built: each fails by name, none passes.
runner_unbuilt() {
	run_runner "$ROOT" unit
	runner_expect 1 "tests: 0 passed, ${#unit_sources[@]} failed, 0 skipped" \
		"not ok - unit: $runner/empty/tests/test_score is built (make test builds it)" \
		"not ok - unit: $runner/empty/tests/test_store is built (make test builds it)"
}
check "runner: a unit test that is not built fails by name" runner_unbuilt

# Stand-ins for two built tests: one passes, one prints no test and
# exits 0; the rest are missing.
mkdir -p "$runner/some/tests"
printf '#!/bin/sh\necho "ok 1 - counted"\n' >"$runner/some/tests/test_score"
printf '#!/bin/sh\necho "1..0"\n' >"$runner/some/tests/test_store"
chmod +x "$runner/some/tests/test_score" "$runner/some/tests/test_store"
runner_silent() {
	RUNNER_BUILD=$runner/some run_runner "$ROOT" unit
	runner_expect 1 "tests: 1 passed, $((${#unit_sources[@]} - 1)) failed, 0 skipped" \
		"ok - test_score: counted" \
		"not ok - test_store: reported no tests"
}
check "runner: a test program that reports no test fails" runner_silent

# A copy of the runner with no tests beside it: every suite that finds
# nothing fails, and so does the run.
mkdir -p "$runner/bare/tests/cli" "$runner/bare/tests/unit"
cp "$ROOT/tests/run" "$runner/bare/tests/"
runner_bare() {
	run_runner "$runner/bare" unit cli
	runner_expect 1 "tests: 0 passed, 2 failed, 0 skipped" \
		"not ok - unit: the suite ran no tests" \
		"not ok - cli: the suite ran no tests"
}
check "runner: a suite that runs no tests fails" runner_bare

runner_unknown() {
	run_runner "$ROOT" nosuch
	runner_expect 1 "tests: 0 passed, 1 failed, 0 skipped" &&
		grep -q '^not ok - nosuch: no such suite (suites: .*unit' \
			<<<"$runner_said"
}
check "runner: a suite that does not exist fails" runner_unknown
