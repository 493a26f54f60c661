/*
 * Private to the self-test (kernel/selftest/): what the test files share
 * with the TAP core in tap.c, and every test, by the file it is in (tap.c
 * lists them in the order they run).
 */
#ifndef KERNEL_SELFTEST_CHECKS_H
#define KERNEL_SELFTEST_CHECKS_H

#include "kernel/selftest.h"

#include <stdbool.h>

/* What kmain learned at boot. */
const struct boot_state *selftest_boot(void);

/* Sets the reason a test failed; returns false so a test can
 * `return fail(...)`. */
bool fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* For a test this machine cannot run: reported as "ok ... # SKIP why". */
bool skip(const char *reason);

/* Whether the running test called skip(). */
bool skipped(void);

/* A machine without COM1 (QEMU's -serial none) is one iospace supports,
 * on the VGA screen alone: the serial tests are skipped there, saying so. */
#define NO_UART "no UART at COM1 (port 0x3f8): a machine without one"

/* Without a counting PIT there is no tick, and nothing to time a test by;
 * the kernel said so at boot. */
#define NO_PIT "PIT channel 0 does not count: no tick on this machine"

/* cpu.c: what the boot code set up, and the exceptions. */
bool test_multiboot(void);
bool test_gdt(void);
bool test_idt(void);
bool test_breakpoint(void);
bool test_divide_error(void);
bool test_invalid_opcode(void);
bool test_general_protection(void);
bool test_page_fault(void);
bool test_tss(void);
bool test_double_fault(void);
bool test_paging(void);
bool test_paging_window(void);

/* devices.c: the UART, the 8042, the VGA, the RTC. */
bool test_serial(void);
bool test_keyboard(void);
bool test_vga_mmio(void);
bool test_vga_cursor(void);
bool test_serial_rx_irq(void);
bool test_rtc(void);

/* interrupts.c: the interrupt controllers and the timers. */
bool test_pic_imr(void);
bool test_timer_vector(void);
bool test_tick_rate(void);
bool test_lapic_timer_rate(void);
bool test_pic_clean(void);

/* dma.c: the 8237 and the floppy's two read paths. */
bool test_dma_registers(void);
bool test_floppy_dma_vs_pio(void);
bool test_dma_terminal_count(void);

#endif
