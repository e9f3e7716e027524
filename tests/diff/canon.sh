#!/usr/bin/env bash
# The canonical BTF comparison (build/tests/btf_canon, the encoder tests'
# oracle) proven on writer-built pairs with known edits (canon_pairs): for
# each case the exact `--brief` report for A against B, the mirrored report
# for B against A (only-a and only-b swapped), the exit status (0 equal,
# 1 differ), and A and B each equal to itself (all in one --batch run). Then
# the member-wise listing and the usage errors.
. "$BTFKIT_SRC/tests/lib.sh"
canon="$BTFKIT_BUILD/tests/btf_canon"
pairs="$BTFKIT_BUILD/tests/canon_pairs"
need_helper diff/canon "$canon" || exit 0
need_helper diff/canon "$pairs" || exit 0
dir=$(tmpdir)
trap 'rm -rf "$dir"' EXIT
if ! "$pairs" "$dir" >/dev/null; then
	fail diff/canon "canon_pairs could not write the pairs"
	exit 0
fi
# mirror TEXT: the --brief report seen from the other side (only-a and
# only-b values swapped), into $mirrored. Pure bash: this loop runs ~200
# times and forks are slow on a loaded machine.
mirror() {
	local line out=
	while IFS= read -r line; do
		[[ $line =~ ^(.*)only-a=([0-9]+)\ only-b=([0-9]+)(.*)$ ]] &&
			line="${BASH_REMATCH[1]}only-a=${BASH_REMATCH[3]} only-b=${BASH_REMATCH[2]}${BASH_REMATCH[4]}"
		out+="$line"$'\n'
	done <<< "$1"
	mirrored=${out%$'\n'}
}
# One btf_canon --batch run does every comparison: per case A:B, B:A, A:A
# and B:B, in this order, each answered by its output and "== exit N".
cases=()
batch=
for exp in "$dir"/*.expect; do
	c=${exp##*/}
	c=${c%.expect}
	cases+=("$c")
	args=
	read -r args < "$dir/$c.args" || true
	base=
	[ -f "$dir/$c.base.btf" ] && base="-B $dir/$c.base.btf"
	a="$dir/$c.a.btf" b="$dir/$c.b.btf"
	batch+="--brief $base $args $a $b"$'\n'"--brief $base $args $b $a"$'\n'
	batch+="--brief $base $a $a"$'\n'"--brief $base $b $b"$'\n'
done
canon_batch "$canon" "$batch"
k=0
for c in "${cases[@]}"; do
	want=
	IFS= read -r -d '' want < "$dir/$c.expect" || true
	want=${want%$'\n'}
	mirror "$want"
	bad=
	for w in "$want" "$mirrored" "" ""; do
		# equal (0) when nothing but folded base copies or ignored kinds is reported
		wrc=0
		while IFS= read -r l; do
			[[ -z $l || $l == BASE-COPIES* || $l == *'(ignored) '* ]] || wrc=1
		done <<< "$w"
		if [ "${CANON_OUT[$k]-missing}" != "$w" ] || [ "${CANON_RC[$k]-}" != $wrc ]; then
			bad="$bad; check $((k % 4 + 1)) of 4 (A:B B:A A:A B:B): exit ${CANON_RC[$k]-none}, got [${CANON_OUT[$k]//$'\n'/|}] want [${w//$'\n'/|}]"
		fi
		k=$((k + 1))
	done
	if [ -z "$bad" ]; then
		pass "diff/canon/$c${want:+ (${want//$'\n'/, })}"
	else
		fail "diff/canon/$c" "${bad#; }"
	fi
done
# The listing names what differs, member by member.
out=$("$canon" "$dir/member-type.a.btf" "$dir/member-type.b.btf")
if printf '%s\n' "$out" | grep -qx "  - b: 'long int' @64" &&
   printf '%s\n' "$out" | grep -qx "  + b: int @64" &&
   printf '%s\n' "$out" | grep -q '^result: differ'; then
	pass diff/canon/listing
else
	fail diff/canon/listing "$(printf '%s' "$out" | head -5 | tr '\n' '|')"
fi
# An entry only on one side whose name the other side has too says so.
out=$("$canon" --items "$dir/duplicate-named.a.btf" "$dir/duplicate-named.b.btf")
if [ "$out" = "STRUCT foo: only in B (same name in A)" ]; then
	pass diff/canon/items-same-name
else
	fail diff/canon/items-same-name "got [$out]"
fi
# Usage errors exit 2.
"$canon" "$dir/member-type.a.btf" >/dev/null 2>&1
rc1=$?
"$canon" --ignore NOSUCHKIND "$dir/member-type.a.btf" "$dir/member-type.b.btf" >/dev/null 2>&1
rc2=$?
"$canon" "$dir/member-type.a.btf" "$dir/nonexistent" >/dev/null 2>&1
rc3=$?
if [ $rc1 -eq 2 ] && [ $rc2 -eq 2 ] && [ $rc3 -eq 2 ]; then
	pass diff/canon/usage
else
	fail diff/canon/usage "exit $rc1 (one file), $rc2 (bad kind), $rc3 (missing file); want 2"
fi
