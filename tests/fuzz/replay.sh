#!/usr/bin/env bash
# Replay the saved fuzz corpus and every crash file ever found through every
# fuzz target, without libFuzzer ($BUILD/fuzz/replay-NAME, built with the
# sanitizers of the build): a crash, a sanitizer report, a leak or a broken
# invariant fails the target's line. Each target sees all inputs, not only
# its own: a raw-BTF crash file also exercises the split and dump targets.
# REPLAY_BUILDS (make check: build/clang) names more builds, relative to the
# source tree, whose replay-NAME binaries run the same inputs: clang's
# UBSan flags what gcc's does not (a zero offset on a null pointer).
. "$(dirname "$0")/../lib.sh"
cd "$BTFKIT_SRC" || exit 1

inputs=()
for d in tests/fuzz/corpus/* tests/fuzz/crashes/*; do
	[ -d "$d" ] && inputs+=("$d")
done
if [ ${#inputs[@]} -eq 0 ]; then
	fail fuzz/replay "no corpus under tests/fuzz/corpus"
	exit 0
fi
# replay NAME BIN: one line for one target's binary
replay() {
	local t0 t1 out rc n

	if [ ! -x "$2" ]; then
		fail "fuzz/replay-$1" "$2 not built (make tests, or make replay-bins for that build)"
		return
	fi
	t0=$(date +%s)
	out=$("$2" "${inputs[@]}" 2>&1)
	rc=$?
	t1=$(date +%s)
	if [ $rc -ne 0 ]; then
		fail "fuzz/replay-$1" "exit $rc: $(printf '%s\n' "$out" | grep -m1 -E 'ERROR|runtime error|invariant|replay:' || printf '%s' "$out" | tail -1)"
		return
	fi
	n=$(printf '%s\n' "$out" | sed -n 's/^replayed \([0-9]*\) inputs$/\1/p')
	pass "fuzz/replay-$1 ($n inputs, $((t1 - t0))s)"
}

for src in tests/fuzz/targets/*.c; do
	t=$(basename "$src" .c)
	replay "$t" "$BTFKIT_BUILD/fuzz/replay-$t"
	for b in ${REPLAY_BUILDS:-}; do
		replay "$t@$(basename "$b")" "$BTFKIT_SRC/$b/fuzz/replay-$t"
	done
done
