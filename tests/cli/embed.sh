#!/usr/bin/env bash
# btfkit embed on the shipped BPF objects: a new section in the ELF file's
# byte order with every other byte kept (tests/helpers/elf_check), refusal of
# a .BTF that relocations apply to (unless unchanged) and of the section
# name table, mode and owner kept, errors leave the
# target untouched and no temporary file, usage. Corpus modules:
# tests/corpus/embed.sh.
. "$BTFKIT_SRC/tests/lib.sh"
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
S="$BTFKIT_TEST_DATA/sample.bpf.o"
SEB="$BTFKIT_TEST_DATA/sample.bpfeb.o"
check="$BTFKIT_BUILD/tests/elf_check"

# no temporary file left next to $1
no_tmp() { [ -z "$(ls "$1".* 2>/dev/null)" ]; }
# `readelf -S` lines of the sections of $1 other than $2, the section name
# table's offset and size masked (it moves when a name is added)
other_sections() {
	local n
	n=$(readelf -hW "$1" | sed -n 's/.*Section header string table index: *\([0-9]*\).*/\1/p')
	readelf -SW "$1" | grep '^  \[' | grep -v " $2 " |
		sed "s/^\(  \[ *$n\] [^ ]*  *[A-Z]*  *[0-9a-f]*\) [0-9a-f]* [0-9a-f]*/\1 OFF SIZE/"
}

t=cli/embed-new-section-big-endian
if need_helper $t "$check"; then
	cp "$SEB" "$d/eb.o"
	"$BTFKIT" convert --endian big "$S" -o "$d/want.be"
	if "$BTFKIT" embed --section .BTF.copy "$S" "$d/eb.o" 2>"$d/err" &&
		"$check" "$SEB" "$d/eb.o" .BTF.copy="$d/want.be" 2>>"$d/err" &&
		[ "$(od -An -tx1 -N2 "$d/want.be" | tr -d ' ')" = eb9f ] &&
		"$BTFKIT" dump "$d/want.be" | cmp -s - "$BTFKIT_TEST_DATA/sample.bpf.o.raw" &&
		diff <(other_sections "$SEB" .BTF.copy) <(other_sections "$d/eb.o" .BTF.copy) >"$d/diff"; then
		pass $t
	else
		fail $t "$(cat "$d/err" "$d/diff" | head -3 | tr '\n' ' ')"
	fi
fi

t=cli/embed-same-bytes-unchanged
cp "$SEB" "$d/same.o"
if "$BTFKIT" embed "$SEB" "$d/same.o" && cmp -s "$SEB" "$d/same.o"; then
	pass $t
else
	fail $t "embedding a file's own BTF changed the file"
fi

t=cli/embed-refuses-relocated-btf
cp "$S" "$d/s.o"
"$BTFKIT" embed "$BTFKIT_TEST_DATA/validate-ok.btf" "$d/s.o" >"$d/out" 2>"$d/err"
rc=$?
if [ $rc -eq 1 ] && grep -q "^btfkit: $d/s.o: cannot replace ELF section \[20\] .BTF: it has relocations in section .rel.BTF$" "$d/err" &&
	cmp -s "$S" "$d/s.o" && no_tmp "$d/s.o" && [ ! -s "$d/out" ]; then
	pass $t
else
	fail $t "exit $rc, $(cat "$d/err")"
fi

t=cli/embed-keeps-mode-owner
cp "$SEB" "$d/m.o"
chmod 0751 "$d/m.o"
owner_ok=1
if [ "$(id -u)" = 0 ]; then
	chown 1234:4321 "$d/m.o" || owner_ok=0
fi
if "$BTFKIT" embed -s .extra "$S" "$d/m.o" && [ "$(stat -c %a "$d/m.o")" = 751 ] &&
	{ [ "$(id -u)" != 0 ] || [ "$(stat -c %u:%g "$d/m.o")" = 1234:4321 ]; } && [ $owner_ok = 1 ]; then
	pass "$t$( [ "$(id -u)" = 0 ] || echo ' (mode only: owner needs root)')"
