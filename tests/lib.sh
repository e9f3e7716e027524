# Shared helpers for the test scripts (sourced). Each script prints
# "PASS name" / "FAIL name: why" / "SKIP name: why" lines (see run.sh).
: "${BTFKIT:?run through tests/run.sh}"

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
skip() { echo "SKIP $1: $2"; }

# The Debian 6.1 corpus (scripts/fetch-corpus). Sets VMLINUX and MODDIR;
# returns 1 (after printing a SKIP) when it cannot be had.
need_corpus() {
	local name="$1"
	if ! "$BTFKIT_SRC/scripts/fetch-corpus" >/dev/null 2>&1; then
		skip "$name" "Debian corpus linux-image-6.1.0-50-amd64-unsigned could not be fetched (apt-get download failed)"
		return 1
	fi
	VMLINUX="$BTFKIT_CORPUS/vmlinux"
	MODDIR="$BTFKIT_CORPUS/x/lib/modules"
	return 0
}

# The kernel-tier encoder corpus (scripts/fetch-corpus-dbg): Debian's
# linux-image-6.1.0-50-cloud-amd64-dbg (DWARF) and -unsigned (shipped BTF).
# Sets DBG_VMLINUX (DWARF), SHIP_VMLINUX (shipped .BTF), DBG_MODDIR and
# SHIP_MODDIR (module trees; module paths relative to them are listed in
# DBG_MODLIST); returns 1 (after printing a SKIP) when it cannot be had.
need_corpus_dbg() {
	local dir
	if ! dir=$("$BTFKIT_SRC/scripts/fetch-corpus-dbg" 2>/dev/null); then
		skip "$1" "kernel-tier corpus linux-image-6.1.0-50-cloud-amd64-{dbg,unsigned} could not be fetched (scripts/fetch-corpus-dbg: apt-get download failed)"
		return 1
	fi
	local rel
	rel=$(cat "$dir/release")
	DBG_VMLINUX="$dir/vmlinux-dbg"
	SHIP_VMLINUX="$dir/vmlinux"
	DBG_MODDIR="$dir/dbg/usr/lib/debug/lib/modules/$rel"
	SHIP_MODDIR="$dir/unsigned/lib/modules/$rel"
	DBG_MODLIST="$dir/modules.list"
	return 0
}

need_bpftool() {
	if ! command -v bpftool >/dev/null; then
		skip "$1" "bpftool not installed (scripts/install-deps)"
		return 1
	fi
}

# Test tiers (BTFKIT_TIER, set by the make targets):
#   fast   make check-fast: unit, CLI and a few corpus modules (< 2 minutes);
#   check  make check (the README's test command, what CI runs): fixed samples;
#   corpus make check-corpus: every module of the package.
BTFKIT_TIER="${BTFKIT_TIER:-check}"

# corpus_sample CHECK_EVERY [FAST_COUNT]: the lines of modules.list a corpus
# test covers in this tier: every CHECK_EVERY-th module in check (all when 1),
# the first FAST_COUNT (default 3) of those in fast, all in corpus.
corpus_sample() {
	local every="$1" fast="${2:-3}"
	case "$BTFKIT_TIER" in
	corpus) cat "$BTFKIT_CORPUS/modules.list" ;;
	fast) awk -v e="$every" 'e == 1 || NR % e == 1' "$BTFKIT_CORPUS/modules.list" | head -n "$fast" ;;
	*) awk -v e="$every" 'e == 1 || NR % e == 1' "$BTFKIT_CORPUS/modules.list" ;;
	esac
}

# in_tier NAME: false (after a SKIP line for NAME) in the fast tier, for the
# corpus tests too slow for it; make check runs them.
in_tier() {
	[ "$BTFKIT_TIER" != fast ] && return 0
	skip "$1" "not in make check-fast (make check runs it)"
	return 1
}

tmpdir() { mktemp -d "${TMPDIR:-/tmp}/btfkit-test.XXXXXX"; }

# sample_modules N OUT: N corpus modules spread evenly over the corpus list
# (every (total / N)-th), as paths, one a line, into OUT.
sample_modules() {
	local total step
	total=$(wc -l < "$BTFKIT_CORPUS/modules.list")
	step=$(( total / $1 ))
	[ "$step" -ge 1 ] || step=1
	awk -v s="$step" -v n="$1" '(NR - 1) % s == 0 && c < n { c++; print }' "$BTFKIT_CORPUS/modules.list" |
		sed "s|^|$BTFKIT_CORPUS/|" > "$2"
}

# need_helper NAME PATH: the test helper PATH (build/tests/*, make tests) is
# built; else a FAIL line for NAME and return 1.
need_helper() {
	local src="$BTFKIT_SRC/tests/helpers/$(basename "$2").c"
	[ -x "$2" ] && return 0
	# differential helpers are built only where libbpf is (Makefile HAVE_LIBBPF)
	if grep -qE '^#include (<bpf/|"kload.h")' "$src" 2>/dev/null &&
	   ! printf '#include <bpf/btf.h>\nint main(void){return 0;}\n' |
		${CC:-cc} -x c - -o /dev/null -lbpf 2>/dev/null; then
		skip "$1" "needs libbpf (the differential oracle), which is not installed"
		return 1
	fi
	fail "$1" "$2 not built"
	return 1
}

# run_halves LIST OUT CMD...: CMD, under nice, as two parallel processes
# (one per core), each reading one half of LIST's lines on standard input;
# their standard output and error, first half first, go to OUT. The
# temporary files OUT.part.* are removed.
run_halves() {
	local list="$1" out="$2" p
	shift 2
	split -n l/2 "$list" "$out.part."
	for p in "$out".part.*; do
		nice "$@" < "$p" > "$p.out" 2>&1 &
	done
	wait
	cat "$out".part.*.out > "$out"
	rm -f "$out".part.*
}

# canon_batch CANON LINES: run the comparison helper (build/tests/btf_canon)
# once on LINES (one argument list a line, see its --batch) and set
# CANON_OUT[k] / CANON_RC[k] to the output and exit status of the k-th.
canon_batch() {
	local line cur=
	CANON_OUT=()
	CANON_RC=()
	while IFS= read -r line; do
		if [[ $line == "== exit "* ]]; then
			CANON_OUT+=("${cur%$'\n'}")
			CANON_RC+=("${line#== exit }")
			cur=
		else
			cur+="$line"$'\n'
		fi
	done < <("$1" --batch <<< "${2%$'\n'}" 2>&1)
}
