#!/bin/sh
# `make debug` and `make debug-nox`: start QEMU frozen before the first
# instruction, with its gdb stub on GDBPORT, the demo diskette in drive A:,
# the demo hard disk on the primary IDE channel (a snapshot: the image is
# never written) and the serial line on a Unix socket, and attach gdb with the kernel's
# symbols, iospace's gdb commands (tools/iospace-gdb.py) and a breakpoint at
# kmain. Quitting gdb stops QEMU.
#
# The monitor: attach a terminal to the socket from a second one (the
# command is printed below; Ctrl-] leaves socat). What the kernel writes
# to the serial line also goes to build/debug-serial.log (the socket's
# name, .log for .sock). The VGA screen
# opens in a window when $DISPLAY is set, unless NOX=1 (make debug-nox).
#
# QEMU runs in a session of its own (setsid): Ctrl-C in gdb reaches gdb
# alone, which stops the kernel, and QEMU lives on. In the terminal's
# process group QEMU would get the SIGINT too, and end.
set -eu

ELF=$1
FLOPPY=$2
DISK=$3
: "${QEMU:=qemu-system-i386}" "${GDB:=gdb}" "${GDBPORT:=1234}" "${QEMU_FLAGS:=}"
: "${NOX:=0}" "${SERIAL_SOCKET:=build/debug-serial.sock}"
SERIAL_LOG=${SERIAL_SOCKET%.sock}.log
HERE=$(dirname "$0")

if [ -n "${DISPLAY:-}" ] && [ "$NOX" = 0 ]; then
    DISPLAY_FLAGS=""
else
    DISPLAY_FLAGS="-display none"
fi

rm -f "$SERIAL_SOCKET"
# shellcheck disable=SC2086  # QEMU_FLAGS and DISPLAY_FLAGS are word lists
setsid $QEMU $QEMU_FLAGS $DISPLAY_FLAGS -kernel "$ELF" \
    -drive "file=$FLOPPY,if=floppy,format=raw,readonly=on" \
    -drive "file=$DISK,if=ide,index=0,format=raw,snapshot=on" \
    -chardev "socket,id=com1,path=$SERIAL_SOCKET,server=on,wait=off,logfile=$SERIAL_LOG" \
    -serial chardev:com1 -S -gdb "tcp:127.0.0.1:$GDBPORT" &
QEMU_PID=$!
# After gdb, however it ended; a Ctrl-C meanwhile is gdb's.
trap 'kill $QEMU_PID 2>/dev/null || true; rm -f "$SERIAL_SOCKET"' EXIT
trap : INT
# A closed terminal or a kill ends the script through its EXIT trap, so
# that QEMU, in its own session, does not outlive it.
trap 'exit 1' HUP TERM

cat <<END
debug: QEMU waits for gdb on port $GDBPORT, the demo diskette in drive A:,
       the demo hard disk on the primary IDE channel
debug: the monitor (serial line COM1), from another terminal:
         socat -,raw,echo=0,escape=0x1d UNIX-CONNECT:$SERIAL_SOCKET
       (Ctrl-] leaves socat); everything it printed is in $SERIAL_LOG
END
$GDB -q "$ELF" \
    -ex "source $HERE/iospace-gdb.py" \
    -ex "target remote 127.0.0.1:$GDBPORT" \
    -ex "break kmain" \
    -ex "continue"
