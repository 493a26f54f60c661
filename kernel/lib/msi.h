/*
 * A message-signalled interrupt, as arithmetic: the address and the data a
 * PCI function writes (its MSI capability holds both) when it interrupts.
 * On x86 the write is aimed at the Local APIC's range, and its bits say
 * which CPU and which vector (Intel SDM vol. 3A, 11.11: 11.11.1 the
 * address, figure 11-24; 11.11.2 the data, figure 11-25). The device does
 * not know any of this: it writes the two values it was given, wherever
 * the address points. Pure C, host-tested.
 */
#ifndef KERNEL_LIB_MSI_H
#define KERNEL_LIB_MSI_H

#include <stdbool.h>
#include <stdint.h>

/* Message address (11.11.1). */
#define MSI_ADDRESS_BASE 0xFEE00000u        /* bits 31-20: 0xFEE */
#define MSI_ADDRESS_BASE_SHIFT 20
#define MSI_ADDRESS_DEST_SHIFT 12           /* bits 19-12: destination ID */
#define MSI_ADDRESS_DEST_MASK 0xFFu
#define MSI_ADDRESS_RH (1u << 3)            /* redirection hint */
#define MSI_ADDRESS_DM_LOGICAL (1u << 2)    /* destination mode: 0 physical */

/* Message data (11.11.2). */
#define MSI_DATA_VECTOR_MASK 0xFFu          /* bits 7-0 */
#define MSI_DATA_DELIVERY_SHIFT 8           /* bits 10-8: delivery mode */
#define MSI_DATA_DELIVERY_MASK 7u
#define MSI_DELIVERY_FIXED 0u
#define MSI_DATA_LEVEL_ASSERT (1u << 14)    /* level: 1 assert (level only) */
#define MSI_DATA_TRIGGER_LEVEL (1u << 15)   /* trigger mode: 0 edge */

/* The address of a message to one CPU by its APIC ID: physical
 * destination mode, no redirection hint. */
uint32_t msi_address(uint8_t dest_apic_id);

/* The data of a message carrying vector: fixed delivery, edge triggered. */
uint16_t msi_data(uint8_t vector);

/* A message's fields, decoded for the monitor. */
struct msi_view {
    uint16_t top;           /* bits 31-20 of the address */
    bool to_lapic;          /* ... and they are 0xFEE */
    uint8_t dest;
    bool redirection_hint, logical;
    uint8_t vector;
    uint8_t delivery;       /* MSI_DELIVERY_FIXED, ... */
    const char *delivery_name;
    bool level_triggered, level_assert;
};

struct msi_view msi_decode(uint32_t address, uint32_t data);

#endif
