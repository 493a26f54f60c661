#ifndef KERNEL_SELFTEST_H
#define KERNEL_SELFTEST_H

#include "kernel/lib/bootinfo.h"

#include <stdbool.h>

/* What kmain learned at boot, for the tests to check. */
struct boot_state {
    bool multiboot_ok;
    bool serial_ok;
    const struct bootinfo *info;
};

/* Runs the in-kernel tests, prints TAP, and ends QEMU through
 * isa-debug-exit with the passed or failed status. */
void selftest_run(const struct boot_state *boot) __attribute__((noreturn));

#endif
