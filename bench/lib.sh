# Benchmark helpers (sourced by bench/NN-*.sh).
#   measure CMD...     run CMD BENCH_REPEAT times (output to /dev/null); sets
#                      MED_S (median wall seconds) and MAX_KB (peak RSS, KiB)
#   row LABEL REF_S REF_KB OUR_S OUR_KB
#                      print one comparison line with the time ratio
#   need_corpus        sets VMLINUX and MODLIST, or prints why and exits 0
: "${BTFKIT:?run through bench/run.sh (make bench)}"

measure() {
	local times=() kb=0 t m tf t0
	tf=$(mktemp)
	for _ in $(seq "$BENCH_REPEAT"); do
		t0=$(date +%s%N)
		/usr/bin/time -o "$tf" -f '%M' "$@" >/dev/null 2>&1
		t=$(( ($(date +%s%N) - t0) / 1000 ))
		t=$(awk -v u="$t" 'BEGIN { printf "%.4f", u / 1e6 }')
		m=$(tail -1 "$tf")
		times+=("$t")
		[ "$m" -gt "$kb" ] && kb=$m
	done
	rm -f "$tf"
	MED_S=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	MAX_KB=$kb
}

row() {
	awk -v l="$1" -v rs="$2" -v rk="$3" -v os="$4" -v ok="$5" 'BEGIN {
		r = (rs > 0) ? os / rs : 0
		printf "  %-44s ref %8.3fs %7.1f MiB | btfkit %8.3fs %7.1f MiB | time x%.2f\n",
			l, rs, rk / 1024, os, ok / 1024, r }'
}

need_corpus() {
	if ! "$BTFKIT_SRC/scripts/fetch-corpus" >/dev/null 2>&1; then
		echo "  (skipped: Debian corpus not available; run scripts/fetch-corpus)"
		exit 0
	fi
	VMLINUX="$BTFKIT_CORPUS/vmlinux"
	MODLIST="$BTFKIT_CORPUS/modules.list"
}
