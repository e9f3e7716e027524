#!/usr/bin/env bash
# The encoder's kernel tier (issue 11): Debian's 6.1.0-50-cloud-amd64 -dbg
# vmlinux and modules (DWARF) encoded by `btfkit encode`, against the BTF
# Debian shipped in the matching -unsigned package (made by pahole 1.24 with
# --btf_gen_floats -j --lang_exclude=rust; scripts/fetch-corpus-dbg).
#
# The reference first (runs without the encoder): pahole 1.24 itself, run on
# the -dbg files with those flags but without -j, gives the shipped BTF
# canonically, but for what pahole's -j changed: it keeps "first unit wins"
# per thread, so a function defined in units that two threads encoded got
# two FUNCs (463 in vmlinux, the name being in both BTFs; 7 modules), and
# in a few modules the threads' order changed what dedup merged (earlier
# runs named lockd, nfsd and sctp; the corpus-wide run of session 4 found
# only lockd, 1,120 of 1,121 being identical). Those modules are compared
# with pahole's single-threaded output instead, and counted apart.
#
# Then, for vmlinux and each module of a fixed sample (BTFKIT_CORPUS_ALL=1:
# every module of the package, for the corpus-wide target):
#  - default features (the current kernel's function rules): canonically
#    equal to the shipped BTF in every kind but FUNC; every FUNC difference
#    explained: a FUNC only in the shipped BTF is a -j duplicate (its name is
#    in btfkit's output too) or was skipped by a named rule (a "skip FUNC
#    NAME: REASON" line of `btfkit encode -v`); one only in btfkit's comes
#    from a rule pahole 1.24 lacks ("FUNC NAME from symbol SYM"). Counts per
#    rule are reported;
#  - pahole 1.24's features (--features var,float,decl_tag,type_tag,enum64;
#    make check: three small modules, the corpus-wide run: vmlinux and every
#    module): equal in every kind, FUNC included, but for the -j duplicates;
#  - modules are split BTF on the shipped vmlinux BTF; their comparisons fold
#    own types that are exact copies of base types (btf_canon
#    --fold-base-copies: libbpf 1.1's dedup under pahole left e.g. a copy of
#    struct module in 8021q's BTF) and report how many each side has;
#  - a module listed in KNOWN differs for the reason given there: each of its
#    differences (FUNCs but for -j duplicates too, in pahole 1.24's mode) must
#    name one of the listed types, and it must still differ (corpus-wide: it
#    is not in the sample);
#  - dedup is a fixed point: `btfkit dedup -B` of each module's output gives
#    the same bytes;
#  - `btfkit validate` and the running kernel (BPF_BTF_LOAD, through
#    build/tests/btf_kload; skipped when not permitted) accept every output;
#  - determinism: three modules give identical bytes at -j1, -j2 and -j4,
#    vmlinux at -j2 and -j4 (and -j1 in the corpus-wide run: ~14 s under
#    ASan). (pahole 1.24 is not deterministic at -j: not tested.)
# make check's share is ~60 s on a quiet machine under ASan: three vmlinux
# encodes dominate it.
. "$BTFKIT_SRC/tests/lib.sh"
in_tier corpus/encode-kernel || exit 0
[ "$BTFKIT_TIER" = corpus ] && BTFKIT_CORPUS_ALL=1
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
# The reference in make check: small modules, one with -j duplicate FUNCs.
REF_SAMPLE="kernel/net/8021q/8021q.ko kernel/drivers/net/tun.ko kernel/drivers/md/dm-mod.ko"
DETERMINISM="kernel/fs/xfs/xfs.ko kernel/net/netfilter/nf_tables.ko kernel/net/8021q/8021q.ko"
ALL=${BTFKIT_CORPUS_ALL:-0}
dir=$(tmpdir)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/ref"
if [ "$ALL" = 1 ]; then
	mods=$(cat "$DBG_MODLIST") ref_mods=$mods what="every module"
else
	mods=$SAMPLE ref_mods=$REF_SAMPLE what="sample"
fi
key() { echo "${1//\//_}"; }

