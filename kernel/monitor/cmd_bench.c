/*
 * `bench`: what one access costs, mechanism by mechanism (claim C12; C2,
 * C3 and C7 too): a RAM variable, device registers reached with `mov`
 * (MMIO) and with `in`/`out` (PMIO), a floppy track moved by the DMA
 * controller or by the CPU, and the same number of disk sectors moved by
 * the IDE controller as bus master or by the CPU. kernel/monitor/measure.h takes the samples,
 * kernel/lib/stats.h reduces them; this file says what is timed and prints
 * the table.
 *
 * Every access below is harmless: it reads a register whose reading
 * changes nothing, or writes what is already there or what nothing
 * reads. The device accesses go through io/port.h and io/mmio.h like all
 * others, so each includes the I/O trace's test of its flag (one load and
 * a branch, io/trace.h); the trace itself is paused while measuring.
 */
#include "drivers/ahci.h"
#include "drivers/ata.h"
#include "drivers/dma8237.h"
#include "drivers/floppy.h"
#include "drivers/ioapic.h"
#include "drivers/lapic.h"
#include "drivers/pic8259.h"
#include "drivers/pit8254.h"
#include "drivers/vga.h"
#include "drivers/vga_bar.h"
#include "kernel/monitor/measure.h"
#include "io/mmio.h"
#include "io/port.h"
#include "io/trace.h"
#include "kernel/console.h"
#include "kernel/lib/fmt.h"
#include "kernel/irq.h"
#include "kernel/monitor/monitor.h"
#include "kernel/lib/stats.h"
#include "kernel/lib/units.h"
#include "kernel/tsc.h"

/* Samples a row, each a batch of accesses (kernel/monitor/measure.h):
 * microseconds with the TSC, up to half a millisecond with the PIT. `bench` takes
 * under a second under QEMU either way, most of it the floppy's motor. */
#define SAMPLES 64u
/* Reads of the track each way, after one that starts the motor and
 * moves the head to it (not counted). */
#define FLOPPY_READS 5u
#define FLOPPY_LBA 0u
#define FLOPPY_TRACK_BYTES (FD_SECTORS_PER_TRACK * FD_SECTOR_SIZE)
/* Room for a row's last column. */
#define FMT_WHAT_MAX 40
/* The disk rows read as many sectors as a floppy track holds, each way,
 * into a buffer that no 64 KiB boundary crosses (one PRD entry). */
#define DISK_READS FLOPPY_READS
#define DISK_LBA 0u
#define DISK_SECTORS FD_SECTORS_PER_TRACK
#define DISK_BYTES (DISK_SECTORS * ATA_SECTOR_SIZE)
#define DISK_BUF_ALIGN 0x4000u      /* 16 KiB: holds the 9 KiB whole */
/* The first cell after the 80x25 screen: video memory the CRTC does not
 * show (the display starts at cell 0). */
#define VGA_OFFSCREEN_OFFSET (VGA_COLS * VGA_ROWS * 2u)
/* Columns: row mech insn, then the figures; the lines fit 80 columns. */
#define ROW_COLUMNS "%-11s %-4s %-7s"
#define FIGURE_WIDTH 7          /* tenths: "12345.6" */
#define RATIO_WIDTH 6
#define BATCH_WIDTH 6           /* "x65536" */
#define CYCLES_WIDTH 9          /* a floppy track's cycles */
#define INS_WIDTH 6
#define OUTS_WIDTH 4

/* --- what is timed ----------------------------------------------------- */

static volatile uint32_t ram_word;      /* .bss: an ordinary cached page */
static uintptr_t vga_cell;
static uint16_t vga_cell_value;         /* what vga_cell holds */
static uintptr_t lapic_version_reg, ioapic_regsel, ioapic_win;
static uintptr_t bar_crtc_index, bar_crtc_data, bar_vbe_id;

static void access_ram_read(void)
{
    (void)ram_word;
}

static void access_ram_write(void)
{
    ram_word = 0;
}

static void access_vga_read(void)
{
    (void)mmio_read16(vga_cell);
}

