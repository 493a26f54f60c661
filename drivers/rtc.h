#ifndef DRIVERS_RTC_H
#define DRIVERS_RTC_H

#include "kernel/lib/rtc_time.h"

/* The CMOS RAM's index/data pair (IBM PC/AT Technical Reference, "System
 * I/O Address Map"). */
#define RTC_INDEX_PORT 0x70
#define RTC_DATA_PORT 0x71

enum rtc_status {
    RTC_OK,
    RTC_ERR_UPDATE_STUCK,   /* UIP never cleared: no chip, or a dead one */
    RTC_ERR_UNSTABLE,       /* no two reads in a row agreed */
    RTC_ERR_INVALID,        /* the bytes are not a valid date and time */
};

/* Names the CMOS ports for the I/O trace; the clock needs no setup. */
void rtc_init(void);

/* Reads the clock: waits (bounded) for the chip to finish updating, reads
 * every time register until two reads agree, then decodes them. The bytes
 * as read go to *raw, the decoded time to *time (on RTC_OK only). */
enum rtc_status rtc_read(struct rtc_regs *raw, struct rtc_time *time);

/* A short English phrase for a status, for "rtc: ..." lines. */
const char *rtc_status_text(enum rtc_status st);

/* One byte of the CMOS RAM behind the clock (index to port 0x70, data
 * from port 0x71), for the other configuration bytes the firmware keeps
 * there, such as the diskette drive types. Every CMOS access of iospace
 * goes through this file. */
uint8_t cmos_read(uint8_t reg);

#endif
