/*
 * The I/O ports iospace knows. The fixed ranges, one per device, sorted:
 * the monitor's in and out refuse an access that runs past the end of one
 * (kernel/lib/write_guard.c). With them, the PCI functions' I/O windows
 * (BARs), which software places (claim C5) and which are read from the
 * bus each time: `map` prints both, in port order.
 */
#ifndef KERNEL_MONITOR_PORTMAP_H
#define KERNEL_MONITOR_PORTMAP_H

#include "kernel/lib/addrmap.h"
#include "kernel/monitor/memmap.h"

#include <stdbool.h>

extern const struct portmap_range portmap[];
extern const unsigned portmap_count;

/* Room for the fixed table (checked where it is defined). */
#define PORTMAP_FIXED_MAX 24
/* The PCI I/O windows kept (QEMU's machines have 2-4). */
#define PORTMAP_PCI_WINDOWS_MAX 16
#define PORTMAP_ROWS_MAX (PORTMAP_FIXED_MAX + PORTMAP_PCI_WINDOWS_MAX)

/* The driver column of a window no iospace driver reaches: only the
 * monitor's in and out do. */
#define PORTMAP_NO_DRIVER "no driver"

/* Every range `map` lists, sorted by first port. */
struct portmap_table {
    struct portmap_range rows[PORTMAP_ROWS_MAX];
    unsigned n;
    unsigned windows;           /* how many rows are PCI windows */
    unsigned window_ports;      /* the ports those windows hold */
    bool pci_truncated;         /* more PCI I/O windows than kept */
    char labels[PORTMAP_PCI_WINDOWS_MAX][MEMMAP_LABEL_SIZE];
};

/* The fixed ranges and every PCI I/O window that holds ports, read by
 * pci_bar_probe: the firmware's (or a student's) addresses, the devices'
 * own sizes. A window's driver is the file that drives it, when one does
 * at the address the BAR holds now. */
void portmap_collect(struct portmap_table *t);

#endif
