/*
 * The self-test (`test` on the kernel command line): checks the hardware
 * iospace drives from the inside and reports in TAP, the Test Anything
 * Protocol: "1..N", then "ok K - name" or "not ok K - name # why" per test.
 * The exit status through isa-debug-exit tells the host the verdict.
 */
#include "kernel/selftest.h"

#include "drivers/debugexit.h"
#include "drivers/dma8237.h"
#include "drivers/floppy.h"
#include "drivers/ioapic.h"
#include "drivers/lapic.h"
#include "drivers/kbd8042.h"
#include "drivers/pic8259.h"
#include "drivers/pit8254.h"
#include "drivers/serial.h"
#include "drivers/rtc.h"
#include "drivers/vga.h"
#include "io/mmio.h"
#include "kernel/lib/cmdline.h"
#include "kernel/console.h"
#include "kernel/faults.h"
#include "kernel/lib/fmt.h"
#include "kernel/idt.h"
#include "kernel/irq.h"
#include "kernel/irq_apic.h"
#include "kernel/lib/klib.h"
#include "kernel/paging.h"
#include "kernel/lib/segdesc.h"
#include "kernel/panic.h"
#include "kernel/tick.h"
#include "kernel/trap.h"
#include "kernel/tsc.h"
#include "kernel/tss.h"
#include "kernel/x86.h"

#include <stdarg.h>

extern const uint32_t isr_stub_table[IDT_VECTORS];
extern char kernel_image_start[];

static const struct boot_state *boot;
static char why[120];
static bool skipped;

/* Sets the reason a test failed; returns false so a test can
 * `return fail(...)`. */
static bool fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static bool fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return false;
}

/* For a test this machine cannot run: reported as "ok ... # SKIP why". */
static bool skip(const char *reason)
{
    skipped = true;
    fmt_snprintf(why, sizeof why, "%s", reason);
    return true;
}

static bool test_multiboot(void)
{
    if (!boot->multiboot_ok)
        return fail("not started by a multiboot loader");
    for (unsigned i = 0; i < boot->info->mmap_count; i++)
        if (boot->info->mmap[i].type == MULTIBOOT_MMAP_AVAILABLE)
            return true;
    return fail("the memory map has no available region");
}

static bool test_gdt(void)
{
    if (read_cs() != GDT_KERNEL_CODE || read_ds() != GDT_KERNEL_DATA
        || read_ss() != GDT_KERNEL_DATA)
        return fail("cs=%04x ds=%04x ss=%04x", read_cs(), read_ds(),
                    read_ss());
    return true;
}

/* A machine without COM1 (QEMU's -serial none) is one iospace supports,
 * on the VGA screen alone: the serial tests are skipped there, saying so. */
#define NO_UART "no UART at COM1 (port 0x3f8): a machine without one"

static bool test_serial(void)
{
    return boot->serial_ok ? true : skip(NO_UART);
}

static bool test_keyboard(void)
{
    /* A port no device decodes reads 0xFF; the 8042 answers with its
     * status, and its IRQ 1 must be open in the controller in use for the
     * keys to arrive (claim C8). */
    if (!kbd_present())
        return fail("%s", kbd_problem());
    uint8_t status = kbd_status();
    if (status & KBD_STAT_IBF)
        return fail("status %02x: the 8042 is still busy", status);
    if (!irq_name(IRQ_KEYBOARD))
        return fail("no handler on IRQ %u", IRQ_KEYBOARD);
    if (irq_active() == IRQ_BY_APIC) {
        uint32_t gsi = irq_apic_config()->isa[IRQ_KEYBOARD].gsi;
        return ioapic_masked(gsi) ? fail("IO APIC input %u masked", gsi)
                                  : true;
    }
    uint16_t imr = pic_read_imr();
    if (imr & (1u << IRQ_KEYBOARD))
        return fail("IRQ %u masked (IMR %04x)", IRQ_KEYBOARD, imr);
    return true;
}

