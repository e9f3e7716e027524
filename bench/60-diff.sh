# btfkit diff of two whole kernels' BTF: the corpus vmlinux (Debian 6.1)
# against the running kernel's /sys/kernel/btf/vmlinux, text and JSON, and
# a vmlinux against itself. No other tool does this; the target is the
# issue's bar: under 0.5 s for the whole vmlinux-to-vmlinux diff ("ref" is
# that bar, so the ratio is the fraction of it used).
. bench/lib.sh
need_corpus
echo "== diff (btfkit diff OLD NEW; ref = the 0.5 s target)"
S=/sys/kernel/btf/vmlinux
if [ -r "$S" ]; then
	measure "$BTFKIT" diff "$VMLINUX" "$S"
	row "diff: vmlinux (corpus) -> $S" 0.5 0 "$MED_S" "$MAX_KB"
	measure "$BTFKIT" diff --json "$VMLINUX" "$S"
	row "diff --json: vmlinux (corpus) -> $S" 0.5 0 "$MED_S" "$MAX_KB"
fi
measure "$BTFKIT" diff "$VMLINUX" "$VMLINUX"
row "diff: vmlinux (corpus) against itself" 0.5 0 "$MED_S" "$MAX_KB"
