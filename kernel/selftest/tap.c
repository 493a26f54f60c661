/*
 * The self-test (`test` on the kernel command line): checks the hardware
 * iospace drives from the inside and reports in TAP, the Test Anything
 * Protocol: "1..N", then "ok K - name" or "not ok K - name # why" per test.
 * The exit status through isa-debug-exit tells the host the verdict.
 *
 * This file is the TAP core: the list of tests in the order they run,
 * and the runner. The tests are by area: cpu.c, devices.c, interrupts.c,
 * dma.c. kprintf's own test is here: the report is made with it.
 */
#include "kernel/selftest/checks.h"

#include "drivers/debugexit.h"
#include "kernel/console.h"
#include "kernel/lib/fmt.h"
#include "kernel/lib/klib.h"
#include "kernel/panic.h"

#include <stdarg.h>

static const struct boot_state *boot;
static char why[120];
static bool skip_called;

const struct boot_state *selftest_boot(void)
{
    return boot;
}

bool fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return false;
}

bool skip(const char *reason)
{
    skip_called = true;
    fmt_snprintf(why, sizeof why, "%s", reason);
    return true;
}

bool skipped(void)
{
    return skip_called;
}

static bool test_format(void)
{
    char buf[64];
    fmt_snprintf(buf, sizeof buf, "%08x|%-4d|%3s|%c|%u", 0xb800u, -5, "ab",
                 'z', 4000000000u);
    const char *want = "0000b800|-5  | ab|z|4000000000";
    return strcmp(buf, want) == 0 ? true : fail("got '%s'", buf);
}

struct selftest {
    const char *name;
    bool (*run)(void);
};

static const struct selftest tests[] = {
    { "multiboot: magic and memory map", test_multiboot },
    { "gdt: flat segments loaded (cs=0x08, ds=ss=0x10)", test_gdt },
    { "serial: 16550 loopback answered (C2)", test_serial },
    { "keyboard: 8042 answers at port 0x64, IRQ 1 unmasked (C2, C8)",
      test_keyboard },
    { "vga: text cell written and read back with mov (C1)", test_vga_mmio },
    { "vga: CRTC cursor written and read back with out/in (C2)",
      test_vga_cursor },
    { "idt: 255 interrupt gates point at the stubs, #DF a task gate",
      test_idt },
    { "exceptions: #BP returns and execution continues", test_breakpoint },
    { "exceptions: #DE caught and recovered", test_divide_error },
    { "exceptions: #UD caught and recovered", test_invalid_opcode },
    { "exceptions: #GP reports the bad selector", test_general_protection },
    { "exceptions: #PF on a null read, cr2=0", test_page_fault },
    { "tss: TR holds the kernel's TSS, the #DF task is ready", test_tss },
    { "exceptions: #DF on a kernel stack overflow, caught by its task",
      test_double_fault },
    { "paging: on, page 0 and the stack guard unmapped, VGA uncached",
      test_paging },
    { "paging: the monitor's window reads physical memory",
      test_paging_window },
    { "kprintf: widths, padding and conversions", test_format },
    { "pic: IMR mask and unmask read back (C8)", test_pic_imr },
    { "tick: the timer interrupt arrives (0x20 via 8259, 0x40 via LAPIC)",
      test_timer_vector },
    { "tick: ticks at hz= against the TSC", test_tick_rate },
    { "lapic: the timer counts at its calibrated rate (C1)",
      test_lapic_timer_rate },
    { "serial: loopback byte arrives by IRQ 4 (8259 or IO APIC)",
      test_serial_rx_irq },
    { "pic: every IRQ acknowledged, no spurious one", test_pic_clean },
    { "rtc: a valid date, read once UIP was clear (C2, C3)", test_rtc },
    { "dma: 8237 channel 2 address, page, count read back (C2)",
      test_dma_registers },
    { "floppy: one track by DMA and by PIO, byte for byte (C7)",
      test_floppy_dma_vs_pio },
    { "dma: residue 0xffff and terminal count after a floppy read (C7)",
      test_dma_terminal_count },
};

void selftest_run(const struct boot_state *b)
{
    unsigned failed = 0;

    boot = b;
    panic_set_exit_on_panic(true);
    kprintf("1..%u\n", (unsigned)ARRAY_SIZE(tests));
    for (unsigned i = 0; i < ARRAY_SIZE(tests); i++) {
        why[0] = '\0';
        skip_called = false;
        bool ok = tests[i].run();
        if (ok && skip_called) {
            kprintf("ok %u - %s # SKIP %s\n", i + 1, tests[i].name, why);
        } else if (ok) {
            kprintf("ok %u - %s\n", i + 1, tests[i].name);
        } else {
            failed++;
            kprintf("not ok %u - %s # %s\n", i + 1, tests[i].name, why);
        }
    }
    kprintf("# %u of %u tests failed\n", failed, (unsigned)ARRAY_SIZE(tests));
    debugexit_write(failed ? DEBUGEXIT_TESTS_FAILED : DEBUGEXIT_TESTS_PASSED);
    kprintf("# no isa-debug-exit device: halting\n");
    halt_forever();
}
