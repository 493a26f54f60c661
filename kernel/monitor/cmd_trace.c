/* The I/O trace from the monitor: every in/out and every device mov, in
 * order, with the register it reached (io/trace.h). */
#include "io/trace.h"
#include "kernel/console.h"
#include "kernel/lib/klib.h"
#include "kernel/monitor/monitor.h"
#include "kernel/panel/panel.h"

#define TRACE_DUMP_DEFAULT 20u
#define TRACE_DUMP_MAX 8192u

static void cmd_trace(int argc, char **argv)
{
    const char *what = argv[1];
    uint32_t n = TRACE_DUMP_DEFAULT;

    if (argc == 1) {
        kprintf("trace: %s, %u records held\n", io_trace_on ? "on" : "off",
                io_trace_count());
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
        io_trace_dump(n);
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