# Modules whose BTF differs from the shipped one for a known reason, and the
# types (an extended regex) every difference must name.
#  libnvdimm: split struct nvdimm (full) where the base has FWD nvdimm, which
#  base struct nvdimm_bus_descriptor reaches through typedef ndctl_fn. libbpf's
#  rule refuses the first split type whose match needs that base FWD resolved
#  (hypot_adjust_canon), but points the base FWD at the split struct, and
#  later walks then take the match (its resolve step): the first walk keeps a
#  copy (btfkit walks it again, strictly, and keeps it when its own graph
#  needs the FWD, as here), the later ones map onto the base (tests/unit/test_dedup.c,
#  dedup_split_base_fwd_resolved_*; libbpf 1.1 agrees on both orders).
#  libbpf 1.1 dedups typedefs in its reference phase, so its first walk is
#  the struct's: it keeps an own nvdimm_bus_descriptor (and nvdimm_bus, the
#  pointers and protos to it). btfkit, as libbpf since 2025-11, walks typedefs
#  with structs: typedef ndctl_fn comes first and keeps the copy, the struct
#  then maps onto the base's. Same rule, another order; refusing every later
#  match too would leave e.g. 8021q with 870 base copies (net_device reaches
#  FWD garp_port), against 12 in the shipped BTF.
#  sctp: the shipped BTF keeps a copy of base struct sctp_association that
#  libbpf 1.1's dedup left, and through it a second typedef sctp_state_fn_t
#  (its pointer, a prototype) that btf_canon --fold-base-copies does not
#  fold (it folds only types the base has). libbpf 1.1's own second dedup
#  of the shipped BTF removes them (1386 -> 1369 types); btfkit has neither.
declare -A KNOWN=(
	[kernel/drivers/nvdimm/libnvdimm.ko]='nvdimm_bus|ndctl_fn|to_nd_desc'
	[kernel/net/sctp/sctp.ko]='sctp_state_fn_t|sctp_association'
)
nknown_def=0 nknown_compat=0 stale=
# known_only M ITEMS: M is in KNOWN and every difference in ITEMS (but base
# copies and -j duplicate FUNCs) names one of its types.
known_only() {
	[ -n "${KNOWN[$1]:-}" ] || return 1
	! grep -v -e '^BASE-COPIES ' -e ': only in shipped (same name in [a-z]*)$' "$2" |
		grep -Ev "${KNOWN[$1]}" | grep -q .
}

# dups_only ITEMS BASE A B: compares A (the shipped BTF) with B, split on
# BASE when it is not empty (then folding copies of base types), with
# btf_canon --items --ignore FUNC --list-ignored into ITEMS. They must be
# equal but for FUNCs only in A of a name B has too: pahole 1.24 -j
# duplicates (their FUNC_PROTOs go with them). Prints how many.
dups_only() {
	local items="$1" base=()
	[ -n "$2" ] && base=(--fold-base-copies -B "$2")
	"$canon" --items --ignore FUNC --list-ignored --labels shipped,other "${base[@]}" "$3" "$4" \
		> "$items" 2>&1 || return 1
	grep -v '^BASE-COPIES ' "$items" | grep -v '^FUNC .*: only in shipped (same name in other)$' |
		grep -q . && return 1
	grep -c '^FUNC ' "$items" || true
}

# ---- the reference: pahole 1.24 on the -dbg files gives the shipped BTF -----
# jdiff: modules whose shipped BTF pahole -j made differ (compared with
# $dir/ref/KEY.btf, pahole's single-threaded output, instead).
jdiff=" "
if command -v pahole >/dev/null; then
	PAHOLE_FLAGS=(--btf_gen_floats --lang_exclude=rust)
	eq=0 n=0 ndup=0
	for m in $ref_mods; do
		n=$((n + 1))
		r="$dir/ref/$(key "$m").btf"
		pahole -J "${PAHOLE_FLAGS[@]}" --btf_base "$SHIP_VMLINUX" --btf_encode_detached="$r" \
			"$DBG_MODDIR/$m" >/dev/null 2>&1
		if d=$(dups_only "$dir/ref.items" "$SHIP_VMLINUX" "$SHIP_MODDIR/$m" "$r"); then
			eq=$((eq + 1))
			[ "$d" = 0 ] || ndup=$((ndup + 1))
			[ "$ALL" = 1 ] || rm -f "$r"
		else
			jdiff="$jdiff$m "
		fi
	done
	if [ "$ALL" = 1 ] || [ "$jdiff" = " " ]; then
		note="$eq of $n, $what, $ndup of them but for FUNCs pahole -j put in twice"
		[ "$jdiff" = " " ] || note="$note; changed otherwise by pahole -j:${jdiff% }"
		pass "$name/reference-modules (pahole 1.24 without -j on the -dbg modules = shipped BTF: $note)"
	else
		fail "$name/reference-modules" "pahole 1.24 differs from the shipped BTF for:$jdiff"
	fi
	if [ "$ALL" = 1 ]; then
		r="$dir/ref/vmlinux.btf"
		pahole -J "${PAHOLE_FLAGS[@]}" --btf_encode_detached="$r" "$DBG_VMLINUX" >/dev/null 2>&1
		if d=$(dups_only "$dir/ref.items" "" "$SHIP_VMLINUX" "$r"); then
			pass "$name/reference-vmlinux (pahole 1.24 without -j = shipped BTF but for $d FUNCs pahole -j put in twice)"
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

