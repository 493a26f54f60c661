/*
 * The two Intel 8237A DMA controllers of the PC/AT (claim C7).
 *
 * A DMA controller moves data between a device and memory without the CPU
 * moving it: the device raises its DREQ line, the 8237 takes the bus from
 * the CPU (HRQ/HLDA), puts a memory address on it and asserts the device's
 * DACK together with memory-write (or memory-read) and I/O-read (or
 * I/O-write), so the byte goes straight from the device onto the memory
 * bus. The 8237 counts the address up and the count down, and at the last
 * transfer (terminal count, TC) tells the device to stop. The CPU only
 * programs the channel beforehand and hears the end from the device's
 * interrupt. The 8237 itself is port-mapped (claim C2); the memory it
 * writes is plain RAM: DMA is a third party on the bus, independent of how
 * the device's registers are reached.
 *
 * The AT has two 8237s. The first (ports 0x00-0x0F) serves channels 0-3
 * and moves bytes; the second (ports 0xC0-0xDF) serves channels 4-7 and
 * moves words: its A0 pin is wired to A1, so its registers sit 2 ports
 * apart. The first hangs on the second's channel 4 (cascade). Each channel
 * also has a page register (74LS612 on the AT board, ports 0x81-0x8F) for
 * the address bits the 8237 does not count. The rules that follow from
 * this wiring are in kernel/lib/dma_rules.c. x86 DMA is cache-coherent: the
 * CPU's caches snoop the 8237's bus cycles, so no flush is needed.
 *
 * Reference: Intel 8237A data sheet (order no. 231466), "Register
 * Description", "Software Commands" (figure 6), "Programming" and figure 7
 * "Word Count and Address Register Command Codes"; IBM PC/AT Technical
 * Reference, "DMA Controller" and "Page Register Addresses".
 */
#include "drivers/dma8237.h"

#include "io/port.h"
#include "io/trace.h"
#include "kernel/paging.h"
#include "kernel/x86.h"

/* Register numbers, the A3-A0 inputs of the chip (figures 6 and 7). The
 * first controller decodes them at ports 0x00 + n, the second at
 * 0xC0 + 2n. */
#define REG_CHANNEL_ADDRESS(ch) (2 * (ch))      /* base/current address */
#define REG_CHANNEL_COUNT(ch) (2 * (ch) + 1)    /* base/current count */
#define REG_STATUS 0x8          /* read */
#define REG_COMMAND 0x8         /* write */
#define REG_REQUEST 0x9         /* write: a software DREQ */
#define REG_SINGLE_MASK 0xA     /* write: one channel's mask bit */
#define REG_MODE 0xB            /* write */
#define REG_CLEAR_FLIP_FLOP 0xC /* write: any value */
#define REG_MASTER_CLEAR 0xD    /* write: same as the RESET pin */
#define REG_CLEAR_MASK 0xE      /* write: unmask all four */
#define REG_WRITE_ALL_MASK 0xF  /* write: four mask bits at once */

/* Single mask register: bits 1-0 channel, bit 2 set = mask, clear =
 * unmask ("Register Description": Mask Register). */
#define SINGLE_MASK_SET 0x04
#define CHANNEL_BITS 0x03

/* Page registers by channel (PC/AT Technical Reference). 0x8F, channel
 * 4's, is there but unused: the cascade moves no data. The others in
 * PAGE_PORTS_FIRST..PAGE_PORTS_LAST are spare latches. */
static const uint16_t page_port[DMA_CHANNELS] = {
    0x87, 0x83, 0x81, 0x82, 0x8F, 0x8B, 0x89, 0x8A,
};

#define BYTE_BITS 8
#define LOW_BYTE 0xFFu

/* Verify mode moves nothing: a parked channel that saw a stray DREQ would
 * not touch memory even if it were unmasked. */
#define PARKED_MODE (DMA_MODE_SINGLE | DMA_MODE_VERIFY)

