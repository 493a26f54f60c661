/*
 * The floppy disk controller of the PC/AT, an Intel 82077AA (or any
 * 8272A/765-compatible chip), reading 1.44 MB diskettes in drive 0.
 *
 * A port-mapped device (claim C2) at 0x3F0-0x3F7 that is driven through a
 * single data port, the FIFO at 0x3F5, in three phases (data sheet 4.0):
 * the CPU writes a command and its parameter bytes (command phase), the
 * controller does the work and moves the data (execution phase), and the
 * CPU reads back status bytes (result phase). Before every byte the CPU
 * reads the Main Status Register: RQM says the FIFO is ready, DIO which
 * way the next byte goes (claim C3: the device paces the CPU).
 *
 * The data of a READ DATA can leave the chip two ways, and this driver
 * does both for the same sectors (claim C7):
 *  - DMA: the controller raises DRQ for every byte and the 8237 (channel 2,
 *    drivers/dma8237.c) writes the byte to memory with no CPU instruction
 *    involved. The CPU programs the 8237, sends the command and is free
 *    (it halts) until the controller's IRQ 6 announces the result phase;
 *  - PIO ("non-DMA", the ND bit of SPECIFY): the CPU polls the MSR until
 *    RQM and moves each byte from the FIFO itself, with one `in`.
 * Each read counts its cost: CPU cycles (TSC), `in`/`out` instructions and
 * interrupts, so the two can be compared in figures.
 *
 * The driver is four files, one thing each: this one (finding the drive
 * and the controller, splitting a read at track boundaries, its figures),
 * floppy_fdc.c (the controller protocol: commands, result phase, reset,
 * recalibrate, seek, motor), floppy_dma.c and floppy_pio.c (the two read
 * paths), sharing the private floppy_fdc.h.
 *
 * Reference: Intel 82077AA data sheet (order no. 290166): 2.1 "Status,
 * Data and Control Registers" (DOR, MSR, FIFO, DIR, CCR), 4.0 "Controller
 * Phases", table 5-1 "Command Set", 5.1 "Data Transfer Commands", 5.2
 * "Control Commands", 6.0 "Status Register Encoding", 7.4 "Drive Polling",
 * 8.0 "Programming Guidelines"; IBM PC/AT Technical Reference for the
 * ports, IRQ 6, DMA channel 2 and the CMOS drive-type byte.
 */
#include "drivers/floppy.h"

#include "drivers/dma8237.h"
#include "drivers/floppy_fdc.h"
#include "drivers/rtc.h"
#include "io/trace.h"
#include "kernel/irq.h"
#include "kernel/lib/fmt.h"
#include "kernel/tick.h"
#include "kernel/tsc.h"

#define CMD_VERSION 0x10

/* VERSION's answer: 0x90 for the 82077AA and later, while an 8272A/765A
 * takes 0x10 for an invalid command and answers ST0 = 0x80. */
#define VERSION_82077AA 0x90

/* The CMOS RAM's diskette byte (AT Technical Reference, "CMOS RAM Address
 * Map"): drive 0 in the high nibble, drive 1 in the low one. */
#define CMOS_DISKETTE_TYPES 0x10
#define CMOS_DRIVE0_SHIFT 4
#define CMOS_TYPE_NONE 0
#define CMOS_TYPE_360K 1            /* 5.25-inch, 360 KB */
#define CMOS_TYPE_1200K 2           /* 5.25-inch, 1.2 MB: 15 sectors a track */
#define CMOS_TYPE_720K 3            /* 3.5-inch, 720 KB */
#define CMOS_TYPE_1440K 4           /* 3.5-inch, 1.44 MB */
#define CMOS_TYPE_2880K 5           /* 3.5-inch, 2.88 MB: reads 1.44 too */

#define NO_BUS_BYTE 0xFF            /* what a port nobody decodes reads */

static bool present;
static uint8_t cmos_type, version;
static char description[120];
static char other_drive[120];       /* a drive 0 this driver does not read */
static struct fd_totals totals;

/* The read itself, on a drive known to be there. */
static enum fd_status read_sectors(uint32_t lba, uint32_t count,
                                   enum fd_mode mode, uint8_t *out)
{
    enum fd_status st = fdc_prepare_drive();
    if (st == FD_OK)
        st = fdc_specify(mode);
    while (st == FD_OK && count) {
        uint32_t n = fd_sectors_on_track(lba, count);
        struct fd_chs at = fd_lba_to_chs(lba);
        st = fdc_seek(at.cylinder);
        if (st == FD_OK)
            st = mode == FD_MODE_DMA ? fd_dma_read_track(at, n, out)
                                     : fd_pio_read_track(at, n, out);
        out += n * FD_SECTOR_SIZE;
        lba += n;
        count -= n;
    }
    return st;
}

/* After any failure the controller may be stuck in any phase: a reset
 * brings it back to the command phase for the next read (and forgets
 * where the head is, so the next read recalibrates and looks at the
 * disk-change line again). The failure's own status and message are
 * kept. */
static void recover(enum fd_status st)
{
    char saved[FDC_PROBLEM_SIZE];
    fmt_snprintf(saved, sizeof saved, "%s", floppy_problem());
    fdc_reset();
    fdc_fail(st, "%s", saved);
}

