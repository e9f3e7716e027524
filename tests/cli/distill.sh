#!/usr/bin/env bash
# btfkit distill, relocate and check, and modules with .BTF.base read by the
# other commands, on libbpf's distilled_base selftest BTF (written by
# build/tests/distill_corpus fixture): the distilled pair and the relocated
# split are compared with the selftest's expected layouts; modules are made
# with cc and objcopy (.BTF and .BTF.base sections).
. "$BTFKIT_SRC/tests/lib.sh"
helper="$BTFKIT_BUILD/tests/distill_corpus"
need_helper cli/distill "$helper" || exit 0
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
"$helper" fixture "$d" || { fail cli/distill-fixture "cannot write the fixture"; exit 0; }
B="$d/base.btf" S="$d/split.btf" SMALL="$d/small.btf"

# t NAME RC STDERR_GREP -- CMD...: exit status and a pattern in stderr ('' = empty)
t() {
	local name="$1" rc="$2" err="$3"
	shift 4
	"$@" > "$d/out" 2> "$d/err"
	local got=$?
	if [ "$got" -ne "$rc" ]; then
		fail "$name" "exit $got, expected $rc: $(head -2 "$d/err")"
	elif [ -z "$err" ] && [ -s "$d/err" ]; then
		fail "$name" "unexpected stderr: $(head -2 "$d/err")"
	elif [ -n "$err" ] && ! grep -qF -- "$err" "$d/err"; then
		fail "$name" "stderr '$(head -2 "$d/err")' lacks '$err'"
	else
		pass "$name"
	fi
}
# same NAME FILE TEXT: FILE holds exactly TEXT
same() {
	if [ "$(cat "$2")" = "$3" ]; then pass "$1"; else fail "$1" "got: $(head -3 "$2" | tr '\n' '|')"; fi
}

distilled_base="[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED
[2] STRUCT 's1' size=8 vlen=0
[3] UNION 'u1' size=12 vlen=0
[4] ENUM 'e1' encoding=UNSIGNED size=4 vlen=0
[5] ENUM 'e641' encoding=UNSIGNED size=8 vlen=0
[6] STRUCT 'embedded' size=4 vlen=0
[7] STRUCT 'from_proto' size=4 vlen=0"
distilled_split="[8] PTR '(anon)' type_id=2
[9] PTR '(anon)' type_id=20
[10] CONST '(anon)' type_id=3
[11] RESTRICT '(anon)' type_id=21
[12] VOLATILE '(anon)' type_id=4
[13] TYPEDEF 'et' type_id=22
[14] CONST '(anon)' type_id=5
[15] PTR '(anon)' type_id=23
[16] STRUCT 'with_embedded' size=4 vlen=1
	'f1' type_id=6 bits_offset=0
[17] FUNC 'fn' type_id=24 linkage=static
[18] TYPEDEF 'arraytype' type_id=25
[19] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1
	'p1' type_id=7
[20] STRUCT '(anon)' size=12 vlen=2
	'f1' type_id=1 bits_offset=0
	'f2' type_id=2 bits_offset=32
[21] UNION '(anon)' size=4 vlen=1
	'f1' type_id=1 bits_offset=0
[22] ENUM '(anon)' encoding=UNSIGNED size=4 vlen=1
	'av1' val=2
[23] ENUM64 '(anon)' encoding=SIGNED size=8 vlen=1
	'v1' val=1025LL
[24] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1
	'p1' type_id=1
[25] ARRAY '(anon)' type_id=1 index_type_id=1 nr_elems=3"
relocated="[18] PTR '(anon)' type_id=3
[19] PTR '(anon)' type_id=30
[20] CONST '(anon)' type_id=6
[21] RESTRICT '(anon)' type_id=31
[22] VOLATILE '(anon)' type_id=8
[23] TYPEDEF 'et' type_id=32
[24] CONST '(anon)' type_id=10
[25] PTR '(anon)' type_id=33
[26] STRUCT 'with_embedded' size=4 vlen=1
	'f1' type_id=13 bits_offset=0
[27] FUNC 'fn' type_id=34 linkage=static
[28] TYPEDEF 'arraytype' type_id=35
[29] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1
	'p1' type_id=16
