/*
 * An ATA disk on the primary channel of the PC's IDE interface, as QEMU's
 * `pc` machine has it: the PIIX3's IDE function (PCI 00:01.1) decoding
 * the PC/AT's ports, 0x1F0-0x1F7 and 0x3F6, with IRQ 14 (drivers/ata.h).
 *
 * A port-mapped device (claim C2) driven through its "task file": the CPU
 * writes a command's parameters (sector count, LBA) into registers, then
 * the command code, and reads the Status register until the device is
 * done with it: BSY clear, and DRQ set when a sector waits in its buffer
 * (claim C3: the device paces the CPU). Every such wait is bounded.
 *
 * The sectors can reach memory two ways, and the driver does both for
 * the same sectors (claim C7):
 *  - PIO (READ SECTORS, this file): the CPU takes each sector from the
 *    Data register, 256 `in` of 16 bits, after the device set DRQ;
 *  - bus-master DMA (READ DMA, drivers/ata_dma.c): the controller itself
 *    writes memory, walking a table of regions the CPU built; the CPU
 *    sleeps until IRQ 14.
 * Each read counts its cost, as the floppy's do: CPU cycles (TSC), `in`
 * and `out` instructions, `mov` stores to device registers (none here:
 * every register of this controller is a port), interrupts.
 *
 * iospace uses LBA addressing and the 28-bit commands only: they reach
 * 2^28 sectors (128 GiB), more than any image here. The master device
 * only: the slave, if any, is left alone.
 *
 * Reference: ATA/ATAPI-6 (T13/1410D): clause 7 "Register description"
 * (Status, Error, Device, Device Control, Sector Count, LBA Low/Mid/High,
 * Data), clause 8 "Command descriptions" (IDENTIFY DEVICE, READ SECTORS,
 * READ DMA), clause 9 "Protocol" (PIO data-in: BSY, then DRQ, then the
 * data; the 400 ns the host waits after writing the Command or Device
 * register before it trusts Status; the signature an ATAPI device leaves
 * in LBA Mid and LBA High when it aborts IDENTIFY DEVICE).
 */
#include "drivers/ata_channel.h"

#include "drivers/pit8254.h"
#include "io/port.h"
#include "io/trace.h"
#include "kernel/irq.h"
#include "kernel/lib/fmt.h"
#include "kernel/lib/units.h"
#include "kernel/tick.h"
#include "kernel/timeout.h"
#include "kernel/tsc.h"
#include "kernel/x86.h"

#include <stdarg.h>

/* Error register bits (ATA/ATAPI-6, "Error register"). */
#define ATA_ER_UNC 0x40             /* uncorrectable data */
#define ATA_ER_IDNF 0x10            /* the sector does not exist */
#define ATA_ER_ABRT 0x04            /* command aborted */

/* Device register: bit 6 selects LBA addressing, bit 4 (DEV) the slave,
 * bits 3-0 carry LBA bits 27-24. Bits 7 and 5 are obsolete in
 * ATA/ATAPI-6 (older controllers read them as ECC on and 512-byte
 * sectors, hence the 0xA0 of old drivers); iospace writes them 0. */
#define ATA_DEV_LBA 0x40
#define ATA_DEV_MASTER 0x00
#define ATA_DEV_LBA_TOP_SHIFT 24
#define ATA_DEV_LBA_TOP_MASK 0x0F

/* Device Control register. Its bit 1, nIEN, set would keep INTRQ off;
 * iospace leaves it clear, so the device interrupts and IRQ 14 can be
 * counted. */
#define ATA_DC_SRST 0x04            /* software reset, both devices */

/* Commands (ATA/ATAPI-6 clause 8). */
#define ATA_CMD_IDENTIFY_DEVICE 0xEC
#define ATA_CMD_READ_SECTORS 0x20

/* What an ATAPI device (a CD-ROM) leaves in LBA Mid and LBA High when it
 * aborts IDENTIFY DEVICE: its signature. */
#define ATAPI_SIGNATURE_MID 0x14
#define ATAPI_SIGNATURE_HIGH 0xEB

/* Status with nothing there: a bus no device drives floats to 0xFF;
 * QEMU reads 0x00 from a channel with no drive at all. */
#define ATA_STATUS_FLOATING 0xFF
#define ATA_STATUS_NO_DRIVE 0x00

#define BYTE_BITS 8
#define LBA_MID_SHIFT 8
#define LBA_HIGH_SHIFT 16
#define WORDS_PER_SECTOR (ATA_SECTOR_SIZE / 2)

