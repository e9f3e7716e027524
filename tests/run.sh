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
# how much of the corpus the corpus tests cover; see tests/lib.sh).
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
		for f in tests/"$s"/*.sh; do
			[ -e "$f" ] || continue
			t1=$(date +%s)
			count < <(bash "$f" 2>&1; rc=$?; [ $rc -ne 0 ] && echo "FAIL $f: script exited $rc")
			echo "--   $f: $(( $(date +%s) - t1 ))s"
		done ;;
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
