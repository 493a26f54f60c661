/* Exceptions on demand, and leaving QEMU or rebooting. */
#include "drivers/debugexit.h"
#include "drivers/kbd8042.h"
#include "kernel/console.h"
#include "kernel/faults.h"
#include "kernel/monitor/monitor.h"
#include "kernel/panic.h"
#include "kernel/trap.h"

static void cmd_fault(int argc, char **argv)
{
    (void)argc;
    const struct fault_kind *k = fault_find(argv[1]);
    if (!k) {
        monitor_error("fault: unknown kind '%s' (de, ud, gp, pf, bp or df)",
                      argv[1]);
        return;
    }
    kprintf("fault: raising %s\n", trap_exception_name(k->vector));
    if (trap_try(fault_raise, (void *)k))
        kprintf("fault: the handler returned; execution continued\n");
    else
        kprintf("fault: recovered from %s at eip %08x, back in the "
                "monitor\n", trap_exception_name(trap_last_fault().vector),
                trap_last_fault().eip);
}

static void cmd_exit(int argc, char **argv)
{
    uint32_t code = 0;
    if (argc > 1 && !monitor_arg_number(argv[0], "CODE", argv[1], 0xFF, &code))
        return;
    kprintf("exit: writing 0x%02x to isa-debug-exit (QEMU exits with %u)\n",
            code, code << 1 | 1);
    debugexit_write(code);
    kprintf("exit: no isa-debug-exit device answered at port 0xf4; "
            "halting here\n");
    halt_forever();
}

/* The PC/AT way to reboot: the keyboard controller drives the CPU's
 * reset line. (QEMU run with -no-reboot, as `make run` and the tests do,
 * exits instead of restarting.) */
static void cmd_reboot(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    kprintf("reboot: pulsing the CPU reset line through the 8042 (command "
            "0x%02x to port 0x%02x)\n", KBD_CMD_PULSE_RESET,
            KBD_COMMAND_PORT);
    if (!kbd_reset_cpu())
        monitor_error("reboot: the 8042 did not reset the CPU");
}

const struct command system_commands[] = {
    { "fault", "de|ud|gp|pf|bp|df", "raise a CPU exception and recover", 2, 2,
      cmd_fault },
    { "exit", "[CODE]", "leave QEMU through isa-debug-exit", 1, 2,
      cmd_exit },
    { "reboot", "", "reset the machine through the 8042",
      1, 1, cmd_reboot },
    { 0, 0, 0, 0, 0, 0 },
};
