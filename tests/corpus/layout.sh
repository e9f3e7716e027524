#!/usr/bin/env bash
# Layout view against pahole 1.24 (`pahole -F btf`, the oracle), on the
# corpus vmlinux (Debian 6.1), its modules and the running kernel's BTF.
# tests/corpus/layout_compare.py compares type by type: the numbers pahole
# computes (offsets, sizes, bitfields, holes, padding, summaries) must be
# equal everywhere; the text must be equal except for the differences
# docs/layout.md explains:
#  - the 300 largest structs, printed in one run (pahole -C a,b,...): the text
#    differences are exactly those listed, with reasons, in
#    tests/corpus/layout-expected.txt;
#  - every struct and union (no TYPE), --expand, --holes 2, cache lines of 32
#    and 128, 50 modules as split BTF (-B), /sys/kernel/btf/vmlinux: every
#    text difference is an alignment attribution (or pahole 1.24's "}name");
#  - --sizes equals pahole -s byte for byte.
. "$BTFKIT_SRC/tests/lib.sh"
if ! command -v pahole >/dev/null; then
	skip corpus/layout "pahole not installed (dwarves, scripts/install-deps)"
	exit 0
fi
if ! command -v python3 >/dev/null; then
	skip corpus/layout "python3 not installed (scripts/install-deps)"
	exit 0
fi
need_corpus corpus/layout || exit 0
CMP="$BTFKIT_SRC/tests/corpus/layout_compare.py"
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT

# compare NAME PAHOLE_ARGS -- BTFKIT_ARGS -- COMPARE_ARGS
compare() {
	local name="$1" p=() b=()
	shift
	while [ "$1" != -- ]; do p+=("$1"); shift; done
	shift
	while [ "$1" != -- ]; do b+=("$1"); shift; done
	shift
	# pahole 1.24 warns "Unknown kind" about tags on stderr: not an error
	if ! pahole -F btf "${p[@]}" > "$d/$name.p" 2> "$d/$name.perr"; then
		fail "corpus/layout-$name" "pahole failed: $(head -2 "$d/$name.perr")"
		return
	fi
	if ! "$BTFKIT" layout "${b[@]}" > "$d/$name.b" 2> "$d/$name.berr"; then
		fail "corpus/layout-$name" "btfkit layout failed: $(head -2 "$d/$name.berr")"
		return
	fi
	python3 "$CMP" --name "corpus/layout-$name" "$@" "$d/$name.p" "$d/$name.b"
}

# The 300 largest structs by size (names once; ties by name).
"$BTFKIT" dump "$VMLINUX" | sed -nE "s/^\[[0-9]+\] STRUCT '([^(][^']*)' size=([0-9]+) .*/\2 \1/p" |
	sort -k1,1nr -k2,2 | awk '!seen[$2]++' | head -300 | awk '{ print $2 }' > "$d/top300"
if [ "$(wc -l < "$d/top300")" -ne 300 ]; then
	fail corpus/layout-top300 "could not list 300 structs of $VMLINUX"
else
	compare top300 -C "$(paste -sd, "$d/top300")" "$VMLINUX" -- "$VMLINUX" $(cat "$d/top300") -- \
		--expected "$BTFKIT_SRC/tests/corpus/layout-expected.txt"
fi

compare all "$VMLINUX" -- "$VMLINUX" -- --allow align
compare expand -E "$VMLINUX" -- --expand "$VMLINUX" -- --allow align
compare holes2 -H 2 "$VMLINUX" -- --holes 2 "$VMLINUX" -- --allow align
for c in 32 128; do
	compare "cacheline$c" -c "$c" -C "$(paste -sd, "$d/top300")" "$VMLINUX" -- \
		--cacheline "$c" "$VMLINUX" $(cat "$d/top300") -- --allow align
done

# --sizes is pahole -s byte for byte
pahole -F btf -s "$VMLINUX" > "$d/sizes.p" 2>/dev/null
"$BTFKIT" layout --sizes "$VMLINUX" > "$d/sizes.b"
if cmp -s "$d/sizes.p" "$d/sizes.b"; then
	pass "corpus/layout-sizes ($(wc -l < "$d/sizes.b") types: name, size, holes as pahole -s)"
else
	fail corpus/layout-sizes "differs from pahole -s: $(diff "$d/sizes.p" "$d/sizes.b" | head -3 | tr '\n' ' ')"
fi

# 50 modules as split BTF: pahole --btf_base prints the base's types first
nbase=$(grep -c '^[a-z]' "$d/all.p")
awk 'NR % 80 == 1' "$BTFKIT_CORPUS/modules.list" | head -50 > "$d/mods"
: > "$d/mods.out"
while read -r m; do
	compare mod --btf_base "$VMLINUX" "$BTFKIT_CORPUS/$m" -- -B "$VMLINUX" "$BTFKIT_CORPUS/$m" -- \
		--skip "$nbase" --allow align | sed "s|corpus/layout-mod|$m|" >> "$d/mods.out"
done < "$d/mods"
nmods=$(wc -l < "$d/mods")
if grep -q '^FAIL' "$d/mods.out"; then
	fail corpus/layout-modules "$(grep -c '^FAIL' "$d/mods.out") checks failed; first: $(grep -m1 '^FAIL' "$d/mods.out")"
elif [ "$(grep -c '^PASS' "$d/mods.out")" -ne $((2 * nmods)) ]; then
	fail corpus/layout-modules "expected $((2 * nmods)) PASS lines: $(grep -v '^PASS' "$d/mods.out" | head -2)"
else
	pass "corpus/layout-modules ($nmods modules on vmlinux: numbers equal pahole's, text differs only in alignment)"
fi

if [ -r /sys/kernel/btf/vmlinux ]; then
	compare sysfs /sys/kernel/btf/vmlinux -- /sys/kernel/btf/vmlinux -- --allow align
else
	skip corpus/layout-sysfs "/sys/kernel/btf/vmlinux not present"
fi
