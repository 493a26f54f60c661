/*
 * The floppy controller's protocol (drivers/floppy.c says what the chip
 * is): bytes through the FIFO paced by the MSR, the waits for IRQ 6, and
 * the control commands that bring the head over a track: reset,
 * SPECIFY, RECALIBRATE, SEEK, SENSE INTERRUPT STATUS, the motor; and the
 * command and result phases of READ DATA, whose execution phase the two
 * read paths do (floppy_dma.c, floppy_pio.c).
 *
 * A real drive is slow: the motor needs a few hundred ms to spin up, a
 * seek moves the head in milliseconds per cylinder, and a sector passes
 * under the head once per revolution (200 ms at 300 rpm). QEMU answers at
 * once; the driver still waits as a real drive needs, and every wait has
 * a bound that turns into an error, never a hang.
 *
 * Reference: Intel 82077AA data sheet (order no. 290166): 2.1 "Status,
 * Data and Control Registers", 4.0 "Controller Phases", table 5-1
 * "Command Set", 5.1 "Data Transfer Commands", 5.2 "Control Commands",
 * 6.0 "Status Register Encoding", 7.4 "Drive Polling".
 */
#include "drivers/floppy_fdc.h"

#include "drivers/pit8254.h"
#include "io/port.h"
#include "kernel/lib/fmt.h"
#include "kernel/lib/units.h"
#include "kernel/tick.h"
#include "kernel/timeout.h"
#include "kernel/tsc.h"
#include "kernel/x86.h"

#include <stdarg.h>

/* DOR bits. In PC-AT mode DMA GATE also enables the INT and DRQ pins:
 * with it clear the chip can raise neither IRQ 6 nor a DMA request, so it
 * stays set in PIO mode too. Bits 1-0 select the drive. */
#define DOR_NOT_RESET 0x04          /* 0 holds the chip in reset */
#define DOR_DMA_GATE 0x08
#define DOR_MOTOR(drive) (0x10u << (drive))

#define DIR_DISK_CHANGE 0x80        /* active until a step with a disk in */
#define CCR_RATE_500K 0x00          /* 500 kbit/s MFM: 1.44 MB media */

/* Commands (table 5-1). MFM selects double density, which every 1.44 MB
 * disk uses. The MT (multi-track) bit is left clear: the driver reads one
 * track per command, so the same command ends the same way in both modes
 * and on every controller. */
#define CMD_READ_DATA 0x06
#define CMD_SPECIFY 0x03
#define CMD_RECALIBRATE 0x07
#define CMD_SENSE_INTERRUPT 0x08
#define CMD_SEEK 0x0F
#define CMD_MFM 0x40
#define CMD_HEAD_SHIFT 2            /* HDS in bit 2 of the drive byte */

/* SPECIFY (5.2.6) at 500 kbit/s: the step rate is 16 ms minus SRT, head
 * unload time is HUT x 16 ms, head load time HLT x 2 ms. 8 ms steps suit
 * any 3.5-inch drive. ND in the second byte selects non-DMA mode. */
#define SPECIFY_SRT_BASE_MS 16
#define SPECIFY_STEP_MS 8
#define SPECIFY_HUT 0x0F            /* 240 ms */
#define SPECIFY_HLT 8               /* 16 ms */
#define SPECIFY_SRT_SHIFT 4
#define SPECIFY_HLT_SHIFT 1
#define SPECIFY_ND 0x01

/* READ DATA parameters for 512-byte sectors: N = 2 (128 << 2 bytes), the
 * gap length of a 3.5-inch 1.44 MB track, and DTL unused (0xFF) when N is
 * not 0. */
#define SECTOR_SIZE_CODE 2
#define GAP3_READ_1440K 0x1B
#define DTL_UNUSED 0xFF

/* Status register 0 (6.1). */
#define ST0_IC_MASK 0xC0            /* interrupt code */
#define ST0_IC_NORMAL 0x00
#define ST0_IC_ABNORMAL 0x40        /* the command started, then failed */
#define ST0_IC_INVALID 0x80         /* invalid command / nothing pending */
#define ST0_IC_POLLING 0xC0         /* drive ready changed (after reset) */
#define ST0_SEEK_END 0x20
#define ST0_EQUIPMENT_CHECK 0x10    /* no TRK0 after a recalibrate */
#define ST0_DRIVE_MASK 0x03

