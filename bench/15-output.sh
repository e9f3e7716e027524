# The output path (issue 12): raw text, C and JSON printed to a pipe (read by
# cat) and to a file, btfkit vs bpftool, time and peak RSS. Bars: JSON <= 0.25x
# bpftool -j time and <= 1.0x its RSS; raw and C <= 0.2x time, RSS <= bpftool's.
# Then the floor: the same bytes written from memory by one write(2) loop in
# 64 KiB pieces (bench/write_floor.c), to a pipe and to a file.
. bench/lib.sh
need_corpus
echo "== output path: btfkit dump [-f c|json] vs bpftool [-j] btf dump file [format c], to a pipe and to a file"
mod="$BTFKIT_CORPUS/$(grep -m1 '/ext4.ko$' "$MODLIST")"
for in in "$VMLINUX" /sys/kernel/btf/vmlinux; do
	[ -r "$in" ] || continue
	label=$([ "$in" = "$VMLINUX" ] && echo "vmlinux (corpus)" || echo "sysfs vmlinux")
	for BENCH_OUT in pipe file; do
		export BENCH_OUT
		measure bpftool btf dump file "$in"; rs=$MED_S rk=$MAX_KB
		measure "$BTFKIT" dump "$in"
		row "raw: $label > $BENCH_OUT" "$rs" "$rk" "$MED_S" "$MAX_KB"
		measure bpftool btf dump file "$in" format c; rs=$MED_S rk=$MAX_KB
		measure "$BTFKIT" dump -f c "$in"
		row "C: $label > $BENCH_OUT" "$rs" "$rk" "$MED_S" "$MAX_KB"
		measure bpftool -j btf dump file "$in"; rs=$MED_S rk=$MAX_KB
		measure "$BTFKIT" dump -f json "$in"
		row "JSON: $label > $BENCH_OUT" "$rs" "$rk" "$MED_S" "$MAX_KB"
	done
done
export BENCH_OUT=pipe
measure bpftool btf dump file "$mod" -B "$VMLINUX"; rs=$MED_S rk=$MAX_KB
measure "$BTFKIT" dump -B "$VMLINUX" "$mod"
row "raw: ext4.ko -B vmlinux > pipe" "$rs" "$rk" "$MED_S" "$MAX_KB"
measure bpftool btf dump file "$mod" -B "$VMLINUX" format c; rs=$MED_S rk=$MAX_KB
measure "$BTFKIT" dump -f c -B "$VMLINUX" "$mod"
row "C: ext4.ko -B vmlinux > pipe" "$rs" "$rk" "$MED_S" "$MAX_KB"
measure bpftool -j btf dump file "$mod" -B "$VMLINUX"; rs=$MED_S rk=$MAX_KB
measure "$BTFKIT" dump -f json -B "$VMLINUX" "$mod"
row "JSON: ext4.ko -B vmlinux > pipe" "$rs" "$rk" "$MED_S" "$MAX_KB"
unset BENCH_OUT

floor="$BTFKIT_BUILD/bench/write_floor"
[ -x "$floor" ] || exit 0
echo "== the floor: vmlinux (corpus) output written from memory by one write(2) loop (median of $BENCH_REPEAT)"
tmp=$(mktemp -d)
for f in raw c json; do
	"$BTFKIT" dump -f "$f" "$VMLINUX" >"$tmp/out"
	p=() w=()
	for _ in $(seq "$BENCH_REPEAT"); do
		p+=("$({ "$floor" "$tmp/out" | cat >/dev/null; } 2>&1)")
		rm -f "$tmp/copy"
		w+=("$("$floor" "$tmp/out" 2>&1 >"$tmp/copy")")
	done
	printf '  %-5s %6.1f MB  to a pipe %.4fs  to a file %.4fs\n' "$f" \
		"$(awk -v b="$(stat -c %s "$tmp/out")" 'BEGIN { print b / 1e6 }')" \
		"$(printf '%s\n' "${p[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" \
		"$(printf '%s\n' "${w[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
done
rm -rf "$tmp"
