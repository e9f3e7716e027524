#!/usr/bin/env bash
# Directory inputs (module trees) for stats, validate and dump, on copies of
# the shipped sample object named like modules (.ko, .ko.xz, .ko.gz,
# .ko.zst): sorted paths, symlinks followed once, one bad module reported
# and counted with exit 1, JSON per module plus a summary, the same output
# at -j1 and -j3, a progress bar only on a terminal and not with -q,
# Ctrl-C stopping promptly without leaving an output file, and a tree of
# many modules with bad ones among them reading as its files read one by
# one (the same lines and messages, in order, at -j1 and -j2).
. "$BTFKIT_SRC/tests/lib.sh"
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
S="$BTFKIT_TEST_DATA/sample.bpf.o"
GOLD="$BTFKIT_TEST_DATA/sample.bpf.o.raw"
T="$d/tree"
mkdir -p "$T/sub/deeper"
cp "$S" "$T/sub/a.ko"
cp "$BTFKIT_TEST_DATA/sample.bpf.o.xz" "$T/sub/deeper/b.ko.xz"
gzip -c "$S" > "$T/c.ko.gz"
zstd -q -c "$S" > "$T/d.ko.zst"
printf 'not a module' > "$T/bad.ko"
cp "$S" "$T/ignored.o"
ln -s .. "$T/sub/loop"
ln -s sub/a.ko "$T/z-again.ko"
size=$("$BTFKIT" stats --json "$S" | sed 's/.*"size":\([0-9]*\).*/\1/')

t=cli/tree-stats-text
"$BTFKIT" stats "$T" > "$d/out" 2> "$d/err"
rc=$?
if [ $rc = 1 ] && grep -qx "modules:         5 (1 failed)" "$d/out" &&
	grep -qx "split BTF:       $((4 * size)) bytes.*" "$d/out" &&
	grep -q "^standalone BTF:  [0-9]* bytes" "$d/out" &&
	[ "$(head -1 "$d/err")" = "btfkit: $T/bad.ko: not BTF: no BTF magic (0xeb9f), ELF header or known compression at byte offset 0" ] &&
	grep -qx "btfkit: 1 of 5 inputs failed" "$d/err"; then
	pass $t
else
	fail $t "exit $rc; $(head -3 "$d/out" "$d/err" | tr '\n' ' ')"
fi

t=cli/tree-stats-json-any-j
"$BTFKIT" stats --json -j 1 "$T" > "$d/j1" 2>/dev/null
"$BTFKIT" stats --json --jobs 3 "$T" > "$d/j3" 2>/dev/null
files=$(grep -o '"file":"[^"]*"' "$d/j1" | sed 's/"file":"//; s/"$//' | sed "s|^$T/||" | tr '\n' ' ')
if cmp -s "$d/j1" "$d/j3" && [ "$files" = "c.ko.gz d.ko.zst sub/a.ko sub/deeper/b.ko.xz " ] &&
	grep -q "^{\"error\":\"$T/bad.ko: not BTF" "$d/j1" &&
	tail -1 "$d/j1" | grep -q "^{\"modules\":5,\"failed\":1,\"types\":[0-9]*,\"kinds\":{.*},\"split_bytes\":$((4 * size)),\"standalone_bytes\":[0-9]*}$" &&
	[ "$(grep -c '"standalone_bytes"' "$d/j1")" = 5 ]; then
	pass $t
else
	fail $t "files '$files'; $(tail -1 "$d/j1")"
fi

t=cli/tree-stats-no-standalone
"$BTFKIT" stats --json --no-standalone "$T" 2>/dev/null | tail -1 > "$d/ns"
if grep -q '"standalone_bytes":null}$' "$d/ns" && grep -q "\"split_bytes\":$((4 * size))," "$d/ns"; then
	pass $t
else
	fail $t "$(cat "$d/ns")"
fi

t=cli/tree-validate
V="$d/vtree"
mkdir -p "$V/x"
cp "$BTFKIT_TEST_DATA/validate-ok.btf" "$V/x/ok1.ko"
cp "$BTFKIT_TEST_DATA/validate-ok.btf" "$V/ok2.ko"
cp "$S" "$V/problems.ko" # the sample has an enum the kernel refuses (size 0)
printf 'junk' > "$V/bad.ko"
"$BTFKIT" validate "$V" > "$d/v.out" 2> "$d/v.err"
rc=$?
"$BTFKIT" validate --json -j2 "$V" > "$d/vj" 2>/dev/null
if [ $rc = 1 ] && [ ! -s "$d/v.out" ] && grep -q "^btfkit: $V/bad.ko: not BTF" "$d/v.err" &&
	grep -q "^btfkit: $V/problems.ko: Unexpected size" "$d/v.err" &&
	grep -qx "btfkit: 2 of 4 inputs failed" "$d/v.err" &&
	[ "$(grep -c '"valid":true' "$d/vj")" = 2 ] && [ "$(tail -1 "$d/vj")" = '{"modules":4,"failed":2}' ]; then
	pass $t
