# Parse + raw text dump: btfkit dump vs bpftool btf dump.
. bench/lib.sh
need_corpus
echo "== raw text dump (btfkit dump vs bpftool btf dump file)"
mod="$BTFKIT_CORPUS/$(grep -m1 '/ext4.ko$' "$MODLIST")"
for pair in "vmlinux (corpus)|$VMLINUX|" "/sys/kernel/btf/vmlinux|/sys/kernel/btf/vmlinux|" \
	    "ext4.ko -B vmlinux|$mod|$VMLINUX"; do
	IFS='|' read -r label in base <<< "$pair"
	[ -r "$in" ] || continue
	if [ -n "$base" ]; then
		measure bpftool btf dump file "$in" -B "$base"; rs=$MED_S rk=$MAX_KB
		measure "$BTFKIT" dump -B "$base" "$in"
	else
		measure bpftool btf dump file "$in"; rs=$MED_S rk=$MAX_KB
		measure "$BTFKIT" dump "$in"
	fi
	row "$label" "$rs" "$rk" "$MED_S" "$MAX_KB"
done
