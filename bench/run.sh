#!/usr/bin/env bash
# `make bench`: time btfkit against the reference tools (bpftool, libbpf) on
# the same inputs in one run and print ratios. Every bench/NN-*.sh script is
# run in order; each prints its own table through the helpers in bench/lib.sh.
# Usage: bench/run.sh [NAME...]   (NAME matches a script's basename, e.g. raw)
# Environment: BUILD (default build), BTFKIT_CORPUS, BENCH_REPEAT (default 5).
set -u
cd "$(dirname "$0")/.."
export BUILD="${BUILD:-build}"
export BTFKIT="$PWD/$BUILD/btfkit"
export BTFKIT_BUILD="$PWD/$BUILD"
export BTFKIT_SRC="$PWD"
export BTFKIT_CORPUS="${BTFKIT_CORPUS:-/var/cache/btfkit-corpus}"
export BENCH_REPEAT="${BENCH_REPEAT:-5}"
echo "btfkit benchmarks — $(nproc) CPUs, $(uname -r), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "times are the median of $BENCH_REPEAT runs (wall clock); peak RSS in MiB; ratio = btfkit / reference"
for f in bench/[0-9]*.sh; do
	[ -e "$f" ] || continue
	if [ $# -gt 0 ]; then
		want=0
		for n in "$@"; do case "$(basename "$f")" in *"$n"*) want=1 ;; esac; done
		[ $want -eq 1 ] || continue
	fi
	bash "$f"
done
