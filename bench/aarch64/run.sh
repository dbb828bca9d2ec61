#!/usr/bin/env bash
# AArch64 user-mode benchmark: our programs (bench/aarch64/*.c) natively on
# x86-64, under `ferry run` (JIT and interpreter) and under Debian's
# qemu-aarch64, side by side in one run: every repetition runs each program on
# every engine in turn (the starting engine rotates), so load drift hits all
# engines alike.  Reports medians (and minimums) of RUNS runs of user+system
# CPU time (the machine is shared: CPU time is what a busy neighbour inflates
# least) and the wall-clock ratio too.  Never a pass/fail test.
#
#   bench/aarch64/run.sh [BUILD_DIR]   (default: build-bench-a64; builds the
#                                       bench_a64 target there if needed)
#   RUNS=5            repetitions (median and min of these)
#   INTERP=0          skip the interpreter column (it is the slow one)
#   PROGS="sieve crc32"  only these programs
#   HELLO_RUNS=20     runs of the static hello world (startup-to-exit)
#   SHA_MB=20         size of the busybox sha256sum input; SHA_MB=0 skips it
#
# Every run's output (the program's checksum line) must equal the native
# run's; a mismatch or a failed run shows as MISMATCH/FAIL in the table and
# is listed after it.  The interpreter runs each program with fewer
# repetitions (its own argument, below) and is compared with a native run of
# that same size: its column is its slowdown against native.
# Installs qemu-user with apt-get if qemu-aarch64 is missing (its column is
# then skipped if that fails); fetches busybox-static:arm64 as the tests do.
#
# BENCH_GUEST=x86_64 (bench/x86_64/run.sh sets it) benchmarks the x86-64
# frontend the same way: the guest is the native x86-64 build of each program
# itself, qemu is qemu-x86_64, busybox is busybox-static:amd64, and the build
# target bench_x64 (default build dir build-bench-x64).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
guest=${BENCH_GUEST:-aarch64}
case $guest in
aarch64) target=bench_a64 bb_arch=arm64 default_build=build-bench-a64 ;;
x86_64) target=bench_x64 bb_arch=amd64 default_build=build-bench-x64 ;;
*) echo "bench: unknown BENCH_GUEST '$guest' (aarch64 or x86_64)" >&2; exit 2 ;;
esac
build=${1:-$root/$default_build}
mkdir -p "$build" && build=$(cd "$build" && pwd)
runs=${RUNS:-5}
do_interp=${INTERP:-1}
hello_runs=${HELLO_RUNS:-20}
sha_mb=${SHA_MB:-20}
progs=${PROGS:-"sieve crc32 matmul_int matmul_fp quicksort hash bytecode strsearch"}
bin=$build/bench/aarch64
ferry=$build/cli/ferry
timeit=$bin/timeit
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# repetitions given to the interpreter (and its native reference); the other
# engines use each program's default (about 0.3-0.7 s natively)
declare -A interp_reps=([sieve]=2 [crc32]=15 [matmul_int]=6 [matmul_fp]=2 [quicksort]=1
                        [hash]=20 [bytecode]=1 [strsearch]=6)

need_build=0
for p in $progs hello; do
    [ -x "$bin/$p.$guest" ] && [ -x "$bin/$p.x86_64" ] || need_build=1
done
[ -x "$ferry" ] && [ -x "$timeit" ] || need_build=1
if [ $need_build = 1 ]; then
    echo "bench: building $target in $build ..." >&2
    [ -f "$build/CMakeCache.txt" ] ||
        cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null || exit 2
    cmake --build "$build" -j2 --target "$target" >"$tmp/build.log" 2>&1 ||
        { tail -20 "$tmp/build.log" >&2; exit 2; }
    [ -x "$bin/hello.$guest" ] ||
        { echo "bench: no $guest programs$([ "$guest" = aarch64 ] &&
            echo ': apt-get install gcc-aarch64-linux-gnu')" >&2; exit 2; }
fi

# ---- qemu-user -----------------------------------------------------------------
qemu=$(command -v "qemu-$guest" || command -v "qemu-$guest-static" || true)
if [ -z "$qemu" ]; then
    echo "bench: installing qemu-user (Debian package) for the comparison..." >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends qemu-user \
        >"$tmp/apt.log" 2>&1 || tail -3 "$tmp/apt.log" >&2
    qemu=$(command -v "qemu-$guest" || true)
    [ -n "$qemu" ] || echo "bench: qemu-user could not be installed; qemu column skipped" >&2
fi

