# Parse time: bk_btf_open against libbpf's btf__parse / btf__parse_split on
# the same files, measured in one process by build/bench/parse_bench (runs
# alternate between the libraries; CPU time, the median of several rounds),
# and the peak RSS of a process that parses the file once with one of them.
. bench/lib.sh
need_corpus
PB="$BTFKIT_BUILD/bench/parse_bench"
if [ ! -x "$PB" ]; then
	echo "  (skipped: $PB not built)"
	exit 0
fi
echo "== parse (btfkit bk_btf_open vs libbpf btf__parse[_split]; CPU time in one process, median)"
for pair in "vmlinux (corpus, ELF .BTF)|$VMLINUX" "/sys/kernel/btf/vmlinux (raw)|/sys/kernel/btf/vmlinux"; do
	IFS='|' read -r label in <<< "$pair"
	[ -r "$in" ] || continue
	read -r lib bk _ types < <("$PB" -n 31 "$in")
	measure "$PB" -O libbpf "$in"; rk=$MAX_KB
	measure "$PB" -O btfkit "$in"; ok=$MAX_KB
	row "$label, $types types" "$lib" "$rk" "$bk" "$ok"
done
(
	cd "$BTFKIT_CORPUS" || exit 1
	read -r lib bk n types < <("$PB" -n 7 -B vmlinux modules.list)
	row "all $n modules on vmlinux, $types types" "$lib" 0 "$bk" 0
)
echo "  (peak RSS: a process parsing the file once, both libraries linked in; 0 = not measured)"
