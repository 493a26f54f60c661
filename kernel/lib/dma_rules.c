/* The rules of ISA DMA: see kernel/lib/dma_rules.h. Pure C. */
#include "kernel/lib/dma_rules.h"

/* Register field positions (the page register takes the address bits
 * above the 8237's own 16). */
#define PAGE_SHIFT 16
#define WORD_PAGE_MASK 0xFEu    /* channels 5-7: bit 0 is A16, not used */
#define REG16_MASK 0xFFFFu

bool dma_channel_is_16bit(unsigned channel)
{
    return channel >= DMA_CHANNELS_PER_CONTROLLER;
}

uint32_t dma_block_size(unsigned channel)
{
    return dma_channel_is_16bit(channel) ? DMA_WORD_BLOCK : DMA_BYTE_BLOCK;
}

enum dma_status dma_check(unsigned channel, uint32_t phys, uint32_t len)
{
    uint32_t block = dma_block_size(channel);

    if (channel >= DMA_CHANNELS || channel == DMA_CASCADE_CHANNEL)
        return DMA_ERR_CHANNEL;
    if (len == 0)
        return DMA_ERR_EMPTY;
    if (len > block)
        return DMA_ERR_TOO_LONG;
    if (dma_channel_is_16bit(channel)
        && (phys % DMA_WORD_BYTES || len % DMA_WORD_BYTES))
        return DMA_ERR_ODD;
    /* Written so that phys + len cannot overflow 32 bits. */
    if (phys >= DMA_ISA_LIMIT || len > DMA_ISA_LIMIT - phys)
        return DMA_ERR_ABOVE_16MIB;
    /* The first and the last byte must lie in the same block. */
    if (phys / block != (phys + len - 1) / block)
        return DMA_ERR_CROSSES_BLOCK;
    return DMA_OK;
}

enum dma_status dma_encode(unsigned channel, uint32_t phys, uint32_t len,
                           struct dma_setup *out)
{
    enum dma_status st = dma_check(channel, phys, len);
    if (st != DMA_OK)
        return st;
    if (dma_channel_is_16bit(channel)) {
        out->page = (uint8_t)((phys >> PAGE_SHIFT) & WORD_PAGE_MASK);
        out->address = (uint16_t)((phys / DMA_WORD_BYTES) & REG16_MASK);
        out->count = (uint16_t)(len / DMA_WORD_BYTES - 1);
    } else {
        out->page = (uint8_t)(phys >> PAGE_SHIFT);
        out->address = (uint16_t)(phys & REG16_MASK);
        out->count = (uint16_t)(len - 1);
    }
    return DMA_OK;
}

uint32_t dma_decode_address(unsigned channel, uint8_t page, uint16_t address)
{
    if (dma_channel_is_16bit(channel))
        return (uint32_t)(page & WORD_PAGE_MASK) << PAGE_SHIFT
               | (uint32_t)address * DMA_WORD_BYTES;
    return (uint32_t)page << PAGE_SHIFT | address;
}

const char *dma_status_text(enum dma_status st)
{
    switch (st) {
    case DMA_OK:
        return "ok";
    case DMA_ERR_CHANNEL:
        return "no such DMA channel (0-3 move bytes, 5-7 words; 4 is the "
               "cascade)";
    case DMA_ERR_EMPTY:
        return "a transfer of 0 bytes";
    case DMA_ERR_TOO_LONG:
        return "longer than the channel's block (64 KiB on 0-3, 128 KiB on "
               "5-7)";
    case DMA_ERR_ODD:
        return "channels 5-7 move words: address and length must be even";
    case DMA_ERR_ABOVE_16MIB:
        return "the buffer reaches past 16 MiB, beyond the ISA address "
               "lines";
    case DMA_ERR_CROSSES_BLOCK:
        return "the buffer crosses a 64 KiB boundary (128 KiB on 5-7), "
               "which the page register cannot follow";
    case DMA_ERR_NOT_PHYSICAL:
        return "the buffer is not identity-mapped (the 8237 needs "
               "physical addresses)";
    }
    return "unknown error";
}
