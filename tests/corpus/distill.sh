#!/usr/bin/env bash
# Distilled bases of the corpus modules (build/tests/distill_corpus):
#  - roundtrip: each module distilled on the corpus vmlinux, written and
#    read back, relocated onto the same vmlinux, has the same types as its
#    original split (own types record for record, then the base types §8
#    moves into the split, in base-ID order);
#  - kernel-load: the same relocated modules, made standalone (own types
#    plus every vmlinux type they reach), load with BPF_BTF_LOAD in the
#    running kernel and pass the kernel's module checks;
#  - cross-running / cross-cloud: distilled on the corpus vmlinux, relocated
#    onto the running kernel's /sys/kernel/btf/vmlinux, and onto the vmlinux
#    of Debian's cloud build of the same kernel (scripts/fetch-corpus-dbg:
#    the BTF of its shipped vmlinuz); every module that relocates must pass the
#    module checks and load standalone; how many relocate, and why the others
#    do not (grouped by reason), is printed as info lines.
# A sample of every 20th module in make check (3 of them in make
# check-fast); every module in make check-corpus or with BTFKIT_CORPUS_ALL=1.
. "$BTFKIT_SRC/tests/lib.sh"
helper="$BTFKIT_BUILD/tests/distill_corpus"
need_helper corpus/distill "$helper" || exit 0
need_corpus corpus/distill || exit 0
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
cd "$BTFKIT_CORPUS" || exit 1
if [ "${BTFKIT_CORPUS_ALL:-0}" = 1 ] || [ "$BTFKIT_TIER" = corpus ]; then
	sed "s|^|$PWD/|" modules.list > "$d/list"
	what="all"
else
	corpus_sample 20 | sed "s|^|$PWD/|" > "$d/list"
	what="sample of"
fi
n=$(wc -l < "$d/list")

run_halves "$d/list" "$d/rt.out" "$helper" roundtrip "$PWD/vmlinux"
got=$(awk '/^roundtrip:/ { s += $2 } END { print s + 0 }' "$d/rt.out")
bad=$(grep '^FAIL ' "$d/rt.out")
if [ -n "$bad" ]; then
	fail corpus/distill-roundtrip "$(echo "$bad" | wc -l) of $n modules differ; first: $(echo "$bad" | head -2 | tr '\n' ';')"
elif [ "$got" -ne "$n" ]; then
	fail corpus/distill-roundtrip "checked $got modules, expected $n: $(grep -v '^roundtrip' "$d/rt.out" | head -3)"
else
	types=$(awk '/^roundtrip:/ { s += $6 } END { print s + 0 }' "$d/rt.out")
	moved=$(awk '/^roundtrip:/ { s += $10 } END { print s + 0 }' "$d/rt.out")
	pass "corpus/distill-roundtrip ($what $n modules: distilled, read back, relocated onto vmlinux: same types; $types distilled base types, $moved base types moved into the splits)"
fi

# cross NAME OTHER [all]: relocate the distilled modules onto OTHER, load
# the relocated ones standalone; FAIL on any error, check or load failure
# (and, with "all", when a module does not relocate).
cross() {
	local name="$1" other="$2" all="${3:-}" out="$d/$1.out" rel loaded reasons rc
	run_halves "$d/list" "$out" "$helper" cross "$PWD/vmlinux" "$other" -k
	if grep -q '^skip: ' "$out"; then
		skip "corpus/distill-$name" "$(grep -m1 '^skip: ' "$out" | sed 's/^skip: //')"
		return
	fi
	rel=$(awk '/^cross:/ { s += $4 } END { print s + 0 }' "$out")
	loaded=$(awk '/^cross:/ { s += $8 } END { print s + 0 }' "$out")
	rc=$(grep -cE '^(ok|norel) ' "$out")
	bad=$(grep -E '^(FAIL|bad|noload) ' "$out")
	if [ -n "$bad" ]; then
		fail "corpus/distill-$name" "$(echo "$bad" | wc -l) modules: $(echo "$bad" | head -2 | tr '\n' ';')"
		return
	elif [ "$rc" -ne "$n" ]; then
		fail "corpus/distill-$name" "$rc results for $n modules: $(grep -vE '^(ok|norel|miss|cross:) ' "$out" | head -3)"
		return
	elif [ -n "$all" ] && [ "$rel" -ne "$n" ]; then
		fail "corpus/distill-$name" "only $rel of $n relocate: $(grep -m2 '^norel ' "$out" | tr '\n' ';')"
		return
	fi
	pass "corpus/distill-$name ($what $n modules: $rel relocate onto $other, all pass the module checks, $loaded load standalone with BPF_BTF_LOAD)"
	[ "$rel" -eq "$n" ] && return
	# why the others do not: the unmatched distilled types, by reason
	reasons=$(grep '^miss ' "$out" | sed -E "s/^miss [^:]*: distilled base type \[[0-9]+\] ([A-Z]+) .*(no type is named|several candidates|size differs, and the module embeds the type|the base only declares it, and the module uses the type by value|size differs, and the base has several|size differs|encoding differs|kind differs).*/\1: \2/" | sort | uniq -c | sort -rn | head -8 | awk '{ c = $1; $1 = ""; printf "%s%s x%s", (NR > 1 ? ";" : ""), $0, c }')
	echo "info: corpus/distill-$name: $((n - rel)) of $n do not relocate; unmatched distilled types by reason:$reasons"
	echo "info: corpus/distill-$name: most often missing: $(grep '^miss ' "$out" | sed -nE "s/.*distilled base type \[[0-9]+\] ([A-Z]+ '[^']*').*/\1/p" | sort | uniq -c | sort -rn | head -5 | awk '{ c = $1; $1 = ""; printf "%s%s x%s", (NR > 1 ? "," : ""), $0, c }')"
}

cross kernel-load "$PWD/vmlinux" all
if [ -r /sys/kernel/btf/vmlinux ]; then
	cross cross-running /sys/kernel/btf/vmlinux
else
	skip corpus/distill-cross-running "no /sys/kernel/btf/vmlinux on this machine"
fi
if need_corpus_dbg corpus/distill-cross-cloud; then
	cross cross-cloud "$SHIP_VMLINUX"
fi
