/*
 * The monitor's write guard: which `outb`/`outw`/`outl` and `poke` a
 * student may type would reset the PC, power it off or break the kernel
 * under its own feet, and why. The monitor refuses such a write unless it
 * is typed with `!` (`outb! 0x92 0`), and then says what is about to
 * happen before it does it.
 *
 * Pure C, no device access, host-tested (tests/unit/test_write_guard.c).
 * What is fatal in memory depends on where the kernel lives: the caller
 * passes the kernel's real ranges (linker symbols, the GDTR, the IDTR,
 * CR3's page directory and tables) and its Local APIC.
 */
#ifndef KERNEL_WRITE_GUARD_H
#define KERNEL_WRITE_GUARD_H

#include "kernel/lib/addrmap.h"

#include <stdbool.h>
#include <stdint.h>

/* PORT92, "System Control Port A" (PS/2 Hardware Interface Technical
 * Reference; QEMU hw/i386/pc.c, ioport92): bit 0 pulses the CPU's reset
 * line when written 1 (FAST_RESET), bit 1 is the A20 gate. */
#define GUARD_PORT92 0x92
#define GUARD_PORT92_FAST_RESET (1u << 0)
#define GUARD_PORT92_A20 (1u << 1)

/* The 8042 keyboard controller's command port and data port. Commands
 * 0xF0-0xFF pulse the output port bits whose command bit is 0, and output
 * port bit 0 is the CPU's reset line: 0xFE pulses reset (IBM PC/AT
 * Technical Reference, "Keyboard Controller": Pulse Output Port). 0xD1
 * makes the next byte on the data port the output port itself, whose bit 1
 * is the A20 gate. 0xDD turns A20 off on controllers that have it (QEMU's
 * hw/input/pckbd.c does). */
#define GUARD_KBC_COMMAND 0x64
#define GUARD_KBC_DATA 0x60
#define GUARD_KBC_PULSE_FIRST 0xF0
#define GUARD_KBC_OUTPORT_RESET (1u << 0)
#define GUARD_KBC_OUTPORT_A20 (1u << 1)
#define GUARD_KBC_WRITE_OUTPORT 0xD1
#define GUARD_KBC_DISABLE_A20 0xDD

/* The PIIX3/PIIX4 Reset Control register (Intel 82371AB PIIX4 datasheet,
 * RC, I/O address 0CF9h; QEMU hw/isa/piix.c): bit 2 (RCPU) set resets the
 * CPU, bit 1 (SRST) says whether the whole system too. Only a byte access
 * reaches it: a 32-bit access at 0xCF8 is the PCI host bridge's
 * CONFIG_ADDRESS (PCI Local Bus Specification 3.0, 3.2.2.3.2). */
#define GUARD_PIIX_RC 0xCF9
#define GUARD_PIIX_RC_RCPU (1u << 2)
#define GUARD_PCI_CONFIG_ADDRESS 0xCF8

/* ACPI PM1a_CNT on QEMU's pc machine: PMBASE + 4 of the PIIX4's power
 * management function (82371AB datasheet, PMCNTRL), PMBASE being 0x600 as
 * QEMU's firmware sets it (measured: `outw! 0x604 0x2000` ends QEMU, and
 * tests/qemu/test_write_guard.py checks it). SLP_EN (bit
 * 13) enters the sleep state SLP_TYP (bits 10-12): QEMU powers off for 0
 * and suspends for 1 (ACPI 6.4, 4.8.3.2.1; QEMU hw/acpi/core.c). */
#define GUARD_PM1A_CNT 0x604
#define GUARD_PM1_CNT_SLP_EN (1u << 13)

/* The 8259s' command ports. A byte with bit 4 set there is ICW1, the start
 * of a re-initialization (8259A datasheet, "Initialization Command Words"):
 * it clears the IMR, and until ICW2 comes QEMU's 8259 delivers line N on
 * vector N, which the CPU takes for exception N. */
#define GUARD_PIC1_COMMAND 0x20
#define GUARD_PIC2_COMMAND 0xA0
#define GUARD_PIC_ICW1 (1u << 4)

/* The Local APIC's ID register (Intel SDM vol. 3A, table 11-1, 11.4.6),
 * and its Interrupt Command Register (11.6.1, figure 11-12): writing the
 * low half sends an IPI. */
#define GUARD_LAPIC_ID 0x020
#define GUARD_LAPIC_ID_SHIFT 24
#define GUARD_LAPIC_ICR_LOW 0x300
#define GUARD_LAPIC_ICR_HIGH 0x310
#define GUARD_ICR_VECTOR_MASK 0xFFu
#define GUARD_ICR_DELIVERY_SHIFT 8
#define GUARD_ICR_DELIVERY_MASK 0x7u
#define GUARD_ICR_DELIVERY_FIXED 0
#define GUARD_ICR_DELIVERY_LOWEST 1
#define GUARD_ICR_DELIVERY_INIT 5
#define GUARD_ICR_LOGICAL (1u << 11)
#define GUARD_ICR_ASSERT (1u << 14)
#define GUARD_ICR_LEVEL (1u << 15)
#define GUARD_ICR_SHORTHAND_SHIFT 18
#define GUARD_ICR_SHORTHAND_MASK 0x3u
#define GUARD_ICR_SHORTHAND_NONE 0
#define GUARD_ICR_SHORTHAND_SELF 1
#define GUARD_ICR_SHORTHAND_ALL 2       /* all including self */
#define GUARD_ICR_DEST_SHIFT 24         /* in the high half */
#define GUARD_ICR_BROADCAST 0xFFu
#define GUARD_EXCEPTION_VECTORS 32      /* 0..31 are the CPU's */

/* The verdict on one write. */
struct guard_verdict {
    bool fatal;             /* it asks for `!` */
    const char *what;       /* the register or range it hits */
    const char *why;        /* what would break */
};

/* One range of memory the kernel lives on, [first, last]. */
struct guard_range {
    uint32_t first, last;
    const char *what;       /* "the IDT" */
    const char *why;        /* "the next interrupt ..." */
};

/* What the kernel is, for guard_memory_write. */
struct guard_self {
    const struct guard_range *ranges;
    unsigned count;
    bool lapic;             /* a Local APIC answers at lapic_base */
    uint32_t lapic_base;
    uint8_t lapic_id;
    uint32_t icr_high;      /* the ICR's destination half, as it is now */
};

/* A port access of `bytes` (1, 2, 4) at port that starts in or reaches
 * one of the n device ranges of map and does not lie wholly inside it:
 * the range, or NULL when the access is whole. */
const struct portmap_range *
guard_port_straddle(const struct portmap_range *map, unsigned n,
                    uint32_t port, unsigned bytes);

/* The verdict on `out` of `bytes` bytes of value at port. Each byte goes
 * to its own port, as the ISA bus splits a wide access. kbc_outport_next:
 * the last command written to the 8042 was 0xD1, so the next data byte is
 * its output port. */
struct guard_verdict guard_port_write(uint32_t port, unsigned bytes,
                                      uint32_t value, bool kbc_outport_next);

/* The verdict on a 32-bit store of value at physical addr. */
struct guard_verdict guard_memory_write(uint32_t addr, uint32_t value,
                                        const struct guard_self *self);

#endif
