#!/usr/bin/env bash
# Dedup on real kernel BTF (Debian 6.1 corpus), the way real producers
# create duplication: N modules made standalone (split types plus every
# vmlinux type they reach) and concatenated, plus FWD variants where about
# half of the pointers to named structs point at a FWD instead (units that
# only forward-declare). Checks:
#  - as split on vmlinux, the result has exactly the types of the modules'
#    own split BTFs appended and deduplicated (identical raw dumps), at N
#    and at 500 modules; on a wider set (all 4,022 in check-corpus) it may
#    merge more, and only where a base FWD is involved (below);
#  - against libbpf 1.1.2 btf__dedup on the same inputs (standalone and
#    split, plain and FWD variants): never more types; identical raw dumps
#    when the counts are equal (or, from about 500 modules, the same
#    records in another order: see cmd_cmp); otherwise every extra merge
#    is named and checked (tests/helpers/dedup_corpus.c cmp);
#  - deduplicating vmlinux itself is byte-identical;
#  - the deduplicated vmlinux-sized outputs load with BPF_BTF_LOAD.
# DEDUP_MODULES (default 50; 5 in make check-fast) sets N; DEDUP_MODULES_WIDE
# (default 500; none in check-fast, every module in check-corpus) the size of a
# second split-equals-modules check.
. "$BTFKIT_SRC/tests/lib.sh"
need_corpus corpus/dedup || exit 0
H="$BTFKIT_BUILD/tests/dedup_corpus"
need_helper corpus/dedup "$H" || exit 0
N="${DEDUP_MODULES:-50}"
W="${DEDUP_MODULES_WIDE:-500}"
case "$BTFKIT_TIER" in
fast) N="${DEDUP_MODULES:-5}" W="${DEDUP_MODULES_WIDE:-0}" ;;
corpus) W="${DEDUP_MODULES_WIDE:-$(wc -l < "$BTFKIT_CORPUS/modules.list")}" ;;
esac
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
sample_modules "$N" "$d/mods"
mapfile -t mods < "$d/mods"

if ! "$H" gen -o "$d/s.raw" -s "$d/sp.raw" "$VMLINUX" "${mods[@]}" 2> "$d/gen.log" ||
   ! "$H" gen -f -o "$d/f.raw" -s "$d/fsp.raw" "$VMLINUX" "${mods[@]}" 2>> "$d/gen.log"; then
	fail corpus/dedup-inputs "$(tail -2 "$d/gen.log")"
	exit 0
fi
echo "  dedup inputs: $(head -1 "$d/gen.log" | sed 's/^gen: //')"

# as split on vmlinux == the modules' own split BTFs appended and deduplicated
if "$BTFKIT" dedup -B "$VMLINUX" -o "$d/a.raw" "$d/s.raw" 2> "$d/err" &&
   "$BTFKIT" dedup -B "$VMLINUX" -o "$d/b.raw" "${mods[@]}" 2>> "$d/err" &&
   "$BTFKIT" dump -B "$VMLINUX" "$d/a.raw" > "$d/a.txt" 2>> "$d/err" &&
   "$BTFKIT" dump -B "$VMLINUX" "$d/b.raw" > "$d/b.txt" 2>> "$d/err"; then
	if cmp -s "$d/a.txt" "$d/b.txt"; then
		pass "corpus/dedup-split-equals-modules ($N modules, $(grep -c '^\[' "$d/a.txt") types)"
	else
		fail corpus/dedup-split-equals-modules "raw dumps differ: $(diff "$d/a.txt" "$d/b.txt" | head -3 | tr '\n' ' ')"
	fi
else
	fail corpus/dedup-split-equals-modules "$(head -2 "$d/err")"
fi

# against libbpf
for v in "s.raw|standalone|" "sp.raw|split|-B $VMLINUX" "f.raw|fwd-standalone|" \
	 "fsp.raw|fwd-split|-B $VMLINUX"; do
	IFS='|' read -r f name opt <<< "$v"
	# shellcheck disable=SC2086
	if "$H" cmp $opt "$d/$f" > "$d/cmp" 2>&1; then
		pass "corpus/dedup-vs-libbpf-$name ($(head -1 "$d/cmp" | sed 's/ ([0-9.]*s)//g'); $(tail -1 "$d/cmp"))"
	else
		fail "corpus/dedup-vs-libbpf-$name" "$(grep -v 'merged by' "$d/cmp" | head -4 | tr '\n' ' ')"
	fi
	grep 'merged by btfkit' "$d/cmp" | grep -v 'anonymous' | head -3 | sed 's/^/  /'
done