/* Waits. A spinning disk answers a command in milliseconds (a seek and a
 * turn of the platter), QEMU's at once; a second is far more than either
 * needs, and turns a disk that never answers into an error line. */
#define ATA_BUSY_TIMEOUT_MS 1000u
#define ATA_IRQ_TIMEOUT_MS 1000u
/* The software reset protocol (ATA/ATAPI-6 clause 9, "Software reset
 * protocol"): SRST held at least 5 us (a millisecond here, the shortest
 * pit_sleep_ms waits), then at least 2 ms before the host looks at BSY;
 * a device may take up to 31 s to clear it. */
#define ATA_SRST_HOLD_MS 1u
#define ATA_SRST_SETTLE_MS 2u
#define ATA_RESET_TIMEOUT_MS 31000u

#define ATA_PROBLEM_SIZE 160

static bool present;
static uint16_t id_words[ATA_IDENTIFY_WORDS];
static struct ata_identity identity;
static char description[160];
static char problem[ATA_PROBLEM_SIZE];
static volatile uint32_t irqs;
static volatile bool irq_arrived;
/* Whether the tick runs, looked at before each read: the IRQ waits halt
 * until the next interrupt and time out by the tick, which a student may
 * have stopped. Without it they poll the flag instead (drivers/floppy_fdc.c
 * does the same for IRQ 6). */
static bool ticking;

static struct ata_totals totals;   /* since boot, every read that worked */

/* What the current read has cost so far. */
static uint32_t ins, outs;
static uint64_t halted_cycles;

/* --- port access and errors ------------------------------------------ */

uint8_t ata_in8(uint16_t port)
{
    ins++;
    return inb(port);
}

uint16_t ata_in16(uint16_t port)
{
    ins++;
    return inw(port);
}

void ata_out8(uint16_t port, uint8_t v)
{
    outs++;
    outb(port, v);
}

void ata_out32(uint16_t port, uint32_t v)
{
    outs++;
    outl(port, v);
}

enum ata_status ata_fail(enum ata_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(problem, sizeof problem, fmt, ap);
    va_end(ap);
    return st;
}

const char *ata_problem(void)
{
    return problem;
}

/* The 400 ns the host waits after writing the Device or Command register
 * before Status means anything: one io_wait, an ISA bus cycle of about
 * 1 us (io/port.h), counted as the `out` it is. */
static void settle(void)
{
    outs++;
    io_wait();
}

/* --- interrupts -------------------------------------------------------- */

static void ata_irq(void)
{
    irqs++;
    irq_arrived = true;
}

void ata_expect_irq(void)
{
    irq_arrived = false;
}

/* Halts until the next interrupt. The CPU is free meanwhile, so these
 * cycles are not counted as the driver's. Called with interrupts off,
 * after looking at the flag (see sti_hlt). */
static void halt_until_interrupt(void)
{
    uint64_t t0 = tsc_hz() ? rdtsc() : 0;
    sti_hlt();
    if (tsc_hz())
        halted_cycles += rdtsc() - t0;
}

enum ata_status ata_wait_irq(const char *after)
{
    if (!(read_eflags() & EFLAGS_IF))
        return ata_fail(ATA_ERR_FAILED, "interrupts are off: IRQ %u after %s "
                        "could never arrive", ATA_IRQ, after);
    if (!ticking) {
        struct timeout t = timeout_start_us(ATA_IRQ_TIMEOUT_MS * US_PER_MS);
        do {
            if (irq_arrived)
                return ATA_OK;
        } while (!timeout_expired(&t));
        return ata_fail(ATA_ERR_FAILED, "no IRQ %u within %u ms after %s (no "
                        "running timer tick: timed by polling)", ATA_IRQ,
                        ATA_IRQ_TIMEOUT_MS, after);
    }
    uint64_t deadline = tick_uptime_ms() + ATA_IRQ_TIMEOUT_MS;
    for (;;) {
        cli();
        if (irq_arrived) {
            sti();
            return ATA_OK;
        }
        if (tick_uptime_ms() >= deadline) {
            sti();
            return ata_fail(ATA_ERR_FAILED, "no IRQ %u within %u ms after %s",
                            ATA_IRQ, ATA_IRQ_TIMEOUT_MS, after);
        }
        halt_until_interrupt();
    }
}

/* --- the protocol ------------------------------------------------------ */