/* Status register 1 (6.2). */
#define ST1_END_OF_CYLINDER 0x80    /* read past EOT without TC */
#define ST1_DATA_ERROR 0x20         /* CRC error */
#define ST1_OVERRUN 0x10            /* the host was too slow for a byte */
#define ST1_NO_DATA 0x04            /* sector not found */
#define ST1_MISSING_ADDRESS_MARK 0x01

#define FD_DRIVES 4                 /* one SENSE INTERRUPT each after reset */
#define FD_PROBE_CYLINDER 1         /* a step away from 0, for the disk check */
#define FD_RECALIBRATE_TRIES 2      /* the chip steps at most 79 times */

/* Waits. The FIFO offers the next byte of a sector within microseconds
 * once the sector passes the head, and any sector passes within a 200 ms
 * revolution: a second is far more than an MSR wait needs. An IRQ may
 * take a full-stroke seek (80 x 8 ms) plus head load; the bound leaves
 * room for two. */
#define FD_POLL_MS 1000u
#define FD_IRQ_TIMEOUT_MS 2000u
#define FD_RESET_HOLD_MS 1          /* far more than the chip needs */
#define FD_MOTOR_SPINUP_MS 300      /* a 3.5-inch drive's spin-up */
#define FD_HEAD_SETTLE_MS 15        /* after a seek, before reading */

static bool motor_on, calibrated;
static int cylinder = -1;           /* where the head is; -1 unknown */
static char problem[FDC_PROBLEM_SIZE];

static volatile bool irq_arrived;
static volatile uint32_t irqs;
/* Whether the tick runs, looked at before each read: the waits halt until
 * the next interrupt and time out by the tick, which a student may have
 * stopped (masked its line, reprogrammed its timer). Without it they poll
 * instead, so a lost IRQ 6 cannot hang the kernel. */
static bool ticking;

/* What the current read has cost so far. */
static uint32_t ins, outs;
static uint64_t halted_cycles;

void fdc_begin(bool tick_runs)
{
    ticking = tick_runs;
    ins = outs = 0;
    halted_cycles = 0;
}

struct fdc_cost fdc_cost(void)
{
    return (struct fdc_cost){ ins, outs, irqs, halted_cycles };
}

void fdc_out(uint16_t port, uint8_t v)
{
    outs++;
    outb(port, v);
}

uint8_t fdc_in(uint16_t port)
{
    ins++;
    return inb(port);
}

void floppy_irq(void)
{
    irqs++;
    irq_arrived = true;
}

void fdc_expect_irq(void)
{
    irq_arrived = false;
}

enum fd_status fdc_fail(enum fd_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(problem, sizeof problem, fmt, ap);
    va_end(ap);
    return st;
}

const char *floppy_problem(void)
{
    return problem;
}

/* Polls the MSR until (msr & mask) == want; false after FD_POLL_MS. */
bool fdc_wait_msr(uint8_t mask, uint8_t want, uint8_t *msr)
{
    struct timeout t = timeout_start_us(FD_POLL_MS * US_PER_MS);
    do {
        *msr = fdc_in(FDC_MSR);
        if ((*msr & mask) == want)
            return true;
    } while (!timeout_expired(&t));
    return false;
}

/* A command or parameter byte: RQM set and DIO clear (CPU to FIFO). */
enum fd_status fdc_send(uint8_t byte)
{
    uint8_t msr;
    if (!fdc_wait_msr(MSR_RQM | MSR_DIO, MSR_RQM, &msr))
        return fdc_fail(FD_ERR_FAILED, "the controller never took a "
                        "command byte (MSR 0x%02x)", msr);
    fdc_out(FDC_FIFO, byte);
    return FD_OK;
}

/* A result byte: RQM and DIO set (FIFO to CPU). */
enum fd_status fdc_receive(uint8_t *byte)
{
    uint8_t msr;
    if (!fdc_wait_msr(MSR_RQM | MSR_DIO, MSR_RQM | MSR_DIO, &msr))
        return fdc_fail(FD_ERR_FAILED, "the controller never offered a "
                        "result byte (MSR 0x%02x)", msr);
    *byte = fdc_in(FDC_FIFO);
    return FD_OK;
}