/* Writes back what the cell holds: nothing changes. */
static void access_vga_write(void)
{
    mmio_write16(vga_cell, vga_cell_value);
}

static void access_lapic(void)
{
    (void)mmio_read32(lapic_version_reg);
}

/* Indirect: the register's index to IOREGSEL, then its value from IOWIN.
 * The driver writes IOREGSEL before every access of its own, so leaving
 * it at the version register disturbs nothing. */
static void access_ioapic(void)
{
    mmio_write32(ioapic_regsel, IOAPIC_REG_VERSION);
    (void)mmio_read32(ioapic_win);
}

/* The 8254's status of channel 0, the tick's channel: a Read-Back
 * command latches it, the next `in` from the channel's port returns it.
 * Neither touches the count, so the tick runs on exactly as before. (A
 * read of the count itself takes a latch and two `in`s; a read without
 * the latch would upset the low/high byte order of the kernel's next.) */
static void access_pit_status(void)
{
    outb(PIT_COMMAND,
         PIT_READBACK | PIT_READBACK_NO_COUNT | PIT_READBACK_CNT0);
    (void)inb(PIT_CHANNEL0);
}

/* The master 8259's data port reads back its interrupt mask (OCW1). */
static void access_pic_imr(void)
{
    (void)inb(PIC1_DATA);
}

/* The POST-code port, io_wait's delay (claim C3). */
static void access_post(void)
{
    io_wait();
}

/* The same register of the same device, by its ports and by the
 * standard VGA's BAR2 (drivers/vga_bar.h): the one comparison of a port
 * and a memory access where nothing else differs (claim C12). A CRTC
 * read is the index, then the data, either way; the cursor location's
 * low byte is read, and the index left there is harmless, since every
 * CRTC access of the driver writes its own index first. */
static void access_crtc_port(void)
{
    outb(VGA_CRTC_INDEX, VGA_CRTC_CURSOR_LOW);
    (void)inb(VGA_CRTC_DATA);
}

static void access_crtc_bar(void)
{
    mmio_write8(bar_crtc_index, VGA_CRTC_CURSOR_LOW);
    (void)mmio_read8(bar_crtc_data);
}

/* The VBE ID register: an index and a data access by ports, a single
 * 16-bit mov in the BAR (QEMU's model selects the index itself). */
static void access_vbe_port(void)
{
    outw(VBE_DISPI_INDEX_PORT, VBE_DISPI_INDEX_ID);
    (void)inw(VBE_DISPI_DATA_PORT);
}

static void access_vbe_bar(void)
{
    (void)mmio_read16(bar_vbe_id);
}

/* What a row needs to be measured. */
enum row_needs {
    NEEDS_NOTHING,
    NEEDS_APIC,             /* the APICs deliver interrupts */
    NEEDS_VGA_BAR,          /* QEMU's standard VGA and its BAR2 */
};

struct bench_row {
    const char *name, *mech, *insn, *what;
    measure_access access;
    enum row_needs needs;
};

/* ram-read first: the other rows' ratios are to it. */
static const struct bench_row rows[] = {
    { "ram-read", "RAM", "mov", "cached RAM word", access_ram_read,
      NEEDS_NOTHING },
    { "ram-write", "RAM", "mov", "the same word", access_ram_write,
      NEEDS_NOTHING },
    { "vga-read", "MMIO", "mov", "offscreen VGA cell", access_vga_read,
      NEEDS_NOTHING },
    { "vga-write", "MMIO", "mov", "same value back",
      access_vga_write, NEEDS_NOTHING },
    { "lapic-read", "MMIO", "mov", "Local APIC version", access_lapic,
      NEEDS_APIC },
    { "ioapic-read", "MMIO", "mov+mov", "IOREGSEL+IOWIN",
      access_ioapic, NEEDS_APIC },
    { "pit-read", "PMIO", "out+in", "8254 read-back",
      access_pit_status, NEEDS_NOTHING },
    { "pic-read", "PMIO", "in", "8259 master IMR", access_pic_imr,
      NEEDS_NOTHING },
    { "post-write", "PMIO", "out", "port 0x80, io_wait", access_post,
      NEEDS_NOTHING },
    { "crtc-port", "PMIO", "out+in", "CRTC 0x0f port",
      access_crtc_port, NEEDS_VGA_BAR },
    { "crtc-bar", "MMIO", "mov+mov", "CRTC 0x0f BAR2",
      access_crtc_bar, NEEDS_VGA_BAR },
    { "vbe-port", "PMIO", "out+in", "VBE ID port",
      access_vbe_port, NEEDS_VGA_BAR },
    { "vbe-bar", "MMIO", "mov", "VBE ID BAR2", access_vbe_bar,
      NEEDS_VGA_BAR },
};
#define ROWS (sizeof rows / sizeof rows[0])