static bool test_vga_mmio(void)
{
    /* Bottom-right cell, written with a mov and read back with a mov. */
    uintptr_t cell = VGA_TEXT_BUFFER + 2 * (VGA_ROWS * VGA_COLS - 1);
    uint16_t saved = mmio_read16(cell);
    uint16_t probe = (uint16_t)('*' | (VGA_YELLOW | VGA_BLUE << 4) << 8);
    mmio_write16(cell, probe);
    uint16_t got = mmio_read16(cell);
    mmio_write16(cell, saved);
    return got == probe ? true : fail("wrote %04x, read %04x", probe, got);
}

static bool test_vga_cursor(void)
{
    const uint16_t probe = VGA_COLS * 12 + 34;
    vga_set_cursor(probe);
    uint16_t got = vga_read_cursor();
    vga_sync_cursor();
    return got == probe ? true : fail("set %u, read %u", probe, got);
}

static bool test_idt(void)
{
    for (unsigned v = 0; v < IDT_VECTORS; v++) {
        const struct idt_gate *g = idt_gate(v);
        if (v == VEC_DF) {
            if (g->selector != GDT_DF_TSS
                || g->type_attr != (IDT_GATE_PRESENT | IDT_GATE_TASK))
                return fail("gate %u is not a task gate to TSS %04x", v,
                            GDT_DF_TSS);
            continue;
        }
        if (idt_gate_handler(g) != isr_stub_table[v]
            || g->selector != GDT_KERNEL_CODE
            || g->type_attr != (IDT_GATE_PRESENT | IDT_GATE_INTERRUPT32))
            return fail("gate %u is wrong", v);
    }
    return true;
}

/* The task register names the kernel's TSS, which ltr marked busy; the
 * double-fault task's TSS is ready to be entered (not busy), with its own
 * stack and the kernel's page directory. */
static bool test_tss(void)
{
    uint16_t tr = read_tr();
    uint64_t kernel = tss_gdt_entry(GDT_KERNEL_TSS);
    uint64_t df = tss_gdt_entry(GDT_DF_TSS);
    const struct tss *t = tss_double_fault();

    if (tr != GDT_KERNEL_TSS)
        return fail("TR %04x", tr);
    if (segdesc_base(kernel) != (uint32_t)(uintptr_t)tss_kernel()
        || segdesc_limit(kernel) != TSS_SIZE - 1
        || (segdesc_access(kernel) & SEGDESC_TYPE_MASK)
               != SEGDESC_TYPE_TSS32_BUSY)
        return fail("kernel TSS descriptor %08x%08x", (uint32_t)(kernel >> 32),
                    (uint32_t)kernel);
    if (segdesc_base(df) != (uint32_t)(uintptr_t)t
        || (segdesc_access(df) & SEGDESC_TYPE_MASK) != SEGDESC_TYPE_TSS32)
        return fail("#DF TSS descriptor %08x%08x", (uint32_t)(df >> 32),
                    (uint32_t)df);
    if (t->cr3 != read_cr3() || t->cs != GDT_KERNEL_CODE
        || t->ss != GDT_KERNEL_DATA || (t->eflags & EFLAGS_IF))
        return fail("#DF TSS: cr3=%08x cs=%04x ss=%04x eflags=%08x", t->cr3,
                    t->cs, t->ss, t->eflags);
    return true;
}

/* Raises one exception under trap_try and checks it was caught. */
static bool expect_fault(const char *name)
{
    const struct fault_kind *k = fault_find(name);
    if (trap_try(fault_raise, (void *)k))
        return fail("no exception");
    struct fault_record r = trap_last_fault();
    if (r.vector != k->vector)
        return fail("vector %u, expected %u", r.vector, k->vector);
    return true;
}

static bool test_breakpoint(void)
{
    uint32_t before = trap_breakpoints();
    if (!trap_try(fault_raise, (void *)fault_find("bp")))
        return fail("int3 did not return");
    return trap_breakpoints() == before + 1 ? true
                                            : fail("breakpoint not counted");
}

static bool test_divide_error(void)
{
    return expect_fault("de");
}

static bool test_invalid_opcode(void)
{
    return expect_fault("ud");
}

