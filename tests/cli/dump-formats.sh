#!/usr/bin/env bash
# btfkit dump --format c|json and its options on the shipped sample object,
# checked against golden outputs of bpftool 7.1 (tests/data/sample.bpf.o.h,
# .json, .pretty.json), plus --types, --sort, --split-only/multi-file usage
# errors, JSON errors, -o and stats --json.
. "$BTFKIT_SRC/tests/lib.sh"
S="$BTFKIT_TEST_DATA/sample.bpf.o"
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT

check_same() { # NAME EXPECTED_FILE COMMAND...
	local name="$1" exp="$2"
	shift 2
	if ! "$@" > "$d/out" 2> "$d/err"; then
		fail "$name" "exit $?: $(head -1 "$d/err")"
	elif cmp -s "$exp" "$d/out"; then
		pass "$name"
	else
		fail "$name" "output differs: $(diff "$exp" "$d/out" | head -3 | tr '\n' ' ')"
	fi
}

check_same cli/dump-c-sample "$S.h" "$BTFKIT" dump -f c "$S"
check_same cli/dump-json-sample "$S.json" "$BTFKIT" dump --format json "$S"
check_same cli/dump-json-pretty-sample "$S.pretty.json" "$BTFKIT" dump -f json --pretty "$S"
check_same cli/dump-c-output-file /dev/null "$BTFKIT" dump -f c -o "$d/o.h" "$S"
cmp -s "$d/o.h" "$S.h" && pass cli/dump-c-output-file-content || fail cli/dump-c-output-file-content "-o file differs"

# --types: struct sample and what it needs, in order, nothing else
"$BTFKIT" dump -f c --types 'struct sample' "$S" > "$d/t.h"
got=$(grep -E '^(struct|union|enum|typedef) ' "$d/t.h" | tr '\n' '|')
want='struct list_head {|typedef unsigned int u32;|union value {|enum color {|enum big {|struct opaque;|typedef _Bool bool;|typedef unsigned long long u64;|struct sample {|'
[ "$got" = "$want" ] && pass cli/dump-types || fail cli/dump-types "got $got"
"$BTFKIT" dump -f c --types packed_s,u32 "$S" | grep -E '^(struct|typedef) ' | tr '\n' '|' > "$d/t2"
[ "$(cat "$d/t2")" = 'struct packed_s {|typedef unsigned int u32;|' ] && pass cli/dump-types-list ||
	fail cli/dump-types-list "got $(cat "$d/t2")"
if command -v clang >/dev/null; then
	clang -target bpf -fsyntax-only "$d/t.h" 2> "$d/err" && pass cli/dump-types-compiles ||
		fail cli/dump-types-compiles "$(head -1 "$d/err")"
fi
"$BTFKIT" dump -f c --types 'struct nope' "$S" > "$d/out" 2> "$d/err"; rc=$?
[ $rc -eq 1 ] && [ "$(cat "$d/err")" = "btfkit: $S: no type named 'struct nope'" ] && [ ! -s "$d/out" ] &&
	pass cli/dump-types-unknown || fail cli/dump-types-unknown "rc=$rc err=$(cat "$d/err")"

# --sort: named enums first (rank 1, by name), then ints and floats (rank 2)
# with the typedefs of them (sorted by their target's name, '_' < 'a')
got=$("$BTFKIT" dump --sort "$S" | grep '^\[' | head -6 | cut -d' ' -f1-3 | tr '\n' '|')
want="[21] ENUM 'big'|[20] ENUM 'color'|[45] ENUM 'fwd_only'|[28] INT '_Bool'|[27] TYPEDEF 'bool'|[13] INT '__ARRAY_SIZE_TYPE__'|"
[ "$got" = "$want" ] && pass cli/dump-sort-raw || fail cli/dump-sort-raw "got $got"
n1=$("$BTFKIT" dump --sort "$S" | grep -c '^\[')
n2=$("$BTFKIT" dump "$S" | grep -c '^\[')
[ "$n1" = "$n2" ] && pass cli/dump-sort-keeps-all-types || fail cli/dump-sort-keeps-all-types "$n1 vs $n2 types"
"$BTFKIT" dump -f c --sort "$S" > "$d/s.h"
[ "$(grep -c '^enum big {' "$d/s.h")" = 1 ] && [ "$(sed -n 8p "$d/s.h")" = "enum big {" ] &&
	pass cli/dump-sort-c-first-type-kept || fail cli/dump-sort-c-first-type-kept "line 8: $(sed -n 8p "$d/s.h")"

# JSON errors: same details as the text message, on stdout, exit 1
"$BTFKIT" dump -f json "$d/missing" > "$d/out" 2> "$d/err"; rc=$?
"$BTFKIT" dump "$d/missing" 2> "$d/text"
msg=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["error"])' "$d/out" 2>/dev/null)
[ $rc -eq 1 ] && [ "btfkit: $msg" = "$(cat "$d/text")" ] && pass cli/dump-json-error ||
	fail cli/dump-json-error "rc=$rc json=$(cat "$d/out") text=$(cat "$d/text")"
"$BTFKIT" stats --json "$d/missing" > "$d/out" 2>/dev/null; rc=$?
grep -q '^{"error":".*missing: ' "$d/out" && [ $rc -eq 1 ] && pass cli/stats-json-error ||
	fail cli/stats-json-error "rc=$rc $(cat "$d/out")"

# stats --json: parses, counts agree with the raw dump
"$BTFKIT" stats --json "$S" > "$d/st.json"
v=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["types"]["count"], sum(s["kinds"].values()), s["kinds"]["STRUCT"], s["pointer_size"])' "$d/st.json" 2>&1)
[ "$v" = "$n2 $n2 4 8" ] && pass cli/stats-json || fail cli/stats-json "got '$v', want '$n2 $n2 4 8'"

# usage errors (exit 2) and bad combinations
for args in "-f xml $S" "--split-only $S" "-f json $S $S" "-f c --split-only --types sample $S"; do
	"$BTFKIT" dump $args > /dev/null 2>&1; rc=$?
	[ $rc -eq 2 ] && pass "cli/dump-usage ($args)" || fail "cli/dump-usage ($args)" "exit $rc, want 2"
done
"$BTFKIT" dump -f c "$S" "$S" > "$d/out" 2> "$d/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'need a base BTF' "$d/err" && [ ! -s "$d/out" ] && pass cli/dump-multi-needs-base ||
	fail cli/dump-multi-needs-base "rc=$rc $(cat "$d/err")"
"$BTFKIT" dump -f c --split-only "$S" > "$d/out" 2> "$d/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'split-only needs split BTF' "$d/err" && pass cli/dump-split-only-needs-split ||
	fail cli/dump-split-only-needs-split "rc=$rc $(cat "$d/err")"
"$BTFKIT" dump --help | grep -q -- '--split-only' && pass cli/dump-help-lists-options || fail cli/dump-help-lists-options "no --split-only in --help"