static enum fd_status send_all(const uint8_t *bytes, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        enum fd_status st = fdc_send(bytes[i]);
        if (st != FD_OK)
            return st;
    }
    return FD_OK;
}

/* Halts until the next interrupt. The CPU is free meanwhile (another
 * task could run), so these cycles are not counted as the driver's.
 * Called with interrupts off, after checking what it waits for (see
 * sti_hlt). */
static void halt_until_interrupt(void)
{
    uint64_t t0 = tsc_hz() ? rdtsc() : 0;
    sti_hlt();
    if (tsc_hz())
        halted_cycles += rdtsc() - t0;
}

/* Waits at least ms milliseconds, halted between ticks: the waits for the
 * motor and the head are long, and polling a timer through them would be
 * CPU time for nothing. Counts whole ticks, plus one for the tick already
 * under way. Without a running tick (none, stopped, or interrupts off) it
 * polls the PIT instead. */
static void idle_ms(uint32_t ms)
{
    uint64_t per_tick = tick_millihz();
    if (!ticking || !(read_eflags() & EFLAGS_IF)) {
        pit_sleep_ms(ms);
        return;
    }
    /* Ticks in the wait: tick_millihz() x milliseconds / this. */
    const uint64_t millihz_ms = (uint64_t)MILLIHZ_PER_HZ * MS_PER_S;
    uint64_t until = tick_count() + (ms * per_tick + millihz_ms - 1)
                                        / millihz_ms + 1;
    for (;;) {
        cli();
        if (tick_count() >= until) {
            sti();
            return;
        }
        halt_until_interrupt();
    }
}

/* Sleeps until IRQ 6 has come (the flag is cleared before each command
 * that ends with one). Without a running tick to wake it, it spins on the
 * flag instead, for as long (interrupts stay on, so the handler can set
 * it meanwhile). */
enum fd_status fdc_wait_irq(const char *after)
{
    if (!(read_eflags() & EFLAGS_IF))
        return fdc_fail(FD_ERR_FAILED, "interrupts are off: IRQ 6 after %s "
                        "could never arrive", after);
    if (!ticking) {
        struct timeout t = timeout_start_us(FD_IRQ_TIMEOUT_MS * US_PER_MS);
        do {
            if (irq_arrived)
                return FD_OK;
        } while (!timeout_expired(&t));
        return fdc_fail(FD_ERR_FAILED, "no IRQ 6 within %u ms after %s (no "
                        "running timer tick: timed by polling)",
                        FD_IRQ_TIMEOUT_MS, after);
    }
    uint64_t deadline = tick_uptime_ms() + FD_IRQ_TIMEOUT_MS;
    for (;;) {
        cli();
        if (irq_arrived) {
            sti();
            return FD_OK;
        }
        if (tick_uptime_ms() >= deadline) {
            sti();
            return fdc_fail(FD_ERR_FAILED, "no IRQ 6 within %u ms after %s",
                            FD_IRQ_TIMEOUT_MS, after);
        }
        halt_until_interrupt();
    }
}

/* SENSE INTERRUPT STATUS (5.2.4): acknowledges the interrupt of a seek,
 * recalibrate or reset and returns ST0 and the present cylinder. With no
 * interrupt pending the chip answers one byte, ST0 = 0x80. */
static enum fd_status sense_interrupt(uint8_t *st0, uint8_t *pcn)
{
    enum fd_status st = fdc_send(CMD_SENSE_INTERRUPT);
    if (st == FD_OK)
        st = fdc_receive(st0);
    if (st != FD_OK)
        return st;
    if ((*st0 & ST0_IC_MASK) == ST0_IC_INVALID)
        return fdc_fail(FD_ERR_FAILED, "SENSE INTERRUPT found no interrupt "
                        "pending (ST0 0x%02x)", *st0);
    return fdc_receive(pcn);
}