/* Polls Status until (status & mask) == want; false after the bound. */
static bool wait_status(uint8_t mask, uint8_t want, uint8_t *status)
{
    struct timeout t = timeout_start_us(ATA_BUSY_TIMEOUT_MS * US_PER_MS);
    do {
        *status = ata_in8(ATA_STATUS);
        if ((*status & mask) == want)
            return true;
    } while (!timeout_expired(&t));
    return false;
}

static const char *error_reason(uint8_t error)
{
    if (error & ATA_ER_IDNF)
        return "sector not found (IDNF)";
    if (error & ATA_ER_UNC)
        return "uncorrectable data (UNC)";
    if (error & ATA_ER_ABRT)
        return "command aborted (ABRT)";
    return "see the Error register";
}

enum ata_status ata_wait_done(const char *name, uint8_t *status)
{
    if (!wait_status(ATA_SR_BSY, 0, status))
        return ata_fail(ATA_ERR_FAILED, "%s: the disk stayed busy for %u ms "
                        "(status 0x%02x): it never answered", name,
                        ATA_BUSY_TIMEOUT_MS, *status);
    if (*status & ATA_SR_DF)
        return ata_fail(ATA_ERR_FAILED, "%s: device fault (status 0x%02x)",
                        name, *status);
    if (*status & ATA_SR_ERR) {
        uint8_t error = ata_in8(ATA_ERROR);
        return ata_fail(ATA_ERR_FAILED, "%s: %s (status 0x%02x, error "
                        "0x%02x)", name, error_reason(error), *status, error);
    }
    return ATA_OK;
}

/* Selects the master, with LBA addressing and LBA bits 27-24, and waits
 * until it can take a command: BSY clear, DRDY set. */
static enum ata_status select_master(uint8_t lba_top, const char *name)
{
    uint8_t status;
    ata_out8(ATA_DEVICE, ATA_DEV_LBA | ATA_DEV_MASTER | lba_top);
    settle();
    if (!wait_status(ATA_SR_BSY | ATA_SR_DRDY, ATA_SR_DRDY, &status))
        return ata_fail(ATA_ERR_FAILED, "%s: the disk never became ready "
                        "for it in %u ms (status 0x%02x)", name,
                        ATA_BUSY_TIMEOUT_MS, status);
    return ATA_OK;
}

enum ata_status ata_issue_lba28(uint8_t command, const char *name,
                                uint32_t lba, uint32_t count)
{
    enum ata_status st = select_master(
        (uint8_t)(lba >> ATA_DEV_LBA_TOP_SHIFT & ATA_DEV_LBA_TOP_MASK), name);
    if (st != ATA_OK)
        return st;
    ata_out8(ATA_SECTOR_COUNT, (uint8_t)count);     /* 256 is written 0 */
    ata_out8(ATA_LBA_LOW, (uint8_t)lba);
    ata_out8(ATA_LBA_MID, (uint8_t)(lba >> LBA_MID_SHIFT));
    ata_out8(ATA_LBA_HIGH, (uint8_t)(lba >> LBA_HIGH_SHIFT));
    ata_out8(ATA_COMMAND, command);
    settle();
    return ATA_OK;
}

/* PIO data-in: for each sector the device reads it into its buffer, sets
 * DRQ and raises INTRQ; the CPU sleeps until IRQ 14, reads Status (which
 * acknowledges the interrupt), then takes the sector's 256 words from the
 * Data register. The device starts on the next sector only once the last
 * word is taken, so the flag is cleared before the words are moved. The
 * first byte of a sector is the low byte of its first word. */
static enum ata_status pio_data_in(const char *name, uint32_t sectors,
                                   uint8_t *buf)
{
    uint8_t status;
    for (uint32_t s = 0; s < sectors; s++) {
        enum ata_status st = ata_wait_irq(name);
        if (st == ATA_OK)
            st = ata_wait_done(name, &status);
        if (st != ATA_OK)
            return st;
        if (!(status & ATA_SR_DRQ))
            return ata_fail(ATA_ERR_FAILED, "%s: no data for sector %u of "
                            "%u (status 0x%02x)", name, s, sectors, status);
        ata_expect_irq();
        for (uint32_t i = 0; i < WORDS_PER_SECTOR; i++) {
            uint16_t w = ata_in16(ATA_DATA);
            *buf++ = (uint8_t)w;
            *buf++ = (uint8_t)(w >> BYTE_BITS);
        }
    }
    return ATA_OK;
}

