#include "kernel/console.h"

#include "drivers/kbd8042.h"
#include "drivers/serial.h"
#include "kernel/lib/fmt.h"
#include "kernel/panel/panel.h"
#include "kernel/x86.h"

#include <stdarg.h>

/* On a line of its own: it may come in the middle of one. */
#define SERIAL_STUCK_WARNING                                               \
    "\nwarning: serial: the UART's transmitter stopped taking bytes (LSR "   \
    "THRE stays clear); serial output is dropped until it takes them "     \
    "again\n"

/* Terminals expect CR LF at the end of a line; the VGA console only needs
 * the LF. The conversion happens here, once, for every line. */
static void put_both(void *ctx, char c)
{
    (void)ctx;
    if (c == '\n')
        serial_putc('\r');
    serial_putc(c);
    vga_putc(c);
}

/* The serial line cannot report its own failure: when the UART's
 * transmitter gets stuck (drivers/serial.c drops bytes then), the screen
 * says so, once; when it takes bytes again, both consoles do. */
static void report_serial_state(void)
{
    static bool was_stuck;
    bool stuck = serial_tx_stuck();

    if (stuck == was_stuck)
        return;
    was_stuck = stuck;
    console_color(VGA_YELLOW);
    if (stuck) {
        for (const char *s = SERIAL_STUCK_WARNING; *s; s++)
            vga_putc(*s);
    } else {
        /* Formatted here rather than by kprintf, which calls this. */
        char msg[80];
        fmt_snprintf(msg, sizeof msg, "serial: the transmitter takes bytes "
                     "again; %u were dropped\n", serial_stats().tx_dropped);
        for (const char *s = msg; *s; s++)
            put_both(0, *s);
    }
    console_color(VGA_LIGHT_GREY);
}

void kvprintf(const char *fmt, va_list ap)
{
    fmt_vformat(put_both, 0, fmt, ap);
    report_serial_state();
    vga_sync_cursor();
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}

void console_write(const char *s)
{
    while (*s)
        put_both(0, *s++);
    report_serial_state();
    vga_sync_cursor();
}

void console_color(enum vga_color fg)
{
    vga_set_color(fg, VGA_BLACK);
}

/* What the UART's interrupt handler found and undid (drivers/serial.c):
 * printed here, outside the handler. */
void console_serial_warnings(void)
{
    for (const char *w; (w = serial_take_warning()) != 0;) {
        console_color(VGA_YELLOW);
        kprintf("\nwarning: %s\n", w);
        console_color(VGA_LIGHT_GREY);
    }
}

/* The serial line first, then the keyboard: either can drive the monitor,
 * and the echo goes to both screens anyway. Before each look, and so
 * after each interrupt that woke the CPU, the live panel gets its turn to
 * draw, if an update is due. */
int console_getc(void)
{
    for (;;) {
        panel_poll();
        console_serial_warnings();
        cli();
        int c = serial_getc();
        if (c < 0)
            c = kbd_getc();
        if (c >= 0) {
            sti();
            return c;
        }
        /* Sleep until the next interrupt. STI takes effect only after the
         * instruction that follows it, so no interrupt can slip in between
         * the check above and the HLT and leave the CPU asleep with a byte
         * waiting. */
        __asm__ volatile("sti; hlt" ::: "memory");
    }
}
