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
 * A real drive is slow: the motor needs a few hundred ms to spin up, a
 * seek moves the head in milliseconds per cylinder, and a sector passes
 * under the head once per revolution (200 ms at 300 rpm). QEMU answers at
 * once; the driver still waits as a real drive needs, and every wait has
 * a bound that turns into an error, never a hang.
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
#include "drivers/pit8254.h"
#include "drivers/rtc.h"
#include "io/port.h"
#include "io/trace.h"
#include "kernel/lib/fmt.h"
#include "kernel/irq.h"
#include "kernel/lib/klib.h"
#include "kernel/tick.h"
#include "kernel/tsc.h"
#include "kernel/x86.h"

#include <stdarg.h>

/* Registers (2.1), from the primary controller's base. Offsets 4 and 7
 * are two registers each: one read, one written. */
#define FDC_BASE 0x3F0
#define FDC_DOR (FDC_BASE + 2)  /* digital output: reset, DMA gate, motors */
#define FDC_MSR (FDC_BASE + 4)  /* main status (read) */
#define FDC_DSR (FDC_BASE + 4)  /* data rate select (write; AT uses CCR) */
#define FDC_FIFO (FDC_BASE + 5) /* commands, parameters, data, results */
#define FDC_DIR (FDC_BASE + 7)  /* digital input (read): disk change */
#define FDC_CCR (FDC_BASE + 7)  /* configuration control (write): rate */

/* DOR bits. In PC-AT mode DMA GATE also enables the INT and DRQ pins:
 * with it clear the chip can raise neither IRQ 6 nor a DMA request, so it
 * stays set in PIO mode too. */
#define DOR_DRIVE_SELECT_MASK 0x03
#define DOR_NOT_RESET 0x04          /* 0 holds the chip in reset */
#define DOR_DMA_GATE 0x08
#define DOR_MOTOR(drive) (0x10u << (drive))

/* MSR bits. */
#define MSR_DRIVE_BUSY_MASK 0x0F    /* a drive is seeking */
#define MSR_COMMAND_BUSY 0x10       /* CB: a command is in progress */
#define MSR_NON_DMA 0x20            /* execution phase of a PIO transfer */
#define MSR_DIO 0x40                /* 1: controller to CPU */
#define MSR_RQM 0x80                /* the FIFO is ready for a byte */

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
#define CMD_VERSION 0x10
#define CMD_MFM 0x40
#define CMD_HEAD_SHIFT 2            /* HDS in bit 2 of the drive byte */

/* VERSION's answer: 0x90 for the 82077AA and later, while an 8272A/765A
 * takes 0x10 for an invalid command and answers ST0 = 0x80. */
#define VERSION_82077AA 0x90

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
#define READ_RESULT_BYTES 7         /* ST0 ST1 ST2 C H R N */

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

#define FD_DRIVE 0
#define FD_DRIVES 4                 /* one SENSE INTERRUPT each after reset */
#define FD_PROBE_CYLINDER 1         /* a step away from 0, for the disk check */
#define FD_RECALIBRATE_TRIES 2      /* the chip steps at most 79 times */
#define NO_BUS_BYTE 0xFF            /* what a port nobody decodes reads */

/* Waits. A poll of the MSR is an ISA bus cycle of about 1 us, so the poll
 * limit is at least a second: far longer than the 200 ms revolution in
 * which any sector passes the head. An IRQ may take a full-stroke seek
 * (80 x 8 ms) plus head load; the bound leaves room for two. */
#define FD_POLL_LIMIT 1000000
#define FD_IRQ_TIMEOUT_MS 2000u
#define FD_RESET_HOLD_MS 1          /* far more than the chip needs */
#define FD_MOTOR_SPINUP_MS 300      /* a 3.5-inch drive's spin-up */
#define FD_HEAD_SETTLE_MS 15        /* after a seek, before reading */
/* Ticks in a wait: tick_millihz() x milliseconds / this (1000 mHz per
 * Hz, 1000 ms per s). */
#define MILLIHZ_MS_PER_TICK 1000000u

static bool present, motor_on, calibrated;
static int cylinder = -1;           /* where the head is; -1 unknown */
static uint8_t cmos_type, version;
static char description[120];
static char other_drive[120];       /* a drive 0 this driver does not read */
static char problem[160];

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
static struct fd_totals totals;

static void fdc_out(uint16_t port, uint8_t v)
{
    outs++;
    outb(port, v);
}

static uint8_t fdc_in(uint16_t port)
{
    ins++;
    return inb(port);
}

static void floppy_irq(void)
{
    irqs++;
    irq_arrived = true;
}

