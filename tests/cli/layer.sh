#!/usr/bin/env bash
# The one CLI layer (tools/btfkit/cli.h): every command parses options, opens
# inputs and writes outputs the same way. One test per defect the layer
# fixed: unknown options named in every command, -v everywhere, the base
# opened on the shared path (default base rule in validate, dedup and merge,
# any spelling of the directory), dedup writing through the CLI's output
# path ('-o -', errno text), validate --json naming the real errno, a failed
# close/fclose/fsync turning into exit 1 with the file and errno text, a
# trailing "-pB" reported as a missing argument, JSON strings escaped once
# (UTF-8 kept whole), and the one atomic-file implementation's modes.
. "$BTFKIT_SRC/tests/lib.sh"
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
S="$BTFKIT_TEST_DATA/sample.bpf.o"
OK="$BTFKIT_TEST_DATA/validate-ok.btf"
FAULT="$BTFKIT_BUILD/tests/fault_inject.so"

# expect NAME RC STDERR_EXACT -- CMD...: exit status and exact stderr
expect() {
	local name="$1" rc="$2" err="$3"
	shift 4
	"$@" > "$d/out" 2> "$d/err"
	local got=$?
	if [ "$got" -ne "$rc" ]; then
		fail "$name" "exit $got, expected $rc (stderr: $(head -2 "$d/err"))"
	elif [ "$(cat "$d/err")" != "$(printf '%b' "$err")" ]; then
		fail "$name" "stderr '$(cat "$d/err")', expected '$(printf '%b' "$err")'"
	else
		pass "$name"
	fi
}

# usage errors name the option, in every command
for cmd in validate dedup stats convert merge dump; do
	expect "cli/layer-unknown-option-$cmd" 2 \
		"btfkit $cmd: unrecognized option '--bogus'\n$("$BTFKIT" $cmd --help | head -1)\nTry 'btfkit $cmd --help' for more information." \
		-- "$BTFKIT" $cmd --bogus -o "$d/x" "$S"
done
expect cli/layer-trailing-cluster-missing-arg 2 \
	"btfkit dump: option '-B' requires an argument\nUsage: btfkit dump [OPTIONS] FILE...\nTry 'btfkit dump --help' for more information." \
	-- "$BTFKIT" dump "$S" -pB
expect cli/layer-no-argument-allowed 2 \
	"btfkit stats: option '--verbose' doesn't allow an argument\nUsage: btfkit stats [OPTIONS] FILE\nTry 'btfkit stats --help' for more information." \
	-- "$BTFKIT" stats --verbose=2 "$S"
expect cli/layer-ambiguous-prefix 2 \
	"btfkit dump: option '--s' is ambiguous; possibilities: '--sort' '--split-only'\nUsage: btfkit dump [OPTIONS] FILE...\nTry 'btfkit dump --help' for more information." \
	-- "$BTFKIT" dump --s "$S"
"$BTFKIT" dump --form=raw --out "$d/pfx" "$S" && cmp -s "$d/pfx" "$BTFKIT_TEST_DATA/sample.bpf.o.raw" &&
	pass cli/layer-long-prefix || fail cli/layer-long-prefix "--form=raw --out not taken as --format --output"

# -v is accepted by every command
for cmd in validate stats dump; do
	expect "cli/layer-verbose-$cmd" 0 "" -- "$BTFKIT" $cmd -v "$OK"
done
for cmd in convert merge; do
	expect "cli/layer-verbose-$cmd" 0 "" -- "$BTFKIT" $cmd -v -o "$d/v.btf" "$OK"
done
expect cli/layer-verbose-dedup 0 "btfkit: dedup: 3 input types, 3 after" -- "$BTFKIT" dedup -v -o "$d/v.btf" "$OK"

# --help lists exactly what the parser takes: every option it prints is recognized
for cmd in dump stats validate convert merge dedup; do
	bad=
	for opt in $("$BTFKIT" $cmd --help | sed -n 's/^  \(-., \)\{0,1\}\(--[a-z-]*\)\( [A-Z]\)\{0,1\}.*/\2\3/p' | tr ' ' '='); do
		case "$opt" in
		*=*) o="${opt%%=*}=x" ;;
		*) o=$opt ;;
		esac
		"$BTFKIT" $cmd "$o" --help 2>&1 >/dev/null | grep -q "unrecognized option\|doesn't allow" && bad="$bad $o"
	done
	[ -z "$bad" ] && pass "cli/layer-help-options-accepted-$cmd" || fail "cli/layer-help-options-accepted-$cmd" "rejected:$bad"
