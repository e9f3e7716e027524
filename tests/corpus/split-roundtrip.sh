#!/usr/bin/env bash
# Split round trip on the Debian 6.1 corpus (tests/helpers/split_roundtrip):
# each module's BTF made standalone, split back onto vmlinux, embedded into a
# copy of the module, read back: its raw dump equals the original's. Where
# it does not, the shipped BTF holds own types that copy vmlinux types
# (libbpf 1.1's dedup under pahole left e.g. struct module in 8021q, struct
# ib_device and its function pointers in hfi1), which btfkit's dedup maps
# onto vmlinux: the round trip must then equal the original deduplicated
# once more against vmlinux. Every 40th module in make check, 3 in
# make check-fast, every module in make check-corpus (corpus_sample).
. "$BTFKIT_SRC/tests/lib.sh"
name=corpus/split-roundtrip
need_corpus $name || exit 0
helper="$BTFKIT_BUILD/tests/split_roundtrip"
need_helper $name "$helper" || exit 0
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
cd "$BTFKIT_CORPUS" || exit 1
corpus_sample 40 > "$d/list"
run_halves "$d/list" "$d/out" "$helper" -B vmlinux -d "$d"
n=$(awk '/^checked/ { s += $2 } END { print s + 0 }' "$d/out")
same=$(grep -c '^SAME ' "$d/out")
errs=$(grep '^ERR ' "$d/out")
rededup=$(grep -c '^REDEDUP ' "$d/out")
bad=$(grep '^DIFF ' "$d/out" | head -1)
want=$(wc -l < "$d/list")
if [ -n "$errs" ]; then
	fail $name "$(echo "$errs" | wc -l) of $n modules failed; first: $(echo "$errs" | head -1)"
elif [ -n "$bad" ]; then
	fail $name "$(grep -c '^DIFF ' "$d/out") differ, first: $bad"
elif [ "$n" -ne "$want" ]; then
	fail $name "checked $n modules, expected $want"
else
	pass "$name ($n modules: $same raw dumps equal to the original's, $rededup to the original deduplicated again)"
fi
