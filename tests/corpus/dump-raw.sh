#!/usr/bin/env bash
# Raw text dump differential test: `btfkit dump` output equals
# `bpftool btf dump file` byte for byte for the corpus vmlinux, for EVERY one
# of its modules on that vmlinux (-B; three in make check-fast), and for /sys/kernel/btf/vmlinux and
# any /sys/kernel/btf modules. The work is done by build/tests/dump_check,
# which loads the base once, dumps each file in memory and compares it with
# bpftool's output as it streams in (two processes, one per core).
. "$BTFKIT_SRC/tests/lib.sh"
need_bpftool corpus/dump-raw || exit 0
CHECK="$BTFKIT_BUILD/tests/dump_check"
need_helper corpus/dump-raw "$CHECK" || exit 0
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT

# run NAME BASE LISTFILE EXPECTED_COUNT: two dump_check processes on halves
run() {
	local name="$1" base="$2" list="$3" want="$4" n bad
	run_halves "$list" "$d/$name.out" "$CHECK" ${base:+-B "$base"}
	n=$(awk '/^checked/ { s += $2 } END { print s + 0 }' "$d/$name.out")
	bad=$(grep -E '^(DIFF|ERR) ' "$d/$name.out")
	if [ -n "$bad" ]; then
		fail "corpus/dump-raw-$name" "$(echo "$bad" | wc -l) of $n differ; first: $(echo "$bad" | head -3)"
	elif [ "$n" -ne "$want" ]; then
		fail "corpus/dump-raw-$name" "checked $n files, expected $want: $(grep -v '^checked' "$d/$name.out" | head -3)"
	else
		pass "corpus/dump-raw-$name ($n files identical to bpftool)"
	fi
}

if need_corpus corpus/dump-raw-corpus; then
	cd "$BTFKIT_CORPUS" || exit 1
	echo vmlinux > "$d/vmlinux.list"
	run vmlinux "" "$d/vmlinux.list" 1
	corpus_sample 1 > "$d/modules.list"
	nmod=$(wc -l < "$d/modules.list")
	run modules "$PWD/vmlinux" "$d/modules.list" "$nmod"
	echo "info: corpus/dump-raw: $nmod modules compared with bpftool -B vmlinux"
	# the bzImage itself (vmlinux inside an xz payload), read by content
	vmlinuz=$([ "$BTFKIT_TIER" != fast ] && ls x/boot/vmlinuz-* 2>/dev/null | head -1)
	if [ -n "$vmlinuz" ]; then
		a=$("$BTFKIT" dump "$vmlinuz" 2>&1 | md5sum)
		b=$(bpftool btf dump file vmlinux | md5sum)
		[ "$a" = "$b" ] && pass "corpus/dump-raw-vmlinuz (bzImage read directly, identical to bpftool on vmlinux)" ||
			fail corpus/dump-raw-vmlinuz "btfkit dump $vmlinuz differs from bpftool btf dump file vmlinux"
	fi
fi

if [ -r /sys/kernel/btf/vmlinux ]; then
	echo /sys/kernel/btf/vmlinux > "$d/sys.list"
	run sysfs-vmlinux "" "$d/sys.list" 1
	# a few loaded modules (split on /sys/kernel/btf/vmlinux), when there are any
	ls /sys/kernel/btf | grep -vx vmlinux | head -20 | sed 's|^|/sys/kernel/btf/|' > "$d/sysmod.list"
	if [ -s "$d/sysmod.list" ]; then
		run sysfs-modules /sys/kernel/btf/vmlinux "$d/sysmod.list" "$(wc -l < "$d/sysmod.list")"
	else
		skip corpus/dump-raw-sysfs-modules "no module BTF under /sys/kernel/btf on this host"
	fi
else
	skip corpus/dump-raw-sysfs "/sys/kernel/btf/vmlinux not present"
fi