else
	fail $t "mode $(stat -c %a "$d/m.o"), owner $(stat -c %u:%g "$d/m.o")"
fi

t=cli/embed-symlink-target
ln -s m.o "$d/link.o"
if "$BTFKIT" embed -s .more "$S" "$d/link.o" && [ -L "$d/link.o" ] &&
	readelf -SW "$d/m.o" | grep -q ' \.more '; then
	pass $t
else
	fail $t "the link was replaced or the file it names not written"
fi

t=cli/embed-errors-leave-target
printf 'not an ELF file' > "$d/plain"
"$BTFKIT" embed "$S" "$d/plain" 2>"$d/err1"
rc1=$?
"$BTFKIT" embed "$d/plain" "$d/m.o" 2>"$d/err2"
rc2=$?
cp "$d/m.o" "$d/m.before"
"$BTFKIT" embed -s .strtab "$S" "$d/m.o" 2>"$d/err3"
rc3=$?
if [ $rc1 = 1 ] && [ $rc2 = 1 ] && [ $rc3 = 1 ] && [ "$(cat "$d/plain")" = "not an ELF file" ] &&
	cmp -s "$d/m.o" "$d/m.before" && no_tmp "$d/plain" && no_tmp "$d/m.o" &&
	grep -q "^btfkit: $d/plain: not an ELF file$" "$d/err1" &&
	grep -q "^btfkit: $d/plain: not BTF" "$d/err2" &&
	grep -q "it is the section name table" "$d/err3"; then
	pass $t
else
	fail $t "exits $rc1 $rc2 $rc3: $(cat "$d/err1" "$d/err2" "$d/err3" | tr '\n' ' ')"
fi

t=cli/embed-stdin-stdout
# TARGET '-': the ELF file from standard input, the result on standard
# output, byte for byte what embedding into a file gives; nothing on
# standard output and no temporary file when it fails
cp "$SEB" "$d/f.o"
"$BTFKIT" embed --section .BTF.copy "$S" "$d/f.o" 2>"$d/ferr"
TMPDIR="$d" "$BTFKIT" embed --section .BTF.copy "$S" - < "$SEB" > "$d/piped.o" 2>>"$d/ferr"
r1=$?
printf 'not elf' | TMPDIR="$d" "$BTFKIT" embed "$S" - > "$d/bad.out" 2>"$d/berr"
r2=$?
"$BTFKIT" embed - - < "$S" > /dev/null 2>"$d/uerr"
r3=$?
if [ $r1 = 0 ] && cmp -s "$d/f.o" "$d/piped.o" && [ $r2 = 1 ] && [ ! -s "$d/bad.out" ] &&
	grep -q "^btfkit: standard input: not an ELF file" "$d/berr" && [ $r3 = 2 ] &&
	[ -z "$(ls "$d"/btfkit-embed.* 2>/dev/null)" ]; then
	pass $t
else
	fail $t "exits $r1 $r2 $r3: $(cat "$d/ferr" "$d/berr" "$d/uerr" | tr '\n' ' ')"
fi

t=cli/embed-usage
"$BTFKIT" embed "$S" >/dev/null 2>"$d/u1"
r1=$?
"$BTFKIT" embed "$S" a b >/dev/null 2>"$d/u2"
r2=$?
"$BTFKIT" embed --section= "$S" "$d/m.o" >/dev/null 2>"$d/u3"
r3=$?
"$BTFKIT" embed --help > "$d/help"
r4=$?
if [ $r1 = 2 ] && [ $r2 = 2 ] && [ $r3 = 2 ] && [ $r4 = 0 ] && grep -q -- '--section NAME' "$d/help" &&
	grep -q "expected at least 2 FILEs" "$d/u1"; then
	pass $t
else
	fail $t "exits $r1 $r2 $r3 $r4"
fi
