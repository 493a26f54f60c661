/*
 * QEMU's isa-debug-exit device: an I/O port that, when written, ends the
 * emulator with exit status (value << 1) | 1. Tests boot the kernel with
 * `-device isa-debug-exit,iobase=0xf4,iosize=0x04` and read the status.
 * On a real PC (or a QEMU without the device) nothing answers at 0xF4 and
 * the write is lost, so the caller must be ready for this to return.
 * Reference: QEMU hw/misc/debugexit.c.
 */
#include "drivers/debugexit.h"

#include "io/port.h"

void debugexit_write(uint8_t code)
{
    outb(DEBUGEXIT_PORT, code);
}
