#!/usr/bin/env bash
# Outputs are atomic and inputs untouched (dump, convert, merge): on any error (bad input, a write
# that fails part way, an output directory that does not exist) no output
# file or temporary file is left and an existing output file keeps its
# contents; a C dump failing midway takes back what it streamed to a
# regular file on standard output; reading opposite-endian BTF (byte-swapped in a private mapping)
# never changes the input file.
. "$BTFKIT_SRC/tests/lib.sh"
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
python3 "$BTFKIT_SRC/tests/fuzz/mkseeds.py" "$d/seeds" >/dev/null 2>&1 || {
	fail cli/limits-outputs "tests/fuzz/mkseeds.py failed"
	exit 0
}
good="$d/seeds/raw/syn-le"
be="$d/seeds/raw/syn-be"
elf_be="$d/seeds/elf/mini32-be"
printf '\237\353\001\000\030\000\000\000garbage' > "$d/bad.btf"
mkdir "$d/out"

# leftovers: anything in $d/out besides the expected files
leftovers() { (cd "$d/out" && ls -A | grep -v -x -F -f <(printf '%s\n' "$@") || true); }

# 1. bad input, new output path: exit 1, message, nothing created
"$BTFKIT" dump -o "$d/out/new.txt" "$d/bad.btf" >"$d/stdout" 2>"$d/stderr"
rc=$?
if [ $rc -ne 1 ]; then
	fail cli/limits-output-bad-input "exit $rc, expected 1"
elif ! grep -q "^btfkit: $d/bad.btf: " "$d/stderr"; then
	fail cli/limits-output-bad-input "stderr: $(cat "$d/stderr")"
elif [ -n "$(leftovers)" ] || [ -s "$d/stdout" ]; then
	fail cli/limits-output-bad-input "left behind: $(leftovers) / stdout $(wc -c <"$d/stdout") bytes"
else
	pass cli/limits-output-bad-input
fi

# 2. bad input, existing output: unchanged
echo keep > "$d/out/old.txt"
"$BTFKIT" dump -o "$d/out/old.txt" "$d/bad.btf" 2>/dev/null
rc=$?
if [ $rc -ne 1 ] || [ "$(cat "$d/out/old.txt")" != keep ] || [ -n "$(leftovers old.txt)" ]; then
	fail cli/limits-output-keeps-old "exit $rc, old.txt '$(cat "$d/out/old.txt")', left: $(leftovers old.txt)"
else
	pass cli/limits-output-keeps-old
fi

# 3. the write fails part way (file size limit): no partial output
big="$d/big.btf"
if [ -r /sys/kernel/btf/vmlinux ]; then
	cp /sys/kernel/btf/vmlinux "$big"
elif [ -r "$BTFKIT_CORPUS/vmlinux" ] && command -v objcopy >/dev/null; then
	objcopy --dump-section .BTF="$big" "$BTFKIT_CORPUS/vmlinux" "$d/vml.o" 2>/dev/null
fi
if [ -s "$big" ]; then
	(trap '' XFSZ; ulimit -f 64; exec "$BTFKIT" dump -o "$d/out/old.txt" "$big") 2>"$d/stderr"
	rc=$?
	if [ $rc -ne 1 ] || [ "$(cat "$d/out/old.txt")" != keep ] || [ -n "$(leftovers old.txt)" ]; then
		fail cli/limits-output-write-error "exit $rc, old.txt $(wc -c <"$d/out/old.txt") bytes, left: $(leftovers old.txt), stderr: $(head -c 200 "$d/stderr")"
	elif ! grep -q "^btfkit: " "$d/stderr"; then
		fail cli/limits-output-write-error "no error message"
	else
		pass cli/limits-output-write-error
	fi
	# and the same output to a full standard output
	if [ -w /dev/full ]; then
		"$BTFKIT" dump "$big" >/dev/full 2>"$d/stderr"
		rc=$?
		if [ $rc -ne 1 ] || ! grep -q "^btfkit: " "$d/stderr"; then
			fail cli/limits-output-stdout-full "exit $rc, stderr: $(head -c 200 "$d/stderr")"
		else
			pass cli/limits-output-stdout-full
		fi
	fi
else
	skip cli/limits-output-write-error "no large BTF (/sys/kernel/btf/vmlinux or the corpus vmlinux)"
fi

# 4. output directory missing: exit 1, nothing created
"$BTFKIT" dump -o "$d/out/no/such/dir/x.txt" "$good" >/dev/null 2>"$d/stderr"
rc=$?
if [ $rc -ne 1 ] || [ -n "$(leftovers old.txt)" ] || ! grep -q "^btfkit: " "$d/stderr"; then
	fail cli/limits-output-missing-dir "exit $rc, left: $(leftovers old.txt)"
