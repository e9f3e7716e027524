#!/usr/bin/env bash
# Differential writer test against libbpf 1.1.2: the same random sequences of
# btf__add_* / bk_btf_add_* calls (fixed seeds; new BTF, split on a small
# base, split on the running kernel's vmlinux when readable) must give the
# same IDs, the same refusals and byte-identical raw BTF in both byte orders.
. "$BTFKIT_SRC/tests/lib.sh"
name=diff/writer-vs-libbpf
helper="$BTFKIT_BUILD/tests/writer_diff"
if [ ! -x "$helper" ]; then
	fail "$name" "$helper not built"
	exit 0
fi
base=
[ -r /sys/kernel/btf/vmlinux ] && base=/sys/kernel/btf/vmlinux
out=$("$helper" $base 2>&1)
rc=$?
last=$(printf '%s\n' "$out" | tail -1)
if [ $rc -eq 0 ] && [ "${last#ok: }" != "$last" ]; then
	pass "$name (${last#ok: }${base:+; split on $base})"
else
	fail "$name" "$(printf '%s\n' "$out" | head -5 | tr '\n' ';')"
fi
