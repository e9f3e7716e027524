#!/usr/bin/env bash
# btfkit split on a corpus module, bpftool as the oracle: the standalone form
# (no base, every reached vmlinux type copied) split back onto vmlinux reads
# in bpftool exactly as the shipped module does; the same through
# --from-base; errors (no base, bad input) leave no output file; usage.
# Every module: tests/corpus/split-roundtrip.sh.
. "$BTFKIT_SRC/tests/lib.sh"
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT

if need_corpus cli/split && need_bpftool cli/split; then
	ko="$BTFKIT_CORPUS/$(grep '/e1000e\.ko$' "$BTFKIT_CORPUS/modules.list" | head -1)"
	bpftool btf dump file "$ko" -B "$VMLINUX" > "$d/want"

	t=cli/split-standalone-and-back
	if "$BTFKIT" split --standalone -B "$VMLINUX" "$ko" -o "$d/alone.btf" 2> "$d/err" &&
		bpftool btf dump file "$d/alone.btf" > "$d/alone.raw" 2>> "$d/err" &&
		! "$BTFKIT" stats "$d/alone.btf" | grep -q '^split on' &&
		grep -q "STRUCT 'e1000_adapter'" "$d/alone.raw" && grep -q "STRUCT 'net_device' size=" "$d/alone.raw" &&
		"$BTFKIT" split -B "$VMLINUX" "$d/alone.btf" -o "$d/back.btf" 2>> "$d/err" &&
		bpftool btf dump file "$d/back.btf" -B "$VMLINUX" | cmp -s - "$d/want"; then
		pass "$t ($(grep -c '^\[' "$d/alone.raw") standalone types, $(grep -c '^\[' "$d/want") split)"
	else
		fail $t "$(head -3 "$d/err" | tr '\n' ' ')"
	fi

	t=cli/split-from-base
	# split BTF on one base object, moved onto another (the same vmlinux, read twice)
	if "$BTFKIT" split --from-base "$VMLINUX" -B "$VMLINUX" "$ko" -o "$d/moved.btf" 2> "$d/err" &&
		bpftool btf dump file "$d/moved.btf" -B "$VMLINUX" | cmp -s - "$d/want"; then
		pass $t
	else
		fail $t "$(head -3 "$d/err" | tr '\n' ' ')"
	fi

	t=cli/split-no-base
	"$BTFKIT" split "$ko" -o "$d/nobase.btf" > /dev/null 2> "$d/err"
	rc=$?
	if [ $rc = 1 ] && [ ! -e "$d/nobase.btf" ] &&
		[ "$(cat "$d/err")" = "btfkit: $ko: no base BTF to split onto (-B BASE)" ]; then
		pass $t
	else
		fail $t "exit $rc: $(cat "$d/err")"
	fi
fi

t=cli/split-bad-input
printf 'not btf at all' > "$d/junk"
"$BTFKIT" split -B "$BTFKIT_TEST_DATA/sample.btf" "$d/junk" -o "$d/out.btf" > /dev/null 2> "$d/err"
rc=$?
if [ $rc = 1 ] && [ ! -e "$d/out.btf" ] && grep -q "^btfkit: $d/junk: not BTF" "$d/err" &&
	[ -z "$(ls "$d"/out.btf.* 2>/dev/null)" ]; then
	pass $t
else
	fail $t "exit $rc: $(cat "$d/err")"
fi

t=cli/split-needs-output
"$BTFKIT" split -B "$BTFKIT_TEST_DATA/sample.btf" "$BTFKIT_TEST_DATA/sample.btf" > /dev/null 2> "$d/err"
rc=$?
[ $rc = 2 ] && grep -q "Usage: btfkit split" "$d/err" && pass $t || fail $t "exit $rc: $(head -1 "$d/err")"