else
	pass cli/limits-output-missing-dir
fi

# 4b. every command that writes a file: bad input or a failing write leaves
# the old output as it was and no temporary file
for cmd in convert merge; do
	ok=1
	if [ $cmd = convert ]; then args=("$d/bad.btf"); else args=("$good" "$d/bad.btf"); fi
	"$BTFKIT" $cmd -o "$d/out/old.txt" "${args[@]}" 2>/dev/null
	rc=$?
	if [ $rc -ne 1 ] || [ "$(cat "$d/out/old.txt")" != keep ] || [ -n "$(leftovers old.txt)" ]; then
		fail cli/limits-output-$cmd-bad-input "exit $rc, old.txt $(wc -c <"$d/out/old.txt") bytes, left: $(leftovers old.txt)"
		ok=0
	fi
	if [ -s "$big" ]; then
		(trap '' XFSZ; ulimit -f 64; exec "$BTFKIT" $cmd -o "$d/out/old.txt" "$big") 2>"$d/stderr"
		rc=$?
		if [ $rc -ne 1 ] || [ "$(cat "$d/out/old.txt")" != keep ] || [ -n "$(leftovers old.txt)" ]; then
			fail cli/limits-output-$cmd-write-error "exit $rc, old.txt $(wc -c <"$d/out/old.txt") bytes, left: $(leftovers old.txt), stderr: $(head -c 200 "$d/stderr")"
			ok=0
		fi
	fi
	[ $ok = 1 ] && pass cli/limits-output-$cmd
done

# 4c. an existing device, FIFO or symlink is not replaced: a device node
# (a private twin of /dev/null) stays a device, a FIFO gets the output
# through its reader, a symlink keeps pointing at the file it names, which
# gets the output. (Renaming over /dev/null once replaced it with a file.)
ok=1
if mknod "$d/null" c 1 3 2>/dev/null; then
	for cmd in "dump" "convert" "merge"; do
		"$BTFKIT" $cmd -o "$d/null" "$good" >/dev/null 2>"$d/stderr"
		rc=$?
		if [ $rc -ne 0 ] || [ ! -c "$d/null" ] || ls "$d"/null.* >/dev/null 2>&1; then
			fail cli/limits-output-device "$cmd -o DEVICE: exit $rc, $(stat -c %F "$d/null"), $(head -c 200 "$d/stderr")"
			ok=0
		fi
	done
else
	skip cli/limits-output-device "mknod not permitted"
fi
mkfifo "$d/fifo"
timeout 20 cat "$d/fifo" >"$d/fifo.out" &
reader=$!
timeout 20 "$BTFKIT" dump -o "$d/fifo" "$good" 2>"$d/stderr"
rc=$?
# a writer that replaced the FIFO instead of opening it leaves the reader waiting
[ $rc -eq 0 ] && [ -p "$d/fifo" ] || kill $reader 2>/dev/null
wait $reader
"$BTFKIT" dump "$good" >"$d/direct.out"
if [ $rc -ne 0 ] || [ ! -p "$d/fifo" ] || ! cmp -s "$d/fifo.out" "$d/direct.out"; then
	fail cli/limits-output-device "dump -o FIFO: exit $rc, $(stat -c %F "$d/fifo"), output $(wc -c <"$d/fifo.out") bytes"
	ok=0
fi
echo old >"$d/out/target.txt"
ln -s target.txt "$d/out/link.txt"
"$BTFKIT" dump -o "$d/out/link.txt" "$good" 2>"$d/stderr"
rc=$?
if [ $rc -ne 0 ] || [ ! -L "$d/out/link.txt" ] || ! cmp -s "$d/out/target.txt" "$d/direct.out" ||
	[ -n "$(leftovers old.txt target.txt link.txt)" ]; then
	fail cli/limits-output-device "dump -o SYMLINK: exit $rc, link $(stat -c %F "$d/out/link.txt"), left: $(leftovers old.txt target.txt link.txt)"
	ok=0
fi
rm -f "$d/out/link.txt" "$d/out/target.txt"
[ $ok = 1 ] && pass cli/limits-output-device

