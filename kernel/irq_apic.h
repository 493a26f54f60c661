/* Device interrupts through the IO APIC and the Local APIC. */
#ifndef KERNEL_IRQ_APIC_H
#define KERNEL_IRQ_APIC_H

#include "kernel/lib/acpi.h"
#include "kernel/irq.h"

#include <stdbool.h>
#include <stdint.h>

/* Where the interrupt controllers are and how ISA lines reach the IO
 * APIC: from the ACPI MADT, or the PC defaults. */
struct apic_config {
    uint32_t lapic_base;
    uint32_t ioapic_base, ioapic_gsi_base;
    struct isa_route {
        bool wired;         /* false: no input of its own (IRQ 2, or a
                             * line whose GSI an override gave away) */
        uint32_t gsi;
        bool active_low, level;
    } isa[IRQ_LINES];
    const char *source;
};

/* The PC defaults: IO APIC at 0xFEC00000, ISA line N on GSI N, edge
 * triggered, active high. */
void apic_config_defaults(struct apic_config *cfg, uint32_t lapic_base);

/* From the ACPI MADT: the IO APIC that serves the ISA lines (GSI base 0)
 * and the interrupt source overrides. False when the MADT lists none. */
bool apic_config_from_madt(struct apic_config *cfg, uint32_t lapic_base,
                           const struct acpi_madt *madt);

/* Brings up both APICs, routes the ISA lines (masked), switches the IRQ
 * layer to them and makes the Local APIC timer the tick at hz. False, with
 * the reason printed, when something could not be set up. */
bool irq_apic_start(const struct apic_config *cfg, uint32_t hz);

/* The routing in use, for the monitor. */
const struct apic_config *irq_apic_config(void);

#endif