# The same on a wider set (DEDUP_MODULES_WIDE, default 500; 0: not run):
# split copies of base types that refer to a base FWD which a later
# module's struct resolves meet only there. Equal dumps pass. Otherwise the
# difference must be the one a standalone input allows: a module made
# standalone carries a split copy of a base FWD, which may resolve to the
# struct another module defines, while the module's own split BTF refers to
# the base FWD, which never changes (all 4,022 modules: nfit.ko's copy of
# FWD nd_region meets libnvdimm.ko's struct). So the standalone side (wa)
# has no more types than the modules' side (wb), no named type more often,
# and for every named type wb keeps k more copies of, dedup --explain on the
# modules names at least k pairs of it as needing a base FWD resolved.
# Prints why not, or on success the names.
wide_explained() {
	local name out
	[ "$(grep -c '^\[' "$d/wa.txt")" -le "$(grep -c '^\[' "$d/wb.txt")" ] ||
		{ echo "the standalone side has more types"; return 1; }
	for f in wa wb; do
		grep -o "^\[[0-9]*\] [A-Z_0-9]* '[^']*'" "$d/$f.txt" | cut -d' ' -f2- |
			grep -v "'(anon)'" | sort | uniq -c > "$d/$f.names"
	done
	# "name count-in-wa count-in-wb" for every named type whose counts differ
	join -1 2 -2 2 -a 1 -a 2 -e 0 -o 0,1.1,2.1 \
		<(awk '{ n = $1; $1 = ""; sub(/^ /, ""); gsub(/ /, "|"); print n, $0 }' "$d/wa.names" | sort -k2) \
		<(awk '{ n = $1; $1 = ""; sub(/^ /, ""); gsub(/ /, "|"); print n, $0 }' "$d/wb.names" | sort -k2) |
		awk '$2 != $3' > "$d/wdiff"
	[ -s "$d/wdiff" ] || { echo "same named types, yet the dumps differ beyond FWD resolution"; return 1; }
	while read -r key a b; do
		[ "$a" -lt "$b" ] || { echo "$key: $a on the standalone side, $b on the modules' side"; return 1; }
		name=${key#*|\'}; name=${name%\'}
		out=$("$BTFKIT" dedup -B "$VMLINUX" -o /dev/null --explain "$name" "${wmods[@]}" 2>&1)
		# (pairs distinct on both sides explain other differences)
		if [ "$(grep -c 'equivalent only if base FWD were resolved to a split type$' <<< "$out")" -lt $((b - a)) ]; then
			echo "$key: $a copies from the standalone side, $b from the modules, and the modules' extra ones are not explained by a base FWD: ${out:-no explanation}" | head -2
			return 1
		fi
	done < "$d/wdiff"
	# (success: the names, for the pass line)
	awk '{ printf "%s%s", (NR > 1 ? ", " : ""), $1 }' "$d/wdiff" | tr '|' ' '
}

if [ "$W" -gt 0 ] && [ "$W" != "$N" ]; then
	sample_modules "$W" "$d/wmods"
	mapfile -t wmods < "$d/wmods"
	if "$H" gen -o "$d/w.raw" "$VMLINUX" "${wmods[@]}" 2> "$d/err" &&
	   "$BTFKIT" dedup -B "$VMLINUX" -o "$d/wa.raw" "$d/w.raw" 2>> "$d/err" &&
	   "$BTFKIT" dedup -B "$VMLINUX" -o "$d/wb.raw" "${wmods[@]}" 2>> "$d/err" &&
	   "$BTFKIT" dump -B "$VMLINUX" "$d/wa.raw" > "$d/wa.txt" 2>> "$d/err" &&
	   "$BTFKIT" dump -B "$VMLINUX" "$d/wb.raw" > "$d/wb.txt" 2>> "$d/err"; then
		if cmp -s "$d/wa.txt" "$d/wb.txt"; then
			pass "corpus/dedup-split-equals-modules-wide ($W modules, $(grep -c '^\[' "$d/wa.txt") types)"
		elif why=$(wide_explained); then
			pass "corpus/dedup-split-equals-modules-wide ($W modules: $(grep -c '^\[' "$d/wa.txt") types from the standalone copies, $(grep -c '^\[' "$d/wb.txt") from the modules; the extra ones need a base FWD resolved: $why)"
		else
			fail corpus/dedup-split-equals-modules-wide "$why; raw dumps differ: $(diff "$d/wa.txt" "$d/wb.txt" | head -3 | tr '\n' ' ')"
		fi
	else
		fail corpus/dedup-split-equals-modules-wide "$(grep -v '^gen:' "$d/err" | head -2)"
	fi
	rm -f "$d/w.raw" "$d/wa.raw" "$d/wb.raw" "$d/wa.txt" "$d/wb.txt"
fi

# vmlinux: already deduplicated, so byte-identical
if command -v objcopy > /dev/null; then
	objcopy -O binary --only-section=.BTF "$VMLINUX" "$d/vmlinux.btf"
	if "$BTFKIT" dedup -o "$d/vm.raw" "$VMLINUX" 2> "$d/err" && cmp -s "$d/vm.raw" "$d/vmlinux.btf"; then
		pass "corpus/dedup-vmlinux-byte-identical ($(stat -c %s "$d/vm.raw") bytes)"
	else
		fail corpus/dedup-vmlinux-byte-identical "$(head -1 "$d/err") $(cmp "$d/vm.raw" "$d/vmlinux.btf" 2>&1 | head -1)"
	fi
else
	skip corpus/dedup-vmlinux-byte-identical "objcopy not installed"
fi

# kernel acceptance
"$BTFKIT" dedup -o "$d/sd.raw" "$d/s.raw" 2> /dev/null
for f in vm.raw sd.raw; do
	[ -e "$d/$f" ] || continue
	"$H" load "$d/$f" > "$d/load" 2>&1
	case $? in
	0) pass "corpus/dedup-kernel-load-$f ($(cat "$d/load"))" ;;
	3) skip "corpus/dedup-kernel-load-$f" "$(cat "$d/load")" ;;
	*) fail "corpus/dedup-kernel-load-$f" "$(cat "$d/load")" ;;
	esac
done
