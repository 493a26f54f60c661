/*
 * Self-tests of DMA (claim C7): the 8237's registers read back, and the
 * floppy's two read paths, DMA and PIO, delivering the same bytes.
 */
#include "kernel/selftest/checks.h"

#include "drivers/dma8237.h"
#include "drivers/floppy.h"
#include "kernel/lib/klib.h"
#include "kernel/x86.h"

/* The 8237 holds what it is told: channel 2 programmed (and left masked,
 * so nothing moves) reads back its address, page and count. */
#define DMA_PROBE_PAGE 0x12
#define DMA_PROBE_ADDRESS 0x3456
#define DMA_PROBE_COUNT 0x01FF

bool test_dma_registers(void)
{
    uint32_t flags = irq_save();
    dma_mask(FD_DMA_CHANNEL);
    dma_clear_flip_flop(FD_DMA_CHANNEL);
    dma_set_mode(FD_DMA_CHANNEL, DMA_MODE_SINGLE | DMA_MODE_WRITE);
    dma_set_address(FD_DMA_CHANNEL, DMA_PROBE_PAGE, DMA_PROBE_ADDRESS);
    dma_set_count(FD_DMA_CHANNEL, DMA_PROBE_COUNT);
    irq_restore(flags);
    struct dma_channel_view v = dma_channel_view(FD_DMA_CHANNEL);
    if (v.page != DMA_PROBE_PAGE || v.address != DMA_PROBE_ADDRESS
        || v.count != DMA_PROBE_COUNT)
        return fail("read back page %02x address %04x count %04x", v.page,
                    v.address, v.count);
    return v.masked ? true : fail("channel %u left unmasked",
                                  FD_DMA_CHANNEL);
}

/* Buffers for the floppy tests, from the DMA pool (PIO needs none, but
 * the same kind of buffer keeps the comparison fair). */
static uint8_t *fd_dma_buf, *fd_pio_buf;
#define FD_TEST_SECTORS FD_SECTORS_PER_TRACK
#define FD_TEST_BYTES (FD_TEST_SECTORS * FD_SECTOR_SIZE)
#define FILL_DMA 0x00
#define FILL_PIO 0xFF

/* Reads the test track. False when it cannot, with why set: then the
 * caller returns `skipped()`, true for a machine with no drive or no disk
 * (reported as a skip), false for a failure. */
static bool read_test_track(enum fd_mode mode, uint8_t *buf,
                            struct fd_stats *stats)
{
    enum fd_status st = floppy_read(0, FD_TEST_SECTORS, mode, buf, stats);
    if (st == FD_ERR_NO_DRIVE || st == FD_ERR_NO_DISK) {
        skip(floppy_problem());
        return false;
    }
    return st == FD_OK ? true : fail("%s: %s", floppy_mode_name(mode),
                                     floppy_problem());
}

static bool floppy_buffers(void)
{
    if (!fd_dma_buf) {
        fd_dma_buf = dma_alloc(FD_TEST_BYTES, FD_DMA_CHANNEL);
        fd_pio_buf = dma_alloc(FD_TEST_BYTES, FD_DMA_CHANNEL);
    }
    return fd_dma_buf && fd_pio_buf ? true
                                    : fail("no DMA-safe buffers left");
}

/* Claim C7: the same track once written to memory by the 8237, once
 * moved byte by byte with `in`; the buffers start different and must end
 * equal. PIO takes an `in` per byte at least, DMA a few dozen port
 * accesses in all. */
bool test_floppy_dma_vs_pio(void)
{
    struct fd_stats dma, pio;
    if (!floppy_buffers())
        return false;
    memset(fd_dma_buf, FILL_DMA, FD_TEST_BYTES);
    memset(fd_pio_buf, FILL_PIO, FD_TEST_BYTES);
    if (!read_test_track(FD_MODE_DMA, fd_dma_buf, &dma)
        || !read_test_track(FD_MODE_PIO, fd_pio_buf, &pio))
        return skipped();
    if (memcmp(fd_dma_buf, fd_pio_buf, FD_TEST_BYTES) != 0)
        return fail("the DMA and PIO copies differ");
    if (pio.ins < FD_TEST_BYTES)
        return fail("PIO: only %u in for %u bytes", pio.ins, FD_TEST_BYTES);
    if (dma.ins + dma.outs >= FD_SECTOR_SIZE)
        return fail("DMA: %u port accesses", dma.ins + dma.outs);
    return dma.irqs ? true : fail("DMA: no IRQ 6");
}

/* After a DMA read the channel has run out: the current count wrapped to
 * 0xFFFF, the address moved on by the length, the status register shows
 * terminal count (and reading it clears that). */
bool test_dma_terminal_count(void)
{
    struct fd_stats stats;
    if (!floppy_buffers())
        return false;
    dma_read_status(FD_DMA_CHANNEL);    /* clear any old TC bit */
    if (!read_test_track(FD_MODE_DMA, fd_dma_buf, &stats))
        return skipped();
    struct dma_channel_view v = dma_channel_view(FD_DMA_CHANNEL);
    uint32_t end = dma_decode_address(FD_DMA_CHANNEL, v.page, v.address);
    uint8_t status = dma_read_status(FD_DMA_CHANNEL);
    if (v.count != DMA_COUNT_DONE)
        return fail("residue %04x, expected %04x", v.count, DMA_COUNT_DONE);
    if (end != (uint32_t)(uintptr_t)fd_dma_buf + FD_TEST_BYTES)
        return fail("address %06x, expected %06x", end,
                    (uint32_t)(uintptr_t)fd_dma_buf + FD_TEST_BYTES);
    if (!(status & DMA_STATUS_TC(FD_DMA_CHANNEL)))
        return fail("status %02x: no terminal count", status);
    if (dma_read_status(FD_DMA_CHANNEL) & DMA_STATUS_TC(FD_DMA_CHANNEL))
        return fail("reading the status did not clear TC");
    return v.masked ? true : fail("channel left unmasked");
}
