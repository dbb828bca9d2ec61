#!/usr/bin/env bash
# VM benchmark: ferry's engines (KVM, and TCG with the JIT and with the
# interpreter) against qemu-system-x86_64 (KVM and TCG) on the same Multiboot
# guests (tests/guest/pc), and the compute guest at CPL3 against the same
# kernels run as a native host process.  Side by side in one run, medians of
# RUNS runs (default 5).  Never a pass/fail test.
#
#   bench/vm/run.sh [BUILD_DIR]      (default: build; needs ferry and pc_guests built)
#   RUNS=9 EXITS=20000 ROUNDS=300 bench/vm/run.sh build
#   NO_QEMU=1 bench/vm/run.sh        (ferry and native only: QEMU-KVM runs take seconds each)
#   NO_QEMU_KVM=1 bench/vm/run.sh    (QEMU's TCG rows only: QEMU-KVM takes ~35 s per boot on PVM)
#
# Installs Debian's qemu-system-x86 if qemu-system-x86_64 is missing (QEMU rows
# are skipped if that fails).  Rows:
#   start-to-exit   process start to guest exit, empty guest (wall clock)
#   exit round trip a guest doing EXITS OUTs to an unclaimed port, timed with
#                   its TSC (converted with the host's TSC rate), payload at
#                   CPL3 and CPL0; for ferry also from its own phase markers
#   compute CPL3    wall time in the kernels: guest phase markers 1..4 (ferry
#                   --stats) against the native process's own clock around
#                   them; and CPU time (user+system) of the whole process at
#                   ROUNDS rounds minus at 0 rounds, which a loaded machine
#                   does not inflate
#   compute, TCG    the translators on the compute guest: ferry --accel=tcg
#                   (JIT at ROUNDS, interpreter at INTERP_ROUNDS, default
#                   ROUNDS/10) and qemu -accel tcg, as CPU ms per round
#                   (R rounds minus 0 rounds), with the TCG/KVM ratio and
#                   QEMU-TCG over ferry-TCG (the issue's target: at least 1.3).
#                   Ferry TCG rows say "unavailable" (with the reason) where
#                   the TCG engine is not built.
# Timing rows show the median and the minimum.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
build=$(cd "$build" && pwd)
runs=${RUNS:-5}
exits=${EXITS:-5000}
rounds=${ROUNDS:-300}
interp_rounds=${INTERP_ROUNDS:-$(( (${ROUNDS:-300} + 9) / 10 ))}
ferry=$build/cli/ferry
guests=$build/tests/guest/pc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for f in "$ferry" "$guests/empty.mb.elf" "$guests/exits.mb.elf" "$guests/compute.mb.elf"; do
    [ -e "$f" ] || { echo "bench: $f missing: cmake --build $build --target ferry pc_guests" >&2; exit 2; }
done

# ---- QEMU ---------------------------------------------------------------------
qemu=$(command -v qemu-system-x86_64 || true)
[ "${NO_QEMU:-0}" = 1 ] && qemu=skip
if [ -z "$qemu" ]; then
    echo "bench: installing qemu-system-x86 (Debian package) for the comparison..." >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    apt() { $sudo env DEBIAN_FRONTEND=noninteractive apt-get "$@"; }
    if apt install -y -q --no-install-recommends qemu-system-x86 >"$tmp/apt.log" 2>&1 ||
        { apt update -q >/dev/null 2>&1 &&
          apt install -y -q --no-install-recommends qemu-system-x86 >"$tmp/apt.log" 2>&1; }; then
        qemu=$(command -v qemu-system-x86_64 || true)
    fi
    [ -n "$qemu" ] || { echo "bench: qemu-system-x86 could not be installed; QEMU rows skipped" >&2; tail -3 "$tmp/apt.log" >&2; }
fi
[ "$qemu" = skip ] && qemu=""
qemu_kvm=$qemu
[ "${NO_QEMU_KVM:-0}" = 1 ] && qemu_kvm=""
qemu_run() { # qemu_run ACCEL IMAGE [append]
    "$qemu" -accel "$1" -M pc -m 128 -nodefaults -no-user-config -display none -no-reboot \
        -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$2" ${3:+-append "$3"}
}
ferry_run() { # ferry_run IMAGE [cmdline...]
    "$ferry" vm --accel=kvm "$@"
}
ferry_tcg() { # ferry_tcg jit|interp IMAGE [cmdline...]
    local b=$1
    shift
    "$ferry" vm --accel=tcg --backend="$b" "$@"
}
tcg_why=$("$ferry" vm --probe 2>/dev/null | sed -n 's/^TCG: not available: //p' || true)
[ -n "$tcg_why" ] || "$ferry" vm --probe 2>/dev/null | grep -q '^TCG: usable' ||
    tcg_why="ferry vm --probe does not report a usable TCG engine"

