/* The serial line under load: `recv` takes raw bytes as fast as they come
 * and proves with a CRC that none was lost. */
#include "drivers/kbd8042.h"
#include "drivers/pit8254.h"
#include "drivers/serial.h"
#include "kernel/console.h"
#include "kernel/lib/crc32.h"
#include "kernel/lib/units.h"
#include "kernel/monitor/monitor.h"
#include "kernel/tick.h"
#include "kernel/tsc.h"
#include "kernel/x86.h"

#define RECV_MAX (16u * 1024 * 1024)
#define RECV_IDLE_TIMEOUT_S 10u      /* without a byte, by default */
#define RECV_IDLE_TIMEOUT_MAX_S 3600u
/* A Ctrl-C (0x03) on the serial line after this long without a byte is a
 * person at a terminal, not a byte of the stream. */
#define RECV_CTRL_C_IDLE_MS 1000u
/* The tick counts as stopped when it has not moved for this many of its
 * periods (then the CPU must not sleep in HLT waiting for it). */
#define RECV_TICK_LATE_PERIODS 3u
#define RECV_CTRL_C 0x03
#define KIB 1024u

/* Time for recv, measured without the tick, which a student can stop
 * (`poke 0xfee00320 0x10040`, `outb 0x21 0xa9`): by the TSC, or without
 * one by PIT channel 0's count read back. The count runs from the divisor
 * down to 1 and reloads, so it must be read at least once a period: recv
 * then polls instead of sleeping. */
struct stopwatch {
    uint64_t tsc_start;
    uint16_t pit_last;
    uint64_t pit_clocks;        /* input clocks gone by, without a TSC */
};

static void stopwatch_start(struct stopwatch *w)
{
    bool tsc = tsc_hz() != 0;
    w->tsc_start = tsc ? rdtsc() : 0;
    w->pit_last = tsc ? 0 : pit_channel0_count();
    w->pit_clocks = 0;
}

static uint64_t stopwatch_ms(struct stopwatch *w)
{
    if (tsc_hz())
        return (rdtsc() - w->tsc_start) * MS_PER_S / tsc_hz();
    uint16_t now = pit_channel0_count();
    w->pit_clocks += now <= w->pit_last
                     ? (uint32_t)(w->pit_last - now)
                     : (uint32_t)(w->pit_last + pit_divisor() - now);
    w->pit_last = now;
    return w->pit_clocks * MS_PER_S / PIT_INPUT_HZ;
}

/* Whether HLT may wait for the next byte: only with a TSC (the PIT's
 * count must be polled), and only while the tick, which wakes the CPU at
 * least once a period, has been seen to move lately. Until recv has seen
 * it move, it polls. */
struct tick_watch {
    bool seen_moving;
    uint64_t last;
    struct stopwatch since;
};

static bool may_sleep(struct tick_watch *w)
{
    uint64_t t = tick_count();
    if (t != w->last) {
        w->seen_moving = true;
        w->last = t;
        stopwatch_start(&w->since);
    }
    if (!tsc_hz() || !w->seen_moving)
        return false;
    uint64_t period_ms = MILLIHZ_MS_PER_S / tick_millihz() + 1;
    return stopwatch_ms(&w->since) <= RECV_TICK_LATE_PERIODS * period_ms;
}

/* A Ctrl-C typed on the keyboard; other keys are dropped. */
static bool keyboard_ctrl_c(void)
{
    for (int c; (c = kbd_getc()) >= 0;)
        if (c == RECV_CTRL_C)
            return true;
    return false;
}

/* N and the idle timeout from the command line, a UART to read, and a
 * clock to time it by. */
