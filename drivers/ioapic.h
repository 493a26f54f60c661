#ifndef DRIVERS_IOAPIC_H
#define DRIVERS_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

/* The standard address, where firmware without ACPI tables leaves it. */
#define IOAPIC_DEFAULT_BASE 0xFEC00000u

/* The window (data sheet 3.1): the index of a register goes to IOREGSEL,
 * its value is then read or written at IOWIN. */
#define IOAPIC_REGSEL 0x00
#define IOAPIC_WIN 0x10
/* The version register (3.2.2): read-only, no side effect. */
#define IOAPIC_REG_VERSION 0x01

/* Maps the IO APIC at phys, whose first input is global system interrupt
 * gsi_base; masks every input. False when it cannot be mapped or does not
 * answer there; ioapic_problem() says which. */
bool ioapic_init(uint32_t phys, uint32_t gsi_base);
const char *ioapic_problem(void);

/* Programs the redirection entry of a GSI, masked: the interrupt will
 * arrive as vector at the Local APIC dest_apic_id. */
void ioapic_route(uint32_t gsi, uint8_t vector, bool active_low, bool level,
                  uint8_t dest_apic_id);
void ioapic_mask(uint32_t gsi);
void ioapic_unmask(uint32_t gsi);
bool ioapic_masked(uint32_t gsi);

unsigned ioapic_inputs(void);       /* redirection entries */

/* The address a window register (IOAPIC_REGSEL, IOAPIC_WIN) answers at;
 * 0 before ioapic_init. For `bench`, which times one indirect read. */
uintptr_t ioapic_register_address(uint32_t reg);

/* The chip and its redirection entries, decoded, for the monitor's
 * `ioapic` command (kernel/monitor/cmd_apic.c prints them). */
struct ioapic_view {
    uint32_t base;
    uint8_t id, version;
    unsigned inputs;
    uint32_t gsi_base;
};

struct ioapic_entry_view {
    uint32_t gsi;
    uint32_t high, low;         /* the entry as read */
    uint8_t vector;
    bool masked, level, active_low;
    bool pending;               /* delivery status */
    bool remote_irr;            /* level: accepted, no EOI yet */
    uint8_t dest;               /* the Local APIC's id */
};

struct ioapic_view ioapic_view(void);
/* Entry i, 0 <= i < ioapic_view().inputs. */
struct ioapic_entry_view ioapic_entry_view(unsigned i);

#endif
