#!/usr/bin/env bash
# ferry bench (and ferry vm --accel=auto's message) on the kit guests.
#   bench.sh CASE FERRY JSON_CHECK GUEST_DIR
# Cases needing an engine that cannot run here print "SKIP: <reason>" and exit
# 77.  The guest is compute small=1 entered at CPL3 (quick on every engine).
set -u
case_=$1 ferry=$2 jcheck=$3 gdir=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
guest=(--entry-ring=3 "$gdir/compute.elf64" small=1)
fail() { echo "FAIL: $*"; echo "--- stdout:"; cat "$tmp/out"; echo "--- stderr:"; cat "$tmp/err"; exit 1; }
kvm_ok() { "$ferry" vm --probe >/dev/null 2>&1; }
tcg_ok() { "$ferry" vm --probe 2>/dev/null | grep -q '^TCG: usable'; }
need_engine() {
    kvm_ok || tcg_ok || { echo "SKIP: neither KVM nor TCG can run here: $("$ferry" vm --probe 2>&1 | grep -E '^(KVM|TCG): ' | tr '\n' ' ')"; exit 77; }
}
bench() { "$ferry" bench "$@" >"$tmp/out" 2>"$tmp/err"; }

case $case_ in
table)
    need_engine
    bench --runs 3 "${guest[@]}" || fail "exit status $? (expected 0)"
    grep -Eq '^engine +wall ms +min +max +guest ms +phase 1 +phase 2 +phase 3 +phase 4 +blocks +code bytes +wall/kvm +guest/kvm +exits \(by reason\)$' "$tmp/out" || fail "no table header"
    for e in kvm tcg-jit tcg-interp; do
        grep -Eq "^$e +([0-9]+\.[0-9]{3} +){8}|^$e +not available: " "$tmp/out" || fail "no row for $e"
    done
    grep -q "guest output (.* bytes, fnv1a64 [0-9a-f]\{16\}), the same in all [0-9]* runs; machine exited, exit status 1" "$tmp/out" || fail "no output summary"
    grep -q '^  | compute: small rounds 1 crc32 974c2e4a' "$tmp/out" || fail "guest output not printed once"
    [ "$(grep -c 'compute: small' "$tmp/out")" = 1 ] || fail "guest output printed more than once"
    if kvm_ok; then
        grep -Eq '^kvm +[0-9.]+ .* - +- +- +- +[0-9]+ \(io [0-9]+\)' "$tmp/out" || fail "kvm row: exits by reason"
    fi
    ;;
json)
    need_engine
    bench --runs 2 --json "${guest[@]}" || fail "exit status $? (expected 0)"
    checks=(engines#=3 engines.0.name=kvm engines.1.name=tcg-jit engines.2.name=tcg-interp
            agree=true runs=2 entry_ring=0 output.exit_status=1 output.end=exited output.fnv1a64?)
    # entry_ring is the requested one
    checks[6]=entry_ring=3
    for i in 0 1 2; do
        if grep -q "\"name\": \"$(sed -n "$((i+1))p" <<<$'kvm\ntcg-jit\ntcg-interp')\", \"available\": true" "$tmp/out"; then
            checks+=(engines.$i.available=true engines.$i.runs_done=2 engines.$i.runs_failed=0
                     engines.$i.agree=true engines.$i.wall_ms.n=2 engines.$i.phases_ms#=4
                     engines.$i.wall_runs_ms#=2 engines.$i.exits_by_reason?)
        else
            checks+=(engines.$i.available=false engines.$i.reason?)
        fi
    done
    "$jcheck" "${checks[@]}" <"$tmp/out" >>"$tmp/err" 2>&1 || fail "json_check"
    ;;
agree)
    need_engine
    bench --runs 3 "${guest[@]}" || fail "exit status $? (expected 0)"
    grep -q "DISAGREE" "$tmp/out" "$tmp/err" && fail "runs reported as disagreeing"
    ;;
unavailable)
    # No KVM device: the kvm row says why; TCG rows run or say why.
    FERRY_KVM_DEV=/nonexistent-ferry/kvm bench --runs 1 "${guest[@]}"
    st=$?
    grep -Eq '^kvm +not available: no /nonexistent-ferry/kvm: the kernel has no KVM' "$tmp/out" || fail "kvm row without its reason"
    if tcg_ok; then
        [ $st = 0 ] || fail "exit status $st with TCG usable (expected 0)"
        grep -Eq '^tcg-jit +[0-9]' "$tmp/out" || fail "tcg-jit did not run"
    else
        [ $st = 125 ] || fail "exit status $st with no engine (expected 125)"
        grep -Eq '^tcg-jit +not available: .+' "$tmp/out" || fail "tcg-jit row without its reason"
        grep -q "no engine can run here" "$tmp/err" || fail "no 'no engine' message"
    fi
    ;;