[30] STRUCT '(anon)' size=12 vlen=2
	'f1' type_id=1 bits_offset=0
	'f2' type_id=3 bits_offset=32
[31] UNION '(anon)' size=4 vlen=1
	'f1' type_id=1 bits_offset=0
[32] ENUM '(anon)' encoding=UNSIGNED size=4 vlen=1
	'av1' val=2
[33] ENUM64 '(anon)' encoding=SIGNED size=8 vlen=1
	'v1' val=1025LL
[34] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1
	'p1' type_id=1
[35] ARRAY '(anon)' type_id=1 index_type_id=1 nr_elems=3"

# distill: two raw files, the selftest's layout
t cli/distill 0 "" -- "$BTFKIT" distill -B "$B" "$S" -o "$d/m.btf"
"$BTFKIT" dump "$d/m.btf.base" > "$d/db.txt"
same cli/distill-base "$d/db.txt" "$distilled_base"
"$BTFKIT" dump -B "$d/m.btf.base" "$d/m.btf" > "$d/ds.txt"
same cli/distill-split "$d/ds.txt" "$distilled_split"
t cli/distill-base-output 0 "" -- "$BTFKIT" distill -B "$B" "$S" -o "$d/m2.btf" --base-output "$d/m2.base"
cmp -s "$d/m.btf.base" "$d/m2.base" && cmp -s "$d/m.btf" "$d/m2.btf" &&
	pass cli/distill-same-bytes || fail cli/distill-same-bytes "outputs differ between runs"
t cli/distill-verbose 0 "distilled base of 7 types, split of 18 types (6 from the base)" -- \
	"$BTFKIT" distill -v -B "$B" "$S" -o "$d/m3.btf"

# relocate the raw pair back onto the base: the selftest's relocated layout
t cli/relocate-raw 0 "" -- "$BTFKIT" relocate -B "$B" --distilled "$d/m.btf.base" "$d/m.btf" -o "$d/r.btf"
"$BTFKIT" dump -B "$B" "$d/r.btf" > "$d/r.txt"
same cli/relocate-raw-layout "$d/r.txt" "$relocated"
t cli/relocate-missing 1 "cannot relocate onto $SMALL: distilled base type [2] STRUCT 's1' size 8 (embedded in [20] STRUCT '(anon)' size 12) has no match in the base: candidate [2] STRUCT 's1' size 16: size differs, and the module embeds the type (6 distilled types have no single match)" -- \
	"$BTFKIT" relocate -B "$SMALL" -D "$d/m.btf.base" "$d/m.btf" -o "$d/r2.btf"
[ -e "$d/r2.btf" ] && fail cli/relocate-no-output "a failed relocate left $d/r2.btf" || pass cli/relocate-no-output
t cli/relocate-verbose 1 "btfkit: $d/m.btf: distilled base type [5] ENUM 'e641' size 8 has no match in the base: no type is named 'e641'" -- \
	"$BTFKIT" relocate -v -B "$SMALL" -D "$d/m.btf.base" "$d/m.btf" -o "$d/r2.btf"
t cli/relocate-not-distilled 1 "no distilled base (.BTF.base): its BTF fits only the vmlinux it was built against" -- \
	"$BTFKIT" relocate -B "$B" "$S" -o "$d/r3.btf"
t cli/relocate-bad-distilled 1 "not a distilled base: type [2] PTR '(anon)'" -- \
	"$BTFKIT" relocate -B "$B" -D "$B" "$S" -o "$d/r3.btf"

# usage
t cli/distill-no-output 2 "btfkit distill: missing output file (-o OUT) or --embed" -- "$BTFKIT" distill -B "$B" "$S"
t cli/distill-embed-and-output 2 "btfkit distill: --embed writes into MODULE: no -o or --base-output" -- \
	"$BTFKIT" distill -B "$B" "$S" --embed -o "$d/x.btf"
t cli/distill-embed-raw 1 "--embed needs an uncompressed ELF file (a .ko) to write into" -- \
	"$BTFKIT" distill -B "$B" "$S" --embed
t cli/distill-stdout-needs-base-output 2 "give the distilled base's file with --base-output" -- \
	"$BTFKIT" distill -B "$B" "$S" -o -
