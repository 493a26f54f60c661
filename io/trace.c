/*
 * The I/O trace ring. A record is taken inside the access functions of
 * io/port.h and io/mmio.h, so it sees exactly the accesses the devices see,
 * in the same order: QEMU's own trace of the same window must match it
 * (tests/qemu/test_trace.py checks that).
 */
#include "io/trace.h"

#include "kernel/x86.h"

#define TRACE_RECORDS 8192          /* a power of two; one scroll is ~3900 */
/* Register windows named in a dump: 26 registered on q35 with the edu
 * and an AHCI disk, the most of any machine the tests boot; a full table
 * leaves the rest unnamed (counted, and `trace` says so), so keep room. */
#define TRACE_DEVICES 48

struct io_record {
    uint64_t time;                  /* TSC cycles, or ticks without a TSC */
    uint32_t where;                 /* port, or physical address */
    uint32_t value;
    uint8_t mech, dir, bits;
};

volatile bool io_trace_on;

static struct io_record ring[TRACE_RECORDS];
static uint64_t total;              /* records ever made; ring[total % N] next */
static uint64_t cleared_at;         /* total when last cleared */
static const struct io_trace_device *devices[TRACE_DEVICES];
static unsigned device_count;
static unsigned devices_refused;    /* offered to a full table */
static uint64_t (*clock_fn)(void);
static const char *clock_unit = "(no clock)";

void io_trace_set_clock(uint64_t (*clock)(void), const char *unit)
{
    clock_fn = clock;
    clock_unit = unit;
}

const char *io_trace_clock_unit(void)
{
    return clock_unit;
}

static uint64_t now(void)
{
    return clock_fn ? clock_fn() : 0;
}

void io_trace_record(enum io_mechanism mech, enum io_direction dir,
                     uint8_t bits, uint32_t where, uint32_t value)
{
    /* An interrupt handler may access devices too: take the slot with
     * interrupts off so two records never share one. */
    uint32_t flags = irq_save();
    struct io_record *r = &ring[total % TRACE_RECORDS];
    total++;
    irq_restore(flags);
    r->time = now();
    r->where = where;
    r->value = value;
    r->mech = (uint8_t)mech;
    r->dir = (uint8_t)dir;
    r->bits = bits;
}

bool io_trace_add_device(const struct io_trace_device *dev)
{
    if (device_count == TRACE_DEVICES) {
        devices_refused++;
        return false;
    }
    devices[device_count++] = dev;
    return true;
}

unsigned io_trace_devices_named(void)
{
    return device_count;
}

unsigned io_trace_devices_room(void)
{
    return TRACE_DEVICES;
}

unsigned io_trace_devices_refused(void)
{
    return devices_refused;
}

void io_trace_set(bool on)
{
    io_trace_on = on;
}

void io_trace_clear(void)
{
    cleared_at = total;
}

uint32_t io_trace_count(void)
{
    uint64_t held = total - cleared_at;
    return held > TRACE_RECORDS ? TRACE_RECORDS : (uint32_t)held;
}

static const struct io_trace_device *device_of(const struct io_record *r)
{
    for (unsigned i = 0; i < device_count; i++)
        if (devices[i]->mech == r->mech && r->where >= devices[i]->first
            && r->where <= devices[i]->last)
            return devices[i];
    return 0;
}

uint64_t io_trace_made(void)
{
    return total - cleared_at;
}

struct io_trace_entry io_trace_entry(uint32_t age)
{
    const struct io_record *r = &ring[(total - age) % TRACE_RECORDS];
    const struct io_trace_device *dev = device_of(r);
    return (struct io_trace_entry){
        .time = r->time,
        .mech = (enum io_mechanism)r->mech,
        .dir = (enum io_direction)r->dir,
        .bits = r->bits,
        .where = r->where,
        .value = r->value,
        .device = dev ? dev->name : 0,
        .reg = dev && dev->reg_name
                   ? dev->reg_name(r->where, r->dir == IO_WRITE, r->value)
                   : 0,
    };
}
