#!/usr/bin/env bash
# btfkit stats content (counts per kind, strings, header and sections, byte
# order, pointer size, base of split BTF), checked against a golden and
# against independent counts (bpftool's dump, the header bytes); and the
# default base of /sys/kernel/btf/MODULE, with the -v note on stderr only
# (BTFKIT_SYSFS_BTF points the rule at a stand-in directory).
. "$BTFKIT_SRC/tests/lib.sh"
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
T="$BTFKIT_TEST_DATA"

"$BTFKIT" stats "$T/sample.bpfeb.o" > "$d/out" 2> "$d/err"
cat > "$d/want" <<EOT
file:        $T/sample.bpfeb.o
source:      ELF .BTF section
byte order:  big-endian
size:        1834 bytes
header:      24 bytes
types:       offset 0, 1220 bytes, 53 types (IDs 1..53)
kind layout: none
strings:     offset 1220, 590 bytes, 76 strings
pointer:     8 bytes
kinds:
  INT         7
  PTR         7
  ARRAY       3
  STRUCT      4
  UNION       1
  ENUM        3
  FWD         1
  TYPEDEF     3
  VOLATILE    1
  CONST       2
  FUNC        2
  FUNC_PROTO  3
  VAR         6
  DATASEC     4
  FLOAT       2
  DECL_TAG    3
  TYPE_TAG    1
EOT
if cmp -s "$d/out" "$d/want" && [ ! -s "$d/err" ]; then pass cli/stats-golden
else fail cli/stats-golden "$(diff "$d/want" "$d/out" | head -5)"; fi

# field NAME: the value part of a stats line
field() { sed -n "s/^$1: *//p" "$d/out"; }
u32() { od -An -t u4 --endian="$3" -j "$2" -N 4 "$1" | tr -d ' '; }

# independent checks on raw files of both byte orders
for f in sample.btf sample.eb.btf; do
	endian=little; [ $f = sample.eb.btf ] && endian=big
	"$BTFKIT" stats "$T/$f" > "$d/out"
	hl=$(u32 "$T/$f" 4 $endian) to=$(u32 "$T/$f" 8 $endian) tl=$(u32 "$T/$f" 12 $endian)
	so=$(u32 "$T/$f" 16 $endian) sl=$(u32 "$T/$f" 20 $endian)
	nstr=$(tail -c +$((hl + so + 1)) "$T/$f" | head -c "$sl" | tr -cd '\0' | wc -c)
	ntypes=$(bpftool btf dump file "$T/$f" 2>/dev/null | grep -c '^\[')
	want="$endian-endian|$(stat -c %s "$T/$f") bytes|$hl bytes|offset $to, $tl bytes, $ntypes types (IDs 1..$ntypes)|offset $so, $sl bytes, $nstr strings|unknown"
	got="$(field 'byte order')|$(field size)|$(field header)|$(field types)|$(field strings)|$(field pointer)"
	[ "$got" = "$want" ] && pass "cli/stats-fields-$f" || fail "cli/stats-fields-$f" "got '$got', want '$want'"
done

# kinds: the per-kind counts equal those of bpftool's dump
kinds_vs_bpftool() {
	local name="$1"
	shift
	"$BTFKIT" stats "$@" | awk '/^kinds:/ { on = 1; next } on { print $1, $2 }' > "$d/k1"
	bpftool btf dump file "$@" | awk '/^\[/ { n[$2]++ } END { for (k in n) print k, n[k] }' | sort > "$d/k2"
	sort "$d/k1" > "$d/k1s"
	if cmp -s "$d/k1s" "$d/k2" && [ -s "$d/k2" ]; then pass "$name"
	else fail "$name" "$(diff "$d/k2" "$d/k1s" | head -4)"; fi
}
if need_bpftool cli/stats-kinds; then
	kinds_vs_bpftool cli/stats-kinds-sample "$T/sample.bpf.o"
	[ -r /sys/kernel/btf/vmlinux ] && kinds_vs_bpftool cli/stats-kinds-sysfs-vmlinux /sys/kernel/btf/vmlinux
fi

