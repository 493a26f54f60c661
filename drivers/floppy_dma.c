/*
 * The floppy driver's DMA read path (claim C7): the controller raises DRQ
 * for every byte and the 8237 (channel 2, drivers/dma8237.c) writes it to
 * memory with no CPU instruction involved. The CPU programs the 8237,
 * sends READ DATA and is free (it halts) until the controller's IRQ 6
 * announces the result phase. The 8237's terminal count at the last byte
 * ends the command (82077AA data sheet, 4.2.3 "DMA Mode, Transfers from
 * the FIFO to the Host", and 5.1.1).
 */
#include "drivers/floppy_fdc.h"

#include "drivers/dma8237.h"

enum fd_status fd_dma_read_track(struct fd_chs at, uint32_t n, uint8_t *buf)
{
    uint32_t len = n * FD_SECTOR_SIZE, moved = len;
    uint8_t res[READ_RESULT_BYTES] = { 0 };

    /* Single mode, write to memory, address counting up: one byte per
     * DRQ, so the CPU gets the bus back between bytes. */
    enum dma_status ds = dma_start(FD_DMA_CHANNEL, buf, len,
                                   DMA_MODE_SINGLE | DMA_MODE_WRITE);
    if (ds != DMA_OK)
        return fdc_fail(FD_ERR_FAILED, "DMA buffer: %s", dma_status_text(ds));
    fdc_expect_irq();
    enum fd_status st = fdc_read_data(at, n);
    if (st == FD_OK)
        st = fdc_wait_irq("READ DATA");
    if (st == FD_OK)
        st = fdc_read_result(res);
    /* Masked whatever happened, so that a stuck transfer moves no more. */
    dma_mask(FD_DMA_CHANNEL);
    uint16_t residue = dma_read_count(FD_DMA_CHANNEL);
    if (st == FD_OK && residue != DMA_COUNT_DONE)
        moved = len - (residue + 1u);   /* the count was N-1 */
    if (st != FD_OK)
        return st;
    return fdc_check_read(at, FD_MODE_DMA, res, moved, len);
}