static bool test_general_protection(void)
{
    if (!expect_fault("gp"))
        return false;
    uint32_t err = trap_last_fault().error;
    return err == FAULT_GP_SELECTOR ? true
                                    : fail("error code %08x", err);
}

static bool test_page_fault(void)
{
    if (!expect_fault("pf"))
        return false;
    uint32_t cr2 = trap_last_fault().cr2;
    return cr2 == 0 ? true : fail("cr2=%08x", cr2);
}

/* Twice: the first #DF must leave its task ready for the next one. */
static bool test_double_fault(void)
{
    uint32_t guard = paging_stack_guard();
    for (int i = 0; i < 2; i++) {
        if (!expect_fault("df"))
            return false;
        uint32_t cr2 = trap_last_fault().cr2;
        if (cr2 - guard >= PAGE_SIZE)
            return fail("cr2=%08x, not in the stack guard page %08x", cr2,
                        guard);
    }
    if (read_cr0() & CR0_TS)
        return fail("CR0.TS left set by the task switches");
    return read_tr() == GDT_KERNEL_TSS ? true
                                       : fail("TR %04x after", read_tr());
}

static bool test_paging(void)
{
    uint32_t vga = paging_entry(VGA_TEXT_BUFFER);
    uint32_t text = paging_entry((uint32_t)(uintptr_t)kernel_image_start);
    const uint32_t uncached = PTE_CACHE_DISABLE | PTE_WRITE_THROUGH;

    if (!(read_cr0() & CR0_PG))
        return fail("CR0.PG is clear");
    if (paging_entry(0) != 0)
        return fail("page 0 is mapped");
    if (paging_entry(paging_stack_guard()) != 0)
        return fail("the stack guard page %08x is mapped",
                    paging_stack_guard());
    if ((vga & uncached) != uncached)
        return fail("VGA page %08x is cacheable", vga);
    if (!text || (text & uncached))
        return fail("kernel page %08x is missing or uncached", text);
    return true;
}

static bool test_paging_window(void)
{
    /* The same physical cell, once through its identity mapping and once
     * through the temporary window, must read the same. */
    uint16_t direct = mmio_read16(VGA_TEXT_BUFFER);
    uint16_t through = mmio_read16(paging_window_open(VGA_TEXT_BUFFER));
    paging_window_close();
    if (direct != through)
        return fail("direct %04x, window %04x", direct, through);
    return paging_entry(0) == 0 ? true : fail("page 0 left mapped");
}

static bool test_format(void)
{
    char buf[64];
    fmt_snprintf(buf, sizeof buf, "%08x|%-4d|%3s|%c|%u", 0xb800u, -5, "ab",
                 'z', 4000000000u);
    const char *want = "0000b800|-5  | ab|z|4000000000";
    return strcmp(buf, want) == 0 ? true : fail("got '%s'", buf);
}

/* A line no device of iospace uses, for masking experiments. */
#define SPARE_IRQ_LINE 5
/* How long the timing tests watch, and how far off they may be: TCG runs
 * the guest in bursts, so the tick rate is right on average only. */
#define TIMING_WINDOW_MS 200u
#define TIMING_TOLERANCE_PERCENT 25u
#define LOOPBACK_TEST_BYTE 0x5A
#define LOOPBACK_WAIT_MS 100u
#define MS_PER_S 1000u
#define LAPIC_RATE_PIT_CLOCKS (PIT_INPUT_HZ / 500)  /* 2 ms */
#define LAPIC_RATE_ATTEMPTS 5

static bool test_pic_imr(void)
{
    uint16_t before = pic_read_imr();
    pic_unmask(SPARE_IRQ_LINE);
    uint16_t open = pic_read_imr();
    pic_mask(SPARE_IRQ_LINE);
    uint16_t shut = pic_read_imr();
    if ((open >> SPARE_IRQ_LINE) & 1)
        return fail("line %u still masked after unmask (IMR %04x)",
                    SPARE_IRQ_LINE, open);
    if (!((shut >> SPARE_IRQ_LINE) & 1) || shut != before)
        return fail("IMR %04x after mask, %04x before", shut, before);
    return true;
}

