#!/usr/bin/env bash
# btfkit diff: the two versions of tests/data/diff.bpf.c (every difference
# made on purpose; the golden text lists them), a file against itself
# (empty, exit 0), --types, --kinds, --json/--pretty (valid JSON with the
# same counts), -q, -o, split BTF against split BTF each on its own base
# (-B / --new-base), and the exit statuses: 0 equal, 1 different, 2 for
# usage errors and bad input (as diff(1)).
. "$BTFKIT_SRC/tests/lib.sh"
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
T="$BTFKIT_TEST_DATA"
O="$T/diff-old.bpf.o"
N="$T/diff-new.bpf.o"

cat > "$d/want" <<'EOT'
+struct added_later
~struct conn
	size: 56 -> 40
	-member name: char [16] (offset 16)
	+member flags: u32 (offset 4)
	~member addr4: offset 32 -> 16
	~member addr6: u32 [4] -> u64 [2]
	~member addr6: offset 32 -> 16
	~member state: offset 48 -> 32
	~member state.up: offset 48 -> 32
	~member state.busy: unsigned int:1 -> unsigned int:2
	~member state.busy: offset 48:1 -> 32:1
-struct gone
~enum level
	~value HIGH: 9 -> 10
	-value MAX = 20
	+value MID = 5
~typedef handle_t
	type: u32 -> u64
+typedef u64
~func work
	prototype: int (struct conn *, handle_t) -> long (struct conn *, handle_t, int)
+var s_added
-var s_gone
-int char
+int unsigned long long
4 added, 3 removed, 4 changed, 9 unchanged
EOT
"$BTFKIT" diff "$O" "$N" > "$d/out" 2> "$d/err"
rc=$?
if [ $rc -eq 1 ] && cmp -s "$d/out" "$d/want" && [ ! -s "$d/err" ]; then
	pass cli/diff-text
else
	fail cli/diff-text "rc=$rc $(diff "$d/want" "$d/out" | head -4 | tr '\n' ' ') $(head -1 "$d/err")"
fi

for f in "$O" "$N" "$T/sample.bpf.o"; do
	"$BTFKIT" diff "$f" "$f" > "$d/out" 2> "$d/err"
	rc=$?
	if [ $rc -eq 0 ] && grep -qx '0 added, 0 removed, 0 changed, [1-9][0-9]* unchanged' "$d/out" &&
		[ "$(wc -l < "$d/out")" -eq 1 ]; then
		pass "cli/diff-self-$(basename "$f")"
	else
		fail "cli/diff-self-$(basename "$f")" "rc=$rc $(head -2 "$d/out" "$d/err" | tr '\n' ' ')"
	fi
done

# filters: a plain name, "kind name", a comma list, --kinds
"$BTFKIT" diff -t 'struct conn' -t level,nosuch "$O" "$N" > "$d/out"
rc=$?
[ $rc -eq 1 ] && [ "$(grep -c '^[-+~]' "$d/out")" -eq 2 ] && grep -q '^~struct conn$' "$d/out" &&
	grep -q '^~enum level$' "$d/out" && tail -1 "$d/out" | grep -qx '0 added, 0 removed, 2 changed, 0 unchanged' &&
	pass cli/diff-types || fail cli/diff-types "rc=$rc $(tr '\n' ' ' < "$d/out")"
"$BTFKIT" diff --types 'union conn' "$O" "$N" > "$d/out"
rc=$?
[ $rc -eq 0 ] && grep -qx '0 added, 0 removed, 0 changed, 0 unchanged' "$d/out" &&
	pass cli/diff-types-kind || fail cli/diff-types-kind "rc=$rc $(cat "$d/out")"
"$BTFKIT" diff --kinds enum,typedef "$O" "$N" > "$d/out"
rc=$?
[ $rc -eq 1 ] && [ "$(grep '^[-+~]' "$d/out" | tr '\n' ' ')" = "~enum level ~typedef handle_t +typedef u64 " ] &&
	pass cli/diff-kinds || fail cli/diff-kinds "rc=$rc $(tr '\n' ' ' < "$d/out")"
"$BTFKIT" diff -k func -t work "$O" "$O" > "$d/out"
rc=$?
[ $rc -eq 0 ] && grep -qx '0 added, 0 removed, 0 changed, 1 unchanged' "$d/out" &&
	pass cli/diff-kinds-equal || fail cli/diff-kinds-equal "rc=$rc $(cat "$d/out")"

# JSON: valid, the same counts as the text; --pretty implies --json
if command -v python3 >/dev/null; then
	for p in "" --pretty; do
		"$BTFKIT" diff ${p:---json} "$O" "$N" > "$d/out"
		rc=$?
		if [ $rc -eq 1 ] && python3 - "$d/out" <<'EOP'; then
