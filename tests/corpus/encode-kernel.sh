#!/usr/bin/env bash
# The encoder's kernel tier (issue 11): Debian's 6.1.0-50-cloud-amd64 -dbg
# vmlinux and modules (DWARF) encoded by `btfkit encode`, against the BTF
# Debian shipped in the matching -unsigned package (made by pahole 1.24 with
# --btf_gen_floats -j --lang_exclude=rust; scripts/fetch-corpus-dbg).
#  - The reference first: pahole 1.24 itself, run on the -dbg files with
#    those flags but without -j, gives the shipped module BTF exactly
#    (canonically), and the shipped vmlinux BTF but for FUNCs that the
#    shipped one holds twice: pahole 1.24 -j keeps "first unit wins" per
#    thread, so a function defined in units that two threads encoded got
#    two FUNCs (463 in this vmlinux; the same name is in both BTFs). This
#    part runs without the encoder (vmlinux only with BTFKIT_CORPUS_ALL=1:
#    pahole takes 5-18 s on it).
#  - vmlinux, default features (the current kernel's function rules):
#    canonically equal to the shipped .BTF in every kind but FUNC; the FUNC
#    differences are counted and each must be explained: a FUNC only in the
#    shipped BTF is a -j duplicate (its name is in btfkit's output too) or
#    was skipped by a named rule (a "skip FUNC NAME: REASON" line of the
#    encoder's -v report); one only in btfkit's comes from a rule pahole 1.24
#    lacks ("FUNC NAME from symbol SYM" in the -v report);
#  - vmlinux with pahole 1.24's features (--features
#    var,float,decl_tag,type_tag,enum64): equal in every kind, FUNC included
#    but for the -j duplicates;
#  - the same for each module of a fixed sample, as split BTF on the shipped
#    vmlinux BTF, against the shipped module .BTF (BTFKIT_CORPUS_ALL=1: every
#    module of the package, for the corpus-wide target; the count that is
#    equal is reported). Module comparisons fold own types that are exact
#    copies of base types (btf_canon --fold-base-copies: libbpf 1.1's dedup,
#    under pahole, left e.g. a copy of struct module in 8021q's BTF) and
#    report how many each side has;
#  - `btfkit validate` and the running kernel (BPF_BTF_LOAD, through
#    build/tests/btf_kload; skipped when not permitted) accept every output;
#  - determinism: vmlinux and three modules give identical bytes at -j1, -j2
#    and -j4. (pahole 1.24 is not deterministic at -j: not tested here.)
. "$BTFKIT_SRC/tests/lib.sh"
name=corpus/encode-kernel
canon="$BTFKIT_BUILD/tests/btf_canon"
kload="$BTFKIT_BUILD/tests/btf_kload"
need_helper "$name" "$canon" || exit 0
need_helper "$name" "$kload" || exit 0
need_corpus_dbg "$name" || exit 0
COMPAT124="--features var,float,decl_tag,type_tag,enum64"
SAMPLE="kernel/fs/xfs/xfs.ko kernel/net/netfilter/nf_tables.ko kernel/drivers/net/virtio_net.ko
	kernel/arch/x86/kvm/kvm-intel.ko kernel/drivers/net/tun.ko kernel/net/8021q/8021q.ko
	kernel/drivers/net/wireguard/wireguard.ko kernel/drivers/md/dm-mod.ko"
DETERMINISM="kernel/fs/xfs/xfs.ko kernel/net/netfilter/nf_tables.ko kernel/net/8021q/8021q.ko"
dir=$(tmpdir)
trap 'rm -rf "$dir"' EXIT
if [ "${BTFKIT_CORPUS_ALL:-0}" = 1 ]; then
	mods=$(cat "$DBG_MODLIST")
	what="every module"
else
	mods=$SAMPLE
	what="sample"
fi

# funcs FILE [BASE]: the FUNC names of FILE's own types, one a line, sorted.
funcs() {
	if [ -n "${2:-}" ]; then
		"$BTFKIT" dump -B "$2" "$1"
	else
		"$BTFKIT" dump "$1"
	fi | sed -n "s/^\[[0-9]*\] FUNC '\([^']*\)'.*/\1/p" | sort
}

# dups_only ITEMS NAMES [BASE A B]: A and B (split on BASE) equal but for
# FUNCs only in A whose names are in NAMES (pahole 1.24 -j duplicates; their
# FUNC_PROTOs go with them): btf_canon --ignore FUNC finds nothing and every
# FUNC item of ITEMS is such a one. Prints how many; status 1 otherwise.
dups_only() {
	local items="$1" names="$2" n
	shift 2
	"$canon" --brief --ignore FUNC "$@" >/dev/null 2>&1 || return 1
	grep '^FUNC ' "$items" | grep -v ': only in [a-z]*$' | grep -q . && return 1
	n=$(grep -c '^FUNC .*: only in shipped$' "$items")
	[ "$n" = "$(grep -c '^FUNC ' "$items")" ] || return 1
	sed -n 's/^FUNC \(.*\): only in shipped$/\1/p' "$items" | sort -u | comm -23 - "$names" |
		grep -q . && return 1
	echo "$n"
}

