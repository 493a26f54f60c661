/*
 * Self-tests of the devices, each through its own kind of access: the
 * UART and the 8042 by port (claim C2), the VGA text buffer by mov (C1)
 * and its CRTC by port, the RTC's update cycle (C3).
 */
#include "kernel/selftest/checks.h"

#include "drivers/ioapic.h"
#include "drivers/kbd8042.h"
#include "drivers/pic8259.h"
#include "drivers/pit8254.h"
#include "drivers/rtc.h"
#include "drivers/serial.h"
#include "drivers/vga.h"
#include "io/mmio.h"
#include "kernel/irq.h"
#include "kernel/irq_apic.h"

#define LOOPBACK_TEST_BYTE 0x5A
#define LOOPBACK_WAIT_MS 100u

bool test_serial(void)
{
    return selftest_boot()->serial_ok ? true : skip(NO_UART);
}

bool test_keyboard(void)
{
    /* A port no device decodes reads 0xFF; the 8042 answers with its
     * status, and its IRQ 1 must be open in the controller in use for the
     * keys to arrive (claim C8). */
    if (!kbd_present())
        return fail("%s", kbd_problem());
    uint8_t status = kbd_status();
    if (status & KBD_STAT_IBF)
        return fail("status %02x: the 8042 is still busy", status);
    if (!irq_name(IRQ_KEYBOARD))
        return fail("no handler on IRQ %u", IRQ_KEYBOARD);
    if (irq_active() == IRQ_BY_APIC) {
        uint32_t gsi = irq_apic_config()->isa[IRQ_KEYBOARD].gsi;
        return ioapic_masked(gsi) ? fail("IO APIC input %u masked", gsi)
                                  : true;
    }
    uint16_t imr = pic_read_imr();
    if (imr & (1u << IRQ_KEYBOARD))
        return fail("IRQ %u masked (IMR %04x)", IRQ_KEYBOARD, imr);
    return true;
}

bool test_vga_mmio(void)
{
    /* Bottom-right cell, written with a mov and read back with a mov. */
    uintptr_t cell = VGA_TEXT_BUFFER + 2 * (VGA_ROWS * VGA_COLS - 1);
    uint16_t saved = mmio_read16(cell);
    uint16_t probe = VGA_CELL('*', VGA_ATTR(VGA_YELLOW, VGA_BLUE));
    mmio_write16(cell, probe);
    uint16_t got = mmio_read16(cell);
    mmio_write16(cell, saved);
    return got == probe ? true : fail("wrote %04x, read %04x", probe, got);
}

bool test_vga_cursor(void)
{
    const uint16_t probe = VGA_COLS * 12 + 34;
    vga_set_cursor(probe);
    uint16_t got = vga_read_cursor();
    vga_sync_cursor();
    return got == probe ? true : fail("set %u, read %u", probe, got);
}

/* The UART talks to itself: the byte goes out of the transmitter, into
 * the receiver, raises IRQ 4, and the handler puts it in the ring. (On a
 * real PC loopback also disconnects OUT2, which gates the IRQ line, so
 * this interrupt is seen under QEMU only.) Nothing may be printed while
 * loopback is on: it would come back as input. */
bool test_serial_rx_irq(void)
{
    if (!serial_present())
        return skip(NO_UART);
    /* One byte stays below the FIFO's trigger level: the UART raises the
     * interrupt only after four character times of quiet, which only the
     * PIT can time here. */
    if (!pit_counting())
        return skip(NO_PIT);
    uint32_t irqs = irq_count(IRQ_COM1, irq_active());
    int got = -1;
    serial_set_loopback(true);
    serial_putc((char)LOOPBACK_TEST_BYTE);
    for (uint32_t ms = 0; ms < LOOPBACK_WAIT_MS && got < 0; ms++) {
        pit_sleep_ms(1);
        got = serial_getc();
    }
    serial_set_loopback(false);
    if (got != LOOPBACK_TEST_BYTE)
        return fail("byte %d came back, expected %d", got,
                    LOOPBACK_TEST_BYTE);
    return irq_count(IRQ_COM1, irq_active()) > irqs
               ? true : fail("the byte came without IRQ 4 (%s)",
                             irq_controller_name(irq_active()));
}

/* A clock set before 2000 is a dead battery or an unset clock. */
#define RTC_SELFTEST_MIN_YEAR 2000
#define HOURS_PER_HALF_DAY 12

/* One read (no waiting for a tick: that would cost up to a second), then
 * Register B's 12/24-hour bit against the hours byte: in 24-hour mode its
 * PM flag must be clear (checked on the raw byte, before the decoder
 * refuses it), in 12-hour mode it must be set exactly for the afternoon
 * hours the kernel's decoder produced. */
bool test_rtc(void)
{
    struct rtc_regs raw;
    struct rtc_time now;
    enum rtc_status st = rtc_read(&raw, &now);
    bool pm = raw.hours & RTC_HOURS_PM;
    bool hours_24 = raw.status_b & RTC_B_24_HOUR;

    if (st == RTC_ERR_UPDATE_STUCK || st == RTC_ERR_UNSTABLE)
        return fail("%s", rtc_status_text(st));
    if (hours_24 && pm)
        return fail("24-hour mode, but hours byte %02x has the PM flag",
                    raw.hours);
    if (st != RTC_OK)
        return fail("%s: %02x-%02x-%02x %02x:%02x:%02x, B=%02x",
                    rtc_status_text(st), raw.year, raw.month, raw.day,
                    raw.hours, raw.minutes, raw.seconds, raw.status_b);
    if (now.year < RTC_SELFTEST_MIN_YEAR)
        return fail("year %u", now.year);
    if (!hours_24 && pm != (now.hour >= HOURS_PER_HALF_DAY))
        return fail("12-hour mode: hours byte %02x, decoded hour %u",
                    raw.hours, now.hour);
    return true;
}
