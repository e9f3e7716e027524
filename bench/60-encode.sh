#!/usr/bin/env bash
# btfkit encode against pahole 1.24 -J at the same -j, on Debian's
# 6.1.0-50-cloud-amd64 -dbg vmlinux (163 MB of .debug_info, 2,170 units) and
# xfs.ko (split on the shipped vmlinux BTF): wall time (median of
# BENCH_REPEAT) and peak RSS. The issue's bars: btfkit at most 0.5x
# pahole's time and 0.5x its memory. Then modules one by one (every 50th of
# the package, or all with BENCH_ALL_MODULES=1), both tools at -j2: total
# time. pahole gets the kernel 6.1 flags (--btf_gen_floats); btfkit its
# default features (the current kernel's function rules).
. "$(dirname "$0")/lib.sh"
echo "== encode: btfkit encode vs pahole 1.24 -J (ref = pahole)"
# the figures mean little on a busy machine: say how busy it was
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "  load average at the start: $(load)"
if ! command -v pahole >/dev/null; then
	echo "  (skipped: pahole not installed; scripts/install-deps)"
	exit 0
fi
if ! dir=$("$BTFKIT_SRC/scripts/fetch-corpus-dbg" 2>/dev/null); then
	echo "  (skipped: the -dbg corpus is not available; run scripts/fetch-corpus-dbg)"
	exit 0
fi
rel=$(cat "$dir/release")
dbg_vmlinux="$dir/vmlinux-dbg"
ship_vmlinux="$dir/vmlinux"
moddir="$dir/dbg/usr/lib/debug/lib/modules/$rel"
xfs="$moddir/kernel/fs/xfs/xfs.ko"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

verdict() {
	awk -v rs="$1" -v rk="$2" -v os="$3" -v ok="$4" 'BEGIN {
		t = os / rs; m = ok / rk
		printf "  %-44s time x%.2f %s, memory x%.2f %s\n", "  bars (<= 0.5x)", t,
			t <= 0.5 ? "met" : "NOT met", m, m <= 0.5 ? "met" : "NOT met" }'
}

for j in 1 2; do
	measure pahole -J -j$j --btf_gen_floats --btf_encode_detached="$tmp/p.btf" "$dbg_vmlinux"
	ps=$MED_S pk=$MAX_KB
	measure "$BTFKIT" encode -j$j -o "$tmp/b.btf" "$dbg_vmlinux"
	row "vmlinux (-dbg) -j$j" "$ps" "$pk" "$MED_S" "$MAX_KB"
	verdict "$ps" "$pk" "$MED_S" "$MAX_KB"
done
for j in 1 2; do
	measure pahole -J -j$j --btf_gen_floats --btf_base "$ship_vmlinux" \
		--btf_encode_detached="$tmp/p.btf" "$xfs"
	ps=$MED_S pk=$MAX_KB
	measure "$BTFKIT" encode -j$j -B "$ship_vmlinux" -o "$tmp/b.btf" "$xfs"
	row "xfs.ko on vmlinux -j$j" "$ps" "$pk" "$MED_S" "$MAX_KB"
	verdict "$ps" "$pk" "$MED_S" "$MAX_KB"
done

if [ "${BENCH_ALL_MODULES:-0}" = 1 ]; then
	mods=$(cat "$dir/modules.list")
	what="all $(wc -l < "$dir/modules.list") modules"
else
	mods=$(awk 'NR % 50 == 1' "$dir/modules.list")
	what="$(echo "$mods" | wc -l) modules (every 50th)"
fi
total() {
	local t0 us
	t0=$EPOCHREALTIME
	for m in $mods; do
		"$@" "$moddir/$m" >/dev/null 2>&1
	done
	us=$(( ${EPOCHREALTIME/[.,]/} - ${t0/[.,]/} ))
	awk -v n="$us" 'BEGIN { printf "%.3f", n / 1e6 }'
}
ps=$(total pahole -J -j2 --btf_gen_floats --btf_base "$ship_vmlinux" --btf_encode_detached="$tmp/p.btf")
bs=$(total "$BTFKIT" encode -j2 -B "$ship_vmlinux" -o "$tmp/b.btf")
awk -v l="$what, one by one, -j2 (total)" -v rs="$ps" -v os="$bs" 'BEGIN {
	printf "  %-44s ref %8.3fs            | btfkit %8.3fs            | time x%.2f\n", l, rs, os, os / rs }'
echo "  load average at the end: $(load)"
