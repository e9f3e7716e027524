#!/usr/bin/env bash
# Round trip against libbpf: every type of the corpus vmlinux and of EVERY
# module (three in make check-fast) (split on that vmlinux), plus /sys/kernel/btf/vmlinux and the
# shipped BPF object (DECL_TAG, TYPE_TAG), read field by field by btfkit
# equals what libbpf's btf__parse / btf__parse_split reads; also name
# lookups and resolve_size / align_of (build/tests/core_diff, two processes).
. "$BTFKIT_SRC/tests/lib.sh"
DIFF="$BTFKIT_BUILD/tests/core_diff"
need_helper corpus/core-diff "$DIFF" || exit 0
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT

# run NAME BASE LISTFILE EXPECTED_COUNT
run() {
	local name="$1" base="$2" list="$3" want="$4" n bad
	# libbpf's linear lookups call strcmp 10^5 times each: not through ASan
	run_halves "$list" "$d/$name.out" \
		env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}intercept_strcmp=0" \
		"$DIFF" ${base:+-B "$base"}
	n=$(awk '/^checked/ { s += $2 } END { print s + 0 }' "$d/$name.out")
	bad=$(grep -E '^(DIFF|ERR) ' "$d/$name.out")
	if [ -n "$bad" ]; then
		fail "corpus/core-diff-$name" "$(echo "$bad" | wc -l) differences; first: $(echo "$bad" | head -3)"
	elif [ "$n" -ne "$want" ]; then
		fail "corpus/core-diff-$name" "checked $n files, expected $want: $(grep -v '^checked' "$d/$name.out" | head -3)"
	else
		pass "corpus/core-diff-$name ($(awk '/^checked/ { f += $2; t += $4; l += $6; q += $8; x += $13 }
			END { printf "%d files, %d types, %d size/align queries, %d lookups against libbpf and %d against its reading agree", f, t, q, l, x }' "$d/$name.out"))"
	fi
}

echo "$BTFKIT_TEST_DATA/sample.bpf.o" > "$d/obj.list"
[ -r /sys/kernel/btf/vmlinux ] && echo /sys/kernel/btf/vmlinux >> "$d/obj.list"
run standalone "" "$d/obj.list" "$(wc -l < "$d/obj.list")"

if need_corpus corpus/core-diff-corpus; then
	cd "$BTFKIT_CORPUS" || exit 1
	echo vmlinux > "$d/vmlinux.list"
	run vmlinux "" "$d/vmlinux.list" 1
	corpus_sample 1 > "$d/modules.list"
	nmod=$(wc -l < "$d/modules.list")
	run modules "$PWD/vmlinux" "$d/modules.list" "$nmod"
	echo "info: corpus/core-diff: $nmod modules compared with libbpf"
fi