t cli/distill-not-split 1 "not split BTF: give the vmlinux the module was built against with -B" -- \
	"$BTFKIT" distill "$B" -o "$d/x.btf"
[ -e "$d/x.btf" ] || [ -e "$d/x.btf.base" ] && fail cli/distill-no-output-file "left an output" ||
	pass cli/distill-no-output-file
t cli/relocate-no-base 2 "btfkit relocate: missing the base to relocate onto (-B VMLINUX)" -- \
	"$BTFKIT" relocate "$S" -o "$d/x.btf"
t cli/check-no-module 2 "btfkit check: missing MODULE" -- "$BTFKIT" check -B "$B"

# check on raw split BTF
t cli/check-ok 0 "" -- "$BTFKIT" check -B "$B" "$S"
same cli/check-ok-line "$d/out" "$S: ok"
t cli/check-other-vmlinux 1 "" -- "$BTFKIT" check -B "$SMALL" "$S"
grep -q "^$S: FAIL: built against another vmlinux: " "$d/out" && grep -q "^  fix: rebuild the module against this kernel's vmlinux, or ship a distilled base" "$d/out" &&
	pass cli/check-other-vmlinux-explained || fail cli/check-other-vmlinux-explained "$(cat "$d/out")"
t cli/check-quiet 0 "" -- "$BTFKIT" check -q -B "$B" "$S" "$S"
[ -s "$d/out" ] && fail cli/check-quiet-silent "printed: $(head -1 "$d/out")" || pass cli/check-quiet-silent
t cli/check-summary 1 "" -- "$BTFKIT" check -B "$B" "$S" "$d/m.btf"
tail -1 "$d/out" | grep -qx "2 modules: 1 would load, 1 would not" && pass cli/check-summary-line ||
	fail cli/check-summary-line "$(tail -1 "$d/out")"
t cli/check-json 1 "" -- "$BTFKIT" check --json -B "$SMALL" "$S"
[ "$(jq -sr '.[0] | "\(.ok) \(.loads) \(.other_vmlinux) \(.refs.total)"' "$d/out")" = "false false true 13" ] &&
	pass cli/check-json-fields || fail cli/check-json-fields "$(cat "$d/out")"
t cli/check-missing-file 1 "btfkit: $d/nope.ko: cannot open: No such file or directory" -- \
	"$BTFKIT" check -B "$B" "$d/nope.ko"
mkdir -p "$d/sys"
cp "$B" "$d/sys/vmlinux"
BTFKIT_SYSFS_BTF="$d/sys" t cli/check-default-base 0 "" -- "$BTFKIT" check "$S"
# the kernel's BTF directory: its vmlinux is the base, skipped, not checked as a module
cp "$S" "$d/sys/mymod"
BTFKIT_SYSFS_BTF="$d/sys" t cli/check-sysfs-dir 0 "" -- "$BTFKIT" check "$d/sys"
same cli/check-sysfs-dir-lines "$d/out" "$d/sys/mymod: ok
$d/sys/vmlinux: skipped (the base BTF, not a module)
1 modules: 1 would load, 0 would not"
BTFKIT_SYSFS_BTF="$d/sys" t cli/check-sysfs-dir-json 0 "" -- "$BTFKIT" check --json "$d/sys"
[ "$(jq -r 'select(.skipped) | .file' "$d/out")" = "$d/sys/vmlinux" ] &&
	[ "$(tail -1 "$d/out" | jq -c '[.modules, .ok, .unreadable]')" = "[1,1,0]" ] &&
	pass cli/check-sysfs-dir-json-skipped || fail cli/check-sysfs-dir-json-skipped "$(cat "$d/out")"
rm "$d/sys/mymod"

# modules with .BTF.base, made with cc and objcopy
if ! printf 'int x;\n' | cc -c -x c - -o "$d/empty.o" 2> /dev/null || ! command -v objcopy > /dev/null; then
	skip cli/distill-modules "no C compiler or objcopy to make an ELF module"
	exit 0
