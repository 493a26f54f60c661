/* Host tests of kernel/lib/stats.c: the sorting, minimum and median of
 * `bench`'s samples, the overhead subtraction, ratios, nanoseconds from
 * clock ticks and the 8254's count-down arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/lib/stats.h"

#define PIT_HZ 1193182u

static void test_sort(void **state)
{
    (void)state;
    uint64_t v[] = { 5, 3, 9, 1, 3, UINT64_MAX, 0 };
    const uint64_t want[] = { 0, 1, 3, 3, 5, 9, UINT64_MAX };
    stats_sort(v, 7);
    assert_memory_equal(v, want, sizeof want);
    stats_sort(v, 0);           /* nothing to do, nothing touched */
    assert_memory_equal(v, want, sizeof want);
}

/* Against qsort on pseudo-random data with many repeats. */
static int compare(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void test_sort_agrees_with_qsort(void **state)
{
    (void)state;
    uint64_t v[256], w[256];
    uint32_t seed = 12345;
    for (unsigned i = 0; i < 256; i++) {
        seed = seed * 1103515245u + 12345u;
        v[i] = w[i] = (seed >> 16) % 50;
    }
    stats_sort(v, 256);
    qsort(w, 256, sizeof w[0], compare);
    assert_memory_equal(v, w, sizeof v);
}

static void test_summary_odd_and_even(void **state)
{
    (void)state;
    uint64_t odd[] = { 7, 1, 4 };
    struct stats_summary s = stats_summarize(odd, 3);
    assert_int_equal(s.min, 1);
    assert_int_equal(s.median, 4);

    /* Even: the mean of the two middle values, rounded down. */
    uint64_t even[] = { 10, 2, 5, 8 };
    s = stats_summarize(even, 4);
    assert_int_equal(s.min, 2);
    assert_int_equal(s.median, 6);      /* (5 + 8) / 2 = 6.5 */

    uint64_t one[] = { 42 };
    s = stats_summarize(one, 1);
    assert_int_equal(s.min, 42);
    assert_int_equal(s.median, 42);

    s = stats_summarize(one, 0);
    assert_int_equal(s.min, 0);
    assert_int_equal(s.median, 0);
}

/* One disturbed sample moves the median by at most one place. */
static void test_median_ignores_an_outlier(void **state)
{
    (void)state;
    uint64_t v[9] = { 100, 101, 100, 99, 100, 1000000, 100, 101, 99 };
    struct stats_summary s = stats_summarize(v, 9);
    assert_int_equal(s.min, 99);
    assert_int_equal(s.median, 100);
}

/* The two middle values near the top of the range: no overflow. */
static void test_median_of_huge_values(void **state)
{
    (void)state;
    uint64_t v[] = { UINT64_MAX, UINT64_MAX - 1 };
    struct stats_summary s = stats_summarize(v, 2);
    assert_true(s.median == UINT64_MAX - 1);
    uint64_t w[] = { UINT64_MAX, UINT64_MAX };
    s = stats_summarize(w, 2);
    assert_true(s.median == UINT64_MAX);
}

static void test_spread(void **state)
{
    (void)state;
    /* Quartiles of eight: v[2] and v[6]; one wild sample moves nothing. */
    uint64_t v[8] = { 10, 11, 12, 13, 14, 15, 16, 9000 };
    assert_int_equal(stats_spread(v, 8), 4);
    uint64_t same[4] = { 7, 7, 7, 7 };
    assert_int_equal(stats_spread(same, 4), 0);
    uint64_t one[1] = { 5 };
    assert_int_equal(stats_spread(one, 1), 0);
    assert_int_equal(stats_spread(one, 0), 0);
}

static void test_subtract(void **state)
{
    (void)state;
    struct stats_summary s = { 120, 150 };
    struct stats_summary r = stats_subtract(s, 100);
    assert_int_equal(r.min, 20);
    assert_int_equal(r.median, 50);
    /* Below the overhead: 0, never a wrapped-around huge number. */
    r = stats_subtract(s, 130);
    assert_int_equal(r.min, 0);
    assert_int_equal(r.median, 20);
    r = stats_subtract(s, 1000);
    assert_int_equal(r.min, 0);
    assert_int_equal(r.median, 0);
    r = stats_subtract(s, 0);
    assert_int_equal(r.min, 120);
    assert_int_equal(r.median, 150);
}

/* Whatever the samples and the overhead, min <= median survives. */
static void test_subtract_keeps_the_order(void **state)
{
    (void)state;
    for (uint64_t min = 0; min < 20; min++)
        for (uint64_t median = min; median < 25; median++)
            for (uint64_t overhead = 0; overhead < 30; overhead++) {
                struct stats_summary s = { min, median };
                struct stats_summary r = stats_subtract(s, overhead);
                assert_true(r.min <= r.median);
            }
}

static void test_ratio(void **state)
{
    (void)state;
    uint64_t t = 0;
    assert_true(stats_ratio_tenths(5, 5, &t));
    assert_int_equal(t, 10);            /* 1.0 */
    assert_true(stats_ratio_tenths(3, 2, &t));
    assert_int_equal(t, 15);
    assert_true(stats_ratio_tenths(1, 3, &t));
    assert_int_equal(t, 3);             /* 0.333 -> 0.3 */
    assert_true(stats_ratio_tenths(2, 3, &t));
    assert_int_equal(t, 7);             /* 0.667 -> 0.7 */
    assert_true(stats_ratio_tenths(1, 20, &t));
    assert_int_equal(t, 1);             /* 0.05 rounds half up */
    assert_true(stats_ratio_tenths(0, 7, &t));
    assert_int_equal(t, 0);
    assert_true(stats_ratio_tenths(123456, 4, &t));
    assert_int_equal(t, 308640);
    t = 99;
    assert_false(stats_ratio_tenths(5, 0, &t));
    assert_int_equal(t, 99);
}

static void test_tenths_ns(void **state)
{
    (void)state;
    /* One PIT clock is 838.1 ns. */
    assert_int_equal(stats_tenths_ns_each(1, PIT_HZ, 1), 8381);
    /* 1193182 clocks are one second: 10^9 ns over 1000 items. */
    assert_int_equal(stats_tenths_ns_each(PIT_HZ, PIT_HZ, 1000), 10000000);
    /* 512 clocks over 4096 accesses: 104.76 ns -> 104.8. */
    assert_int_equal(stats_tenths_ns_each(512, PIT_HZ, 4096), 1048);
    /* A 1 GHz clock counts nanoseconds. */
    assert_int_equal(stats_tenths_ns_each(37, 1000000000u, 1), 370);
    assert_int_equal(stats_tenths_ns_each(0, PIT_HZ, 8), 0);
    assert_int_equal(stats_tenths_ns_each(5, 0, 8), 0);
    assert_int_equal(stats_tenths_ns_each(5, PIT_HZ, 0), 0);
}

static void test_countdown(void **state)
{
    (void)state;
    /* No reload in between. */
    assert_int_equal(stats_countdown_elapsed(1000, 400, 11932), 600);
    assert_int_equal(stats_countdown_elapsed(400, 400, 11932), 0);
    /* Reloaded once: from 100 down to 1, then 11932 down to 11900. */
    assert_int_equal(stats_countdown_elapsed(100, 11900, 11932), 132);
    /* The count runs period..1: 1 to period is one clock. */
    assert_int_equal(stats_countdown_elapsed(1, 11932, 11932), 1);
}

static void test_format(void **state)
{
    (void)state;
    char buf[16];
    assert_int_equal(stats_format_tenths(buf, sizeof buf, 10), 3);
    assert_string_equal(buf, "1.0");
    stats_format_tenths(buf, sizeof buf, 7);
    assert_string_equal(buf, "0.7");
    stats_format_tenths(buf, sizeof buf, 308640);
    assert_string_equal(buf, "30864.0");
    /* Too small a buffer: cut, terminated, the full length returned. */
    assert_int_equal(stats_format_tenths(buf, 4, 12345), 6);
    assert_string_equal(buf, "123");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort),
        cmocka_unit_test(test_sort_agrees_with_qsort),
        cmocka_unit_test(test_summary_odd_and_even),
        cmocka_unit_test(test_median_ignores_an_outlier),
        cmocka_unit_test(test_median_of_huge_values),
        cmocka_unit_test(test_spread),
        cmocka_unit_test(test_subtract),
        cmocka_unit_test(test_subtract_keeps_the_order),
        cmocka_unit_test(test_ratio),
        cmocka_unit_test(test_tenths_ns),
        cmocka_unit_test(test_countdown),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