/* --- measuring --------------------------------------------------------- */

/* A row's figures per access, in tenths: of a cycle with the TSC, of a
 * ns with the PIT. */
struct bench_result {
    const char *skipped;    /* why not measured, or NULL */
    struct stats_summary s;
    uint64_t spread;        /* the samples' middle half: q3 - q1 */
    uint32_t batch;         /* accesses a sample */
};

static uint64_t samples[SAMPLES], empty_samples[SAMPLES];

/* Where the timed accesses go; false when the APICs are not in use.
 * BAR2 is read again, wherever `bar` may have moved it. */
static bool bench_setup(void)
{
    vga_cell = vga_text_address() + VGA_OFFSCREEN_OFFSET;
    vga_cell_value = mmio_read16(vga_cell);
    if (vga_bar_update()) {
        bar_crtc_index = vga_bar_address() + VGA_BAR_PORT(VGA_CRTC_INDEX);
        bar_crtc_data = vga_bar_address() + VGA_BAR_PORT(VGA_CRTC_DATA);
        bar_vbe_id = vga_bar_address() + VGA_BAR_VBE(VBE_DISPI_INDEX_ID);
    }
    if (irq_active() != IRQ_BY_APIC)
        return false;
    lapic_version_reg = lapic_register_address(LAPIC_VERSION);
    ioapic_regsel = ioapic_register_address(IOAPIC_REGSEL);
    ioapic_win = ioapic_register_address(IOAPIC_WIN);
    return true;
}

/* Ticks of the clock for a whole batch, as tenths per access. */
static uint64_t per_access(enum measure_clock clock, uint64_t ticks,
                           uint32_t batch)
{
    uint64_t tenths = 0;
    if (clock == MEASURE_PIT)
        return stats_tenths_ns_each(ticks, PIT_INPUT_HZ, batch);
    (void)stats_ratio_tenths(ticks, batch, &tenths);
    return tenths;
}

/* The row's batches, and as many of the same size with nothing to do:
 * the minimum of those, the cost of the loop, the calls and the clock
 * readings, comes off every sample of the row. */
static void measure_row(enum measure_clock clock, const struct bench_row *row,
                        struct bench_result *r)
{
    r->batch = measure_batch_size(row->access);
    if (!r->batch || !measure_batches(row->access, r->batch, samples,
                                      empty_samples, SAMPLES)) {
        r->skipped = "the clock stopped";
        return;
    }
    uint64_t overhead = stats_summarize(empty_samples, SAMPLES).min;
    struct stats_summary s =
        stats_subtract(stats_summarize(samples, SAMPLES), overhead);
    r->s.min = per_access(clock, s.min, r->batch);
    r->s.median = per_access(clock, s.median, r->batch);
    r->spread = per_access(clock, stats_spread(samples, SAMPLES), r->batch);
}

static void measure_rows(enum measure_clock clock, bool apics,
                         struct bench_result *results)
{
    for (unsigned i = 0; i < ROWS; i++) {
        results[i].skipped = 0;
        if (rows[i].needs == NEEDS_APIC && !apics)
            results[i].skipped = "the APICs are off (irq=pic, or no APIC)";
        else if (rows[i].needs == NEEDS_VGA_BAR && !vga_bar_address())
            results[i].skipped = vga_bar_problem();
        else
            measure_row(clock, &rows[i], &results[i]);
    }
}

