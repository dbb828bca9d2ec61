#!/bin/sh
# One busybox case: Debian's busybox-static for the guest architecture under
# `ferry run` must print exactly what the native busybox-static:amd64 prints,
# with the same exit status, on the same inputs.  GUEST is arm64 (the
# default) or amd64: then the very same binary runs natively and under ferry.
# Exit 77 (ctest SKIP) with the reason when the packages could not be fetched
# (busybox_fetch.sh).  A guest run that hangs is stopped after 120 s.
# usage: busybox_test.sh FERRY BACKEND DIR CASE [GUEST]
ferry=$1 backend=$2 dir=$3 case=$4 garch=${5:-arm64}
if [ ! -x "$dir/$garch/bin/busybox" ] || [ ! -x "$dir/amd64/bin/busybox" ]; then
    reason="busybox-static packages not fetched"
    [ -f "$dir/skip-reason" ] && reason=$(cat "$dir/skip-reason")
    echo "SKIP: $reason"
    exit 77
fi
nat="$dir/amd64/bin/busybox"
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
failures=0

guest() { timeout 120 "$ferry" run --backend="$backend" "$dir/$garch/bin/busybox" "$@"; }

# compare LABEL ARGS...: busybox ARGS natively and under ferry
compare() {
    label=$1
    shift
    "$nat" "$@" >"$work/native.out" 2>"$work/native.err" </dev/null
    ns=$?
    guest "$@" >"$work/ferry.out" 2>"$work/ferry.err" </dev/null
    fs=$?
    if [ ! -s "$work/native.out" ]; then
        echo "FAIL: $label: the native busybox printed nothing (status $ns): a broken case"
        head -5 "$work/native.err"
        failures=$((failures + 1))
    elif [ "$ns" = "$fs" ] && cmp -s "$work/native.out" "$work/ferry.out"; then
        echo "PASS: $label (status $fs, $(wc -c <"$work/ferry.out") bytes)"
    else
        echo "FAIL: $label: native status $ns, ferry status $fs"
        diff "$work/native.out" "$work/ferry.out" | head -20
        echo "--- ferry's stderr:"
        head -20 "$work/ferry.err"
        failures=$((failures + 1))
    fi
}

# inputs, made by the native busybox
"$nat" seq 1 30000 >"$work/data"
"$nat" awk 'BEGIN { s = 1; for (i = 0; i < 3000; i++) { s = (s * 1103515245 + 12345) % 2147483648;
    print s % 100000, "w" s % 977 } }' >"$work/words"

case $case in
echo)
    compare "echo" echo hello, "  spaced  words" 42
    compare "echo -n -e" echo -n -e 'tab\there\nnew line\0101'
    ;;
sha256sum)
    compare "sha256sum" sha256sum "$work/data" "$work/words"
    ;;
md5sum)
    compare "md5sum" md5sum "$work/data" "$work/words"
    ;;
gzip)
    compare "gzip -c" gzip -c "$work/data"
    "$nat" gzip -c "$work/data" >"$work/native.gz"
    compare "gunzip -c of the native archive" gunzip -c "$work/native.gz"
    if guest gzip -c "$work/words" | guest gunzip -c | cmp -s - "$work/words"; then
        echo "PASS: gzip -c | gunzip -c round trip under ferry"
    else
        echo "FAIL: gzip -c | gunzip -c round trip under ferry"
        failures=$((failures + 1))
    fi
    ;;
sort)
    compare "sort" sort "$work/words"
    compare "sort -n -r" sort -n -r "$work/words"
    compare "sort -k2 -u" sort -k2 -u "$work/words"
    ;;
awk)
    compare "awk sums" awk '{ s += $1; n++ } END { printf "%d %d %.4f\n", s, n, s / n }' "$work/words"
    # (Debian's busybox-static awk has no math library: no sqrt or ^)
    compare "awk arithmetic" awk 'BEGIN { for (i = 1; i <= 20; i++)
        printf "%d %d %.6f %x %e\n", i, i * i * i, i / 7, i * 4096 + 7, i * 1e15 / 3
        print 1099511627776 * 3, 7 % 3, int(-3.7), -17 / 4 }'
    ;;
sh)
    compare "sh -c loop" sh -c 'i=0; s=0; while [ $i -lt 500 ]; do i=$((i + 1)); s=$((s + i * i)); done
        echo $i $s; for w in alpha beta gamma; do echo "word $w"; done
        case foo in f*) echo matched;; esac; exit 3'
    ;;
*)
    echo "unknown case $case"
    exit 2
    ;;
esac
[ "$failures" = 0 ]