# func_diffs ITEMS LOG [KNOWN]: sort the FUNC differences (btf_canon --items,
# shipped against btfkit) into F_DUP (only in shipped, a FUNC of that name in
# btfkit's: a pahole -j duplicate), F_SKIP (only in shipped, "skip FUNC
# NAME: " in LOG, btfkit's -v report), F_ADD (only in btfkit, "FUNC NAME
# from symbol " in LOG) and F_BAD (unexplained, and differing FUNCs but
# those whose name matches KNOWN, the module's regex in KNOWN).
F_DUP=0 F_SKIP=0 F_ADD=0 F_BAD=
func_diffs() {
	local items="$1" log="$2" known="${3:-}" line f
	while IFS= read -r line; do
		f=${line#FUNC }
		f=${f%%:*}
		case "$line" in
		*": only in shipped (same name in btfkit)")
			F_DUP=$((F_DUP + 1)) ;;
		*": only in shipped")
			if grep -qF "skip FUNC $f: " "$log"; then
				F_SKIP=$((F_SKIP + 1))
			else
				F_BAD="$F_BAD -$f"
			fi ;;
		*": only in btfkit")
			if grep -qF "FUNC $f from symbol " "$log"; then
				F_ADD=$((F_ADD + 1))
			else
				F_BAD="$F_BAD +$f"
			fi ;;
		*": differs")
			[ -n "$known" ] && [[ $f =~ $known ]] || F_BAD="$F_BAD ~$f" ;;
		*) F_BAD="$F_BAD ~$f" ;;
		esac
	done < <(grep '^FUNC ' "$items")
}

# func_report NAME NOTE LOG...: PASS with the FUNC counts and the -v skip
# lines per rule, or FAIL naming the unexplained FUNCs.
func_report() {
	local n="$1" note="$2" reasons
	shift 2
	reasons=$(cat "$@" | sed -n 's/.*skip FUNC [^:]*: \([a-z_-]*\).*/\1/p' | sort | uniq -c |
		awk '{ printf "%s%s %s", sep, $1, $2; sep = ", " }')
	if [ -n "$F_BAD" ]; then
		fail "$n" "FUNC differences without a reason (-NAME only shipped, +NAME only btfkit, ~NAME differing):$(echo "$F_BAD" | cut -c1-400)"
	else
		pass "$n ($note; FUNC: $F_DUP put in twice by pahole -j, $F_SKIP skipped by btfkit's rules, $F_ADD only in btfkit; -v skip lines per rule: ${reasons:-none})"
	fi
	F_DUP=0 F_SKIP=0 F_ADD=0 F_BAD=
}

# ---- vmlinux -----------------------------------------------------------------
t0=$(date +%s%N)
if encode "$name/vmlinux" "$dir/vmlinux.j2" -v -j2 "$DBG_VMLINUX"; then
	t1=$(date +%s%N)
	if "$canon" --items --ignore FUNC --list-ignored --labels shipped,btfkit "$SHIP_VMLINUX" \
		"$dir/vmlinux.j2" > "$dir/v.items" 2>&1; then
		func_diffs "$dir/v.items" "$dir/vmlinux.j2.log"
		func_report "$name/vmlinux-equal-but-func" \
			"encode -j2 $(awk "BEGIN { printf \"%.1f\", ($t1 - $t0) / 1e9 }") s on the $BUILD build" \
			"$dir/vmlinux.j2.log"
	else
		fail "$name/vmlinux-equal-but-func" "$(grep -v '^FUNC ' "$dir/v.items" | head -5 | tr '\n' ' ')"
	fi
