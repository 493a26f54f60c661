/*
 * The time-stamp counter (Pentium and later) counts CPU clock cycles, but
 * nothing tells the kernel how many make a second: it is measured against
 * a clock of known frequency, the PIT's 1.193182 MHz. Channel 2 counts a
 * fixed number of PIT clocks while the TSC runs; the ratio gives the rate.
 */
#include "kernel/tsc.h"

#include "drivers/pit8254.h"
#include "kernel/cpu.h"

/* 50 ms worth of PIT clocks (59659): long enough that the error of one
 * poll of port 0x61 is small, short enough for a quick boot. */
#define CALIBRATE_MS 50u
#define CALIBRATE_PIT_COUNT (PIT_INPUT_HZ * CALIBRATE_MS / 1000u)
/* A bound on the polls: far more than 50 ms of them even on a fast CPU. */
#define CALIBRATE_MAX_POLLS 50000000u

static uint64_t hz;

bool tsc_calibrate(void)
{
    if (!(cpu.features_edx & CPUID_1_EDX_TSC))
        return false;

    pit_oneshot_start(CALIBRATE_PIT_COUNT);
    uint64_t start = rdtsc();
    uint32_t polls = 0;
    while (!pit_oneshot_done() && ++polls < CALIBRATE_MAX_POLLS)
        ;
    uint64_t cycles = rdtsc() - start;
    pit_oneshot_stop();
    if (polls >= CALIBRATE_MAX_POLLS)
        return false;
    hz = cycles * PIT_INPUT_HZ / CALIBRATE_PIT_COUNT;
    return true;
}

uint64_t tsc_hz(void)
{
    return hz;
}
