#!/usr/bin/env bash
# Ctrl-C stops a running vCPU cleanly, on any engine: start a guest that
# spins without exits, wait for its "spinning" line, send SIGINT, expect exit
# status 130, the "stopped by" message and the --stats report (the process
# was not killed).  With --accel=kvm: SKIP (exit 77) where KVM is not usable.
#
# sigint.sh FERRY FERRY-VM-ARGS...   (tests/kvm and tests/vm_tcg)
set -u
ferry=$1
shift

case " $* " in *" --accel=kvm "*) need_kvm=1 ;; *) need_kvm=0 ;; esac
if [ $need_kvm = 1 ] && ! probe=$("$ferry" vm --probe 2>&1); then
    echo "SKIP: KVM is not usable here: $(printf '%s\n' "$probe" | sed -n 's/^KVM: not usable //p')"
    exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
set -m # a background job of a script would otherwise ignore SIGINT
"$ferry" vm --stats "$@" </dev/null >"$tmp/out" 2>"$tmp/err" &
pid=$!
for _ in $(seq 200); do
    grep -q "spinning" "$tmp/out" 2>/dev/null && break
    sleep 0.05
done
if ! grep -q "spinning" "$tmp/out"; then
    kill -KILL $pid 2>/dev/null
    echo "FAIL: the guest did not start spinning within 10 s"
    cat "$tmp/out" "$tmp/err"
    exit 1
fi
sleep 0.2
kill -INT $pid
for _ in $(seq 100); do
    kill -0 $pid 2>/dev/null || break
    sleep 0.05
done
if kill -0 $pid 2>/dev/null; then
    kill -KILL $pid
    echo "FAIL: ferry did not stop within 5 s of SIGINT"
    exit 1
fi
wait $pid
status=$?
fail=0
[ $status = 130 ] || { echo "FAIL: exit status $status, expected 130"; fail=1; }
grep -q "stopped by Interrupt" "$tmp/err" || { echo "FAIL: no 'stopped by Interrupt' message"; fail=1; }
grep -q "machine interrupted" "$tmp/err" || { echo "FAIL: no --stats report after the stop"; fail=1; }
if [ $fail = 1 ]; then
    cat "$tmp/out" "$tmp/err"
    exit 1
fi
echo "ok: SIGINT stopped ferry vm $* (exit 130)"
