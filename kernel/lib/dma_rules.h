/*
 * The rules of ISA DMA on the PC/AT, as arithmetic: which buffers the two
 * 8237A controllers can reach, and how a buffer becomes the page, address
 * and count register values. Pure C, host-tested; drivers/dma8237.c writes
 * the values to the chips.
 *
 * Why the rules exist, from the wiring of the AT (IBM PC/AT Technical
 * Reference, "System Board", DMA):
 *  - an 8237A counts a 16-bit address and a 16-bit count. The upper address
 *    lines come from a separate page register that does not count, so when
 *    the 8237's address rolls over from 0xFFFF to 0 the transfer wraps back
 *    to the start of the same 64 KiB block instead of moving on: a buffer
 *    must not cross a 64 KiB boundary;
 *  - the page register drives A16-A23 and nothing drives A24-A31: the ISA
 *    bus reaches only the first 16 MiB;
 *  - channels 0-3 (the first controller) move bytes. Channels 5-7 (the
 *    second) move 16-bit words: their 8237 address is wired to A1-A16, so
 *    it counts words, the page register supplies A17-A23 (its bit 0 is not
 *    used), the block is 128 KiB and buffer and length must be even.
 *    Channel 4 links the first controller into the second (cascade) and
 *    moves no data;
 *  - the count register holds the number of transfers minus one (8237A data
 *    sheet, "Register Description": Base and Current Word Count), so 0xFFFF
 *    means 65536 transfers: 64 KiB on channels 0-3, 128 KiB on 5-7.
 */
#ifndef KERNEL_DMA_RULES_H
#define KERNEL_DMA_RULES_H

#include <stdbool.h>
#include <stdint.h>

#define DMA_CHANNELS 8
#define DMA_CHANNELS_PER_CONTROLLER 4
#define DMA_CASCADE_CHANNEL 4       /* the first 8237 hangs on it */
#define DMA_ISA_LIMIT 0x1000000u    /* 16 MiB: address lines A0-A23 */
#define DMA_BYTE_BLOCK 0x10000u     /* 64 KiB: channels 0-3 */
#define DMA_WORD_BLOCK 0x20000u     /* 128 KiB: channels 5-7 */
#define DMA_WORD_BYTES 2u

enum dma_status {
    DMA_OK,
    DMA_ERR_CHANNEL,        /* not 0-3 or 5-7 */
    DMA_ERR_EMPTY,          /* length 0 */
    DMA_ERR_TOO_LONG,       /* more than one block */
    DMA_ERR_ODD,            /* channels 5-7: odd address or length */
    DMA_ERR_ABOVE_16MIB,    /* a byte at or past 16 MiB */
    DMA_ERR_CROSSES_BLOCK,  /* crosses a 64 KiB (128 KiB) boundary */
    DMA_ERR_NOT_PHYSICAL,   /* the buffer's pages are not identity-mapped */
};

/* What the 8237 and its page register are programmed with. */
struct dma_setup {
    uint8_t page;       /* page register: A16-A23 (A17-A23 on 5-7) */
    uint16_t address;   /* 8237 base address: A0-A15 (A1-A16 on 5-7) */
    uint16_t count;     /* 8237 base count: transfers minus one */
};

/* True for the word channels 5-7 (and the cascade channel 4, which sits
 * on the same controller). */
bool dma_channel_is_16bit(unsigned channel);

/* The boundary and largest buffer of a channel: 64 KiB or 128 KiB. */
uint32_t dma_block_size(unsigned channel);

/* Checks that channel can move len bytes at physical address phys. */
enum dma_status dma_check(unsigned channel, uint32_t phys, uint32_t len);

/* Checks, then fills *out with the register values. */
enum dma_status dma_encode(unsigned channel, uint32_t phys, uint32_t len,
                           struct dma_setup *out);

/* The physical address that page and address registers point at. */
uint32_t dma_decode_address(unsigned channel, uint8_t page,
                            uint16_t address);

/* A short English phrase for a status, for "error: ..." lines. */
const char *dma_status_text(enum dma_status st);

#endif