/* With the 8259, only vector 0x20 counts as line 0: had the remap failed,
 * the timer would arrive as another vector (at 0x08 it would look like
 * #DF). With the APIC, the Local APIC timer's vector advances the tick. */
/* Without a counting PIT there is no tick, and nothing to time a test by;
 * the kernel said so at boot. */
#define NO_PIT "PIT channel 0 does not count: no tick on this machine"

static bool test_timer_vector(void)
{
    if (!pit_counting())
        return skip(NO_PIT);
    bool pic = irq_active() == IRQ_BY_PIC;
    uint64_t before = pic ? irq_count(IRQ_PIT, IRQ_BY_PIC) : tick_count();
    /* Three periods of the slowest rate allowed. */
    for (uint32_t ms = 0; ms < 3 * MS_PER_S / CMDLINE_HZ_MIN; ms++) {
        if ((pic ? irq_count(IRQ_PIT, IRQ_BY_PIC) : tick_count()) != before)
            return true;
        pit_sleep_ms(1);
    }
    return fail("no tick at vector 0x%02x", pic ? IRQ_VECTOR_BASE + IRQ_PIT
                                                : LAPIC_TIMER_VECTOR);
}

static bool test_tick_rate(void)
{
    uint64_t hz = tsc_hz();
    if (!pit_counting())
        return skip(NO_PIT);
    if (!hz)
        return skip("no TSC on this CPU");
    uint64_t t0 = rdtsc(), ticks0 = tick_count();
    pit_sleep_ms(TIMING_WINDOW_MS);
    uint64_t elapsed_ms = (rdtsc() - t0) * MS_PER_S / hz;
    uint64_t ticks = tick_count() - ticks0;
    /* Expected ticks in the time the TSC saw pass. */
    uint64_t want = elapsed_ms * tick_millihz() / MS_PER_S / MS_PER_S;
    uint64_t slack = want * TIMING_TOLERANCE_PERCENT / 100 + 1;
    if (ticks + slack < want || ticks > want + slack)
        return fail("%llu ticks in %llu ms by the TSC, expected %llu",
                    (unsigned long long)ticks, (unsigned long long)elapsed_ms,
                    (unsigned long long)want);
    return true;
}

/* The LAPIC timer counts down at the rate calibrated at boot: watched
 * again over 2 ms of PIT clocks, within one period (a reload would make
 * the count jump up: then look again). */
static bool test_lapic_timer_rate(void)
{
    if (irq_active() != IRQ_BY_APIC)
        return skip("the 8259 delivers (irq=pic or no APIC)");
    if (!lapic_timer_hz())
        return skip("the Local APIC timer was not calibrated");
    for (int attempt = 0; attempt < LAPIC_RATE_ATTEMPTS; attempt++) {
        uint32_t start = lapic_timer_current();
        uint64_t clocks = pit_wait_clocks(LAPIC_RATE_PIT_CLOCKS);
        uint32_t end = lapic_timer_current();
        if (end > start)
            continue;
        uint64_t want = (uint64_t)lapic_timer_hz() * clocks / PIT_INPUT_HZ;
        uint64_t got = start - end;
        uint64_t slack = want * TIMING_TOLERANCE_PERCENT / 100;
        if (got + slack < want || got > want + slack)
            return fail("%llu counts in %llu PIT clocks, expected %llu",
                        (unsigned long long)got, (unsigned long long)clocks,
                        (unsigned long long)want);
        return true;
    }
    return fail("the count reloaded in every window");
}

/* The UART talks to itself: the byte goes out of the transmitter, into
 * the receiver, raises IRQ 4, and the handler puts it in the ring. (On a
 * real PC loopback also disconnects OUT2, which gates the IRQ line, so
 * this interrupt is seen under QEMU only.) Nothing may be printed while
 * loopback is on: it would come back as input. */