static bool recv_can_start(int argc, char **argv, uint32_t *n,
                           uint32_t *idle_s)
{
    if (!monitor_arg_number(argv[0], "N", argv[1], RECV_MAX, n))
        return false;
    *idle_s = RECV_IDLE_TIMEOUT_S;
    if (argc == 3
        && !monitor_arg_number(argv[0], "SECONDS", argv[2],
                               RECV_IDLE_TIMEOUT_MAX_S, idle_s))
        return false;
    if (*idle_s == 0) {
        monitor_error("recv: SECONDS must be 1..%u", RECV_IDLE_TIMEOUT_MAX_S);
        return false;
    }
    if (*n == 0) {
        monitor_error("recv: N must be 1..%u", RECV_MAX);
        return false;
    }
    if (!serial_present()) {
        monitor_error("recv: no serial port");
        return false;
    }
    if (!tsc_hz() && !pit_counting()) {
        monitor_error("recv: no clock on this machine to time out an idle "
                      "line by (no TSC rate, and PIT channel 0 does not "
                      "count)");
        return false;
    }
    return true;
}

static void cmd_recv(int argc, char **argv)
{
    uint32_t n, idle_s;
    if (!recv_can_start(argc, argv, &n, &idle_s))
        return;

    struct serial_stats before = serial_stats();
    kprintf("recv: ready for %u bytes\n", n);
    struct stopwatch idle, total;
    struct tick_watch tick = { false, tick_count(), { 0, 0, 0 } };
    uint64_t ms = 0;
    stopwatch_start(&idle);
    stopwatch_start(&total);
    uint32_t crc = CRC32_INIT, got = 0;
    while (got < n) {
        if (keyboard_ctrl_c()) {
            monitor_error("recv: Ctrl-C on the keyboard after %u of %u "
                          "bytes", got, n);
            return;
        }
        cli();
        int c = serial_getc();
        if (c < 0) {
            bool sleep = tick_millihz() && may_sleep(&tick);
            if (sleep)
                sti_hlt();
            else
                sti();
            console_idle();     /* the ring is empty: the panel's turn */
            if (stopwatch_ms(&idle) > (uint64_t)idle_s * MS_PER_S) {
                monitor_error("recv: timed out after %u of %u bytes", got, n);
                return;
            }
            stopwatch_ms(&total);   /* without a TSC: a read each period */
            continue;
        }
        sti();
        if (c == RECV_CTRL_C && stopwatch_ms(&idle) >= RECV_CTRL_C_IDLE_MS) {
            monitor_error("recv: Ctrl-C on the serial line after %u of %u "
                          "bytes", got, n);
            return;
        }
        uint8_t byte = (uint8_t)c;
        crc = crc32_update(crc, &byte, 1);
        got++;
        stopwatch_start(&idle);
        if (!tsc_hz())
            ms = stopwatch_ms(&total);
    }
    if (tsc_hz())               /* from "ready" to the last byte */
        ms = (idle.tsc_start - total.tsc_start) * MS_PER_S / tsc_hz();
    struct serial_stats after = serial_stats();
    kprintf("recv %u bytes crc32=0x%08x overruns=%u\n", n, crc,
            after.overruns - before.overruns);
    kprintf("recv: %llu ms, %llu KiB/s, receive paused %u times for a full "
            "ring\n", (unsigned long long)ms,
            (unsigned long long)(ms ? (uint64_t)n * MS_PER_S / KIB / ms : 0),
            after.rx_pauses - before.rx_pauses);
}

static void cmd_serial(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (!serial_present()) {
        kprintf("serial: no UART at port 0x3f8\n");
        return;
    }
    struct serial_stats st = serial_stats();
    kprintf("serial: 16550 on COM1, ports 0x3f8-0x3ff, IRQ 4, 115200 8N1\n");
    kprintf("  received %u bytes, sent %u, overruns %u, receive paused %u "
            "times for a full ring\n", st.rx_bytes, st.tx_bytes, st.overruns,
            st.rx_pauses);
    kprintf("  %u bytes not sent: the transmitter was stuck%s\n",
            st.tx_dropped, serial_tx_stuck() ? " (and is now)" : "");
    kprintf("  loopback or DLAB found left on and undone %u times\n",
            st.restores);
}

const struct command serial_commands[] = {
    { "serial", "", "UART counters: bytes in and out, overruns", 1, 1,
      cmd_serial },
    { "recv", "N [SECONDS]", "receive N raw bytes (<= 16 MiB), print their "
      "CRC-32; SECONDS (10) without a byte end it", 2, 3, cmd_recv },
    { 0, 0, 0, 0, 0, 0 },
};
