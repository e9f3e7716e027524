#!/usr/bin/env bash
# btfkit diff on whole kernels: the corpus vmlinux (Debian 6.1) against the
# running kernel's /sys/kernel/btf/vmlinux (6.18).
#  - each against itself: nothing differs (exit 0);
#  - OLD -> NEW: deterministic (two runs, text and JSON, byte for byte), the
#    reverse diff swaps added and removed and has the same changed types;
#  - 50 changed structs, spread over the alphabet, then every checkable one:
#    the member changes (added, removed, retyped, moved) and sizes equal what
#    the two C headers (bpftool btf dump format c) and pahole's offsets show
#    (tests/corpus/diff_compare.py);
#  - split against split, each on its own base: 6.18's types vmlinux 6.1
#    lacks as split BTF on 6.1, against 6.1's that 6.18 lacks on 6.18 (both
#    made by btfkit dedup -B): every changed type is reported exactly as in
#    the whole NEW -> OLD diff (tests/corpus/diff_blocks.py);
#  - 10 modules against themselves (-B and --new-base), and two modules
#    against each other both ways (added and removed swap).
. "$BTFKIT_SRC/tests/lib.sh"
need_corpus corpus/diff || exit 0
if ! command -v python3 >/dev/null; then
	skip corpus/diff "python3 not installed (scripts/install-deps)"
	exit 0
fi
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
S=/sys/kernel/btf/vmlinux
CMP="$BTFKIT_SRC/tests/corpus/diff_compare.py"

for f in "$VMLINUX" "$S"; do
	[ -r "$f" ] || continue
	"$BTFKIT" diff "$f" "$f" > "$d/self" 2> "$d/err"
	rc=$?
	t=corpus/diff-self-$([ "$f" = "$S" ] && echo sysfs || echo corpus)
	[ $rc -eq 0 ] && grep -qx '0 added, 0 removed, 0 changed, [0-9]* unchanged' "$d/self" &&
		pass "$t: $(cat "$d/self")" || fail $t "rc=$rc $(head -2 "$d/self" "$d/err")"
done

if [ ! -r "$S" ]; then
	skip corpus/diff-kernels "no $S on this host"
	exit 0
fi
"$BTFKIT" diff "$VMLINUX" "$S" > "$d/a.txt"; rc1=$?
"$BTFKIT" diff "$VMLINUX" "$S" > "$d/b.txt"; rc2=$?
"$BTFKIT" diff --json "$VMLINUX" "$S" > "$d/a.json"; rc3=$?
"$BTFKIT" diff --json "$VMLINUX" "$S" > "$d/b.json"
if [ $rc1 -eq 1 ] && [ $rc2 -eq 1 ] && [ $rc3 -eq 1 ] && cmp -s "$d/a.txt" "$d/b.txt" && cmp -s "$d/a.json" "$d/b.json"; then
	pass "corpus/diff-deterministic: $(tail -1 "$d/a.txt")"
else
	fail corpus/diff-deterministic "rc=$rc1/$rc2/$rc3, or two runs differ"
fi
"$BTFKIT" diff "$S" "$VMLINUX" > "$d/rev.txt"
read -r a1 _ r1 _ c1 _ u1 _ < <(tail -1 "$d/a.txt" | tr -d ,)
read -r a2 _ r2 _ c2 _ u2 _ < <(tail -1 "$d/rev.txt" | tr -d ,)
if [ "$a1 $r1 $c1 $u1" = "$r2 $a2 $c2 $u2" ] &&
	cmp -s <(grep '^~' "$d/a.txt" | sed 's/ \[[0-9]* -> [0-9]*\]$//' | sort) <(grep '^~' "$d/rev.txt" | sed 's/ \[[0-9]* -> [0-9]*\]$//' | sort); then
	pass "corpus/diff-reverse: added and removed swap, the same $c1 changed types"
else
	fail corpus/diff-reverse "forward '$a1 $r1 $c1 $u1', reverse '$a2 $r2 $c2 $u2'"
fi

