#ifndef DRIVERS_PIT8254_H
#define DRIVERS_PIT8254_H

#include <stdbool.h>
#include <stdint.h>

/* The PIT's input clock: 14.31818 MHz (the NTSC colour burst x4) / 12. */
#define PIT_INPUT_HZ 1193182u

/* A port per counter (its count, or what was latched from it) and the
 * control word port. */
#define PIT_CHANNEL0 0x40
#define PIT_CHANNEL2 0x42
#define PIT_COMMAND 0x43
/* Port B of the PC/AT system control, at the 8042's side: channel 2's
 * gate and output, the speaker (PC/AT Technical Reference). */
#define PORT_B 0x61

/* The 8254's Read-Back command (a control word with both select bits
 * set; the 8253 lacks it): latches the status and/or the count of the
 * counters whose CNT bit is set. Bits 5 and 4 are active low: 0 latches
 * the count, 0 the status. The next read of a counter's port returns its
 * status byte (output, null count, mode as programmed); the counter
 * itself runs on untouched. Intel 8254 data sheet, "Read-Back Command". */
#define PIT_READBACK 0xC0
#define PIT_READBACK_NO_COUNT 0x20
#define PIT_READBACK_CNT0 0x02

/* Starts channel 0 as a rate generator pulsing hz times a second. It runs
 * in both interrupt modes: pit_sleep_ms watches its count. False when the
 * count does not move (no 8254 at ports 0x40-0x43): then there is no tick,
 * and every wait on channel 0 returns at once. */
bool pit_init(uint32_t hz);

/* Whether channel 0 counts: pit_init found it so, and no wait has seen it
 * stop since. */
bool pit_counting(void);

uint32_t pit_divisor(void);
/* Channel 0's count as it is now (divisor..1, then the divisor again),
 * read through a latch: the count goes on undisturbed, and so does the
 * tick. */
uint16_t pit_channel0_count(void);
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
