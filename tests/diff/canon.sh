#!/usr/bin/env bash
# The canonical BTF comparison (build/tests/btf_canon, the encoder tests'
# oracle) proven on writer-built pairs with known edits (canon_pairs): for
# each case the exact `--brief` report for A against B, the mirrored report
# for B against A (only-a and only-b swapped), the exit status (0 equal,
# 1 differ), and A and B each equal to itself. Then the full listing on a
# real split pair (a corpus module against itself, and against another).
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
mirror() { sed -E 's/only-a=([0-9]+) only-b=([0-9]+)/only-a=\2 only-b=\1/'; }
for exp in "$dir"/*.expect; do
	c=$(basename "$exp" .expect)
	read -r -a args < "$dir/$c.args" || true
	base=()
	[ -f "$dir/$c.base.btf" ] && base=(-B "$dir/$c.base.btf")
	want=$(cat "$exp")
	bad=
	for dirn in ab ba; do
		if [ $dirn = ab ]; then
			x="$dir/$c.a.btf" y="$dir/$c.b.btf" w="$want"
		else
			x="$dir/$c.b.btf" y="$dir/$c.a.btf" w=$(printf '%s\n' "$want" | mirror)
		fi
		got=$("$canon" --brief "${base[@]}" "${args[@]}" "$x" "$y" 2>&1)
		rc=$?
		wrc=1; [ -z "$w" ] && wrc=0
		if [ "$got" != "$w" ] || [ $rc -ne $wrc ]; then
			bad="$bad; $dirn: exit $rc, got [$(printf '%s' "$got" | tr '\n' '|')] want [$(printf '%s' "$w" | tr '\n' '|')]"
		fi
	done
	for f in a b; do
		got=$("$canon" --brief "${base[@]}" "$dir/$c.$f.btf" "$dir/$c.$f.btf" 2>&1)
		[ $? -eq 0 ] && [ -z "$got" ] || bad="$bad; $f against itself: [$got]"
	done
	if [ -z "$bad" ]; then
		pass "diff/canon/$c${want:+ (}$(printf '%s' "$want" | tr '\n' ',' | sed 's/,$//')${want:+)}"
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
