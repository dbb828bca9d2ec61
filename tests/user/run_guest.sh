#!/bin/sh
# Run one guest program under `ferry run` and compare its stdout and exit
# status with the expected ones (tests/guest/<arch>/CMakeLists.txt).
# usage: run_guest.sh FERRY BACKEND EXPECTED_STDOUT EXPECTED_STATUS [FERRY-OPTIONS] PROGRAM [ARGS...]
ferry=$1 backend=$2 expected=$3 status=$4
shift 4
out=$(mktemp) || exit 1
err=$(mktemp) || exit 1
trap 'rm -f "$out" "$err"' EXIT
"$ferry" run --backend="$backend" "$@" </dev/null >"$out" 2>"$err"
got=$?
ok=1
if [ "$got" != "$status" ]; then
    echo "FAIL: exit status $got, expected $status"
    ok=0
fi
if ! cmp -s "$expected" "$out"; then
    echo "FAIL: stdout differs from $expected (- expected, + ferry):"
    diff -u "$expected" "$out" | head -60
    ok=0
fi
if [ $ok = 0 ]; then
    echo "--- ferry's stderr:"
    head -40 "$err"
    exit 1
fi
echo "PASS: $backend: stdout matches, exit status $got"
