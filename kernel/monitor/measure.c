/*
 * Timing device accesses: the sampling loops behind measure.h, on the
 * monitor's side (only `bench` uses them).
 */
#include "kernel/monitor/measure.h"

#include "drivers/pit8254.h"
#include "io/trace.h"
#include "kernel/cpu.h"
#include "kernel/lib/stats.h"
#include "kernel/x86.h"

/* How long a batch should take at least. With the TSC, 65536 cycles:
 * some tens of microseconds, where a 26-cycle step of the host's TSC is
 * 0.04 % and a RAM access, a cycle or two, is repeated thousands of
 * times (with 8192 a noisy sizing run could leave the RAM rows a batch of
 * 256, and their figures the noisiest of the table).
 * With the PIT, 512 counts (429 us): one count is 0.2 %. */
#define TSC_BATCH_CYCLES 65536u
#define PIT_BATCH_CLOCKS 512u
/* ...but with the PIT at most a quarter of channel 0's period. The batch
 * picked is the first to reach it, so it lasts at most twice that: under
 * half a period. A batch must end before the count reloads twice (the
 * time would then be a period short) and before a second tick comes
 * while interrupts are off (the 8259 keeps only one). */
#define PIT_PERIOD_SHARE 4u

enum measure_clock measure_clock(void)
{
    if (cpu.features_edx & CPUID_1_EDX_TSC)
        return MEASURE_TSC;
    return pit_counting() ? MEASURE_PIT : MEASURE_NONE;
}

/* One batch, in ticks of the clock. */
static uint64_t batch_ticks(enum measure_clock clock,
                            measure_access a, uint32_t batch)
{
    uint64_t before, after;
    /* Hides which function a is: otherwise the compiler, seeing the
     * empty one passed in, could copy this function for it and drop the
     * call, and the empty batch would no longer cost what the loop and
     * the calls cost every other batch. */
    __asm__("" : "+r"(a));
    uint32_t flags = irq_save();
    before = clock == MEASURE_TSC ? measure_tsc_stamp()
                                  : pit_channel0_count();
    for (uint32_t i = 0; i < batch; i++)
        a();
    after = clock == MEASURE_TSC ? measure_tsc_stamp()
                                 : pit_channel0_count();
    irq_restore(flags);
    if (clock == MEASURE_TSC)
        return after - before;
    return stats_countdown_elapsed((uint32_t)before, (uint32_t)after,
                                   pit_divisor());
}

/* Pauses the I/O trace; returns whether it was on. */
static bool trace_pause(void)
{
    bool was_on = io_trace_on;
    io_trace_set(false);
    return was_on;
}

/* A batch timed twice, the shorter time: the first run of new code
 * (the caches, QEMU translating it) should not decide the size. */
static uint64_t shorter_of_two(enum measure_clock clock,
                               measure_access a, uint32_t batch)
{
    uint64_t first = batch_ticks(clock, a, batch);
    uint64_t second = batch_ticks(clock, a, batch);
    return first < second ? first : second;
}

uint32_t measure_batch_size(measure_access a)
{
    enum measure_clock clock = measure_clock();
    uint64_t want = TSC_BATCH_CYCLES;
    if (clock == MEASURE_NONE)
        return 0;
    if (clock == MEASURE_PIT) {
        want = pit_divisor() / PIT_PERIOD_SHARE;
        if (want > PIT_BATCH_CLOCKS)
            want = PIT_BATCH_CLOCKS;
    }
    bool traced = trace_pause();
    uint32_t batch = 1;
    while (batch < MEASURE_MAX_BATCH && shorter_of_two(clock, a, batch) < want)
        batch *= 2;
    io_trace_set(traced);
    return batch;
}

static void nothing(void)
{
}

bool measure_batches(measure_access a, uint32_t batch, uint64_t *ticks,
                     uint64_t *empty, unsigned n)
{
    enum measure_clock clock = measure_clock();
    if (clock == MEASURE_NONE)
        return false;
    bool traced = trace_pause();
    a();
    nothing();
    for (unsigned i = 0; i < n; i++) {
        ticks[i] = batch_ticks(clock, a, batch);
        empty[i] = batch_ticks(clock, nothing, batch);
    }
    io_trace_set(traced);
    return true;
}
