/*
 * Private to the floppy driver (drivers/floppy*.c): the controller
 * protocol of drivers/floppy_fdc.c, which the driver's face (floppy.c)
 * and its two read paths (floppy_dma.c, floppy_pio.c) share. References
 * as in drivers/floppy.c: the Intel 82077AA data sheet (290166).
 */
#ifndef DRIVERS_FLOPPY_FDC_H
#define DRIVERS_FLOPPY_FDC_H

#include "drivers/floppy.h"

#include <stdbool.h>
#include <stdint.h>

/* MSR bits. */
#define MSR_NON_DMA 0x20            /* execution phase of a PIO transfer */
#define MSR_DIO 0x40                /* 1: controller to CPU */
#define MSR_RQM 0x80                /* the FIFO is ready for a byte */

#define FD_DRIVE 0

/* What the current read has cost so far (floppy_read's figures). */
struct fdc_cost {
    uint32_t ins, outs;     /* by this driver; the 8237's are its own */
    uint32_t irqs;          /* IRQ 6 since boot */
    uint64_t halted_cycles; /* TSC cycles halted, waiting for an IRQ */
};

/* Starts a read's accounting: zeroes the counts and notes whether the
 * tick runs, which the waits time themselves by. */
void fdc_begin(bool tick_runs);
struct fdc_cost fdc_cost(void);

/* The IRQ 6 handler. */
void floppy_irq(void);

/* Port access, counted. */
void fdc_out(uint16_t port, uint8_t v);
uint8_t fdc_in(uint16_t port);

/* Sets floppy_problem()'s text (at most FDC_PROBLEM_SIZE bytes with its
 * NUL) and returns st. */
#define FDC_PROBLEM_SIZE 160
enum fd_status fdc_fail(enum fd_status st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Polls the MSR until (msr & mask) == want; false after FD_POLL_MS. */
bool fdc_wait_msr(uint8_t mask, uint8_t want, uint8_t *msr);

/* One command byte out, one result byte in (RQM and DIO as 4.0 says). */
enum fd_status fdc_send(uint8_t byte);
enum fd_status fdc_receive(uint8_t *byte);

/* Before a command that ends with IRQ 6: forget the last one. Then
 * fdc_wait_irq sleeps until it comes (after names the command in the
 * error). */
void fdc_expect_irq(void);
enum fd_status fdc_wait_irq(const char *after);

/* Reset through the DOR, with the SENSE INTERRUPTs and the data rate
 * after it; forgets the motor and the head's place. */
enum fd_status fdc_reset(void);
/* SPECIFY: the drive's timings, and DMA or non-DMA (PIO) mode. */
enum fd_status fdc_specify(enum fd_mode mode);
/* Motor on, head recalibrated; FD_ERR_NO_DISK when the drive is empty. */
enum fd_status fdc_prepare_drive(void);
/* SEEK to a cylinder (nothing when the head is there already). */
enum fd_status fdc_seek(uint8_t cyl);

/* READ DATA (5.1.1) of n sectors along one track: the command phase. */
enum fd_status fdc_read_data(struct fd_chs at, uint32_t n);
/* Its result phase: the seven status bytes (ST0 ST1 ST2 C H R N). */
#define READ_RESULT_BYTES 7
enum fd_status fdc_read_result(uint8_t res[READ_RESULT_BYTES]);
/* Judges a READ DATA that moved `moved` of len bytes by its result. */
enum fd_status fdc_check_read(struct fd_chs at, enum fd_mode mode,
                              const uint8_t res[READ_RESULT_BYTES],
                              uint32_t moved, uint32_t len);

/* The two read paths: one track, the head already there. */
enum fd_status fd_dma_read_track(struct fd_chs at, uint32_t n, uint8_t *buf);
enum fd_status fd_pio_read_track(struct fd_chs at, uint32_t n, uint8_t *buf);

#endif
