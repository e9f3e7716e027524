#!/usr/bin/env bash
# btfkit dedup: two copies of one BTF collapse to one (exact dump; only the
# second copy's VARs and DATASECs stay, as they are never merged), an
# already deduplicated input is unchanged, --explain, usage and input errors
# (exit 2 / 1, no output file left behind).
. "$BTFKIT_SRC/tests/lib.sh"
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
S="$BTFKIT_TEST_DATA/sample.bpf.o"

t=cli/dedup-two-copies
"$BTFKIT" dedup -v -o "$d/o" "$S" "$S" 2> "$d/err"
rc=$?
"$BTFKIT" dump "$d/o" > "$d/o.txt" 2>> "$d/err"
head -n "$(wc -l < "$BTFKIT_TEST_DATA/sample.bpf.o.raw")" "$d/o.txt" > "$d/first.txt"
extra=$(tail -n +"$(( $(wc -l < "$BTFKIT_TEST_DATA/sample.bpf.o.raw") + 1 ))" "$d/o.txt" | grep '^\[' |
	awk '{print $2}' | sort | uniq -c | tr -s ' ' | tr '\n' ';')
if [ $rc -eq 0 ] && cmp -s "$d/first.txt" "$BTFKIT_TEST_DATA/sample.bpf.o.raw" &&
	[ "$extra" = " 4 DATASEC; 6 VAR;" ] && grep -q 'dedup: 106 input types, 63 after' "$d/err"; then
	pass "$t (106 -> 63 types: 53 + the second copy's 6 VARs and 4 DATASECs)"
else
	fail $t "rc $rc, extra: $extra: $(head -3 "$d/err" | tr '\n' ';')"
fi

t=cli/dedup-idempotent
if "$BTFKIT" dedup -o "$d/o2" "$d/o" 2> "$d/err" && cmp -s "$d/o" "$d/o2"; then
	pass $t
else
	fail $t "second dedup changed the output: $(head -2 "$d/err" | tr '\n' ';')"
fi

t=cli/dedup-explain
"$BTFKIT" dedup -o "$d/o3" "$S" --explain nosuchname > "$d/ex" 2> "$d/err"
rc=$?
if [ $rc -eq 0 ] && [ "$(cat "$d/ex")" = "no type named 'nosuchname'" ]; then
	pass $t
else
	fail $t "rc $rc: $(cat "$d/ex" "$d/err" | head -3 | tr '\n' ';')"
fi

t=cli/dedup-usage
"$BTFKIT" dedup "$S" > /dev/null 2> "$d/err"; rc1=$?
"$BTFKIT" dedup -o "$d/x" > /dev/null 2>> "$d/err"; rc2=$?
"$BTFKIT" dedup --bogus -o "$d/x" "$S" > /dev/null 2>> "$d/err"; rc3=$?
if [ $rc1 -eq 2 ] && [ $rc2 -eq 2 ] && [ $rc3 -eq 2 ] && [ ! -e "$d/x" ]; then
	pass $t
else
	fail $t "exit statuses $rc1 $rc2 $rc3 (want 2 2 2)"
fi

t=cli/dedup-bad-input
printf 'not btf' > "$d/bad"
"$BTFKIT" dedup -o "$d/y" "$S" "$d/bad" > /dev/null 2> "$d/err"
rc=$?
if [ $rc -eq 1 ] && [ ! -e "$d/y" ] && grep -q "^btfkit: $d/bad: " "$d/err"; then
	pass $t
else
	fail $t "rc $rc: $(head -2 "$d/err" | tr '\n' ';')"
fi

t=cli/dedup-help
if "$BTFKIT" dedup --help | grep -q -- '--explain NAME' && "$BTFKIT" --help | grep -q '^  dedup '; then
	pass $t
else
	fail $t "--help does not document dedup"
fi
