#ifndef DRIVERS_PIT8254_H
#define DRIVERS_PIT8254_H

#include <stdbool.h>
#include <stdint.h>

/* The PIT's input clock: 14.31818 MHz (the NTSC colour burst x4) / 12. */
#define PIT_INPUT_HZ 1193182u

/* Starts channel 0 as a rate generator pulsing hz times a second. It runs
 * in both interrupt modes: pit_sleep_ms watches its count. */
void pit_init(uint32_t hz);

/* Makes channel 0's pulses on IRQ 0 the kernel's tick (8259 mode). */
void pit_start_ticking(void);

uint32_t pit_divisor(void);
uint32_t pit_requested_hz(void);
/* The rate the divisor really gives, in millihertz (1193182/divisor). */
uint32_t pit_actual_millihz(void);
/* Waits at least ms milliseconds by watching channel 0 count (interrupts
 * may be off). False at once when pit_init has not run. */
bool pit_sleep_ms(uint32_t ms);

/* Waits until at least `clocks` input clocks have gone by on channel 0
 * and returns how many did: a stopwatch for calibrating other timers.
 * Only after pit_init. */
uint64_t pit_wait_clocks(uint64_t clocks);

/* Channel 2 as a one-shot stopwatch, gated through port 0x61: starts
 * counting count input clocks down from now; pit_oneshot_done() turns true
 * when they have passed. */
void pit_oneshot_start(uint16_t count);
bool pit_oneshot_done(void);
void pit_oneshot_stop(void);

#endif
