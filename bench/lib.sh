# Benchmark helpers (sourced by bench/NN-*.sh).
#   measure CMD...     run CMD BENCH_REPEAT times; sets MED_S (median wall
#                      seconds) and MAX_KB (peak RSS, KiB). Standard output
#                      goes to /dev/null, or with BENCH_OUT=pipe through a
#                      pipe to cat, with BENCH_OUT=file to a new file on disk
#   row LABEL REF_S REF_KB OUR_S OUR_KB
#                      print one comparison line with the time and RSS ratios
#   need_corpus        sets VMLINUX and MODLIST, or prints why and exits 0
: "${BTFKIT:?run through bench/run.sh (make bench)}"

measure() {
	local times=() kb=0 t m tf t0
	tf=$(mktemp)
	for _ in $(seq "$BENCH_REPEAT"); do
		t0=$(date +%s%N)
		case "${BENCH_OUT:-null}" in
		pipe) /usr/bin/time -o "$tf" -f '%M' "$@" 2>/dev/null | cat >/dev/null ;;
		file) rm -f "$tf.out"; /usr/bin/time -o "$tf" -f '%M' "$@" >"$tf.out" 2>/dev/null ;;
		*) /usr/bin/time -o "$tf" -f '%M' "$@" >/dev/null 2>&1 ;;
		esac
		t=$(( ($(date +%s%N) - t0) / 1000 ))
		t=$(awk -v u="$t" 'BEGIN { printf "%.4f", u / 1e6 }')
		m=$(tail -1 "$tf")
		times+=("$t")
		[ "$m" -gt "$kb" ] && kb=$m
	done
	rm -f "$tf" "$tf.out"
	MED_S=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	MAX_KB=$kb
}

row() {
	awk -v l="$1" -v rs="$2" -v rk="$3" -v os="$4" -v ok="$5" 'BEGIN {
		r = (rs > 0) ? os / rs : 0
		m = (rk > 0) ? ok / rk : 0
		printf "  %-44s ref %8.3fs %7.1f MiB | btfkit %8.3fs %7.1f MiB | time x%.2f mem x%.2f\n",
			l, rs, rk / 1024, os, ok / 1024, r, m }'
}

need_corpus() {
	if ! "$BTFKIT_SRC/scripts/fetch-corpus" >/dev/null 2>&1; then
		echo "  (skipped: Debian corpus not available; run scripts/fetch-corpus)"
		exit 0
	fi
	VMLINUX="$BTFKIT_CORPUS/vmlinux"
	MODLIST="$BTFKIT_CORPUS/modules.list"
}
