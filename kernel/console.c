#include "kernel/console.h"

#include "kernel/lib/fmt.h"
#include "kernel/x86.h"

#include <stdarg.h>

static struct console_sink *sinks;
static struct console_source *sources;
static void (*idle_hook)(void);

/* Each list keeps the order kmain registered in: output and input go
 * through the devices in that order. */
void console_add_sink(struct console_sink *sink)
{
    struct console_sink **at = &sinks;
    while (*at)
        at = &(*at)->next;
    sink->next = 0;
    sink->was_stuck = false;
    *at = sink;
}

void console_add_source(struct console_source *source)
{
    struct console_source **at = &sources;
    while (*at)
        at = &(*at)->next;
    source->next = 0;
    *at = source;
}

void console_set_idle(void (*idle)(void))
{
    idle_hook = idle;
}

void console_idle(void)
{
    if (idle_hook)
        idle_hook();
}

static void put_all(void *ctx, char c)
{
    (void)ctx;
    for (struct console_sink *s = sinks; s; s = s->next)
        s->putc(c);
}

static void put_string(struct console_sink *only, const char *text)
{
    for (const char *t = text; *t; t++) {
        if (only)
            only->putc(*t);
        else
            put_all(0, *t);
    }
}

/* A stuck device cannot report its own failure (the serial line when the
 * host stops reading: drivers/serial.c drops bytes then): the other sinks
 * say so, once; when it takes output again, all of them do. */
static void report_stuck(struct console_sink *sink)
{
    uint32_t dropped = 0;
    bool stuck = sink->stuck(&dropped);

    if (stuck == sink->was_stuck)
        return;
    sink->was_stuck = stuck;
    console_color(CONSOLE_WARNING);
    if (stuck) {
        for (struct console_sink *s = sinks; s; s = s->next)
            if (s != sink)
                put_string(s, sink->stuck_warning);
    } else {
        /* Formatted here rather than by kprintf, which calls this. */
        char msg[80];
        fmt_snprintf(msg, sizeof msg, "%s: the transmitter takes bytes "
                     "again; %u were dropped\n", sink->name, dropped);
        put_string(0, msg);
    }
    console_color(CONSOLE_PLAIN);
}

/* After every write: the stuck reports, then each sink's flush. */
static void finish_write(void)
{
    for (struct console_sink *s = sinks; s; s = s->next)
        if (s->stuck)
            report_stuck(s);
    for (struct console_sink *s = sinks; s; s = s->next)
        if (s->flush)
            s->flush();
}

void kvprintf(const char *fmt, va_list ap)
{
    fmt_vformat(put_all, 0, fmt, ap);
    finish_write();
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}

void kwarn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    console_color(CONSOLE_WARNING);
    console_write("warning: ");
    kvprintf(fmt, ap);
    console_write("\n");
    console_color(CONSOLE_PLAIN);
    va_end(ap);
}

void console_write(const char *s)
{
    put_string(0, s);
    finish_write();
}

void console_color(enum console_color c)
{
    for (struct console_sink *s = sinks; s; s = s->next)
        if (s->color)
            s->color(c);
}

/* The sources in turn (the serial line first, then the keyboard): either
 * can drive the monitor, and the echo goes to every sink anyway. Before
 * each look, and so after each interrupt that woke the CPU, the idle hook
 * (the live panel) gets its turn. */
int console_getc(void)
{
    for (;;) {
        console_idle();
        cli();
        for (struct console_source *s = sources; s; s = s->next) {
            int c = s->getc();
            if (c >= 0) {
                sti();
                return c;
            }
        }
        /* Sleep until the next interrupt; sti_hlt cannot lose the one
         * that brings a byte after the look above. */
        sti_hlt();
    }
}
