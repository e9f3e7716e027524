# Dedup: btfkit bk_btf_dedup vs libbpf btf__dedup on the same inputs in the
# same run: N Debian 6.1 modules made standalone (split types plus every
# vmlinux type they reach, copied with btfkit's writer) and concatenated,
# deduplicated standalone and as
# split on vmlinux (split inputs written as libbpf writes split BTF: base
# strings by base offset). Times are CPU seconds of the dedup call alone
# (median of BENCH_REPEAT runs, at most 3 for all modules, the two libraries
# alternating run by run; CPU time is robust on a shared machine);
# peak RSS is the whole process (load + dedup); then one more btfkit run
# under ulimit -v of 1.5x that peak RSS. N = 50 and 500; all 4022
# modules with BENCH_DEDUP_ALL=1 (needs ~3 GB of memory and a few minutes).
. bench/lib.sh
need_corpus
H="$BTFKIT_BUILD/tests/dedup_corpus"
[ -x "$H" ] || { echo "  (skipped: $H not built; run make tests)"; exit 0; }
d=$(mktemp -d "${TMPDIR:-/tmp}/btfkit-bench.XXXXXX")
trap 'rm -rf "$d"' EXIT
reps=$BENCH_REPEAT
sizes="50 500"
[ -n "${BENCH_DEDUP_ALL:-}" ] && sizes="$sizes 4022"
echo "== dedup (btfkit bk_btf_dedup vs libbpf btf__dedup; time = CPU seconds of the dedup call alone, median of $reps runs alternating the two, 3 for 4022 modules)"
printf '  %-26s %-7s %10s %10s %8s %9s %8s %9s %8s\n' input lib "types in" "bytes in" "types" bytes "time s" "RSS MiB" "us/type"

# one measured run: sets T (dedup seconds), KB (peak RSS), OUT (helper line)
one() {
	local tf
	tf=$(mktemp)
	OUT=$(/usr/bin/time -o "$tf" -f '%M' "$@" 2> /dev/null)
	KB=$(tail -1 "$tf")
	rm -f "$tf"
	T=$(awk '{ print $6 }' <<< "$OUT")
}

for n in $sizes; do
	r=$reps
	[ "$n" -gt 500 ] && [ "$r" -gt 3 ] && r=3 # (a minute per run)
	total=$(wc -l < "$MODLIST")
	step=$(( total / n )); [ "$step" -ge 1 ] || step=1
	awk -v s="$step" -v n="$n" '(NR - 1) % s == 0 && c < n { c++; print }' "$MODLIST" |
		sed "s|^|$BTFKIT_CORPUS/|" > "$d/mods"
	mapfile -t mods < "$d/mods"
	nice "$H" gen -o "$d/s.raw" -s "$d/sp.raw" "$VMLINUX" "${mods[@]}" 2> /dev/null || continue
	for v in "s.raw|$n modules standalone|" "sp.raw|$n modules split|-B $VMLINUX"; do
		IFS='|' read -r f label opt <<< "$v"
		# the two libraries alternate run by run, so a slower spell of a
		# shared machine falls on both
		declare -A ts=() kb=() out=()
		for _ in $(seq "$r"); do
			for lib in libbpf btfkit; do
				# shellcheck disable=SC2086
				one "$H" time "$lib" $opt "$d/$f"
				ts[$lib]="${ts[$lib]:-} $T"
				[ "${KB:-0}" -gt "${kb[$lib]:-0}" ] && kb[$lib]=$KB
				out[$lib]=$OUT
			done
		done
		for lib in libbpf btfkit; do
			med=$(printf '%s\n' ${ts[$lib]} | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
			read -r _ tin bin tout bout _ <<< "${out[$lib]}"
			printf '  %-26s %-7s %10s %10s %8s %9s %8.3f %9.1f %8.3f\n' "$label" "$lib" "$tin" "$bin" \
				"$tout" "$bout" "$med" "$(awk -v k="${kb[$lib]:-0}" 'BEGIN{print k/1024}')" \
				"$(awk -v t="$med" -v n="$tin" 'BEGIN{print n ? t * 1e6 / n : 0}')"
			if [ "$lib" = libbpf ]; then ref=$med; else
				ratio=$(awk -v a="$med" -v b="$ref" -v k="${kb[btfkit]:-0}" -v r="${kb[libbpf]:-0}" \
					'BEGIN { printf "time x%.2f, RSS x%.2f", (b > 0 ? a / b : 0), (r > 0 ? k / r : 0) }')
			fi
		done
		# memory grows with use: the same run fits in 1.5x its peak RSS of address space
		lim=$(( ${kb[btfkit]:-0} * 3 / 2 ))
		# shellcheck disable=SC2086
		if (ulimit -v "$lim"; exec "$H" time btfkit $opt "$d/$f") >/dev/null 2>&1; then
			ratio="$ratio, runs under ulimit -v 1.5x RSS"
		else
			ratio="$ratio, FAILS under ulimit -v 1.5x RSS ($((lim / 1024)) MiB)"
		fi
		echo "  $(printf '%-26s' "$label") btfkit/libbpf: $ratio"
	done
	rm -f "$d/s.raw" "$d/sp.raw"
done