/* --- printing ---------------------------------------------------------- */

static void print_header(enum measure_clock clock)
{
    if (clock == MEASURE_TSC) {
        kprintf("bench: cycles per access, by the TSC");
        if (tsc_hz())
            kprintf(" at %llu kHz\n", (unsigned long long)(tsc_hz() / HZ_PER_KHZ));
        else
            kprintf(" (its rate is unknown: %s)\n", tsc_problem());
    } else {
        kprintf("bench: ns per access, by PIT channel 0 (%u Hz, 838.1 ns a "
                "count):\n  no TSC (%s)\n", PIT_INPUT_HZ, tsc_problem());
    }
    kprintf("  each sample: a batch of xN accesses with interrupts off, "
            "between two\n  %s; %u samples a row; the empty batch's "
            "minimum subtracted\n",
            clock == MEASURE_TSC ? "CPUID+RDTSC" : "latched counts", SAMPLES);
}

/* A figure in tenths, "12.3", right-aligned in width columns. */
static void print_tenths(int width, uint64_t tenths)
{
    char buf[24];
    stats_format_tenths(buf, sizeof buf, tenths);
    kprintf("%*s", width, buf);
}

static void print_rows(const struct bench_result *results)
{
    const struct stats_summary ram = results[0].s;
    kprintf(ROW_COLUMNS " %*s %*s %*s %*s %*s  %s\n", "row", "mech", "insn",
            FIGURE_WIDTH, "min", FIGURE_WIDTH, "median", FIGURE_WIDTH,
            "spread", RATIO_WIDTH, "ratio", BATCH_WIDTH, "batch", "access");
    for (unsigned i = 0; i < ROWS; i++) {
        const struct bench_row *row = &rows[i];
        const struct bench_result *r = &results[i];
        char batch[16];
        uint64_t ratio;
        kprintf(ROW_COLUMNS, row->name, row->mech, row->insn);
        if (r->skipped) {
            kprintf(" skipped: %s\n", r->skipped);
            continue;
        }
        kprintf(" ");
        /* Below the table's resolution, not nothing: an access is never
         * free. */
        if (r->s.min == 0)
            kprintf("%*s", FIGURE_WIDTH, "<0.1");
        else
            print_tenths(FIGURE_WIDTH, r->s.min);
        kprintf(" ");
        print_tenths(FIGURE_WIDTH, r->s.median);
        kprintf(" ");
        print_tenths(FIGURE_WIDTH, r->spread);
        kprintf(" ");
        if (stats_ratio_tenths(r->s.median, ram.median, &ratio))
            print_tenths(RATIO_WIDTH, ratio);
        else    /* the RAM figure was 0: nothing to compare with */
            kprintf("%*s", RATIO_WIDTH, "-");
        fmt_snprintf(batch, sizeof batch, "x%u", r->batch);
        kprintf(" %*s  %s\n", BATCH_WIDTH, batch, row->what);
    }
}

/* --- the floppy track -------------------------------------------------- */

struct read_figures {
    struct stats_summary cycles, ins, outs;
};

static uint8_t *floppy_buf;

static bool floppy_read_track(enum fd_mode mode, struct fd_stats *st)
{
    return floppy_read(FLOPPY_LBA, FD_SECTORS_PER_TRACK, mode, floppy_buf,
                       st) == FD_OK;
}

/* FLOPPY_READS reads of the track in one mode; false when one failed
 * (floppy_problem() says why). */
static bool floppy_measure(enum fd_mode mode, struct read_figures *f)
{
    uint64_t cycles[FLOPPY_READS], ins[FLOPPY_READS], outs[FLOPPY_READS];
    struct fd_stats st;
    for (unsigned i = 0; i < FLOPPY_READS; i++) {
        if (!floppy_read_track(mode, &st))
            return false;
        cycles[i] = st.cycles;
        ins[i] = st.ins;
        outs[i] = st.outs;
    }
    f->cycles = stats_summarize(cycles, FLOPPY_READS);
    f->ins = stats_summarize(ins, FLOPPY_READS);
    f->outs = stats_summarize(outs, FLOPPY_READS);
    return true;
}

