#!/usr/bin/env bash
# VM benchmark: ferry's KVM engine against qemu-system-x86_64 (KVM and TCG) on
# the same Multiboot guests (tests/guest/pc), and the compute guest at CPL3
# against the same kernels run as a native host process.  Side by side in one
# run, medians of RUNS runs (default 5).  Never a pass/fail test.
#
#   bench/vm/run.sh [BUILD_DIR]      (default: build; needs ferry and pc_guests built)
#   RUNS=9 EXITS=20000 ROUNDS=300 bench/vm/run.sh build
#
# Installs Debian's qemu-system-x86 if qemu-system-x86_64 is missing (QEMU rows
# are skipped if that fails).  Rows:
#   start-to-exit   process start to guest exit, empty guest (wall clock)
#   exit round trip (time(n=EXITS) - time(n=0)) / EXITS for a guest doing one
#                   OUT to an unclaimed port per iteration, payload at CPL3 and
#                   CPL0; for ferry also from its own phase markers
#   compute CPL3    kernels time: guest phase markers 1..4 (ferry --stats)
#                   against the native process's own clock around the kernels
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
build=$(cd "$build" && pwd)
runs=${RUNS:-5}
exits=${EXITS:-5000}
rounds=${ROUNDS:-300}
ferry=$build/cli/ferry
guests=$build/tests/guest/pc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for f in "$ferry" "$guests/empty.mb.elf" "$guests/exits.mb.elf" "$guests/compute.mb.elf"; do
    [ -e "$f" ] || { echo "bench: $f missing: cmake --build $build --target ferry pc_guests" >&2; exit 2; }
done

# ---- QEMU ---------------------------------------------------------------------
qemu=$(command -v qemu-system-x86_64 || true)
if [ -z "$qemu" ]; then
    echo "bench: installing qemu-system-x86 (Debian package) for the comparison..." >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    if $sudo apt-get install -y -q --no-install-recommends qemu-system-x86 >"$tmp/apt.log" 2>&1 ||
        { $sudo apt-get update -q >/dev/null 2>&1 &&
          $sudo apt-get install -y -q --no-install-recommends qemu-system-x86 >"$tmp/apt.log" 2>&1; }; then
        qemu=$(command -v qemu-system-x86_64 || true)
    fi
    [ -n "$qemu" ] || { echo "bench: qemu-system-x86 could not be installed; QEMU rows skipped" >&2; tail -3 "$tmp/apt.log" >&2; }
fi
qemu_run() { # qemu_run ACCEL IMAGE [append]
    "$qemu" -accel "$1" -M pc -m 128 -nodefaults -no-user-config -display none -no-reboot \
        -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$2" ${3:+-append "$3"}
}
ferry_run() { # ferry_run IMAGE [cmdline...]
    "$ferry" vm --accel=kvm "$@"
}

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
    echo $(( (t1 - t0) / 1000 )) | awk '{printf "%.3f", $1 / 1000}'
}
median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) {print "nan"; exit} m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.3f", m}'; }
# med_ms CMD...: median wall-clock ms over $runs runs
med_ms() {
    local i
    for i in $(seq "$runs"); do time_ms "$@"; done | grep -v nan | median
}
# marker_ms FROM TO CMD...: median of (marker TO - marker FROM) from ferry --stats
marker_ms() {
    local from=$1 to=$2 i
    shift 2
    for i in $(seq "$runs"); do
        "$@" --stats 2>&1 >/dev/null | awk -v f="$from" -v t="$to" \
            '$1 == "marker" && $2 == f {a = $3} $1 == "marker" && $2 == t {b = $3} END {if (a != "" && b != "") printf "%.3f\n", b - a}'
    done | median
}
per_exit_us() { # per_exit_us MS_N MS_0 -> microseconds per exit
    awk -v a="$1" -v b="$2" -v n="$exits" 'BEGIN {if (a == "nan" || b == "nan") print "nan"; else printf "%.2f", (a - b) * 1000 / n}'
}
row() { printf "  %-44s %12s %s\n" "$1" "$2" "${3:-}"; }

# ---- native compute -------------------------------------------------------------
# The kernels compiled with the guest's code-generation flags (integer-only,
# non-PIC), linked to a hosted main that times them.
cc=${CC:-cc}
$cc -O2 -std=gnu11 -fno-pie -mgeneral-regs-only -fno-tree-loop-distribute-patterns \
    -fno-stack-protector -c "$here/kernels.c" -o "$tmp/kernels.o"