enum fd_status floppy_read(uint32_t lba, uint32_t count, enum fd_mode mode,
                           void *buf, struct fd_stats *stats)
{
    /* Looked at before the clock starts: it may watch for a tick period. */
    bool ticking = tick_running();
    struct dma_io_counts dma0 = dma_io_counts();
    uint32_t irqs0 = fdc_cost().irqs;
    uint64_t t0 = tsc_hz() ? rdtsc() : 0;
    enum fd_range_status range = fd_check_range(lba, count);
    enum fd_status st;

    fdc_begin(ticking);
    if (!present) {
        st = fdc_fail(FD_ERR_NO_DRIVE, "%s", other_drive[0] ? other_drive
                                                            : "no floppy drive");
    } else if (range != FD_RANGE_OK) {
        st = fdc_fail(FD_ERR_FAILED, "%s", fd_range_text(range));
    } else {
        st = read_sectors(lba, count, mode, buf);
        if (st == FD_OK && mode == FD_MODE_DMA)
            totals.sectors_dma += count;
        else if (st == FD_OK)
            totals.sectors_pio += count;
        else
            recover(st);
    }

    struct dma_io_counts dma1 = dma_io_counts();
    struct fdc_cost cost = fdc_cost();
    stats->cycles = tsc_hz() ? rdtsc() - t0 - cost.halted_cycles : 0;
    stats->ins = cost.ins + (dma1.ins - dma0.ins);
    stats->outs = cost.outs + (dma1.outs - dma0.outs);
    stats->irqs = cost.irqs - irqs0;
    return st;
}

/* Register names for the I/O trace (io/trace.h). Offsets 0, 1 and 3 are
 * the PS/2 status registers and the tape drive register, which this
 * driver does not use; offset 6 belongs to the hard disk controller. */
static const char *fdc_reg_name(uint32_t port, bool write, uint32_t value)
{
    (void)value;
    switch (port) {
    case FDC_DOR:
        return "DOR";
    case FDC_MSR:
        return write ? "DSR" : "MSR";
    case FDC_FIFO:
        return "FIFO";
    case FDC_DIR:
        return write ? "CCR" : "DIR";
    }
    return 0;
}

static const struct io_trace_device trace_fdc = {
    "fdc", IO_PMIO, FDC_BASE, FDC_DIR, fdc_reg_name,
};

static const char *cmos_drive_name(uint8_t type)
{
    switch (type) {
    case CMOS_TYPE_360K:
        return "a 5.25\" 360 KB drive";
    case CMOS_TYPE_1200K:
        return "a 5.25\" 1.2 MB drive";
    case CMOS_TYPE_720K:
        return "a 3.5\" 720 KB drive";
    }
    return "an unknown drive";
}

/* CMOS first: it costs nothing and says whether a drive 0 is fitted at
 * all. Then the controller: a port nobody decodes reads 0xFF. */
bool floppy_init(void)
{
    uint8_t v = 0;

    io_trace_add_device(&trace_fdc);

    cmos_type = (uint8_t)(cmos_read(CMOS_DISKETTE_TYPES) >> CMOS_DRIVE0_SHIFT);
    if (cmos_type == CMOS_TYPE_NONE) {
        fmt_snprintf(description, sizeof description, "no drive 0 (CMOS "
                     "register 0x%02x says type 0)", CMOS_DISKETTE_TYPES);
        return false;
    }
    if (cmos_type != CMOS_TYPE_1440K && cmos_type != CMOS_TYPE_2880K) {
        /* A drive is there, just not one for 1.44 MB diskettes: fdread
         * says which, rather than "no floppy drive". */
        fmt_snprintf(other_drive, sizeof other_drive, "drive 0 is %s "
                     "(CMOS type %u); iospace reads only 1.44 MB diskettes, "
                     "in 3.5\" drives (types 4, 5)",
                     cmos_drive_name(cmos_type), cmos_type);
        fmt_snprintf(description, sizeof description, "%s", other_drive);
        return false;
    }
    if (fdc_in(FDC_MSR) == NO_BUS_BYTE) {
        fmt_snprintf(description, sizeof description, "CMOS lists drive 0 "
                     "(type %u) but no controller answers at port 0x%03x",
                     cmos_type, FDC_MSR);
        return false;
    }
    irq_register(IRQ_FLOPPY, "floppy", floppy_irq);
    fdc_begin(tick_running());
    enum fd_status st = fdc_reset();
    if (st == FD_OK)
        st = fdc_send(CMD_VERSION);
    if (st == FD_OK)
        st = fdc_receive(&v);
    if (st != FD_OK) {
        fmt_snprintf(description, sizeof description, "the controller "
                     "at 0x%03x did not answer: %s", FDC_BASE,
                     floppy_problem());
        return false;
    }
    version = v;
    present = true;
    fmt_snprintf(description, sizeof description, "drive 0 is a %s 3.5\" "
                 "drive (CMOS type %u); %s controller (VERSION 0x%02x) at "
                 "0x%03x, IRQ %u, DMA channel %u",
                 cmos_type == CMOS_TYPE_1440K ? "1.44 MB" : "2.88 MB",
                 cmos_type, version == VERSION_82077AA ? "82077AA"
                                                       : "8272A/765",
                 version, FDC_BASE, IRQ_FLOPPY, FD_DMA_CHANNEL);
    return true;
}

bool floppy_present(void)
{
    return present;
}

struct fd_totals floppy_totals(void)
{
    return totals;
}

const char *floppy_description(void)
{
    return description;
}

const char *floppy_mode_name(enum fd_mode mode)
{
    return mode == FD_MODE_DMA ? "dma" : "pio";
}
