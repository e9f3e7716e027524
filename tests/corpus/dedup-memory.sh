#!/usr/bin/env bash
# Dedup memory grows with use (issue 12): `btfkit dedup` of real module BTF
# (DEDUP_MEMORY_MODULES, default 500 Debian 6.1 modules appended as split
# BTF on vmlinux with `btfkit merge`) runs under `ulimit -v` of 1.5x its own
# peak RSS and gives the same bytes as without the limit; under tighter
# limits (5/8 to 11/8 of that RSS) every run either gives the same bytes or
# fails cleanly: exit 1 and a message ("out of memory" at least once), no
# output file. (Before: dedup reserved its walk lists, stacks and table at
# the input's full size, about 3.9x the peak RSS of address space.)
# ulimit -v cannot work under AddressSanitizer (its shadow memory is
# reserved up front), so a sanitized build gets a plain -O1 build of the CLI
# into BUILD/plain first (make, incremental).
. "$BTFKIT_SRC/tests/lib.sh"
need_corpus corpus/dedup-ulimit || exit 0
N="${DEDUP_MEMORY_MODULES:-500}"
B="$BTFKIT"
if ldd "$BTFKIT" 2>/dev/null | grep -q libasan; then
	if ! env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL nice make -s -j2 -C "$BTFKIT_SRC" BUILD="$BTFKIT_BUILD/plain" OPT="-O1" cli >/dev/null 2>&1; then
		fail corpus/dedup-ulimit "plain build for ulimit -v failed (make BUILD=$BTFKIT_BUILD/plain cli)"
		exit 0
	fi
	B="$BTFKIT_BUILD/plain/btfkit"
fi
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
sample_modules "$N" "$d/mods"
mapfile -t mods < "$d/mods"
if ! "$B" merge -B "$VMLINUX" -o "$d/in.raw" "${mods[@]}" 2> "$d/err"; then
	fail corpus/dedup-ulimit "merge failed: $(head -2 "$d/err")"
	exit 0
fi
if ! /usr/bin/time -o "$d/rss" -f '%M' "$B" dedup -B "$VMLINUX" -o "$d/a.raw" "$d/in.raw" 2> "$d/err"; then
	fail corpus/dedup-ulimit "dedup failed without a limit: $(head -2 "$d/err")"
	exit 0
fi
rss=$(tail -1 "$d/rss")
lim=$(( rss * 3 / 2 ))
(ulimit -v "$lim"; exec "$B" dedup -B "$VMLINUX" -o "$d/b.raw" "$d/in.raw") 2> "$d/err"
rc=$?
if [ $rc -ne 0 ]; then
	fail corpus/dedup-ulimit "exit $rc under ulimit -v $lim KiB (1.5x the peak RSS of $rss KiB): $(head -2 "$d/err")"
elif ! cmp -s "$d/a.raw" "$d/b.raw"; then
	fail corpus/dedup-ulimit "output under ulimit -v differs from the output without it"
else
	pass "corpus/dedup-ulimit ($(grep -c . "$d/mods") modules split on vmlinux: peak RSS $((rss / 1024)) MiB, same output under ulimit -v $((lim / 1024)) MiB)"
fi
# tighter limits: each run succeeds with the same output or fails cleanly,
# wherever the allocation that fails is (parsing, the phases, the output)
bad=""
for k in 5 6 7 8 9 10 11; do
	l=$(( rss * k / 8 ))
	rm -f "$d/c.raw"
	(ulimit -v "$l"; exec "$B" dedup -B "$VMLINUX" -o "$d/c.raw" "$d/in.raw") 2> "$d/err"
	rc=$?
	if [ $rc -eq 0 ] && cmp -s "$d/a.raw" "$d/c.raw"; then
		continue
	elif [ $rc -eq 1 ] && grep -q "^btfkit: " "$d/err" && [ ! -e "$d/c.raw" ]; then
		grep -q "out of memory" "$d/err" && oom=1
		continue
	fi
	bad="$bad ulimit -v $l KiB: exit $rc, output file $([ -e "$d/c.raw" ] && echo left || echo absent), stderr: $(head -c 200 "$d/err");"
done
if [ -n "$bad" ]; then
	fail corpus/dedup-ulimit-fails-cleanly "$bad"
elif [ -z "${oom:-}" ]; then
	fail corpus/dedup-ulimit-fails-cleanly "no limit from 5/8 to 11/8 of the peak RSS made the dedup run out of memory"
else
	pass corpus/dedup-ulimit-fails-cleanly
fi