static bool test_serial_rx_irq(void)
{
    if (!serial_present())
        return skip(NO_UART);
    /* One byte stays below the FIFO's trigger level: the UART raises the
     * interrupt only after four character times of quiet, which only the
     * PIT can time here. */
    if (!pit_counting())
        return skip(NO_PIT);
    uint32_t irqs = irq_count(IRQ_COM1, irq_active());
    int got = -1;
    serial_set_loopback(true);
    serial_putc((char)LOOPBACK_TEST_BYTE);
    for (uint32_t ms = 0; ms < LOOPBACK_WAIT_MS && got < 0; ms++) {
        pit_sleep_ms(1);
        got = serial_getc();
    }
    serial_set_loopback(false);
    if (got != LOOPBACK_TEST_BYTE)
        return fail("byte %d came back, expected %d", got,
                    LOOPBACK_TEST_BYTE);
    return irq_count(IRQ_COM1, irq_active()) > irqs
               ? true : fail("the byte came without IRQ 4 (%s)",
                             irq_controller_name(irq_active()));
}

/* After every interrupt handled so far, nothing is left in service (each
 * got its EOI) and no spurious interrupt was seen on QEMU's clean lines. */
static bool test_pic_clean(void)
{
    uint16_t isr = pic_read_isr();
    uint32_t sp = pic_spurious_count(PIC_MASTER_SPURIOUS_LINE)
                  + pic_spurious_count(PIC_SLAVE_SPURIOUS_LINE);
    if (isr)
        return fail("ISR %04x: a line was never acknowledged", isr);
    return sp == 0 ? true : fail("%u spurious interrupts", sp);
}

/* A clock set before 2000 is a dead battery or an unset clock. */
#define RTC_SELFTEST_MIN_YEAR 2000
#define HOURS_PER_HALF_DAY 12

/* One read (no waiting for a tick: that would cost up to a second), then
 * Register B's 12/24-hour bit against the hours byte: in 24-hour mode its
 * PM flag must be clear (checked on the raw byte, before the decoder
 * refuses it), in 12-hour mode it must be set exactly for the afternoon
 * hours the kernel's decoder produced. */
static bool test_rtc(void)
{
    struct rtc_regs raw;
    struct rtc_time now;
    enum rtc_status st = rtc_read(&raw, &now);
    bool pm = raw.hours & RTC_HOURS_PM;
    bool hours_24 = raw.status_b & RTC_B_24_HOUR;

    if (st == RTC_ERR_UPDATE_STUCK || st == RTC_ERR_UNSTABLE)
        return fail("%s", rtc_status_text(st));
    if (hours_24 && pm)
        return fail("24-hour mode, but hours byte %02x has the PM flag",
                    raw.hours);
    if (st != RTC_OK)
        return fail("%s: %02x-%02x-%02x %02x:%02x:%02x, B=%02x",
                    rtc_status_text(st), raw.year, raw.month, raw.day,
                    raw.hours, raw.minutes, raw.seconds, raw.status_b);
    if (now.year < RTC_SELFTEST_MIN_YEAR)
        return fail("year %u", now.year);
    if (!hours_24 && pm != (now.hour >= HOURS_PER_HALF_DAY))
        return fail("12-hour mode: hours byte %02x, decoded hour %u",
                    raw.hours, now.hour);
    return true;
}

/* The 8237 holds what it is told: channel 2 programmed (and left masked,
 * so nothing moves) reads back its address, page and count. */
#define DMA_PROBE_PAGE 0x12
#define DMA_PROBE_ADDRESS 0x3456
#define DMA_PROBE_COUNT 0x01FF

static bool test_dma_registers(void)
{
    uint32_t flags = read_eflags();
    cli();
    dma_mask(FD_DMA_CHANNEL);
    dma_clear_flip_flop(FD_DMA_CHANNEL);
    dma_set_mode(FD_DMA_CHANNEL, DMA_MODE_SINGLE | DMA_MODE_WRITE);
    dma_set_address(FD_DMA_CHANNEL, DMA_PROBE_PAGE, DMA_PROBE_ADDRESS);
    dma_set_count(FD_DMA_CHANNEL, DMA_PROBE_COUNT);
    write_eflags(flags);
    struct dma_channel_view v = dma_channel_view(FD_DMA_CHANNEL);
    if (v.page != DMA_PROBE_PAGE || v.address != DMA_PROBE_ADDRESS
        || v.count != DMA_PROBE_COUNT)
        return fail("read back page %02x address %04x count %04x", v.page,
                    v.address, v.count);
    return v.masked ? true : fail("channel %u left unmasked",
                                  FD_DMA_CHANNEL);
}

