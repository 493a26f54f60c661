/* The firmware's ACPI tables, read once at boot (kernel/lib/acpi.c walks them). */
#ifndef KERNEL_ACPI_TABLES_H
#define KERNEL_ACPI_TABLES_H

#include "kernel/lib/acpi.h"

#include <stdbool.h>

/* Finds the RSDP and parses the MADT, the MCFG and the HPET table. Must
 * run before paging_init. Prints one line for the MADT (what was found,
 * or why nothing usable was) and one each for an MCFG and an HPET table
 * when there is one. True when the MADT is usable. */
bool acpi_tables_read(void);

/* The parsed MADT, or NULL when there is none. */
const struct acpi_madt *acpi_tables_madt(void);

/* The MCFG's window for PCI segment group 0, or NULL when there is none
 * usable (a PCI, not PCI Express, machine has no MCFG). */
const struct acpi_mcfg *acpi_tables_mcfg(void);

/* The HPET's register window, or NULL when there is no usable HPET table
 * (QEMU's pc with -machine hpet=off has none). */
const struct acpi_hpet *acpi_tables_hpet(void);

/* The monitor's `madt` command (the MCFG's window too). */
void acpi_tables_print(void);

#endif
