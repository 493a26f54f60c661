/*
 * The time-stamp counter (Pentium and later) counts CPU clock cycles, but
 * nothing tells the kernel how many make a second: it is measured against
 * a clock of known frequency, the PIT's 1.193182 MHz. Channel 2 counts a
 * fixed number of PIT clocks while the TSC runs; the ratio gives the rate.
 */
#include "kernel/tsc.h"

#include "drivers/pit8254.h"
#include "kernel/cpu.h"
#include "kernel/lib/units.h"

/* Windows of 20 ms worth of PIT clocks (23863): long enough that the
 * error of one poll of port 0x61 is small, short enough for a quick boot.
 * The lowest rate of three is kept: a host that takes the CPU away from
 * QEMU as the count ends lets more TSC cycles go by before the poll sees
 * it, so a window can only look too fast, never too slow. */
#define CALIBRATE_MS 20u
#define CALIBRATE_PIT_COUNT (PIT_INPUT_HZ * CALIBRATE_MS / MS_PER_S)
#define CALIBRATE_WINDOWS 3
/* The bound on the wait, in TSC cycles: 20 ms at 50 GHz, beyond any CPU's
 * clock, so a working PIT always finishes first. (Counting polls instead
 * would make the bound depend on how fast port 0x61 answers.) */
#define CALIBRATE_MAX_CYCLES 1000000000ull

static uint64_t hz;
static const char *problem = "not calibrated yet";

/* One window: the TSC cycles while channel 2 counts CALIBRATE_PIT_COUNT,
 * or 0 and `problem` set. */
static uint64_t calibrate_window(void)
{
    pit_oneshot_start(CALIBRATE_PIT_COUNT);
    uint64_t start = rdtsc();
    /* In mode 0 the output goes low with the control word and rises at
     * the end of the count: high already means no PIT drives it. */
    bool started = !pit_oneshot_done(), done = false;
    while (started && !done && rdtsc() - start < CALIBRATE_MAX_CYCLES)
        done = pit_oneshot_done();
    uint64_t cycles = rdtsc() - start;
    pit_oneshot_stop();
    if (!started) {
        problem = "PIT channel 2's output (port 0x61 bit 5) is high before "
                  "it counted";
        return 0;
    }
    if (!done) {
        problem = "PIT channel 2 never finished counting (port 0x61 bit 5)";
        return 0;
    }
    return cycles;
}

bool tsc_calibrate(void)
{
    if (!(cpu.features_edx & CPUID_1_EDX_TSC)) {
        problem = "none on this CPU";
        return false;
    }
    uint64_t fewest = 0;
    for (int w = 0; w < CALIBRATE_WINDOWS; w++) {
        uint64_t cycles = calibrate_window();
        if (!cycles)
            return false;
        if (!fewest || cycles < fewest)
            fewest = cycles;
    }
    hz = fewest * PIT_INPUT_HZ / CALIBRATE_PIT_COUNT;
    problem = 0;
    return true;
}

const char *tsc_problem(void)
{
    return problem;
}

uint64_t tsc_hz(void)
{
    return hz;
}
