/*
 * The arithmetic of `bench` (claim C12): samples of a measured access
 * reduced to their minimum and median, the cost of the measurement itself
 * taken off, ratios and nanoseconds in tenths. Pure C, host-tested; the
 * samples come from kernel/monitor/measure.h.
 *
 * Why the minimum and the median, not the mean: a sample can only be made
 * longer by what is not the access (a cache miss in the measuring code, an
 * emulator's housekeeping), never shorter. The minimum is the access with
 * nothing in the way; the median is the typical case, and one disturbed
 * sample in a hundred does not move it, where it would drag a mean.
 */
#ifndef KERNEL_STATS_H
#define KERNEL_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct stats_summary {
    uint64_t min, median;
};

/* Sorts v[0..n) into ascending order (insertion sort: n is a few
 * hundred at most, and the samples often arrive nearly sorted). */
void stats_sort(uint64_t *v, unsigned n);

/* Sorts v[0..n) and returns its minimum and median. The median of an
 * even count is the mean of the two middle values, rounded down, so it
 * is never below the minimum. {0, 0} when n is 0. */
struct stats_summary stats_summarize(uint64_t *v, unsigned n);

/* How far apart the middle half of sorted v[0..n) lies: its upper
 * quartile less its lower (v[3n/4] - v[n/4]), 0 when n is 0. A constant
 * taken off every sample does not change it, so it needs no overhead
 * subtraction. */
uint64_t stats_spread(const uint64_t *sorted, unsigned n);

/* s with overhead taken off both figures, stopping at 0: what is left of
 * a sample once the cost of an empty measurement is subtracted. The same
 * amount comes off both, so min <= median still holds. */
struct stats_summary stats_subtract(struct stats_summary s, uint64_t overhead);

/* num / den in tenths, rounded to the nearest (half up): 3 / 2 is 15.
 * False, *tenths untouched, when den is 0. */
bool stats_ratio_tenths(uint64_t num, uint64_t den, uint64_t *tenths);

/* Tenths of a nanosecond per item: `ticks` of a clock running at hz
 * ticks a second (ticks below 10^9), spent on `items` items, rounded to
 * the nearest. 0 when hz or items is 0. */
uint64_t stats_tenths_ns_each(uint64_t ticks, uint64_t hz, uint64_t items);

/* How far a down-counter that runs from `period` to 1 and then reloads
 * `period` (the 8254 in mode 2) went from `before` to `after`, assuming
 * it reloaded at most once in between. */
uint32_t stats_countdown_elapsed(uint32_t before, uint32_t after,
                                 uint32_t period);

/* Writes tenths as "12.3" into buf (size > 0: always NUL-terminated);
 * returns the length the whole text has, as snprintf does. */
int stats_format_tenths(char *buf, size_t size, uint64_t tenths);

#endif