static enum fd_status fail(enum fd_status st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static enum fd_status fail(enum fd_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(problem, sizeof problem, fmt, ap);
    va_end(ap);
    return st;
}

/* Polls the MSR until (msr & mask) == want; false after FD_POLL_LIMIT. */
static bool wait_msr(uint8_t mask, uint8_t want, uint8_t *msr)
{
    for (int i = 0; i < FD_POLL_LIMIT; i++) {
        *msr = fdc_in(FDC_MSR);
        if ((*msr & mask) == want)
            return true;
    }
    return false;
}

/* A command or parameter byte: RQM set and DIO clear (CPU to FIFO). */
static enum fd_status send(uint8_t byte)
{
    uint8_t msr;
    if (!wait_msr(MSR_RQM | MSR_DIO, MSR_RQM, &msr))
        return fail(FD_ERR_FAILED, "the controller never took a command "
                    "byte (MSR 0x%02x)", msr);
    fdc_out(FDC_FIFO, byte);
    return FD_OK;
}

/* A result byte: RQM and DIO set (FIFO to CPU). */
static enum fd_status receive(uint8_t *byte)
{
    uint8_t msr;
    if (!wait_msr(MSR_RQM | MSR_DIO, MSR_RQM | MSR_DIO, &msr))
        return fail(FD_ERR_FAILED, "the controller never offered a result "
                    "byte (MSR 0x%02x)", msr);
    *byte = fdc_in(FDC_FIFO);
    return FD_OK;
}

static enum fd_status send_all(const uint8_t *bytes, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        enum fd_status st = send(bytes[i]);
        if (st != FD_OK)
            return st;
    }
    return FD_OK;
}

/* Halts until the next interrupt. The CPU is free meanwhile (another
 * task could run), so these cycles are not counted as the driver's.
 * Called with interrupts off, after checking what it waits for: STI
 * takes effect after the next instruction, so no interrupt can slip in
 * between the check and the HLT and leave the CPU asleep. */
static void halt_until_interrupt(void)
{
    uint64_t t0 = tsc_hz() ? rdtsc() : 0;
    __asm__ volatile("sti; hlt" ::: "memory");
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
    uint64_t until = tick_count()
                     + (ms * per_tick + MILLIHZ_MS_PER_TICK - 1)
                           / MILLIHZ_MS_PER_TICK + 1;
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
 * that ends with one). Without a running tick to time the wait by, it
 * polls instead, as the MSR waits do: FD_POLL_LIMIT rounds of an ISA `in`
 * (interrupts stay on, so the handler can set the flag meanwhile). */