# ---- helpers ------------------------------------------------------------------
now_ns() { date +%s%N; }
# time_ms CMD...: wall-clock ms of one run (stdout/stderr discarded); the guest's
# debug-exit status 1 (exit code 0) is the expected end.
time_ms() {
    local t0 t1 st=0
    t0=$(now_ns)
    "$@" >/dev/null 2>&1 </dev/null || st=$?
    t1=$(now_ns)
    if [ "$st" != 1 ] && [ "$st" != 0 ]; then
        echo "bench: '$*' ended with status $st" >&2
        echo nan
        return
    fi
    echo $(( (t1 - t0) / 1000 )) | awk '{printf "%.3f\n", $1 / 1000}'
}
median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) {print "nan"; exit} m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.3f", m}'; }
# summary: "median (min X)" of the numbers on stdin
summary() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) {print "nan"; exit} m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.3f  (min %.3f)", m, a[1]}'; }
# med_ms CMD...: wall-clock ms over $runs runs, as a summary
med_ms() {
    for _ in $(seq "$runs"); do time_ms "$@"; done | grep -v nan | summary
}
# cpu_ms CMD...: user+system CPU ms of one run (not inflated by waiting for a
# CPU on a loaded machine)
cpu_ms() {
    local TIMEFORMAT='%3U %3S'
    { time { "$@" >/dev/null 2>&1 </dev/null || true; }; } 2>&1 | awk '{printf "%.3f\n", ($1 + $2) * 1000}'
}
# marker_once FROM TO CMD...: ms between two of ferry's phase markers (--stats)
marker_once() {
    local from=$1 to=$2
    shift 2
    { FERRY_STATS=1 "$@" 2>&1 >/dev/null || true; } | awk -v f="$from" -v t="$to" \
        '$1 == "marker" && $2 == f {a = $3} $1 == "marker" && $2 == t {b = $3} END {if (a != "" && b != "") printf "%.3f\n", b - a}'
}
# marker_ms FROM TO CMD...: $runs of them, as a summary
marker_ms() {
    for _ in $(seq "$runs"); do marker_once "$@"; done | summary
}
row() { printf "  %-52s %s\n" "$1" "$2"; }

# ---- native compute -------------------------------------------------------------
# The kernels compiled with exactly the guest's flags (tests/guest/pc/
# CMakeLists.txt), linked to a hosted main that times them.
cc=${CC:-cc}
$cc -O2 -std=gnu11 -ffreestanding -fno-pic -fno-pie -mno-red-zone -mgeneral-regs-only \
    -fno-stack-protector -fno-asynchronous-unwind-tables -fcf-protection=none \
    -fno-tree-loop-distribute-patterns -fno-common -c "$here/kernels.c" -o "$tmp/kernels.o"
$cc -O2 -std=gnu11 -fno-pie -no-pie -I"$here" "$here/native_compute.c" "$tmp/kernels.o" -o "$tmp/native_compute"
$cc -O2 "$here/tsc_hz.c" -o "$tmp/tsc_hz"
tsc_hz=$("$tmp/tsc_hz")

echo "== ferry VM benchmark: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   medians of $runs runs; ferry: $ferry; host TSC $(awk -v h="$tsc_hz" 'BEGIN {printf "%.3f GHz", h / 1e9}')"
"$ferry" vm --probe 2>&1 | grep -E "^(host CPU|KVM backend|KVM:|TCG:)" | sed 's/^/   /'
[ -n "$qemu" ] && echo "   QEMU: $("$qemu" --version | head -n1)"
echo

echo "-- start to exit, empty guest (ms, process start to guest exit)"
row "ferry vm --accel=kvm  (Multiboot)" "$(med_ms ferry_run "$guests/empty.mb.elf")"
row "ferry vm --accel=kvm  (ELF64, --entry-ring=3)" "$(med_ms ferry_run --entry-ring=3 "$guests/empty.elf64")"
row "ferry vm --accel=kvm  (ELF64, CPL0)" "$(med_ms ferry_run "$guests/empty.elf64")"
if [ -n "$qemu" ]; then
    [ -z "$qemu_kvm" ] || row "qemu-system-x86_64 -accel kvm (Multiboot)" "$(med_ms qemu_run kvm "$guests/empty.mb.elf")"
    row "qemu-system-x86_64 -accel tcg (Multiboot)" "$(med_ms qemu_run tcg "$guests/empty.mb.elf")"
fi
echo "   target: ferry under 20 ms"
echo

