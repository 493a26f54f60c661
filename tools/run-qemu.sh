#!/bin/sh
# `make run` and `make run-serial`: runs QEMU (the arguments) and turns its
# exit status into make's verdict.
#
# The monitor's `exit` writes 0 to isa-debug-exit and QEMU exits with
# (0 << 1) | 1 = 1: the status QEMU also gives for its own errors, which it
# prints on stderr ("qemu-system-i386: ..."). So status 1 with no error
# line from QEMU is the monitor's `exit`: success. Every other status is
# passed on: `exit 1` (status 3) fails, QEMU's own errors fail, a Ctrl-C
# that ends QEMU (status 0) succeeds.
set -u

errors=$(mktemp "${TMPDIR:-/tmp}/iospace-run.XXXXXX") || exit 1
trap 'rm -f "$errors"' EXIT
# Ctrl-C reaches QEMU too and ends it; this script stays to report. (A
# trap that runs a command, unlike an ignored signal, is not inherited.)
trap : INT TERM

"$@" 2>"$errors"
status=$?
cat "$errors" >&2
if [ "$status" -eq 1 ] && ! grep -v ': warning: ' "$errors" | grep -q .; then
    echo "run: QEMU ended by the monitor's exit (status 1): success" >&2
    exit 0
fi
exit "$status"