# ---- the reference: pahole 1.24 on the -dbg files gives the shipped BTF -----
if command -v pahole >/dev/null; then
	PAHOLE_FLAGS=(--btf_gen_floats --lang_exclude=rust)
	eq=0 n=0 ndup=0 bad=
	for m in $mods; do
		n=$((n + 1))
		rm -f "$dir/ref.btf"
		pahole -J "${PAHOLE_FLAGS[@]}" --btf_base "$SHIP_VMLINUX" --btf_encode_detached="$dir/ref.btf" \
			"$DBG_MODDIR/$m" >/dev/null 2>&1
		"$canon" --items --fold-base-copies --labels shipped,pahole -B "$SHIP_VMLINUX" "$SHIP_MODDIR/$m" "$dir/ref.btf" \
			> "$dir/ref.items" 2>&1
		funcs "$dir/ref.btf" "$SHIP_VMLINUX" > "$dir/ref.funcs"
		if d=$(dups_only "$dir/ref.items" "$dir/ref.funcs" --fold-base-copies -B "$SHIP_VMLINUX" \
			"$SHIP_MODDIR/$m" "$dir/ref.btf"); then
			eq=$((eq + 1))
			[ "$d" = 0 ] || ndup=$((ndup + 1))
		else
			bad="$bad $m"
		fi
	done
	if [ -z "$bad" ]; then
		pass "$name/reference-modules (pahole 1.24 on the -dbg modules = shipped BTF: $eq of $n, $what; $ndup with FUNCs the shipped one holds twice)"
	else
		fail "$name/reference-modules" "pahole 1.24 differs from the shipped BTF for:$(echo "$bad" | cut -c1-300)"
	fi
	if [ "$what" != sample ]; then
		pahole -J "${PAHOLE_FLAGS[@]}" --btf_encode_detached="$dir/ref.btf" "$DBG_VMLINUX" >/dev/null 2>&1
		"$canon" --items --labels shipped,pahole "$SHIP_VMLINUX" "$dir/ref.btf" > "$dir/ref.items"
		funcs "$dir/ref.btf" > "$dir/ref.funcs"
		if d=$(dups_only "$dir/ref.items" "$dir/ref.funcs" "$SHIP_VMLINUX" "$dir/ref.btf"); then
			pass "$name/reference-vmlinux (pahole 1.24 = shipped BTF but $d FUNCs the shipped one holds twice)"
		else
			fail "$name/reference-vmlinux" "$(grep -v ': only in shipped$' "$dir/ref.items" | head -3 | tr '\n' ' ')"
		fi
	fi
else
	skip "$name/reference" "pahole not installed (scripts/install-deps)"
fi

if ! "$BTFKIT" encode --help >/dev/null 2>&1; then
	skip "$name" "btfkit has no encode command yet (issue 11's encoder is not on this branch)"
	exit 0
fi

# encode NAME OUT [ARGS...] FILE: btfkit encode, a FAIL line on error.
encode() {
	local n="$1" out="$2"
	shift 2
	if ! "$BTFKIT" encode -o "$out" "$@" >"$out.log" 2>&1; then
		fail "$n" "btfkit encode $*: $(head -2 "$out.log" | tr '\n' ' ')"
		return 1
	fi
}

# func_report NAME NOTE ITEMS LOG FUNCS: the FUNC differences (btf_canon
# --items lines of kind FUNC, shipped against btfkit) each explained: a FUNC
# only in the shipped BTF whose name is in FUNCS (btfkit's FUNC names) is a
# pahole 1.24 -j duplicate; else LOG (encode -v) must say "skip FUNC NAME:
# REASON". One only in btfkit needs "FUNC NAME from symbol SYM" in LOG.
# Differing FUNCs are never explained. A PASS with the counts, or a FAIL.
func_report() {
	local n="$1" note="$2" items="$3" log="$4" names="$5" f unexplained=
	local dup=0 skipped=0 only_b=0 differ=0 reasons
	while IFS= read -r line; do
		f=${line#FUNC }
		f=${f%%:*}
		case "$line" in
		*": only in shipped")
			if grep -qxF "$f" "$names"; then
				dup=$((dup + 1))
			else
				skipped=$((skipped + 1))
				grep -qF "skip FUNC $f: " "$log" || unexplained="$unexplained -$f"
			fi ;;
		*": only in btfkit")
			only_b=$((only_b + 1))
			grep -qF "FUNC $f from symbol " "$log" || unexplained="$unexplained +$f" ;;
		*": differs")
			differ=$((differ + 1))
			unexplained="$unexplained ~$f" ;;
		esac
	done < <(grep '^FUNC ' "$items")
	reasons=$(sed -n 's/.*skip FUNC [^:]*: \([a-z_-]*\).*/\1/p' "$log" | sort | uniq -c |
		awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }')
	if [ -n "$unexplained" ]; then
		fail "$n" "FUNC differences without a reason (-NAME only shipped, +NAME only btfkit, ~NAME differing):$(echo "$unexplained" | cut -c1-400)"
		return 1
	fi
	pass "$n ($note; FUNC: $dup shipped twice by pahole -j, $skipped skipped by btfkit's rules, $only_b only in btfkit, $differ differing; skip lines by reason: ${reasons:-none})"
}

