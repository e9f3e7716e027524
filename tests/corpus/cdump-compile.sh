#!/usr/bin/env bash
# Every C header btfkit prints compiles, with 'clang -target bpf -fsyntax-only'
# and 'gcc -fsyntax-only': corpus vmlinux and the running kernel (plain and
# --sort), and a fixed sample of corpus modules (every 20th: 202 modules;
# make check-corpus: every module) in each mode:
#  - --split-only, included after vmlinux.h (precompiled header);
#  - full (-B vmlinux M): the header's first part must be byte-identical to
#    vmlinux.h's and the rest identical to the --split-only types (else it
#    must compile after vmlinux.h); CDUMP_FULL_SAMPLE (default 10) modules
#    are also compiled whole;
#  - --types with three of the module's own struct names, compiled alone;
#  - --sort --split-only after the --sort vmlinux.h;
#  - several modules in one --split-only header (groups of 5, and all 202)
#    after vmlinux.h, and two full multi-module headers compiled whole.
. "$BTFKIT_SRC/tests/lib.sh"
need_corpus corpus/cdump-compile || exit 0
in_tier corpus/cdump-compile || exit 0
for cc in clang gcc; do
	command -v $cc >/dev/null || { skip corpus/cdump-compile "$cc not installed"; exit 0; }
done
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
export d VMLINUX BTFKIT BTFKIT_CORPUS
CL="clang -target bpf -fsyntax-only -w"
GC="gcc -fsyntax-only -w"
export CL GC

compiles() { # NAME FILE: both compilers accept FILE
	local e
	if ! e=$($CL "$2" 2>&1); then fail "$1" "clang: $(echo "$e" | grep -m1 error)"; return 1; fi
	if ! e=$($GC "$2" 2>&1); then fail "$1" "gcc: $(echo "$e" | grep -m1 error)"; return 1; fi
	return 0
}

# base headers and their precompiled forms
for v in "vm|" "vms|--sort"; do
	IFS='|' read -r n opt <<< "$v"
	"$BTFKIT" dump -f c $opt "$VMLINUX" > "$d/$n.h" || { fail corpus/cdump-compile "dump of vmlinux failed"; exit 0; }
	compiles "corpus/cdump-compile-vmlinux${opt:+-sort}" "$d/$n.h" && pass "corpus/cdump-compile-vmlinux${opt:+-sort}"
	clang -target bpf -x c-header "$d/$n.h" -o "$d/$n.h.pch" 2>/dev/null
	mkdir -p "$d/g$n" && cp "$d/$n.h" "$d/g$n/$n.h" && gcc -x c-header "$d/g$n/$n.h" -o "$d/g$n/$n.h.gch" 2>/dev/null
done
if [ -r /sys/kernel/btf/vmlinux ]; then
	for opt in "" "--sort"; do
		"$BTFKIT" dump -f c $opt /sys/kernel/btf/vmlinux > "$d/sys.h" &&
			compiles "corpus/cdump-compile-sysfs${opt:+-sort}" "$d/sys.h" &&
			pass "corpus/cdump-compile-sysfs${opt:+-sort}"
	done
else
	skip corpus/cdump-compile-sysfs "/sys/kernel/btf/vmlinux not readable"
fi

# after_base BASE FILE: FILE compiles after BASE.h's precompiled header
after_base() {
	$CL -include-pch "$d/$1.h.pch" "$2" >/dev/null 2>"$2.err" || { echo "clang: $(grep -m1 error "$2.err")"; return 1; }
	$GC -I"$d/g$1" -include "$1.h" "$2" >/dev/null 2>"$2.err" || { echo "gcc: $(grep -m1 error "$2.err")"; return 1; }
}
alone() {
	$CL "$1" >/dev/null 2>"$1.err" || { echo "clang: $(grep -m1 error "$1.err")"; return 1; }
	$GC "$1" >/dev/null 2>"$1.err" || { echo "gcc: $(grep -m1 error "$1.err")"; return 1; }
}
export -f after_base alone
vmlen=$(( $(wc -c < "$d/vm.h") - $(tail -n 5 "$d/vm.h" | wc -c) ))
export vmlen

