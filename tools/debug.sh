#!/bin/sh
# `make debug` and `make debug-nox`: start QEMU frozen before the first
# instruction, with its gdb stub on GDBPORT, and attach gdb with the kernel's
# symbols, iospace's gdb commands (tools/iospace-gdb.py) and a breakpoint at
# kmain. Quitting gdb stops QEMU.
#
# The kernel's serial output goes to build/debug-serial.log (watch it with
# `tail -f build/debug-serial.log` in another terminal). The VGA screen opens
# in a window when $DISPLAY is set, unless NOX=1 (make debug-nox).
set -eu

ELF=$1
: "${QEMU:=qemu-system-i386}" "${GDB:=gdb}" "${GDBPORT:=1234}" "${QEMU_FLAGS:=}"
: "${NOX:=0}"
HERE=$(dirname "$0")
SERIAL_LOG=build/debug-serial.log

if [ -n "${DISPLAY:-}" ] && [ "$NOX" = 0 ]; then
    DISPLAY_FLAGS=""
else
    DISPLAY_FLAGS="-display none"
fi

# shellcheck disable=SC2086  # QEMU_FLAGS and DISPLAY_FLAGS are word lists
$QEMU $QEMU_FLAGS $DISPLAY_FLAGS -kernel "$ELF" -serial "file:$SERIAL_LOG" \
    -S -gdb "tcp:127.0.0.1:$GDBPORT" &
QEMU_PID=$!
trap 'kill $QEMU_PID 2>/dev/null || true' EXIT INT TERM

echo "debug: QEMU waits for gdb on port $GDBPORT; serial output in $SERIAL_LOG"
$GDB -q "$ELF" \
    -ex "source $HERE/iospace-gdb.py" \
    -ex "target remote 127.0.0.1:$GDBPORT" \
    -ex "break kmain" \
    -ex "continue"
