#!/usr/bin/env bash
# btfkit convert: raw output byte-identical to the input BTF, either byte
# order, split BTF, atomic output and error handling.
. "$BTFKIT_SRC/tests/lib.sh"
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
S="$BTFKIT_TEST_DATA/sample.bpf.o"

# The .BTF section of an ELF file, extracted with readelf + dd.
btf_section() {
	local off size
	read -r off size < <(readelf -SW "$1" | sed -n 's/.*\] \.BTF  *PROGBITS  *[0-9a-f]*  *\([0-9a-f]*\)  *\([0-9a-f]*\).*/\1 \2/p')
	[ -n "$off" ] || return 1
	dd if="$1" of="$2" iflag=skip_bytes,count_bytes skip=$((16#$off)) count=$((16#$size)) status=none
}

t=cli/convert-elf-exact
if btf_section "$S" "$d/sec" && "$BTFKIT" convert "$S" -o "$d/le" && cmp -s "$d/le" "$d/sec"; then
	pass $t
else
	fail $t "output differs from the .BTF section of sample.bpf.o"
fi

t=cli/convert-big-endian
"$BTFKIT" convert --endian big "$S" -o "$d/be" 2>"$d/err"
magic=$(od -An -tx1 -N2 "$d/be" | tr -d ' ')
"$BTFKIT" dump "$d/be" > "$d/be.txt" 2>&1
"$BTFKIT" convert -e little "$d/be" -o "$d/le2"
if [ "$magic" = eb9f ] && cmp -s "$d/be.txt" "$BTFKIT_TEST_DATA/sample.bpf.o.raw" && cmp -s "$d/le2" "$d/le" &&
	! cmp -s "$d/be" "$d/le"; then
	pass $t
else
	fail $t "magic '$magic', or dump / little-endian round trip differs"
fi

t=cli/convert-native-and-stdout
if "$BTFKIT" convert --endian=native "$d/be" -o - > "$d/nat" && cmp -s "$d/nat" "$d/le" &&
	"$BTFKIT" convert "$d/be" -o "$d/same" && cmp -s "$d/same" "$d/be"; then
	pass $t
else
	fail $t "native output or default (input) byte order wrong"
fi

t=cli/convert-sysfs-exact
if [ -r /sys/kernel/btf/vmlinux ]; then
	mod=$(ls /sys/kernel/btf | grep -v '^vmlinux$' | head -1)
	if "$BTFKIT" convert /sys/kernel/btf/vmlinux -o "$d/v" && cmp -s "$d/v" /sys/kernel/btf/vmlinux &&
		{ [ -z "$mod" ] || { "$BTFKIT" convert "/sys/kernel/btf/$mod" -o "$d/m" &&
			cmp -s "$d/m" "/sys/kernel/btf/$mod"; }; }; then
		pass "$t (vmlinux${mod:+ and $mod})"
	else
		fail $t "output differs from /sys/kernel/btf"
	fi
else
	skip $t "/sys/kernel/btf/vmlinux not readable"
fi

t=cli/convert-split-module
if need_corpus $t; then
	ko="$BTFKIT_CORPUS/$(sed -n 100p "$BTFKIT_CORPUS/modules.list")"
	if btf_section "$ko" "$d/ksec" && "$BTFKIT" convert -B "$VMLINUX" "$ko" -o "$d/k" && cmp -s "$d/k" "$d/ksec" &&
		"$BTFKIT" convert -B "$VMLINUX" -e big "$ko" -o "$d/kb" &&
		"$BTFKIT" convert -B "$VMLINUX" -e little "$d/kb" -o "$d/kl" && cmp -s "$d/kl" "$d/ksec"; then
		pass "$t ($(basename "$ko"))"
	else
		fail $t "split output of $(basename "$ko") differs from its .BTF section"
	fi
fi

t=cli/convert-errors
ok=1
"$BTFKIT" convert "$S" > /dev/null 2>"$d/e1"; [ $? -eq 2 ] && grep -q 'missing output file' "$d/e1" || ok=0
"$BTFKIT" convert -e middle "$S" -o "$d/x" 2>"$d/e2"; [ $? -eq 2 ] && grep -q "unknown byte order 'middle'" "$d/e2" || ok=0
"$BTFKIT" convert "$d/nonexistent" -o "$d/x" 2>"$d/e3"; [ $? -eq 1 ] || ok=0
grep -qx "btfkit: $d/nonexistent: cannot open: No such file or directory" "$d/e3" || ok=0
"$BTFKIT" convert "$S" -o "$d/nodir/x" 2>"$d/e4"; [ $? -eq 1 ] && grep -q 'cannot create output file' "$d/e4" || ok=0
"$BTFKIT" convert "$S" "$S" -o "$d/x" 2>/dev/null; [ $? -eq 2 ] || ok=0
[ -e "$d/x" ] && ok=0
[ -z "$(ls "$d" | grep '\.[A-Za-z0-9]\{6\}$')" ] || ok=0
[ $ok = 1 ] && pass $t || fail $t "$(cat "$d"/e[1-4] | tr '\n' ';')"

t=cli/convert-output-mode
if (umask 022 && "$BTFKIT" convert "$S" -o "$d/mode") && [ "$(stat -c %a "$d/mode")" = 644 ]; then
	pass $t
else
	fail $t "output mode is $(stat -c %a "$d/mode" 2>/dev/null), expected 644 under umask 022"
fi

t=cli/convert-help
if "$BTFKIT" convert --help | grep -q -- '--endian ORDER' && "$BTFKIT" --help | grep -q '^  convert'; then
	pass $t
else
	fail $t "--help does not document convert / --endian"
fi
