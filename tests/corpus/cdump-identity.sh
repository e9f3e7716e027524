#!/usr/bin/env bash
# C headers byte-identical to 'bpftool btf dump file F format c' and JSON
# equal (parsed) to 'bpftool -j btf dump file F': corpus vmlinux, the
# running kernel's /sys/kernel/btf/vmlinux, and every corpus module (-B).
#
# Modules are compared through 64-bit digests: one cdump_corpus helper
# process per CPU hashes btfkit's output for many modules (base dumped
# once); bpftool's digests come from the cache that scripts/cdump-refs
# fills under $BTFKIT_CORPUS/ref-bpftool-<version>/ (reused between runs).
# bpftool prints all of vmlinux.h for every module (~0.2 s each), so filling a
# cold cache completely takes ~10 minutes on 2 cores: it is capped at
# CDUMP_REF_BUDGET seconds (default 240; 0 = no cap) to keep the suite within
# 15 minutes. Modules still without a reference get one SKIP line naming their
# count (the next run continues filling); with CDUMP_REF_BUDGET=0 a missing
# reference fails.
# JSON digests that differ are re-checked by parsing both outputs.
. "$BTFKIT_SRC/tests/lib.sh"
need_corpus corpus/cdump || exit 0
need_bpftool corpus/cdump || exit 0
in_tier corpus/cdump || exit 0
# make check: every 10th module; make check-corpus: every one, references all filled
[ "$BTFKIT_TIER" = corpus ] && CDUMP_REF_BUDGET="${CDUMP_REF_BUDGET:-0}"
helper="$BTFKIT_BUILD/tests/cdump_corpus"
[ -x "$helper" ] || { fail corpus/cdump "helper $helper not built (make tests)"; exit 0; }
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT

json_eq() { # FILE_A FILE_B: parsed JSON equality
	python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])) else 1)' "$1" "$2"
}

for pair in "vmlinux|$VMLINUX" "sysfs-vmlinux|/sys/kernel/btf/vmlinux"; do
	IFS='|' read -r name in <<< "$pair"
	if [ ! -r "$in" ]; then skip "corpus/cdump-c-$name" "$in not readable"; continue; fi
	bpftool btf dump file "$in" format c > "$d/ref.h" 2>/dev/null
	if ! "$BTFKIT" dump -f c "$in" > "$d/our.h" 2> "$d/err"; then
		fail "corpus/cdump-c-$name" "btfkit failed: $(head -1 "$d/err")"
	elif cmp -s "$d/ref.h" "$d/our.h"; then
		pass "corpus/cdump-c-$name"
	else
		fail "corpus/cdump-c-$name" "differs from bpftool: $(diff "$d/ref.h" "$d/our.h" | head -3 | tr '\n' ' ')"
	fi
	bpftool -j btf dump file "$in" > "$d/ref.json" 2>/dev/null
	if ! "$BTFKIT" dump -f json "$in" > "$d/our.json" 2> "$d/err"; then
		fail "corpus/cdump-json-$name" "btfkit failed: $(head -1 "$d/err")"
	elif json_eq "$d/ref.json" "$d/our.json"; then
		pass "corpus/cdump-json-$name"
	else
		fail "corpus/cdump-json-$name" "parsed JSON differs from bpftool -j"
	fi
	bpftool -p btf dump file "$in" > "$d/ref.json" 2>/dev/null
	"$BTFKIT" dump -f json --pretty "$in" > "$d/our.json" 2>/dev/null
	if cmp -s "$d/ref.json" "$d/our.json"; then
		pass "corpus/cdump-json-pretty-$name"
	else
		fail "corpus/cdump-json-pretty-$name" "--pretty text differs from bpftool -p"
	fi
done

