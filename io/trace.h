/*
 * The I/O trace: every device access that goes through io/port.h and
 * io/mmio.h, recorded in a ring buffer when tracing is on. Off, it costs
 * each access one test of io_trace_on, a branch the CPU predicts right.
 *
 * Drivers describe their devices (io_trace_add_device) so that a dump can
 * name the register, not just the port or address: "pic OCW2", "lapic EOI".
 */
#ifndef IO_TRACE_H
#define IO_TRACE_H

#include "kernel/x86.h"

#include <stdbool.h>
#include <stdint.h>

enum io_mechanism { IO_PMIO, IO_MMIO };
enum io_direction { IO_READ, IO_WRITE };

/* Read by every access; written only by io_trace_set. */
extern volatile bool io_trace_on;

void io_trace_record(enum io_mechanism mech, enum io_direction dir,
                     uint8_t bits, uint32_t where, uint32_t value);

/* Interrupts off around an access and its record, so that an interrupt
 * handler's accesses cannot be recorded in between: the trace keeps the
 * order the devices saw. Returns the flags io_trace_leave restores. */
static inline uint32_t io_trace_enter(void)
{
    return irq_save();
}

static inline void io_trace_leave(uint32_t flags)
{
    irq_restore(flags);
}

/* Runs `access` (one in/out or one device mov); when tracing is on, as one
 * step with its record. */
#define IO_TRACED(mech, dir, bits, where, value, access)                  \
    do {                                                                  \
        if (__builtin_expect(io_trace_on, 0)) {                           \
            uint32_t flags_ = io_trace_enter();                           \
            access;                                                       \
            io_trace_record(mech, dir, bits, (uint32_t)(where), value);   \
            io_trace_leave(flags_);                                       \
        } else {                                                          \
            access;                                                       \
        }                                                                 \
    } while (0)

/* A device's range, for naming accesses in a dump. reg_name returns the
 * register's name for an access (the same port can be two registers: the
 * UART's RBR when read, THR when written; the value can tell, as for the
 * 8259's ICW1, OCW2 and OCW3 on one port), or NULL. */
struct io_trace_device {
    const char *name;
    enum io_mechanism mech;
    uint32_t first, last;
    const char *(*reg_name)(uint32_t where, bool write, uint32_t value);
};

/* The clock records are timed by, and its unit for a reader ("TSC
 * cycles"); until it is set, every record's time is 0. kmain picks it
 * (the TSC when the CPU has one, else the kernel's ticks): io/ knows no
 * clock of the kernel's. */
void io_trace_set_clock(uint64_t (*clock)(void), const char *unit);

/* Registers a device; false when the table is full: the device's
 * accesses are still recorded, without a name, and the refusal counted. */
bool io_trace_add_device(const struct io_trace_device *dev);
unsigned io_trace_devices_named(void);      /* registered */
unsigned io_trace_devices_room(void);       /* the table's size */
unsigned io_trace_devices_refused(void);    /* offered to a full table */

void io_trace_set(bool on);
void io_trace_clear(void);
uint32_t io_trace_count(void);      /* records held */
uint64_t io_trace_made(void);       /* records made since the last clear */
const char *io_trace_clock_unit(void);

/* A record as the monitor's `trace dump` shows it (kernel/monitor/
 * cmd_trace.c prints them), with the names of its device and register. */
struct io_trace_entry {
    uint64_t time;                  /* in io_trace_clock_unit() */
    enum io_mechanism mech;
    enum io_direction dir;
    uint8_t bits;
    uint32_t where, value;
    const char *device, *reg;       /* NULL when unknown */
};

/* The record made age records ago (1: the newest), 1 <= age <=
 * io_trace_count(). */
struct io_trace_entry io_trace_entry(uint32_t age);

#endif
