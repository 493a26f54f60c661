/*
 * CRC-32 as zlib, gzip, PNG and Ethernet compute it (polynomial 0x04C11DB7,
 * bit-reflected as 0xEDB88320, initial value and final XOR 0xFFFFFFFF), so
 * the host can check the kernel's figure with Python's zlib.crc32. Pure C.
 */
#ifndef KERNEL_CRC32_H
#define KERNEL_CRC32_H

#include <stddef.h>
#include <stdint.h>

#define CRC32_INIT 0u

/* Continues a CRC over n more bytes: start from CRC32_INIT, feed pieces in
 * order, and the result is the CRC of their concatenation. */
uint32_t crc32_update(uint32_t crc, const void *data, size_t n);

#endif
