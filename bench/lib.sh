# Benchmark helpers (sourced by bench/NN-*.sh).
#   measure CMD...     run CMD BENCH_REPEAT times; sets MED_S (median wall
#                      seconds, timed with $EPOCHREALTIME) and MAX_KB (peak
#                      RSS, KiB, of one more run first, under /usr/bin/time).
#                      Standard output goes to /dev/null, or with
#                      BENCH_OUT=pipe through a pipe to cat (one cat for
#                      all the timed runs), with BENCH_OUT=file to a new
#                      file on disk
#   row LABEL REF_S REF_KB OUR_S OUR_KB
#                      print one comparison line with the time and RSS ratios
#   need_corpus        sets VMLINUX and MODLIST, or prints why and exits 0
: "${BTFKIT:?run through bench/run.sh (make bench)}"

measure() {
	local times=() tf t0 t1 us pfd
	tf=$(mktemp)
	# The peak RSS from one run under /usr/bin/time, which also warms the
	# page cache; the timed runs start CMD directly, timed by bash itself
	# ($EPOCHREALTIME, no fork around them), so the fork and exec of time(1)
	# and date(1), a few milliseconds each on a loaded VM, are not counted
	# (they inflated both sides of a ratio and pushed it towards 1).
	case "${BENCH_OUT:-null}" in
	pipe) /usr/bin/time -o "$tf" -f '%M' "$@" 2>/dev/null | cat >/dev/null ;;
	file) /usr/bin/time -o "$tf" -f '%M' "$@" >"$tf.out" 2>/dev/null ;;
	*) /usr/bin/time -o "$tf" -f '%M' "$@" >/dev/null 2>&1 ;;
	esac
	MAX_KB=$(tail -1 "$tf")
	# to a pipe: one cat reads all the timed runs' output, so that its fork,
	# exec and exit are not timed with each run either
	if [ "${BENCH_OUT:-null}" = pipe ]; then
		exec {pfd}> >(cat >/dev/null)
	fi
	for _ in $(seq "$BENCH_REPEAT"); do
		case "${BENCH_OUT:-null}" in
		pipe)
			t0=$EPOCHREALTIME
			"$@" 2>/dev/null >&"$pfd"
			t1=$EPOCHREALTIME ;;
		file)
			rm -f "$tf.out"
			t0=$EPOCHREALTIME
			"$@" >"$tf.out" 2>/dev/null
			t1=$EPOCHREALTIME ;;
		*)
			t0=$EPOCHREALTIME
			"$@" >/dev/null 2>&1
			t1=$EPOCHREALTIME ;;
		esac
		us=$(( ${t1/[.,]/} - ${t0/[.,]/} ))
		times+=("$(printf '%d.%06d' $((us / 1000000)) $((us % 1000000)))")
	done
	if [ "${BENCH_OUT:-null}" = pipe ]; then
		exec {pfd}>&-
	fi
	rm -f "$tf" "$tf.out"
	MED_S=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
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
