#!/usr/bin/env bash
# btfkit validate against the kernel and the corpus.
#  - validate/kernel-agree: >= 5,000 mutated BTF blobs (hand-built, the sample
#    object, small corpus modules made standalone) loaded with BPF_BTF_LOAD;
#    btfkit must reject what the kernel rejects (zero false accepts) and accept
#    what it accepts (false rejects listed with the reason). SKIPs when
#    BPF_BTF_LOAD is not permitted. Works without the corpus (fewer seeds).
#  - validate/corpus-*: the corpus vmlinux, the running kernel's vmlinux and a
#    sample of modules (on the corpus vmlinux) validate clean.
. "$BTFKIT_SRC/tests/lib.sh"
AGREE="$BTFKIT_BUILD/tests/kernel_agree"
VARIANTS="${BTFKIT_AGREE_VARIANTS:-6000}"
[ "$BTFKIT_TIER" = fast ] && VARIANTS="${BTFKIT_AGREE_VARIANTS:-300}"

corpus=
if need_corpus validate/corpus >/dev/null 2>&1; then
	corpus=1
fi

if [ ! -x "$AGREE" ]; then
	fail validate/kernel-agree "$AGREE not built"
else
	args=("$BTFKIT_TEST_DATA/sample.bpf.o")
	if [ -n "$corpus" ] && [ "$BTFKIT_TIER" != fast ]; then
		# every 300th module: 14 small, varied seeds
		args+=("$VMLINUX")
		while read -r m; do args+=("$BTFKIT_CORPUS/$m"); done < <(sed -n '1~300p' "$BTFKIT_CORPUS/modules.list")
	fi
	"$AGREE" -n "$VARIANTS" "${args[@]}"
fi

if [ -z "$corpus" ]; then
	skip validate/corpus "Debian corpus linux-image-6.1.0-50-amd64-unsigned could not be fetched"
	exit 0
fi
t=validate/corpus-vmlinux
if "$BTFKIT" validate "$VMLINUX" >/dev/null 2>"${TMPDIR:-/tmp}/bk-val.$$"; then pass $t; else fail $t "$(head -3 "${TMPDIR:-/tmp}/bk-val.$$")"; fi
rm -f "${TMPDIR:-/tmp}/bk-val.$$"
if [ -r /sys/kernel/btf/vmlinux ]; then
	t=validate/running-vmlinux
	out=$("$BTFKIT" validate /sys/kernel/btf/vmlinux 2>&1) && pass $t || fail $t "$(echo "$out" | head -3)"
fi
t=validate/corpus-modules
n=0 bad=0 first=
while read -r m; do
	n=$((n + 1))
	if ! out=$("$BTFKIT" validate -B "$VMLINUX" "$BTFKIT_CORPUS/$m" 2>&1); then
		bad=$((bad + 1))
		[ -z "$first" ] && first="$m: $(echo "$out" | head -1)"
	fi
done < <(corpus_sample "${BTFKIT_VALIDATE_EVERY:-40}")
if [ $bad -eq 0 ] && [ $n -gt 0 ]; then
	pass "$t ($n modules validated clean on the corpus vmlinux)"
else
	fail $t "$bad of $n modules have problems, first: $first"
fi
