#!/usr/bin/env bash
# btfkit validate: output format, exit codes, --json, usage errors.
# tests/data/validate-ok.btf: [1] int, [2] struct pair {int a; int b;}, [3] ptr -> pair.
# tests/data/validate-bad.btf: [1] int, [2] struct 'bad name' {int a at bit 64} size 4,
#   [3] typedef t -> itself, [4] float f of size 3, [5] anonymous struct {int a at bit 64} size 4.
. "$BTFKIT_SRC/tests/lib.sh"
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
D="$BTFKIT_TEST_DATA"

t=cli/validate-clean
"$BTFKIT" validate "$D/validate-ok.btf" >"$d/out" 2>"$d/err"; rc=$?
if [ $rc -eq 0 ] && [ ! -s "$d/out" ] && [ ! -s "$d/err" ]; then pass $t; else fail $t "rc=$rc out=$(head -c 200 "$d/out") err=$(head -c 200 "$d/err")"; fi

t=cli/validate-problems
cat >"$d/exp" <<EOF
btfkit: $D/validate-bad.btf: Invalid name (type [2] STRUCT 'bad name', byte offset 40)
btfkit: $D/validate-bad.btf: Invalid type_size (type [4] FLOAT 'f', byte offset 76)
btfkit: $D/validate-bad.btf: Member bits_offset exceeds its struct size (type [5] STRUCT '(anon)', member 0, byte offset 100)
btfkit: $D/validate-bad.btf: Loop detected (type [3] TYPEDEF 't', byte offset 64)
EOF
"$BTFKIT" validate "$D/validate-bad.btf" >"$d/out" 2>"$d/err"; rc=$?
if [ $rc -eq 1 ] && [ ! -s "$d/out" ] && cmp -s "$d/exp" "$d/err"; then pass $t; else fail $t "rc=$rc: $(diff "$d/exp" "$d/err" | head -5)"; fi

t=cli/validate-json
cat >"$d/exp" <<EOF
{"file":"$D/validate-bad.btf","problems":[{"type_id":2,"kind":"STRUCT","name":"bad name","member":null,"byte_offset":40,"error":"EINVAL","message":"Invalid name"},{"type_id":4,"kind":"FLOAT","name":"f","member":null,"byte_offset":76,"error":"EINVAL","message":"Invalid type_size"},{"type_id":5,"kind":"STRUCT","name":"","member":0,"byte_offset":100,"error":"EINVAL","message":"Member bits_offset exceeds its struct size"},{"type_id":3,"kind":"TYPEDEF","name":"t","member":null,"byte_offset":64,"error":"EEXIST","message":"Loop detected"}],"valid":false}
EOF
"$BTFKIT" validate --json "$D/validate-bad.btf" >"$d/out" 2>"$d/err"; rc=$?
if [ $rc -eq 1 ] && [ ! -s "$d/err" ] && cmp -s "$d/exp" "$d/out"; then pass $t; else fail $t "rc=$rc: $(diff "$d/exp" "$d/out" | head -5)"; fi
"$BTFKIT" validate -j "$D/validate-ok.btf" >"$d/out" 2>"$d/err"; rc=$?
echo "{\"file\":\"$D/validate-ok.btf\",\"problems\":[],\"valid\":true}" >"$d/exp"
if [ $rc -eq 0 ] && cmp -s "$d/exp" "$d/out"; then pass $t-clean; else fail $t-clean "rc=$rc: $(cat "$d/out")"; fi
# one compact line per input; --pretty indents like bpftool -p
"$BTFKIT" validate -j "$D/validate-ok.btf" "$D/validate-bad.btf" "$D/validate-ok.btf" >"$d/out" 2>"$d/err"; rc=$?
if [ $rc -eq 1 ] && [ "$(wc -l <"$d/out")" -eq 3 ] && [ "$(sed -n 's/.*"valid":\([a-z]*\)}$/\1/p' "$d/out" | tr '\n' ' ')" = "true false true " ]; then
	pass $t-per-input; else fail $t-per-input "rc=$rc: $(cat "$d/out")"; fi
"$BTFKIT" validate --pretty "$D/validate-ok.btf" >"$d/out"
printf '{\n    "file": "%s",\n    "problems": [],\n    "valid": true\n}\n' "$D/validate-ok.btf" >"$d/exp"
cmp -s "$d/exp" "$d/out" && pass $t-pretty || fail $t-pretty "$(cat "$d/out")"
if command -v python3 >/dev/null; then
	"$BTFKIT" validate --json "$D/validate-bad.btf" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert not d["valid"] and len(d["problems"]) == 4' \
		&& pass $t-parses || fail $t-parses "python3 json.load failed"
	"$BTFKIT" validate --pretty "$D/validate-bad.btf" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d["problems"]) == 4' \
		&& pass $t-pretty-parses || fail $t-pretty-parses "python3 json.load failed"
fi
"$BTFKIT" validate -q "$D/validate-bad.btf" >"$d/out" 2>&1; rc=$?
[ $rc -eq 1 ] && [ ! -s "$d/out" ] && pass cli/validate-quiet || fail cli/validate-quiet "rc=$rc $(cat "$d/out")"

