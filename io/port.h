/*
 * Port-mapped I/O (claim C2): the x86 has a second address space, 64 KiB of
 * "I/O ports", reached only by the IN and OUT instructions. When the CPU runs
 * `out dx, al` it puts the port number on the address bus and asserts the
 * I/O-write line instead of the memory-write line, so RAM ignores the cycle
 * and the chip decoding that port latches the data. `in` is the same with
 * I/O-read. Because only these instructions reach the I/O space, every line
 * of iospace that talks to a port-mapped chip goes through this header
 * (claim C10: port I/O is easy to spot in a listing).
 *
 * Argument order: the port comes first, then the value, as in xv6 and as in
 * Intel's own operand order (`out dx, al`: destination port, then source).
 * Linux's outb(value, port) is the other way round; mind it when comparing.
 *
 * The "memory" clobber stops the compiler from moving RAM loads and stores
 * across a port access: a driver that fills a buffer and then tells the
 * device to read it relies on that order.
 *
 * Each access is also offered to the I/O trace (io/trace.h): one test of a
 * flag when tracing is off.
 *
 * Reference: Intel SDM vol. 1, ch. 19 "Input/Output"; vol. 2, IN and OUT.
 */
#ifndef IO_PORT_H
#define IO_PORT_H

#include "io/trace.h"

#include <stdint.h>


static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    IO_TRACED(IO_PMIO, IO_READ, 8, port, v,
              __asm__ volatile("inb %1, %0"
                               : "=a"(v) : "Nd"(port) : "memory"));
    /* The in instruction writes v; cppcheck does not read asm outputs. */
    /* cppcheck-suppress uninitvar */
    return v;
}

static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    IO_TRACED(IO_PMIO, IO_READ, 16, port, v,
              __asm__ volatile("inw %1, %0"
                               : "=a"(v) : "Nd"(port) : "memory"));
    /* The in instruction writes v; cppcheck does not read asm outputs. */
    /* cppcheck-suppress uninitvar */
    return v;
}

static inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    IO_TRACED(IO_PMIO, IO_READ, 32, port, v,
              __asm__ volatile("inl %1, %0"
                               : "=a"(v) : "Nd"(port) : "memory"));
    /* The in instruction writes v; cppcheck does not read asm outputs. */
    /* cppcheck-suppress uninitvar */
    return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
    IO_TRACED(IO_PMIO, IO_WRITE, 8, port, v,
              __asm__ volatile("outb %0, %1"
                               : : "a"(v), "Nd"(port) : "memory"));
}

static inline void outw(uint16_t port, uint16_t v)
{
    IO_TRACED(IO_PMIO, IO_WRITE, 16, port, v,
              __asm__ volatile("outw %0, %1"
                               : : "a"(v), "Nd"(port) : "memory"));
}

static inline void outl(uint16_t port, uint32_t v)
{
    IO_TRACED(IO_PMIO, IO_WRITE, 32, port, v,
              __asm__ volatile("outl %0, %1"
                               : : "a"(v), "Nd"(port) : "memory"));
}

/*
 * Port 0x80 is the POST-code port: the BIOS writes boot progress there and
 * no device that iospace drives answers to it. An OUT to it is an ISA bus
 * cycle of about 1 us on real hardware, which makes it the classic way to
 * give a slow chip (the 8259 between its ICWs, claim C3) time to settle.
 */
#define IO_WAIT_PORT 0x80

static inline void io_wait(void)
{
    outb(IO_WAIT_PORT, 0);
}

/* Names port 0x80 for the I/O trace (io/port.c). */
void io_port_init(void);

#endif
