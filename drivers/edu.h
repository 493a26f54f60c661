/*
 * QEMU's educational PCI device, `edu` (`-device edu`; QEMU's
 * docs/specs/edu.rst and hw/misc/edu.c): a function whose only job is to
 * be driven. Its registers answer in BAR0, memory-mapped; writing its
 * interrupt raise register makes it interrupt, by its INTA# line or, once
 * MSI is enabled, by a message: a memory write of its MSI data to its MSI
 * address.
 */
#ifndef DRIVERS_EDU_H
#define DRIVERS_EDU_H

#include "kernel/irq.h"
#include "kernel/lib/pci_config.h"

#include <stdbool.h>
#include <stdint.h>

/* PCI IDs (edu.rst, "PCI specs"): QEMU's vendor ID and the COMBO6 bridge's
 * device ID, which the edu inherits. */
#define EDU_VENDOR_ID 0x1234
#define EDU_DEVICE_ID 0x11E8

/* What the driver found and did, for the monitor. */
struct edu_view {
    pci_bdf bdf;
    uint32_t bar0, bar0_size;
    uint8_t version_major, version_minor;   /* from the identification */
    uint8_t msi_cap;            /* the MSI capability's offset, 0: none */
    bool msi_64bit;             /* its message address has 64 bits */
    uint8_t intx_line;          /* interrupt line register (firmware's) */
};

/* Finds the edu by its IDs through the PCI scan, maps the page of BAR0
 * that holds its registers, turns on memory decode and bus mastering (its
 * MSI write is a bus-master write) and checks that it answers (the
 * liveness register). Once; later calls return the first answer. False,
 * with *why set, when there is no edu or it does not answer. */
bool edu_init(const char **why);
struct edu_view edu_view(void);

/* Interrupts the driver's handler took (by INTx or MSI), and the
 * interrupt status it read and acknowledged in the last one. */
uint32_t edu_interrupts(void);
uint32_t edu_last_status(void);

/* The interrupt raise register: ORs bits into the interrupt status and
 * interrupts (a message per write when MSI is on). */
void edu_raise(uint32_t bits);
/* The interrupt status register, and its acknowledge register: clears
 * bits (with MSI off, the INTA# line drops once no bit is left). */
uint32_t edu_irq_status(void);
void edu_ack(uint32_t bits);

/* Interrupts by the INTA# line: MSI off, the handler on the ISA line the
 * firmware wrote into the interrupt line register. False, with *why set,
 * when that line is no ISA line or another driver has it. */
bool edu_use_intx(const char **why);

/* MSI aimed at any address with any data, no handler: the write the
 * device makes, nothing more (aimed at RAM, it is no interrupt at all).
 * False, with *why set, when the edu has no MSI capability. */
bool edu_msi_aim(uint32_t address, uint16_t data, const char **why);

/* The message that reaches the driver's handler: a vector claimed (once)
 * with irq_msi_alloc, to this CPU's Local APIC. Aim the edu at it with
 * edu_msi_aim. False, with *why set, when no vector can be had (irq=pic). */
bool edu_msi_claim(struct irq_msi *msg, const char **why);

#endif
