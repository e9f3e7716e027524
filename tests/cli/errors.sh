#!/usr/bin/env bash
# Bad input through the CLI: "btfkit: FILE: what is wrong (where)" on stderr,
# nothing on stdout, exit status 1; -o never leaves a partial or temporary
# file (and keeps an existing one) on error; inputs are never modified.
. "$BTFKIT_SRC/tests/lib.sh"
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
S="$BTFKIT_TEST_DATA/sample.bpf.o"

# bad NAME FILE EXPECTED_MESSAGE [ARGS...]: dump FILE fails as expected
bad() {
	local name="$1" file="$2" msg="$3"
	shift 3
	"$BTFKIT" dump "$@" "$file" > "$d/out" 2> "$d/err"
	local rc=$?
	if [ $rc -ne 1 ]; then
		fail "cli/bad-$name" "exit $rc, expected 1 ($(head -1 "$d/err"))"
	elif [ -s "$d/out" ]; then
		fail "cli/bad-$name" "wrote to stdout: $(head -1 "$d/out")"
	elif [ "$(cat "$d/err")" != "btfkit: $file: $msg" ]; then
		fail "cli/bad-$name" "stderr '$(cat "$d/err")', expected 'btfkit: $file: $msg'"
	else
		pass "cli/bad-$name"
	fi
}

# hdr FILE HDR_LEN TYPE_OFF TYPE_LEN STR_OFF STR_LEN: a little-endian header
hdr() {
	local f="$1"
	shift
	printf '\x9f\xeb\x01\x00' > "$f"
	for v in "$@"; do
		printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x' $((v & 255)) $((v >> 8 & 255)) $((v >> 16 & 255)) $((v >> 24 & 255)))" >> "$f"
	done
}

: > "$d/empty"
bad empty "$d/empty" "empty file: no BTF data"
printf '\x9f\xeb\x01\x00\x18\x00' > "$d/trunc"
bad truncated-header "$d/trunc" "truncated BTF header: 6 bytes, need at least 24 (byte offset 0)"
printf 'hello, world, this is not BTF' > "$d/text"
bad magic "$d/text" "not BTF: no BTF magic (0xeb9f), ELF header or known compression at byte offset 0"
hdr "$d/short" 16 0 0 0 1; printf '\0\0\0\0' >> "$d/short"
bad hdr-len-small "$d/short" "BTF header length 16 is smaller than the minimum 24 (byte offset 4)"
hdr "$d/long" 64 0 0 0 1; printf '\0' >> "$d/long"
bad hdr-len-large "$d/long" "BTF header length 64 is larger than the data (25 bytes) (byte offset 4)"
hdr "$d/past" 24 0 0 0 9; printf '\0' >> "$d/past"
bad str-past-end "$d/past" "string section (offset 0, length 9) runs past the end of the data (1 bytes after the header) (byte offset 16)"
hdr "$d/overlap" 24 0 12 8 1; printf '\0\0\0\0\0\0\0\0\0\0\0\0\0' >> "$d/overlap"
bad overlap "$d/overlap" "type section (offset 0, length 12) overlaps or follows the string section (offset 8) (byte offset 8)"
hdr "$d/unaligned" 24 2 4 8 1; printf '\0\0\0\0\0\0\0\0\0' >> "$d/unaligned"
bad type-unaligned "$d/unaligned" "type section offset 2 is not 4-byte aligned (byte offset 8)"
hdr "$d/nonul" 24 0 0 0 3; printf '\0ab' >> "$d/nonul"
bad str-not-nul-terminated "$d/nonul" "string section is not NUL-terminated (byte offset 26)"
# [1] INT named at offset 99 in a 5-byte string section
hdr "$d/name" 24 0 16 16 5
printf '\x63\0\0\0\0\0\0\x01\x04\0\0\0\x20\0\0\0\0int\0' >> "$d/name"
bad name-out-of-range "$d/name" "name offset 99 out of range (string section ends at 5) (type [1], byte offset 24)"
# [1] PTR to type 7
hdr "$d/id" 24 0 12 12 1
printf '\0\0\0\0\0\0\0\x02\x07\0\0\0\0' >> "$d/id"
bad id-out-of-range "$d/id" "referenced type ID 7 out of range (last ID is 1) (type [1], byte offset 32)"
# [1] STRUCT with vlen 3 and no members
hdr "$d/vlen" 24 0 12 12 1
printf '\0\0\0\0\x03\0\0\x04\x04\0\0\0\0' >> "$d/vlen"
bad vlen-too-large "$d/vlen" "STRUCT record with vlen 3 needs 48 bytes but only 12 are left in the type section (type [1], byte offset 24)"
# kind 25 without a kind layout
hdr "$d/kind" 24 0 12 12 1
printf '\0\0\0\0\0\0\0\x19\0\0\0\0\0' >> "$d/kind"
bad unknown-kind "$d/kind" "unknown kind 25 and no kind layout describes it (type [1], byte offset 24)"
bad elf-without-btf "$BTFKIT" "ELF file has no .BTF section"
# a directory operand is a tree of modules (tests/cli/tree.sh); as a base it is an error
"$BTFKIT" dump -B "$d" "$S" > /dev/null 2> "$d/err"
[ $? = 1 ] && [ "$(cat "$d/err")" = "btfkit: $d: is a directory" ] &&
	pass cli/bad-directory-base || fail cli/bad-directory-base "$(cat "$d/err")"