fi
objcopy --add-section .BTF="$d/m.btf" --add-section .BTF.base="$d/m.btf.base" "$d/empty.o" "$d/mod.ko"
objcopy --add-section .BTF="$S" "$d/empty.o" "$d/plain.ko"
"$BTFKIT" dump "$d/mod.ko" > "$d/md.txt"
same cli/module-on-distilled-base "$d/md.txt" "$(printf '%s\n' "$distilled_split")"
"$BTFKIT" dump -B "$B" "$d/mod.ko" > "$d/mr.txt"
same cli/module-relocated-on-read "$d/mr.txt" "$relocated"
t cli/module-relocate 0 "" -- "$BTFKIT" relocate -B "$B" "$d/mod.ko" -o "$d/r4.btf"
cmp -s "$d/r4.btf" "$d/r.btf" && pass cli/module-relocate-same || fail cli/module-relocate-same "differs from the raw pair's"
t cli/module-read-fails-to-relocate 1 "btfkit: $d/mod.ko: cannot relocate the module's BTF onto the base: distilled base type [2] STRUCT 's1' size 8" -- \
	"$BTFKIT" dump -B "$SMALL" "$d/mod.ko"
"$BTFKIT" stats "$d/mod.ko" | grep -q "^split on:    its distilled base (.BTF.base) (7 types" &&
	pass cli/module-stats || fail cli/module-stats "$("$BTFKIT" stats "$d/mod.ko" | grep split)"
t cli/module-distill-again 0 "" -- "$BTFKIT" distill -B "$B" "$d/mod.ko" -o "$d/again.btf"
cmp -s "$d/again.btf" "$d/m.btf" && cmp -s "$d/again.btf.base" "$d/m.btf.base" &&
	pass cli/module-distill-again-same || fail cli/module-distill-again-same "redistilling changed the output"
t cli/check-module 0 "" -- "$BTFKIT" check -B "$B" "$d/mod.ko" "$d/plain.ko"
grep -qx "$d/mod.ko: ok (relocated from its distilled base: 7 types matched)" "$d/out" &&
	pass cli/check-module-line || fail cli/check-module-line "$(head -1 "$d/out")"
t cli/check-module-unmatched 1 "" -- "$BTFKIT" check -B "$SMALL" "$d/mod.ko"
grep -q "^$d/mod.ko: FAIL: its distilled base does not fit this kernel: 6 of 7 distilled types have no single match in this kernel's BTF (first: " "$d/out" &&
	pass cli/check-module-unmatched-explained || fail cli/check-module-unmatched-explained "$(cat "$d/out")"
t cli/check-module-verbose 1 "btfkit: $d/mod.ko: distilled base type [5] ENUM 'e641' size 8 has no match in the base: no type is named 'e641'" -- \
	"$BTFKIT" check -v -B "$SMALL" "$d/mod.ko"
# --embed: .BTF replaced and .BTF.base added, in one atomic write
cp "$d/plain.ko" "$d/emb.ko"
t cli/distill-embed 0 "" -- "$BTFKIT" distill --embed -B "$B" "$d/emb.ko"
"$BTFKIT" dump "$d/emb.ko" > "$d/emb.txt"
same cli/distill-embed-reads-distilled "$d/emb.txt" "$(printf '%s\n' "$distilled_split")"
objcopy --dump-section .BTF.base="$d/emb.base" "$d/emb.ko" "$d/emb.tmp" && cmp -s "$d/emb.base" "$d/m.btf.base" &&
	pass cli/distill-embed-base-bytes || fail cli/distill-embed-base-bytes ".BTF.base differs from the raw distilled base"
t cli/distill-embed-check 0 "" -- "$BTFKIT" check -B "$B" "$d/emb.ko"
cp "$d/emb.ko" "$d/emb2.ko"
t cli/distill-embed-again 0 "" -- "$BTFKIT" distill --embed -B "$B" "$d/emb2.ko"
cmp -s "$d/emb.ko" "$d/emb2.ko" && pass cli/distill-embed-idempotent || fail cli/distill-embed-idempotent "distilling an embedded module again changed it"
t cli/check-no-btf 0 "" -- "$BTFKIT" check -B "$B" "$d/empty.o"
same cli/check-no-btf-line "$d/out" "$d/empty.o: ok (no BTF)"

