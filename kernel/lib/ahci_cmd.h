/*
 * An AHCI command, as arithmetic: the structures the HBA reads from memory
 * by itself (its "program"), built here from plain numbers. Pure C,
 * host-tested; drivers/ahci.c puts them in memory and rings the doorbell.
 *
 * To start a command, software writes no device register but one: it
 * fills three structures in RAM and then sets a bit in PxCI. The HBA
 * fetches the rest by DMA (claim C7: a bus master's program is memory):
 *  - the command header (one of 32 slots in the port's command list,
 *    4.2.2): how long the command FIS is, which way data moves, how many
 *    PRD entries follow, and where the command table is;
 *  - the command table (4.2.3): the command FIS (here a Register
 *    Host-to-Device FIS, the ATA registers in one 20-byte packet, Serial
 *    ATA 1.0a 10.3.4), then the PRD table;
 *  - the PRD table (4.2.3.3): the memory regions the data goes to.
 *
 * AHCI's PRD entries differ from bus-master IDE's (kernel/lib/prd.h):
 * four dwords, a 64-bit address, a 22-bit byte count written as count - 1
 * (up to 4 MiB an entry), no 64 KiB boundary and no end-of-table bit (the
 * command header says how many entries there are), the address and the
 * count whole 16-bit words.
 *
 * References: Serial ATA AHCI 1.3.1 specification, section numbers below;
 * Serial ATA 1.0a, 10.3.4 (Register FIS - Host to Device); ATA/ATAPI-7
 * vol. 1, READ DMA EXT (25h) and IDENTIFY DEVICE (ECh).
 */
#ifndef KERNEL_LIB_AHCI_CMD_H
#define KERNEL_LIB_AHCI_CMD_H

#include <stdbool.h>
#include <stdint.h>

/* The Register Host-to-Device FIS (Serial ATA 1.0a, 10.3.4, figure 194). */
#define FIS_TYPE_REG_H2D 0x27
#define FIS_H2D_BYTES 20u
#define FIS_H2D_TYPE 0              /* byte offsets */
#define FIS_H2D_FLAGS 1             /* bit 7 C: the Command register */
#define FIS_H2D_COMMAND 2           /* 3: Features 7-0, unused here */
#define FIS_H2D_LBA0 4              /* LBA bits 7-0 */
#define FIS_H2D_LBA1 5
#define FIS_H2D_LBA2 6
#define FIS_H2D_DEVICE 7
#define FIS_H2D_LBA3 8              /* LBA bits 31-24 (48-bit commands) */
#define FIS_H2D_LBA4 9
#define FIS_H2D_LBA5 10             /* 11: Features 15-8, unused here */
#define FIS_H2D_COUNT 12            /* sector count 7-0 */
#define FIS_H2D_COUNT_EXP 13        /* sector count 15-8 */
#define FIS_H2D_FLAG_C 0x80u        /* this FIS writes the Command register */

/* The command header (4.2.2, figure 18), 32 bytes, 32 of them in the
 * command list. DW0: CFL (the command FIS's length in dwords, bits 4:0),
 * W (bit 6: data to the device; 0 here, every command reads), PRDTL (bits
 * 31:16: PRD entries). */
#define AHCI_SLOTS 32u
#define AHCI_CMD_HEADER_BYTES 32u
#define AHCI_CMD_LIST_BYTES (AHCI_SLOTS * AHCI_CMD_HEADER_BYTES)
#define AHCI_CMD_LIST_ALIGN 1024u   /* PxCLB bits 9:0 are reserved (3.3.1) */
#define AHCI_RX_FIS_BYTES 256u      /* the received-FIS area (4.2.1) */
#define AHCI_RX_FIS_ALIGN 256u      /* PxFB bits 7:0 are reserved (3.3.3) */
#define AHCI_RX_FIS_D2H 0x40u       /* where a D2H Register FIS lands */
#define AHCI_HDR_CFL_MASK 0x1Fu
#define AHCI_HDR_PRDTL_SHIFT 16

