/*
 * The kernel command line: words of the form key or key=value.
 *
 * GRUB passes what follows the kernel's path on its `multiboot` line; QEMU's
 * -kernel loader passes the kernel's file name, a space, then -append. So a
 * first word that looks like a file name (its key has a '/' or a '.') is the
 * image's name and is skipped: both loaders then parse the same way.
 *
 * Keys: test, irq=pic|apic, hz=N, trace, screen=live|console, pci=nomcfg. An unknown
 * key or a bad value gets a warning through the callback, and the default
 * stays.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stdint.h>

enum irq_mode {
    IRQ_MODE_AUTO,      /* the APIC when the CPU has one, else the 8259 */
    IRQ_MODE_PIC,
    IRQ_MODE_APIC,
};

/* What the VGA screen shows once the kernel has booted. */
enum screen_mode {
    SCREEN_LIVE,        /* the live I/O panel on top, the monitor below */
    SCREEN_CONSOLE,     /* the monitor on the whole screen */
};

/* The PIT's input clock is 1.193182 MHz and its divisor is 16 bits, so the
 * slowest rate is 19 Hz; above 10 kHz an emulated CPU does little but take
 * timer interrupts. */
#define CMDLINE_HZ_DEFAULT 100u
#define CMDLINE_HZ_MIN 19u
#define CMDLINE_HZ_MAX 10000u

struct cmdline {
    bool test;          /* run the self-tests, print TAP, exit QEMU */
    enum irq_mode irq;
    uint32_t hz;        /* timer interrupt rate */
    bool trace;         /* start with the I/O trace on */
    enum screen_mode screen;
    /* pci=nomcfg: leave ACPI's MCFG aside and find ECAM as if there were
     * none (q35's host bridge PCIEXBAR), so that the fallback can be seen. */
    bool pci_nomcfg;
};

typedef void (*cmdline_warn_fn)(void *ctx, const char *message);

/* Fills out from s (which may be NULL); warnings go to fn (if not NULL). */
void cmdline_parse(const char *s, struct cmdline *out, cmdline_warn_fn fn,
                   void *ctx);

const char *irq_mode_name(enum irq_mode mode);
const char *screen_mode_name(enum screen_mode mode);

/* The mode a name ("live", "console") stands for; false when none does. */
bool screen_mode_parse(const char *name, enum screen_mode *out);

#endif