t=cli/validate-unparseable
head -c 20 "$D/validate-ok.btf" >"$d/short"
"$BTFKIT" validate "$d/short" >"$d/out" 2>"$d/err"; rc=$?
if [ $rc -eq 1 ] && [ "$(wc -l <"$d/err")" -eq 1 ] && grep -qx "btfkit: $d/short: btf_header not found: truncated BTF header: 20 bytes, need at least 24 (byte offset 0)" "$d/err"; then pass $t; else fail $t "rc=$rc $(cat "$d/err")"; fi
"$BTFKIT" validate --json "$d/short" >"$d/out" 2>"$d/err"; rc=$?
if [ $rc -eq 1 ] && grep -q '"valid":false' "$d/out" && grep -q '"message":"btf_header not found: truncated BTF header' "$d/out"; then pass $t-json; else fail $t-json "rc=$rc $(cat "$d/out")"; fi

t=cli/validate-usage
"$BTFKIT" validate >/dev/null 2>&1; r1=$?
"$BTFKIT" validate --bogus "$D/validate-ok.btf" >/dev/null 2>&1; r2=$?
"$BTFKIT" validate --kernel-module=x "$D/validate-ok.btf" >/dev/null 2>&1; r3=$?
"$BTFKIT" validate --help >"$d/out"; r4=$?
if [ $r1 -eq 2 ] && [ $r2 -eq 2 ] && [ $r3 -eq 2 ] && [ $r4 -eq 0 ] && grep -q -- '--json' "$d/out" && grep -q -- '--base' "$d/out"; then pass $t; else fail $t "exit codes $r1 $r2 $r3 $r4"; fi
"$BTFKIT" --help | grep -q '^  validate ' && pass cli/validate-in-command-list || fail cli/validate-in-command-list "not in btfkit --help"
grep -q 'validate' "$BTFKIT_SRC/docs/man/btfkit.1" && grep -q 'btfkit validate' "$BTFKIT_SRC/README.md" \
	&& pass cli/validate-documented || fail cli/validate-documented "missing from the man page or README"

# BPF objects: libbpf's fix-ups first (DATASEC sizes and offsets from the ELF);
# sample.bpf.o then has only its size-0 forward enum left, which the kernel
# refuses too (tests/diff/bpf-objects.sh asks it)
S="$D/sample.bpf.o"
"$BTFKIT" validate "$S" >"$d/out" 2>"$d/err"; rc=$?
if [ $rc -eq 1 ] && [ "$(cat "$d/err")" = "btfkit: $S: Unexpected size (type [45] ENUM 'fwd_only', byte offset 3604)" ]; then
	pass cli/validate-bpf-fixups; else fail cli/validate-bpf-fixups "rc=$rc $(cat "$d/err")"; fi
"$BTFKIT" validate --as-is "$S" 2>"$d/err"
[ "$(grep -c 'size == 0 (type \[5[0-3]\] DATASEC' "$d/err")" = 4 ] && pass cli/validate-bpf-as-is ||
	fail cli/validate-bpf-as-is "$(cat "$d/err")"
"$BTFKIT" validate -v "$S" 2>"$d/err"
grep -q "^btfkit: $S: libbpf fix-up: type \[51\]: DATASEC size 0 -> 149 from ELF section '.data'$" "$d/err" &&
	grep -q "^btfkit: $S: libbpf fix-up: type \[51\]: VAR 'packed_var' offset 0 -> 144 from its ELF symbol$" "$d/err" &&
	[ "$(grep -c 'libbpf fix-up' "$d/err")" = 6 ] && pass cli/validate-bpf-fixups-verbose ||
	fail cli/validate-bpf-fixups-verbose "$(cat "$d/err")"
"$BTFKIT" validate -j "$S" "$D/sample.bpfeb.o" >"$d/out"
if command -v python3 >/dev/null; then
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    assert len(d["problems"]) == 1 and d["problems"][0]["name"] == "fwd_only", d
    assert len(d["fixups"]) == 6 and d["fixups"][1] == {"type_id": 50, "member": 1, "message": "VAR '"'"'fwd_ptr'"'"' offset 0 -> 8 from its ELF symbol"}, d["fixups"]
' "$d/out" && pass cli/validate-bpf-fixups-json || fail cli/validate-bpf-fixups-json "$(cat "$d/out")"
fi
# a BPF object on standard input gets the same fix-ups, from a pipe (plain,
# big-endian, xz-compressed) or redirected from the file
want="btfkit: standard input: Unexpected size (type [45] ENUM 'fwd_only', byte offset 3604)"
r=$(cat "$S" | "$BTFKIT" validate - 2>&1; echo "rc=$?")
r2=$(xz -c "$S" | "$BTFKIT" validate - 2>&1; echo "rc=$?")
r3=$("$BTFKIT" validate - < "$S" 2>&1; echo "rc=$?")
r4=$(cat "$D/sample.bpfeb.o" | "$BTFKIT" validate -v - 2>&1 | grep -c "^btfkit: standard input: libbpf fix-up: ")
[ "$r" = "$want
rc=1" ] && [ "$r2" = "$r" ] && [ "$r3" = "$r" ] && [ "$r4" = 6 ] && pass cli/validate-bpf-fixups-stdin ||
	fail cli/validate-bpf-fixups-stdin "pipe: $r; xz: $r2; redirect: $r3; big-endian fix-ups: $r4"
# raw BTF in either byte order: the same problems (big-endian validates on little-endian)
diff <("$BTFKIT" validate "$D/sample.btf" 2>&1 | sed 's/^[^:]*: [^:]*: //') \
	<("$BTFKIT" validate "$D/sample.eb.btf" 2>&1 | sed 's/^[^:]*: [^:]*: //') >/dev/null &&
	[ "$("$BTFKIT" validate "$D/sample.eb.btf" 2>&1 | grep -c magic)" = 0 ] &&
	pass cli/validate-big-endian || fail cli/validate-big-endian "$("$BTFKIT" validate "$D/sample.eb.btf" 2>&1 | head -2)"