# ---- vmlinux -----------------------------------------------------------------
t0=$(date +%s%N)
encode "$name/vmlinux" "$dir/vmlinux.j2" -v -j2 "$DBG_VMLINUX" && {
	t1=$(date +%s%N)
	if out=$("$canon" --brief --ignore FUNC "$SHIP_VMLINUX" "$dir/vmlinux.j2" 2>&1); then
		"$canon" --items --labels shipped,btfkit "$SHIP_VMLINUX" "$dir/vmlinux.j2" > "$dir/vmlinux.items"
		funcs "$dir/vmlinux.j2" > "$dir/vmlinux.funcs"
		func_report "$name/vmlinux-equal-but-func" \
			"encode -j2 $(awk "BEGIN { printf \"%.1f\", ($t1 - $t0) / 1e9 }") s on the $BUILD build" \
			"$dir/vmlinux.items" "$dir/vmlinux.j2.log" "$dir/vmlinux.funcs"
	else
		fail "$name/vmlinux-equal-but-func" "$(printf '%s' "$out" | tr '\n' ' ')"
	fi
}
encode "$name/vmlinux-compat124" "$dir/vmlinux.compat" $COMPAT124 -j2 "$DBG_VMLINUX" && {
	if out=$("$canon" --brief --ignore FUNC "$SHIP_VMLINUX" "$dir/vmlinux.compat" 2>&1); then
		"$canon" --items --labels shipped,btfkit "$SHIP_VMLINUX" "$dir/vmlinux.compat" > "$dir/compat.items"
		funcs "$dir/vmlinux.compat" > "$dir/compat.funcs"
		: > "$dir/empty.log"
		func_report "$name/vmlinux-compat124-equal" "pahole 1.24's features: only -j duplicates may differ" \
			"$dir/compat.items" "$dir/empty.log" "$dir/compat.funcs"
	else
		fail "$name/vmlinux-compat124-equal" "$(printf '%s' "$out" | tr '\n' ' ')"
	fi
}
for j in 1 4; do
	encode "$name/vmlinux-j$j" "$dir/vmlinux.j$j" -j$j "$DBG_VMLINUX"
done
if [ -f "$dir/vmlinux.j1" ] && [ -f "$dir/vmlinux.j4" ] && [ -f "$dir/vmlinux.j2" ] &&
   cmp -s "$dir/vmlinux.j1" "$dir/vmlinux.j2" && cmp -s "$dir/vmlinux.j1" "$dir/vmlinux.j4"; then
	pass "$name/vmlinux-deterministic (-j1, -j2, -j4: identical bytes, $(wc -c < "$dir/vmlinux.j1") bytes)"
else
	fail "$name/vmlinux-deterministic" "-j1, -j2 and -j4 outputs differ (or one is missing)"
fi
for f in vmlinux.j2 vmlinux.compat; do
	[ -f "$dir/$f" ] || continue
	if out=$("$BTFKIT" validate "$dir/$f" 2>&1); then
		pass "$name/validate-$f"
	else
		fail "$name/validate-$f" "$(printf '%s' "$out" | head -3 | tr '\n' ' ')"
	fi
done
out=$("$kload" "$dir/vmlinux.j2" "$dir/vmlinux.compat" 2>&1)
case $? in
0) pass "$name/kernel-loads-vmlinux (BPF_BTF_LOAD, default and compat124)" ;;
3) skip "$name/kernel-loads-vmlinux" "$(printf '%s\n' "$out" | tail -1)" ;;
*) fail "$name/kernel-loads-vmlinux" "$(printf '%s\n' "$out" | grep -v '^ok' | head -2 | tr '\n' ' ')" ;;
esac