/* Buffers for the floppy tests, from the DMA pool (PIO needs none, but
 * the same kind of buffer keeps the comparison fair). */
static uint8_t *fd_dma_buf, *fd_pio_buf;
#define FD_TEST_SECTORS FD_SECTORS_PER_TRACK
#define FD_TEST_BYTES (FD_TEST_SECTORS * FD_SECTOR_SIZE)
#define FILL_DMA 0x00
#define FILL_PIO 0xFF

/* Reads the test track. False when it cannot, with why set: then the
 * caller returns `skipped`, true for a machine with no drive or no disk
 * (reported as a skip), false for a failure. */
static bool read_test_track(enum fd_mode mode, uint8_t *buf,
                            struct fd_stats *stats)
{
    enum fd_status st = floppy_read(0, FD_TEST_SECTORS, mode, buf, stats);
    if (st == FD_ERR_NO_DRIVE || st == FD_ERR_NO_DISK) {
        skip(floppy_problem());
        return false;
    }
    return st == FD_OK ? true : fail("%s: %s", floppy_mode_name(mode),
                                     floppy_problem());
}

static bool floppy_buffers(void)
{
    if (!fd_dma_buf) {
        fd_dma_buf = dma_alloc(FD_TEST_BYTES, FD_DMA_CHANNEL);
        fd_pio_buf = dma_alloc(FD_TEST_BYTES, FD_DMA_CHANNEL);
    }
    return fd_dma_buf && fd_pio_buf ? true
                                    : fail("no DMA-safe buffers left");
}

/* Claim C7: the same track once written to memory by the 8237, once
 * moved byte by byte with `in`; the buffers start different and must end
 * equal. PIO takes an `in` per byte at least, DMA a few dozen port
 * accesses in all. */
static bool test_floppy_dma_vs_pio(void)
{
    struct fd_stats dma, pio;
    if (!floppy_buffers())
        return false;
    memset(fd_dma_buf, FILL_DMA, FD_TEST_BYTES);
    memset(fd_pio_buf, FILL_PIO, FD_TEST_BYTES);
    if (!read_test_track(FD_MODE_DMA, fd_dma_buf, &dma)
        || !read_test_track(FD_MODE_PIO, fd_pio_buf, &pio))
        return skipped;
    if (memcmp(fd_dma_buf, fd_pio_buf, FD_TEST_BYTES) != 0)
        return fail("the DMA and PIO copies differ");
    if (pio.ins < FD_TEST_BYTES)
        return fail("PIO: only %u in for %u bytes", pio.ins, FD_TEST_BYTES);
    if (dma.ins + dma.outs >= FD_SECTOR_SIZE)
        return fail("DMA: %u port accesses", dma.ins + dma.outs);
    return dma.irqs ? true : fail("DMA: no IRQ 6");
}

/* After a DMA read the channel has run out: the current count wrapped to
 * 0xFFFF, the address moved on by the length, the status register shows
 * terminal count (and reading it clears that). */
static bool test_dma_terminal_count(void)
{
    struct fd_stats stats;
    if (!floppy_buffers())
        return false;
    dma_read_status(FD_DMA_CHANNEL);    /* clear any old TC bit */
    if (!read_test_track(FD_MODE_DMA, fd_dma_buf, &stats))
        return skipped;
    struct dma_channel_view v = dma_channel_view(FD_DMA_CHANNEL);
    uint32_t end = dma_decode_address(FD_DMA_CHANNEL, v.page, v.address);
    uint8_t status = dma_read_status(FD_DMA_CHANNEL);
    if (v.count != DMA_COUNT_DONE)
        return fail("residue %04x, expected %04x", v.count, DMA_COUNT_DONE);
    if (end != (uint32_t)(uintptr_t)fd_dma_buf + FD_TEST_BYTES)
        return fail("address %06x, expected %06x", end,
                    (uint32_t)(uintptr_t)fd_dma_buf + FD_TEST_BYTES);
    if (!(status & DMA_STATUS_TC(FD_DMA_CHANNEL)))
        return fail("status %02x: no terminal count", status);
    if (dma_read_status(FD_DMA_CHANNEL) & DMA_STATUS_TC(FD_DMA_CHANNEL))
        return fail("reading the status did not clear TC");
    return v.masked ? true : fail("channel left unmasked");
}

