#!/usr/bin/env bash
# btfkit merge: several BTFs appended into one (IDs renumbered, no dedup),
# split inputs on a shared base, atomic output and error handling.
. "$BTFKIT_SRC/tests/lib.sh"
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
S="$BTFKIT_TEST_DATA/sample.bpf.o"

t=cli/merge-two
"$BTFKIT" merge -o "$d/m" "$S" "$S" 2>"$d/err"
rc=$?
"$BTFKIT" dump "$d/m" > "$d/m.txt" 2>>"$d/err"
n=$(grep -c '^\[' "$d/m.txt")
# The first copy dumps exactly as the input; the second has IDs + 53.
head -n "$(wc -l < "$BTFKIT_TEST_DATA/sample.bpf.o.raw")" "$d/m.txt" > "$d/first.txt"
if [ $rc -eq 0 ] && [ "$n" = 106 ] && cmp -s "$d/first.txt" "$BTFKIT_TEST_DATA/sample.bpf.o.raw" &&
	grep -q "^\[54\] PTR '(anon)' type_id=55$" "$d/m.txt"; then
	pass "$t (106 types)"
else
	fail $t "rc $rc, $n types: $(head -3 "$d/err" | tr '\n' ';')"
fi

t=cli/merge-bpftool-agrees
if need_bpftool $t; then
	if bpftool btf dump file "$d/m" format raw > "$d/bt.txt" 2>&1 && cmp -s "$d/bt.txt" "$d/m.txt"; then
		pass $t
	else
		fail $t "bpftool dump of the merged file differs"
	fi
fi

t=cli/merge-split-on-base
if need_corpus $t; then
	ko1="$BTFKIT_CORPUS/$(sed -n 10p "$BTFKIT_CORPUS/modules.list")"
	ko2="$BTFKIT_CORPUS/$(sed -n 20p "$BTFKIT_CORPUS/modules.list")"
	"$BTFKIT" merge -B "$VMLINUX" -o "$d/s" "$ko1" "$ko2" 2>"$d/err"
	rc=$?
	n1=$("$BTFKIT" dump -B "$VMLINUX" "$ko1" | grep -c '^\[')
	n2=$("$BTFKIT" dump -B "$VMLINUX" "$ko2" | grep -c '^\[')
	"$BTFKIT" dump -B "$VMLINUX" "$d/s" > "$d/s.txt" 2>>"$d/err"
	n=$(grep -c '^\[' "$d/s.txt")
	ok=1
	[ $rc -eq 0 ] && [ "$n" = $((n1 + n2)) ] || ok=0
	if command -v bpftool >/dev/null; then
		bpftool -B "$VMLINUX" btf dump file "$d/s" format raw 2>/dev/null | cmp -s - "$d/s.txt" || ok=0
	fi
	[ $ok = 1 ] && pass "$t ($n1 + $n2 types)" || fail $t "rc $rc, $n types (want $n1 + $n2): $(head -3 "$d/err" | tr '\n' ';')"
fi

t=cli/merge-errors
ok=1
"$BTFKIT" merge -o "$d/x" 2>"$d/e1"; [ $? -eq 2 ] && grep -q 'missing FILE' "$d/e1" || ok=0
"$BTFKIT" merge "$S" 2>"$d/e2"; [ $? -eq 2 ] && grep -q 'missing output file' "$d/e2" || ok=0
"$BTFKIT" merge -o "$d/x" "$S" "$d/nonexistent" 2>"$d/e3"; [ $? -eq 1 ] || ok=0
grep -qx "btfkit: $d/nonexistent: cannot open: No such file or directory" "$d/e3" || ok=0
[ -e "$d/x" ] && ok=0
[ $ok = 1 ] && pass $t || fail $t "$(cat "$d"/e[1-3] | tr '\n' ';')"

t=cli/merge-help
if "$BTFKIT" merge --help | grep -q -- '-o, --output OUT' && "$BTFKIT" --help | grep -q '^  merge'; then
	pass $t
else
	fail $t "--help does not document merge"
fi
