#include "kernel/console.h"

#include "drivers/kbd8042.h"
#include "drivers/serial.h"
#include "kernel/fmt.h"
#include "kernel/x86.h"

#include <stdarg.h>

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

void kvprintf(const char *fmt, va_list ap)
{
    fmt_vformat(put_both, 0, fmt, ap);
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
    vga_sync_cursor();
}

void console_color(enum vga_color fg)
{
    vga_set_color(fg, VGA_BLACK);
}

/* The serial line first, then the keyboard: either can drive the monitor,
 * and the echo goes to both screens anyway. */
int console_getc(void)
{
    for (;;) {
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