import json, sys
d = json.load(open(sys.argv[1]))
assert (d["added"], d["removed"], d["changed"], d["unchanged"]) == (4, 3, 4, 9), d
conn = [t for t in d["types"] if t["name"] == "conn"][0]
assert conn["op"] == "~" and conn["kind"] == "struct", conn
w = {(c["what"], c.get("name")) for c in conn["changes"]}
assert ("member_added", "flags") in w and ("member_removed", "name") in w, w
assert ("member_retyped", "addr6") in w and ("member_moved", "state.up") in w, w
assert {"what": "size", "old": 56, "new": 40} in conn["changes"], conn
EOP
			pass "cli/diff-json${p:+-pretty}"
		else
			fail "cli/diff-json${p:+-pretty}" "rc=$rc $(head -c 300 "$d/out")"
		fi
	done
else
	skip cli/diff-json "python3 not installed"
fi

# -q: nothing printed, the status says; -o: the text in a file
"$BTFKIT" diff -q "$O" "$N" > "$d/out" 2>&1
rc=$?
"$BTFKIT" diff -q "$O" "$O" >> "$d/out" 2>&1
rc2=$?
[ $rc -eq 1 ] && [ $rc2 -eq 0 ] && [ ! -s "$d/out" ] && pass cli/diff-quiet || fail cli/diff-quiet "rc=$rc/$rc2 $(head -2 "$d/out")"
"$BTFKIT" diff -o "$d/file" "$O" "$N" > "$d/out"
rc=$?
[ $rc -eq 1 ] && cmp -s "$d/file" "$d/want" && [ ! -s "$d/out" ] && pass cli/diff-output ||
	fail cli/diff-output "rc=$rc"

# split against split, each on its own base: NEW's types on OLD's base and
# OLD's on NEW's; the diff of the two is the text above reversed
"$BTFKIT" dedup -B "$O" -o "$d/split-new-on-old" "$N" &&
	"$BTFKIT" dedup -B "$N" -o "$d/split-old-on-new" "$O"
"$BTFKIT" diff -B "$O" "$d/split-new-on-old" --new-base "$N" "$d/split-old-on-new" > "$d/out" 2> "$d/err"
rc=$?
"$BTFKIT" diff "$N" "$O" | grep -v unchanged > "$d/rev"
if [ $rc -eq 1 ] && [ "$(grep -v unchanged "$d/out")" = "$(cat "$d/rev")" ] &&
	grep -q '^~struct conn$' "$d/out"; then
	pass cli/diff-split
else
	fail cli/diff-split "rc=$rc $(diff "$d/rev" "$d/out" | head -4 | tr '\n' ' ') $(head -1 "$d/err")"
fi
"$BTFKIT" diff -B "$O" "$d/split-new-on-old" "$d/split-new-on-old" > "$d/out" 2> "$d/err"
rc=$?
[ $rc -eq 0 ] && grep -qx '0 added, 0 removed, 0 changed, [1-9][0-9]* unchanged' "$d/out" &&
	pass cli/diff-split-self || fail cli/diff-split-self "rc=$rc $(cat "$d/out" "$d/err" | head -2)"

# exit statuses: usage errors and bad input are 2 (1 means different)
usage_case() {
	local t="$1"
	shift
	"$BTFKIT" diff "$@" > "$d/out" 2> "$d/err"
	local rc=$?
	if [ $rc -eq 2 ] && [ -s "$d/err" ] && [ ! -s "$d/out" ]; then
		pass "cli/diff-$t"
	else
		fail "cli/diff-$t" "rc=$rc $(head -1 "$d/err")"
	fi
}
usage_case usage-one-file "$O"
usage_case usage-three-files "$O" "$N" "$N"
usage_case usage-bad-kind --kinds struct,class "$O" "$N"
usage_case usage-empty-type --types '' "$O" "$N"
usage_case bad-input "$O" "$d/nosuch"
printf 'not BTF at all' > "$d/junk"
usage_case junk-input "$d/junk" "$N"
grep -q "$d/junk" "$d/err" && pass cli/diff-junk-names-file || fail cli/diff-junk-names-file "$(head -1 "$d/err")"
"$BTFKIT" diff --json "$O" "$d/nosuch" > "$d/out" 2> "$d/err"
rc=$?
[ $rc -eq 2 ] && grep -q '^{"error":".*nosuch' "$d/out" && pass cli/diff-json-error || fail cli/diff-json-error "rc=$rc $(cat "$d/out")"
"$BTFKIT" diff --help | grep -q -- '--new-base' && pass cli/diff-help || fail cli/diff-help "no --new-base in --help"
