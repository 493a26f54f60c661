#ifndef DRIVERS_ATA_H
#define DRIVERS_ATA_H

#include "kernel/lib/ata_identify.h"
#include "kernel/lib/pci_config.h"

#include <stdbool.h>
#include <stdint.h>

/* The primary channel of the PC/AT's hard disk interface, which every
 * IDE controller since decodes at the same ports (IBM PC/AT Technical
 * Reference, "System I/O Address Map"; PIIX4 data sheet, "Legacy IDE
 * Mode"): the command block at 0x1F0-0x1F7, the control block's one
 * register at 0x3F6, IRQ 14. The register names are ATA/ATAPI-6's
 * (clause 7, "Register description"); a port is two registers when one is
 * read and the other written. */
#define ATA_BASE 0x1F0
#define ATA_DATA (ATA_BASE + 0)     /* 16 bits: the sectors' words */
#define ATA_ERROR (ATA_BASE + 1)    /* read: why ERR was set */
#define ATA_FEATURES (ATA_BASE + 1) /* write */
#define ATA_SECTOR_COUNT (ATA_BASE + 2)
#define ATA_LBA_LOW (ATA_BASE + 3)  /* LBA bits 7-0 */
#define ATA_LBA_MID (ATA_BASE + 4)  /* LBA bits 15-8 */
#define ATA_LBA_HIGH (ATA_BASE + 5) /* LBA bits 23-16 */
#define ATA_DEVICE (ATA_BASE + 6)   /* DEV, LBA, LBA bits 27-24 */
#define ATA_STATUS (ATA_BASE + 7)   /* read: acknowledges the interrupt */
#define ATA_COMMAND (ATA_BASE + 7)  /* write: starts a command */
#define ATA_LAST ATA_COMMAND
#define ATA_CONTROL_PORT 0x3F6
#define ATA_ALT_STATUS ATA_CONTROL_PORT     /* read: Status, no acknowledge */
#define ATA_DEVICE_CONTROL ATA_CONTROL_PORT /* write: nIEN, SRST */

#define ATA_IRQ 14                  /* the primary channel's INTRQ */
#define ATA_SECTOR_SIZE 512
/* The Sector Count register is 8 bits, 0 meaning 256: the most sectors
 * one READ SECTORS or READ DMA moves. */
#define ATA_MAX_READ_SECTORS 256

/* Who moves the sectors' bytes from the disk to memory. */
enum ata_mode {
    ATA_MODE_PIO,   /* the CPU: an `in` from the Data register per word */
    ATA_MODE_DMA,   /* the controller, as bus master: READ DMA */
};

enum ata_status {
    ATA_OK,
    ATA_ERR_NO_DISK,    /* no ATA disk on the primary channel's master */
    ATA_ERR_RANGE,      /* sectors the disk does not have, or count bad */
    ATA_ERR_NO_DMA,     /* no bus-master DMA: ata_problem() says why */
    ATA_ERR_FAILED,     /* anything else: ata_problem() says what */
};

/* What one read cost the CPU. */
struct ata_stats {
    uint64_t cycles;    /* TSC cycles in the driver, not counting its
                           halted wait for IRQ 14; 0 without a TSC */
    uint32_t ins, outs; /* `in`/`out` instructions, one per access */
    uint32_t movs;      /* `mov` stores to device registers */
    uint32_t irqs;      /* IRQ 14 interrupts taken */
    uint32_t prds;      /* PRD entries the DMA table held; 0 in PIO */
};

/* Sectors read since boot, by each mode (the live panel shows them). */
struct ata_totals {
    uint32_t sectors_dma, sectors_pio;
};

/* Looks for a disk on the primary channel's master and identifies it
 * (IDENTIFY DEVICE); registers IRQ 14. True when a disk answered. */
bool ata_init(void);

bool ata_present(void);

/* Whether the PCI scan found an IDE function (QEMU's pc: the PIIX3's,
 * 00:01.1), the controller, with or without a disk on its channel. */
bool ata_controller_present(void);

/* The primary channel's bus-master registers (BMIDE), at the ports the
 * IDE function's BAR4 holds: true, with the first and the last of them,
 * once ata_init has set up DMA; false when it has not (no disk, or no
 * bus master). */
bool ata_bmide_ports(uint16_t *first, uint16_t *last);

struct ata_totals ata_totals(void);

/* The disk as IDENTIFY DEVICE described it; only when ata_present(). */
const struct ata_identity *ata_identity(void);

/* One line for the boot log: the disk found, or why there is none. */
const char *ata_description(void);

/* The bus master: the IDE function, its BAR4 and the ports it holds, or
 * why DMA reads cannot be done. */
const char *ata_dma_text(void);

/* The I/O window the bus master drives, once the driver has set it up:
 * the IDE function, its BAR (4) and the port the driver reads and writes
 * it at, the window's first (BMIC of the primary channel), as the BAR
 * said at boot. False when the driver drives none (no disk, or no bus
 * master). */
bool ata_dma_window(pci_bdf *bdf, unsigned *index, uint16_t *port);

/* Sectors a read may address: those 28-bit LBA reaches (iospace uses the
 * 28-bit commands only). 0 without a disk. */
uint32_t ata_sectors(void);

/* Reads count (1..ATA_MAX_READ_SECTORS) sectors from lba into buf
 * (count * 512 bytes), in the given mode. In DMA mode buf must be
 * identity-mapped, even, and fit the PRD table (kernel/lib/prd.h).
 * *stats is filled in whatever the outcome. */
enum ata_status ata_read(uint32_t lba, uint32_t count, enum ata_mode mode,
                         void *buf, struct ata_stats *stats);

/* The reason for the last failure, as one line of text. */
const char *ata_problem(void);

const char *ata_mode_name(enum ata_mode mode);

#endif
