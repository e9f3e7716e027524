# Writer: re-add every type of vmlinux into an empty BTF and serialize it,
# btfkit (bk_btf_add_type + bk_btf_serialize) vs libbpf (btf__add_type +
# btf__raw_data), same process shape (parse, build, serialize). Target: at
# most 0.7x libbpf's time and no more memory. Also checks both outputs are
# byte-identical and reports the build+serialize phase alone (CPU time).
. bench/lib.sh
need_corpus
H="$BTFKIT_BUILD/bench/writer_bench"
echo "== writer: re-add all vmlinux types + serialize (writer_bench btfkit vs libbpf)"
if [ ! -x "$H" ]; then
	echo "  (skipped: $H not built)"
	exit 0
fi
t=$(mktemp -d)
for pair in "vmlinux (corpus)|$VMLINUX" "/sys/kernel/btf/vmlinux|/sys/kernel/btf/vmlinux"; do
	IFS='|' read -r label in <<< "$pair"
	[ -r "$in" ] || continue
	measure "$H" libbpf "$in"; rs=$MED_S rk=$MAX_KB
	measure "$H" btfkit "$in"
	row "$label" "$rs" "$rk" "$MED_S" "$MAX_KB"
	# build+serialize phase only, CPU time, median over BENCH_REPEAT runs
	lm=$(for _ in $(seq "$BENCH_REPEAT"); do "$H" libbpf "$in"; done | awk '{print $(NF-2)}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	km=$(for _ in $(seq "$BENCH_REPEAT"); do "$H" btfkit "$in"; done | awk '{print $(NF-2)}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	"$H" libbpf "$in" "$t/l" >/dev/null && "$H" btfkit "$in" "$t/k" >/dev/null
	same=no
	cmp -s "$t/l" "$t/k" && same=yes
	awk -v l="$lm" -v k="$km" -v s="$same" 'BEGIN {
		printf "  %-44s build+serialize CPU: libbpf %.1f ms, btfkit %.1f ms (x%.2f); outputs identical: %s\n",
			"", l, k, (l > 0 ? k / l : 0), s }'
done
rm -rf "$t"
