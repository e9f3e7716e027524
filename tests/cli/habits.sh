#!/usr/bin/env bash
# What a bpftool user types works: options before the command (-j, -p, -B),
# 'btfkit btf dump file X [format c|raw] [root_id N]', 'btfkit help
# [COMMAND]', 'btfkit version', "unknown command 'x'; did you mean 'y'?",
# and --types with every named kind and "KIND NAME".
. "$BTFKIT_SRC/tests/lib.sh"
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
S="$BTFKIT_TEST_DATA/sample.bpf.o"

# same NAME CMD1 -- CMD2: both succeed with identical stdout
same() {
	local name="$1" i
	shift
	for ((i = 1; i <= $#; i++)); do [ "${!i}" = -- ] && break; done
	"${@:1:i-1}" > "$d/a" 2> "$d/ea"; local r1=$?
	"${@:i+1}" > "$d/b" 2> "$d/eb"; local r2=$?
	if [ $r1 -ne 0 ] || [ $r2 -ne 0 ]; then
		fail "$name" "exit $r1/$r2: $(head -2 "$d/ea" "$d/eb" | tr '\n' ' ')"
	elif ! cmp -s "$d/a" "$d/b" || [ ! -s "$d/a" ]; then
		fail "$name" "outputs differ: $(diff "$d/a" "$d/b" | head -3 | tr '\n' ' ')"
	else
		pass "$name"
	fi
}

same cli/habit-global-json "$BTFKIT" -j dump "$S" -- "$BTFKIT" dump -f json "$S"
same cli/habit-global-pretty "$BTFKIT" -p dump "$S" -- "$BTFKIT" dump -f json --pretty "$S"
same cli/habit-global-pretty-stats "$BTFKIT" -p stats "$S" -- "$BTFKIT" stats --pretty "$S"
same cli/habit-global-base "$BTFKIT" -B "$S" -v stats "$S" -- "$BTFKIT" stats -v -B "$S" "$S"
same cli/habit-btf-dump-file "$BTFKIT" btf dump file "$S" -- "$BTFKIT" dump "$S"
same cli/habit-btf-dump-format-c "$BTFKIT" btf dump file "$S" format c -- "$BTFKIT" dump -f c "$S"
same cli/habit-btf-dump-format-raw "$BTFKIT" btf dump file "$S" format raw -- "$BTFKIT" dump "$S"
same cli/habit-btf-dump-root-id "$BTFKIT" btf dump file "$S" root_id 3 root_id 1 -- "$BTFKIT" dump -i 3 -i 1 "$S"
same cli/habit-btf-dump-json "$BTFKIT" -j btf dump file "$S" -- "$BTFKIT" dump -f json "$S"
if need_bpftool cli/habit-btf-dump-bpftool; then
	same cli/habit-btf-dump-bpftool bpftool btf dump file "$S" format c -- "$BTFKIT" btf dump file "$S" format c
fi
same cli/habit-help-command "$BTFKIT" help dump -- "$BTFKIT" dump --help
same cli/habit-help "$BTFKIT" help -- "$BTFKIT" --help
same cli/habit-version "$BTFKIT" version -- "$BTFKIT" --version

# errors that point the way
err_is() { # NAME RC EXPECTED_FIRST_STDERR_LINE CMD...
	local name="$1" rc="$2" want="$3"
	shift 3
	"$@" > "$d/out" 2> "$d/err"
	local got=$?
	if [ $got -ne "$rc" ] || [ "$(head -1 "$d/err")" != "$want" ] || [ -s "$d/out" ]; then
		fail "$name" "exit $got, stderr '$(head -1 "$d/err")', want '$want'"
	elif ! grep -q '^Usage: btfkit ' "$d/err"; then
		fail "$name" "no usage line after the error"
	else
		pass "$name"
	fi
}
err_is cli/habit-did-you-mean 2 "btfkit: unknown command 'dupm'; did you mean 'dump'?" "$BTFKIT" dupm "$S"
err_is cli/habit-did-you-mean-prefix 2 "btfkit: unknown command 'val'; did you mean 'validate'?" "$BTFKIT" val "$S"
err_is cli/habit-unknown-command 2 "btfkit: unknown command 'frobnicate'" "$BTFKIT" frobnicate
err_is cli/habit-help-unknown 2 "btfkit: unknown command 'stat'; did you mean 'stats'?" "$BTFKIT" help stat
err_is cli/habit-btf-dump-id 2 "btfkit: 'btf dump id' reads BTF loaded in the kernel; btfkit reads files: 'btf dump file FILE' (/sys/kernel/btf/vmlinux for the kernel's)" "$BTFKIT" btf dump id 1
err_is cli/habit-global-missing-arg 2 "btfkit: option '-B' requires an argument" "$BTFKIT" -B
err_is cli/habit-global-unknown 2 "btfkit: unrecognized option '--frob' before the command" "$BTFKIT" --frob dump "$S"
err_is cli/habit-global-not-taken 2 "btfkit convert: invalid option '-j'" "$BTFKIT" -j convert -o "$d/x" "$S"

# --types: every named kind, and "KIND NAME"
got=$("$BTFKIT" dump --types 'func prog,var counter,typedef u32,datasec .bss' "$S" | grep '^\[' | cut -d' ' -f2,3 | tr '\n' '|')
[ "$got" = "FUNC 'prog'|VAR 'counter'|TYPEDEF 'u32'|DATASEC '.bss'|" ] && pass cli/habit-types-kinds ||
	fail cli/habit-types-kinds "got $got"
got=$("$BTFKIT" dump --types helper "$S" | grep '^\[' | cut -d' ' -f2,3)
[ "$got" = "FUNC 'helper'" ] && pass cli/habit-types-plain-func || fail cli/habit-types-plain-func "got '$got'"
"$BTFKIT" dump -f c --types 'var global_sample' "$S" > "$d/v.h"
grep -q '^struct sample {' "$d/v.h" && pass cli/habit-types-c-var || fail cli/habit-types-c-var "no struct sample in the header"
"$BTFKIT" dump --types 'union sample' "$S" > "$d/out" 2> "$d/err"
[ $? -eq 1 ] && [ "$(cat "$d/err")" = "btfkit: $S: no type named 'union sample'" ] && pass cli/habit-types-wrong-kind ||
	fail cli/habit-types-wrong-kind "$(cat "$d/err")"