$cc -O2 -std=gnu11 -fno-pie -no-pie -I"$here" "$here/native_compute.c" "$tmp/kernels.o" -o "$tmp/native_compute"

echo "== ferry VM benchmark: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   medians of $runs runs; ferry: $ferry"
"$ferry" vm --probe 2>&1 | grep -E "^(host CPU|KVM backend|KVM:)" | sed 's/^/   /'
[ -n "$qemu" ] && echo "   QEMU: $("$qemu" --version | head -n1)"
echo

echo "-- start to exit, empty guest (ms, process start to guest exit)"
row "ferry vm --accel=kvm  (Multiboot)" "$(med_ms ferry_run "$guests/empty.mb.elf")"
row "ferry vm --accel=kvm  (ELF64, --entry-ring=3)" "$(med_ms ferry_run --entry-ring=3 "$guests/empty.elf64")"
row "ferry vm --accel=kvm  (ELF64, CPL0)" "$(med_ms ferry_run "$guests/empty.elf64")"
if [ -n "$qemu" ]; then
    row "qemu-system-x86_64 -accel kvm (Multiboot)" "$(med_ms qemu_run kvm "$guests/empty.mb.elf")"
    row "qemu-system-x86_64 -accel tcg (Multiboot)" "$(med_ms qemu_run tcg "$guests/empty.mb.elf")"
fi
echo "   target: ferry under 20 ms"
echo

echo "-- port-I/O exit round trip (us per OUT; $exits OUTs minus none)"
for ring in 3 0; do
    ra=""
    [ $ring = 3 ] && ra="ring=3"
    f_n=$(med_ms ferry_run "$guests/exits.mb.elf" n=$exits $ra)
    f_0=$(med_ms ferry_run "$guests/exits.mb.elf" n=0 $ra)
    f_m=$(marker_ms 1 2 ferry_run "$guests/exits.mb.elf" n=$exits $ra)
    row "ferry kvm, payload at CPL$ring (wall clock)" "$(per_exit_us "$f_n" "$f_0")"
    row "ferry kvm, payload at CPL$ring (phase markers)" \
        "$(awk -v m="$f_m" -v n="$exits" 'BEGIN {if (m == "nan") print "nan"; else printf "%.2f", m * 1000 / n}')"
    if [ -n "$qemu" ]; then
        q_n=$(med_ms qemu_run kvm "$guests/exits.mb.elf" "n=$exits $ra")
        q_0=$(med_ms qemu_run kvm "$guests/exits.mb.elf" "n=0 $ra")
        row "qemu -accel kvm, payload at CPL$ring" "$(per_exit_us "$q_n" "$q_0")"
        t_n=$(med_ms qemu_run tcg "$guests/exits.mb.elf" "n=$exits $ra")
        t_0=$(med_ms qemu_run tcg "$guests/exits.mb.elf" "n=0 $ra")
        row "qemu -accel tcg, payload at CPL$ring (no real exit)" "$(per_exit_us "$t_n" "$t_0")"
    fi
done
echo "   target: ferry no slower than QEMU with KVM"
echo

echo "-- compute guest (CRC-32, sieve, matrix multiply) x $rounds rounds, payload at CPL3 (ms in the kernels)"
native=$(for i in $(seq "$runs"); do "$tmp/native_compute" "$rounds" 2>&1 >/dev/null | awk '{print $2}'; done | median)
guest=$(marker_ms 1 4 ferry_run "$guests/compute.mb.elf" rounds=$rounds ring=3)
guest64=$(marker_ms 1 4 ferry_run --entry-ring=3 "$guests/compute.elf64" rounds=$rounds)
row "native host process" "$native"
row "ferry kvm, Multiboot, kit drops to CPL3" "$guest" \
    "$(awk -v g="$guest" -v n="$native" 'BEGIN {if (n > 0) printf "(%+.1f%% vs native)", (g / n - 1) * 100}')"
row "ferry kvm, ELF64 --entry-ring=3" "$guest64" \
    "$(awk -v g="$guest64" -v n="$native" 'BEGIN {if (n > 0) printf "(%+.1f%% vs native)", (g / n - 1) * 100}')"
if [ -n "$qemu" ]; then
    row "qemu -accel kvm, CPL3 (whole run, wall clock)" "$(med_ms qemu_run kvm "$guests/compute.mb.elf" "rounds=$rounds ring=3")"
fi
echo "   target: the CPL3 guest within 5% of native"