echo "-- port-I/O exit round trip (us per OUT to an unclaimed port; $exits OUTs timed by the guest's TSC)"
# tsc_once CMD...: us per OUT from the guest's "exits: N OUTs in T TSC ticks"
tsc_once() {
    { "$@" 2>/dev/null </dev/null || true; } |
        awk -v hz="$tsc_hz" '$1 == "exits:" {printf "%.3f\n", $5 / $2 / hz * 1e6}'
}
# Interleaved runs (ferry, QEMU-KVM, QEMU-TCG, ...) so that load drifting over
# the run hits every row alike.
for ring in 3 0; do
    ra=""
    [ $ring = 3 ] && ra="ring=3"
    for _ in $(seq "$runs"); do
        tsc_once ferry_run "$guests/exits.mb.elf" n=$exits report=1 $ra >>"$tmp/x.ferry$ring"
        marker_once 1 2 ferry_run "$guests/exits.mb.elf" n=$exits $ra |
            awk -v n="$exits" '{printf "%.3f\n", $1 * 1000 / n}' >>"$tmp/x.marker$ring"
        if [ -n "$qemu" ]; then
            [ -z "$qemu_kvm" ] || tsc_once qemu_run kvm "$guests/exits.mb.elf" "n=$exits report=1 $ra" >>"$tmp/x.qkvm$ring"
            tsc_once qemu_run tcg "$guests/exits.mb.elf" "n=$exits report=1 $ra" >>"$tmp/x.qtcg$ring"
        fi
    done
    row "ferry kvm, payload at CPL$ring" "$(summary <"$tmp/x.ferry$ring")"
    row "ferry kvm, payload at CPL$ring (ferry's phase markers)" "$(summary <"$tmp/x.marker$ring")"
    if [ -n "$qemu" ]; then
        [ -z "$qemu_kvm" ] || row "qemu -accel kvm, payload at CPL$ring" "$(summary <"$tmp/x.qkvm$ring")"
        row "qemu -accel tcg, payload at CPL$ring (no real exit)" "$(summary <"$tmp/x.qtcg$ring")"
    fi
done
echo "   target: ferry no slower than QEMU with KVM"
echo

echo "-- compute guest (CRC-32, sieve, matrix multiply) x $rounds rounds, payload at CPL3"
# Interleaved runs, so that load drifting over the run hits every column alike.
# Wall: ms in the kernels (native: its own clock; guest: phase markers 1..4).
# CPU: user+system ms of the whole process at $rounds rounds minus at 0 rounds.
for _ in $(seq "$runs"); do
    "$tmp/native_compute" "$rounds" 2>&1 >/dev/null | awk '{print $2}' >>"$tmp/native.wall"
    marker_once 1 4 ferry_run "$guests/compute.mb.elf" rounds=$rounds ring=3 >>"$tmp/mb.wall"
    marker_once 1 4 ferry_run --entry-ring=3 "$guests/compute.elf64" rounds=$rounds >>"$tmp/e64.wall"
    n1=$(cpu_ms "$tmp/native_compute" "$rounds")
    n0=$(cpu_ms "$tmp/native_compute" 0)
    m1=$(cpu_ms ferry_run "$guests/compute.mb.elf" rounds=$rounds ring=3)
    m0=$(cpu_ms ferry_run "$guests/compute.mb.elf" rounds=0 ring=3)
    e1=$(cpu_ms ferry_run --entry-ring=3 "$guests/compute.elf64" rounds=$rounds)
    e0=$(cpu_ms ferry_run --entry-ring=3 "$guests/compute.elf64" rounds=0)
    echo "$n1 $n0" | awk '{print $1 - $2}' >>"$tmp/native.cpu"
    echo "$m1 $m0" | awk '{print $1 - $2}' >>"$tmp/mb.cpu"
    echo "$e1 $e0" | awk '{print $1 - $2}' >>"$tmp/e64.cpu"
done
vs() { # vs FILE NATIVE-FILE: "(+x.y% vs native)" from the medians
    awk -v g="$(median <"$1")" -v n="$(median <"$2")" 'BEGIN {if (n > 0) printf "%+.1f%% vs native", (g / n - 1) * 100}'
}
printf "  %-52s %-28s %s\n" "" "wall ms in the kernels" "CPU ms (R rounds - 0 rounds)"
cmp_row() { # cmp_row LABEL NAME
    printf "  %-52s %-28s %s\n" "$1" "$(summary <"$tmp/$2.wall")" "$(summary <"$tmp/$2.cpu")"
    if [ "$2" != native ]; then
        printf "  %-52s %-28s %s\n" "" "$(vs "$tmp/$2.wall" "$tmp/native.wall")" "$(vs "$tmp/$2.cpu" "$tmp/native.cpu")"
    fi
}
cmp_row "native host process" native
cmp_row "ferry kvm, Multiboot, kit drops to CPL3" mb
cmp_row "ferry kvm, ELF64 --entry-ring=3" e64
if [ -n "$qemu" ]; then
    [ -z "$qemu_kvm" ] || row "qemu -accel kvm, CPL3 (whole run, wall clock)" "$(med_ms qemu_run kvm "$guests/compute.mb.elf" "rounds=$rounds ring=3")"