# every module: reference digests (cached), then ours
ver=$(bpftool version 2>/dev/null | awk 'NR==1 {print $2}')
refs="$BTFKIT_CORPUS/ref-bpftool-$ver/cdump.refs"
"$BTFKIT_SRC/scripts/cdump-refs" "$helper" "${CDUMP_REF_BUDGET:-240}" 2>/dev/null
corpus_sample 10 > "$d/sample"
total=$(wc -l < "$d/sample")
sed "s|^|$BTFKIT_CORPUS/|" "$d/sample" | split -n r/2 - "$d/part."
for p in "$d"/part.*; do
	"$helper" "$VMLINUX" < "$p" > "$p.out" 2> "$p.err" &
done
wait
cat "$d"/part.*.out | sed "s|^$BTFKIT_CORPUS/||" | sort > "$d/ours"
errs=$(cat "$d"/part.*.err | head -3)
sort -u "$refs" | join - <(sort "$d/sample") > "$d/refs"
# PATH REF_C REF_JSON OUR_C OUR_JSON [full]
join "$d/refs" "$d/ours" > "$d/joined"
awk -v d="$d" '
	{ n++ }
	$2 == $4 { c_ok++ } $2 != $4 { print $1 > (d "/c_bad") }
	$3 == $5 { j_ok++ } $3 != $5 { print $1 > (d "/j_bad") }
	$6 == "full" { full++ }
	END { printf "%d %d %d %d\n", n, c_ok, j_ok, full }' "$d/joined" > "$d/counts"
read -r n c_ok j_ok full < "$d/counts"
nerr=$(grep -c ' ERROR' "$d/ours")
missing=$((total - n))
echo "info corpus/cdump: $n of $total modules have bpftool reference digests ($missing pending in $refs); $full needed a full dump"
if [ "$nerr" -gt 0 ] || [ -n "$errs" ]; then
	fail corpus/cdump-modules-run "$nerr modules failed in btfkit: $(grep -m2 ' ERROR' "$d/ours" | tr '\n' ' ') $errs"
fi
if [ "$missing" -gt 0 ]; then
	if [ "${CDUMP_REF_BUDGET:-240}" -gt 0 ]; then
		skip corpus/cdump-modules-pending "$missing of $total modules not compared yet: bpftool reference cache still filling (CDUMP_REF_BUDGET=${CDUMP_REF_BUDGET:-240}s per run; CDUMP_REF_BUDGET=0 fills it all)"
	else
		fail corpus/cdump-modules-pending "$missing modules without a bpftool reference (scripts/cdump-refs failed?)"
	fi
fi
if [ "$n" -eq 0 ]; then
	skip corpus/cdump-c-modules "no reference digests yet (run scripts/cdump-refs)"
elif [ "$c_ok" -eq "$n" ]; then
	pass "corpus/cdump-c-modules ($n modules byte-identical to bpftool format c)"
else
	fail corpus/cdump-c-modules "$((n - c_ok)) of $n modules differ, e.g. $(head -3 "$d/c_bad" | tr '\n' ' ')"
fi
# JSON: digest equality means identical text; re-check the others parsed
j_bad=0
if [ -s "$d/j_bad" ]; then
	while read -r m; do
		bpftool -j -B "$VMLINUX" btf dump file "$BTFKIT_CORPUS/$m" > "$d/r.json" 2>/dev/null
		"$BTFKIT" dump -f json -B "$VMLINUX" "$BTFKIT_CORPUS/$m" > "$d/o.json" 2>/dev/null
		json_eq "$d/r.json" "$d/o.json" || { j_bad=$((j_bad + 1)); echo "$m" >> "$d/j_bad2"; }
	done < "$d/j_bad"
fi
if [ "$n" -eq 0 ]; then
	skip corpus/cdump-json-modules "no reference digests yet (run scripts/cdump-refs)"
elif [ "$j_bad" -eq 0 ]; then
	pass "corpus/cdump-json-modules ($n modules, JSON equal to bpftool -j)"
else
	fail corpus/cdump-json-modules "$j_bad of $n modules differ, e.g. $(head -3 "$d/j_bad2" | tr '\n' ' ')"
fi