/* The DMA buffer pool: 64 KiB aligned to 64 KiB inside the kernel's .bss.
 * The kernel is loaded at 1 MiB, so the pool lies far below 16 MiB, and
 * as one aligned 64 KiB block it cannot cross a 64 KiB (or 128 KiB)
 * boundary. Allocations are aligned for word channels too. */
#define POOL_SIZE DMA_BYTE_BLOCK
#define POOL_ALIGN 16u

static uint8_t pool[POOL_SIZE] __attribute__((aligned(DMA_BYTE_BLOCK)));
static uint32_t pool_used;

static uint8_t mode_written[DMA_CHANNELS];
static uint8_t masked;                  /* bit per channel, as written */
static struct dma_io_counts io;
static struct dma_totals totals;

static uint16_t reg_port(unsigned channel, unsigned reg)
{
    return dma_channel_is_16bit(channel)
               ? (uint16_t)(DMA2_BASE + (reg << DMA2_SPACING_SHIFT))
               : (uint16_t)(DMA1_BASE + (reg << DMA1_SPACING_SHIFT));
}

static unsigned local(unsigned channel)
{
    return channel % DMA_CHANNELS_PER_CONTROLLER;
}

static void dma_out(uint16_t port, uint8_t v)
{
    io.outs++;
    outb(port, v);
}

static uint8_t dma_in(uint16_t port)
{
    io.ins++;
    return inb(port);
}

void dma_mask(unsigned channel)
{
    dma_out(reg_port(channel, REG_SINGLE_MASK),
            (uint8_t)(SINGLE_MASK_SET | local(channel)));
    masked |= (uint8_t)(1u << channel);
}

void dma_unmask(unsigned channel)
{
    dma_out(reg_port(channel, REG_SINGLE_MASK), (uint8_t)local(channel));
    masked &= (uint8_t)~(1u << channel);
}

void dma_clear_flip_flop(unsigned channel)
{
    dma_out(reg_port(channel, REG_CLEAR_FLIP_FLOP), 0);
}

void dma_set_mode(unsigned channel, uint8_t mode)
{
    dma_out(reg_port(channel, REG_MODE),
            (uint8_t)((mode & ~CHANNEL_BITS) | local(channel)));
    mode_written[channel] = mode & (uint8_t)~CHANNEL_BITS;
}

/* A 16-bit register through the 8-bit port: low byte, then high byte. The
 * flip-flop inside the chip says which byte comes next. */
static void write16(uint16_t port, uint16_t v)
{
    dma_out(port, (uint8_t)(v & LOW_BYTE));
    dma_out(port, (uint8_t)(v >> BYTE_BITS));
}

static uint16_t read16(uint16_t port)
{
    uint8_t low = dma_in(port);
    return (uint16_t)(dma_in(port) << BYTE_BITS | low);
}

void dma_set_address(unsigned channel, uint8_t page, uint16_t address)
{
    write16(reg_port(channel, REG_CHANNEL_ADDRESS(local(channel))), address);
    dma_out(page_port[channel], page);
}

void dma_set_count(unsigned channel, uint16_t count)
{
    write16(reg_port(channel, REG_CHANNEL_COUNT(local(channel))), count);
}

/* Reads one of a channel's two 16-bit registers. The flip-flop is shared
 * by all four channels of a controller: with interrupts on, a handler
 * programming another channel between our two reads would swap the
 * bytes. */
static uint16_t read_channel_reg(unsigned channel, unsigned reg)
{
    uint32_t flags = irq_save();
    dma_clear_flip_flop(channel);
    uint16_t v = read16(reg_port(channel, reg));
    irq_restore(flags);
    return v;
}

uint16_t dma_read_count(unsigned channel)
{
    return read_channel_reg(channel, REG_CHANNEL_COUNT(local(channel)));
}

uint8_t dma_read_status(unsigned channel)
{
    return dma_in(reg_port(channel, REG_STATUS));
}