# ---- modules: split on the shipped vmlinux BTF ----------------------------
total=0 eq_def=0 eq_compat=0 copies_s=0 copies_b=0 bad_def= bad_compat= bad_val= files=()
for m in $mods; do
	total=$((total + 1))
	b=$(echo "$m" | tr / _)
	ship="$SHIP_MODDIR/$m"
	if encode "$name/module/$m" "$dir/$b.def" -v -B "$SHIP_VMLINUX" "$DBG_MODDIR/$m"; then
		if "$canon" --brief --fold-base-copies --ignore FUNC -B "$SHIP_VMLINUX" "$ship" "$dir/$b.def" \
			> "$dir/$b.brief" 2>&1; then
			eq_def=$((eq_def + 1))
			if read -r _ ca cb < "$dir/$b.brief"; then
				copies_s=$((copies_s + ${ca#only-a=}))
				copies_b=$((copies_b + ${cb#only-b=}))
			fi
		else
			bad_def="$bad_def $m"
		fi
		"$BTFKIT" validate -B "$SHIP_VMLINUX" "$dir/$b.def" >/dev/null 2>&1 || bad_val="$bad_val $m"
		files+=("$dir/$b.def")
	fi
	if encode "$name/module/$m" "$dir/$b.compat" $COMPAT124 -B "$SHIP_VMLINUX" "$DBG_MODDIR/$m"; then
		"$canon" --items --fold-base-copies --labels shipped,btfkit -B "$SHIP_VMLINUX" "$ship" "$dir/$b.compat" \
			> "$dir/$b.citems" 2>&1
		funcs "$dir/$b.compat" "$SHIP_VMLINUX" > "$dir/$b.cfuncs"
		if dups_only "$dir/$b.citems" "$dir/$b.cfuncs" --fold-base-copies -B "$SHIP_VMLINUX" "$ship" \
			"$dir/$b.compat" >/dev/null; then
			eq_compat=$((eq_compat + 1))
		else
			bad_compat="$bad_compat $m"
		fi
	fi
	[ "$what" = sample ] || rm -f "$dir/$b".*
done
if [ -z "$bad_def" ] && [ $eq_def = $total ]; then
	pass "$name/modules-equal-but-func ($what: $eq_def of $total modules equal in every kind but FUNC; own types that copy a base type, folded: $copies_s in the shipped BTF, $copies_b in btfkit's)"
else
	fail "$name/modules-equal-but-func" "$eq_def of $total equal; differ:$(echo "$bad_def" | cut -c1-300)"
fi
if [ -z "$bad_compat" ] && [ $eq_compat = $total ]; then
	pass "$name/modules-compat124-equal ($what: $eq_compat of $total modules equal in every kind, but FUNCs pahole -j put in the shipped BTF twice)"
else
	fail "$name/modules-compat124-equal" "$eq_compat of $total equal; differ:$(echo "$bad_compat" | cut -c1-300)"
fi
if [ -z "$bad_val" ] && [ ${#files[@]} = $total ]; then
	pass "$name/modules-validate ($total modules)"
else
	fail "$name/modules-validate" "${#files[@]} of $total encoded; refused:$(echo "$bad_val" | cut -c1-300)"
fi
if [ ${#files[@]} -gt 0 ]; then
	out=$("$kload" -B "$SHIP_VMLINUX" "${files[@]}" 2>&1)
	case $? in
	0) pass "$name/kernel-loads-modules (${#files[@]} modules, each on the shipped vmlinux BTF)" ;;
	3) skip "$name/kernel-loads-modules" "$(printf '%s\n' "$out" | tail -1)" ;;
	*) fail "$name/kernel-loads-modules" "$(printf '%s\n' "$out" | grep -v '^ok' | head -2 | tr '\n' ' ')" ;;
	esac
fi
# FUNC differences of the sample modules, explained.
if [ "$what" = sample ]; then
	for m in $mods; do
		b=$(echo "$m" | tr / _)
		[ -f "$dir/$b.def" ] || continue
		"$canon" --items --fold-base-copies --labels shipped,btfkit -B "$SHIP_VMLINUX" "$SHIP_MODDIR/$m" "$dir/$b.def" \
			> "$dir/$b.items"
		funcs "$dir/$b.def" "$SHIP_VMLINUX" > "$dir/$b.funcs"
		func_report "$name/module-func/$m" "default features" "$dir/$b.items" "$dir/$b.def.log" \
			"$dir/$b.funcs"
	done
fi

# ---- determinism on modules --------------------------------------------------
bad=
for m in $DETERMINISM; do
	b=$(echo "$m" | tr / _)
	for j in 1 2 4; do
		encode "$name/module-j$j/$m" "$dir/$b.j$j" -j$j -B "$SHIP_VMLINUX" "$DBG_MODDIR/$m"
	done
	cmp -s "$dir/$b.j1" "$dir/$b.j2" && cmp -s "$dir/$b.j1" "$dir/$b.j4" || bad="$bad $m"
done
if [ -z "$bad" ]; then
	pass "$name/modules-deterministic ($(echo $DETERMINISM | wc -w) modules, -j1/-j2/-j4 identical bytes)"
else
	fail "$name/modules-deterministic" "outputs differ across -j:$bad"
fi
