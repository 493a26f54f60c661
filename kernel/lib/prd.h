/*
 * The rules of bus-master IDE DMA, as arithmetic: how a buffer becomes a
 * table of Physical Region Descriptors (PRDs), the list of memory regions
 * the controller walks by itself. Pure C, host-tested; drivers/ata_dma.c
 * hands the table to the controller.
 *
 * Where the 8237 (kernel/lib/dma_rules.h) is given one address and one
 * count in its registers, a bus master reads its own program from memory:
 * an entry is two 32-bit words, the region's physical address and its
 * byte count, with bit 31 of the second word marking the last entry (EOT).
 * The rules, from the Intel 82371FB/SB (PIIX/PIIX3) and 82371AB (PIIX4)
 * data sheets, "Physical Region Descriptor Format" (the controller QEMU's
 * `pc` machine has) and SFF-8038i, which they implement:
 *  - address and count are in bytes, with bit 0 of each zero: a region
 *    is whole 16-bit words;
 *  - the count field is 16 bits, and 0 means 64 KiB;
 *  - a region must not cross a 64 KiB boundary (the controller's address
 *    counter carries only up to bit 15, as the 8237's page register
 *    cannot follow a carry out of bit 15);
 *  - the table itself is 4-byte aligned and must not cross a 64 KiB
 *    boundary.
 * Unlike the 8237's, the addresses are 32 bits: no 16 MiB limit.
 */
#ifndef KERNEL_LIB_PRD_H
#define KERNEL_LIB_PRD_H

#include <stdbool.h>
#include <stdint.h>

#define PRD_BOUNDARY 0x10000u       /* 64 KiB: no region crosses one */
#define PRD_EOT 0x80000000u         /* second word: the last entry */
#define PRD_COUNT_MASK 0xFFFFu      /* second word: the byte count */
#define PRD_ALIGN 2u                /* address and count: whole words */
#define PRD_TABLE_ALIGN 4u          /* the table: dword-aligned */
#define PRD_ENTRY_BYTES 8u

/* One entry as the controller reads it from memory (little-endian, as
 * the x86 stores it). */
struct prd {
    uint32_t phys;          /* the region's physical address */
    uint32_t count_eot;     /* bytes (0 = 64 KiB) | PRD_EOT on the last */
};

enum prd_status {
    PRD_OK,
    PRD_ERR_EMPTY,          /* length 0 */
    PRD_ERR_ODD,            /* odd address or length */
    PRD_ERR_WRAPS,          /* reaches past 4 GiB */
    PRD_ERR_TOO_MANY,       /* needs more entries than the table has */
    PRD_ERR_TABLE_PLACE,    /* the table misaligned or across 64 KiB */
};

/* Splits the len bytes at phys into entries at each 64 KiB boundary,
 * into table (room for max entries), EOT on the last; *used says how
 * many. On an error nothing is written. */
enum prd_status prd_build(uint32_t phys, uint32_t len, struct prd *table,
                          unsigned max, unsigned *used);

/* Checks where a table of n entries may sit in memory. */
enum prd_status prd_check_table(uint32_t phys, unsigned n);

/* A short English phrase for a status, for "error: ..." lines. */
const char *prd_status_text(enum prd_status st);

#endif
