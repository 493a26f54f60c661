/* `screen`: the live I/O panel above the monitor, or the monitor on the
 * whole VGA screen (kernel/panel/panel.h). The serial line is not a screen: it
 * carries the monitor either way. */
#include "drivers/vga.h"
#include "kernel/lib/cmdline.h"
#include "kernel/console.h"
#include "kernel/monitor/monitor.h"
#include "kernel/panel/panel.h"
#include "kernel/lib/panel_layout.h"

static void cmd_screen(int argc, char **argv)
{
    enum screen_mode m;

    if (!vga_present()) {
        monitor_error("screen: no VGA card (GR06 reads 0x%02x): the serial "
                      "line is the only console", VGA_NO_CARD);
        return;
    }
    if (argc == 2) {
        if (!screen_mode_parse(argv[1], &m)) {
            monitor_error("screen: '%s': expected live or console", argv[1]);
            return;
        }
        panel_set_mode(m);
    }
    kprintf("screen: %s: ", screen_mode_name(panel_mode()));
    if (panel_mode() == SCREEN_CONSOLE)
        kprintf("the monitor on VGA rows %u-%u\n", PANEL_FIRST_ROW,
                VGA_ROWS - 1);
    else if (panel_shown())
        kprintf("the I/O panel on VGA rows %u-%u, the monitor on rows "
                "%u-%u\n", PANEL_FIRST_ROW, PANEL_CONSOLE_TOP - 1,
                PANEL_CONSOLE_TOP, VGA_ROWS - 1);
    else
        kprintf("the I/O panel waits for 'trace off' (its writes would "
                "fill the trace)\n");
}

const struct command screen_commands[] = {
    { "screen", "[live|console]",
      "the live I/O panel above the monitor, or the monitor alone", 1, 2,
      cmd_screen },
    { 0, 0, 0, 0, 0, 0 },
};