static enum fd_status wait_irq(const char *after)
{
    if (!(read_eflags() & EFLAGS_IF))
        return fail(FD_ERR_FAILED, "interrupts are off: IRQ 6 after %s "
                    "could never arrive", after);
    if (!ticking) {
        for (int i = 0; i < FD_POLL_LIMIT; i++) {
            if (irq_arrived)
                return FD_OK;
            fdc_in(FDC_MSR);
        }
        return fail(FD_ERR_FAILED, "no IRQ 6 within %u polls after %s (no "
                    "running timer tick to time the wait)", FD_POLL_LIMIT,
                    after);
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
            return fail(FD_ERR_FAILED, "no IRQ 6 within %u ms after %s",
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
    enum fd_status st = send(CMD_SENSE_INTERRUPT);
    if (st == FD_OK)
        st = receive(st0);
    if (st != FD_OK)
        return st;
    if ((*st0 & ST0_IC_MASK) == ST0_IC_INVALID)
        return fail(FD_ERR_FAILED, "SENSE INTERRUPT found no interrupt "
                    "pending (ST0 0x%02x)", *st0);
    return receive(pcn);
}

static enum fd_status specify(enum fd_mode mode)
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
static enum fd_status reset(void)
{
    uint8_t st0 = 0, pcn = 0;

    irq_arrived = false;
    fdc_out(FDC_DOR, 0);
    pit_sleep_ms(FD_RESET_HOLD_MS);
    fdc_out(FDC_DOR, DOR_NOT_RESET | DOR_DMA_GATE | FD_DRIVE);
    motor_on = calibrated = false;
    cylinder = -1;
    enum fd_status st = wait_irq("a reset");
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
            st = fail(FD_ERR_FAILED, "after reset, SENSE INTERRUPT %u gave "
                      "ST0 0x%02x (expected 0x%02x)", d, st0,
                      ST0_IC_POLLING | d);
    }
    if (st != FD_OK)
        return st;
    fdc_out(FDC_CCR, CCR_RATE_500K);
    return specify(FD_MODE_DMA);
}

/* Waits for the seek or recalibrate just started and checks where the
 * head arrived. */
static enum fd_status finish_seek(const char *what, uint8_t want,
                                  uint8_t *st0)
{
    uint8_t pcn = 0;
    enum fd_status st = wait_irq(what);
    if (st == FD_OK)
        st = sense_interrupt(st0, &pcn);
    if (st != FD_OK)
        return st;
    if ((*st0 & ST0_IC_MASK) != ST0_IC_NORMAL || !(*st0 & ST0_SEEK_END)
        || pcn != want)
        return fail(FD_ERR_FAILED, "%s ended with ST0 0x%02x at cylinder "
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
        irq_arrived = false;
        st = send_all(cmd, sizeof cmd);
        if (st == FD_OK)
            st = finish_seek("RECALIBRATE", 0, &st0);
        if (st == FD_OK || !(st0 & ST0_EQUIPMENT_CHECK))
            return st;
    }
    return st;
}

/* SEEK (5.2.3) to a cylinder, then let the head settle. */
static enum fd_status seek(uint8_t cyl)
{
    uint8_t st0 = 0;
    if (cylinder == cyl)
        return FD_OK;
    const uint8_t cmd[] = { CMD_SEEK, FD_DRIVE, cyl };
    irq_arrived = false;
    enum fd_status st = send_all(cmd, sizeof cmd);
    if (st == FD_OK)
        st = finish_seek("SEEK", cyl, &st0);
    if (st == FD_OK)
        idle_ms(FD_HEAD_SETTLE_MS);
    return st;
}

/* Motor on and spin-up, then the head to a known place. The drive's
 * disk-change line goes active when a disk leaves and stays so until the
 * head steps with a disk in: still active after a seek, there is none. */
static enum fd_status prepare_drive(void)
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
        st = seek(FD_PROBE_CYLINDER);
    if (fdc_in(FDC_DIR) & DIR_DISK_CHANGE)
        return fail(FD_ERR_NO_DISK, "no disk in floppy drive %u (the "
                    "disk-change line stays active after a seek)", FD_DRIVE);
    calibrated = st == FD_OK;
    return st;
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

/* Moves the bytes of the execution phase with the CPU: MSR, then FIFO,
 * for every byte (4.2.1). NON-DMA drops when the controller moves on to
 * the result phase; fewer bytes than asked is then an error the status
 * bytes explain. */
static enum fd_status pio_transfer(uint8_t *buf, uint32_t len,
                                   uint32_t *moved)
{
    uint8_t msr;
    for (*moved = 0; *moved < len; (*moved)++) {
        if (!wait_msr(MSR_RQM, MSR_RQM, &msr))
            return fail(FD_ERR_FAILED, "PIO: no data byte %u of %u (MSR "
                        "0x%02x)", *moved, len, msr);
        if (!(msr & MSR_NON_DMA))
            break;
        buf[*moved] = fdc_in(FDC_FIFO);
    }
    return FD_OK;
}

/* READ DATA (5.1.1) of n sectors along one track, head already there. */
static enum fd_status read_track(struct fd_chs at, uint32_t n,
                                 enum fd_mode mode, uint8_t *buf)
{
    uint32_t len = n * FD_SECTOR_SIZE, moved = len;
    uint8_t res[READ_RESULT_BYTES] = { 0 };
    const uint8_t cmd[] = {
        CMD_MFM | CMD_READ_DATA,
        (uint8_t)(at.head << CMD_HEAD_SHIFT | FD_DRIVE),
        at.cylinder, at.head, at.sector, SECTOR_SIZE_CODE,
        (uint8_t)(at.sector + n - 1),   /* EOT: the last sector wanted */
        GAP3_READ_1440K, DTL_UNUSED,
    };
    enum fd_status st;

    if (mode == FD_MODE_DMA) {
        /* Single mode, write to memory, address counting up: one byte per
         * DRQ, so the CPU gets the bus back between bytes. */
        enum dma_status ds = dma_start(FD_DMA_CHANNEL, buf, len,
                                       DMA_MODE_SINGLE | DMA_MODE_WRITE);
        if (ds != DMA_OK)
            return fail(FD_ERR_FAILED, "DMA buffer: %s", dma_status_text(ds));
    }
    irq_arrived = false;
    st = send_all(cmd, sizeof cmd);
    if (st == FD_OK)
        st = mode == FD_MODE_DMA ? wait_irq("READ DATA")
                                 : pio_transfer(buf, len, &moved);
    for (unsigned i = 0; st == FD_OK && i < READ_RESULT_BYTES; i++)
        st = receive(&res[i]);
    if (mode == FD_MODE_DMA) {
        dma_mask(FD_DMA_CHANNEL);
        uint16_t residue = dma_read_count(FD_DMA_CHANNEL);
        if (st == FD_OK && residue != DMA_COUNT_DONE)
            moved = len - (residue + 1u);   /* the count was N-1 */
    }
    if (st != FD_OK)
        return st;