static void print_read_row(const char *name, const char *mech,
                           const char *insn, const struct read_figures *f,
                           const char *what)
{
    kprintf(ROW_COLUMNS, name, mech, insn);
    if (f->cycles.median)   /* 0: no TSC, the driver counts no cycles */
        kprintf(" %*llu %*llu", CYCLES_WIDTH,
                (unsigned long long)f->cycles.min, CYCLES_WIDTH,
                (unsigned long long)f->cycles.median);
    else
        kprintf(" %*s %*s", CYCLES_WIDTH, "-", CYCLES_WIDTH, "-");
    kprintf(" %*llu %*llu  %s\n", INS_WIDTH,
            (unsigned long long)f->ins.median, OUTS_WIDTH,
            (unsigned long long)f->outs.median, what);
}

/* PIO against DMA, in tenths: "fd-pio/fd-dma: x659.2 the in
 * instructions". */
static void print_read_ratios(const char *names,
                              const struct read_figures *dma,
                              const struct read_figures *pio)
{
    uint64_t tenths;
    kprintf("%s:", names);
    if (stats_ratio_tenths(pio->ins.median, dma->ins.median, &tenths)) {
        kprintf(" x");
        print_tenths(0, tenths);
        kprintf(" the in instructions");
    }
    if (stats_ratio_tenths(pio->cycles.median, dma->cycles.median, &tenths)) {
        kprintf(", x");
        print_tenths(0, tenths);
        kprintf(" the cycles");
    }
    kprintf("\n");
}

/* One row's medians divided by the sectors a read moved, in tenths:
 * " hd-pio 90778.5 cycles, 257.1 in, 0.4 out". movs: the row's median mov
 * count, shown when the device is reached by memory. */
static void print_sector_share(const char *name, const struct read_figures *f,
                               unsigned sectors, const uint64_t *movs)
{
    uint64_t tenths;
    kprintf(" %s", name);
    if (f->cycles.median && stats_ratio_tenths(f->cycles.median, sectors,
                                               &tenths)) {
        kprintf(" ");
        print_tenths(0, tenths);
        kprintf(" cycles,");
    }
    if (stats_ratio_tenths(f->ins.median, sectors, &tenths)) {
        kprintf(" ");
        print_tenths(0, tenths);
        kprintf(" in,");
    }
    if (stats_ratio_tenths(f->outs.median, sectors, &tenths)) {
        kprintf(" ");
        print_tenths(0, tenths);
        kprintf(" out");
    }
    if (movs && stats_ratio_tenths(*movs, sectors, &tenths)) {
        kprintf(", ");
        print_tenths(0, tenths);
        kprintf(" mov");
    }
}

/* What a sector costs the CPU each way, a line each:
 * "per sector: fd-dma ...", then "            fd-pio ...". */
static void print_per_sector(const char *dma_name,
                             const struct read_figures *dma,
                             const char *pio_name,
                             const struct read_figures *pio,
                             unsigned sectors)
{
    kprintf("per sector:");
    print_sector_share(dma_name, dma, sectors, 0);
    kprintf("\n%*s", (int)sizeof "per sector:" - 1, "");
    print_sector_share(pio_name, pio, sectors, 0);
    kprintf("\n");
}

/* Claim C7: the same 18 sectors, once moved by the 8237 while the CPU
 * halts, once taken byte by byte by the CPU. */