one() { # one sampled module: prints "ok MODE" or "bad MODE M: why" per mode
	local m="$BTFKIT_CORPUS/$1" w="$d/$(echo "$1" | tr / _)" e names
	"$BTFKIT" dump -f c -B "$VMLINUX" "$m" > "$w.full.h" 2>/dev/null || { echo "bad full $1: dump failed"; return; }
	"$BTFKIT" dump -f c --split-only -B "$VMLINUX" "$m" > "$w.split.h" 2>/dev/null || { echo "bad split $1: dump failed"; return; }
	tail -n +8 "$w.split.h" | head -n -5 > "$w.split.c"
	if e=$(after_base vm "$w.split.h"); then echo "ok split"; else echo "bad split $1: $e"; fi
	# the full header is vmlinux.h's first part, then the split-only types
	tail -c +$((vmlen + 1)) "$w.full.h" | head -n -5 > "$w.tail.c"
	if ! cmp -s -n "$vmlen" "$w.full.h" "$d/vm.h"; then
		echo "bad full $1: first part differs from vmlinux.h"
	elif cmp -s "$w.tail.c" "$w.split.c"; then
		echo "ok full"
	elif e=$(after_base vm "$w.tail.c"); then
		echo "ok full"
	else
		echo "bad full $1: $e"
	fi
	"$BTFKIT" dump -f c --sort --split-only -B "$VMLINUX" "$m" > "$w.sort.c" 2>/dev/null || { echo "bad sort $1: dump failed"; return; }
	if e=$(after_base vms "$w.sort.c"); then echo "ok sort"; else echo "bad sort $1: $e"; fi
	names=$("$BTFKIT" dump -B "$VMLINUX" "$m" | awk '/^\[[0-9]+\] STRUCT .[a-z_]/ { gsub("\x27", "", $3); print $3 }' | head -3 | paste -sd,)
	if [ -z "$names" ]; then echo "ok types"; return; fi
	"$BTFKIT" dump -f c --types "$names" -B "$VMLINUX" "$m" > "$w.types.h" 2>/dev/null || { echo "bad types $1: dump failed"; return; }
	if e=$(alone "$w.types.h"); then echo "ok types"; else echo "bad types $1 ($names): $e"; fi
	rm -f "$w".*
}
export -f one
corpus_sample 20 > "$d/sample"
nsample=$(wc -l < "$d/sample")
xargs -P2 -I{} bash -c 'one "$1"' _ {} < "$d/sample" > "$d/results"
for mode in full split sort types; do
	ok=$(grep -c "^ok $mode\$" "$d/results")
	bad=$(grep "^bad $mode " "$d/results")
	if [ -z "$bad" ] && [ "$ok" -eq "$nsample" ]; then
		pass "corpus/cdump-compile-modules-$mode ($ok modules, clang and gcc)"
	else
		fail "corpus/cdump-compile-modules-$mode" "$ok of $nsample ok; $(echo "$bad" | head -2 | tr '\n' ' ')"
	fi
done

# whole full headers for a few modules
nf=0 badf=
for m in $(head -n "${CDUMP_FULL_SAMPLE:-10}" "$d/sample"); do
	"$BTFKIT" dump -f c -B "$VMLINUX" "$BTFKIT_CORPUS/$m" > "$d/f.h" && e=$(alone "$d/f.h") && nf=$((nf + 1)) || badf="$badf $m $e"
done
[ -z "$badf" ] && pass "corpus/cdump-compile-modules-full-whole ($nf modules)" || fail corpus/cdump-compile-modules-full-whole "$badf"

# several modules in one header: groups of 5 sampled modules, split-only
split -l 5 "$d/sample" "$d/grp."
ng=0 badg=
for g in "$d"/grp.*; do
	"$BTFKIT" dump -f c --split-only -B "$VMLINUX" $(sed "s|^|$BTFKIT_CORPUS/|" "$g") > "$g.c" 2> "$g.err" ||
		{ badg="$badg $(head -1 "$g.err")"; continue; }
	if e=$(after_base vm "$g.c"); then ng=$((ng + 1)); else badg="$badg $(head -1 "$g") $e"; fi
done
[ -z "$badg" ] && pass "corpus/cdump-compile-multi-split ($ng headers of 5 modules, $nsample modules)" ||
	fail corpus/cdump-compile-multi-split "$badg"
# all sampled modules in one header
"$BTFKIT" dump -f c --split-only -B "$VMLINUX" $(sed "s|^|$BTFKIT_CORPUS/|" "$d/sample") > "$d/all.h" 2> "$d/all.err" &&
	e=$(after_base vm "$d/all.h") && pass "corpus/cdump-compile-multi-split-all ($nsample modules in one header)" ||
	fail corpus/cdump-compile-multi-split-all "$(head -1 "$d/all.err") $e"
nm=0 badm=
for g in "$d/grp.aa" "$d/grp.ab"; do
	"$BTFKIT" dump -f c -B "$VMLINUX" $(sed "s|^|$BTFKIT_CORPUS/|" "$g") > "$g.h" 2>/dev/null && e=$(alone "$g.h") &&
		nm=$((nm + 1)) || badm="$badm $g $e"
done
[ -z "$badm" ] && pass "corpus/cdump-compile-multi-full ($nm headers of 5 modules)" || fail corpus/cdump-compile-multi-full "$badm"
