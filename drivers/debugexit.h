#ifndef DRIVERS_DEBUGEXIT_H
#define DRIVERS_DEBUGEXIT_H

#include <stdint.h>

/* The port iospace's QEMU command line gives the device (iobase=0xf4). */
#define DEBUGEXIT_PORT 0xF4

/* The exit codes of the self-test, as QEMU reports them: it exits with
 * (value << 1) | 1, so 0x10 gives 33 and 0x11 gives 35. */
#define DEBUGEXIT_TESTS_PASSED 0x10
#define DEBUGEXIT_TESTS_FAILED 0x11

/* Ends QEMU with status (code << 1) | 1. Returns only when there is no
 * isa-debug-exit device, which a write cannot tell otherwise. */
void debugexit_write(uint8_t code);

#endif
