/* The CPU's time-stamp counter, calibrated against the PIT. */
#ifndef KERNEL_TSC_H
#define KERNEL_TSC_H

#include <stdbool.h>
#include <stdint.h>

/* Measures the TSC's frequency with PIT channel 2. False when the CPU has
 * no TSC, or the PIT does not count (then tsc_hz() stays 0). */
bool tsc_calibrate(void);

/* Why tsc_calibrate returned false ("none on this CPU", or what the PIT
 * did wrong); NULL after it succeeded. */
const char *tsc_problem(void);
uint64_t tsc_hz(void);

static inline uint64_t rdtsc(void)
{
    uint64_t v;
    __asm__ volatile("rdtsc" : "=A"(v));
    return v;
}

#endif
