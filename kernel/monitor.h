#ifndef KERNEL_MONITOR_H
#define KERNEL_MONITOR_H

/* The interactive monitor: reads lines from the console, runs commands.
 * Never returns. */
void monitor_run(void) __attribute__((noreturn));

#endif