done

# validate --json on a file that cannot be opened names the errno
"$BTFKIT" validate --json "$d/missing" > "$d/out" 2> "$d/err"
rc=$?
if [ $rc -eq 1 ] && grep -q '"error":"ENOENT","message":"cannot open: No such file or directory"' "$d/out"; then
	pass cli/layer-validate-json-errno
else
	fail cli/layer-validate-json-errno "rc $rc: $(cat "$d/out")"
fi
# a directory is a tree of modules (tests/cli/tree.sh); an empty one has none
mkdir "$d/adir"
[ "$("$BTFKIT" validate --json "$d/adir")" = '{"modules":0,"failed":0}' ] && pass cli/layer-validate-json-dir ||
	fail cli/layer-validate-json-dir "$("$BTFKIT" validate --json "$d/adir")"

# JSON strings escaped once, by the library: a UTF-8 name stays whole
python3 - "$d/utf8.btf" <<'PY'
import struct, sys
strs = b"\0int\0caf\xc3\xa9\0"
types = struct.pack("<III", 1, 1 << 24, 4) + struct.pack("<I", 32)          # [1] INT int size 4
types += struct.pack("<III", 5, 4 << 24, 4)                                  # [2] STRUCT 'café' size 4, no members
hdr = struct.pack("<HBBIIIII", 0xeb9f, 1, 0, 24, 0, len(types), len(types), len(strs))
open(sys.argv[1], "wb").write(hdr + types + strs)
PY
"$BTFKIT" validate --json "$d/utf8.btf" > "$d/out" 2> "$d/err"
name=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1], encoding="utf-8")); print(d["problems"][0]["name"])' "$d/out" 2>&1)
[ "$name" = "café" ] && grep -q '"name":"café"' "$d/out" && pass cli/layer-validate-json-utf8 ||
	fail cli/layer-validate-json-utf8 "name '$name': $(cat "$d/out" "$d/err")"

# dedup writes through the CLI's output path: '-' is standard output, errors carry the errno text
(cd "$d" && "$BTFKIT" dedup -o - "$S") > "$d/dd.stdout" 2> "$d/err"
"$BTFKIT" dedup -o "$d/dd.file" "$S"
[ ! -e "$d/-" ] && [ -s "$d/dd.stdout" ] && cmp -s "$d/dd.stdout" "$d/dd.file" && pass cli/layer-dedup-stdout ||
	fail cli/layer-dedup-stdout "dedup -o - did not write standard output ($(cat "$d/err"))"
for cmd in dedup convert merge dump; do
	expect "cli/layer-$cmd-write-error-errno" 1 "btfkit: /dev/full: write failed: No space left on device" \
		-- "$BTFKIT" $cmd -o /dev/full "$S"
done

# a failing fclose, fsync or close of the output: exit 1, file and errno text, nothing left behind
if [ -f "$FAULT" ]; then
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
	# dump writes a whole buffer (bk_write_file), stats streams (cli_out_open, fclose)
	for t in "dump fsync" "dump close" "stats fclose" "stats fsync" "stats close"; do
		set -- $t
		echo keep > "$d/f.out"
		BTFKIT_FAULT=$2 BTFKIT_FAULT_PATH="$d/f.out" LD_PRELOAD="$FAULT" \
			"$BTFKIT" $1 -o "$d/f.out" "$S" > /dev/null 2> "$d/err"
		rc=$?
		if [ $rc -eq 1 ] && [ "$(cat "$d/err")" = "btfkit: $d/f.out: write failed: Input/output error" ] &&
			[ "$(cat "$d/f.out")" = keep ] && [ -z "$(ls "$d" | grep '^f\.out\.')" ]; then
			pass "cli/layer-failed-$2-$1"
		else
			fail "cli/layer-failed-$2-$1" "exit $rc, stderr '$(cat "$d/err")', left: $(ls "$d" | grep '^f\.out')"
		fi
	done
	# a device written in place: its close failing is an error too (was exit 0)
	BTFKIT_FAULT=close BTFKIT_FAULT_PATH=/dev/null LD_PRELOAD="$FAULT" \
		"$BTFKIT" convert -o /dev/null "$S" > /dev/null 2> "$d/err"
	rc=$?
	[ $rc -eq 1 ] && [ "$(cat "$d/err")" = "btfkit: /dev/null: write failed: Input/output error" ] &&
		pass cli/layer-failed-close-device || fail cli/layer-failed-close-device "exit $rc: $(cat "$d/err")"