/* The command table (4.2.3, figure 20): the command FIS at 0x00 (up to 64
 * bytes), the ATAPI command at 0x40, the PRD table from 0x80. */
#define AHCI_CMD_TABLE_CFIS 0x00u
#define AHCI_CMD_TABLE_PRDT 0x80u
#define AHCI_CMD_TABLE_ALIGN 128u   /* CTBA bits 6:0 are reserved (4.2.2) */

/* A PRD entry (4.2.3.3, figure 21). DW3: DBC, bits 21:0, the byte count
 * less one ("a maximum length of 4 MB"; bit 0 is always 1: an even
 * count), I, bit 31, an interrupt when this entry is done. DW0 bit 0 is
 * reserved: the address is word-aligned. */
#define AHCI_PRD_MAX_BYTES (4u << 20)
#define AHCI_PRD_DBC_MASK 0x003FFFFFu
#define AHCI_PRD_INTERRUPT (1u << 31)
#define AHCI_PRD_ALIGN 2u

/* One command header as the HBA reads it (little-endian, as the x86
 * stores it). */
struct ahci_cmd_header {
    uint32_t dw0;           /* CFL, A, W, P, R, B, C, PMP, PRDTL */
    uint32_t prdbc;         /* bytes transferred, written by the HBA */
    uint32_t ctba, ctbau;   /* the command table's physical address */
    uint32_t reserved[4];
};

/* One PRD entry as the HBA reads it. */
struct ahci_prd {
    uint32_t dba, dbau;     /* the region's physical address */
    uint32_t reserved;
    uint32_t dbc_i;         /* byte count - 1 | AHCI_PRD_INTERRUPT */
};

enum ahci_prdt_status {
    AHCI_PRDT_OK,
    AHCI_PRDT_EMPTY,        /* length 0 */
    AHCI_PRDT_ODD,          /* odd address or length */
    AHCI_PRDT_WRAPS,        /* reaches past 4 GiB */
    AHCI_PRDT_TOO_MANY,     /* needs more entries than the table has */
};

/* Splits the len bytes at phys into entries of at most 4 MiB, into table
 * (room for max entries); *used says how many. Only the last entry asks
 * for an interrupt (the command's completion is what the driver waits
 * for). On an error nothing is written. */
enum ahci_prdt_status ahci_prdt_build(uint32_t phys, uint32_t len,
                                      struct ahci_prd *table, unsigned max,
                                      unsigned *used);

/* A short English phrase for a status, for "error: ..." lines. */
const char *ahci_prdt_status_text(enum ahci_prdt_status st);

/* DW0 of a command header for a host-to-device FIS of fis_bytes (a
 * multiple of 4, 8..64) and prds (at most 65535) PRD entries, data from
 * the device. */
uint32_t ahci_header_dw0(unsigned fis_bytes, unsigned prds);

/* Fills the 20 bytes of a Register H2D FIS carrying an ATA command with
 * the Command register written: lba (48 bits) and count (0 meaning 65536
 * for a 48-bit command) in the LBA and count fields, LBA addressing. */
void ahci_fis_h2d(uint8_t fis[FIS_H2D_BYTES], uint8_t command, uint64_t lba,
                  uint32_t count);

enum ahci_range {
    AHCI_RANGE_OK,
    AHCI_RANGE_COUNT_ZERO,
    AHCI_RANGE_COUNT_TOO_BIG,   /* more than max_count */
    AHCI_RANGE_PAST_END,        /* lba + count > sectors */
};

/* Whether count sectors from lba lie on a disk of sectors sectors, and
 * count is 1..max_count. */
enum ahci_range ahci_check_range(uint64_t lba, uint32_t count,
                                 uint64_t sectors, uint32_t max_count);
const char *ahci_range_text(enum ahci_range r);

#endif
