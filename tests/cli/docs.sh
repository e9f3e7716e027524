#!/usr/bin/env bash
# The three descriptions of the command line cannot drift apart: for every
# command 'btfkit --help' lists, every option its --help prints (short and
# long) appears in that command's section of docs/man/btfkit.1 (.SS "btfkit
# CMD ...") and is offered by the bash completion for that command; the
# command itself has a man section, a README line and completes. Driven by
# --help, so commands added later are covered without touching this test.
. "$BTFKIT_SRC/tests/lib.sh"
MAN="$BTFKIT_SRC/docs/man/btfkit.1"
COMP="$BTFKIT_SRC/tools/btfkit/bash-completion/btfkit"

# complete WORD...: what the bash completion offers after "btfkit WORD..."
complete_words() {
	bash -c '. "$1"; shift; COMP_WORDS=(btfkit "$@"); COMP_CWORD=$(($# )); _btfkit; printf "%s\n" "${COMPREPLY[@]}"' \
		_ "$COMP" "$@"
}

cmds=$("$BTFKIT" --help | awk '/^Commands:/ { on = 1; next } on && NF { print $1 } on && !NF { exit }')
[ -n "$cmds" ] || fail cli/docs-commands "'btfkit --help' lists no commands"
top=$(complete_words "")
for cmd in $cmds; do
	if ! "$BTFKIT" "$cmd" --help > "/tmp/btfkit-docs.$$" 2>&1 || ! head -1 "/tmp/btfkit-docs.$$" | grep -q "^Usage: btfkit $cmd "; then
		fail "cli/docs-$cmd-help" "'btfkit $cmd --help' has no usage line"
		continue
	fi
	opts=$(sed -n 's/^  \(-[a-zA-Z]\), \(--[a-z][a-z0-9-]*\).*/\1 \2/p; s/^      \(--[a-z][a-z0-9-]*\).*/\1/p' "/tmp/btfkit-docs.$$" | tr ' ' '\n' | sort -u)
	# its man section: from .SS "btfkit CMD ..." to the next .SS or .SH
	section=$(awk -v c="btfkit $cmd " '/^\.S[SH] / { on = index($0, "\"" c) == 5 } on' "$MAN" | sed 's/\\-/-/g')
	if [ -z "$section" ]; then
		fail "cli/docs-$cmd-man" "no .SS \"btfkit $cmd ...\" section in docs/man/btfkit.1"
	else
		missing=
		for o in $opts; do
			grep -Eq -- "(^|[^a-zA-Z0-9-])$o([^a-zA-Z0-9-]|\$)" <<< "$section" || missing="$missing $o"
		done
		[ -z "$missing" ] && pass "cli/docs-$cmd-man" || fail "cli/docs-$cmd-man" "not in its man section:$missing"
	fi
	offered=$(complete_words "$cmd" -)
	missing=
	for o in $opts; do
		grep -qx -- "$o" <<< "$offered" || missing="$missing $o"
	done
	grep -qx "$cmd" <<< "$top" || missing="$missing (the command itself)"
	[ -z "$missing" ] && pass "cli/docs-$cmd-completion" || fail "cli/docs-$cmd-completion" "not offered by $COMP:$missing"
	grep -q "btfkit $cmd" "$BTFKIT_SRC/README.md" && pass "cli/docs-$cmd-readme" ||
		fail "cli/docs-$cmd-readme" "README.md does not show 'btfkit $cmd'"
done
rm -f "/tmp/btfkit-docs.$$"
# the global options 'btfkit --help' lists: in the man page's GLOBAL OPTIONS
# and offered by the completion before the command; help and version too
gopts=$("$BTFKIT" --help | awk '/^Global options/ { on = 1; next } on && !NF { exit } on' |
	grep -oE -- '(^|[ ,])--?[a-zA-Z][a-z-]*' | tr -d ' ,' | sort -u)
gsection=$(sed -n '/^\.SH GLOBAL OPTIONS/,/^\.SH [^G]/p' "$MAN" | sed 's/\\-/-/g')
offered=$(complete_words -)
missing=
[ -n "$gopts" ] || missing=" (no global options in 'btfkit --help')"
for o in $gopts; do
	grep -Eq -- "(^|[^a-zA-Z0-9-])$o([^a-zA-Z0-9-]|\$)" <<< "$gsection" || missing="$missing man:$o"
	grep -qx -- "$o" <<< "$offered" || missing="$missing completion:$o"
done
for w in help version; do
	grep -qx "$w" <<< "$top" || missing="$missing completion:$w"
	grep -q "btfkit $w" "$MAN" || missing="$missing man:$w"
done
[ -z "$missing" ] && pass cli/docs-global-options || fail cli/docs-global-options "missing:$missing"
# value completion for the options that take a fixed set
[ "$(complete_words dump -f "" | tr '\n' ' ')" = "raw c json " ] && pass cli/docs-completion-values ||
	fail cli/docs-completion-values "dump -f offers '$(complete_words dump -f "" | tr '\n' ' ')'"
# the exit-status rule is in the man page
grep -q '^\.SH EXIT STATUS' "$MAN" && sed -n '/^\.SH EXIT STATUS/,/^\.SH /p' "$MAN" | grep -q 'usage error' &&
	pass cli/docs-exit-status || fail cli/docs-exit-status "docs/man/btfkit.1 has no EXIT STATUS rule"
