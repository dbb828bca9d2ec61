#!/usr/bin/env bash
# x86-64 user-mode benchmark: the bench/aarch64/*.c programs built natively
# (gcc -O2 -static), each run natively, under `ferry run` (JIT, and the
# interpreter unless INTERP=0) and under Debian's qemu-x86_64, medians of RUNS
# runs side by side with the qemu/ferry speed ratios and their geometric
# mean, then the static hello world's startup and busybox-static:amd64
# sha256sum.  The guest binary is the native binary itself, so every output
# is checked against the native run's.  It is bench/aarch64/run.sh with
# BENCH_GUEST=x86_64 (one script, one table format); see its header for the
# knobs (RUNS, INTERP, PROGS, HELLO_RUNS, SHA_MB).
#
#   bench/x86_64/run.sh [BUILD_DIR]   (default: build-bench-x64; builds the
#                                      bench_x64 target there if needed)
here=$(cd "$(dirname "$0")" && pwd)
BENCH_GUEST=x86_64 exec "$here/../aarch64/run.sh" "$@"
