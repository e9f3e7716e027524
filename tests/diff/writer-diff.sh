#!/usr/bin/env bash
# Differential writer test against libbpf 1.1.2: the same random sequences of
# btf__add_* / bk_btf_add_* / find_str calls (fixed seeds; new BTF, split on
# a small base, split on vmlinux, a parsed BTF and a parsed split module
# modified in place) must give the same IDs, the same refusals and
# byte-identical raw BTF in both byte orders.
. "$BTFKIT_SRC/tests/lib.sh"
name=diff/writer-vs-libbpf
helper="$BTFKIT_BUILD/tests/writer_diff"
need_helper "$name" "$helper" || exit 0
args=(-p "$BTFKIT_TEST_DATA/sample.bpf.o")
what="parsed sample.bpf.o"
if need_corpus "$name-corpus-part" >/dev/null; then
	mod="$BTFKIT_CORPUS/$(sed -n 100p "$BTFKIT_CORPUS/modules.list")"
	args+=(-b "$VMLINUX" -s "$mod")
	what="$what; split on corpus vmlinux; parsed $(basename "$mod") on it"
elif [ -r /sys/kernel/btf/vmlinux ]; then
	args+=(-b /sys/kernel/btf/vmlinux)
	what="$what; split on /sys/kernel/btf/vmlinux"
fi
out=$("$helper" "${args[@]}" 2>&1)
rc=$?
last=$(printf '%s\n' "$out" | tail -1)
if [ $rc -eq 0 ] && [ "${last#ok: }" != "$last" ]; then
	pass "$name (${last#ok: }; $what)"
else
	fail "$name" "$(printf '%s\n' "$out" | head -5 | tr '\n' ';')"
fi
