#!/usr/bin/env bash
# btfkit check on the corpus module directory (a directory operand: the tree
# runner, in parallel):
#  - against their own vmlinux (6.1): every module would load;
#  - against the running kernel's /sys/kernel/btf/vmlinux (another kernel):
#    every module fails, each with a reason naming the mismatch and a fix;
#    the same output at -j1 and -j2;
#  - distilled (btfkit distill --embed into a copy of the module): they load on their own vmlinux, and on Debian's
#    cloud build of 6.1 and on the running kernel exactly where
#    'btfkit relocate' succeeds, each failure explained.
# A sample of every 40th module in make check (3 of them in make
# check-fast), as a directory of links to them; the corpus's module
# directory itself (every module) in make check-corpus or with
# BTFKIT_CORPUS_ALL=1.
. "$BTFKIT_SRC/tests/lib.sh"
need_corpus corpus/check || exit 0
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
cd "$BTFKIT_CORPUS" || exit 1
top="$PWD/x/lib/modules"
if [ "${BTFKIT_CORPUS_ALL:-0}" = 1 ] || [ "$BTFKIT_TIER" = corpus ]; then
	cp modules.list "$d/list"
	tree="$top"
	what="all"
else
	corpus_sample 40 > "$d/list"
	tree="$d/tree"
	while read -r m; do
		mkdir -p "$tree/$(dirname "${m#x/lib/modules/}")"
		ln -s "$PWD/$m" "$tree/${m#x/lib/modules/}"
	done < "$d/list"
	what="sample of"
fi
n=$(wc -l < "$d/list")

# check NAME BASE ARGS...: btfkit check --json into $d/NAME.json (the modules'
# objects in $d/NAME.mods, the summary in $d/NAME.sum); its exit status
check() {
	local name="$1" base="$2" rc
	shift 2
	"$BTFKIT" check --json -B "$base" "$@" > "$d/$name.json" 2> "$d/$name.err"
	rc=$?
	jq -c 'select(has("file"))' "$d/$name.json" > "$d/$name.mods" 2>&1
	tail -1 "$d/$name.json" > "$d/$name.sum"
	return $rc
}
# sum NAME FIELD: a figure of NAME's summary object
sum() { jq -r ".$2" "$d/$1.sum" 2>/dev/null; }

check own "$PWD/vmlinux" "$tree"
rc=$?
bad=$(jq -r 'select(.ok | not) | "\(.file): \(.reason)"' "$d/own.mods" 2>&1 | head -2)
cnt=$(wc -l < "$d/own.mods")
if [ "$rc" -ne 0 ] || [ -n "$bad" ] || [ "$cnt" != "$n" ] || [ "$(sum own modules)" != "$n" ] ||
	[ "$(sum own ok)" != "$n" ]; then
	fail corpus/check-own-vmlinux "exit $rc, $cnt results for $n modules: $bad $(head -2 "$d/own.err") $(cat "$d/own.sum")"
else
	pass "corpus/check-own-vmlinux ($what $n modules in $tree: all would load on the vmlinux they were built against)"
fi

if [ -r /sys/kernel/btf/vmlinux ]; then
	check running /sys/kernel/btf/vmlinux -j1 "$tree"
	rc=$?
	"$BTFKIT" check --json -j2 -B /sys/kernel/btf/vmlinux "$tree" > "$d/running-j2.json" 2>&1
	# every module fails, with a reason and a fix
	ok=$(jq -s '[.[] | select(.ok)] | length' "$d/running.mods")
	unexplained=$(jq -r 'select((.ok | not) and ((.reason // "") == "" or (.fix // "") == "")) | .file' "$d/running.mods" | head -2)
	cnt=$(wc -l < "$d/running.mods")
	if [ "$rc" -ne 1 ] || [ "$ok" -ne 0 ] || [ -n "$unexplained" ] || [ "$cnt" != "$n" ] ||
		[ "$(sum running failed)" != "$n" ]; then
		fail corpus/check-running-kernel "exit $rc, $ok of $cnt pass, unexplained: $unexplained"
	elif ! cmp -s "$d/running.json" "$d/running-j2.json"; then
		fail corpus/check-running-kernel "-j2 printed otherwise than -j1"
	else
		pass "corpus/check-running-kernel ($what $n modules: all fail, each explained; $(sum running other_vmlinux) built against another vmlinux, $((n - $(sum running loads))) of them rejected by the kernel's checks, the others would load with nonsense types; the same output at -j1 and -j2)"
	fi
else
	skip corpus/check-running-kernel "no /sys/kernel/btf/vmlinux on this machine"
fi

# distilled copies of the modules, in a tree of their own
dist="$d/dist"
dmods=()
while read -r m; do
	out="$dist/${m#x/lib/modules/}"
	mkdir -p "$(dirname "$out")"
	cp "$m" "$out"
	if ! "$BTFKIT" distill --embed -B "$PWD/vmlinux" "$out" 2>> "$d/distill.err"; then
		fail corpus/check-distilled "cannot distill $m: $(tail -1 "$d/distill.err")"
		exit 0
	fi
	dmods+=("$out")
done < "$d/list"
check dist-own "$PWD/vmlinux" "$dist"
rc=$?
bad=$(jq -r 'select((.ok and .distilled and .relocated) | not) | "\(.file): \(.reason)"' "$d/dist-own.mods" | head -2)
if [ "$rc" -ne 0 ] || [ -n "$bad" ] || [ "$(sum dist-own relocated)" != "$n" ]; then
	fail corpus/check-distilled-own "exit $rc: $bad $(cat "$d/dist-own.sum")"
else
	pass "corpus/check-distilled-own ($what $n distilled modules: all relocate onto their vmlinux and would load)"
fi

# other kernels: check passes exactly where relocate succeeds
other() {
	local name="$1" base="$2" agree=0 okn=0 bad="" m rel ok
	local -A res=()
	check "$name" "$base" "$dist"
	while read -r m ok; do
		res[$m]=$ok
	done < <(jq -r '"\(.file) \(.ok)"' "$d/$name.mods")
	for m in "${dmods[@]}"; do
		if "$BTFKIT" relocate -B "$base" "$m" -o "$d/r.btf" 2> /dev/null; then rel=true; else rel=false; fi
		ok=${res[$m]:-missing}
		if [ "$ok" = "$rel" ]; then
			agree=$((agree + 1))
		else
			bad="$m: check ok=$ok, relocate ok=$rel"
		fi
		[ "$ok" = true ] && okn=$((okn + 1))
	done
	unexplained=$(jq -r 'select((.ok | not) and ((.reason // "") == "" or (.fix // "") == "")) | .file' "$d/$name.mods" | head -1)
	if [ "$agree" -ne "$n" ] || [ -n "$unexplained" ] || [ "$(sum "$name" ok)" != "$okn" ]; then
		fail "corpus/check-distilled-$name" "${bad:-unexplained failure: $unexplained} $(cat "$d/$name.sum")"
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
