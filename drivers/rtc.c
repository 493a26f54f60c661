/*
 * MC146818 real-time clock: the battery-backed clock of the PC, in the
 * CMOS RAM chip (today a block of the chipset that behaves the same).
 *
 * A port-mapped device (claim C2) behind an index/data pair: write a
 * register's number to port 0x70, then read its value from port 0x71.
 *
 * The chip counts seconds on its own crystal and, once a second, carries
 * the new second into the minutes, hours, date... That update takes about
 * 2 ms, during which the time registers read as garbage. The chip warns
 * the CPU: Register A's UIP bit goes to 1 244 us before the update starts
 * and stays 1 until it ends, so a 0 means "safe to read for at least
 * 244 us" (claim C3: the device tells the CPU when it is safe). An
 * interrupt can still stretch a read past that window, so the driver
 * reads all the registers twice and keeps the result only when both reads
 * agree.
 *
 * No initialisation: the firmware started the oscillator and chose the
 * data format. The driver only reads, and takes the format from Register B
 * at every read.
 *
 * Reference: Motorola MC146818A data sheet, "Address Map", "Register A"
 * (UIP), "Update Cycle"; the register map itself is in kernel/lib/rtc_time.h.
 */
#include "drivers/rtc.h"

#include "io/port.h"
#include "io/trace.h"
#include "kernel/lib/klib.h"
#include "kernel/lib/units.h"
#include "kernel/timeout.h"

/* Bit 7 of the byte written to port 0x70 is not part of the index: on a
 * PC it gates the NMI line (1 = NMI masked). The driver writes it as 0, so
 * reading the clock never masks NMIs, which report memory parity and
 * other hardware failures that must not be lost. */
#define RTC_INDEX_NMI_DISABLE 0x80

/* How long the wait for UIP to clear lasts: the ~2.2 ms that UIP can
 * stay set (244 us before the update, 1984 us of update) many times over.
 * Where no chip answers, Register A reads 0xFF, UIP looks stuck at 1, and
 * the wait ends here with an error. */
#define RTC_UIP_WAIT_MS 100u

/* Two reads in a row disagree only when the clock ticked between them,
 * which happens once a second: one retry is enough for a working clock,
 * and bytes that keep changing are not a clock. */
#define RTC_READ_ATTEMPTS 3

uint8_t cmos_read(uint8_t reg)
{
    outb(RTC_INDEX_PORT, reg & ~RTC_INDEX_NMI_DISABLE);
    return inb(RTC_DATA_PORT);
}

/* C3: waits until the chip says no update is in progress. */
static bool wait_update_done(void)
{
    struct timeout t = timeout_start_us(RTC_UIP_WAIT_MS * US_PER_MS);
    do {
        if (!(cmos_read(RTC_REG_A) & RTC_A_UIP))
            return true;
    } while (!timeout_expired(&t));
    return false;
}

static bool read_regs(struct rtc_regs *r)
{
    if (!wait_update_done())
        return false;
    r->seconds = cmos_read(RTC_REG_SECONDS);
    r->minutes = cmos_read(RTC_REG_MINUTES);
    r->hours = cmos_read(RTC_REG_HOURS);
    r->day = cmos_read(RTC_REG_DAY_OF_MONTH);
    r->month = cmos_read(RTC_REG_MONTH);
    r->year = cmos_read(RTC_REG_YEAR);
    r->century = cmos_read(RTC_REG_CENTURY);
    r->status_b = cmos_read(RTC_REG_B);
    return true;
}

static const char *rtc_reg_name(uint32_t port, bool write, uint32_t value)
{
    (void)value;
    if (port == RTC_INDEX_PORT)
        return write ? "index (NMI bit clear)" : "index";
    return "data (the indexed register)";
}

static const struct io_trace_device trace_rtc = {
    "cmos", IO_PMIO, RTC_INDEX_PORT, RTC_DATA_PORT, rtc_reg_name,
};

void rtc_init(void)
{
    io_trace_add_device(&trace_rtc);
}

enum rtc_status rtc_read(struct rtc_regs *raw, struct rtc_time *time)
{
    struct rtc_regs prev;

    if (!read_regs(&prev))
        return RTC_ERR_UPDATE_STUCK;
    for (int i = 0; i < RTC_READ_ATTEMPTS; i++) {
        if (!read_regs(raw))
            return RTC_ERR_UPDATE_STUCK;
        if (memcmp(raw, &prev, sizeof prev) == 0)
            return rtc_time_decode(raw, time) ? RTC_OK : RTC_ERR_INVALID;
        prev = *raw;
    }
    return RTC_ERR_UNSTABLE;
}

const char *rtc_status_text(enum rtc_status st)
{
    switch (st) {
    case RTC_OK:
        return "ok";
    case RTC_ERR_UPDATE_STUCK:
        return "update-in-progress bit never cleared (no clock at ports "
               "0x70/0x71?)";
    case RTC_ERR_UNSTABLE:
        return "the time registers changed between every two reads";
    case RTC_ERR_INVALID:
        return "the registers hold no valid date and time";
    }
    return "unknown error";
}
