/*
 * The MC146818 decoder (kernel/lib/rtc_time.c): eight register bytes as a
 * broken or hostile clock might give them. Invariants: a decoded time is a
 * real calendar date and time of day; encoding it again in the format
 * Register B gives yields the same register bytes (the decoder neither
 * accepts a byte it cannot read back nor misreads one); the text is
 * "YYYY-MM-DD HH:MM:SS".
 */
#include "kernel/lib/rtc_time.h"
#include "tests/fuzz/fuzz.h"

#include <stdbool.h>

#define BCD_DIGIT_BITS 4
#define DECIMAL_BASE 10
#define HOURS_PER_HALF_DAY 12
#define YEARS_PER_CENTURY 100

static const uint8_t days_in_month[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
                                         31, 30, 31 };

static bool leap(unsigned y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static uint8_t encode(unsigned v, bool binary)
{
    return binary ? (uint8_t)v
                  : (uint8_t)((v / DECIMAL_BASE) << BCD_DIGIT_BITS
                              | v % DECIMAL_BASE);
}

static uint8_t encode_hour(unsigned h, uint8_t status_b)
{
    bool binary = status_b & RTC_B_DM_BINARY;
    if (status_b & RTC_B_24_HOUR)
        return encode(h, binary);
    unsigned h12 = h % HOURS_PER_HALF_DAY ? h % HOURS_PER_HALF_DAY
                                          : HOURS_PER_HALF_DAY;
    return (uint8_t)(encode(h12, binary)
                     | (h >= HOURS_PER_HALF_DAY ? RTC_HOURS_PM : 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rtc_regs r;
    struct rtc_time t;
    char text[RTC_TIME_TEXT_SIZE];

    if (size < sizeof r)
        return 0;
    memcpy(&r, data, sizeof r);
    CHECK(rtc_time_mode(r.status_b) != NULL);
    if (!rtc_time_decode(&r, &t))
        return 0;

    CHECK(t.month >= 1 && t.month <= 12);
    unsigned days = days_in_month[t.month - 1]
                    + (t.month == 2 && leap(t.year));
    CHECK(t.day >= 1 && t.day <= days);
    CHECK(t.hour <= 23 && t.minute <= 59 && t.second <= 59);
    CHECK(t.year >= 1900 && t.year <= 2099);

    bool binary = r.status_b & RTC_B_DM_BINARY;
    CHECK(encode(t.second, binary) == r.seconds);
    CHECK(encode(t.minute, binary) == r.minutes);
    CHECK(encode_hour(t.hour, r.status_b) == r.hours);
    CHECK(encode(t.day, binary) == r.day);
    CHECK(encode(t.month, binary) == r.month);
    CHECK(encode(t.year % YEARS_PER_CENTURY, binary) == r.year);

    CHECK(rtc_time_format(&t, text, sizeof text) == (int)sizeof text - 1);
    CHECK(strlen(text) == sizeof text - 1);
    for (size_t i = 0; i < sizeof text - 1; i++)
        CHECK(text[i] == "0000-00-00 00:00:00"[i]
              || (text[i] >= '0' && text[i] <= '9'
                  && "0000-00-00 00:00:00"[i] == '0'));
    return 0;
}
