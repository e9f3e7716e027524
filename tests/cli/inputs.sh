#!/usr/bin/env bash
# Streamed inputs (standard input, FIFOs, devices) are checked against what
# their first bytes say as they arrive: /dev/zero, a FIFO of random bytes and
# a raw BTF header promising gigabytes fail at once with the parser's
# message (they used to read 1 GiB first); a huge sparse non-BTF file fails
# as fast; '-' reads raw BTF (either byte order), ELF and compressed input.
. "$BTFKIT_SRC/tests/lib.sh"
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
T="$BTFKIT_TEST_DATA"
NOT_BTF="not BTF: no BTF magic (0xeb9f), ELF header or known compression at byte offset 0"

# fast NAME WANT_STDERR CMD...: exit 1 within 5 s with exactly that message
fast() {
	local name="$1" want="$2" t0 t1 rc
	shift 2
	t0=$(date +%s%N)
	timeout 30 "$@" > "$d/out" 2> "$d/err"
	rc=$?
	t1=$(date +%s%N)
	if [ $rc -ne 1 ] || [ "$(cat "$d/err")" != "$want" ]; then
		fail "$name" "exit $rc, stderr '$(cat "$d/err")'"
	elif [ $(( (t1 - t0) / 1000000 )) -gt 5000 ]; then
		fail "$name" "took $(( (t1 - t0) / 1000000 )) ms"
	else
		pass "$name ($(( (t1 - t0) / 1000000 )) ms)"
	fi
}

fast cli/input-dev-zero "btfkit: /dev/zero: $NOT_BTF" "$BTFKIT" stats /dev/zero
fast cli/input-stdin-zero "btfkit: standard input: $NOT_BTF" "$BTFKIT" stats - < /dev/zero
mkfifo "$d/fifo"
(timeout 30 cat /dev/urandom > "$d/fifo" 2>/dev/null &)
fast cli/input-fifo-random "btfkit: $d/fifo: $NOT_BTF" "$BTFKIT" dump "$d/fifo"
# a raw BTF header whose sections add up to 3 GiB, then endless zeros
printf '\x9f\xeb\x01\x00\x18\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xc0\x00\x00\x00\xc0\x01\x00\x00\x00' > "$d/hdr"
fast cli/input-stdin-huge-header "btfkit: standard input: BTF header describes more than 1073741824 bytes (byte offset 4)" \
	sh -c "cat '$d/hdr' /dev/zero | '$BTFKIT' stats -"
truncate -s 20G "$d/sparse"
fast cli/input-huge-sparse-file "btfkit: $d/sparse: $NOT_BTF" "$BTFKIT" validate "$d/sparse"
rm -f "$d/sparse"

# standard input carries every format
for f in sample.btf sample.eb.btf sample.bpf.o sample.bpf.o.xz sample.bpf.o.zst; do
	"$BTFKIT" dump - < "$T/$f" > "$d/a" 2> "$d/err" && "$BTFKIT" dump "$T/$f" > "$d/b" && cmp -s "$d/a" "$d/b" &&
		pass "cli/input-stdin-$f" || fail "cli/input-stdin-$f" "$(head -1 "$d/err")"
done
# a stream cut short is named as such
head -c 100 "$T/sample.btf" | "$BTFKIT" stats - > /dev/null 2> "$d/err"
grep -q '^btfkit: standard input: .*runs past the end' "$d/err" && pass cli/input-stdin-truncated ||
	fail cli/input-stdin-truncated "$(cat "$d/err")"
