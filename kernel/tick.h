/*
 * The kernel's clock: a tick counter advanced by whichever timer interrupt
 * is the tick source, the PIT on IRQ 0 with the 8259, or the Local APIC's
 * own timer in APIC mode.
 */
#ifndef KERNEL_TICK_H
#define KERNEL_TICK_H

#include <stdbool.h>
#include <stdint.h>

/* Names the source and its real rate in millihertz (a divisor rarely
 * gives exactly the rate asked for). */
void tick_set_source(const char *name, uint32_t millihz);

/* Called by the source's interrupt handler, once per tick. */
void tick_advance(void);

/* Makes PIT channel 0's pulses on IRQ 0 the tick (8259 mode). In APIC
 * mode kernel/irq_apic.c makes the Local APIC timer the tick instead. */
void tick_start_pit(void);

uint64_t tick_count(void);

/* Whether the tick still advances: two ticks within three periods, timed
 * by the TSC (or PIT channel 0 without one), with interrupts on. False
 * when the source's line has been masked or its timer stopped by hand,
 * also when a one-shot's single interrupt is still to come. */
bool tick_running(void);
uint64_t tick_uptime_ms(void);
uint32_t tick_millihz(void);
const char *tick_source(void);

#endif
