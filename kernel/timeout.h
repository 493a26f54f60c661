/*
 * A bound in time for a poll loop on hardware: start it with the longest
 * the device may take, then ask after each poll whether it has run out.
 * Timed by the TSC, which reads in a cycle and works with interrupts off.
 * A CPU without one (a 486) counts polls instead, each made at least 1 us
 * long by an io_wait() (an ISA bus cycle), so the bound is then at least
 * as long as asked.
 */
#ifndef KERNEL_TIMEOUT_H
#define KERNEL_TIMEOUT_H

#include "io/port.h"
#include "kernel/lib/units.h"
#include "kernel/tsc.h"

#include <stdbool.h>
#include <stdint.h>

struct timeout {
    bool by_tsc;
    uint64_t start;     /* the TSC at the start */
    uint64_t span;      /* TSC cycles, or polls without a TSC */
    uint64_t polls;
};

static inline struct timeout timeout_start_us(uint32_t us)
{
    uint64_t hz = tsc_hz();
    struct timeout t = { hz != 0, 0, us, 0 };
    if (t.by_tsc) {
        t.start = rdtsc();
        t.span = hz * us / US_PER_S;
    }
    return t;
}

static inline bool timeout_expired(struct timeout *t)
{
    if (!t->by_tsc) {
        io_wait();
        return ++t->polls > t->span;
    }
    return rdtsc() - t->start > t->span;
}

#endif
