#!/usr/bin/env bash
# Kernel acceptance (BPF_BTF_LOAD): a writer-built BTF with every kind and
# optional form the running kernel supports, the re-serialized running
# vmlinux and the re-serialized corpus vmlinux must all load. Skips with a
# message when loading BTF is not permitted.
. "$BTFKIT_SRC/tests/lib.sh"
name=corpus/writer-kernel-accepts
helper="$BTFKIT_BUILD/tests/writer_kload"
need_helper "$name" "$helper" || exit 0
files=()
[ -r /sys/kernel/btf/vmlinux ] && files+=(/sys/kernel/btf/vmlinux)
need_corpus "$name-corpus" && files+=("$VMLINUX")
out=$("$helper" "${files[@]}" 2>&1)
rc=$?
case $rc in
0) pass "$name ($(printf '%s\n' "$out" | grep -c '^ok:') loads: all 19 kinds$(printf '%s\n' "$out" | grep -q 'not accepted' && echo ', some optional forms not supported by this kernel'); ${#files[@]} re-serialized vmlinux)" ;;
3) skip "$name" "$(printf '%s\n' "$out" | tail -1)" ;;
*) fail "$name" "$(printf '%s\n' "$out" | grep -v '^ok' | head -3 | tr '\n' ';')" ;;
esac
