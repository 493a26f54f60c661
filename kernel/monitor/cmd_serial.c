/* The serial line under load: `recv` takes raw bytes as fast as they come
 * and proves with a CRC that none was lost. */
#include "drivers/serial.h"
#include "kernel/console.h"
#include "kernel/lib/crc32.h"
#include "kernel/monitor/monitor.h"
#include "kernel/panel/panel.h"
#include "kernel/tick.h"
#include "kernel/x86.h"

#define RECV_MAX (16u * 1024 * 1024)
#define RECV_IDLE_TIMEOUT_MS 10000u
#define MS_PER_S 1000u
#define KIB 1024u

static void cmd_recv(int argc, char **argv)
{
    uint32_t n;
    (void)argc;
    if (!monitor_arg_number(argv[0], "N", argv[1], RECV_MAX, &n))
        return;
    if (n == 0) {
        monitor_error("recv: N must be 1..%u", RECV_MAX);
        return;
    }
    if (!serial_present()) {
        monitor_error("recv: no serial port");
        return;
    }
    if (!tick_millihz()) {
        monitor_error("recv: no timer tick on this machine to time out "
                      "an idle line by");
        return;
    }

    struct serial_stats before = serial_stats();
    kprintf("recv: ready for %u bytes\n", n);
    uint64_t start = tick_uptime_ms(), last = start;
    uint32_t crc = CRC32_INIT, got = 0;
    while (got < n) {
        cli();
        int c = serial_getc();
        if (c < 0) {
            if (tick_uptime_ms() - last > RECV_IDLE_TIMEOUT_MS) {
                sti();
                monitor_error("recv: timed out after %u of %u bytes", got, n);
                return;
            }
            __asm__ volatile("sti; hlt" ::: "memory");
            panel_poll();       /* the ring is empty: the panel's turn */
            continue;
        }
        sti();
        uint8_t byte = (uint8_t)c;
        crc = crc32_update(crc, &byte, 1);
        got++;
        last = tick_uptime_ms();
    }
    struct serial_stats after = serial_stats();
    uint64_t ms = last - start;
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
    { "recv", "N", "receive N raw bytes (<= 16 MiB), print their CRC-32",
      2, 2, cmd_recv },
    { 0, 0, 0, 0, 0, 0 },
};
