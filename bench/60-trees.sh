# Module trees (issue 13 bars): parsing every corpus module on vmlinux,
# btfkit against libbpf (btf__parse_split), one thread each and btfkit with
# two threads (build/tests/parse_bench; wall-clock with -j), each also
# through bk_btf_open_many (the batched open); and the
# split-vs-standalone report ('btfkit stats -B vmlinux DIR', one thread:
# open, count, make standalone and deduplicate every module) against what
# libbpf's btf__parse_split + btf__dedup of every module costs, one thread.
# Bars: parse <= 0.5x single-threaded, <= 0.3x with -j2; report <= 0.5x.
. bench/lib.sh
need_corpus
PB="$BTFKIT_BUILD/bench/parse_bench"
if [ ! -x "$PB" ]; then
	echo "  (skipped: $PB not built)"
	exit 0
fi
echo "== module trees (bars: parse x0.50 one thread, x0.30 btfkit -j2; report x0.50)"
cd "$BTFKIT_CORPUS" || exit 1
read -r lib bk n _ < <("$PB" -n 5 -B vmlinux modules.list)
row "parse $n modules on vmlinux (CPU)" "$lib" 0 "$bk" 0
read -r lib bk n _ < <("$PB" -n 5 -j 2 -B vmlinux modules.list)
row "parse $n modules, btfkit -j2 (wall)" "$lib" 0 "$bk" 0
# the same through bk_btf_open_many (system calls batched with io_uring)
read -r lib bk n _ < <("$PB" -n 5 -M -B vmlinux modules.list)
row "parse $n modules, open_many (CPU)" "$lib" 0 "$bk" 0
read -r lib bk n _ < <("$PB" -n 5 -M -j 2 -B vmlinux modules.list)
row "parse $n modules, open_many -j2 (wall)" "$lib" 0 "$bk" 0
read -r lib _ n _ < <("$PB" -n 1 -D -B vmlinux modules.list)
# the report's CPU time (user + system), one thread, median of BENCH_REPEAT
times=()
for _ in $(seq "$BENCH_REPEAT"); do
	/usr/bin/time -o "$BTFKIT_BUILD/.tree-time" -f '%U %S' \
		"$BTFKIT" stats -q -j1 -B vmlinux x/lib/modules > /dev/null 2>&1
	times+=("$(awk '{ printf "%.3f", $1 + $2 }' "$BTFKIT_BUILD/.tree-time")")
done
rm -f "$BTFKIT_BUILD/.tree-time"
bk=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
row "stats report, $n modules (CPU; ref: split+dedup)" "$lib" 0 "$bk" 0
