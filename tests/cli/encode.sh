#!/usr/bin/env bash
# btfkit encode on the command line: the sample BPF object's DWARF encodes
# (and validates), -o is atomic and nothing is written on bad input (broken
# DWARF: the unit and DIE are named), usage
# errors exit 2 before anything is read, -v explains functions, -j gives the
# same bytes. The encoder's correctness is tests/unit/test_encode.c,
# tests/diff/encode-pahole.sh and tests/corpus/encode-kernel.sh.
. "$BTFKIT_SRC/tests/lib.sh"
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
S="$BTFKIT_TEST_DATA/sample.bpf.o"

if "$BTFKIT" encode -o "$d/s.btf" "$S" 2>"$d/err" && "$BTFKIT" validate "$d/s.btf" 2>>"$d/err"; then
	pass cli/encode-sample
else
	fail cli/encode-sample "$(head -2 "$d/err")"
fi
"$BTFKIT" encode -j3 -o "$d/s3.btf" "$S" && cmp -s "$d/s.btf" "$d/s3.btf" &&
	pass cli/encode-jobs-same-bytes || fail cli/encode-jobs-same-bytes "-j3 output differs"
# raw BTF on standard output
"$BTFKIT" encode -o - "$S" > "$d/stdout.btf" && cmp -s "$d/s.btf" "$d/stdout.btf" &&
	pass cli/encode-stdout || fail cli/encode-stdout "standard output differs"
# split on a base: a file's own types on itself leave nothing in the split
"$BTFKIT" encode -B "$d/s.btf" -o "$d/split.btf" "$S" &&
	[ "$("$BTFKIT" stats -B "$d/s.btf" "$d/split.btf" | sed -n 's/^types: .* \([0-9]*\) types.*/\1/p')" = 0 ] &&
	pass cli/encode-split-on-itself || fail cli/encode-split-on-itself "the split holds types"
# features: pahole 1.24's have no DECL_TAG when disabled
"$BTFKIT" encode --features var,float,enum64 -o "$d/f.btf" "$S" &&
	! "$BTFKIT" dump "$d/f.btf" | grep -q DECL_TAG && "$BTFKIT" dump "$d/s.btf" | grep -q DECL_TAG &&
	pass cli/encode-features || fail cli/encode-features "decl_tag not switched off"
"$BTFKIT" encode -v -o "$d/v.btf" "$S" 2>"$d/v.err" && grep -q '^btfkit: encode: [0-9]* types$' "$d/v.err" &&
	pass cli/encode-verbose || fail cli/encode-verbose "$(head -2 "$d/v.err")"

# --embed: the BTF goes into the file's own .BTF, which then reads as -o wrote it
if command -v gcc >/dev/null; then
	gcc -g -O2 -c -o "$d/types.o" "$BTFKIT_TEST_DATA/encode/types.c" &&
		"$BTFKIT" encode -o "$d/types.btf" "$d/types.o" && cp "$d/types.o" "$d/types0.o" &&
		"$BTFKIT" encode --embed "$d/types.o" && "$BTFKIT" dump "$d/types.o" > "$d/e1" &&
		"$BTFKIT" dump "$d/types.btf" > "$d/e2" && cmp -s "$d/e1" "$d/e2" &&
		[ "$(readelf -S "$d/types.o" | grep -c debug_)" = "$(readelf -S "$d/types0.o" | grep -c debug_)" ] &&
		pass cli/encode-embed || fail cli/encode-embed "the embedded .BTF differs from -o's, or sections were lost"
	"$BTFKIT" encode --embed -o "$d/x" "$d/types.o" 2>"$d/err"
	[ $? = 2 ] && grep -q "exclude each other" "$d/err" && pass cli/encode-embed-and-output ||
		fail cli/encode-embed-and-output "$(head -1 "$d/err")"
else
	skip cli/encode-embed "gcc not installed (scripts/install-deps)"
fi

# a relocatable object of several units (ld -r), as a module is: its
# .debug_info is relocated unit by unit as the units are read; with the
# relocations out of offset order it is relocated whole at open instead.
# The same bytes either way, and at any -j.
if command -v gcc >/dev/null && command -v ld >/dev/null && command -v python3 >/dev/null; then
	for c in types shared1 shared2 funcs1 funcs2 percpu; do
		gcc -g -O2 -c -o "$d/u_$c.o" "$BTFKIT_TEST_DATA/encode/$c.c" || break
	done
	ld -r -o "$d/multi.o" "$d"/u_*.o && cp "$d/multi.o" "$d/reversed.o" &&
		python3 - "$d/reversed.o" <<'PY' &&