fi
vfiles=("$dir/vmlinux.j2")
if [ "$ALL" = 1 ] && encode "$name/vmlinux-compat124" "$dir/vmlinux.compat" $COMPAT124 -j2 "$DBG_VMLINUX"; then
	if d=$(dups_only "$dir/c.items" "" "$SHIP_VMLINUX" "$dir/vmlinux.compat"); then
		pass "$name/vmlinux-compat124-equal (pahole 1.24's features: every kind equal, FUNC too but for $d FUNCs pahole -j put in twice)"
	else
		fail "$name/vmlinux-compat124-equal" "$(grep -v ': only in shipped$' "$dir/c.items" | head -3 | tr '\n' ' ')"
	fi
	vfiles+=("$dir/vmlinux.compat")
fi
# -j4 against -j2 (make check: ~10 s each under ASan), -j1 too corpus-wide.
js="4"
[ "$ALL" = 1 ] && js="1 4"
same=1
for j in $js; do
	encode "$name/vmlinux-j$j" "$dir/vmlinux.j$j" -j$j "$DBG_VMLINUX"
	cmp -s "$dir/vmlinux.j2" "$dir/vmlinux.j$j" || same=0
	rm -f "$dir/vmlinux.j$j"
done
if [ $same = 1 ]; then
	pass "$name/vmlinux-deterministic (-j2 and -j${js// /, -j}: identical bytes, $(wc -c < "$dir/vmlinux.j2") bytes)"
else
	fail "$name/vmlinux-deterministic" "the outputs at -j2 and -j${js// /, -j} differ (or one is missing)"
fi
for f in "${vfiles[@]}"; do
	[ -f "$f" ] || continue
	if out=$("$BTFKIT" validate "$f" 2>&1); then
		pass "$name/validate-${f##*/}"
	else
		fail "$name/validate-${f##*/}" "$(printf '%s' "$out" | head -3 | tr '\n' ' ')"
	fi
done
out=$("$kload" "${vfiles[@]}" 2>&1)
case $? in
0) pass "$name/kernel-loads-vmlinux (BPF_BTF_LOAD of ${#vfiles[@]} outputs)" ;;
3) skip "$name/kernel-loads-vmlinux" "$(printf '%s\n' "$out" | tail -1)" ;;
*) fail "$name/kernel-loads-vmlinux" "$(printf '%s\n' "$out" | grep -v '^ok' | head -2 | tr '\n' ' ')" ;;
esac

