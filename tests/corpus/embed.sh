#!/usr/bin/env bash
# btfkit embed on Debian 6.1 corpus modules (every 200th of modules.list,
# 21, and kvm.ko; 3 and kvm.ko in make check-fast, every one in check-corpus), each module M with the next sampled one as donor D:
#  - identity: M's own BTF embedded back leaves M byte-identical (its module
#    signature too);
#  - replace: D's BTF as M's .BTF: `bpftool btf dump file` of the result on
#    vmlinux equals bpftool's dump of D, `readelf -S` lists M's other
#    sections unchanged, and tests/helpers/elf_check finds every byte outside
#    .BTF, the headers and the section header table unchanged;
#  - add: D's BTF as a new section .BTF.base: bpftool still reads M's own
#    BTF, the other sections and bytes are unchanged.
. "$BTFKIT_SRC/tests/lib.sh"
name=corpus/embed
need_corpus $name || exit 0
need_bpftool $name || exit 0
check="$BTFKIT_BUILD/tests/elf_check"
need_helper $name "$check" || exit 0
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT

other_sections() {
	local n
	n=$(readelf -hW "$1" | sed -n 's/.*Section header string table index: *\([0-9]*\).*/\1/p')
	readelf -SW "$1" | grep '^  \[' | grep -v " $2 " |
		sed "s/^\(  \[ *$n\] [^ ]*  *[A-Z]*  *[0-9a-f]*\) [0-9a-f]* [0-9a-f]*/\1 OFF SIZE/"
}

{ corpus_sample 200 3; grep '/kvm\.ko$' "$BTFKIT_CORPUS/modules.list"; } > "$d/list"
mapfile -t mods < "$d/list"
n=${#mods[@]} bad=0 first="" grown=0 moved=0
for ((i = 0; i < n; i++)); do
	m="$BTFKIT_CORPUS/${mods[i]}"
	why=""
	"$BTFKIT" convert -B "$VMLINUX" "$m" -o "$d/m.btf" || why="convert failed"
	# the donor: the next module whose BTF differs (keymap modules often carry
	# identical BTF, and embedding identical bytes rightly changes nothing)
	for ((j = 1; j < n; j++)); do
		[ -n "$why" ] && break
		don="$BTFKIT_CORPUS/${mods[(i + j) % n]}"
		"$BTFKIT" convert -B "$VMLINUX" "$don" -o "$d/d.btf" || { why="convert failed"; break; }
		cmp -s "$d/m.btf" "$d/d.btf" || break
	done
	# identity
	cp "$m" "$d/x.ko"
	[ -z "$why" ] && { "$BTFKIT" embed -B "$VMLINUX" "$d/m.btf" "$d/x.ko" && cmp -s "$m" "$d/x.ko"; } ||
		why=${why:-"identity embed changed the module"}
	# replace
	cp "$m" "$d/y.ko"
	if [ -z "$why" ]; then
		if ! "$BTFKIT" embed -B "$VMLINUX" "$d/d.btf" "$d/y.ko" 2>"$d/err" ||
			! grep -q 'module signature removed' "$d/err"; then
			why="replace: embed failed or no signature note: $(cat "$d/err")"
		elif ! bpftool btf dump file "$d/y.ko" -B "$VMLINUX" > "$d/y.txt" ||
			! bpftool btf dump file "$don" -B "$VMLINUX" | cmp -s - "$d/y.txt"; then
			why="replace: bpftool's dump differs from the donor's"
		elif ! diff <(other_sections "$m" .BTF) <(other_sections "$d/y.ko" .BTF) > "$d/diff"; then
			why="replace: readelf -S differs: $(head -2 "$d/diff" | tr '\n' ' ')"
		elif ! "$check" "$m" "$d/y.ko" .BTF="$d/d.btf" 2>"$d/err"; then
			why="replace: $(head -2 "$d/err" | tr '\n' ' ')"
		fi
		[ "$(stat -c %s "$d/d.btf")" -gt "$(stat -c %s "$d/m.btf")" ] && grown=$((grown + 1))
	fi
	# add a section
	cp "$m" "$d/z.ko"
	if [ -z "$why" ]; then
		if ! "$BTFKIT" embed -s .BTF.base -B "$VMLINUX" "$d/d.btf" "$d/z.ko" 2>/dev/null; then
			why="add: embed failed"
		elif ! bpftool btf dump file "$d/z.ko" -B "$VMLINUX" > "$d/z.txt" ||
			! bpftool btf dump file "$m" -B "$VMLINUX" | cmp -s - "$d/z.txt"; then
			why="add: bpftool no longer reads the module's own BTF"
		elif ! diff <(other_sections "$m" .BTF.base) <(other_sections "$d/z.ko" .BTF.base) > "$d/diff"; then
			why="add: readelf -S differs: $(head -2 "$d/diff" | tr '\n' ' ')"
		elif ! "$check" "$m" "$d/z.ko" .BTF.base="$d/d.btf" 2>"$d/err"; then
			why="add: $(head -2 "$d/err" | tr '\n' ' ')"
		fi
		[ "$(readelf -hW "$d/z.ko" | sed -n 's/.*Start of section headers: *\([0-9]*\).*/\1/p')" != \
			"$(readelf -hW "$m" | sed -n 's/.*Start of section headers: *\([0-9]*\).*/\1/p')" ] && moved=$((moved + 1))
	fi
	if [ -n "$why" ]; then
		bad=$((bad + 1))
		[ -z "$first" ] && first="${mods[i]}: $why"
	fi
done
# at least the sample the tier promises (a corpus list shorter than that fails)
min=20
[ "$BTFKIT_TIER" = fast ] && min=4
if [ $bad -eq 0 ] && [ $n -ge $min ]; then
	pass "$name ($n modules: identity, replace ($grown grown, $((n - grown)) not), add .BTF.base ($moved moved the section header table); bpftool, readelf -S, every other byte)"
else
	fail $name "$bad of $n modules: $first"
fi