import struct, sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
shoff, = struct.unpack_from('<Q', b, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from('<HHH', b, 0x3a)
sh = lambda i: struct.unpack_from('<IIQQQQIIQQ', b, shoff + i * shentsize)
strs = sh(shstrndx)[4]
done = False
for i in range(shnum):
    name, _, _, _, off, size, _, _, _, ent = sh(i)
    if b[strs + name:b.index(0, strs + name)] == b'.rela.debug_info' and size > ent:
        ents = [bytes(b[k:k + ent]) for k in range(off, off + size, ent)]
        b[off:off + size] = b''.join(reversed(ents))
        done = True
open(p, 'wb').write(b)
sys.exit(0 if done else 1)
PY
		[ "$(readelf --debug-dump=info "$d/multi.o" 2>/dev/null | grep -c 'Compilation Unit @')" = 6 ] &&
		"$BTFKIT" encode -o "$d/multi1.btf" "$d/multi.o" &&
		"$BTFKIT" encode -j3 -o "$d/multi3.btf" "$d/multi.o" &&
		"$BTFKIT" encode -o "$d/reversed.btf" "$d/reversed.o" &&
		cmp -s "$d/multi1.btf" "$d/multi3.btf" && cmp -s "$d/multi1.btf" "$d/reversed.btf" &&
		"$BTFKIT" dump "$d/multi1.btf" | grep -q "^\[[0-9]*\] VAR 'pcpu_stats'" &&
		pass cli/encode-relocations-by-unit ||
		fail cli/encode-relocations-by-unit "unit by unit, whole or -j3: the BTF differs (or a step failed)"
else
	skip cli/encode-relocations-by-unit "gcc, ld or python3 not installed (scripts/install-deps)"
fi

# bad input: exit 1, a message, the existing output file untouched
echo keep > "$d/out"
"$BTFKIT" encode -o "$d/out" "$BTFKIT_TEST_DATA/sample.btf" 2>"$d/err"
rc=$?
if [ $rc = 1 ] && grep -q "^btfkit: .*sample.btf: not an ELF file$" "$d/err" && [ "$(cat "$d/out")" = keep ]; then
	pass cli/encode-not-elf
else
	fail cli/encode-not-elf "exit $rc: $(head -1 "$d/err")"
fi
if command -v gcc >/dev/null; then
	echo 'int x;' | gcc -c -x c -o "$d/nodwarf.o" -
	"$BTFKIT" encode -o "$d/nd.btf" "$d/nodwarf.o" 2>"$d/err"
	rc=$?
	if [ $rc = 1 ] && grep -q "nodwarf.o: no DWARF: the file has no .debug_info section$" "$d/err" &&
	   [ ! -e "$d/nd.btf" ]; then
		pass cli/encode-no-dwarf
	else
		fail cli/encode-no-dwarf "exit $rc: $(head -1 "$d/err")"
	fi
else
	skip cli/encode-no-dwarf "gcc not installed (scripts/install-deps)"
fi
# broken DWARF: the message names the unit and the DIE, nothing is written.
# A gcc object's first struct member gets its DW_AT_type pointed at itself
# (a DIE that is not a type), past its unit, and its abbreviation code made
# unknown; the offsets come from readelf, so they follow the compiler.
if command -v gcc >/dev/null && command -v readelf >/dev/null; then
	printf 'struct s { int a; struct s *n; };\nstruct s g;\n' > "$d/m.c"
	gcc -g -gdwarf-4 -c -o "$d/m.o" "$d/m.c"
	base=$(readelf -S -W "$d/m.o" | sed -n 's/.*\] \.debug_info *PROGBITS *[0-9a-f]* \([0-9a-f]*\).*/\1/p')
	read -r die attr < <(readelf --debug-dump=info "$d/m.o" | awk '
		/DW_TAG_member/ && !m { m = 1; split($1, a, /[<>]/); die = a[4] }
		m && /DW_AT_type/ { gsub(/[<>]/, "", $1); print die, $1; exit }')
	poke() { # FILE OFFSET BYTES (printf escapes)
		printf "$3" | dd of="$1" bs=1 seek=$(($2)) conv=notrunc status=none
	}
	le32() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
	if [ -n "$base" ] && [ -n "$die" ] && [ -n "$attr" ]; then
		cp "$d/m.o" "$d/b1.o" && poke "$d/b1.o" "0x$base + 0x$attr" "$(le32 $((0x$die)))"
		cp "$d/m.o" "$d/b2.o" && poke "$d/b2.o" "0x$base + 0x$attr" '\xff\xff\x00\x00'
		cp "$d/m.o" "$d/b3.o" && poke "$d/b3.o" "0x$base + 0x$die" '\x7f'
		for c in "b1:refers to DIE 0x$die, which is not a type" \
			 "b2:DIE 0x$die: reference outside its unit (0xffff)" \
			 "b3:DIE 0x$die: unknown abbreviation code (0x7f)"; do
			n=${c%%:*} want=${c#*:}
			"$BTFKIT" encode -o "$d/$n.btf" "$d/$n.o" 2>"$d/err"
			rc=$?
			if [ $rc = 1 ] && grep -qF "btfkit: $d/$n.o: unit 0x0, DIE 0x" "$d/err" &&
			   grep -qF "$want" "$d/err" && [ ! -e "$d/$n.btf" ]; then
				pass "cli/encode-bad-dwarf-$n"
			else
				fail "cli/encode-bad-dwarf-$n" "exit $rc, want '$want': $(head -1 "$d/err")"
			fi
		done
	else
		fail cli/encode-bad-dwarf "readelf did not show the member DIE (base '$base' die '$die' attr '$attr')"
	fi
else
	skip cli/encode-bad-dwarf "gcc or readelf not installed (scripts/install-deps)"
fi
# usage errors
"$BTFKIT" encode "$S" 2>"$d/err"
[ $? = 2 ] && grep -q "missing output: -o OUT or --embed" "$d/err" && pass cli/encode-needs-output ||
	fail cli/encode-needs-output "$(head -1 "$d/err")"
"$BTFKIT" encode --features var,nope -o "$d/x" "$S" 2>"$d/err"
[ $? = 2 ] && grep -q "unknown feature 'nope'" "$d/err" && [ ! -e "$d/x" ] &&
	pass cli/encode-bad-feature || fail cli/encode-bad-feature "$(head -1 "$d/err")"
"$BTFKIT" encode --lang-exclude cobol2030 -o "$d/x" "$S" 2>"$d/err"
[ $? = 1 ] && grep -q "unknown language 'cobol2030'" "$d/err" && [ ! -e "$d/x" ] &&
	pass cli/encode-bad-language || fail cli/encode-bad-language "$(head -1 "$d/err")"
