/*
 * kernel/lib/rtc_time.c: decoding the MC146818's time registers in each of its
 * formats, the century, validation, and formatting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/lib/rtc_time.h"

#define BCD_24 RTC_B_24_HOUR
#define BCD_12 0
#define BIN_24 (RTC_B_DM_BINARY | RTC_B_24_HOUR)
#define BIN_12 RTC_B_DM_BINARY
#define PM RTC_HOURS_PM

/* Registers for 2026-11-24 20:15:03, BCD, 24-hour, no century byte. */
static struct rtc_regs bcd_regs(void)
{
    return (struct rtc_regs){ .seconds = 0x03, .minutes = 0x15,
                              .hours = 0x20, .day = 0x24, .month = 0x11,
                              .year = 0x26, .century = 0,
                              .status_b = BCD_24 };
}

static struct rtc_regs bin_regs(void)
{
    return (struct rtc_regs){ .seconds = 3, .minutes = 15, .hours = 20,
                              .day = 24, .month = 11, .year = 26,
                              .century = 0, .status_b = BIN_24 };
}

static void expect_time(const struct rtc_regs *r, const char *want)
{
    struct rtc_time t;
    char buf[RTC_TIME_TEXT_SIZE];

    assert_true(rtc_time_decode(r, &t));
    rtc_time_format(&t, buf, sizeof buf);
    assert_string_equal(buf, want);
}

static void expect_invalid(const struct rtc_regs *r)
{
    struct rtc_time t = { 1, 2, 3, 4, 5, 6 };

    assert_false(rtc_time_decode(r, &t));
    /* A failed decode leaves the output alone. */
    assert_int_equal(t.year, 1);
    assert_int_equal(t.second, 6);
}

static void test_bcd_24_hour(void **state)
{
    (void)state;
    struct rtc_regs r = bcd_regs();
    struct rtc_time t;

    assert_true(rtc_time_decode(&r, &t));
    assert_int_equal(t.year, 2026);
    assert_int_equal(t.month, 11);
    assert_int_equal(t.day, 24);
    assert_int_equal(t.hour, 20);
    assert_int_equal(t.minute, 15);
    assert_int_equal(t.second, 3);
}

static void test_binary_24_hour(void **state)
{
    (void)state;
    struct rtc_regs r = bin_regs();
    expect_time(&r, "2026-11-24 20:15:03");
    /* 59 seconds is 0x3B in binary: a nibble above 9 is fine here. */
    r.seconds = 0x3B;
    r.minutes = 0x3B;
    r.hours = 0x17;
    expect_time(&r, "2026-11-24 23:59:59");
}

static void test_bcd_limits(void **state)
{
    (void)state;
    struct rtc_regs r = bcd_regs();
    r.seconds = 0x59;
    r.minutes = 0x59;
    r.hours = 0x23;
    r.day = 0x31;
    r.month = 0x12;
    r.year = 0x99;
    expect_time(&r, "1999-12-31 23:59:59");
    r.seconds = r.minutes = r.hours = 0;
    r.day = r.month = 0x01;
    r.year = 0x00;
    expect_time(&r, "2000-01-01 00:00:00");
}

struct hour_case {
    uint8_t status_b;
    uint8_t hours;
    const char *want;
};

