#!/usr/bin/env bash
# Run one pc test guest under `ferry vm --accel=kvm` and compare its serial
# output and exit status with an expected file (the last line of which reads
# "[exit N]").  Where KVM is not usable: print "SKIP: <reason>", exit 77
# (ctest's SKIP_RETURN_CODE), never a pass.
#
# run_guest.sh FERRY EXPECTED [options] -- FERRY-VM-ARGS...
#   --subst KEY=VALUE   replace @KEY@ in the expected file (repeatable)
#   --stdin FILE        feed FILE to the guest's serial input
#   --stderr REGEX      ferry's stderr must match REGEX (grep -E), repeatable
#   --no-kvm            the case does not need KVM (checks ferry's own errors)
#   --env KEY=VALUE     set in ferry's environment (repeatable)
#   --append-file FILE  append "--- serial file:" and FILE to the output
#   --software-kvm      SKIP unless KVM is a software backend (PVM), where CPL0
#                       code is emulated
# @VENDOR@ in the expected file becomes this host's CPUID vendor string;
# @TMP@ in the arguments becomes a scratch directory.
set -u

ferry=$1
expected=$2
shift 2
substs=()
stderr_res=()
stdin=/dev/null
need_kvm=1
envs=()
append=
while [ $# -gt 0 ]; do
    case $1 in
    --subst) substs+=("$2"); shift 2 ;;
    --stdin) stdin=$2; shift 2 ;;
    --stderr) stderr_res+=("$2"); shift 2 ;;
    --no-kvm) need_kvm=0; shift ;;
    --env) envs+=("$2"); shift 2 ;;
    --append-file) append=$2; shift 2 ;;
    --software-kvm) need_kvm=2; shift ;;
    --) shift; break ;;
    *) echo "run_guest.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

if [ $need_kvm != 0 ]; then
    if ! probe=$("$ferry" vm --probe 2>&1); then
        reason=$(printf '%s\n' "$probe" | sed -n 's/^KVM: not usable //p')
        echo "SKIP: KVM is not usable here: ${reason:-$probe}"
        exit 77
    fi
    if [ $need_kvm = 2 ] && ! printf '%s\n' "$probe" | grep -q "^KVM backend: .*software"; then
        echo "SKIP: needs a software KVM backend (CPL0 code emulated); here: $(printf '%s\n' "$probe" | grep '^KVM backend')"
        exit 77
    fi
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

args=()
for a in "$@"; do
    args+=("${a//@TMP@/$tmp}")
done
env "${envs[@]+"${envs[@]}"}" "$ferry" vm "${args[@]}" <"$stdin" >"$tmp/out" 2>"$tmp/err"
status=$?
echo "[exit $status]" >>"$tmp/out"
if [ -n "$append" ]; then
    echo "--- serial file:" >>"$tmp/out"
    cat "${append//@TMP@/$tmp}" >>"$tmp/out" 2>&1
fi

vendor=$(sed -n 's/^vendor_id[[:space:]]*: //p' /proc/cpuinfo | head -n1)
cp "$expected" "$tmp/expected"
for kv in "VENDOR=$vendor" "${substs[@]+"${substs[@]}"}"; do
    key=${kv%%=*}
    value=${kv#*=}
    sed -i "s|@${key}@|${value}|g" "$tmp/expected"
done

fail=0
if ! diff -u "$tmp/expected" "$tmp/out" >"$tmp/diff"; then
    echo "FAIL: output or exit status differs from $expected (ferry vm $*):"
    cat "$tmp/diff"
    fail=1
fi
for re in "${stderr_res[@]+"${stderr_res[@]}"}"; do
    if ! grep -Eq -- "$re" "$tmp/err"; then
        echo "FAIL: stderr does not match /$re/"
        fail=1
    fi
done
if [ $fail = 1 ]; then
    echo "--- ferry's stderr:"
    cat "$tmp/err"
    exit 1
fi
echo "ok: ferry vm $* (exit $status)"
exit 0
