#!/usr/bin/env bash
# BPF objects are validated as libbpf loads them. The objects: the programs
# in tests/data/bpf/ (compiled here by clang: global data of every kind,
# .kconfig and .ksyms externs with kfuncs, BTF-defined maps, and one object
# libbpf refuses) and the shipped samples. For each:
#  - btfkit's fixed-up BTF is byte for byte the BTF libbpf 1.1 prepares
#    (bpf_object__open, bpf_object__btf), or both refuse the object
#    (tests/helpers/bpf_fixup_diff);
#  - the fixed-up BTF loads into the running kernel (BPF_BTF_LOAD), and
#    'btfkit validate' passes it; where the kernel refuses (sample.bpf.o's
#    forward-declared enum of size 0), validate reports that one problem in
#    the kernel's words;
#  - a problem on a fixed-up type says which fix-up applied.
. "$BTFKIT_SRC/tests/lib.sh"
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
H="$BTFKIT_BUILD/tests/bpf_fixup_diff"
need_helper diff/bpf-objects "$H" || exit 0
if ! command -v clang >/dev/null; then
	skip diff/bpf-objects "clang not installed (scripts/install-deps)"
	exit 0
fi
arch_inc=/usr/include/$(gcc -print-multiarch 2>/dev/null)
objs=()
for c in "$BTFKIT_TEST_DATA"/bpf/*.bpf.c; do
	o="$d/$(basename "${c%.c}").o"
	if clang -O2 -g -target bpf -I"$arch_inc" -c "$c" -o "$o" 2> "$d/cc.err"; then
		objs+=("$o")
	else
		fail "diff/bpf-objects-compile-$(basename "$c")" "$(grep error "$d/cc.err" | head -2)"
	fi
done

# libbpf's bytes; and into the kernel
"$H" --kload "${objs[@]}" 2>&1
"$H" "$BTFKIT_TEST_DATA/sample.bpf.o" 2>&1

# validate: every loadable object passes; the refused one says why
for o in "${objs[@]}"; do
	n=$(basename "$o")
	"$BTFKIT" validate "$o" > "$d/out" 2> "$d/err"
	rc=$?
	case $n in
	refused.bpf.o)
		[ $rc -eq 1 ] && grep -q "^btfkit: $o: libbpf would refuse this BPF object: extern 'defined_elsewhere' (type \[[0-9]*\]) is in no DATASEC$" "$d/err" &&
			pass "diff/bpf-validate-$n (refused, as libbpf refuses it)" || fail "diff/bpf-validate-$n" "rc $rc: $(head -2 "$d/err")" ;;
	*)
		[ $rc -eq 0 ] && [ ! -s "$d/err" ] && pass "diff/bpf-validate-$n" || fail "diff/bpf-validate-$n" "rc $rc: $(head -2 "$d/err")"
		"$BTFKIT" validate --as-is "$o" 2> "$d/err"
		[ $? -eq 1 ] && grep -q 'size == 0 (type \[[0-9]*\] DATASEC' "$d/err" && pass "diff/bpf-validate-as-is-$n" ||
			fail "diff/bpf-validate-as-is-$n" "--as-is does not show clang's DATASEC sizes: $(head -1 "$d/err")" ;;
	esac
done

# sample.bpf.o: only the enum the kernel refuses too
"$BTFKIT" validate "$BTFKIT_TEST_DATA/sample.bpf.o" 2> "$d/err"
kernel=$("$H" --kload "$BTFKIT_TEST_DATA/sample.bpf.o" 2>&1 | sed -n 's/^FAIL kload.*(\(.*\))$/\1/p')
if [ "$(wc -l < "$d/err")" = 1 ] && grep -q "Unexpected size (type \[45\] ENUM 'fwd_only'" "$d/err"; then
	if [ -z "$kernel" ] && "$H" --kload "$BTFKIT_TEST_DATA/sample.bpf.o" | grep -q '^SKIP'; then
		pass "diff/bpf-validate-sample (kernel not asked: $("$H" --kload "$BTFKIT_TEST_DATA/sample.bpf.o" | grep SKIP))"
	elif [[ $kernel == *"[45] ENUM fwd_only"*"Unexpected size"* ]]; then
		pass "diff/bpf-validate-sample (the kernel refuses the same type: $kernel)"
	else
		fail diff/bpf-validate-sample "the kernel says '$kernel'"
	fi
else
	fail diff/bpf-validate-sample "$(head -3 "$d/err" | tr '\n' ';')"
fi

# a problem on a fixed-up type names the fix-up: give globals' .data DATASEC a bad entry size
g="$d/globals.bpf.o"
if [ -f "$g" ] && python3 - "$g" <<'PY'
import struct, subprocess, sys
path = sys.argv[1]
out = subprocess.run(["readelf", "-SW", path], capture_output=True, text=True).stdout
for line in out.splitlines():
    f = line.replace("[ ", "[").split()
    if len(f) > 5 and f[1] == ".BTF":
        off = int(f[4], 16)
data = bytearray(open(path, "rb").read())
hdr_len, type_off, type_len, str_off = struct.unpack_from("<IIII", data, off + 4)
types, strs = off + hdr_len + type_off, off + hdr_len + str_off
info_sz = {1: 4, 3: 12, 12: 0, 14: 4, 16: 0, 17: 4}
elem_sz = {4: 12, 5: 12, 6: 8, 13: 8, 15: 12, 19: 12}
p = types
while p < types + type_len:
    name_off, info, size = struct.unpack_from("<III", data, p)
    kind, vlen = (info >> 24) & 0x1f, info & 0xffff
    name = data[strs + name_off:data.index(b"\0", strs + name_off)]
    if kind == 15 and name == b".data":
        struct.pack_into("<I", data, p + 12 + 8, 4096)  # entry 0's size
        open(path, "wb").write(data)
        sys.exit(0)
    p += 12 + info_sz.get(kind, 0) + elem_sz.get(kind, 0) * vlen
sys.exit(1)
PY
then
	"$BTFKIT" validate "$g" 2> "$d/err"
	grep -q "DATASEC '.data'.*\[after libbpf's fix-up: DATASEC size 0 -> [0-9]* from ELF section '.data'" "$d/err" &&
		pass diff/bpf-validate-names-fixup || fail diff/bpf-validate-names-fixup "$(cat "$d/err")"
else
	fail diff/bpf-validate-names-fixup "could not patch globals.bpf.o"
fi
