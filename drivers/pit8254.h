#ifndef DRIVERS_PIT8254_H
#define DRIVERS_PIT8254_H

#include <stdbool.h>
#include <stdint.h>

/* The PIT's input clock: 14.31818 MHz (the NTSC colour burst x4) / 12. */
#define PIT_INPUT_HZ 1193182u

/* Starts channel 0 as a rate generator interrupting hz times a second on
 * IRQ 0, and counts the ticks. */
void pit_init(uint32_t hz);

uint64_t pit_ticks(void);
uint32_t pit_divisor(void);
uint32_t pit_requested_hz(void);
/* The rate the divisor really gives, in millihertz (1193182/divisor). */
uint32_t pit_actual_millihz(void);
/* Milliseconds since pit_init, from the tick count. */
uint64_t pit_uptime_ms(void);

/* Waits at least ms milliseconds by watching channel 0 count (interrupts
 * may be off). False at once when pit_init has not run. */
bool pit_sleep_ms(uint32_t ms);

/* Channel 2 as a one-shot stopwatch, gated through port 0x61: starts
 * counting count input clocks down from now; pit_oneshot_done() turns true
 * when they have passed. */
void pit_oneshot_start(uint16_t count);
bool pit_oneshot_done(void);
void pit_oneshot_stop(void);

#endif
