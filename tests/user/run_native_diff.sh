#!/bin/sh
# The strongest oracle Ferry has: run a guest program natively and under
# `ferry run` (when guest and host are the same architecture) and require the
# same stdout and the same exit status, which must also be the expected one
# (a death by signal N is 128+N, as a shell sees it).
# usage: run_native_diff.sh FERRY BACKEND STATUS [-E VAR=value | -U VAR]... PROGRAM [ARGS...]
# -E/-U set or remove an environment variable for both runs (ferry's own -E/-U
# for the guest, env(1) for the native run).
ferry=$1 backend=$2 status=$3
shift 3
fopts="" nset="" nunset=""
while [ $# -gt 1 ]; do
    case $1 in
    -E) fopts="$fopts -E $2" nset="$nset $2" ;;
    -U) fopts="$fopts -U $2" nunset="$nunset -u $2" ;;
    *) break ;;
    esac
    shift 2
done
prog=$1
shift
[ -x "$prog" ] || { echo "FAIL: $prog was not built"; exit 1; }
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
ulimit -c 0 2>/dev/null
# (the word splitting of $nunset, $nset and $fopts is wanted: no value has
# spaces; env(1) wants its -u options before the settings)
# shellcheck disable=SC2086
env $nunset $nset "$prog" "$@" </dev/null >"$work/native.out" 2>"$work/native.err"
ns=$?
# shellcheck disable=SC2086
"$ferry" run --backend="$backend" $fopts "$prog" "$@" </dev/null >"$work/ferry.out" 2>"$work/ferry.err"
fs=$?
ok=1
if [ "$ns" != "$status" ]; then
    echo "FAIL: the native run exited with $ns, expected $status (a broken test?)"
    head -5 "$work/native.err"
    ok=0
fi
if [ "$fs" != "$ns" ]; then
    echo "FAIL: exit status under ferry $fs, natively $ns"
    ok=0
fi
if ! cmp -s "$work/native.out" "$work/ferry.out"; then
    echo "FAIL: stdout differs (- native, + ferry):"
    diff -u "$work/native.out" "$work/ferry.out" | head -60
    ok=0
fi
if [ $ok = 0 ]; then
    echo "--- ferry's stderr:"
    head -40 "$work/ferry.err"
    exit 1
fi
echo "PASS: $backend: stdout ($(wc -c <"$work/ferry.out") bytes) and exit status $fs match the native run"
