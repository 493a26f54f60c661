/*
 * Interrupts and time: the 8259's three registers as bitmaps, per-line
 * counts (claim C8: each line is one bit) beside the message-signalled
 * vectors', the PIT's tick, the real-time clock.
 */
#include "drivers/pic8259.h"
#include "drivers/pit8254.h"
#include "drivers/rtc.h"
#include "kernel/console.h"
#include "kernel/irq.h"
#include "kernel/lib/units.h"
#include "kernel/monitor/monitor.h"
#include "kernel/tick.h"

/* A 16-bit register as a row of bits, line 15 on the left. */
static void print_bits(const char *label, uint16_t v)
{
    kprintf("  %-4s", label);
    for (int line = PIC_LINES - 1; line >= 0; line--)
        kprintf("%c", (v >> line) & 1 ? '1' : '0');
    kprintf("  0x%04x\n", v);
}

static void cmd_pic(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    kprintf("8259 pair: master lines 0-7 -> vectors 0x%02x-0x%02x, slave "
            "8-15 -> 0x%02x-0x%02x, slave on line %u\n",
            pic_vector_base(false),
            pic_vector_base(false) + PIC_LINES_PER_CHIP - 1,
            pic_vector_base(true),
            pic_vector_base(true) + PIC_LINES_PER_CHIP - 1,
            PIC_CASCADE_LINE);
    kprintf("  line  1111110000000000\n");
    kprintf("        5432109876543210\n");
    print_bits("IMR", pic_read_imr());
    print_bits("IRR", pic_read_irr());
    print_bits("ISR", pic_read_isr());
    kprintf("  IMR 1 = masked, IRR 1 = requesting, ISR 1 = in service\n");
    kprintf("spurious: line %u: %u, line %u: %u\n", PIC_MASTER_SPURIOUS_LINE,
            pic_spurious_count(PIC_MASTER_SPURIOUS_LINE),
            PIC_SLAVE_SPURIOUS_LINE,
            pic_spurious_count(PIC_SLAVE_SPURIOUS_LINE));
}

static void cmd_pit(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    uint32_t mhz = pit_actual_millihz();
    if (!pit_counting())
        kprintf("pit: channel 0 does not count (no 8254 at ports "
                "0x40-0x43?)\n");
    kprintf("pit: channel 0, rate generator, divisor %u of %u Hz: "
            "%u.%03u Hz (asked %u); %u interrupts on IRQ 0\n", pit_divisor(),
            PIT_INPUT_HZ, mhz / MILLIHZ_PER_HZ, mhz % MILLIHZ_PER_HZ, pit_requested_hz(),
            irq_count(IRQ_PIT, IRQ_BY_PIC));
}

static void cmd_ticks(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    kprintf("%llu\n", (unsigned long long)tick_count());
}

static void cmd_uptime(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    uint32_t mhz = tick_millihz();
    if (!mhz) {
        kprintf("uptime: unknown: no timer tick on this machine\n");
        return;
    }
    /* The ticks over the rate, rounded to the nearest millisecond (not cut
     * short), from the very count printed beside it. */
    uint64_t ticks = tick_count();
    uint64_t ms = (ticks * MILLIHZ_MS_PER_S + mhz / 2) / mhz;
    kprintf("uptime: %llu.%03u s (%llu ticks of the %s at %u.%03u Hz)\n",
            (unsigned long long)(ms / MS_PER_S), (unsigned)(ms % MS_PER_S),
            (unsigned long long)ticks, tick_source(), mhz / MILLIHZ_PER_HZ,
            mhz % MILLIHZ_PER_HZ);
}

static void cmd_irqs(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    kprintf("line  device   %10s %10s\n", irq_controller_name(IRQ_BY_PIC),
            irq_controller_name(IRQ_BY_APIC));
    for (unsigned line = 0; line < IRQ_LINES; line++) {
        const char *name = irq_name(line);
        kprintf("%4u  %-8s %10u %10u\n", line, name ? name : "-",
                irq_count(line, IRQ_BY_PIC), irq_count(line, IRQ_BY_APIC));
    }
    /* Message-signalled interrupts have a vector and no line: the claimed
     * ones, once a driver has claimed one. */
    bool heading = false;
    for (unsigned slot = 0; slot < IRQ_MSI_VECTORS; slot++) {
        const char *name = irq_msi_name(slot);
        if (!name)
            continue;
        if (!heading)
            kprintf("%4s  %-8s %10s\n", "msi", "device", "Local APIC");
        heading = true;
        kprintf("0x%02x  %-8s %10u\n", IRQ_MSI_VECTOR_BASE + slot, name,
                irq_msi_count(slot));
    }
    kprintf("delivering now: %s; tick: %s, %llu ticks\n",
            irq_controller_name(irq_active()), tick_source(),
            (unsigned long long)tick_count());
}

static void cmd_date(int argc, char **argv)
{
    struct rtc_regs raw;
    struct rtc_time now;
    char text[RTC_TIME_TEXT_SIZE];
    enum rtc_status st = rtc_read(&raw, &now);
    (void)argc;
    (void)argv;

    if (st != RTC_OK) {
        monitor_error("rtc: %s", rtc_status_text(st));
        return;
    }
    rtc_time_format(&now, text, sizeof text);
    kprintf("%s\n", text);
}

const struct command interrupt_commands[] = {
    { "pic", "", "8259 registers IMR, IRR, ISR as bitmaps", 1, 1, cmd_pic },
    { "irqs", "", "interrupts per line, by controller", 1, 1, cmd_irqs },
    { "pit", "", "8254 timer: divisor, rate, ticks", 1, 1, cmd_pit },
    { "ticks", "", "timer ticks since boot", 1, 1, cmd_ticks },
    { "uptime", "", "time since boot", 1, 1, cmd_uptime },
    { "date", "", "read the real-time clock (ports 0x70/0x71)", 1, 1,
      cmd_date },
    { 0, 0, 0, 0, 0, 0 },
};
