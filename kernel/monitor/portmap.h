/*
 * The I/O ports iospace knows, one range per device, sorted: `map` prints
 * them, and the monitor's in and out refuse an access that runs past the
 * end of one (kernel/lib/write_guard.c).
 */
#ifndef KERNEL_MONITOR_PORTMAP_H
#define KERNEL_MONITOR_PORTMAP_H

#include "kernel/lib/addrmap.h"

extern const struct portmap_range portmap[];
extern const unsigned portmap_count;

#endif
