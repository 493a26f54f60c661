#include "kernel/lib/segdesc.h"

/* Bit positions in the 64-bit descriptor (figure 3-8): limit 15..0 in
 * bits 15..0, base 23..0 in bits 39..16, the access byte in 47..40,
 * limit 19..16 in 51..48, the flags in 55..52, base 31..24 in 63..56. */
#define LIMIT_LOW_BITS 16
#define LIMIT_LOW_MASK 0xFFFFu
#define LIMIT_HIGH_SHIFT 48
#define LIMIT_HIGH_MASK 0xFu
#define BASE_LOW_SHIFT 16
#define BASE_LOW_MASK 0xFFFFFFu
#define BASE_HIGH_BITS 24
#define BASE_HIGH_SHIFT 56
#define BYTE_MASK 0xFFu
#define ACCESS_SHIFT 40
#define FLAGS_SHIFT 52
#define FLAGS_MASK 0xFu

uint64_t segdesc_make(uint32_t base, uint32_t limit, uint8_t access,
                      uint8_t flags)
{
    limit &= SEGDESC_LIMIT_MAX;
    return (uint64_t)(limit & LIMIT_LOW_MASK)
           | (uint64_t)(base & BASE_LOW_MASK) << BASE_LOW_SHIFT
           | (uint64_t)access << ACCESS_SHIFT
           | (uint64_t)(limit >> LIMIT_LOW_BITS) << LIMIT_HIGH_SHIFT
           | (uint64_t)(flags & FLAGS_MASK) << FLAGS_SHIFT
           | (uint64_t)(base >> BASE_HIGH_BITS) << BASE_HIGH_SHIFT;
}

uint32_t segdesc_base(uint64_t d)
{
    return (uint32_t)((d >> BASE_LOW_SHIFT) & BASE_LOW_MASK)
           | (uint32_t)((d >> BASE_HIGH_SHIFT) & BYTE_MASK) << BASE_HIGH_BITS;
}

uint32_t segdesc_limit(uint64_t d)
{
    return (uint32_t)(d & LIMIT_LOW_MASK)
           | (uint32_t)((d >> LIMIT_HIGH_SHIFT) & LIMIT_HIGH_MASK)
                 << LIMIT_LOW_BITS;
}

uint8_t segdesc_access(uint64_t d)
{
    return (uint8_t)((d >> ACCESS_SHIFT) & BYTE_MASK);
}
