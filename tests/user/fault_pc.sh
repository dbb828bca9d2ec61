#!/bin/sh
# The guest pc of a faulting access is exact on every backend: run PROGRAM
# (which dies by SIGSEGV in main) with -strace on the JIT and the interpreter;
# the reported signal lines must be identical and the pc inside main().
# usage: fault_pc.sh FERRY NM PROGRAM
ferry=$1 nm=$2 prog=$3
line() {
    "$ferry" run --backend="$1" -strace "$prog" </dev/null 2>&1 >/dev/null | grep -- '--- SIGSEGV'
}
jit=$(line jit) interp=$(line interp)
echo "jit:    $jit"
echo "interp: $interp"
[ -n "$jit" ] || { echo "FAIL: no SIGSEGV line from the JIT run"; exit 1; }
[ "$jit" = "$interp" ] || { echo "FAIL: the backends report different faults"; exit 1; }
pc=$(echo "$jit" | sed -n 's/.* at pc 0x\([0-9a-f]*\).*/\1/p')
start=$("$nm" "$prog" | awk '$3 == "main" { print $1 }')
[ -n "$pc" ] && [ -n "$start" ] || { echo "FAIL: no pc in the report or no main in $prog"; exit 1; }
if [ $((0x$pc)) -lt $((0x$start)) ] || [ $((0x$pc)) -ge $((0x$start + 256)) ]; then
    echo "FAIL: pc 0x$pc is not in main (0x$start)"
    exit 1
fi
echo "PASS: both backends report the fault at pc 0x$pc in main"
