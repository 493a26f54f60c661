/* The firmware's ACPI tables, read once at boot (kernel/lib/acpi.c walks them). */
#ifndef KERNEL_ACPI_TABLES_H
#define KERNEL_ACPI_TABLES_H

#include "kernel/lib/acpi.h"

#include <stdbool.h>

/* Finds the RSDP and parses the MADT and the MCFG. Must run before
 * paging_init. Prints one line for the MADT (what was found, or why
 * nothing usable was) and one for an MCFG when there is one. True when
 * the MADT is usable. */
bool acpi_tables_read(void);

/* The parsed MADT, or NULL when there is none. */
const struct acpi_madt *acpi_tables_madt(void);

/* The MCFG's window for PCI segment group 0, or NULL when there is none
 * usable (a PCI, not PCI Express, machine has no MCFG). */
const struct acpi_mcfg *acpi_tables_mcfg(void);

/* The monitor's `madt` command (the MCFG's window too). */
void acpi_tables_print(void);

#endif
