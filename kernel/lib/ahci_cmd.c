/* An AHCI command as arithmetic (see ahci_cmd.h). */
#include "kernel/lib/ahci_cmd.h"

#define BYTE_MASK 0xFFu
#define BITS_PER_BYTE 8u
#define DWORD_BYTES 4u
#define LBA_BYTES 6u                /* a 48-bit LBA in six FIS bytes */
/* The Device register's bit 6: the address is an LBA, not a cylinder,
 * head and sector (ATA/ATAPI-7 vol. 1, 6.26 READ DMA EXT, "Device"). */
#define ATA_DEVICE_LBA 0x40u

enum ahci_prdt_status ahci_prdt_build(uint32_t phys, uint32_t len,
                                      struct ahci_prd *table, unsigned max,
                                      unsigned *used)
{
    if (len == 0)
        return AHCI_PRDT_EMPTY;
    if (phys % AHCI_PRD_ALIGN || len % AHCI_PRD_ALIGN)
        return AHCI_PRDT_ODD;
    if (len - 1 > UINT32_MAX - phys)
        return AHCI_PRDT_WRAPS;
    unsigned n = (len - 1) / AHCI_PRD_MAX_BYTES + 1;
    if (n > max)
        return AHCI_PRDT_TOO_MANY;
    for (unsigned i = 0; i < n; i++) {
        uint32_t bytes = len > AHCI_PRD_MAX_BYTES ? AHCI_PRD_MAX_BYTES : len;
        table[i] = (struct ahci_prd){ phys, 0, 0, bytes - 1 };
        phys += bytes;
        len -= bytes;
    }
    table[n - 1].dbc_i |= AHCI_PRD_INTERRUPT;
    *used = n;
    return AHCI_PRDT_OK;
}

const char *ahci_prdt_status_text(enum ahci_prdt_status st)
{
    switch (st) {
    case AHCI_PRDT_OK:
        return "ok";
    case AHCI_PRDT_EMPTY:
        return "nothing to transfer";
    case AHCI_PRDT_ODD:
        return "the buffer's address or length is odd (a PRD entry moves "
               "whole 16-bit words)";
    case AHCI_PRDT_WRAPS:
        return "the buffer reaches past 4 GiB";
    case AHCI_PRDT_TOO_MANY:
        return "the buffer needs more PRD entries than the table holds";
    }
    return "unknown error";
}

uint32_t ahci_header_dw0(unsigned fis_bytes, unsigned prds)
{
    return (fis_bytes / DWORD_BYTES & AHCI_HDR_CFL_MASK)
           | (uint32_t)prds << AHCI_HDR_PRDTL_SHIFT;
}

void ahci_fis_h2d(uint8_t fis[FIS_H2D_BYTES], uint8_t command, uint64_t lba,
                  uint32_t count)
{
    static const uint8_t lba_at[LBA_BYTES] = {
        FIS_H2D_LBA0, FIS_H2D_LBA1, FIS_H2D_LBA2,
        FIS_H2D_LBA3, FIS_H2D_LBA4, FIS_H2D_LBA5,
    };
    for (unsigned i = 0; i < FIS_H2D_BYTES; i++)
        fis[i] = 0;
    fis[FIS_H2D_TYPE] = FIS_TYPE_REG_H2D;
    fis[FIS_H2D_FLAGS] = FIS_H2D_FLAG_C;
    fis[FIS_H2D_COMMAND] = command;
    fis[FIS_H2D_DEVICE] = ATA_DEVICE_LBA;
    for (unsigned i = 0; i < LBA_BYTES; i++)
        fis[lba_at[i]] = (uint8_t)(lba >> (BITS_PER_BYTE * i) & BYTE_MASK);
    fis[FIS_H2D_COUNT] = (uint8_t)(count & BYTE_MASK);
    fis[FIS_H2D_COUNT_EXP] = (uint8_t)(count >> BITS_PER_BYTE & BYTE_MASK);
}

enum ahci_range ahci_check_range(uint64_t lba, uint32_t count,
                                 uint64_t sectors, uint32_t max_count)
{
    if (count == 0)
        return AHCI_RANGE_COUNT_ZERO;
    if (count > max_count)
        return AHCI_RANGE_COUNT_TOO_BIG;
    if (lba >= sectors || count > sectors - lba)
        return AHCI_RANGE_PAST_END;
    return AHCI_RANGE_OK;
}

const char *ahci_range_text(enum ahci_range r)
{
    switch (r) {
    case AHCI_RANGE_OK:
        return "ok";
    case AHCI_RANGE_COUNT_ZERO:
        return "a count of 0 sectors";
    case AHCI_RANGE_COUNT_TOO_BIG:
        return "too many sectors for one read";
    case AHCI_RANGE_PAST_END:
        return "past the end of the disk";
    }
    return "unknown error";
}