/* Register names for the I/O trace (io/trace.h): the 16 registers of
 * either controller, by direction, then the page registers. */
static const char *const address_name[DMA_CHANNELS] = {
    "ch0 address", "ch1 address", "ch2 address", "ch3 address",
    "ch4 address", "ch5 address", "ch6 address", "ch7 address",
};
static const char *const count_name[DMA_CHANNELS] = {
    "ch0 count", "ch1 count", "ch2 count", "ch3 count",
    "ch4 count", "ch5 count", "ch6 count", "ch7 count",
};
static const char *const page_name[DMA_CHANNELS] = {
    "ch0 page", "ch1 page", "ch2 page", "ch3 page",
    "ch4 page", "ch5 page", "ch6 page", "ch7 page",
};

static const char *control_reg_name(unsigned reg, bool write)
{
    switch (reg) {
    case REG_COMMAND:
        return write ? "command" : "status";
    case REG_REQUEST:
        return write ? "request" : 0;
    case REG_SINGLE_MASK:
        return write ? "single mask" : 0;
    case REG_MODE:
        return write ? "mode" : 0;
    case REG_CLEAR_FLIP_FLOP:
        return write ? "clear flip-flop" : 0;
    case REG_MASTER_CLEAR:
        return write ? "master clear" : "temporary";
    case REG_CLEAR_MASK:
        return write ? "clear mask" : 0;
    case REG_WRITE_ALL_MASK:
        return write ? "write all mask" : 0;
    }
    return 0;
}

static const char *dma_reg_name(uint32_t port, bool write, uint32_t value)
{
    (void)value;
    bool second = port >= DMA2_BASE;
    unsigned reg = second ? (port - DMA2_BASE) >> DMA2_SPACING_SHIFT
                          : (port - DMA1_BASE) >> DMA1_SPACING_SHIFT;
    unsigned first_channel = second ? DMA_CHANNELS_PER_CONTROLLER : 0;
    if (second && (port - DMA2_BASE) % (1u << DMA2_SPACING_SHIFT))
        return 0;           /* the odd ports in between decode nothing */
    if (reg < REG_STATUS) {
        unsigned ch = first_channel + reg / 2;
        return reg % 2 ? count_name[ch] : address_name[ch];
    }
    return control_reg_name(reg, write);
}

static const char *page_reg_name(uint32_t port, bool write, uint32_t value)
{
    (void)write;
    (void)value;
    for (unsigned ch = 0; ch < DMA_CHANNELS; ch++)
        if (page_port[ch] == port)
            return page_name[ch];
    return 0;
}

static const struct io_trace_device trace_dma1 = {
    "dma1", IO_PMIO, DMA1_BASE, DMA1_PORTS_LAST, dma_reg_name,
};
static const struct io_trace_device trace_dma2 = {
    "dma2", IO_PMIO, DMA2_BASE, DMA2_PORTS_LAST, dma_reg_name,
};
static const struct io_trace_device trace_pages = {
    "dmapg", IO_PMIO, PAGE_PORTS_FIRST, PAGE_PORTS_LAST, page_reg_name,
};

void dma_init(void)
{
    io_trace_add_device(&trace_dma1);
    io_trace_add_device(&trace_dma2);
    io_trace_add_device(&trace_pages);

    /* Master clear: command, status, request and flip-flop to 0, all four
     * mask bits set (data sheet, "Software Commands"). The command
     * register's 0 means: controller enabled, fixed priority, normal
     * timing, DREQ active high, DACK active low, as the AT wires them. */
    dma_out(reg_port(0, REG_MASTER_CLEAR), 0);
    dma_out(reg_port(DMA_CASCADE_CHANNEL, REG_MASTER_CLEAR), 0);
    masked = (uint8_t)~0u;
    for (unsigned ch = 0; ch < DMA_CHANNELS; ch++)
        if (ch != DMA_CASCADE_CHANNEL)
            dma_set_mode(ch, PARKED_MODE);
    /* The first controller's HRQ reaches the CPU through the second's
     * channel 4: cascade mode, unmasked, or channels 0-3 never run. */
    dma_set_mode(DMA_CASCADE_CHANNEL, DMA_MODE_CASCADE);
    dma_unmask(DMA_CASCADE_CHANNEL);
}

