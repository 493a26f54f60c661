#ifndef DRIVERS_PIT8254_H
#define DRIVERS_PIT8254_H

#include <stdbool.h>
#include <stdint.h>

/* The PIT's input clock: 14.31818 MHz (the NTSC colour burst x4) / 12. */
#define PIT_INPUT_HZ 1193182u

/* Starts channel 0 as a rate generator pulsing hz times a second. It runs
 * in both interrupt modes: pit_sleep_ms watches its count. False when the
 * count does not move (no 8254 at ports 0x40-0x43): then there is no tick,
 * and every wait on channel 0 returns at once. */
bool pit_init(uint32_t hz);

/* Whether channel 0 counts: pit_init found it so, and no wait has seen it
 * stop since. */
bool pit_counting(void);

/* Makes channel 0's pulses on IRQ 0 the kernel's tick (8259 mode). */
void pit_start_ticking(void);

uint32_t pit_divisor(void);
uint32_t pit_requested_hz(void);
/* The rate the divisor really gives, in millihertz (1193182/divisor). */
uint32_t pit_actual_millihz(void);
/* Waits at least ms milliseconds by watching channel 0 count (interrupts
 * may be off). False, at once or when the count stops, when channel 0
 * does not count. */
bool pit_sleep_ms(uint32_t ms);

/* Waits until at least `clocks` input clocks have gone by on channel 0
 * and returns how many did: a stopwatch for calibrating other timers.
 * Fewer only when channel 0 does not count (0 at once, or what went by
 * before it stopped). */
uint64_t pit_wait_clocks(uint64_t clocks);

/* Channel 2 as a one-shot stopwatch, gated through port 0x61: starts
 * counting count input clocks down from now; pit_oneshot_done() turns true
 * when they have passed. */
void pit_oneshot_start(uint16_t count);
bool pit_oneshot_done(void);
void pit_oneshot_stop(void);

#endif
