#!/usr/bin/env bash
# btfkit check on the corpus modules:
#  - against their own vmlinux (6.1): every module would load;
#  - against the running kernel's /sys/kernel/btf/vmlinux (another kernel):
#    every module fails, each with a reason naming the mismatch and a fix;
#  - distilled (btfkit distill --embed into a copy of the module): they load on their own vmlinux, and on Debian's
#    cloud build of 6.1 and on the running kernel exactly where
#    'btfkit relocate' succeeds, each failure explained.
# A sample of every 40th module in make check (3 of them in make
# check-fast); every module in make check-corpus or with BTFKIT_CORPUS_ALL=1.
. "$BTFKIT_SRC/tests/lib.sh"
need_corpus corpus/check || exit 0
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
cd "$BTFKIT_CORPUS" || exit 1
if [ "${BTFKIT_CORPUS_ALL:-0}" = 1 ] || [ "$BTFKIT_TIER" = corpus ]; then
	sed "s|^|$PWD/|" modules.list > "$d/list"
	what="all"
else
	corpus_sample 40 | sed "s|^|$PWD/|" > "$d/list"
	what="sample of"
fi
n=$(wc -l < "$d/list")
mapfile -t mods < "$d/list"

# check NAME BASE FILES...: btfkit check --json into $d/NAME.json; its exit status
check() {
	local name="$1" base="$2"
	shift 2
	"$BTFKIT" check --json -B "$base" "$@" > "$d/$name.json" 2> "$d/$name.err"
}

check own "$PWD/vmlinux" "${mods[@]}"
rc=$?
bad=$(jq -sr '.[] | select(.ok | not) | "\(.file): \(.reason)"' "$d/own.json" 2>&1 | head -2)
cnt=$(jq -s length "$d/own.json" 2>/dev/null)
if [ "$rc" -ne 0 ] || [ -n "$bad" ] || [ "$cnt" != "$n" ]; then
	fail corpus/check-own-vmlinux "exit $rc, $cnt results for $n modules: $bad $(head -2 "$d/own.err")"
else
	pass "corpus/check-own-vmlinux ($what $n modules: all would load on the vmlinux they were built against)"
fi

if [ -r /sys/kernel/btf/vmlinux ]; then
	check running /sys/kernel/btf/vmlinux "${mods[@]}"
	rc=$?
	# every module fails, with a reason and a fix
	ok=$(jq -s '[.[] | select(.ok)] | length' "$d/running.json")
	unexplained=$(jq -sr '.[] | select((.ok | not) and ((.reason // "") == "" or (.fix // "") == "")) | .file' "$d/running.json" | head -2)
	cnt=$(jq -s length "$d/running.json")
	if [ "$rc" -ne 1 ] || [ "$ok" -ne 0 ] || [ -n "$unexplained" ] || [ "$cnt" != "$n" ]; then
		fail corpus/check-running-kernel "exit $rc, $ok of $cnt pass, unexplained: $unexplained"
	else
		rej=$(jq -s '[.[] | select(.loads | not)] | length' "$d/running.json")
		mism=$(jq -s '[.[] | select(.other_vmlinux)] | length' "$d/running.json")
		pass "corpus/check-running-kernel ($what $n modules: all fail, each explained; $mism built against another vmlinux, $rej of them rejected by the kernel's checks, the others would load with nonsense types)"
	fi
else
	skip corpus/check-running-kernel "no /sys/kernel/btf/vmlinux on this machine"
fi

# distilled copies of the modules
mkdir -p "$d/dist"
i=0
dmods=()
for m in "${mods[@]}"; do
	i=$((i + 1))
	out="$d/dist/$i.ko"
	cp "$m" "$out"
	if ! "$BTFKIT" distill --embed -B "$PWD/vmlinux" "$out" 2>> "$d/distill.err"; then
		fail corpus/check-distilled "cannot distill $m: $(tail -1 "$d/distill.err")"
		exit 0
	fi
	dmods+=("$out")
done
check dist-own "$PWD/vmlinux" "${dmods[@]}"
rc=$?
bad=$(jq -sr '.[] | select((.ok and .distilled and .relocated) | not) | "\(.file): \(.reason)"' "$d/dist-own.json" | head -2)
if [ "$rc" -ne 0 ] || [ -n "$bad" ]; then
	fail corpus/check-distilled-own "exit $rc: $bad"
else
	pass "corpus/check-distilled-own ($what $n distilled modules: all relocate onto their vmlinux and would load)"
fi

# other kernels: check passes exactly where relocate succeeds
other() {
	local name="$1" base="$2" i=0 agree=0 okn=0 bad="" m rel ok
	check "$name" "$base" "${dmods[@]}"
	for m in "${dmods[@]}"; do
		if "$BTFKIT" relocate -B "$base" "$m" -o "$d/r.btf" 2> /dev/null; then rel=true; else rel=false; fi
		ok=$(jq -sr --argjson i "$i" '.[$i].ok' "$d/$name.json")
		if [ "$ok" = "$rel" ]; then
			agree=$((agree + 1))
		else
			bad="$m: check ok=$ok, relocate ok=$rel"
		fi
		[ "$ok" = true ] && okn=$((okn + 1))
		i=$((i + 1))
	done
	unexplained=$(jq -sr '.[] | select((.ok | not) and ((.reason // "") == "" or (.fix // "") == "")) | .file' "$d/$name.json" | head -1)
	if [ "$agree" -ne "$n" ] || [ -n "$unexplained" ]; then
		fail "corpus/check-distilled-$name" "${bad:-unexplained failure: $unexplained}"
	else
		pass "corpus/check-distilled-$name ($what $n distilled modules: $okn pass, exactly those that relocate onto $base; each failure explained)"
	fi
}
if need_corpus_dbg corpus/check-distilled-cloud; then
	other cloud "$SHIP_VMLINUX"
fi
if [ -r /sys/kernel/btf/vmlinux ]; then
	other running /sys/kernel/btf/vmlinux
else
	skip corpus/check-distilled-running "no /sys/kernel/btf/vmlinux on this machine"
fi