# engine commands: run_ENGINE PROGRAM ARGS...
engines="native jit"
[ -n "$qemu" ] && engines="$engines qemu"
cmd_native() { local p=$1; shift; echo "$bin/$p.x86_64" "$@"; }
cmd_jit() { local p=$1; shift; echo "$ferry" run --backend=jit "$bin/$p.$guest" "$@"; }
cmd_interp() { local p=$1; shift; echo "$ferry" run --backend=interp "$bin/$p.$guest" "$@"; }
cmd_jitO0() { local p=$1; shift; echo "$ferry" run --backend=jit -O0 "$bin/$p.$guest" "$@"; }
cmd_qemu() { local p=$1; shift; echo "$qemu" "$bin/$p.$guest" "$@"; }

# measure KEY REF_FILE CMD...: one timed run; appends "wall cpu ok" to $tmp/KEY
measure() {
    local key=$1 ref=$2; shift 2
    local t ok=ok
    t=$("$timeit" "$tmp/out" "$@" 2>"$tmp/err") || t="0 0 0 125"
    set -- $t
    if [ "$4" != 0 ]; then
        ok=FAIL
    elif [ -n "$ref" ] && ! cmp -s "$tmp/out" "$ref"; then
        ok=MISMATCH
    fi
    if [ $ok != ok ]; then
        { echo "== $key: $ok (status $4)"; head -c 300 "$tmp/out"; head -c 300 "$tmp/err"; } >>"$tmp/problems"
    fi
    echo "$1 $(echo "$2 $3" | awk '{printf "%.6f", $1 + $2}') $ok" >>"$tmp/$key"
}

# stat KEY FIELD: "median min bad" of column FIELD (1 wall, 2 cpu)
stat() {
    [ -f "$tmp/$1" ] || { echo "- - 0"; return; }
    local bad
    bad=$(awk '$3 != "ok" { n++ } END { print n + 0 }' "$tmp/$1")
    awk -v f="$2" '{ print $f }' "$tmp/$1" | sort -g |
        awk -v bad="$bad" '{ v[NR] = $1 }
            END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
                  printf "%.4f %.4f %d\n", m, v[1], bad }'
}

# ---- reference outputs (native) -----------------------------------------------
for p in $progs; do
    $(cmd_native "$p") >"$tmp/ref.$p" || { echo "bench: native $p failed" >&2; exit 2; }
    $(cmd_native "$p" "${interp_reps[$p]}") >"$tmp/refi.$p" || exit 2
done

echo "ferry: $ferry ($(cd "$root" && git rev-parse --short HEAD 2>/dev/null)$(cd "$root" && git diff --quiet 2>/dev/null || echo '+dirty'))"
echo "qemu:  ${qemu:-none} ($([ -n "$qemu" ] && "$qemu" --version | head -1))"
echo "host:  $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); RUNS=$runs"
echo