bad missing "$d/nonexistent" "cannot open: No such file or directory"
"$BTFKIT" dump -B "$d/nonexistent" "$S" 2> "$d/err" >/dev/null
[ "$(cat "$d/err")" = "btfkit: $d/nonexistent: cannot open: No such file or directory" ] &&
	pass cli/bad-missing-base || fail cli/bad-missing-base "$(cat "$d/err")"
# the error names the base file when the base is bad
"$BTFKIT" dump -B "$d/empty" "$S" 2> "$d/err" >/dev/null
[ "$(cat "$d/err")" = "btfkit: $d/empty: empty file: no BTF data" ] &&
	pass cli/bad-base-named || fail cli/bad-base-named "$(cat "$d/err")"
"$BTFKIT" stats "$d/vlen" > "$d/out" 2> "$d/err"
[ $? -eq 1 ] && [ ! -s "$d/out" ] && grep -q "^btfkit: $d/vlen: STRUCT record" "$d/err" &&
	pass cli/bad-stats || fail cli/bad-stats "stats on bad input: $(cat "$d/err")"

if need_corpus cli/bad-split; then
	mod="$BTFKIT_CORPUS/$(grep -m1 '/ext4.ko$' "$BTFKIT_CORPUS/modules.list")"
	bad split-without-base "$mod" "string section does not start with NUL: base BTF probably missing, this looks like split BTF (byte offset 941156)"
	"$BTFKIT" dump -B "$S" "$mod" > "$d/out" 2> "$d/err"
	[ $? -eq 1 ] && [ ! -s "$d/out" ] && grep -q "^btfkit: $mod: .*does this split BTF belong to this base? (type \[" "$d/err" &&
		pass cli/bad-split-wrong-base || fail cli/bad-split-wrong-base "$(cat "$d/err")"
fi

# -o: nothing created on bad input, an existing file is kept, no temporaries
"$BTFKIT" dump -o "$d/new.txt" "$d/vlen" 2>/dev/null
[ ! -e "$d/new.txt" ] && pass cli/output-not-created-on-error || fail cli/output-not-created-on-error "$d/new.txt exists"
echo old > "$d/old.txt"
"$BTFKIT" dump -o "$d/old.txt" "$d/vlen" 2>/dev/null
[ "$(cat "$d/old.txt")" = old ] && pass cli/output-kept-on-error || fail cli/output-kept-on-error "overwritten"
# a write error half way (file size limit): exit 1, no file, no temporary
( trap '' XFSZ; ulimit -f 1; "$BTFKIT" dump -o "$d/big.txt" "$S" ) > "$d/out" 2> "$d/err"
rc=$?
if [ $rc -eq 1 ] && [ ! -e "$d/big.txt" ] && [ -z "$(ls "$d" | grep '^big\.txt\.')" ] &&
	grep -q "^btfkit: $d/big.txt: .*File too large" "$d/err"; then
	pass cli/output-write-error
else
	fail cli/output-write-error "exit $rc, files: $(ls "$d" | grep big), stderr: $(cat "$d/err")"
fi
"$BTFKIT" dump -o "$d/good.txt" "$S" && cmp -s "$d/good.txt" "$BTFKIT_TEST_DATA/sample.bpf.o.raw" &&
	[ -z "$(ls "$d" | grep '^good\.txt\.')" ] && pass cli/output-written || fail cli/output-written "bad output"

# inputs are never modified (big-endian inputs are byte-swapped in memory)
for f in sample.eb.btf sample.bpfeb.o sample.btf sample.bpf.o.xz; do
	cp -p "$BTFKIT_TEST_DATA/$f" "$d/in.$f"
	before=$(sha256sum < "$d/in.$f")$(stat -c %Y "$d/in.$f")
	"$BTFKIT" dump "$d/in.$f" > /dev/null && "$BTFKIT" stats "$d/in.$f" > /dev/null
	after=$(sha256sum < "$d/in.$f")$(stat -c %Y "$d/in.$f")
	[ "$before" = "$after" ] && pass "cli/input-unmodified-$f" || fail "cli/input-unmodified-$f" "changed"
done