static void test_12_hour(void **state)
{
    (void)state;
    static const struct hour_case cases[] = {
        { BCD_12, 0x12, "2026-11-24 00:15:03" },        /* 12 AM */
        { BCD_12, 0x01, "2026-11-24 01:15:03" },
        { BCD_12, 0x11, "2026-11-24 11:15:03" },
        { BCD_12, 0x12 | PM, "2026-11-24 12:15:03" },   /* 12 PM */
        { BCD_12, 0x01 | PM, "2026-11-24 13:15:03" },
        { BCD_12, 0x08 | PM, "2026-11-24 20:15:03" },
        { BCD_12, 0x11 | PM, "2026-11-24 23:15:03" },
        { BIN_12, 12, "2026-11-24 00:15:03" },           /* 12 AM */
        { BIN_12, 1, "2026-11-24 01:15:03" },
        { BIN_12, 11, "2026-11-24 11:15:03" },
        { BIN_12, 12 | PM, "2026-11-24 12:15:03" },      /* 12 PM */
        { BIN_12, 1 | PM, "2026-11-24 13:15:03" },
        { BIN_12, 8 | PM, "2026-11-24 20:15:03" },
        { BIN_12, 11 | PM, "2026-11-24 23:15:03" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rtc_regs r = cases[i].status_b & RTC_B_DM_BINARY
                            ? bin_regs() : bcd_regs();
        r.status_b = cases[i].status_b;
        r.hours = cases[i].hours;
        expect_time(&r, cases[i].want);
    }
}

static void test_12_hour_rejects(void **state)
{
    (void)state;
    static const struct hour_case cases[] = {
        { BCD_12, 0x00, 0 },            /* no hour 0 on a 12-hour clock */
        /* Hour 0 with the PM flag, spelled as the others are. */
        /* cppcheck-suppress badBitmaskCheck */
        { BCD_12, 0x00 | PM, 0 },
        { BCD_12, 0x13, 0 },
        { BCD_12, 0x13 | PM, 0 },
        { BCD_12, 0x0A, 0 },            /* BCD digit above 9 */
        { BIN_12, 0, 0 },
        { BIN_12, 13, 0 },
        { BIN_12, 13 | PM, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct rtc_regs r = cases[i].status_b & RTC_B_DM_BINARY
                            ? bin_regs() : bcd_regs();
        r.status_b = cases[i].status_b;
        r.hours = cases[i].hours;
        expect_invalid(&r);
    }
}

static void test_pm_bit_in_24_hour_mode_is_invalid(void **state)
{
    (void)state;
    struct rtc_regs r = bcd_regs();
    r.hours = 0x08 | PM;
    expect_invalid(&r);
    r = bin_regs();
    r.hours = 8 | PM;
    expect_invalid(&r);
}

static void test_century_register(void **state)
{
    (void)state;
    struct rtc_regs r = bcd_regs();

    r.century = 0x20;
    expect_time(&r, "2026-11-24 20:15:03");
    /* The century byte wins over the two-digit-year window. */
    r.century = 0x19;
    expect_time(&r, "1926-11-24 20:15:03");
    r.century = 0x20;
    r.year = 0x85;
    expect_time(&r, "2085-11-24 20:15:03");

    r = bin_regs();
    r.century = 20;
    r.year = 99;
    expect_time(&r, "2099-11-24 20:15:03");
    r.century = 19;
    r.year = 5;
    expect_time(&r, "1905-11-24 20:15:03");
}

static void test_implausible_century_falls_back_to_the_window(void **state)
{
    (void)state;
    /* Absent (0), invalid BCD, another century, and a BCD 0x20 read in
     * binary mode (32): each is ignored, and the year window decides. */
    static const uint8_t bcd_centuries[] = { 0x00, 0x1A, 0x21, 0x18, 0xFF };
    struct rtc_regs r = bcd_regs();

    for (size_t i = 0; i < sizeof bcd_centuries; i++) {
        r.century = bcd_centuries[i];
        expect_time(&r, "2026-11-24 20:15:03");
    }
    r = bin_regs();
    r.century = 0x20;
    expect_time(&r, "2026-11-24 20:15:03");
    r.century = 0;
    expect_time(&r, "2026-11-24 20:15:03");
}

static void test_year_window_1970_2069(void **state)
{
    (void)state;
    struct rtc_regs r = bcd_regs();

    r.year = 0x69;
    expect_time(&r, "2069-11-24 20:15:03");
    r.year = 0x70;
    expect_time(&r, "1970-11-24 20:15:03");
    r.year = 0x00;
    expect_time(&r, "2000-11-24 20:15:03");
    r.year = 0x99;
    expect_time(&r, "1999-11-24 20:15:03");
    r = bin_regs();
    r.year = 69;
    expect_time(&r, "2069-11-24 20:15:03");
    r.year = 70;
    expect_time(&r, "1970-11-24 20:15:03");
}

static void test_invalid_values_are_rejected(void **state)
{
    (void)state;
    struct rtc_regs r;

#define REJECT(base, field, value) \
    do { r = base(); r.field = (value); expect_invalid(&r); } while (0)
    REJECT(bcd_regs, month, 0x13);
    REJECT(bcd_regs, month, 0x00);
    REJECT(bcd_regs, month, 0x0A);      /* a BCD digit above 9 */
    REJECT(bcd_regs, seconds, 0x60);
    REJECT(bcd_regs, seconds, 0x5A);
    REJECT(bcd_regs, minutes, 0x60);
    REJECT(bcd_regs, minutes, 0xA0);
    REJECT(bcd_regs, hours, 0x24);
    REJECT(bcd_regs, hours, 0x1F);
    REJECT(bcd_regs, day, 0x00);
    REJECT(bcd_regs, day, 0x32);
    REJECT(bcd_regs, day, 0x1B);
    REJECT(bcd_regs, year, 0x9A);
    REJECT(bcd_regs, year, 0xA0);
    REJECT(bcd_regs, seconds, 0xFF);    /* what a missing chip reads */
    REJECT(bin_regs, month, 13);
    REJECT(bin_regs, month, 0);
    REJECT(bin_regs, seconds, 60);
    REJECT(bin_regs, minutes, 60);
    REJECT(bin_regs, hours, 24);
    REJECT(bin_regs, day, 0);
    REJECT(bin_regs, day, 32);
    REJECT(bin_regs, year, 100);
#undef REJECT
}

static void test_days_per_month_and_leap_years(void **state)
{
    (void)state;
    struct rtc_regs r = bcd_regs();

    r.month = 0x04;
    r.day = 0x30;
    expect_time(&r, "2026-04-30 20:15:03");
    r.day = 0x31;
    expect_invalid(&r);
    r.month = 0x02;
    r.day = 0x29;
    expect_invalid(&r);                 /* 2026 is not a leap year */
    r.year = 0x24;
    expect_time(&r, "2024-02-29 20:15:03");
    r.day = 0x30;
    expect_invalid(&r);
    r.day = 0x29;
    r.year = 0x00;
    expect_time(&r, "2000-02-29 20:15:03");     /* divisible by 400 */
    r.century = 0x19;
    expect_invalid(&r);                 /* 1900: a century, not leap */
}

static void test_format(void **state)
{
    (void)state;
    struct rtc_time t = { 2021, 3, 4, 5, 6, 7 };
    char buf[RTC_TIME_TEXT_SIZE];

    assert_int_equal(rtc_time_format(&t, buf, sizeof buf), 19);
    assert_string_equal(buf, "2021-03-04 05:06:07");
    assert_int_equal(sizeof buf, 20);

    /* Too small a buffer: truncated, terminated, full length returned. */
    char small[8];
    memset(small, 'x', sizeof small);
    assert_int_equal(rtc_time_format(&t, small, sizeof small), 19);
    assert_string_equal(small, "2021-03");
}

static void test_mode_names(void **state)
{
    (void)state;
    assert_string_equal(rtc_time_mode(BCD_24), "BCD, 24-hour");
    assert_string_equal(rtc_time_mode(BCD_12), "BCD, 12-hour");
    assert_string_equal(rtc_time_mode(BIN_24), "binary, 24-hour");
    assert_string_equal(rtc_time_mode(BIN_12), "binary, 12-hour");
    /* The other bits of Register B (interrupt enables...) do not matter. */
    assert_string_equal(rtc_time_mode(0xF0 | BCD_24), "BCD, 24-hour");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bcd_24_hour),
        cmocka_unit_test(test_binary_24_hour),
        cmocka_unit_test(test_bcd_limits),
        cmocka_unit_test(test_12_hour),
        cmocka_unit_test(test_12_hour_rejects),
        cmocka_unit_test(test_pm_bit_in_24_hour_mode_is_invalid),
        cmocka_unit_test(test_century_register),
        cmocka_unit_test(test_implausible_century_falls_back_to_the_window),
        cmocka_unit_test(test_year_window_1970_2069),
        cmocka_unit_test(test_invalid_values_are_rejected),
        cmocka_unit_test(test_days_per_month_and_leap_years),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_mode_names),
    };
    return cmocka_run_group_tests_name("rtc_time", tests, NULL, NULL);
}
