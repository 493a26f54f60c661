/* The rules of bus-master IDE DMA: see kernel/lib/prd.h. Pure C. */
#include "kernel/lib/prd.h"

#define ADDRESS_LIMIT 0x100000000ull    /* 4 GiB: 32 address bits */

enum prd_status prd_build(uint32_t phys, uint32_t len, struct prd *table,
                          unsigned max, unsigned *used)
{
    if (len == 0)
        return PRD_ERR_EMPTY;
    if (phys % PRD_ALIGN || len % PRD_ALIGN)
        return PRD_ERR_ODD;
    if ((uint64_t)phys + len > ADDRESS_LIMIT)
        return PRD_ERR_WRAPS;
    /* Entries: one per 64 KiB block the buffer touches. */
    unsigned n = (unsigned)(((uint64_t)phys + len - 1) / PRD_BOUNDARY
                            - phys / PRD_BOUNDARY + 1);
    if (n > max)
        return PRD_ERR_TOO_MANY;
    for (unsigned i = 0; i < n; i++) {
        uint32_t to_boundary = PRD_BOUNDARY - phys % PRD_BOUNDARY;
        uint32_t bytes = len < to_boundary ? len : to_boundary;
        /* 64 KiB does not fit 16 bits: it is written as 0. */
        table[i].phys = phys;
        table[i].count_eot = bytes & PRD_COUNT_MASK;
        phys += bytes;
        len -= bytes;
    }
    table[n - 1].count_eot |= PRD_EOT;
    *used = n;
    return PRD_OK;
}

enum prd_status prd_check_table(uint32_t phys, unsigned n)
{
    if (n == 0)
        return PRD_ERR_EMPTY;
    if (phys % PRD_TABLE_ALIGN)
        return PRD_ERR_TABLE_PLACE;
    uint64_t last = (uint64_t)phys + (uint64_t)n * PRD_ENTRY_BYTES - 1;
    if (last >= ADDRESS_LIMIT)
        return PRD_ERR_WRAPS;
    if (phys / PRD_BOUNDARY != last / PRD_BOUNDARY)
        return PRD_ERR_TABLE_PLACE;
    return PRD_OK;
}

const char *prd_status_text(enum prd_status st)
{
    switch (st) {
    case PRD_OK:
        return "ok";
    case PRD_ERR_EMPTY:
        return "a transfer of 0 bytes";
    case PRD_ERR_ODD:
        return "a bus-master region is whole 16-bit words: address and "
               "length must be even";
    case PRD_ERR_WRAPS:
        return "the buffer reaches past 4 GiB, beyond the 32 address bits";
    case PRD_ERR_TOO_MANY:
        return "the buffer needs more PRD entries (one per 64 KiB block it "
               "touches) than the table holds";
    case PRD_ERR_TABLE_PLACE:
        return "the PRD table must be 4-byte aligned and not cross a 64 KiB "
               "boundary";
    }
    return "unknown error";
}
