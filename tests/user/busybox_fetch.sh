#!/bin/sh
# ctest fixture: fetch Debian's busybox-static for arm64 (the guest) and amd64
# (the native reference) into DIR/arm64 and DIR/amd64 with `apt-get download`
# and `dpkg-deb -x` (no root needed; apt must know the arm64 architecture:
# `dpkg --add-architecture arm64 && apt-get update`, which ./setup.sh does).
# When a package cannot be fetched the reason goes to DIR/skip-reason and the
# busybox tests report SKIP with it; this step itself never fails the run.
# usage: busybox_fetch.sh DIR
dir=$1
mkdir -p "$dir" || exit 1
rm -f "$dir/skip-reason"
have() { [ -x "$dir/$1/bin/busybox" ]; }
if have arm64 && have amd64; then
    echo "busybox-static arm64 and amd64 already in $dir"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-deb >/dev/null 2>&1; then
    echo "apt-get or dpkg-deb not found (not a Debian system?)" >"$dir/skip-reason"
    cat "$dir/skip-reason"
    exit 0
fi
for arch in arm64 amd64; do
    have $arch && continue
    tmp=$(mktemp -d) || exit 1
    if (cd "$tmp" && apt-get download "busybox-static:$arch") >"$tmp/log" 2>&1 &&
        dpkg-deb -x "$tmp"/busybox-static_*_"$arch".deb "$dir/$arch.new" 2>>"$tmp/log"; then
        rm -rf "$dir/$arch"
        mv "$dir/$arch.new" "$dir/$arch"
        echo "fetched busybox-static:$arch into $dir/$arch"
    else
        rm -rf "$dir/$arch.new"
        echo "cannot fetch busybox-static:$arch ($(tail -n 1 "$tmp/log")); enable the arm64" \
            "architecture: dpkg --add-architecture arm64 && apt-get update (./setup.sh does it)" \
            >"$dir/skip-reason"
        cat "$dir/skip-reason"
    fi
    rm -rf "$tmp"
done
exit 0
