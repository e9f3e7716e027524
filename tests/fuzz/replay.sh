#!/usr/bin/env bash
# Replay the saved fuzz corpus and every crash file ever found through every
# fuzz target, without libFuzzer ($BUILD/fuzz/replay-NAME, built with the
# sanitizers of the build): a crash, a sanitizer report, a leak or a broken
# invariant fails the target's line. Each target sees all inputs, not only
# its own: a raw-BTF crash file also exercises the split and dump targets.
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
for src in tests/fuzz/targets/*.c; do
	t=$(basename "$src" .c)
	bin="$BTFKIT_BUILD/fuzz/replay-$t"
	if [ ! -x "$bin" ]; then
		fail "fuzz/replay-$t" "$bin not built (make tests)"
		continue
	fi
	t0=$(date +%s)
	out=$("$bin" "${inputs[@]}" 2>&1)
	rc=$?
	t1=$(date +%s)
	if [ $rc -ne 0 ]; then
		fail "fuzz/replay-$t" "exit $rc: $(printf '%s\n' "$out" | grep -m1 -E 'ERROR|runtime error|invariant|replay:' || printf '%s' "$out" | tail -1)"
		continue
	fi
	n=$(printf '%s\n' "$out" | sed -n 's/^replayed \([0-9]*\) inputs$/\1/p')
	pass "fuzz/replay-$t ($n inputs, $((t1 - t0))s)"
done