static void bench_floppy(void)
{
    struct fd_stats st;
    struct read_figures dma, pio;

    if (!floppy_buf)
        floppy_buf = dma_alloc(FLOPPY_TRACK_BYTES, FD_DMA_CHANNEL);
    if (!floppy_buf) {
        kprintf("floppy: skipped: no DMA-safe buffer left\n");
        return;
    }
    /* The trace would record, and be timed with, every `in` of the
     * reads: paused, as kernel/monitor/measure.c does for the rows above. */
    bool traced = io_trace_on;
    io_trace_set(false);
    bool ok = floppy_read_track(FD_MODE_DMA, &st)
              && floppy_measure(FD_MODE_DMA, &dma)
              && floppy_measure(FD_MODE_PIO, &pio);
    io_trace_set(traced);
    if (!ok) {
        kprintf("floppy: skipped: %s\n", floppy_problem());
        return;
    }
    kprintf("floppy: one track (LBA %u-%u, %u bytes) read %u times each way, "
            "after one\n  read that starts the motor and seeks; cycles the "
            "CPU spent in the driver\n  (its halted waits left out), the "
            "median of the in and out instructions\n", FLOPPY_LBA,
            FLOPPY_LBA + FD_SECTORS_PER_TRACK - 1, FLOPPY_TRACK_BYTES,
            FLOPPY_READS);
    kprintf(ROW_COLUMNS " %*s %*s %*s %*s  %s\n", "row", "mech", "insn",
            CYCLES_WIDTH, "min", CYCLES_WIDTH, "median", INS_WIDTH, "in",
            OUTS_WIDTH, "out", "read");
    print_read_row("fd-dma", "DMA", "none", &dma, "8237 writes memory");
    print_read_row("fd-pio", "PMIO", "in", &pio, "CPU moves each byte");
    print_read_ratios("fd-pio/fd-dma", &dma, &pio);
    print_per_sector("fd-dma", &dma, "fd-pio", &pio, FD_SECTORS_PER_TRACK);
}

/* --- the disk sectors -------------------------------------------------- */

static uint8_t hd_rows_buf[DISK_BYTES]
    __attribute__((aligned(DISK_BUF_ALIGN)));

/* DISK_READS reads in one mode; false when one failed (ata_problem()
 * says why). */
static bool disk_measure(enum ata_mode mode, struct read_figures *f)
{
    uint64_t cycles[DISK_READS], ins[DISK_READS], outs[DISK_READS];
    struct ata_stats st;
    for (unsigned i = 0; i < DISK_READS; i++) {
        if (ata_read(DISK_LBA, DISK_SECTORS, mode, hd_rows_buf, &st)
            != ATA_OK)
            return false;
        cycles[i] = st.cycles;
        ins[i] = st.ins;
        outs[i] = st.outs;
    }
    f->cycles = stats_summarize(cycles, DISK_READS);
    f->ins = stats_summarize(ins, DISK_READS);
    f->outs = stats_summarize(outs, DISK_READS);
    return true;
}

/* The same sectors through q35's AHCI controller: DMA programmed by mov
 * into its registers, no in or out at all; the mov count stands in the
 * read column. False when a read failed (ahci_problem() says why). */
static bool sata_measure(struct read_figures *f, uint64_t *movs)
{
    uint64_t cycles[DISK_READS], none[DISK_READS], stores[DISK_READS];
    struct ahci_stats st;
    for (unsigned i = 0; i < DISK_READS; i++) {
        if (ahci_read(DISK_LBA, DISK_SECTORS, hd_rows_buf, &st) != AHCI_OK)
            return false;
        cycles[i] = st.cycles;
        none[i] = 0;
        stores[i] = st.movs;
    }
    f->cycles = stats_summarize(cycles, DISK_READS);
    f->ins = stats_summarize(none, DISK_READS);
    f->outs = f->ins;
    *movs = stats_summarize(stores, DISK_READS).median;
    return true;
}

