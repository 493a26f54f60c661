#include "kernel/tick.h"

#include "kernel/x86.h"

#define MILLIHZ_MS_PER_S 1000000u   /* ms per s, times mHz per Hz */

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

uint64_t tick_count(void)
{
    /* A 64-bit load is two 32-bit loads: keep a tick from landing between
     * them. */
    uint32_t flags = read_eflags();
    cli();
    uint64_t t = ticks;
    write_eflags(flags);
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
