/* The I/O trace from the monitor: every in/out and every device mov, in
 * order, with the register it reached (io/trace.h). */
#include "io/trace.h"
#include "kernel/console.h"
#include "kernel/lib/klib.h"
#include "kernel/monitor/monitor.h"
#include "kernel/panel/panel.h"

#define TRACE_DUMP_DEFAULT 20u
#define TRACE_DUMP_MAX 8192u

/* How many devices a dump can name; when the table was too small, how
 * many it cannot: their accesses show as '?'. */
static void print_naming(void)
{
    unsigned refused = io_trace_devices_refused();
    kprintf("trace: %u register windows named (room for %u)",
            io_trace_devices_named(), io_trace_devices_room());
    if (refused)
        kprintf("; %u more left unnamed, their accesses show as '?'",
                refused);
    kprintf("\n");
}

/* The last n records, oldest first, with their device and register
 * names, times counted from the first shown. Tracing pauses while they
 * print: printing is device access too. */
static void trace_dump(uint32_t n)
{
    bool was_on = io_trace_on;
    io_trace_set(false);

    uint32_t held = io_trace_count();
    if (n > held)
        n = held;
    kprintf("%u of %u records (%llu made); time in %s since the first shown\n",
            n, held, (unsigned long long)io_trace_made(),
            io_trace_clock_unit());
    kprintf("      time mech insn bits where    value  device register\n");
    uint64_t start = 0;
    for (uint32_t age = n; age > 0; age--) {
        struct io_trace_entry e = io_trace_entry(age);
        if (age == n)
            start = e.time;
        bool pmio = e.mech == IO_PMIO;
        /* The instruction: in/out for ports, mov for memory either way. */
        const char *insn = !pmio ? "mov" : e.dir == IO_WRITE ? "out" : "in";
        kprintf("%10llu %s %-3s %2u 0x%0*x %s 0x%0*x  %-6s %s\n",
                (unsigned long long)(e.time - start), pmio ? "PMIO" : "MMIO",
                insn, e.bits, pmio ? 4 : 8, e.where,
                e.dir == IO_WRITE ? "<-" : "->", e.bits / 4, e.value,
                e.device ? e.device : "?", e.reg ? e.reg : "");
    }
    if (io_trace_devices_refused())
        print_naming();
    io_trace_set(was_on);
}

static void cmd_trace(int argc, char **argv)
{
    const char *what = argv[1];
    uint32_t n = TRACE_DUMP_DEFAULT;

    if (argc == 1) {
        kprintf("trace: %s, %u records held\n", io_trace_on ? "on" : "off",
                io_trace_count());
        print_naming();
        return;
    }
    if (strcmp(what, "dump") != 0 && argc > 2) {
        monitor_error("usage: trace on|off|clear|dump [N]");
        return;
    }
    /* The live panel stops before the trace starts, and goes on after it
     * stopped: its writes are not what the trace is for. */
    if (strcmp(what, "on") == 0) {
        panel_trace(true);
        io_trace_set(true);
        kprintf("trace: on\n");
    } else if (strcmp(what, "off") == 0) {
        io_trace_set(false);
        panel_trace(false);
        kprintf("trace: off, %u records held\n", io_trace_count());
    } else if (strcmp(what, "clear") == 0) {
        io_trace_clear();
        kprintf("trace: cleared\n");
    } else if (strcmp(what, "dump") == 0) {
        if (argc > 2 && !monitor_arg_number("trace", "N", argv[2],
                                            TRACE_DUMP_MAX, &n))
            return;
        trace_dump(n);
    } else {
        monitor_error("trace: '%s': expected on, off, clear or dump", what);
    }
}

const struct command trace_commands[] = {
    { "trace", "[on|off|clear|dump [N]]",
      "record device accesses; show the last N (default 20)", 1, 3,
      cmd_trace },
    { 0, 0, 0, 0, 0, 0 },
};