static void bench_sata(void)
{
    struct read_figures dma;
    uint64_t movs;
    char what[FMT_WHAT_MAX];

    bool traced = io_trace_on;
    io_trace_set(false);
    bool ok = sata_measure(&dma, &movs);
    io_trace_set(traced);
    if (!ok) {
        kprintf("disk: skipped: %s\n", ahci_problem());
        return;
    }
    kprintf("disk: %u sectors (LBA %u-%u, %u bytes) read %u times by the "
            "AHCI controller,\n  as above (no PIO path on this machine)\n",
            DISK_SECTORS, DISK_LBA, DISK_LBA + DISK_SECTORS - 1, DISK_BYTES,
            DISK_READS);
    fmt_snprintf(what, sizeof what, "AHCI writes memory, %llu mov",
                 (unsigned long long)movs);
    print_read_row("sata-dma", "DMA", "mov", &dma, what);
    kprintf("per sector:");
    print_sector_share("sata-dma", &dma, DISK_SECTORS, &movs);
    kprintf("\n");
}

/* Claim C7 with a first-party bus master: the same number of sectors as
 * the floppy track, once written to memory by the IDE controller while
 * the CPU halts, once taken word by word by the CPU. */
static void bench_disk(void)
{
    struct read_figures dma, pio;

    bool traced = io_trace_on;
    io_trace_set(false);
    bool ok = disk_measure(ATA_MODE_DMA, &dma)
              && disk_measure(ATA_MODE_PIO, &pio);
    io_trace_set(traced);
    if (!ok && ahci_present()) {
        bench_sata();
        return;
    }
    if (!ok) {
        kprintf("disk: skipped: %s\n", ata_problem());
        return;
    }
    kprintf("disk: %u sectors (LBA %u-%u, %u bytes) read %u times each "
            "way, as above\n", DISK_SECTORS, DISK_LBA,
            DISK_LBA + DISK_SECTORS - 1, DISK_BYTES, DISK_READS);
    print_read_row("hd-dma", "DMA", "none", &dma, "IDE bus master writes");
    print_read_row("hd-pio", "PMIO", "in", &pio, "CPU moves each word");
    print_read_ratios("hd-pio/hd-dma", &dma, &pio);
    print_per_sector("hd-dma", &dma, "hd-pio", &pio, DISK_SECTORS);
}

/* --- the command ------------------------------------------------------- */

/* What the figures mean: where they come from, and what a PC gives. */
static void print_notes(void)
{
    kprintf("note: under QEMU's TCG these figures measure the emulator, not "
            "a PC:\n  an in/out and a mov to a device page are each a call "
            "into QEMU's device\n  model, a mov to RAM a host memory "
            "access\n");
    kprintf("note: on a real PC an ISA port access takes about 1 us, "
            "hundreds of cycles\n  (Linux I/O port programming mini-HOWTO, "
            "\"Delaying with port I/O\"; Linux\n  arch/x86/kernel/"
            "io_delay.c: 2 us at most); a cached RAM access takes a\n"
            "  few cycles\n");
    kprintf("note: crtc-port and crtc-bar, vbe-port and vbe-bar reach one "
            "register of one\n  device by port and by memory: the only "
            "like-for-like pairs here. Under\n  TCG both paths end in the "
            "same function of QEMU's VGA model: their\n  difference is "
            "QEMU's dispatch, not a bus's\n");
}

static void cmd_bench(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    static struct bench_result results[ROWS];
    enum measure_clock clock = measure_clock();
    if (clock == MEASURE_NONE) {
        monitor_error("bench: no TSC (%s) and PIT channel 0 does not count: "
                      "nothing to time an access with", tsc_problem());
        return;
    }
    if (io_trace_on)
        kprintf("bench: the I/O trace is on: paused while measuring\n");
    bool apics = bench_setup();
    /* A first pass, not shown, runs every row once: a CPU fills its
     * caches and TLB with what the rows touch, and QEMU translates the
     * code and settles its own caches (its first pass reads RAM about
     * ten cycles a word slower than the ones after). */
    measure_rows(clock, apics, results);
    measure_rows(clock, apics, results);
    print_header(clock);
    print_rows(results);
    bench_floppy();
    bench_disk();
    print_notes();
}

const struct command bench_commands[] = {
    { "bench", "", "cycles per access: RAM, MMIO, ports; a track by DMA, "
      "PIO; disk sectors by bus master, PIO", 1, 1, cmd_bench },
    { 0, 0, 0, 0, 0, 0 },
};
