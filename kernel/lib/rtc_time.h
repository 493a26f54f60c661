/*
 * What the MC146818 real-time clock's registers mean: the register map, the
 * two data formats of Register B, and the decoding of the raw time bytes
 * into a calendar date. Pure C (no device access), compiled into the kernel
 * and into the host unit tests; drivers/rtc.c does the port I/O.
 *
 * The chip keeps the time in its own format: each byte is BCD (0x59 means
 * 59) or binary (0x3B means 59), and the hours are 0-23 or 1-12 with a PM
 * flag, as Register B says. The firmware picks the format; a PC BIOS
 * normally leaves BCD and 24-hour. The chip has a two-digit year only.
 *
 * Reference: Motorola MC146818A data sheet, "Address Map", "Time, Calendar
 * and Alarm Locations" (the data modes), "Register A", "Register B".
 */
#ifndef KERNEL_RTC_TIME_H
#define KERNEL_RTC_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Register indexes, data sheet "Address Map". Day of week (6) and the
 * alarm registers (1, 3, 5) are not used. */
#define RTC_REG_SECONDS 0x00
#define RTC_REG_MINUTES 0x02
#define RTC_REG_HOURS 0x04
#define RTC_REG_DAY_OF_MONTH 0x07
#define RTC_REG_MONTH 0x08
#define RTC_REG_YEAR 0x09
#define RTC_REG_A 0x0A
#define RTC_REG_B 0x0B
/* Not the chip's: byte 0x32 of the CMOS RAM after the clock registers is
 * where the IBM PC AT BIOS keeps the century (IBM PC AT Technical
 * Reference, "CMOS RAM Address Map"); ACPI's FADT CENTURY field names it
 * on later PCs. Some firmware uses the byte for something else. */
#define RTC_REG_CENTURY 0x32

/* Register A, bit 7, UIP (update in progress), read-only: 1 while the chip
 * is about to update, or is updating, the time registers. */
#define RTC_A_UIP 0x80

/* Register B, bit 2, DM (data mode): 1 = binary, 0 = BCD. */
#define RTC_B_DM_BINARY 0x04
/* Register B, bit 1, 24/12: 1 = 24-hour, 0 = 12-hour. */
#define RTC_B_24_HOUR 0x02

/* Hours register in 12-hour mode, bit 7: PM ("Time, Calendar and Alarm
 * Locations": BCD 81-92, binary 81-8C for 1 PM to 12 PM). */
#define RTC_HOURS_PM 0x80

/* A year byte 70-99 is 1970-1999, 00-69 is 2000-2069, when the century
 * byte says nothing plausible: no PC's clock was set before 1970 (the Unix
 * epoch, and before the PC), and the rule holds until 2069. */
#define RTC_YEAR_PIVOT 70

/* The century byte is decoded in the data mode of the clock registers (a
 * BIOS writes it in its own mode, BCD; QEMU re-encodes it with the others)
 * and used only when it comes out as 19 or 20: a PC clock has lived in no
 * other century, so another value is more likely a byte the firmware uses
 * for something else. */
#define RTC_CENTURY_MIN 19
#define RTC_CENTURY_MAX 20

/* The bytes as read from the chip, in its own format. */
struct rtc_regs {
    uint8_t seconds;
    uint8_t minutes;
    uint8_t hours;
    uint8_t day;            /* day of the month */
    uint8_t month;
    uint8_t year;           /* 0-99 */
    uint8_t century;        /* CMOS byte 0x32, or 0 when there is none */
    uint8_t status_b;       /* Register B: says how to read the others */
};

/* A calendar date and a time of day, 24-hour. */
struct rtc_time {
    uint16_t year;          /* full: 2026 */
    uint8_t month;          /* 1-12 */
    uint8_t day;            /* 1-31, within the month */
    uint8_t hour;           /* 0-23 */
    uint8_t minute;
    uint8_t second;
};

/* "YYYY-MM-DD HH:MM:SS" and its NUL. */
#define RTC_TIME_TEXT_SIZE sizeof "YYYY-MM-DD HH:MM:SS"

/* Decodes the registers into *out. Returns false, leaving *out alone, when
 * a byte is not valid in the format Register B gives (a BCD digit above 9,
 * month 13, hour 24, 12-hour hour 0, 31 April...). */
bool rtc_time_decode(const struct rtc_regs *regs, struct rtc_time *out);

/* Formats the time as "YYYY-MM-DD HH:MM:SS"; like fmt_snprintf, returns
 * the length the text would have had. */
int rtc_time_format(const struct rtc_time *t, char *buf, size_t size);

/* The format Register B selects, e.g. "BCD, 24-hour". */
const char *rtc_time_mode(uint8_t status_b);

#endif
