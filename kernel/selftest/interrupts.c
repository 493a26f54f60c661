/*
 * Self-tests of the interrupt controllers and the timers: the 8259's
 * mask register (claim C8), the tick arriving at its vector and at its
 * rate, the Local APIC timer's rate (C1), every interrupt acknowledged.
 */
#include "kernel/selftest/checks.h"

#include "drivers/lapic.h"
#include "drivers/pic8259.h"
#include "drivers/pit8254.h"
#include "kernel/irq.h"
#include "kernel/lib/cmdline.h"
#include "kernel/lib/units.h"
#include "kernel/tick.h"
#include "kernel/tsc.h"

/* A line no device of iospace uses, for masking experiments. */
#define SPARE_IRQ_LINE 5
/* How long the timing tests watch, and how far off they may be: TCG runs
 * the guest in bursts, so the tick rate is right on average only. A busy
 * host can also take the CPU away from QEMU for a good part of a window
 * (ticks are then lost, not delayed): a window out of bounds is watched
 * again, up to TIMING_ATTEMPTS times. A wrong divisor or a wrong
 * calibration is out of bounds every time. */
#define TIMING_WINDOW_MS 200u
#define TIMING_TOLERANCE_PERCENT 25u
#define TIMING_ATTEMPTS 3
#define LAPIC_RATE_PIT_CLOCKS (PIT_INPUT_HZ / 500)  /* 2 ms */
/* Windows for the LAPIC rate: a reload in one also makes it look again. */
#define LAPIC_RATE_ATTEMPTS 5

bool test_pic_imr(void)
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
bool test_timer_vector(void)
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

bool test_tick_rate(void)
{
    uint64_t hz = tsc_hz();
    if (!pit_counting())
        return skip(NO_PIT);
    if (!hz)
        return skip("no TSC on this CPU");
    for (int attempt = 1;; attempt++) {
        uint64_t t0 = rdtsc(), ticks0 = tick_count();
        pit_sleep_ms(TIMING_WINDOW_MS);
        uint64_t elapsed_ms = (rdtsc() - t0) * MS_PER_S / hz;
        uint64_t ticks = tick_count() - ticks0;
        /* Expected ticks in the time the TSC saw pass. */
        uint64_t want = elapsed_ms * tick_millihz() / MS_PER_S / MS_PER_S;
        uint64_t slack = want * TIMING_TOLERANCE_PERCENT / 100 + 1;
        if (ticks + slack >= want && ticks <= want + slack)
            return true;
        if (attempt == TIMING_ATTEMPTS)
            return fail("%llu ticks in %llu ms by the TSC, expected %llu "
                        "(the last of %d windows)",
                        (unsigned long long)ticks,
                        (unsigned long long)elapsed_ms,
                        (unsigned long long)want, TIMING_ATTEMPTS);
    }
}

/* The LAPIC timer counts down at the rate calibrated at boot: watched
 * again over 2 ms of PIT clocks, within one period (a reload would make
 * the count jump up: then look again), up to TIMING_ATTEMPTS windows in
 * bounds or out. */
bool test_lapic_timer_rate(void)
{
    if (irq_active() != IRQ_BY_APIC)
        return skip("the 8259 delivers (irq=pic or no APIC)");
    if (!lapic_timer_hz())
        return skip("the Local APIC timer was not calibrated");
    int measured = 0;
    for (int attempt = 0; attempt < LAPIC_RATE_ATTEMPTS; attempt++) {
        uint32_t start = lapic_timer_current();
        uint64_t clocks = pit_wait_clocks(LAPIC_RATE_PIT_CLOCKS);
        uint32_t end = lapic_timer_current();
        if (end > start)
            continue;
        uint64_t want = (uint64_t)lapic_timer_hz() * clocks / PIT_INPUT_HZ;
        uint64_t got = start - end;
        uint64_t slack = want * TIMING_TOLERANCE_PERCENT / 100;
        if (got + slack >= want && got <= want + slack)
            return true;
        if (++measured == TIMING_ATTEMPTS)
            return fail("%llu counts in %llu PIT clocks, expected %llu "
                        "(the last of %d windows)",
                        (unsigned long long)got, (unsigned long long)clocks,
                        (unsigned long long)want, TIMING_ATTEMPTS);
    }
    return measured ? fail("%d of %d windows out of bounds, the others "
                           "reloaded", measured, LAPIC_RATE_ATTEMPTS)
                    : fail("the count reloaded in every window");
}

/* After every interrupt handled so far, nothing is left in service (each
 * got its EOI) and no spurious interrupt was seen on QEMU's clean lines. */
bool test_pic_clean(void)
{
    uint16_t isr = pic_read_isr();
    uint32_t sp = pic_spurious_count(PIC_MASTER_SPURIOUS_LINE)
                  + pic_spurious_count(PIC_SLAVE_SPURIOUS_LINE);
    if (isr)
        return fail("ISR %04x: a line was never acknowledged", isr);
    return sp == 0 ? true : fail("%u spurious interrupts", sp);
}
