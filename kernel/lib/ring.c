#include "kernel/lib/ring.h"

bool ring_init(struct ring *r, uint8_t *buf, uint32_t capacity)
{
    if (capacity == 0 || (capacity & (capacity - 1)) != 0)
        return false;
    r->buf = buf;
    r->capacity = capacity;
    r->head = 0;
    r->tail = 0;
    return true;
}

uint32_t ring_count(const struct ring *r)
{
    return r->head - r->tail;
}

bool ring_put(struct ring *r, uint8_t byte)
{
    uint32_t head = r->head;
    if (head - r->tail == r->capacity)
        return false;
    r->buf[head & (r->capacity - 1)] = byte;
    r->head = head + 1;     /* publish only after the byte is stored */
    return true;
}

bool ring_get(struct ring *r, uint8_t *byte)
{
    uint32_t tail = r->tail;
    if (r->head == tail)
        return false;
    *byte = r->buf[tail & (r->capacity - 1)];
    r->tail = tail + 1;
    return true;
}
