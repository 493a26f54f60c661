/*
 * Memory-mapped I/O (claim C1): a device register that answers at a
 * physical memory address. The CPU reaches it with an ordinary `mov`, on
 * the same bus cycle it would use for RAM; the chipset routes the cycle to
 * the device because the device, not RAM, decodes that address (claim C6).
 * Any instruction that can address memory can therefore touch the register
 * (claim C11): `or [reg], eax` is a read-modify-write in one instruction.
 *
 * Two rules make such a `mov` a device access and not just a memory access:
 *  - the pointer is `volatile`, so the compiler emits exactly one load or
 *    store of exactly this width, in program order, never merged, split,
 *    cached in a register or dropped (a read of a status register has side
 *    effects the compiler cannot see);
 *  - the page is mapped cache-disabled (kernel/paging.c), so the CPU's
 *    cache does not absorb the access before it reaches the device.
 *
 * Every MMIO access in iospace goes through these functions, which also
 * offer it to the I/O trace (io/trace.h).
 */
#ifndef IO_MMIO_H
#define IO_MMIO_H

#include "io/trace.h"

#include <stdint.h>


static inline uint8_t mmio_read8(uintptr_t addr)
{
    uint8_t v;
    IO_TRACED(IO_MMIO, IO_READ, 8, addr, v,
              v = *(volatile uint8_t *)addr);
    return v;
}

static inline uint16_t mmio_read16(uintptr_t addr)
{
    uint16_t v;
    IO_TRACED(IO_MMIO, IO_READ, 16, addr, v,
              v = *(volatile uint16_t *)addr);
    return v;
}

static inline uint32_t mmio_read32(uintptr_t addr)
{
    uint32_t v;
    IO_TRACED(IO_MMIO, IO_READ, 32, addr, v,
              v = *(volatile uint32_t *)addr);
    return v;
}

static inline void mmio_write8(uintptr_t addr, uint8_t v)
{
    IO_TRACED(IO_MMIO, IO_WRITE, 8, addr, v,
              *(volatile uint8_t *)addr = v);
}

static inline void mmio_write16(uintptr_t addr, uint16_t v)
{
    IO_TRACED(IO_MMIO, IO_WRITE, 16, addr, v,
              *(volatile uint16_t *)addr = v);
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
    IO_TRACED(IO_MMIO, IO_WRITE, 32, addr, v,
              *(volatile uint32_t *)addr = v);
}

/*
 * The same 32-bit accesses through a temporary mapping (the monitor's
 * window onto a page the kernel has not mapped, kernel/paging.c): the
 * `mov` goes to the virtual address va, and the trace records phys, the
 * address the device or RAM answers at.
 */
static inline uint32_t mmio_read32_via(uintptr_t va, uint32_t phys)
{
    uint32_t v;
    IO_TRACED(IO_MMIO, IO_READ, 32, phys, v, v = *(volatile uint32_t *)va);
    return v;
}

static inline void mmio_write32_via(uintptr_t va, uint32_t phys, uint32_t v)
{
    IO_TRACED(IO_MMIO, IO_WRITE, 32, phys, v,
              *(volatile uint32_t *)va = v);
}

/*
 * Sets bits in a device register with a single instruction, `or [addr],
 * bits`: the CPU reads the register, ORs, and writes it back, all in one
 * instruction (claim C11: every addressing mode works on MMIO). Port I/O
 * cannot do this: `in` and `out` only move data between a port and EAX,
 * so the same change takes an `in`, an `or` and an `out`.
 * The trace records it as one write of the bits ORed in: the read inside
 * the instruction is the CPU's, software never sees its value.
 */
static inline void mmio_or32(uintptr_t addr, uint32_t bits)
{
    IO_TRACED(IO_MMIO, IO_WRITE, 32, addr, bits,
              __asm__ volatile("orl %1, %0"
                               : "+m"(*(volatile uint32_t *)addr)
                               : "ir"(bits)
                               : "memory"));
}

#endif
