/*
 * Timing over io/port.h and io/mmio.h: how long a device
 * access takes (claim C12), for `bench`. An access is a function that
 * makes one `in`, `out` or `mov` (or one fixed group of them); this
 * file calls it many times between two readings of a clock and hands
 * back the raw samples. kernel/lib/stats.h turns them into a minimum and a
 * median.
 *
 * The clock is the time-stamp counter (Pentium and later), in CPU
 * cycles; without one (a 486), PIT channel 0, whose count goes down by
 * one every 838 ns. A sample times a batch of calls, as many as make the
 * clock advance far enough that one step of it is a small error: a few
 * thousand cycles, or a few hundred PIT counts. (One access a sample
 * would do on a real CPU. Under QEMU's TCG the guest reads the host's
 * TSC, and a host that is itself a virtual machine may move it in steps:
 * 26 cycles, 10 ns, on the one these figures were first made on, longer
 * than a RAM access and a quarter of an emulated device access.)
 *
 * Every sample runs with interrupts off, so that a timer tick or a
 * serial byte cannot land inside it, and is kept short (microseconds
 * with the TSC; under half the tick period with the PIT) so that
 * no interrupt is lost meanwhile. The I/O trace is paused while
 * measuring: its record of each access would be timed with it.
 */
#ifndef KERNEL_MONITOR_MEASURE_H
#define KERNEL_MONITOR_MEASURE_H

#include <stdbool.h>
#include <stdint.h>

/* An access to time. */
typedef void (*measure_access)(void);

enum measure_clock {
    MEASURE_TSC,        /* CPU cycles */
    MEASURE_PIT,        /* PIT input clocks, PIT_INPUT_HZ a second */
    MEASURE_NONE,       /* no TSC, and PIT channel 0 does not count */
};

enum measure_clock measure_clock(void);

/* The time-stamp counter, serialised: CPUID, then RDTSC. Why both, and
 * at both ends of a sample:
 *
 * RDTSC is not a serialising instruction: a CPU that executes out of
 * order may read the counter before earlier instructions have finished,
 * or start later ones before it has read it (Intel SDM vol. 2B, RDTSC;
 * vol. 3A, "Serializing Instructions"). Intel's white paper "How to
 * Benchmark Code Execution Times on Intel IA-32 and IA-64 Instruction Set
 * Architectures" (G. Paoloni, 2010) therefore puts CPUID, which waits for
 * every earlier instruction to complete, before the first RDTSC, so that
 * nothing before the window runs inside it. At the end it recommends
 * RDTSCP (which waits for the code under test) followed by CPUID; RDTSCP
 * came with the Core i7 and the Athlon 64, and the Pentium and QEMU's
 * default qemu32 lack it. So the end is CPUID then RDTSC too: CPUID waits
 * for the last access to complete before the counter is read. CPUID's own
 * cost, which the white paper warns varies, is in every sample, the empty
 * batch's too, and comes off with it. */
static inline uint64_t measure_tsc_stamp(void)
{
    uint32_t lo, hi;
    __asm__ volatile("cpuid\n\trdtsc"
                     : "=a"(lo), "=d"(hi)
                     : "a"(0)
                     : "ebx", "ecx", "memory");
    return (uint64_t)hi << 32 | lo;
}

/* The largest batch measure_batch_size picks. */
#define MEASURE_MAX_BATCH 65536u

/* The number of calls of a (a power of two) whose batch takes the clock
 * at least a few thousand cycles or a few hundred PIT counts; at most
 * MEASURE_MAX_BATCH. 0 with MEASURE_NONE. */
uint32_t measure_batch_size(measure_access a);

/* Fills ticks[0..n) with the clock ticks (cycles, or PIT input clocks)
 * that batch calls of a take, each batch with interrupts off, and
 * empty[0..n) with those of the same batch of calls of a function that
 * does nothing: the cost of the loop, the calls and the clock readings,
 * to be subtracted. The two alternate, so that whatever changes the
 * machine's speed meanwhile (under QEMU, the host) touches both alike.
 * The first call of each is not timed: it fetches the code and data into
 * the caches (under QEMU: translates the code). False with MEASURE_NONE. */
bool measure_batches(measure_access a, uint32_t batch, uint64_t *ticks,
                     uint64_t *empty, unsigned n);

#endif