# ---- modules: split on the shipped vmlinux BTF ----------------------------
# versus: A, the BTF compared with: the shipped one, or pahole's own when
# pahole -j changed the shipped one (jdiff).
total=0 ncompat=0 eq_def=0 eq_compat=0 by_ref=0 copies_s=0 copies_b=0
bad_def= bad_compat= bad_val= files=() logs=()
for m in $mods; do
	total=$((total + 1))
	b="$dir/$(key "$m")"
	ship="$SHIP_MODDIR/$m"
	versus=$ship
	if [ "${jdiff/ $m /}" != "$jdiff" ]; then
		versus="$dir/ref/$(key "$m").btf"
		by_ref=$((by_ref + 1))
	fi
	if encode "$name/module/$m" "$b.def" -v -B "$SHIP_VMLINUX" "$DBG_MODDIR/$m"; then
		if "$canon" --items --fold-base-copies --ignore FUNC --list-ignored --labels shipped,btfkit \
			-B "$SHIP_VMLINUX" "$versus" "$b.def" > "$b.items" 2>&1; then
			eq_def=$((eq_def + 1))
			if read -r _ ca cb < <(grep '^BASE-COPIES ' "$b.items"); then
				copies_s=$((copies_s + ${ca#only-a=}))
				copies_b=$((copies_b + ${cb#only-b=}))
			fi
			[ -z "${KNOWN[$m]:-}" ] || stale="$stale $m"
		elif grep -v '^FUNC ' "$b.items" > "$b.nofunc" && known_only "$m" "$b.nofunc"; then
			nknown_def=$((nknown_def + 1))
		else
			bad_def="$bad_def $m"
		fi
		rm -f "$b.nofunc"
		func_diffs "$b.items" "$b.def.log" "${KNOWN[$m]:-}"
		rm -f "$b.items"
		[ "$ALL" = 1 ] || func_report "$name/module-func/$m" "default features" "$b.def.log"
		"$BTFKIT" validate -B "$SHIP_VMLINUX" "$b.def" >/dev/null 2>&1 || bad_val="$bad_val $m"
		files+=("$b.def")
		logs+=("$b.def.log")
	fi
	if [ "$ALL" = 1 ] || [ "${REF_SAMPLE/$m/}" != "$REF_SAMPLE" ]; then
		ncompat=$((ncompat + 1))
	else
		continue
	fi
	if encode "$name/module/$m" "$b.compat" $COMPAT124 -B "$SHIP_VMLINUX" "$DBG_MODDIR/$m"; then
		if dups_only "$b.citems" "$SHIP_VMLINUX" "$versus" "$b.compat" >/dev/null; then
			eq_compat=$((eq_compat + 1))
		elif known_only "$m" "$b.citems"; then
			nknown_compat=$((nknown_compat + 1))
		else
			bad_compat="$bad_compat $m"
		fi
		rm -f "$b.compat" "$b.citems"
	fi
done
[ "$ALL" = 1 ] && func_report "$name/modules-func" "$total modules, default features" "${logs[@]}"
note="$what: $eq_def of $total modules equal in every kind but FUNC"
[ $by_ref = 0 ] || note="$note ($by_ref of them to pahole's own BTF, where pahole -j changed the shipped one)"
[ $nknown_def = 0 ] || note="$note, $nknown_def differing only as KNOWN lists"
[ -z "$stale" ] || fail "$name/modules-known" "listed in KNOWN but equal now (remove them):$stale"
if [ -z "$bad_def" ] && [ $((eq_def + nknown_def)) = $total ]; then
	pass "$name/modules-equal-but-func ($note; own types that copy a base type, folded: $copies_s in the shipped BTF, $copies_b in btfkit's)"
else
	fail "$name/modules-equal-but-func" "$eq_def of $total equal; differ:$(echo "$bad_def" | cut -c1-300)"
fi
if [ -z "$bad_compat" ] && [ $((eq_compat + nknown_compat)) = $ncompat ]; then
	pass "$name/modules-compat124-equal ($eq_compat of $ncompat modules equal in every kind, FUNC too but for the ones pahole -j put in twice; $nknown_compat differing only as KNOWN lists)"
else
	fail "$name/modules-compat124-equal" "$eq_compat of $ncompat equal; differ:$(echo "$bad_compat" | cut -c1-300)"
fi
if [ -z "$bad_val" ] && [ ${#files[@]} = $total ]; then
	pass "$name/modules-validate ($total modules)"
else
	fail "$name/modules-validate" "${#files[@]} of $total encoded; refused:$(echo "$bad_val" | cut -c1-300)"
fi
# dedup is a fixed point: deduplicating an output again changes no byte
bad_fp=
for f in "${files[@]}"; do
	"$BTFKIT" dedup -B "$SHIP_VMLINUX" -o "$f.again" "$f" >/dev/null 2>&1 && cmp -s "$f" "$f.again" ||
		bad_fp="$bad_fp ${f##*/}"
	rm -f "$f.again"
done
if [ ${#files[@]} -gt 0 ] && [ -z "$bad_fp" ]; then
	pass "$name/modules-dedup-fixed-point (${#files[@]} modules: btfkit dedup -B of the output gives the same bytes)"
elif [ ${#files[@]} -gt 0 ]; then
	fail "$name/modules-dedup-fixed-point" "a second dedup changes:$(echo "$bad_fp" | cut -c1-300)"
fi
if [ ${#files[@]} -gt 0 ]; then
	out=$("$kload" -B "$SHIP_VMLINUX" "${files[@]}" 2>&1)
	case $? in
	0) pass "$name/kernel-loads-modules (${#files[@]} modules, each on the shipped vmlinux BTF)" ;;
	3) skip "$name/kernel-loads-modules" "$(printf '%s\n' "$out" | tail -1)" ;;
	*) fail "$name/kernel-loads-modules" "$(printf '%s\n' "$out" | grep -v '^ok' | head -2 | tr '\n' ' ')" ;;
	esac
fi

# ---- determinism on modules --------------------------------------------------
bad=
for m in $DETERMINISM; do
	b="$dir/$(key "$m")"
	for j in 2 4; do # -j1 (the default) made $b.def above
		encode "$name/module-j$j/$m" "$b.j$j" -j$j -B "$SHIP_VMLINUX" "$DBG_MODDIR/$m"
	done
	cmp -s "$b.def" "$b.j2" && cmp -s "$b.def" "$b.j4" || bad="$bad $m"
done
if [ -z "$bad" ]; then
	pass "$name/modules-deterministic ($(echo $DETERMINISM | wc -w) modules, -j1/-j2/-j4 identical bytes)"
else
	fail "$name/modules-deterministic" "outputs differ across -j:$bad"
fi