struct selftest {
    const char *name;
    bool (*run)(void);
};

static const struct selftest tests[] = {
    { "multiboot: magic and memory map", test_multiboot },
    { "gdt: flat segments loaded (cs=0x08, ds=ss=0x10)", test_gdt },
    { "serial: 16550 loopback answered (C2)", test_serial },
    { "keyboard: 8042 answers at port 0x64, IRQ 1 unmasked (C2, C8)",
      test_keyboard },
    { "vga: text cell written and read back with mov (C1)", test_vga_mmio },
    { "vga: CRTC cursor written and read back with out/in (C2)",
      test_vga_cursor },
    { "idt: 255 interrupt gates point at the stubs, #DF a task gate",
      test_idt },
    { "exceptions: #BP returns and execution continues", test_breakpoint },
    { "exceptions: #DE caught and recovered", test_divide_error },
    { "exceptions: #UD caught and recovered", test_invalid_opcode },
    { "exceptions: #GP reports the bad selector", test_general_protection },
    { "exceptions: #PF on a null read, cr2=0", test_page_fault },
    { "tss: TR holds the kernel's TSS, the #DF task is ready", test_tss },
    { "exceptions: #DF on a kernel stack overflow, caught by its task",
      test_double_fault },
    { "paging: on, page 0 and the stack guard unmapped, VGA uncached",
      test_paging },
    { "paging: the monitor's window reads physical memory",
      test_paging_window },
    { "kprintf: widths, padding and conversions", test_format },
    { "pic: IMR mask and unmask read back (C8)", test_pic_imr },
    { "tick: the timer interrupt arrives (0x20 via 8259, 0x40 via LAPIC)",
      test_timer_vector },
    { "tick: ticks at hz= against the TSC", test_tick_rate },
    { "lapic: the timer counts at its calibrated rate (C1)",
      test_lapic_timer_rate },
    { "serial: loopback byte arrives by IRQ 4 (8259 or IO APIC)",
      test_serial_rx_irq },
    { "pic: every IRQ acknowledged, no spurious one", test_pic_clean },
    { "rtc: a valid date, read once UIP was clear (C2, C3)", test_rtc },
    { "dma: 8237 channel 2 address, page, count read back (C2)",
      test_dma_registers },
    { "floppy: one track by DMA and by PIO, byte for byte (C7)",
      test_floppy_dma_vs_pio },
    { "dma: residue 0xffff and terminal count after a floppy read (C7)",
      test_dma_terminal_count },
};

void selftest_run(const struct boot_state *b)
{
    unsigned failed = 0;

    boot = b;
    panic_set_exit_on_panic(true);
    kprintf("1..%u\n", (unsigned)ARRAY_SIZE(tests));
    for (unsigned i = 0; i < ARRAY_SIZE(tests); i++) {
        why[0] = '\0';
        skipped = false;
        bool ok = tests[i].run();
        if (ok && skipped) {
            kprintf("ok %u - %s # SKIP %s\n", i + 1, tests[i].name, why);
        } else if (ok) {
            kprintf("ok %u - %s\n", i + 1, tests[i].name);
        } else {
            failed++;
            kprintf("not ok %u - %s # %s\n", i + 1, tests[i].name, why);
        }
    }
    kprintf("# %u of %u tests failed\n", failed, (unsigned)ARRAY_SIZE(tests));
    debugexit_write(failed ? DEBUGEXIT_TESTS_FAILED : DEBUGEXIT_TESTS_PASSED);
    kprintf("# no isa-debug-exit device: halting\n");
    halt_forever();
}
