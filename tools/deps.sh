#!/bin/sh
# Installs the Debian/Ubuntu packages iospace needs to build, run and test.
# Does nothing when they are all present. With --check, only says whether
# something is missing (exit status 1) and installs nothing.
set -eu

# cppcheck and clang-tidy for `make lint`; clang with its sanitizer and
# libFuzzer runtimes (libclang-rt-dev follows the distribution's default
# clang, libclang-rt-14-dev on Debian 12) for the fuzzers; pytest-xdist to
# run the QEMU tests on every CPU; gnuplot and graphviz draw the pictures
# in docs/; socat attaches a terminal to `make debug`'s serial line.
PACKAGES="make gcc gcc-multilib nasm grub-pc-bin grub-common xorriso mtools
qemu-system-x86 gdb socat python3 python3-pytest python3-pytest-xdist libcmocka-dev
cppcheck clang-tidy clang libclang-rt-dev gnuplot-nox graphviz"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null \
            | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

[ -z "$missing" ] && exit 0
if [ "${1:-}" = "--check" ]; then
    echo "deps: missing:$missing" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "deps: this system has no apt-get; install these packages by hand:$missing" >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "deps: need root (or sudo) to install:$missing" >&2
    exit 1
fi

echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086  # the list is meant to split into words
$SUDO apt-get install -y -qq --no-install-recommends $missing
