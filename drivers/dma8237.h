#ifndef DRIVERS_DMA8237_H
#define DRIVERS_DMA8237_H

#include "kernel/lib/dma_rules.h"

#include <stdbool.h>
#include <stdint.h>

/* The ports (IBM PC/AT Technical Reference, "System I/O Address Map").
 * Each 8237 has 16 registers, numbered by its A3-A0 inputs: the first
 * decodes them at ports 0x00 + n, the second, its A0 wired to A1, at
 * 0xC0 + 2n. The page registers (a 74LS612 on the AT board) hold the
 * address bits above the 8237's 16; 0x80, just below, is the POST code
 * port. */
#define DMA1_BASE 0x00          /* channels 0-3, registers 1 port apart */
#define DMA2_BASE 0xC0          /* channels 4-7, registers 2 ports apart */
#define DMA1_SPACING_SHIFT 0
#define DMA2_SPACING_SHIFT 1
#define DMA_REGISTERS 16        /* A3-A0 */
#define DMA1_PORTS_LAST \
    (DMA1_BASE + (DMA_REGISTERS << DMA1_SPACING_SHIFT) - 1)
#define DMA2_PORTS_LAST \
    (DMA2_BASE + (DMA_REGISTERS << DMA2_SPACING_SHIFT) - 1)
#define PAGE_PORTS_FIRST 0x81
#define PAGE_PORTS_LAST 0x8F

/* Mode register (8237A data sheet, "Register Description": Mode Register).
 * Bits 1-0 select the channel; the driver adds them. The data sheet names
 * the direction from memory's side: a "write transfer" writes memory
 * (MEMW with IOR), so a disk read uses DMA_MODE_WRITE. Linux's asm/dma.h
 * names it from the device's side: its DMA_MODE_READ (0x44, "I/O to
 * memory") is this DMA_MODE_WRITE with single mode. */
#define DMA_MODE_TRANSFER_MASK 0x0C /* bits 3-2: transfer type */
#define DMA_MODE_VERIFY 0x00        /* cycles run, no memory touched */
#define DMA_MODE_WRITE 0x04         /* device to memory: memory is written */
#define DMA_MODE_READ 0x08          /* memory to device: memory is read */
#define DMA_MODE_AUTOINIT 0x10      /* reload address and count at TC */
#define DMA_MODE_DECREMENT 0x20     /* address counts down */
#define DMA_MODE_SELECT_MASK 0xC0   /* bits 7-6: how DREQ is served */
#define DMA_MODE_DEMAND 0x00        /* move while DREQ stays active */
#define DMA_MODE_SINGLE 0x40        /* one transfer per DREQ */
#define DMA_MODE_BLOCK 0x80         /* the whole count on one DREQ */
#define DMA_MODE_CASCADE 0xC0       /* pass another 8237's request on */

/* Status register (same section): bits 3-0 terminal count reached, bits
 * 7-4 request pending, one per channel of that controller. Reading it
 * clears the terminal-count bits. */
#define DMA_STATUS_TC(channel) (1u << ((channel) % DMA_CHANNELS_PER_CONTROLLER))
#define DMA_STATUS_REQUEST(channel) \
    (1u << (DMA_CHANNELS_PER_CONTROLLER + (channel) % DMA_CHANNELS_PER_CONTROLLER))

/* The current count register reads 0xFFFF once the last transfer has
 * been made: it counts down past zero. */
#define DMA_COUNT_DONE 0xFFFFu

struct dma_io_counts {
    uint32_t ins, outs;     /* `in` and `out` instructions by this driver */
};

/* Transfers programmed by dma_start since boot, and the bytes they asked
 * the 8237 to move. */
struct dma_totals {
    uint32_t transfers;
    uint32_t bytes;
};

/* One channel as the `dma` command shows it. The mask and mode registers
 * cannot be read back from an 8237A: those two are what the driver last
 * wrote; address, count and page are read from the chips. */
struct dma_channel_view {
    bool masked;
    uint8_t mode;           /* without the channel bits */
    uint8_t page;
    uint16_t address;       /* current address register */
    uint16_t count;         /* current count register: the residue */
};

/* Master-clears both controllers (every channel masked), parks every
 * channel in verify mode and makes channel 4 the cascade from the first
 * controller, unmasked. */
void dma_init(void);

/* The single mask bit: a masked channel ignores its DREQ line. */
void dma_mask(unsigned channel);
void dma_unmask(unsigned channel);

/* Resets the byte pointer flip-flop of the channel's controller: the next
 * access to an address or count register is its low byte. */
void dma_clear_flip_flop(unsigned channel);

/* Writes the mode register (DMA_MODE_* bits) of a channel. */
void dma_set_mode(unsigned channel, uint8_t mode);

/* Write the base and current address (two bytes) and the page register,
 * and the base and current count (two bytes, transfers minus one). Both
 * expect the flip-flop cleared and interrupts off: dma_start does it. */
void dma_set_address(unsigned channel, uint8_t page, uint16_t address);
void dma_set_count(unsigned channel, uint16_t count);

/* The residue: the current count register (DMA_COUNT_DONE after the last
 * transfer), read low byte then high byte with interrupts off. */
uint16_t dma_read_count(unsigned channel);

/* Reads the status register of the channel's controller; this clears its
 * terminal-count bits. */
uint8_t dma_read_status(unsigned channel);

/* Programs a whole transfer of len bytes at buf and unmasks the channel,
 * with interrupts off: mask, clear flip-flop, mode, address, page, count,
 * unmask. Checks the buffer first (kernel/lib/dma_rules.h, and that its pages
 * are identity-mapped); on an error nothing is written. */
enum dma_status dma_start(unsigned channel, const void *buf, uint32_t len,
                          uint8_t mode);

/* A buffer of len bytes that channel can reach, from a static pool below
 * 16 MiB that no 64 KiB boundary crosses; NULL when the pool is used up
 * or the buffer would break a rule. Buffers are never freed. */
void *dma_alloc(uint32_t len, unsigned channel);

struct dma_channel_view dma_channel_view(unsigned channel);
struct dma_io_counts dma_io_counts(void);
struct dma_totals dma_totals(void);

/* A mode value in words ("single write inc"), for the `dma` command. */
const char *dma_mode_select_name(uint8_t mode);
const char *dma_mode_transfer_name(uint8_t mode);

#endif
