#!/usr/bin/env bash
# The btfkit test suite. Runs every suite and ends with "N passed, M failed"
# (preceded by "K skipped").
#
# Protocol: every suite (the unit binary and each tests/*/*.sh script) prints
# one line per test: "PASS name", "FAIL name: why" or "SKIP name: why".
# Other output lines are shown as they are. Usage:
#   tests/run.sh [SUITE...]    suites: unit lint cli diff corpus fuzz (default: all)
# Environment: BUILD (build directory, default build), BTFKIT_CORPUS (corpus
# cache, default /var/cache/btfkit-corpus), BTFKIT_TIER (fast, check or corpus:
# how much of the corpus the corpus tests cover; see tests/lib.sh), TEST_JOBS
# (scripts of a suite run at once, default 1; their output is reported in order).
set -u
cd "$(dirname "$0")/.."
export BUILD="${BUILD:-build}"
export BTFKIT="$PWD/$BUILD/btfkit"
export BTFKIT_BUILD="$PWD/$BUILD"
export BTFKIT_SRC="$PWD"
export BTFKIT_TEST_DATA="$PWD/tests/data"
export BTFKIT_CORPUS="${BTFKIT_CORPUS:-/var/cache/btfkit-corpus}"
# Sanitizer builds: fail on any report, leaks included.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=86}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=87}"

suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=(unit lint cli diff corpus fuzz)

passed=0 failed=0 skipped=0
failures=()
count() {
	while IFS= read -r line; do
		case "$line" in
		PASS\ *) passed=$((passed + 1)); [ -n "${VERBOSE:-}" ] && echo "$line" ;;
		FAIL\ *) failed=$((failed + 1)); failures+=("$line"); echo "$line" ;;
		SKIP\ *) skipped=$((skipped + 1)); echo "$line" ;;
		*) echo "$line" ;;
		esac
	done
}

# one test script, its output and stderr, and a FAIL line if it exits non-zero
run_script() {
	bash "$1" 2>&1
	local rc=$?
	[ $rc -ne 0 ] && echo "FAIL $1: script exited $rc"
	return 0
}
# TEST_JOBS: how many scripts of a suite run at once (make check-corpus: one per CPU)
TEST_JOBS="${TEST_JOBS:-1}"

start=$(date +%s)
echo "-- tier: ${BTFKIT_TIER:-check} (fast: make check-fast, check: make check, corpus: make check-corpus)"
for s in "${suites[@]}"; do
	t0=$(date +%s)
	case "$s" in
	unit)
		if [ -x "$BUILD/tests/unit" ]; then
			count < <("$BUILD/tests/unit" 2>&1; rc=$?; [ $rc -gt 1 ] && echo "FAIL unit: runner exited $rc (crash or sanitizer report)")
		else
			count <<< "FAIL unit: $BUILD/tests/unit not built"
		fi ;;
	*)
		scripts=()
		for f in tests/"$s"/*.sh; do [ -e "$f" ] && scripts+=("$f"); done
		if [ "$TEST_JOBS" -le 1 ]; then
			for f in "${scripts[@]}"; do
				t1=$(date +%s)
				count < <(run_script "$f")
				echo "--   $f: $(( $(date +%s) - t1 ))s"
			done
		else
			# TEST_JOBS scripts at a time, each into its own log; the logs
			# are counted in script order, so the report reads as a serial run
			out=$(mktemp -d "${TMPDIR:-/tmp}/btfkit-run.XXXXXX")
			pids=()
			for i in "${!scripts[@]}"; do
				while [ "$(jobs -rp | wc -l)" -ge "$TEST_JOBS" ]; do wait -n; done
				( t1=$(date +%s); run_script "${scripts[$i]}" > "$out/$i.log"
				  echo "$(( $(date +%s) - t1 ))" > "$out/$i.time" ) &
				pids[$i]=$!
			done
			for i in "${!scripts[@]}"; do
				wait "${pids[$i]}"
				count < "$out/$i.log"
				echo "--   ${scripts[$i]}: $(cat "$out/$i.time")s (with $TEST_JOBS scripts at a time)"
			done
			rm -rf "$out"
		fi ;;
	esac
	echo "-- suite $s: $(( $(date +%s) - t0 ))s"
done
echo "-- total time: $(( $(date +%s) - start ))s"
if [ ${#failures[@]} -gt 0 ]; then
	echo "Failures:"
	printf '  %s\n' "${failures[@]}"
fi
echo "$skipped skipped"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
