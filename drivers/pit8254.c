/*
 * The 8253/8254 Programmable Interval Timer: three 16-bit down-counters fed
 * by a 1.193182 MHz clock, all port-mapped (claim C2).
 *
 * - Channel 0 drives IRQ 0. As a rate generator (mode 2) reloaded with a
 *   divisor N it pulses its output every N input clocks: 1193182 / N
 *   interrupts a second. kernel/tick.c makes it the kernel's tick with
 *   the 8259.
 * - Channel 2's gate and output are wired to the keyboard controller's
 *   "port B" at 0x61 (it also drives the PC speaker). In mode 0 it counts
 *   down once and raises its output at zero, readable in port B: a
 *   stopwatch the CPU can poll, used to measure the TSC's frequency.
 *
 * Reference: Intel 8254 data sheet (order no. 231164), "Control Word
 * Format", "Mode 0", "Mode 2"; IBM PC/AT Technical Reference for port 0x61.
 */
#include "drivers/pit8254.h"

#include "io/port.h"
#include "kernel/lib/units.h"

/* Control word: channel (bits 7..6), access (5..4), mode (3..1), BCD (0). */
#define PIT_SELECT_CHANNEL0 0x00
#define PIT_SELECT_CHANNEL2 0x80
#define PIT_ACCESS_LATCH 0x00   /* freeze the count for reading */
#define PIT_ACCESS_LOHI 0x30    /* low byte, then high byte */
#define PIT_MODE_ONESHOT 0x00   /* mode 0: interrupt on terminal count */
#define PIT_MODE_RATE 0x04      /* mode 2: rate generator */

/* Port B of the PC/AT system control (PORT_B, pit8254.h). */
#define PORT_B_TIMER2_GATE 0x01     /* channel 2 counts while set */
#define PORT_B_SPEAKER_DATA 0x02    /* channel 2's output to the speaker */
#define PORT_B_TIMER2_OUT 0x20      /* channel 2's output, read-only */

#define PIT_MAX_DIVISOR 65535u

static const char *pit_reg_name(uint32_t port, bool write, uint32_t value)
{
    (void)value;
    switch (port) {
    case PIT_CHANNEL0:
        return write ? "channel 0 count" : "channel 0 latched count";
    case PIT_CHANNEL2:
        return write ? "channel 2 count" : "channel 2 latched count";
    case PIT_COMMAND:
        return "control word";
    case PORT_B:
        return "port B (gate 2, speaker, OUT2)";
    }
    return 0;
}

static const struct io_trace_device trace_pit = {
    "pit", IO_PMIO, PIT_CHANNEL0, PIT_COMMAND, pit_reg_name,
};
static const struct io_trace_device trace_port_b = {
    "portb", IO_PMIO, PORT_B, PORT_B, pit_reg_name,
};
/* Reads of channel 0 in a row that find the same count before a wait
 * gives up on it. The count moves every 838 ns and a read (an out and two
 * ins) takes over a microsecond on ISA, so a working counter never reads
 * the same this many times; a missing one reads 0xFFFF forever. */
#define PIT_STUCK_READS 100000u

static uint32_t divisor;
static uint32_t requested_hz;
static bool counting;

static uint64_t count_clocks(uint64_t clocks);

bool pit_init(uint32_t hz)
{
    io_trace_add_device(&trace_pit);
    io_trace_add_device(&trace_port_b);
    requested_hz = hz;
    /* lab pit: begin channel0 */
    /* The nearest divisor; callers keep hz in 19..10000, so it fits. */
    divisor = (PIT_INPUT_HZ + hz / 2) / hz;
    if (divisor > PIT_MAX_DIVISOR)
        divisor = PIT_MAX_DIVISOR;
    outb(PIT_COMMAND, PIT_SELECT_CHANNEL0 | PIT_ACCESS_LOHI | PIT_MODE_RATE);
    outb(PIT_CHANNEL0, divisor & 0xFF);
    outb(PIT_CHANNEL0, divisor >> 8);
    /* lab pit: end channel0 */
    /* Does it count? One clock is enough to tell. */
    counting = true;
    count_clocks(1);
    return counting;
}

bool pit_counting(void)
{
    return counting;
}

uint32_t pit_divisor(void)
{
    return divisor;
}

uint32_t pit_requested_hz(void)
{
    return requested_hz;
}

uint32_t pit_actual_millihz(void)
{
    return divisor ? (uint32_t)((uint64_t)PIT_INPUT_HZ * MS_PER_S / divisor)
                   : 0;
}

/* The latch command copies the counter to an output latch, read low byte
 * then high byte, so the two halves belong to the same moment. */
uint16_t pit_channel0_count(void)
{
    outb(PIT_COMMAND, PIT_SELECT_CHANNEL0 | PIT_ACCESS_LATCH);
    uint8_t low = inb(PIT_CHANNEL0);
    return (uint16_t)(inb(PIT_CHANNEL0) << 8 | low);
}

/* Counts the input clocks going by on channel 0 itself rather than
 * waiting for ticks, so it ends even with IRQ 0 masked or interrupts off.
 * In mode 2 the counter runs from the divisor down to 1, then reloads;
 * polls further apart than one period lose that period, so the wait may be
 * longer than asked, never shorter. A count that stops moving ends the
 * wait early and clears `counting`. */
static uint64_t count_clocks(uint64_t clocks)
{
    uint64_t gone = 0;
    uint32_t same = 0;
    uint16_t prev = pit_channel0_count();
    while (gone < clocks) {
        uint16_t now = pit_channel0_count();
        if (now == prev) {
            if (++same == PIT_STUCK_READS) {
                counting = false;
                break;
            }
            continue;
        }
        same = 0;
        gone += now < prev ? (uint32_t)(prev - now)
                           : (uint32_t)(prev + divisor - now);
        prev = now;
    }
    return gone;
}

uint64_t pit_wait_clocks(uint64_t clocks)
{
    return counting ? count_clocks(clocks) : 0;
}

bool pit_sleep_ms(uint32_t ms)
{
    uint64_t clocks = (uint64_t)ms * PIT_INPUT_HZ / MS_PER_S;
    return pit_wait_clocks(clocks) >= clocks;
}

void pit_oneshot_start(uint16_t count)
{
    /* Gate on, speaker off; in mode 0 writing the count starts it. */
    outb(PORT_B, (inb(PORT_B) & ~PORT_B_SPEAKER_DATA) | PORT_B_TIMER2_GATE);
    outb(PIT_COMMAND, PIT_SELECT_CHANNEL2 | PIT_ACCESS_LOHI
                      | PIT_MODE_ONESHOT);
    outb(PIT_CHANNEL2, count & 0xFF);
    outb(PIT_CHANNEL2, count >> 8);
}

bool pit_oneshot_done(void)
{
    return (inb(PORT_B) & PORT_B_TIMER2_OUT) != 0;
}

void pit_oneshot_stop(void)
{
    outb(PORT_B, inb(PORT_B) & ~(PORT_B_TIMER2_GATE | PORT_B_SPEAKER_DATA));
}