# member changes against the C headers
if need_bpftool corpus/diff-headers && command -v pahole >/dev/null; then
	bpftool btf dump file "$VMLINUX" format c > "$d/old.h"
	bpftool btf dump file "$S" format c > "$d/new.h"
	for n in 50 100000; do
		python3 "$CMP" --pick $n "$d/a.json" "$d/old.h" "$d/new.h" > "$d/picked"
		# pahole 1.24 warns "Unknown kind" about tags on stderr: not an error
		pahole -F btf -C "$(cat "$d/picked")" "$VMLINUX" > "$d/old.p" 2> /dev/null
		pahole -F btf -C "$(cat "$d/picked")" "$S" > "$d/new.p" 2> /dev/null
		python3 "$CMP" --name "corpus/diff-headers-$([ $n -eq 50 ] && echo 50 || echo all)" \
			"$d/a.json" "$d/old.h" "$d/new.h" "$d/old.p" "$d/new.p" < "$d/picked"
	done
elif command -v bpftool >/dev/null; then
	skip corpus/diff-headers "pahole not installed (dwarves, scripts/install-deps)"
fi

# split against split, each on its own base
if "$BTFKIT" dedup -B "$VMLINUX" -o "$d/new-on-old.btf" "$S" 2> "$d/err" &&
	"$BTFKIT" dedup -B "$S" -o "$d/old-on-new.btf" "$VMLINUX" 2>> "$d/err"; then
	"$BTFKIT" diff -B "$VMLINUX" "$d/new-on-old.btf" --new-base "$S" "$d/old-on-new.btf" > "$d/split.txt" 2> "$d/err"
	rc=$?
	if [ $rc -eq 1 ]; then
		python3 "$BTFKIT_SRC/tests/corpus/diff_blocks.py" corpus/diff-split "$d/split.txt" "$d/rev.txt"
	else
		fail corpus/diff-split "rc=$rc $(head -2 "$d/err")"
	fi
else
	fail corpus/diff-split "dedup failed: $(head -2 "$d/err")"
fi

# modules
mods=$(grep -E '/(ext4|xfs|btrfs|nf_tables|kvm|bluetooth|mac80211|i915|sctp|nfsd)\.ko$' "$BTFKIT_CORPUS/modules.list" | head -10)
bad=0 n=0
for m in $mods; do
	n=$((n + 1))
	"$BTFKIT" diff -B "$VMLINUX" "$BTFKIT_CORPUS/$m" --new-base "$VMLINUX" "$BTFKIT_CORPUS/$m" > "$d/out" 2>&1 ||
		{ bad=$((bad + 1)); echo "  $m: $(head -2 "$d/out" | tr '\n' ' ')"; }
done
[ $n -gt 0 ] && [ $bad -eq 0 ] && pass "corpus/diff-modules-self ($n modules, -B and --new-base)" ||
	fail corpus/diff-modules-self "$bad of $n modules differ from themselves"
m1="$BTFKIT_CORPUS/$(grep -m1 '/ext4\.ko$' "$BTFKIT_CORPUS/modules.list")"
m2="$BTFKIT_CORPUS/$(grep -m1 '/xfs\.ko$' "$BTFKIT_CORPUS/modules.list")"
"$BTFKIT" diff -B "$VMLINUX" "$m1" "$m2" > "$d/m12"; rc1=$?
"$BTFKIT" diff -B "$VMLINUX" "$m2" "$m1" > "$d/m21"; rc2=$?
read -r a1 _ r1 _ c1 _ u1 _ < <(tail -1 "$d/m12" | tr -d ,)
read -r a2 _ r2 _ c2 _ u2 _ < <(tail -1 "$d/m21" | tr -d ,)
[ $rc1 -eq 1 ] && [ $rc2 -eq 1 ] && [ "$a1 $r1 $c1 $u1" = "$r2 $a2 $c2 $u2" ] && [ "$a1" -gt 0 ] &&
	pass "corpus/diff-modules-pair (ext4.ko vs xfs.ko: $(tail -1 "$d/m12"); reversed: added and removed swap)" ||
	fail corpus/diff-modules-pair "rc=$rc1/$rc2 '$(tail -1 "$d/m12")' / '$(tail -1 "$d/m21")'"
