/*
 * The live panel: once the kernel has booted, the top of the VGA screen
 * shows every device iospace drives, port-mapped beside memory-mapped,
 * with counters that move; the monitor gets the rows below. The layout is
 * kernel/lib/panel_layout.c; panel.c reads the counters from the drivers and
 * writes the cells that changed. VGA only: the serial line carries the
 * monitor as before.
 */
#ifndef KERNEL_PANEL_H
#define KERNEL_PANEL_H

#include "kernel/lib/cmdline.h"

#include <stdbool.h>

/* The end of boot: from now on the panel may draw, in the given mode
 * (screen= on the command line). */
void panel_start(enum screen_mode mode);

/* `screen live|console`: the panel above the monitor, or the monitor on
 * the whole screen. Live redraws every cell of the panel. */
void panel_set_mode(enum screen_mode mode);
enum screen_mode panel_mode(void);

/* Whether the panel holds its rows now. It does from its first drawing,
 * which waits while the I/O trace is on. */
bool panel_shown(void);

/* Called where the kernel waits with nothing else to do (the monitor
 * waiting for a key, `recv` for a byte), after each interrupt: draws the
 * panel when an update is due. */
void panel_poll(void);

/* The I/O trace is being switched: call with true before it goes on (the
 * panel draws "paused" one last time, then stops), with false after it
 * went off. */
void panel_trace(bool on);

#endif
