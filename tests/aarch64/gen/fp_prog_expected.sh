#!/bin/sh
# Regenerate tests/aarch64/fp_prog_expected/*.out: build each fp_prog_*.c as
# the test does (aarch64-linux-gnu-gcc -static, -O3 for fp_prog_vec, -O2 for
# the rest) and record its stdout under qemu-aarch64 (the oracle; never ferry).
set -e
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for p in fp_prog_math fp_prog_string fp_prog_vec; do
    opt=-O2
    [ $p = fp_prog_vec ] && opt=-O3
    aarch64-linux-gnu-gcc -static $opt -Wall -o "$tmp/$p" "$here/$p.c" -lm
    qemu-aarch64 -cpu neoverse-n1 "$tmp/$p" > "$here/fp_prog_expected/$p.out"
    echo "$p: $(wc -l < "$here/fp_prog_expected/$p.out") lines"
done