if need_corpus cli/stats-split; then
	V="$BTFKIT_CORPUS/vmlinux"
	M="$BTFKIT_CORPUS/$(grep -m1 '/ext4.ko$' "$BTFKIT_CORPUS/modules.list")"
	"$BTFKIT" stats -B "$V" "$M" > "$d/out"
	nbase=$("$BTFKIT" stats "$V" | sed -n 's/.*types (IDs 1\.\.\([0-9]*\))/\1/p')
	sbase=$("$BTFKIT" stats "$V" | sed -n 's/^strings: *offset [0-9]*, \([0-9]*\) bytes.*/\1/p')
	want="$V ($nbase types, $sbase string bytes); own IDs start at $((nbase + 1)), own strings at offset $sbase"
	[ "$(field 'split on')" = "$want" ] && pass cli/stats-split-base ||
		fail cli/stats-split-base "got '$(field 'split on')', want '$want'"
	case "$(field types)" in
	*"(IDs $((nbase + 1))..$((nbase + $(bpftool btf dump file "$M" -B "$V" | grep -c '^\['))))") pass cli/stats-split-ids ;;
	*) fail cli/stats-split-ids "types: $(field types)" ;;
	esac
	need_bpftool cli/stats-kinds-split && kinds_vs_bpftool cli/stats-kinds-split -B "$V" "$M"

	# /sys/kernel/btf/MODULE reads on /sys/kernel/btf/vmlinux by default
	mkdir "$d/sys"
	ln -s "$V" "$d/sys/vmlinux"
	ln -s "$M" "$d/sys/ext4"
	export BTFKIT_SYSFS_BTF="$d/sys"
	"$BTFKIT" dump "$d/sys/ext4" > "$d/o1" 2> "$d/e1"
	"$BTFKIT" dump -v "$d/sys/ext4" > "$d/o2" 2> "$d/e2"
	"$BTFKIT" dump -B "$V" "$M" > "$d/o3"
	if cmp -s "$d/o1" "$d/o3" && cmp -s "$d/o2" "$d/o3" && [ -s "$d/o3" ]; then pass cli/sysfs-default-base
	else fail cli/sysfs-default-base "dump of $d/sys/ext4 differs from dump -B vmlinux ext4.ko"; fi
	if [ ! -s "$d/e1" ] && [ "$(cat "$d/e2")" = "btfkit: $d/sys/ext4: using $d/sys/vmlinux as base BTF" ]; then
		pass cli/sysfs-default-base-note-stderr-only
	else
		fail cli/sysfs-default-base-note-stderr-only "without -v: '$(cat "$d/e1")'; with -v: '$(cat "$d/e2")'"
	fi
	"$BTFKIT" stats -v "$d/sys/ext4" > "$d/out" 2>/dev/null
	[ "$(field 'split on' | cut -d' ' -f1)" = "$d/sys/vmlinux" ] && pass cli/sysfs-default-base-stats ||
		fail cli/sysfs-default-base-stats "split on: $(field 'split on')"
	# vmlinux itself has no base; an explicit -B wins; other directories get no default
	"$BTFKIT" stats -v "$d/sys/vmlinux" > "$d/out" 2> "$d/err"
	[ -z "$(field 'split on')" ] && [ ! -s "$d/err" ] && pass cli/sysfs-vmlinux-no-base ||
		fail cli/sysfs-vmlinux-no-base "$(cat "$d/err")"
	"$BTFKIT" stats -v -B "$V" "$d/sys/ext4" > "$d/out" 2> "$d/err"
	[ "$(field 'split on' | cut -d' ' -f1)" = "$V" ] && [ ! -s "$d/err" ] && pass cli/sysfs-explicit-base ||
		fail cli/sysfs-explicit-base "split on: $(field 'split on'); $(cat "$d/err")"
	BTFKIT_SYSFS_BTF="$d/sys/" "$BTFKIT" dump "$d/sys/ext4" 2>/dev/null | cmp -s - "$d/o3" &&
		pass cli/sysfs-dir-trailing-slash || fail cli/sysfs-dir-trailing-slash "no default base"
	unset BTFKIT_SYSFS_BTF
	"$BTFKIT" dump "$d/sys/ext4" > /dev/null 2> "$d/err"
	grep -q "base BTF probably missing" "$d/err" && pass cli/no-default-base-elsewhere ||
		fail cli/no-default-base-elsewhere "$(cat "$d/err")"
fi

# the real thing, when this kernel has module BTF
mods=$(ls /sys/kernel/btf 2>/dev/null | grep -vx vmlinux | head -3)
if [ -z "$mods" ]; then
	skip cli/sysfs-real-modules "no module BTF under /sys/kernel/btf on this host"
else
	for m in $mods; do
		"$BTFKIT" dump "/sys/kernel/btf/$m" 2>&1 | cmp -s - <("$BTFKIT" dump -B /sys/kernel/btf/vmlinux "/sys/kernel/btf/$m") &&
			pass "cli/sysfs-real-module-$m" || fail "cli/sysfs-real-module-$m" "differs from -B /sys/kernel/btf/vmlinux"
	done
fi
