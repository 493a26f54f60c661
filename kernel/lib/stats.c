#include "kernel/lib/stats.h"

#include "kernel/lib/fmt.h"

#define TENTHS 10u
#define TENTHS_NS_PER_S 10000000000ull      /* 10^9 ns, in tenths */

void stats_sort(uint64_t *v, unsigned n)
{
    for (unsigned i = 1; i < n; i++) {
        uint64_t x = v[i];
        unsigned j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

struct stats_summary stats_summarize(uint64_t *v, unsigned n)
{
    struct stats_summary s = { 0, 0 };
    if (n == 0)
        return s;
    stats_sort(v, n);
    s.min = v[0];
    if (n % 2)
        s.median = v[n / 2];
    else    /* each half first, so that the sum cannot overflow */
        s.median = v[n / 2 - 1] / 2 + v[n / 2] / 2
                   + (v[n / 2 - 1] % 2 + v[n / 2] % 2) / 2;
    return s;
}

uint64_t stats_spread(const uint64_t *sorted, unsigned n)
{
    if (n == 0)
        return 0;
    return sorted[3 * n / 4] - sorted[n / 4];
}

static uint64_t less(uint64_t value, uint64_t overhead)
{
    return value > overhead ? value - overhead : 0;
}

struct stats_summary stats_subtract(struct stats_summary s, uint64_t overhead)
{
    s.min = less(s.min, overhead);
    s.median = less(s.median, overhead);
    return s;
}

bool stats_ratio_tenths(uint64_t num, uint64_t den, uint64_t *tenths)
{
    if (den == 0)
        return false;
    *tenths = (num * TENTHS + den / 2) / den;
    return true;
}

uint64_t stats_tenths_ns_each(uint64_t ticks, uint64_t hz, uint64_t items)
{
    if (hz == 0 || items == 0)
        return 0;
    uint64_t den = hz * items;
    return (ticks * TENTHS_NS_PER_S + den / 2) / den;
}

uint32_t stats_countdown_elapsed(uint32_t before, uint32_t after,
                                 uint32_t period)
{
    return after <= before ? before - after : before + period - after;
}

int stats_format_tenths(char *buf, size_t size, uint64_t tenths)
{
    return fmt_snprintf(buf, size, "%llu.%llu",
                        (unsigned long long)(tenths / TENTHS),
                        (unsigned long long)(tenths % TENTHS));
}