engines)
    need_engine
    kvm_ok || { echo "SKIP: needs KVM"; exit 77; }
    bench --runs 1 --engines kvm "${guest[@]}" || fail "exit status $? (expected 0)"
    grep -Eq '^kvm +[0-9]' "$tmp/out" || fail "no kvm row"
    grep -Eq '^tcg' "$tmp/out" && fail "TCG rows although --engines kvm"
    ;;
disagree)
    # The exits guest with report=1 prints its TSC tick count: every run
    # differs, which ferry bench must report loudly (exit 1).
    kvm_ok || { echo "SKIP: needs KVM"; exit 77; }
    bench --runs 2 --engines kvm --entry-ring=3 "$gdir/exits.elf64" n=10 report=1
    st=$?
    [ $st = 1 ] || fail "exit status $st (expected 1)"
    grep -q "DISAGREEMENT: kvm run 2 differs from kvm run 1" "$tmp/err" || fail "no DISAGREEMENT message"
    grep -q "first difference at byte" "$tmp/err" || fail "no first difference"
    grep -Eq '^kvm .*\[DISAGREES\]' "$tmp/out" || fail "row not marked"
    ;;
bad_engine)
    bench --engines kvm,xen "$gdir/hello.elf64"
    st=$?
    [ $st = 2 ] || fail "exit status $st (expected 2)"
    grep -q "unknown engine 'xen'" "$tmp/err" || fail "no message"
    ;;
auto_choice)
    # ferry vm --accel=auto says what it chose and why, on one line.
    "$ferry" vm --entry-ring=3 "$gdir/hello.elf64" >"$tmp/out" 2>"$tmp/err"
    st=$?
    if kvm_ok || tcg_ok; then
        [ $st = 1 ] || fail "exit status $st (expected 1)"
        grep -Eq '^ferry vm: --accel=auto chose (kvm|tcg): .+' "$tmp/err" || fail "no choice line"
        if kvm_ok && ! tcg_ok; then
            grep -q "chose kvm: KVM usable; TCG not available: " "$tmp/err" || fail "reason"
        fi
    else
        grep -q "no usable engine: KVM: .*; and TCG: " "$tmp/err" || fail "no reason"
    fi
    FERRY_KVM_DEV=/nonexistent-ferry/kvm "$ferry" vm "$gdir/hello.elf64" >"$tmp/out" 2>"$tmp/err"
    if tcg_ok; then
        grep -q "chose tcg: KVM not usable: no /nonexistent-ferry/kvm" "$tmp/err" || fail "reason without KVM"
    else
        grep -q "no usable engine: KVM: no /nonexistent-ferry/kvm" "$tmp/err" || fail "reason without KVM"
    fi
    ;;
tcg_options)
    # -one-insn-per-tb and --backend reach the TCG engine (ferry bench, ferry vm).
    tcg_ok || { echo "SKIP: the TCG engine is not usable here: $("$ferry" vm --probe 2>/dev/null | sed -n 's/^TCG: //p')"; exit 77; }
    counts() { sed -n 's/.*"blocks_translated": \([0-9]*\),.*"guest_insns": \([0-9]*\),.*/\1 \2/p' "$tmp/out" | head -n1; }
    bench --runs 1 --json --engines tcg-jit -one-insn-per-tb "${guest[@]}" || fail "exit status $? (-one-insn-per-tb)"
    read -r b1 i1 <<<"$(counts)"
    [ -n "$b1" ] && [ "$b1" = "$i1" ] || fail "-one-insn-per-tb: $b1 blocks for $i1 guest instructions"
    bench --runs 1 --json --engines tcg-jit "${guest[@]}" || fail "exit status $?"
    read -r b2 i2 <<<"$(counts)"
    [ -n "$b2" ] && [ "$b2" -lt "$i2" ] || fail "default: $b2 blocks for $i2 guest instructions"
    "$ferry" vm --accel=tcg --backend=interp --stats "${guest[@]}" >"$tmp/out" 2>"$tmp/err" || [ $? = 1 ] || fail "ferry vm --backend=interp"
    grep -Eq '^backend +interp' "$tmp/err" || fail "--backend=interp did not reach the TCG engine"
    ;;
*)
    echo "bench.sh: unknown case $case_" >&2
    exit 2
    ;;
esac
echo "ok: $case_"