enum fd_status fdc_specify(enum fd_mode mode)
{
    const uint8_t cmd[] = {
        CMD_SPECIFY,
        (SPECIFY_SRT_BASE_MS - SPECIFY_STEP_MS) << SPECIFY_SRT_SHIFT
            | SPECIFY_HUT,
        SPECIFY_HLT << SPECIFY_HLT_SHIFT
            | (mode == FD_MODE_PIO ? SPECIFY_ND : 0),
    };
    return send_all(cmd, sizeof cmd);
}

/* Reset through the DOR (2.2): the chip comes out of reset with its
 * drive polling on, sees all four drives change to "ready" and raises
 * IRQ 6; one SENSE INTERRUPT per drive clears that (7.4). The data rate
 * and SPECIFY values are lost and set again. */
enum fd_status fdc_reset(void)
{
    uint8_t st0 = 0, pcn = 0;

    fdc_expect_irq();
    fdc_out(FDC_DOR, 0);
    pit_sleep_ms(FD_RESET_HOLD_MS);
    fdc_out(FDC_DOR, DOR_NOT_RESET | DOR_DMA_GATE | FD_DRIVE);
    motor_on = calibrated = false;
    cylinder = -1;
    enum fd_status st = fdc_wait_irq("a reset");
    /* Even when IRQ 6 went missing (masked at the interrupt controller),
     * the chip keeps the reset's interrupt pending until it has had one
     * SENSE INTERRUPT per drive: they are sent anyway, so that the next
     * command finds the controller as a clean reset leaves it. */
    for (unsigned d = 0; d < FD_DRIVES; d++) {
        enum fd_status sensed = sense_interrupt(&st0, &pcn);
        if (st != FD_OK)
            continue;
        st = sensed;
        if (st == FD_OK && ((st0 & ST0_IC_MASK) != ST0_IC_POLLING
                            || (st0 & ST0_DRIVE_MASK) != d))
            st = fdc_fail(FD_ERR_FAILED, "after reset, SENSE INTERRUPT %u "
                          "gave ST0 0x%02x (expected 0x%02x)", d, st0,
                          ST0_IC_POLLING | d);
    }
    if (st != FD_OK)
        return st;
    fdc_out(FDC_CCR, CCR_RATE_500K);
    return fdc_specify(FD_MODE_DMA);
}

/* Waits for the seek or recalibrate just started and checks where the
 * head arrived. */
static enum fd_status finish_seek(const char *what, uint8_t want,
                                  uint8_t *st0)
{
    uint8_t pcn = 0;
    enum fd_status st = fdc_wait_irq(what);
    if (st == FD_OK)
        st = sense_interrupt(st0, &pcn);
    if (st != FD_OK)
        return st;
    if ((*st0 & ST0_IC_MASK) != ST0_IC_NORMAL || !(*st0 & ST0_SEEK_END)
        || pcn != want)
        return fdc_fail(FD_ERR_FAILED, "%s ended with ST0 0x%02x at cylinder "
                        "%u (wanted %u)", what, *st0, pcn, want);
    cylinder = want;
    return FD_OK;
}

/* RECALIBRATE (5.2.2) steps the head out until the drive reports track 0.
 * The chip gives up after 79 steps and sets EC; a head further in needs
 * a second try. */
static enum fd_status recalibrate(void)
{
    enum fd_status st = FD_ERR_FAILED;
    uint8_t st0 = 0;
    for (int i = 0; i < FD_RECALIBRATE_TRIES; i++) {
        const uint8_t cmd[] = { CMD_RECALIBRATE, FD_DRIVE };
        fdc_expect_irq();
        st = send_all(cmd, sizeof cmd);
        if (st == FD_OK)
            st = finish_seek("RECALIBRATE", 0, &st0);
        if (st == FD_OK || !(st0 & ST0_EQUIPMENT_CHECK))
            return st;
    }
    return st;
}

/* SEEK (5.2.3) to a cylinder, then let the head settle. */
enum fd_status fdc_seek(uint8_t cyl)
{
    uint8_t st0 = 0;
    if (cylinder == cyl)
        return FD_OK;
    const uint8_t cmd[] = { CMD_SEEK, FD_DRIVE, cyl };
    fdc_expect_irq();
    enum fd_status st = send_all(cmd, sizeof cmd);
    if (st == FD_OK)
        st = finish_seek("SEEK", cyl, &st0);
    if (st == FD_OK)
        idle_ms(FD_HEAD_SETTLE_MS);
    return st;
}