/* --- reads ------------------------------------------------------------- */

static enum ata_status pio_read(uint32_t lba, uint32_t count, uint8_t *buf)
{
    const char *name = "READ SECTORS";
    uint8_t status;
    ata_expect_irq();
    enum ata_status st = ata_issue_lba28(ATA_CMD_READ_SECTORS, name, lba,
                                         count);
    if (st == ATA_OK)
        st = pio_data_in(name, count, buf);
    if (st == ATA_OK)
        st = ata_wait_done(name, &status);
    if (st == ATA_OK && (status & ATA_SR_DRQ))
        st = ata_fail(ATA_ERR_FAILED, "%s: the disk offers more data than "
                      "%u sectors (status 0x%02x)", name, count, status);
    return st;
}

/* After a failure the device may be anywhere in a command: holding a
 * sector in DRQ, still busy. Until that ends it ignores what is written
 * to its registers, so a software reset brings both devices back to
 * "ready for a command"; the failure's own message is kept. */
static void recover(enum ata_status st)
{
    char saved[ATA_PROBLEM_SIZE];
    uint8_t status;
    fmt_snprintf(saved, sizeof saved, "%s", problem);
    ata_out8(ATA_DEVICE_CONTROL, ATA_DC_SRST);
    pit_sleep_ms(ATA_SRST_HOLD_MS);
    ata_out8(ATA_DEVICE_CONTROL, 0);
    pit_sleep_ms(ATA_SRST_SETTLE_MS);
    struct timeout t = timeout_start_us(ATA_RESET_TIMEOUT_MS * US_PER_MS);
    do {
        status = ata_in8(ATA_ALT_STATUS);
    } while ((status & ATA_SR_BSY) && !timeout_expired(&t));
    if (status & ATA_SR_BSY)
        ata_fail(st, "%s; and the disk stayed busy after a reset", saved);
    else
        ata_fail(st, "%s", saved);
}

static enum ata_status check_range(uint32_t lba, uint32_t count)
{
    uint32_t sectors = ata_sectors();
    if (count == 0 || count > ATA_MAX_READ_SECTORS)
        return ata_fail(ATA_ERR_RANGE, "a read is 1-%u sectors, not %u",
                        ATA_MAX_READ_SECTORS, count);
    if (lba >= sectors || count > sectors - lba)
        return ata_fail(ATA_ERR_RANGE, "sectors %u-%u are past the end of "
                        "the disk (sectors 0-%u)", lba, lba + count - 1,
                        sectors - 1);
    return ATA_OK;
}

enum ata_status ata_read(uint32_t lba, uint32_t count, enum ata_mode mode,
                         void *buf, struct ata_stats *stats)
{
    /* Looked at before the clock starts: it may watch for a tick period. */
    ticking = tick_running();
    uint32_t irqs0 = irqs;
    uint64_t t0 = tsc_hz() ? rdtsc() : 0;
    enum ata_status st;

    ins = outs = 0;
    halted_cycles = 0;
    stats->prds = 0;
    if (!present)
        st = ata_fail(ATA_ERR_NO_DISK, "%s", description);
    else
        st = check_range(lba, count);
    if (st == ATA_OK && mode == ATA_MODE_DMA)
        st = ata_dma_read(lba, count, buf, &stats->prds);
    else if (st == ATA_OK)
        st = pio_read(lba, count, buf);
    if (st == ATA_OK && mode == ATA_MODE_DMA)
        totals.sectors_dma += count;
    else if (st == ATA_OK)
        totals.sectors_pio += count;
    else if (st == ATA_ERR_FAILED)
        recover(st);

    stats->cycles = tsc_hz() ? rdtsc() - t0 - halted_cycles : 0;
    stats->ins = ins;
    stats->outs = outs;
    stats->movs = 0;
    stats->irqs = irqs - irqs0;
    return st;
}

/* --- finding the disk -------------------------------------------------- */

/* IDENTIFY DEVICE: PIO data-in of one block of 256 words. An ATAPI
 * device aborts it and shows its signature instead. */