fi
echo "   target: the CPL3 guest within 5% of native"

echo
echo "-- compute guest on the translators (TCG): CPU ms per round (R rounds - 0 rounds, / R), payload at CPL3"
# Interleaved runs.  CPU time of the whole process at R rounds minus at 0
# rounds, divided by R: the per-round cost of the kernels, start-up excluded.
per_round() { # per_round R CMD-R... -- CMD-0...: CPU ms per round of one run pair
    local r=$1 a=() b=()
    shift
    while [ "$1" != -- ]; do a+=("$1"); shift; done
    shift
    b=("$@")
    local c1 c0
    c1=$(cpu_ms "${a[@]}")
    c0=$(cpu_ms "${b[@]}")
    echo "$c1 $c0 $r" | awk '{printf "%.4f\n", ($1 - $2) / $3}'
}
for _ in $(seq "$runs"); do
    per_round "$rounds" ferry_run "$guests/compute.mb.elf" rounds=$rounds ring=3 -- \
        ferry_run "$guests/compute.mb.elf" rounds=0 ring=3 >>"$tmp/t.kvm"
    if [ -z "$tcg_why" ]; then
        per_round "$rounds" ferry_tcg jit "$guests/compute.mb.elf" rounds=$rounds ring=3 -- \
            ferry_tcg jit "$guests/compute.mb.elf" rounds=0 ring=3 >>"$tmp/t.jit"
        per_round "$interp_rounds" ferry_tcg interp "$guests/compute.mb.elf" rounds=$interp_rounds ring=3 -- \
            ferry_tcg interp "$guests/compute.mb.elf" rounds=0 ring=3 >>"$tmp/t.interp"
    fi
    if [ -n "$qemu" ]; then
        per_round "$rounds" qemu_run tcg "$guests/compute.mb.elf" "rounds=$rounds ring=3" -- \
            qemu_run tcg "$guests/compute.mb.elf" "rounds=0 ring=3" >>"$tmp/t.qtcg"
    fi
done
ratio() { # ratio NUM-FILE DEN-FILE: median(NUM) / median(DEN)
    awk -v a="$(median <"$1")" -v b="$(median <"$2")" 'BEGIN {if (b > 0) printf "%.2fx", a / b; else printf "n/a"}'
}
printf "  %-52s %-28s %s\n" "" "CPU ms per round" "vs ferry kvm"
printf "  %-52s %-28s %s\n" "ferry vm --accel=kvm ($rounds rounds)" "$(summary <"$tmp/t.kvm")" "1.00x"
if [ -z "$tcg_why" ]; then
    printf "  %-52s %-28s %s\n" "ferry vm --accel=tcg --backend=jit ($rounds rounds)" "$(summary <"$tmp/t.jit")" "$(ratio "$tmp/t.jit" "$tmp/t.kvm")"
    printf "  %-52s %-28s %s\n" "ferry vm --accel=tcg --backend=interp ($interp_rounds rounds)" "$(summary <"$tmp/t.interp")" "$(ratio "$tmp/t.interp" "$tmp/t.kvm")"
else
    row "ferry vm --accel=tcg --backend=jit" "unavailable: $tcg_why"
    row "ferry vm --accel=tcg --backend=interp" "unavailable: $tcg_why"
fi
if [ -n "$qemu" ]; then
    printf "  %-52s %-28s %s\n" "qemu -accel tcg ($rounds rounds)" "$(summary <"$tmp/t.qtcg")" "$(ratio "$tmp/t.qtcg" "$tmp/t.kvm")"
    if [ -z "$tcg_why" ]; then
        row "speed of ferry TCG (jit) over QEMU TCG" "$(ratio "$tmp/t.qtcg" "$tmp/t.jit")  (QEMU's time / ferry's; target: at least 1.30x)"
    else
        row "speed of ferry TCG (jit) over QEMU TCG" "unavailable: $tcg_why"
    fi
fi
echo "   TCG/KVM: above 1 means slower than ferry's KVM engine; the issue's target is ferry TCG at 1.3x QEMU TCG's speed"