else
	fail $t "exit $rc; $(head -3 "$d/v.err" | tr '\n' ' ') $(tail -1 "$d/vj")"
fi

t=cli/tree-dump-raw
rm "$T/bad.ko"
"$BTFKIT" dump -j1 "$T" > "$d/r1"
rc=$?
"$BTFKIT" dump -j 2 "$T" -o "$d/r2"
ok=1
for f in c.ko.gz d.ko.zst sub/a.ko sub/deeper/b.ko.xz; do
	awk -v f="# $T/$f" '$0 == f { p = 1; next } /^# / { p = 0 } p' "$d/r1" | cmp -s - "$GOLD" || ok=0
done
if [ $rc = 0 ] && [ $ok = 1 ] && cmp -s "$d/r1" "$d/r2" && [ "$(grep -c '^# ' "$d/r1")" = 4 ]; then
	pass $t
else
	fail $t "exit $rc, a module's dump differs from the sample's or -j changed the output"
fi

t=cli/tree-progress-only-on-terminal
"$BTFKIT" stats "$T" 2> "$d/plain-err" > /dev/null
script -qec "'$BTFKIT' stats -j1 '$T'" /dev/null > "$d/tty" 2>&1
script -qec "'$BTFKIT' stats -q -j1 '$T'" /dev/null > "$d/tty-q" 2>&1
if [ ! -s "$d/plain-err" ] && grep -q '/4 inputs' "$d/tty" && ! grep -q 'inputs  ' "$d/tty-q" &&
	grep -q 'modules:         4 (0 failed)' "$d/tty-q"; then
	pass $t
else
	fail $t "bar on a pipe, or none on a terminal, or one with -q"
fi

t=cli/tree-ctrl-c
# 20 big inputs (the running kernel's BTF, xz-compressed), dumped as JSON one
# at a time: SIGINT after a second stops the run before the end
if [ -r /sys/kernel/btf/vmlinux ]; then
	mkdir "$d/big"
	xz -0 -c /sys/kernel/btf/vmlinux > "$d/big/m0.ko.xz"
	for i in $(seq 1 19); do cp "$d/big/m0.ko.xz" "$d/big/m$i.ko.xz"; done
	"$BTFKIT" dump -f json -j1 "$d/big" -o "$d/big.out" 2> "$d/c.err" &
	pid=$!
	sleep 1
	kill -INT $pid
	t0=$(date +%s%N)
	wait $pid
	rc=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	if [ $rc = 130 ] && [ $ms -lt 10000 ] && [ ! -e "$d/big.out" ] && ! ls "$d" | grep -q 'big.out.' &&
		grep -qx "btfkit: interrupted" "$d/c.err"; then
		pass "$t (stopped ${ms} ms after SIGINT)"
	else
		fail $t "exit $rc after ${ms} ms; $(cat "$d/c.err"); $(ls "$d" | tr '\n' ' ')"
	fi
else
	skip $t "/sys/kernel/btf/vmlinux not readable (needed as a big input)"
fi

t=cli/tree-errors
"$BTFKIT" stats "$d/nonexistent-dir/" > /dev/null 2> "$d/e1"
r1=$?
mkdir "$d/empty"
"$BTFKIT" stats --json "$d/empty" > "$d/e2.out" 2>&1
r2=$?
if [ $r1 = 1 ] && [ $r2 = 0 ] && grep -q '"modules":0,"failed":0' "$d/e2.out"; then
	pass $t
else
	fail $t "exits $r1 $r2: $(cat "$d/e1" "$d/e2.out")"
fi

# A tree of many modules with bad ones among them reads as its files read
# one by one: the same output and the same messages, in the same order, at
# -j1 and -j2, for each way of opening (stats: on the base; validate: quiet,
# the command reports; find: standalone first). Bad ones: not BTF, an ELF
# file cut short, an ELF file without .BTF, and compressed modules.
B2="$d/batch"
mkdir -p "$B2/sub"
for i in 00 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19; do
	cp "$S" "$B2/m$i.ko"
done
printf 'not a module' > "$B2/m05.ko"
head -c 300 "$S" > "$B2/m11.ko"
cp "$BTFKIT" "$B2/sub/nobtf.ko"
cp "$BTFKIT_TEST_DATA/sample.bpf.o.xz" "$B2/sub/x.ko.xz"
gzip -c "$S" > "$B2/m12.ko.gz"
zstd -q -c "$S" > "$B2/m13.ko.zst"
files=$(cd "$B2" && find . -name '*.ko*' | sed 's|^\./||' | LC_ALL=C sort | sed "s|^|$B2/|")

