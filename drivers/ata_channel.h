/*
 * Private to the ATA driver (drivers/ata*.c): the channel's protocol in
 * drivers/ata.c, which the bus-master read path (drivers/ata_dma.c)
 * shares. References as in drivers/ata.c.
 */
#ifndef DRIVERS_ATA_CHANNEL_H
#define DRIVERS_ATA_CHANNEL_H

#include "drivers/ata.h"

#include <stdbool.h>
#include <stdint.h>

/* Status register bits (ATA/ATAPI-6, "Status register"). */
#define ATA_SR_BSY 0x80             /* the device owns the registers */
#define ATA_SR_DRDY 0x40            /* able to take a command */
#define ATA_SR_DF 0x20              /* device fault */
#define ATA_SR_DRQ 0x08             /* a data word is ready to move */
#define ATA_SR_ERR 0x01             /* the Error register says why */

/* Port access, counted into the read's figures. */
uint8_t ata_in8(uint16_t port);
uint16_t ata_in16(uint16_t port);
void ata_out8(uint16_t port, uint8_t v);
void ata_out32(uint16_t port, uint32_t v);

/* Sets ata_problem()'s text and returns st. */
enum ata_status ata_fail(enum ata_status st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Selects the master with LBA addressing, waits for it to be ready, and
 * writes a 28-bit command's count (256 as 0), LBA and command code. */
enum ata_status ata_issue_lba28(uint8_t command, const char *name,
                                uint32_t lba, uint32_t count);

/* Polls Status until BSY clears (bounded); then ERR or DF is an error,
 * naming the command. *status is the last Status read. */
enum ata_status ata_wait_done(const char *name, uint8_t *status);

/* Before a command that ends with IRQ 14: forget the last one. Then
 * ata_wait_irq sleeps until it comes (after names the command in the
 * error), bounded; its halted time is not counted as the driver's. */
void ata_expect_irq(void);
enum ata_status ata_wait_irq(const char *after);

/* The bus-master path (drivers/ata_dma.c). ata_dma_init finds the IDE
 * function on PCI and its BAR4, and lets it master the bus; false (and
 * ata_dma_text() says why) when it cannot. ata_dma_read does a READ DMA
 * of count sectors at lba into buf; *prds: the entries its table took. */
bool ata_dma_init(void);
enum ata_status ata_dma_read(uint32_t lba, uint32_t count, void *buf,
                             uint32_t *prds);

#endif
