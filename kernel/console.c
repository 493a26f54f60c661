#include "kernel/console.h"

#include "io/trace.h"
#include "kernel/lib/fmt.h"
#include "kernel/lib/units.h"
#include "kernel/tsc.h"
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
/*
 * Waiting for input without going deaf. HLT sleeps until an interrupt,
 * and a command may just have stopped every one of them (masked the
 * 8259's lines or the IO APIC's, switched the Local APIC off): a CPU that
 * halts then never wakes. So the console halts only once the tick has
 * moved since the last command ran (console_recheck_tick), proof that
 * an interrupt will come; until then it spins. Still after TICK_LATE_PERIODS periods (by the TSC, or a
 * count of spins without one), the tick is taken for stopped and the
 * console polls its sources every POLL_EVERY_MS instead: they take what
 * their devices hold, as their interrupt handlers would. While the tick
 * runs they are also polled every POLL_EVERY_TICKS ticks (a tenth of a
 * second at hz=100), so that an input whose own line is masked or lost is
 * still heard; not while the I/O trace records, so that the trace holds
 * what the traced command did.
 */
#define TICK_LATE_PERIODS 3u
#define POLL_EVERY_MS 1u
#define POLL_EVERY_TICKS 10u
/* Without a TSC, spins of the wait loop that stand for a stopped tick:
 * far more than three periods at any rate iospace allows. */
#define TICK_LATE_SPINS 10000000u

static uint64_t (*tick_now)(void);
static uint32_t (*tick_rate)(void);

void console_set_tick(uint64_t (*count)(void), uint32_t (*millihz)(void))
{
    tick_now = count;
    tick_rate = millihz;
}

struct wait {
    uint64_t start_ticks, polled_ticks;
    uint64_t start_tsc, polled_tsc;
    uint32_t spins;
    bool moved;             /* the tick moved since the wait began */
};

static void wait_begin(struct wait *w)
{
    *w = (struct wait){ 0 };
    w->start_ticks = w->polled_ticks = tick_now ? tick_now() : 0;
    w->start_tsc = w->polled_tsc = tsc_hz() ? rdtsc() : 0;
}

/* Whether the tick has stayed still too long to be waited for. */
static bool tick_stopped(struct wait *w)
{
    uint32_t millihz = tick_rate ? tick_rate() : 0;
    uint64_t hz = tsc_hz();

    if (!millihz)
        return true;
    if (!hz)
        return ++w->spins > TICK_LATE_SPINS;
    return (rdtsc() - w->start_tsc) * millihz
           > TICK_LATE_PERIODS * hz * MILLIHZ_PER_HZ;
}

/* Whether to poll the sources now; with the tick stopped, every
 * POLL_EVERY_MS by the TSC (every spin without one). */
static bool poll_due(struct wait *w, bool stopped)
{
    if (!stopped) {
        if (!w->moved || io_trace_on
            || tick_now() - w->polled_ticks < POLL_EVERY_TICKS)
            return false;
        w->polled_ticks = tick_now();
        return true;
    }
    uint64_t hz = tsc_hz();
    if (!hz)
        return true;
    uint64_t now = rdtsc();
    if ((now - w->polled_tsc) * MS_PER_S < POLL_EVERY_MS * hz)
        return false;
    w->polled_tsc = now;
    return true;
}

static int take_input(void)
{
    for (struct console_source *s = sources; s; s = s->next) {
        int c = s->getc();
        if (c >= 0)
            return c;
    }
    return -1;
}

/* Kept from one console_getc to the next: once the tick has been seen to
 * move, typing a line halts between keys; only a command can stop it. */
static struct wait waiting;

void console_recheck_tick(void)
{
    wait_begin(&waiting);
}

int console_getc(void)
{
    if (!waiting.moved)
        wait_begin(&waiting);
    for (;;) {
        console_idle();
        cli();
        int c = take_input();
        if (!waiting.moved && tick_now && tick_now() != waiting.start_ticks)
            waiting.moved = true;
        bool stopped = !waiting.moved && tick_stopped(&waiting);
        if (c < 0 && poll_due(&waiting, stopped)) {
            for (struct console_source *s = sources; s; s = s->next)
                if (s->poll)
                    s->poll();
            c = take_input();
        }
        if (c >= 0) {
            sti();
            return c;
        }
        /* With the tick proven to run, sleep until the next interrupt
         * (sti_hlt cannot lose the one that brings a byte after the look
         * above); else look again. */
        if (waiting.moved)
            sti_hlt();
        else
            sti();
    }
}
