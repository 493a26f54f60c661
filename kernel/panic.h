#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include <stdbool.h>
#include <stdint.h>

/* Prints the message and stops the kernel for good. In self-test mode it
 * first ends QEMU with the failure status, so a test run never hangs. */
void panic(const char *fmt, ...)
    __attribute__((noreturn, format(printf, 1, 2)));

/* Stops the CPU: interrupts off, halt, forever. */
void halt_forever(void) __attribute__((noreturn));

/* Set by the self-test so a panic reports failure to QEMU. */
void panic_set_exit_on_panic(bool on);

#endif