else
	fail cli/layer-failed-close "$FAULT not built (make tests)"
fi

# one atomic-file implementation, one mode rule: new files 0644 minus umask, existing files keep theirs
ok=1
for cmd in dump convert dedup merge stats; do
	rm -f "$d/m.$cmd"
	(umask 077 && "$BTFKIT" $cmd -o "$d/m.$cmd" "$S") && [ "$(stat -c %a "$d/m.$cmd")" = 600 ] || { ok=0; echo "$cmd new under 077: $(stat -c %a "$d/m.$cmd")"; }
	rm -f "$d/m.$cmd"
	(umask 022 && "$BTFKIT" $cmd -o "$d/m.$cmd" "$S") && [ "$(stat -c %a "$d/m.$cmd")" = 644 ] || { ok=0; echo "$cmd new under 022: $(stat -c %a "$d/m.$cmd")"; }
	chmod 640 "$d/m.$cmd"
	(umask 022 && "$BTFKIT" $cmd -o "$d/m.$cmd" "$S") && [ "$(stat -c %a "$d/m.$cmd")" = 640 ] || { ok=0; echo "$cmd existing 640: $(stat -c %a "$d/m.$cmd")"; }
done > "$d/modes"
[ $ok = 1 ] && pass cli/layer-output-modes || fail cli/layer-output-modes "$(tr '\n' ';' < "$d/modes")"

# standard input as '-'
"$BTFKIT" dump - < "$S" > "$d/stdin.txt" && cmp -s "$d/stdin.txt" "$BTFKIT_TEST_DATA/sample.bpf.o.raw" &&
	cat "$S" | "$BTFKIT" stats - | grep -q '^file: *-$' && pass cli/layer-stdin || fail cli/layer-stdin "'-' not read as standard input"

# the default base rule on the shared input path: validate, dedup, merge and stats
if need_corpus cli/layer-default-base; then
	V="$BTFKIT_CORPUS/vmlinux"
	M="$BTFKIT_CORPUS/$(grep -m1 '/ext4.ko$' "$BTFKIT_CORPUS/modules.list")"
	mkdir "$d/sys"
	ln -s "$V" "$d/sys/vmlinux"
	ln -s "$M" "$d/sys/ext4"
	export BTFKIT_SYSFS_BTF="$d/sys"
	"$BTFKIT" validate "$d/sys/ext4" 2> "$d/err" && pass cli/layer-default-base-validate ||
		fail cli/layer-default-base-validate "$(head -2 "$d/err")"
	"$BTFKIT" dedup -o "$d/dd1" "$d/sys/ext4" 2> "$d/err" && "$BTFKIT" dedup -B "$V" -o "$d/dd2" "$M" &&
		cmp -s "$d/dd1" "$d/dd2" && pass cli/layer-default-base-dedup ||
		fail cli/layer-default-base-dedup "$(head -2 "$d/err")"
	# any spelling of the directory: relative, with .., doubled slashes
	for p in "sys/ext4" "./sys//ext4" "sys/../sys/ext4"; do
		(cd "$d" && "$BTFKIT" stats "$p") > "$d/out" 2> "$d/err"
		grep -q "^split on: *$d/sys/vmlinux " "$d/out" && pass "cli/layer-default-base-spelling ($p)" ||
			fail "cli/layer-default-base-spelling ($p)" "$(grep 'split on' "$d/out") $(head -1 "$d/err")"
	done
	unset BTFKIT_SYSFS_BTF
fi
