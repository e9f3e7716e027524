# C header and JSON of vmlinux: btfkit dump -f c / -f json vs bpftool
# (targets: C <= 0.7x bpftool 'format c', JSON <= 0.5x 'bpftool -j').
. bench/lib.sh
need_corpus
echo "== C header and JSON (btfkit dump -f c|json vs bpftool btf dump file ... format c / -j)"
mod="$BTFKIT_CORPUS/$(grep -m1 '/ext4.ko$' "$MODLIST")"
for in in "$VMLINUX" /sys/kernel/btf/vmlinux; do
	[ -r "$in" ] || continue
	label=$([ "$in" = "$VMLINUX" ] && echo "vmlinux (corpus)" || echo "$in")
	measure bpftool btf dump file "$in" format c; rs=$MED_S rk=$MAX_KB
	measure "$BTFKIT" dump -f c "$in"
	row "C: $label" "$rs" "$rk" "$MED_S" "$MAX_KB"
	measure bpftool -j btf dump file "$in"; rs=$MED_S rk=$MAX_KB
	measure "$BTFKIT" dump -f json "$in"
	row "JSON: $label" "$rs" "$rk" "$MED_S" "$MAX_KB"
done
measure bpftool btf dump file "$mod" -B "$VMLINUX" format c; rs=$MED_S rk=$MAX_KB
measure "$BTFKIT" dump -f c -B "$VMLINUX" "$mod"
row "C: ext4.ko -B vmlinux" "$rs" "$rk" "$MED_S" "$MAX_KB"
