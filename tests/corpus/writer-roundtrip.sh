#!/usr/bin/env bash
# Writer round trip on the Debian 6.1 corpus, in one process (vmlinux parsed
# once as the base): parse -> serialize is byte-identical to each .BTF
# section, and serialize(other byte order) -> parse -> serialize(original
# order) is byte-identical too, for vmlinux and all 4022 modules; and all
# modules appended into one split BTF (bk_btf_add_btf) re-serialize exactly.
. "$BTFKIT_SRC/tests/lib.sh"
name=corpus/writer-roundtrip
need_corpus "$name" || exit 0
in_tier "$name" || exit 0
helper="$BTFKIT_BUILD/tests/writer_roundtrip"
need_helper "$name" "$helper" || exit 0
out=$(nice "$helper" "$BTFKIT_CORPUS" 2>&1)
rc=$?
last=$(printf '%s\n' "$out" | tail -1)
nmods=$(grep -c . "$BTFKIT_CORPUS/modules.list")
if [ $rc -eq 0 ] && [ "$last" = "ok $((nmods + 1)) files (vmlinux + $nmods modules), 0 failures" ] &&
	printf '%s\n' "$out" | grep -q '^all modules appended'; then
	all=$(printf '%s\n' "$out" | grep '^all modules appended')
	pass "$name ($last; both byte orders; $all)"
else
	fail "$name" "$(printf '%s\n' "$out" | head -5 | tr '\n' ';')"
fi