# per-file runs of stats (one FILE each) against the tree, minus the summary
# and the sizes only a tree's lines have
batch_vs_files() { # NAME, then the stats options
	local t=$1 j rc bad=
	shift
	: > "$d/f.out"
	: > "$d/f.err"
	for f in $files; do
		"$BTFKIT" stats --json "$@" "$f" >> "$d/f.out" 2>> "$d/f.err"
	done
	for j in 1 2; do
		"$BTFKIT" stats --json -j$j "$@" "$B2" > "$d/b$j.out" 2> "$d/b$j.err"
		rc=$?
		head -n -1 "$d/b$j.out" | sed 's/,"split_bytes":[0-9]*\(,"standalone_bytes":[0-9]*\)\{0,1\}}$/}/' > "$d/b$j.items"
		grep -v '^btfkit: [0-9]* of [0-9]* inputs failed$' "$d/b$j.err" > "$d/b$j.msgs"
		if [ $rc != 1 ] || ! cmp -s "$d/b$j.items" "$d/f.out" || ! cmp -s "$d/b$j.msgs" "$d/f.err"; then
			bad="$bad -j$j: exit $rc, $(diff "$d/b$j.items" "$d/f.out" | head -3) $(diff "$d/b$j.msgs" "$d/f.err" | head -3)"
		fi
	done
	if [ -z "$bad" ] && cmp -s "$d/b1.out" "$d/b2.out" && [ -s "$d/f.out" ]; then
		pass "$t"
	else
		fail "$t" "$bad"
	fi
}
batch_vs_files cli/tree-batch-stats-like-files

t=cli/tree-batch-validate-find-like-files
ok=1
for j in 1 2; do
	# shellcheck disable=SC2086 # $files: one path a word
	"$BTFKIT" validate -j$j $files > "$d/vf$j.out" 2> "$d/vf$j.err"
	"$BTFKIT" validate -j$j "$B2" > "$d/vd$j.out" 2> "$d/vd$j.err"
	grep -v '^btfkit: [0-9]* of [0-9]* inputs failed$' "$d/vd$j.err" > "$d/vd$j.msgs"
	# shellcheck disable=SC2086
	"$BTFKIT" find -j$j fwd_only $files > "$d/ff$j.out" 2> "$d/ff$j.err"
	"$BTFKIT" find -j$j fwd_only "$B2" > "$d/fd$j.out" 2> "$d/fd$j.err"
	cmp -s "$d/vf$j.out" "$d/vd$j.out" && cmp -s "$d/vf$j.err" "$d/vd$j.msgs" &&
		cmp -s "$d/ff$j.out" "$d/fd$j.out" && cmp -s "$d/ff$j.err" "$d/fd$j.err" || ok=0
done
if [ $ok = 1 ] && cmp -s "$d/vd1.err" "$d/vd2.err" && cmp -s "$d/fd1.out" "$d/fd2.out" &&
	grep -q "^btfkit: $B2/m05.ko: not BTF" "$d/vd1.err" && grep -q "^btfkit: $B2/sub/nobtf.ko: " "$d/vd1.err" &&
	grep -q "^m13: " "$d/fd1.out"; then
	pass $t
else
	fail $t "$(diff "$d/vf1.err" "$d/vd1.msgs" | head -3) $(diff "$d/ff1.out" "$d/fd1.out" | head -3) $(head -2 "$d/fd1.err")"
fi

# the same on a base: corpus modules (split BTF) on vmlinux, a cut one among them
t=cli/tree-batch-on-base-like-files
if need_corpus $t; then
	rm -rf "$B2"
	mkdir -p "$B2"
	n=0
	for f in $(find "$MODDIR" -name '*.ko' | LC_ALL=C sort | head -40); do
		n=$((n + 1))
		cp "$f" "$B2/$(printf '%02d' $n)-$(basename "$f")"
	done
	cut1=$(ls "$B2" | sed -n 7p)
	head -c "$(($(stat -c %s "$B2/$cut1") / 2))" "$B2/$cut1" > "$d/cut" && mv "$d/cut" "$B2/$cut1"
	cp "$S" "$B2/$(ls "$B2" | sed -n 9p)"  # standalone BTF among split ones
	files=$(find "$B2" -name '*.ko' | LC_ALL=C sort)
	batch_vs_files $t -B "$VMLINUX" --no-standalone
	t=cli/tree-batch-find-on-base-like-files
	# shellcheck disable=SC2086
	"$BTFKIT" find -j2 -B "$VMLINUX" ecb_encrypt $files > "$d/ff.out" 2> "$d/ff.err"
	"$BTFKIT" find -j2 -B "$VMLINUX" ecb_encrypt "$B2" > "$d/fd.out" 2> "$d/fd.err"
	if cmp -s "$d/ff.out" "$d/fd.out" && cmp -s "$d/ff.err" "$d/fd.err" && [ -s "$d/fd.out" ] &&
		grep -q "^btfkit: $B2/$cut1: " "$d/fd.err"; then
		pass $t
	else
		fail $t "$(diff "$d/ff.out" "$d/fd.out" | head -3) $(diff "$d/ff.err" "$d/fd.err" | head -3)"
	fi
fi
