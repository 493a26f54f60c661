/*
 * An AHCI SATA host bus adapter (QEMU's q35: the ICH9's, 00:1f.2): a PCI
 * function whose registers are memory (the ABAR, BAR5), reached only with
 * `mov`, and which moves a disk's sectors to memory as a bus master. The
 * CPU writes a command into RAM and one bit into a register; the HBA
 * fetches the command, moves the data and says when it is done.
 */
#ifndef DRIVERS_AHCI_H
#define DRIVERS_AHCI_H

#include <stdbool.h>
#include <stdint.h>

/* The PCI class an AHCI HBA has (PCI Code and ID Assignment 1.11, 1.2:
 * mass storage, Serial ATA, programming interface 01h "AHCI 1.0"). */
#define AHCI_PCI_CLASS 0x01
#define AHCI_PCI_SUBCLASS 0x06
#define AHCI_PCI_PROG_IF 0x01
#define AHCI_ABAR_INDEX 5           /* the ABAR is BAR5 (AHCI 1.3.1, 2.1.11) */

#define AHCI_SECTOR_SIZE 512

enum ahci_status {
    AHCI_OK,
    AHCI_ERR_NO_HBA,        /* no AHCI function on the PCI bus */
    AHCI_ERR_NO_DISK,       /* an HBA, but no SATA disk on any port */
    AHCI_ERR_RANGE,         /* sectors the disk does not have, count bad */
    AHCI_ERR_FAILED,        /* anything else: ahci_problem() says what */
};

/* What one read cost the CPU. */
struct ahci_stats {
    uint64_t cycles;    /* TSC cycles in the driver, not counting its
                           halted wait for the MSI; 0 without a TSC */
    uint32_t movs;      /* `mov` loads and stores to the HBA's registers */
    uint32_t irqs;      /* completion interrupts taken */
    uint32_t prds;      /* PRD entries the command table held */
};

/* Since boot: sectors read, all by DMA (AHCI has no other way), and
 * the completion MSIs taken (IDENTIFY DEVICE's at boot included). */
struct ahci_totals {
    uint32_t sectors, msis;
};

/* The HBA and the disk, for the monitor. */
struct ahci_view {
    uint16_t bdf;               /* PCI bus/device/function */
    uint16_t vendor, device;
    uint32_t abar, abar_size;   /* the register window (BAR5) */
    uint32_t cap;               /* CAP as read */
    uint16_t version_major, version_minor;  /* VS */
    uint32_t ports_implemented; /* PI */
    unsigned slots;             /* command slots (CAP.NCS + 1) */
    bool disk;                  /* a SATA disk was brought up */
    unsigned port;              /* its port */
    uint32_t ssts, sig;         /* its PxSSTS and PxSIG */
    uint64_t sectors;           /* IDENTIFY: words 100-103, or 60-61 */
    const char *model;          /* IDENTIFY: words 27-46 */
    bool msi;                   /* a command's end comes as an MSI */
    const char *completion;     /* how a command's end is noticed */
};

/* Finds the HBA by its PCI class, maps its ABAR uncached, turns on
 * memory decoding and bus mastering, enables AHCI and brings up the
 * first port with a SATA disk, which it identifies. Needs pci_init.
 * True when a disk can be read; ahci_description() says what was found
 * either way. */
bool ahci_init(void);

bool ahci_present(void);        /* an AHCI HBA was found */
/* Follows a moved ABAR first (pci_bar_moves), as ahci_read does. */
struct ahci_view ahci_view(void);
struct ahci_totals ahci_totals(void);

/* One line for the boot log: the HBA and the disk found, or why not. */
const char *ahci_description(void);

/* The most sectors ahci_read moves in one call: one command, whose PRD
 * table here has room for this much. */
#define AHCI_MAX_READ_SECTORS 65536u

/* Reads count sectors from lba into buf (count * 512 bytes) with one
 * READ DMA EXT. buf must be identity-mapped and 2-byte aligned: the HBA
 * writes it by physical address. *stats is filled whatever the outcome. */
enum ahci_status ahci_read(uint64_t lba, uint32_t count, void *buf,
                           struct ahci_stats *stats);

/* The reason for the last failure, as one line of text. */
const char *ahci_problem(void);

#endif