/* The 8237 drives physical addresses onto the bus. The kernel maps itself
 * 1:1, so a kernel pointer is its physical address, but only if every
 * page of the buffer really is mapped to itself. */
static bool identity_mapped(uint32_t addr, uint32_t len)
{
    for (uint32_t page = addr & PTE_FRAME_MASK;
         page <= ((addr + len - 1) & PTE_FRAME_MASK); page += PAGE_SIZE) {
        uint32_t entry = paging_entry(page);
        if (!entry || (entry & PTE_FRAME_MASK) != page)
            return false;
    }
    return true;
}

enum dma_status dma_start(unsigned channel, const void *buf, uint32_t len,
                          uint8_t mode)
{
    uint32_t phys = (uint32_t)(uintptr_t)buf;
    struct dma_setup s;
    enum dma_status st = dma_encode(channel, phys, len, &s);
    if (st != DMA_OK)
        return st;
    if (!identity_mapped(phys, len))
        return DMA_ERR_NOT_PHYSICAL;

    /* Masked while it is half programmed, so a DREQ cannot start a
     * transfer to a half-written address; interrupts off, so no handler
     * touches the flip-flop between the two bytes of a register. */
    /* lab dma: begin program */
    uint32_t flags = irq_save();
    dma_mask(channel);
    dma_clear_flip_flop(channel);
    dma_set_mode(channel, mode);
    dma_set_address(channel, s.page, s.address);
    dma_set_count(channel, s.count);
    dma_unmask(channel);
    irq_restore(flags);
    /* lab dma: end program */
    totals.transfers++;
    totals.bytes += len;
    return DMA_OK;
}

void *dma_alloc(uint32_t len, unsigned channel)
{
    uint32_t start = (pool_used + POOL_ALIGN - 1) & ~(POOL_ALIGN - 1);
    if (len == 0 || start > POOL_SIZE || len > POOL_SIZE - start)
        return 0;
    uint8_t *buf = pool + start;
    /* The pool is built to satisfy the rules; check anyway, so that a
     * change to the linker script or the pool shows here, not as a
     * corrupted transfer. */
    if (dma_check(channel, (uint32_t)(uintptr_t)buf, len) != DMA_OK
        || !identity_mapped((uint32_t)(uintptr_t)buf, len))
        return 0;
    pool_used = start + len;
    return buf;
}

struct dma_channel_view dma_channel_view(unsigned channel)
{
    struct dma_channel_view v;
    v.masked = (masked >> channel) & 1;
    v.mode = mode_written[channel];
    v.page = dma_in(page_port[channel]);
    v.address = read_channel_reg(channel,
                                 REG_CHANNEL_ADDRESS(local(channel)));
    v.count = dma_read_count(channel);
    return v;
}

struct dma_io_counts dma_io_counts(void)
{
    return io;
}

struct dma_totals dma_totals(void)
{
    return totals;
}

const char *dma_mode_select_name(uint8_t mode)
{
    switch (mode & DMA_MODE_SELECT_MASK) {
    case DMA_MODE_DEMAND:
        return "demand";
    case DMA_MODE_SINGLE:
        return "single";
    case DMA_MODE_BLOCK:
        return "block";
    default:
        return "cascade";
    }
}

const char *dma_mode_transfer_name(uint8_t mode)
{
    switch (mode & DMA_MODE_TRANSFER_MASK) {
    case DMA_MODE_VERIFY:
        return "verify";
    case DMA_MODE_WRITE:
        return "write";
    case DMA_MODE_READ:
        return "read";
    default:
        return "illegal";
    }
}