# check on a directory: the modules under it, in path order, at any -j; a
# bad module is reported and counted, exit 1 at the end
C="$d/ctree"
mkdir -p "$C/sub/deeper"
cp "$d/plain.ko" "$C/good.ko"
xz -c "$d/plain.ko" > "$C/sub/good2.ko.xz"
cp "$d/mod.ko" "$C/sub/deeper/distilled.ko"
cp "$d/empty.o" "$C/sub/nobtf.ko"
printf 'junk' > "$C/bad.ko"
cp "$d/plain.ko" "$C/ignored.o"
t cli/check-dir 1 "" -- "$BTFKIT" check -j1 -B "$B" "$C"
same cli/check-dir-lines "$d/out" "$C/bad.ko: FAIL: its BTF is malformed: not BTF: no BTF magic (0xeb9f), ELF header or known compression at byte offset 0
  fix: regenerate the module's BTF (pahole -J --btf_base VMLINUX, or btfkit encode)
$C/good.ko: ok
$C/sub/deeper/distilled.ko: ok (relocated from its distilled base: 7 types matched)
$C/sub/good2.ko.xz: ok
$C/sub/nobtf.ko: ok (no BTF)
5 modules: 4 would load (1 without BTF), 1 would not"
"$BTFKIT" check -j 2 -B "$B" "$C" > "$d/j2.out" 2> "$d/j2.err"
cmp -s "$d/out" "$d/j2.out" && [ ! -s "$d/j2.err" ] && pass cli/check-dir-j2-same ||
	fail cli/check-dir-j2-same "-j2 printed otherwise than -j1"
rm "$C/bad.ko"
t cli/check-dir-all-good 0 "" -- "$BTFKIT" check -B "$B" "$C"
t cli/check-dir-quiet 0 "" -- "$BTFKIT" check -q -B "$B" "$C"
[ -s "$d/out" ] && fail cli/check-dir-quiet-silent "printed: $(head -1 "$d/out")" || pass cli/check-dir-quiet-silent
# against another vmlinux, with -v: the problems on stderr in module order, the same at -j1 and -j3
"$BTFKIT" check -v --json -j1 -B "$SMALL" "$C" "$d/nope.ko" > "$d/cj1" 2> "$d/cj1.err"
rc1=$?
"$BTFKIT" check -v --json -j3 -B "$SMALL" "$C" "$d/nope.ko" > "$d/cj3" 2> "$d/cj3.err"
rc3=$?
files=$(jq -r 'select(has("file")) | "\(.file | sub(".*/ctree/"; "")):\(.ok)"' "$d/cj1" | tr '\n' ' ')
if [ $rc1 = 1 ] && [ $rc3 = 1 ] && cmp -s "$d/cj1" "$d/cj3" && cmp -s "$d/cj1.err" "$d/cj3.err" &&
	[ "$files" = "good.ko:false sub/deeper/distilled.ko:false sub/good2.ko.xz:false sub/nobtf.ko:true $d/nope.ko:false " ] &&
	[ "$(tail -1 "$d/cj1")" = '{"modules":5,"ok":1,"failed":4,"unreadable":1,"no_btf":1,"loads":1,"other_vmlinux":2,"distilled":1,"relocated":0}' ] &&
	[ "$(grep -c "^btfkit: $C/good.ko: Invalid name_offset" "$d/cj1.err")" -ge 1 ] &&
	grep -q "^btfkit: $C/sub/deeper/distilled.ko: distilled base type \[5\] ENUM 'e641' size 8 has no match" "$d/cj1.err" &&
	[ "$(jq -r 'select(.error) | "\(.file) \(.error)"' "$d/cj1")" = "$d/nope.ko cannot open: No such file or directory" ] &&
	! grep -q nope.ko "$d/cj1.err"; then
	pass cli/check-dir-json-any-j
else
	fail cli/check-dir-json-any-j "exits $rc1 $rc3; files '$files'; $(tail -1 "$d/cj1"); $(tail -1 "$d/cj1.err")"
fi
t cli/check-dir-missing 1 "btfkit: $d/nodir/: cannot open: No such file or directory" -- "$BTFKIT" check -B "$B" "$d/nodir/"