static enum ata_status identify(void)
{
    const char *name = "IDENTIFY DEVICE";
    uint8_t status;
    enum ata_status st = select_master(0, name);
    if (st != ATA_OK)
        return st;
    ata_out8(ATA_COMMAND, ATA_CMD_IDENTIFY_DEVICE);
    settle();
    st = ata_wait_done(name, &status);
    if (st != ATA_OK && ata_in8(ATA_LBA_MID) == ATAPI_SIGNATURE_MID
        && ata_in8(ATA_LBA_HIGH) == ATAPI_SIGNATURE_HIGH)
        return ata_fail(ATA_ERR_NO_DISK, "the primary master is an ATAPI "
                        "device (a CD-ROM drive): iospace reads ATA disks");
    if (st != ATA_OK)
        return st;
    if (!(status & ATA_SR_DRQ))
        return ata_fail(ATA_ERR_FAILED, "%s: no data (status 0x%02x)", name,
                        status);
    for (unsigned i = 0; i < ATA_IDENTIFY_WORDS; i++)
        id_words[i] = ata_in16(ATA_DATA);
    ata_identify_decode(id_words, &identity);
    if (!identity.ata || !identity.lba)
        return ata_fail(ATA_ERR_NO_DISK, "the primary master (%s) is not an "
                        "ATA disk with LBA addressing", identity.model);
    return ATA_OK;
}

/* Register names for the I/O trace (io/trace.h). */
static const char *ata_reg_name(uint32_t port, bool write, uint32_t value)
{
    (void)value;
    switch (port) {
    case ATA_DATA:
        return "Data";
    case ATA_ERROR:
        return write ? "Features" : "Error";
    case ATA_SECTOR_COUNT:
        return "Sector Count";
    case ATA_LBA_LOW:
        return "LBA Low";
    case ATA_LBA_MID:
        return "LBA Mid";
    case ATA_LBA_HIGH:
        return "LBA High";
    case ATA_DEVICE:
        return "Device";
    case ATA_STATUS:
        return write ? "Command" : "Status";
    case ATA_CONTROL_PORT:
        return write ? "Device Control" : "Alternate Status";
    }
    return 0;
}

static const struct io_trace_device trace_ata = {
    "ata", IO_PMIO, ATA_BASE, ATA_LAST, ata_reg_name,
};
static const struct io_trace_device trace_ata_control = {
    "ata", IO_PMIO, ATA_CONTROL_PORT, ATA_CONTROL_PORT, ata_reg_name,
};

bool ata_init(void)
{
    io_trace_add_device(&trace_ata);
    io_trace_add_device(&trace_ata_control);
    ins = outs = 0;

    /* The master first: the firmware may have left the slave selected,
     * and an absent slave's Status reads 0 even with a master there. */
    ata_out8(ATA_DEVICE, ATA_DEV_MASTER);
    settle();
    uint8_t status = ata_in8(ATA_STATUS);
    if (status == ATA_STATUS_FLOATING || status == ATA_STATUS_NO_DRIVE) {
        fmt_snprintf(description, sizeof description, "no disk on the "
                     "primary IDE channel (status 0x%02x at port 0x%03x)",
                     status, ATA_STATUS);
        return false;
    }
    /* Interrupts on (nIEN clear) before the first command: IDENTIFY
     * DEVICE already raises IRQ 14, which must find its handler. */
    irq_register(ATA_IRQ, "ata", ata_irq);
    ata_out8(ATA_DEVICE_CONTROL, 0);
    enum ata_status st = identify();
    if (st != ATA_OK) {
        fmt_snprintf(description, sizeof description, "%s", problem);
        return false;
    }
    present = true;
    ata_dma_init();
    fmt_snprintf(description, sizeof description, "primary master: \"%s\", "
                 "%u sectors of %u bytes%s%s; ports 0x%03x-0x%03x and "
                 "0x%03x, IRQ %u", identity.model, identity.sectors28,
                 ATA_SECTOR_SIZE,
                 identity.lba48 ? ", LBA48" : ", LBA28 only",
                 identity.dma ? ", DMA" : "", ATA_BASE, ATA_LAST,
                 ATA_CONTROL_PORT, ATA_IRQ);
    return true;
}

bool ata_present(void)
{
    return present;
}

struct ata_totals ata_totals(void)
{
    return totals;
}

const struct ata_identity *ata_identity(void)
{
    return &identity;
}

const char *ata_description(void)
{
    return description;
}

/* Words 60-61 count only what 28-bit LBA reaches: at most 2^28 - 1. */
uint32_t ata_sectors(void)
{
    return present ? identity.sectors28 : 0;
}

const char *ata_mode_name(enum ata_mode mode)
{
    return mode == ATA_MODE_DMA ? "dma" : "pio";
}
