#include "kernel/lib/rtc_time.h"

#include "kernel/lib/fmt.h"

/* A BCD byte holds two decimal digits, one per nibble: 0x59 is 59. */
#define BCD_DIGIT_BITS 4
#define BCD_DIGIT_MASK 0x0F
#define BCD_DIGIT_MAX 9
#define DECIMAL_BASE 10

#define SECONDS_MAX 59
#define MINUTES_MAX 59
#define HOURS_24_MAX 23
#define HOURS_12_MIN 1
#define HOURS_12_MAX 12
#define HOURS_PER_HALF_DAY 12
#define MONTHS 12
#define FEBRUARY 2
#define YEARS_PER_CENTURY 100

/* The two-digit-year window of RTC_YEAR_PIVOT. */
#define YEAR_BASE_FROM_PIVOT 1900   /* 70-99: 1970-1999 */
#define YEAR_BASE_BELOW_PIVOT 2000  /* 00-69: 2000-2069 */

/* Gregorian leap years: every 4th, except centuries not divisible by 400. */
#define LEAP_EVERY 4
#define LEAP_SKIP_EVERY 100
#define LEAP_KEEP_EVERY 400

static const uint8_t days_in_month[MONTHS] = {
    31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
};

/* One register byte in the chip's data mode; false on a BCD digit > 9. */
static bool decode_byte(uint8_t v, bool binary, uint8_t *out)
{
    uint8_t tens = v >> BCD_DIGIT_BITS, ones = v & BCD_DIGIT_MASK;

    if (binary) {
        *out = v;
        return true;
    }
    if (tens > BCD_DIGIT_MAX || ones > BCD_DIGIT_MAX)
        return false;
    *out = (uint8_t)(tens * DECIMAL_BASE + ones);
    return true;
}

static bool decode_range(uint8_t v, bool binary, uint8_t min, uint8_t max,
                         uint8_t *out)
{
    return decode_byte(v, binary, out) && *out >= min && *out <= max;
}

/* In 12-hour mode the PM flag shares the byte with the hour, so it comes
 * off before the digits are decoded: 12 PM is 0x92 in BCD. 12 AM is
 * midnight (hour 0), 12 PM is noon (hour 12). */
static bool decode_hour(uint8_t v, uint8_t status_b, uint8_t *out)
{
    bool binary = status_b & RTC_B_DM_BINARY;
    bool pm = v & RTC_HOURS_PM;
    uint8_t h;

    if (status_b & RTC_B_24_HOUR)
        return decode_range(v, binary, 0, HOURS_24_MAX, out);
    if (!decode_range(v & ~RTC_HOURS_PM, binary, HOURS_12_MIN, HOURS_12_MAX,
                      &h))
        return false;
    *out = (uint8_t)(h % HOURS_PER_HALF_DAY + (pm ? HOURS_PER_HALF_DAY : 0));
    return true;
}

static uint16_t full_year(uint8_t yy, uint8_t century_byte, bool binary)
{
    uint8_t century;

    if (decode_range(century_byte, binary, RTC_CENTURY_MIN, RTC_CENTURY_MAX,
                     &century))
        return (uint16_t)(century * YEARS_PER_CENTURY + yy);
    return (uint16_t)((yy < RTC_YEAR_PIVOT ? YEAR_BASE_BELOW_PIVOT
                                           : YEAR_BASE_FROM_PIVOT) + yy);
}

static bool is_leap(unsigned year)
{
    return (year % LEAP_EVERY == 0 && year % LEAP_SKIP_EVERY != 0)
           || year % LEAP_KEEP_EVERY == 0;
}

static uint8_t month_days(unsigned year, uint8_t month)
{
    return (uint8_t)(days_in_month[month - 1]
                     + (month == FEBRUARY && is_leap(year)));
}

bool rtc_time_decode(const struct rtc_regs *r, struct rtc_time *out)
{
    bool binary = r->status_b & RTC_B_DM_BINARY;
    struct rtc_time t;
    uint8_t yy;

    if (!decode_range(r->seconds, binary, 0, SECONDS_MAX, &t.second)
        || !decode_range(r->minutes, binary, 0, MINUTES_MAX, &t.minute)
        || !decode_hour(r->hours, r->status_b, &t.hour)
        || !decode_range(r->month, binary, 1, MONTHS, &t.month)
        || !decode_range(r->year, binary, 0, YEARS_PER_CENTURY - 1, &yy))
        return false;
    t.year = full_year(yy, r->century, binary);
    if (!decode_range(r->day, binary, 1, month_days(t.year, t.month), &t.day))
        return false;
    *out = t;
    return true;
}

int rtc_time_format(const struct rtc_time *t, char *buf, size_t size)
{
    return fmt_snprintf(buf, size, "%04u-%02u-%02u %02u:%02u:%02u",
                        (unsigned)t->year, (unsigned)t->month,
                        (unsigned)t->day, (unsigned)t->hour,
                        (unsigned)t->minute, (unsigned)t->second);
}

const char *rtc_time_mode(uint8_t status_b)
{
    bool binary = status_b & RTC_B_DM_BINARY;

    if (status_b & RTC_B_24_HOUR)
        return binary ? "binary, 24-hour" : "BCD, 24-hour";
    return binary ? "binary, 12-hour" : "BCD, 12-hour";
}
