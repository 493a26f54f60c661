/*
 * The regions of the 4 GiB memory space iospace knows (claims C6, C9):
 * the firmware's memory map, the kernel's image, the fixed device windows
 * (VGA memory, the ROMs, the APICs, the HPET, PCI Express's ECAM window)
 * and every PCI memory window (BAR). `map` merges them into its table
 * (kernel/lib/addrmap.c); `bar` checks a BAR's new address against them.
 */
#ifndef KERNEL_MONITOR_MEMMAP_H
#define KERNEL_MONITOR_MEMMAP_H

#include "drivers/pci.h"
#include "kernel/lib/addrmap.h"
#include "kernel/lib/bootinfo.h"

#include <stdbool.h>

/* The PCI memory windows kept (QEMU's machines have 3-10). */
#define MEMMAP_PCI_WINDOWS_MAX 32
/* The firmware's map, the kernel, six fixed windows, the PCI windows. */
#define MEMMAP_REGIONS_MAX (BOOTINFO_MMAP_MAX + 7 + MEMMAP_PCI_WINDOWS_MAX)
/* "PCI 00:1f.2 BAR5: SATA controller (decoding off)" */
#define MEMMAP_LABEL_SIZE 64

/* What `map` says where nothing it knows answers. */
#define MEMMAP_NOTHING "no RAM, no iospace device"

struct memmap {
    struct addrmap_region in[MEMMAP_REGIONS_MAX];
    unsigned n;
    bool pci_truncated;         /* more PCI windows than kept */
    char labels[MEMMAP_PCI_WINDOWS_MAX][MEMMAP_LABEL_SIZE];
    unsigned labels_used;
};

/* The index memmap_pci_label takes for a function's expansion ROM: the
 * slot after the six BARs, as QEMU's query-pci numbers it. */
#define MEMMAP_ROM_SLOT 6u

/* A PCI window's label, into MEMMAP_LABEL_SIZE bytes at label: "PCI
 * 00:02.0 BAR2: VGA compatible controller" (index: the BAR, or
 * MEMMAP_ROM_SLOT for "ROM"), with " (decoding off)" when
 * f's command register has decode_bit (PCI_COMMAND_MEMORY for a memory
 * window, PCI_COMMAND_IO for ports) clear: the function holds the window
 * but does not answer there. `map` labels the windows of both spaces so. */
void memmap_pci_label(char *label, const struct pci_function *f,
                      unsigned index, uint16_t decode_bit);

/* Collects the regions into m, every PCI memory BAR that holds an address
 * but BAR skip_index of skip (NULL: none left out). The BARs are read by
 * pci_bar_probe, so their sizes are the devices' own. */
void memmap_collect(struct memmap *m, const struct pci_function *skip,
                    unsigned skip_index);

#endif
