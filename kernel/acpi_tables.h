/* The firmware's ACPI tables, read once at boot (kernel/lib/acpi.c walks them). */
#ifndef KERNEL_ACPI_TABLES_H
#define KERNEL_ACPI_TABLES_H

#include "kernel/lib/acpi.h"

#include <stdbool.h>

/* Finds the RSDP and parses the MADT. Must run before paging_init. Prints
 * one line: what was found, or why nothing usable was. */
bool acpi_tables_read(void);

/* The parsed MADT, or NULL when there is none. */
const struct acpi_madt *acpi_tables_madt(void);

/* The monitor's `madt` command. */
void acpi_tables_print(void);

#endif
