/*
 * The floppy driver's PIO read path (claim C7): with ND set in SPECIFY
 * ("non-DMA"), the controller offers each byte of the execution phase in
 * its FIFO and the CPU moves it with one `in`, polling the MSR until RQM
 * before every byte (82077AA data sheet, 4.2.1 "Non-DMA Mode, Transfers
 * from the FIFO to the Host").
 */
#include "drivers/floppy_fdc.h"

/* Moves the bytes of the execution phase with the CPU: MSR, then FIFO,
 * for every byte. NON-DMA drops when the controller moves on to the
 * result phase; fewer bytes than asked is then an error the status bytes
 * explain. */
static enum fd_status pio_transfer(uint8_t *buf, uint32_t len,
                                   uint32_t *moved)
{
    /* lab fdc: begin pio */
    uint8_t msr;
    for (*moved = 0; *moved < len; (*moved)++) {
        if (!fdc_wait_msr(MSR_RQM, MSR_RQM, &msr))
            return fdc_fail(FD_ERR_FAILED, "PIO: no data byte %u of %u "
                            "(MSR 0x%02x)", *moved, len, msr);
        if (!(msr & MSR_NON_DMA))
            break;
        buf[*moved] = fdc_in(FDC_FIFO);
    }
    /* lab fdc: end pio */
    return FD_OK;
}

enum fd_status fd_pio_read_track(struct fd_chs at, uint32_t n, uint8_t *buf)
{
    uint32_t len = n * FD_SECTOR_SIZE, moved = len;
    uint8_t res[READ_RESULT_BYTES] = { 0 };

    fdc_expect_irq();
    enum fd_status st = fdc_read_data(at, n);
    if (st == FD_OK)
        st = pio_transfer(buf, len, &moved);
    if (st == FD_OK)
        st = fdc_read_result(res);
    if (st != FD_OK)
        return st;
    return fdc_check_read(at, FD_MODE_PIO, res, moved, len);
}
