#!/usr/bin/env bash
# Build ferry-ir-bench (optimized build, if needed) and print its table.
#   bench/run.sh [ferry-ir-bench options: --runs N --corpus N --scale N --quick]
# FERRY_BENCH_BUILD=<dir> picks the build directory (default: build-bench).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FERRY_BENCH_BUILD:-$root/build-bench}
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" -j2 --target ferry-ir-bench >/dev/null
echo "host: $(uname -m), $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//'), $(nproc) cpus, load average $(cut -d' ' -f1-3 /proc/loadavg), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "(thread CPU time; still best compared at a low load average)"
exec "$build/bench/ferry-ir-bench" "$@"