# 4d. a C dump that fails midway (an embedding cycle after 6000 printable
# structs, so that 64 KiB chunks were already written): to a regular file
# on standard output ('>' or '>>') it is taken back, -o leaves nothing, and
# a pipe gets the partial header before the message; exit 1 every time
python3 - "$d/cycle.btf" <<'PY'
import struct, sys
strs = b"\0int\0x\0a\0b\0"
types = struct.pack("<IIII", 1, 1 << 24, 4, (1 << 24) | 32)  # [1] int
for i in range(6000):                                           # [2..6001] struct sN { int x; }
    off = len(strs)
    strs += b"s%d\0" % i
    types += struct.pack("<III", off, (4 << 24) | 1, 4) + struct.pack("<III", 5, 1, 0)
n = 6002                                                        # [6002] a { b b; }, [6003] b { a a; }
types += struct.pack("<III", 7, (4 << 24) | 1, 4) + struct.pack("<III", 9, n + 1, 0)
types += struct.pack("<III", 9, (4 << 24) | 1, 4) + struct.pack("<III", 7, n, 0)
hdr = struct.pack("<HBBIIIII", 0xeb9f, 1, 0, 24, 0, len(types), len(types), len(strs))
open(sys.argv[1], "wb").write(hdr + types + strs)
PY
ok=1
msg="btfkit: $d/cycle.btf: type cycle C cannot express, or types nested deeper than 512 (type [6002], reached from type [6002])"
"$BTFKIT" dump -f c "$d/cycle.btf" >"$d/c.out" 2>"$d/stderr"
rc=$?
if [ $rc -ne 1 ] || [ -s "$d/c.out" ] || [ "$(cat "$d/stderr")" != "$msg" ]; then
	fail cli/limits-output-c-fails-midway "stdout a file: exit $rc, $(wc -c <"$d/c.out") bytes left, stderr: $(head -c 300 "$d/stderr")"
	ok=0
fi
echo keep >"$d/c.out"
"$BTFKIT" dump -f c "$d/cycle.btf" >>"$d/c.out" 2>/dev/null
rc=$?
if [ $rc -ne 1 ] || [ "$(cat "$d/c.out")" != keep ]; then
	fail cli/limits-output-c-fails-midway "stdout appended to: exit $rc, $(wc -c <"$d/c.out") bytes"
	ok=0
fi
"$BTFKIT" dump -f c -o "$d/out/c.h" "$d/cycle.btf" 2>/dev/null
rc=$?
if [ $rc -ne 1 ] || [ -n "$(leftovers old.txt)" ]; then
	fail cli/limits-output-c-fails-midway "-o: exit $rc, left: $(leftovers old.txt)"
	ok=0
fi
"$BTFKIT" dump -f c "$d/cycle.btf" 2>"$d/stderr" | cat >"$d/c.out"
rc=${PIPESTATUS[0]}
if [ $rc -ne 1 ] || ! grep -q '^struct s5999 {$' "$d/c.out" || [ "$(cat "$d/stderr")" != "$msg" ]; then
	fail cli/limits-output-c-fails-midway "pipe: exit $rc, $(wc -c <"$d/c.out") bytes (the partial header expected), stderr: $(head -c 300 "$d/stderr")"
	ok=0
fi
[ $ok = 1 ] && pass cli/limits-output-c-fails-midway

# 5. inputs never change: big-endian raw and ELF are swapped in a private mapping
ok=1
for f in "$be" "$elf_be" "$good"; do
	sum=$(sha256sum <"$f")
	mtime=$(stat -c %Y "$f")
	if ! "$BTFKIT" dump -o "$d/out/x.txt" "$f" 2>"$d/stderr"; then
		fail cli/limits-input-unchanged "dump $(basename "$f") failed: $(cat "$d/stderr")"
		ok=0
		continue
	fi
	"$BTFKIT" stats "$f" >/dev/null 2>&1
	"$BTFKIT" convert -e little -o "$d/out/x.btf" "$f" 2>/dev/null
	"$BTFKIT" convert -e big -o "$d/out/x.btf" "$f" 2>/dev/null
	if [ "$(sha256sum <"$f")" != "$sum" ] || [ "$(stat -c %Y "$f")" != "$mtime" ]; then
		fail cli/limits-input-unchanged "$(basename "$f") changed by reading it"
		ok=0
	fi
done
# the big-endian dump equals the little-endian one
"$BTFKIT" dump "$good" >"$d/le.txt" 2>/dev/null
"$BTFKIT" dump "$be" >"$d/be.txt" 2>/dev/null
if ! cmp -s "$d/le.txt" "$d/be.txt" || [ ! -s "$d/le.txt" ]; then
	fail cli/limits-input-unchanged "big- and little-endian dumps differ"
	ok=0
fi
[ $ok = 1 ] && pass cli/limits-input-unchanged