/* Motor on and spin-up, then the head to a known place. The drive's
 * disk-change line goes active when a disk leaves and stays so until the
 * head steps with a disk in: still active after a seek, there is none.
 * Only after a seek that worked: a recalibrate or seek that failed (a
 * lost IRQ 6, a controller left in another command's phase) stepped
 * nothing, and the line says nothing about the disk. */
enum fd_status fdc_prepare_drive(void)
{
    if (!motor_on) {
        fdc_out(FDC_DOR, DOR_NOT_RESET | DOR_DMA_GATE | DOR_MOTOR(FD_DRIVE)
                         | FD_DRIVE);
        idle_ms(FD_MOTOR_SPINUP_MS);
        motor_on = true;
    }
    if (calibrated)
        return FD_OK;
    enum fd_status st = recalibrate();
    if (st == FD_OK)
        st = fdc_seek(FD_PROBE_CYLINDER);
    if (st != FD_OK)
        return st;
    if (fdc_in(FDC_DIR) & DIR_DISK_CHANGE)
        return fdc_fail(FD_ERR_NO_DISK, "no disk in floppy drive %u (the "
                        "disk-change line stays active after a seek)",
                        FD_DRIVE);
    calibrated = true;
    return FD_OK;
}

static const char *st1_reason(uint8_t st1)
{
    if (st1 & ST1_MISSING_ADDRESS_MARK)
        return "missing address mark (unformatted, or wrong data rate)";
    if (st1 & ST1_NO_DATA)
        return "sector not found";
    if (st1 & ST1_DATA_ERROR)
        return "CRC error";
    if (st1 & ST1_OVERRUN)
        return "overrun: a byte was not taken in time";
    if (st1 & ST1_END_OF_CYLINDER)
        return "read past the end of the track";
    return "see the status bytes";
}

/* READ DATA (5.1.1) of n sectors along one track, head already there: the
 * nine bytes of the command phase. */
enum fd_status fdc_read_data(struct fd_chs at, uint32_t n)
{
    const uint8_t cmd[] = {
        CMD_MFM | CMD_READ_DATA,
        (uint8_t)(at.head << CMD_HEAD_SHIFT | FD_DRIVE),
        at.cylinder, at.head, at.sector, SECTOR_SIZE_CODE,
        (uint8_t)(at.sector + n - 1),   /* EOT: the last sector wanted */
        GAP3_READ_1440K, DTL_UNUSED,
    };
    return send_all(cmd, sizeof cmd);
}

enum fd_status fdc_read_result(uint8_t res[READ_RESULT_BYTES])
{
    enum fd_status st = FD_OK;
    for (unsigned i = 0; st == FD_OK && i < READ_RESULT_BYTES; i++)
        st = fdc_receive(&res[i]);
    return st;
}

enum fd_status fdc_check_read(struct fd_chs at, enum fd_mode mode,
                              const uint8_t res[READ_RESULT_BYTES],
                              uint32_t moved, uint32_t len)
{
    /* Ending at EOT is normal with DMA: the 8237's terminal count stops
     * the chip. In PIO mode nothing gives TC, so a real 82077AA ends the
     * command "abnormally" with EN (end of cylinder) set after reading
     * the last sector, every byte delivered; that is success too. */
    uint8_t ic = res[0] & ST0_IC_MASK;
    bool ok = ic == ST0_IC_NORMAL
              || (ic == ST0_IC_ABNORMAL && res[1] == ST1_END_OF_CYLINDER
                  && res[2] == 0 && mode == FD_MODE_PIO && moved == len);
    if (!ok)
        return fdc_fail(FD_ERR_FAILED, "READ DATA at C%u H%u S%u: %s (ST0 "
                        "0x%02x ST1 0x%02x ST2 0x%02x)", at.cylinder,
                        at.head, at.sector, st1_reason(res[1]), res[0],
                        res[1], res[2]);
    if (moved != len)
        return fdc_fail(FD_ERR_FAILED, "READ DATA at C%u H%u S%u moved %u of "
                        "%u bytes", at.cylinder, at.head, at.sector, moved,
                        len);
    return FD_OK;
}
