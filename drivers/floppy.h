#ifndef DRIVERS_FLOPPY_H
#define DRIVERS_FLOPPY_H

#include "kernel/lib/floppy_geometry.h"

#include <stdbool.h>
#include <stdint.h>

/* The primary controller's ports (82077AA data sheet, 2.1; IBM PC/AT
 * Technical Reference, "System I/O Address Map"). Offsets 4 and 7 are two
 * registers each, one read, one written; offset 6 is the hard disk
 * controller's. */
#define FDC_BASE 0x3F0
#define FDC_DOR (FDC_BASE + 2)  /* digital output: reset, DMA gate, motors */
#define FDC_MSR (FDC_BASE + 4)  /* main status (read) */
#define FDC_FIFO (FDC_BASE + 5) /* commands, parameters, data, results */
#define FDC_DIR (FDC_BASE + 7)  /* digital input (read): disk change */
#define FDC_CCR (FDC_BASE + 7)  /* configuration control (write): rate */

#define FD_DMA_CHANNEL 2    /* the AT wires the controller's DRQ/DACK here */

/* How the bytes of a READ DATA travel from the controller to memory. */
enum fd_mode {
    FD_MODE_DMA,    /* the 8237 writes memory; IRQ 6 says it is done */
    FD_MODE_PIO,    /* the CPU polls the status and moves each byte (`in`) */
};

enum fd_status {
    FD_OK,
    FD_ERR_NO_DRIVE,    /* no drive 0, or no controller: nothing to read */
    FD_ERR_NO_DISK,     /* the drive is there, the disk is not */
    FD_ERR_FAILED,      /* anything else: floppy_problem() says what */
};

/* What one read cost the CPU. */
struct fd_stats {
    uint64_t cycles;    /* TSC cycles spent in the driver, not counting
                           the halted wait for IRQ 6; 0 without a TSC */
    uint32_t ins, outs; /* `in`/`out` by this driver and the 8237's */
    uint32_t irqs;      /* IRQ 6 interrupts taken */
};

/* Sectors read since boot, by each mode. */
struct fd_totals {
    uint32_t sectors_dma, sectors_pio;
};

/* Looks for drive 0 (the CMOS drive-type byte) and the controller (its
 * status register, a reset, the VERSION command). Needs interrupts on:
 * the reset ends with IRQ 6. True when the drive can be read. */
bool floppy_init(void);

/* Whether floppy_init found a drive to read. */
bool floppy_present(void);

struct fd_totals floppy_totals(void);

/* One line for the boot log: the drive and controller found, or why
 * there is none. */
const char *floppy_description(void);

/* Reads count sectors from lba into buf (count * 512 bytes), split at
 * track boundaries, in the given mode. buf must be DMA-safe in DMA mode
 * (dma_alloc). *stats is filled in whatever the outcome. */
enum fd_status floppy_read(uint32_t lba, uint32_t count, enum fd_mode mode,
                           void *buf, struct fd_stats *stats);

/* The reason for the last failure, as one line of text. */
const char *floppy_problem(void);

const char *floppy_mode_name(enum fd_mode mode);

#endif
