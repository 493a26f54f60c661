/*
 * A byte ring buffer with one producer and one consumer: an interrupt
 * handler puts, the main loop gets. Pure C, host-tested.
 *
 * The indexes run freely and wrap at 2^32; head - tail is the fill level.
 * Only the producer writes head and only the consumer writes tail, and a
 * 32-bit aligned store is atomic on x86, so neither side needs to turn
 * interrupts off. `volatile` makes each side re-read the other's index.
 */
#ifndef KERNEL_RING_H
#define KERNEL_RING_H

#include <stdbool.h>
#include <stdint.h>

struct ring {
    uint8_t *buf;
    uint32_t capacity;          /* a power of two */
    volatile uint32_t head;     /* next slot to fill */
    volatile uint32_t tail;     /* next slot to empty */
};

/* capacity must be a power of two; false otherwise. */
bool ring_init(struct ring *r, uint8_t *buf, uint32_t capacity);
bool ring_put(struct ring *r, uint8_t byte);        /* false when full */
bool ring_get(struct ring *r, uint8_t *byte);       /* false when empty */
uint32_t ring_count(const struct ring *r);

#endif
