/*
 * Encoding of one GDT segment descriptor: 8 bytes that give a segment's
 * base, limit, type and privilege. Pure C, host-tested. The kernel builds
 * its task-state segment descriptors with it at run time: their base is
 * the address of a C structure, which nasm cannot split into the
 * descriptor's three base fields at assembly time.
 * Reference: Intel SDM vol. 3A, 3.4.5 "Segment Descriptors" (figure 3-8)
 * and 7.2.2 "TSS Descriptor" (figure 7-3).
 */
#ifndef KERNEL_SEGDESC_H
#define KERNEL_SEGDESC_H

#include <stdint.h>

/* The access byte: P, DPL (bits 6..5), S (1 = code or data, 0 = system),
 * type. */
#define SEGDESC_PRESENT 0x80
#define SEGDESC_CODE_DATA 0x10
#define SEGDESC_TYPE_MASK 0x0F
#define SEGDESC_TYPE_CODE_READ 0x0A     /* with S=1: execute/read */
#define SEGDESC_TYPE_DATA_WRITE 0x02    /* with S=1: read/write */
/* With S=0, a 32-bit TSS; the CPU sets the busy bit (type 1011b) when the
 * task runs, and refuses to enter a busy task again (7.2.2). */
#define SEGDESC_TYPE_TSS32 0x09
#define SEGDESC_TYPE_TSS32_BUSY 0x0B

/* The flags nibble: G (limit in 4 KiB units) and D/B (32-bit segment);
 * a TSS descriptor has both clear. */
#define SEGDESC_FLAG_4K 0x8
#define SEGDESC_FLAG_32BIT 0x4

#define SEGDESC_LIMIT_MAX 0xFFFFFu      /* 20 bits */

/* The descriptor, as the 64-bit little-endian word the GDT holds. A limit
 * above SEGDESC_LIMIT_MAX is cut to its 20 bits. */
uint64_t segdesc_make(uint32_t base, uint32_t limit, uint8_t access,
                      uint8_t flags);

uint32_t segdesc_base(uint64_t d);
uint32_t segdesc_limit(uint64_t d);
uint8_t segdesc_access(uint64_t d);

#endif
