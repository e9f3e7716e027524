#!/usr/bin/env bash
# Command-line conventions: --help / --version, COMMAND --help, getopt_long
# (options before or after operands, --option=value, -- ends options), bad
# usage messages and exit status 2, success 0.
. "$BTFKIT_SRC/tests/lib.sh"
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
S="$BTFKIT_TEST_DATA/sample.bpf.o"
GOLD="$BTFKIT_TEST_DATA/sample.bpf.o.raw"

# expect NAME RC STDOUT_PATTERN STDERR_EXACT -- CMD...: exit status, a grep -x
# pattern for the first stdout line ('' = stdout must be empty), exact stderr
expect() {
	local name="$1" rc="$2" out="$3" err="$4"
	shift 5
	"$@" > "$d/out" 2> "$d/err"
	local got=$?
	if [ "$got" -ne "$rc" ]; then
		fail "$name" "exit $got, expected $rc (stderr: $(head -2 "$d/err"))"
	elif [ -z "$out" ] && [ -s "$d/out" ]; then
		fail "$name" "unexpected stdout: $(head -1 "$d/out")"
	elif [ -n "$out" ] && ! head -1 "$d/out" | grep -qx -- "$out"; then
		fail "$name" "stdout starts '$(head -1 "$d/out")', expected '$out'"
	elif [ "$(cat "$d/err")" != "$(printf '%b' "$err")" ]; then
		fail "$name" "stderr '$(cat "$d/err")', expected '$(printf '%b' "$err")'"
	else
		pass "$name"
	fi
}

ver=$(sed -n 's/^VERSION := //p' "$BTFKIT_SRC/Makefile")
expect cli/version 0 "btfkit $ver" "" -- "$BTFKIT" --version
expect cli/help 0 "Usage: btfkit \[GLOBAL OPTIONS\] COMMAND \[OPTIONS\] FILE\.\.\." "" -- "$BTFKIT" --help
expect cli/help-short 0 "Usage: btfkit \[GLOBAL OPTIONS\] COMMAND \[OPTIONS\] FILE\.\.\." "" -- "$BTFKIT" -h
expect cli/dump-help 0 "Usage: btfkit dump \[OPTIONS\] FILE\.\.\." "" -- "$BTFKIT" dump --help
expect cli/stats-help 0 "Usage: btfkit stats \[OPTIONS\] FILE" "" -- "$BTFKIT" stats -h
# every command's --help against the man page and completion: tests/cli/docs.sh
"$BTFKIT" --help | grep -q 'Exit status: 0 success, 1 bad input' &&
	pass cli/help-exit-status || fail cli/help-exit-status "--help does not document exit statuses"

expect cli/no-args 2 "" "$("$BTFKIT" --help 2>&1)" -- "$BTFKIT"
expect cli/unknown-command 2 "" "btfkit: unknown command 'frob'\nUsage: btfkit [GLOBAL OPTIONS] COMMAND [OPTIONS] FILE...\nTry 'btfkit --help' for more information." -- "$BTFKIT" frob
expect cli/unknown-long-option 2 "" "btfkit dump: unrecognized option '--bogus'\nUsage: btfkit dump [OPTIONS] FILE...\nTry 'btfkit dump --help' for more information." -- "$BTFKIT" dump --bogus "$S"
expect cli/unknown-short-option 2 "" "btfkit stats: invalid option '-x'\nUsage: btfkit stats [OPTIONS] FILE\nTry 'btfkit stats --help' for more information." -- "$BTFKIT" stats -vx "$S"
expect cli/missing-option-arg 2 "" "btfkit dump: option '--base' requires an argument\nUsage: btfkit dump [OPTIONS] FILE...\nTry 'btfkit dump --help' for more information." -- "$BTFKIT" dump "$S" --base
expect cli/missing-option-arg-short 2 "" "btfkit dump: option '-o' requires an argument\nUsage: btfkit dump [OPTIONS] FILE...\nTry 'btfkit dump --help' for more information." -- "$BTFKIT" dump "$S" -o
expect cli/missing-file 2 "" "btfkit dump: missing FILE\nUsage: btfkit dump [OPTIONS] FILE...\nTry 'btfkit dump --help' for more information." -- "$BTFKIT" dump
expect cli/two-files 2 "" "btfkit stats: expected one FILE\nUsage: btfkit stats [OPTIONS] FILE\nTry 'btfkit stats --help' for more information." -- "$BTFKIT" stats "$S" "$S"
expect cli/bad-format 2 "" "btfkit dump: unknown format 'xml' (expected raw, c or json)\nUsage: btfkit dump [OPTIONS] FILE...\nTry 'btfkit dump --help' for more information." -- "$BTFKIT" dump --format=xml "$S"
expect cli/bad-id 2 "" "btfkit dump: invalid type ID 'x1'\nUsage: btfkit dump [OPTIONS] FILE...\nTry 'btfkit dump --help' for more information." -- "$BTFKIT" dump -i x1 "$S"
# usage errors come before any input is read
expect cli/usage-before-input 2 "" "btfkit dump: unrecognized option '--nope'\nUsage: btfkit dump [OPTIONS] FILE...\nTry 'btfkit dump --help' for more information." -- "$BTFKIT" dump /nonexistent --nope

# options after the operand, --opt=value, and -- before a file named like an option
"$BTFKIT" dump "$S" > "$d/a" && cmp -s "$d/a" "$GOLD" && pass cli/dump-sample || fail cli/dump-sample "differs from $GOLD"
"$BTFKIT" dump "$S" --format raw -o "$d/b" && cmp -s "$d/b" "$GOLD" &&
	pass cli/options-after-operand || fail cli/options-after-operand "output differs"
"$BTFKIT" dump --format=raw --output="$d/c" "$S" && cmp -s "$d/c" "$GOLD" &&
	pass cli/long-option-equals || fail cli/long-option-equals "output differs"
cp "$S" "$d/-B"
(cd "$d" && "$BTFKIT" dump -- -B > "$d/e") && cmp -s "$d/e" "$GOLD" &&
	pass cli/double-dash || fail cli/double-dash "'-- -B' not read as a file"
(cd "$d" && "$BTFKIT" dump -o out -- -B) && cmp -s "$d/out" "$GOLD" &&
	pass cli/double-dash-after-options || fail cli/double-dash-after-options "output differs"
# --id prints the given types in the given order, like bpftool root_id
"$BTFKIT" dump "$S" --id 3 -i 1 > "$d/ids"
want="$(grep '^\[3\] ' "$GOLD")
$(awk '/^\[1\] / { p = 1; print; next } /^\[/ { p = 0 } p' "$GOLD")"
[ "$(cat "$d/ids")" = "$want" ] && pass cli/dump-ids || fail cli/dump-ids "got: $(head -2 "$d/ids")"
expect cli/dump-id-out-of-range 1 "" "btfkit: $S: type ID 54 out of range (last ID is 53)" -- "$BTFKIT" dump -i 54 "$S"
# standard input is read once: '-' twice (or as -B and an operand) is a usage error, named
expect cli/usage-stdin-twice 2 "" "btfkit merge: standard input ('-') given more than once\nUsage: btfkit merge [OPTIONS] -o OUT FILE...\nTry 'btfkit merge --help' for more information." -- "$BTFKIT" merge -o "$d/m2" - -
expect cli/usage-stdin-base-and-input 2 "" "btfkit dump: standard input ('-') given more than once\nUsage: btfkit dump [OPTIONS] FILE...\nTry 'btfkit dump --help' for more information." -- "$BTFKIT" dump -B - -
