/*
 * The I/O trace ring. A record is taken inside the access functions of
 * io/port.h and io/mmio.h, so it sees exactly the accesses the devices see,
 * in the same order: QEMU's own trace of the same window must match it
 * (tests/qemu/test_trace.py checks that).
 */
#include "io/trace.h"

#include "io/port.h"

#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/tick.h"
#include "kernel/tsc.h"
#include "kernel/x86.h"

#define TRACE_RECORDS 8192          /* a power of two; one scroll is ~3900 */
#define TRACE_DEVICES 24

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

/* Port 0x80 belongs to no driver: io_wait's delay write. */
static const char *post_reg_name(uint32_t where, bool write, uint32_t value)
{
    (void)where;
    (void)value;
    return write ? "delay (io_wait)" : 0;
}

static const struct io_trace_device post_port = {
    "post", IO_PMIO, IO_WAIT_PORT, IO_WAIT_PORT, post_reg_name,
};

void io_trace_init(void)
{
    io_trace_add_device(&post_port);
}

static uint64_t now(void)
{
    return (cpu.features_edx & CPUID_1_EDX_TSC) ? rdtsc() : tick_count();
}

void io_trace_record(enum io_mechanism mech, enum io_direction dir,
                     uint8_t bits, uint32_t where, uint32_t value)
{
    /* An interrupt handler may access devices too: take the slot with
     * interrupts off so two records never share one. */
    uint32_t flags = read_eflags();
    cli();
    struct io_record *r = &ring[total % TRACE_RECORDS];
    total++;
    write_eflags(flags);
    r->time = now();
    r->where = where;
    r->value = value;
    r->mech = (uint8_t)mech;
    r->dir = (uint8_t)dir;
    r->bits = bits;
}

bool io_trace_add_device(const struct io_trace_device *dev)
{
    if (device_count == TRACE_DEVICES)
        return false;
    devices[device_count++] = dev;
    return true;
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

void io_trace_dump(uint32_t n)
{
    bool was_on = io_trace_on;
    io_trace_on = false;

    uint32_t held = io_trace_count();
    if (n > held)
        n = held;
    uint64_t first = total - n;
    kprintf("%u of %u records (%llu made); time in %s since the first shown\n",
            n, held, (unsigned long long)(total - cleared_at),
            (cpu.features_edx & CPUID_1_EDX_TSC) ? "TSC cycles" : "ticks");
    kprintf("      time mech insn bits where    value  device register\n");
    for (uint64_t i = first; i < first + n; i++) {
        const struct io_record *r = &ring[i % TRACE_RECORDS];
        const struct io_trace_device *dev = device_of(r);
        const char *reg = dev && dev->reg_name
                              ? dev->reg_name(r->where, r->dir == IO_WRITE,
                                              r->value)
                              : 0;
        bool pmio = r->mech == IO_PMIO;
        /* The instruction: in/out for ports, mov for memory either way. */
        const char *insn = !pmio ? "mov" : r->dir == IO_WRITE ? "out" : "in";
        kprintf("%10llu %s %-3s %2u 0x%0*x %s 0x%0*x  %-6s %s\n",
                (unsigned long long)(r->time - ring[first % TRACE_RECORDS].time),
                pmio ? "PMIO" : "MMIO", insn, r->bits, pmio ? 4 : 8, r->where,
                r->dir == IO_WRITE ? "<-" : "->", r->bits / 4, r->value,
                dev ? dev->name : "?", reg ? reg : "");
    }
    io_trace_on = was_on;
}