    /* Ending at EOT is normal with DMA: the 8237's terminal count stops
     * the chip. In PIO mode nothing gives TC, so a real 82077AA ends the
     * command "abnormally" with EN (end of cylinder) set after reading
     * the last sector, every byte delivered; that is success too. */
    uint8_t ic = res[0] & ST0_IC_MASK;
    bool ok = ic == ST0_IC_NORMAL
              || (ic == ST0_IC_ABNORMAL && res[1] == ST1_END_OF_CYLINDER
                  && res[2] == 0 && mode == FD_MODE_PIO && moved == len);
    if (!ok)
        return fail(FD_ERR_FAILED, "READ DATA at C%u H%u S%u: %s (ST0 0x%02x "
                    "ST1 0x%02x ST2 0x%02x)", at.cylinder, at.head,
                    at.sector, st1_reason(res[1]), res[0], res[1], res[2]);
    if (moved != len)
        return fail(FD_ERR_FAILED, "READ DATA at C%u H%u S%u moved %u of %u "
                    "bytes", at.cylinder, at.head, at.sector, moved, len);
    return FD_OK;
}

/* The read itself, on a drive known to be there. */
static enum fd_status read_sectors(uint32_t lba, uint32_t count,
                                   enum fd_mode mode, uint8_t *out)
{
    enum fd_status st = prepare_drive();
    if (st == FD_OK)
        st = specify(mode);
    while (st == FD_OK && count) {
        uint32_t n = fd_sectors_on_track(lba, count);
        struct fd_chs at = fd_lba_to_chs(lba);
        st = seek(at.cylinder);
        if (st == FD_OK)
            st = read_track(at, n, mode, out);
        out += n * FD_SECTOR_SIZE;
        lba += n;
        count -= n;
    }
    return st;
}

/* After a failure the controller may be stuck in any phase: a reset
 * brings it back to the command phase for the next read (and forgets
 * where the head is). The failure's own message is kept. */
static void recover(void)
{
    char saved[sizeof problem];
    memcpy(saved, problem, sizeof saved);
    reset();
    memcpy(problem, saved, sizeof problem);
}

enum fd_status floppy_read(uint32_t lba, uint32_t count, enum fd_mode mode,
                           void *buf, struct fd_stats *stats)
{
    /* Looked at before the clock starts: it may watch for a tick period. */
    ticking = tick_running();
    struct dma_io_counts dma0 = dma_io_counts();
    uint32_t irqs0 = irqs;
    uint64_t t0 = tsc_hz() ? rdtsc() : 0;
    enum fd_range_status range = fd_check_range(lba, count);
    enum fd_status st;

    ins = outs = 0;
    halted_cycles = 0;
    if (!present) {
        st = fail(FD_ERR_NO_DRIVE, "%s", other_drive[0] ? other_drive
                                                        : "no floppy drive");
    } else if (range != FD_RANGE_OK) {
        st = fail(FD_ERR_FAILED, "%s", fd_range_text(range));
    } else {
        st = read_sectors(lba, count, mode, buf);
        if (st == FD_OK && mode == FD_MODE_DMA)
            totals.sectors_dma += count;
        else if (st == FD_OK)
            totals.sectors_pio += count;
        else if (st == FD_ERR_FAILED)
            recover();
    }

    struct dma_io_counts dma1 = dma_io_counts();
    stats->cycles = tsc_hz() ? rdtsc() - t0 - halted_cycles : 0;
    stats->ins = ins + (dma1.ins - dma0.ins);
    stats->outs = outs + (dma1.outs - dma0.outs);
    stats->irqs = irqs - irqs0;
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
    ticking = tick_running();
    enum fd_status st = reset();
    if (st == FD_OK)
        st = send(CMD_VERSION);
    if (st == FD_OK)
        st = receive(&v);
    if (st != FD_OK) {
        fmt_snprintf(description, sizeof description, "the controller "
                     "at 0x%03x did not answer: %s", FDC_BASE, problem);
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

const char *floppy_problem(void)
{
    return problem;
}

const char *floppy_mode_name(enum fd_mode mode)
{
    return mode == FD_MODE_DMA ? "dma" : "pio";
}
