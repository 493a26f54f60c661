#include "kernel/tick.h"

#include "drivers/pit8254.h"
#include "kernel/irq.h"
#include "kernel/lib/units.h"
#include "kernel/tsc.h"
#include "kernel/x86.h"

#define RUNNING_WATCH_PERIODS 3u
/* Ticks tick_running() must see: two, because a timer a student has put
 * into a one-shot mode (the PIT's mode 0, the LAPIC timer's one-shot)
 * interrupts once more and then never again. Seeing that last one, a
 * driver would halt for ticks that never come. */
#define RUNNING_TICKS_SEEN 2u

static volatile uint64_t ticks;
static uint32_t millihz;
static const char *source = "none";

void tick_set_source(const char *name, uint32_t rate_millihz)
{
    source = name;
    millihz = rate_millihz;
}

void tick_advance(void)
{
    ticks++;
}

void tick_start_pit(void)
{
    tick_set_source("pit", pit_actual_millihz());
    irq_register(IRQ_PIT, "pit", tick_advance);
}

uint64_t tick_count(void)
{
    /* A 64-bit load is two 32-bit loads: keep a tick from landing between
     * them. */
    uint32_t flags = irq_save();
    uint64_t t = ticks;
    irq_restore(flags);
    return t;
}

uint64_t tick_uptime_ms(void)
{
    return millihz ? tick_count() * MILLIHZ_MS_PER_S / millihz : 0;
}

uint32_t tick_millihz(void)
{
    return millihz;
}

const char *tick_source(void)
{
    return source;
}

/* One millisecond, busy: by the TSC, or by PIT channel 0's count without
 * one. The TSC first: channel 0 may be the very timer a student has just
 * reprogrammed, and pit_sleep_ms() counts by the divisor the kernel set. */
static bool wait_one_ms(uint64_t tsc_rate)
{
    if (!tsc_rate)
        return pit_sleep_ms(1);
    uint64_t t0 = rdtsc();
    while ((rdtsc() - t0) * MS_PER_S < tsc_rate)
        ;
    return true;
}

bool tick_running(void)
{
    if (!millihz || !(read_eflags() & EFLAGS_IF))
        return false;
    uint32_t watch_ms = RUNNING_WATCH_PERIODS
                        * (MILLIHZ_MS_PER_S / millihz + 1);
    uint64_t start = tick_count();
    uint64_t tsc_rate = tsc_hz();
    for (uint32_t ms = 0;
         ms < watch_ms && tick_count() - start < RUNNING_TICKS_SEEN; ms++)
        if (!wait_one_ms(tsc_rate))
            break;
    return tick_count() - start >= RUNNING_TICKS_SEEN;
}