# ---- programs ------------------------------------------------------------------
eng_list=($engines)
[ "$do_interp" = 1 ] && eng_list+=(interp)
for ((r = 0; r < runs; r++)); do
    echo "bench: repetition $((r + 1))/$runs ..." >&2
    for p in $progs; do
        n=${#eng_list[@]}
        for ((k = 0; k < n; k++)); do
            e=${eng_list[$(((k + r) % n))]}
            if [ "$e" = interp ]; then
                measure "$p.interp" "$tmp/refi.$p" $(cmd_interp "$p" "${interp_reps[$p]}")
                measure "$p.native_i" "$tmp/refi.$p" $(cmd_native "$p" "${interp_reps[$p]}")
            else
                measure "$p.$e" "$tmp/ref.$p" $(cmd_$e "$p")
            fi
        done
    done
done

cell() { # cell KEY FIELD: "median (min)" or the failure
    set -- $(stat "$1" "$2")
    if [ "$1" = - ]; then echo "-"; elif [ "$3" != 0 ]; then echo "$3xBAD"; else printf "%.3f (%.3f)" "$1" "$2"; fi
}
med() { set -- $(stat "$1" "$2"); [ "$3" = 0 ] && echo "$1" || echo -; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }

echo "CPU time (user+sys, s): median (min) of $runs runs; speed ratios from the medians"
fmt="%-11s %17s %17s %17s %12s %10s %10s %10s\n"
printf "$fmt" program native ferry-jit "qemu-$guest" "interp/nat" "qemu/jit" "jit/nat" "qemu/jit"
printf "$fmt" "" "" "" "" "(cpu)" "(cpu)" "(cpu)" "(wall)"
: >"$tmp/geo"
for p in $progs; do
    nat=$(med "$p.native" 2); jit=$(med "$p.jit" 2); qm=$(med "$p.qemu" 2)
    iq=-; [ "$do_interp" = 1 ] && iq=$(ratio "$(med "$p.interp" 2)" "$(med "$p.native_i" 2)")
    [ "$do_interp" = 1 ] && [ "$(stat "$p.interp" 2 | cut -d' ' -f3)" != 0 ] && iq=BAD
    qj=$(ratio "$qm" "$jit"); jn=$(ratio "$jit" "$nat")
    qjw=$(ratio "$(med "$p.qemu" 1)" "$(med "$p.jit" 1)")
    printf "$fmt" "$p" "$(cell "$p.native" 2)" "$(cell "$p.jit" 2)" "$(cell "$p.qemu" 2)" "$iq" "$qj" "$jn" "$qjw"
    echo "$iq $qj $jn $qjw" >>"$tmp/geo"
done
geo() { awk -v c="$1" '$c != "-" && $c != "BAD" { s += log($c); n++ } END { if (n) printf "%.2f", exp(s / n); else print "-" }' "$tmp/geo"; }
printf "$fmt" "geomean" "" "" "" "$(geo 1)" "$(geo 2)" "$(geo 3)" "$(geo 4)"
echo "(interp/nat: the interpreter at fewer repetitions against native at the same; qemu/jit > 1: ferry faster)"
echo

# ---- startup: static hello world ------------------------------------------------
if [ "$hello_runs" -gt 0 ]; then
    $(cmd_native hello) >"$tmp/ref.hello"
    for ((r = 0; r < hello_runs; r++)); do
        for e in $engines jitO0; do measure "hello.$e" "$tmp/ref.hello" $(cmd_$e hello); done
    done
    echo "startup-to-exit, static hello world: wall ms, median (min) of $hello_runs runs (jitO0: ferry -O0, for information)"
    for e in $engines jitO0; do
        set -- $(stat "hello.$e" 1)
        printf "  %-8s %8.2f (%.2f)  cpu %.2f%s\n" "$e" "$(awk -v x="$1" 'BEGIN{print x*1000}')" \
            "$(awk -v x="$2" 'BEGIN{print x*1000}')" "$(awk -v x="$(med "hello.$e" 2)" 'BEGIN{print x*1000}')" \
            "$([ "$3" != 0 ] && echo "  $3xBAD")"
    done
    [ -n "$qemu" ] && echo "  ferry-jit / qemu: $(ratio "$(med hello.jit 1)" "$(med hello.qemu 1)") (target <= 0.50)"
    echo
fi

# ---- busybox sha256sum ------------------------------------------------------------
if [ "$sha_mb" -gt 0 ]; then
    bb=""
    for d in "$build/tests/user/busybox" "$bin/busybox"; do
        [ -x "$d/$bb_arch/bin/busybox" ] && { bb=$d; break; }
    done
    if [ -z "$bb" ]; then
        sh "$root/tests/user/busybox_fetch.sh" "$bin/busybox" >&2
        [ -x "$bin/busybox/$bb_arch/bin/busybox" ] && bb=$bin/busybox
    fi
    if [ -z "$bb" ]; then
        echo "busybox sha256sum: skipped ($(cat "$bin/busybox/skip-reason" 2>/dev/null))"
    else
        data=$tmp/data.bin
        head -c $((sha_mb << 20)) /dev/urandom >"$data"
        (cd "$tmp" && sha256sum data.bin) >"$tmp/ref.sha"
        gbb=$bb/$bb_arch/bin/busybox
        nat_sha() { if [ -x "$bb/amd64/bin/busybox" ]; then echo "$bb/amd64/bin/busybox" sha256sum data.bin; else echo sha256sum data.bin; fi; }
        cd "$tmp"
        for ((r = 0; r < runs; r++)); do
            measure sha.native "$tmp/ref.sha" $(nat_sha)
            measure sha.jit "$tmp/ref.sha" "$ferry" run "$gbb" sha256sum data.bin
            [ -n "$qemu" ] && measure sha.qemu "$tmp/ref.sha" "$qemu" "$gbb" sha256sum data.bin
        done
        cd - >/dev/null
        echo "busybox sha256sum of $sha_mb MiB: median (min) of $runs runs, seconds"
        for e in $engines; do
            printf "  %-8s cpu %s  wall %s\n" "$e" "$(cell "sha.$e" 2)" "$(cell "sha.$e" 1)"
        done
        [ -n "$qemu" ] && echo "  qemu/jit speed: cpu $(ratio "$(med sha.qemu 2)" "$(med sha.jit 2)"), wall $(ratio "$(med sha.qemu 1)" "$(med sha.jit 1)") (target > 1)"
    fi
    echo
fi

if [ -s "$tmp/problems" ]; then
    echo "PROBLEMS (outputs differing from native, or failed runs):"
    cat "$tmp/problems"
fi
