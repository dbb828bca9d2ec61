#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine:
#   ./setup.sh demo   install what is missing, build, run the bundled demo
#   ./setup.sh test   install what is missing, build, run the whole test suite
#                     (normal build, then the ASan+UBSan build, which also runs
#                     the libFuzzer targets for a bounded time)
# Set FERRY_NO_ASAN=1 to skip the sanitizer half of `test`.
set -euo pipefail
cd "$(dirname "$0")"

# gcc-aarch64-linux-gnu builds the AArch64 guest programs (tests/guest/aarch64);
# apt-get download fetches busybox-static:arm64 for the busybox tests (tests/user).
PACKAGES=(build-essential cmake pkg-config libcapstone-dev libffi-dev check linux-libc-dev clang
          gcc-aarch64-linux-gnu)
JOBS=$(nproc 2>/dev/null || echo 2)

install_missing() {
    local missing=() update=0
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    # the busybox tests download Debian's arm64 busybox-static (apt-get download)
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        echo "setup: adding the arm64 architecture to dpkg (for busybox-static:arm64)"
        $sudo dpkg --add-architecture arm64
        update=1
    fi
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        [ $update -eq 0 ] || $sudo apt-get update -q
        return
    fi
    echo "setup: installing ${missing[*]}"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
}

build() { # build DIR [cmake args...]
    local dir=$1
    shift
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
    cmake --build "$dir" -j"$JOBS"
}

cmd=${1:-demo}
case "$cmd" in
demo)
    install_missing
    build build
    echo
    echo "== 1. The pipeline up close: an IR program (examples/demo.fir) on both backends,"
    echo "==    with the IR after each optimizer pass that changed it and the x86-64 code"
    ./build/cli/ferry ir --backend=jit -d ir_opt,out_asm examples/demo.fir
    ./build/cli/ferry ir examples/demo.fir | tail -1
    echo
    echo "== 2. An x86 guest on the pc machine (ferry vm; --accel=auto says which engine and why)"
    ./build/cli/ferry vm build/tests/guest/pc/hello.elf64 ||
        echo "(exit status $?: the guest's debug-exit value 0 gives 1; any other reason is printed above)"
    echo
    echo "== 2b. The same kind of guest on every engine: KVM, TCG with the JIT, TCG with the"
    echo "==     interpreter (ferry bench: CRC-32, sieve, matrix multiply; engines that"
    echo "==     cannot run here are listed with the reason)"
    ./build/cli/ferry bench --runs 3 build/tests/guest/pc/compute.elf64 small=1 ||
        echo "(ferry bench exit status $?: see the messages above)"
    echo
    echo "== 3. An AArch64 Linux program (tests/guest/aarch64/qsort.c, static) translated to x86-64"
    ./build/cli/ferry run --stats build/tests/guest/aarch64/qsort
    ;;
test)
    install_missing
    build build
    (cd build && ctest -j"$JOBS" --output-on-failure)
    if [ "${FERRY_NO_ASAN:-0}" != 1 ]; then
        echo "== the same suite under AddressSanitizer + UndefinedBehaviorSanitizer =="
        build build-asan -DFERRY_SANITIZE=ON -DFERRY_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug
        (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
            ctest -j"$JOBS" --output-on-failure)
    fi
    ;;
*)
    echo "usage: $0 demo|test" >&2
    exit 2
    ;;
esac
