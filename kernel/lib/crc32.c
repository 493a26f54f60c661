#include "kernel/lib/crc32.h"

#include <stdbool.h>

#define CRC32_POLY_REFLECTED 0xEDB88320u

static uint32_t table[256];
static bool table_ready;

/* One table entry per byte value: the CRC of that byte alone, shifted
 * through the polynomial bit by bit. Built on first use (1 KiB). */
static void build_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int bit = 0; bit < 8; bit++)
            c = (c & 1) ? (c >> 1) ^ CRC32_POLY_REFLECTED : c >> 1;
        table[i] = c;
    }
    table_ready = true;
}

uint32_t crc32_update(uint32_t crc, const void *data, size_t n)
{
    const uint8_t *p = data;
    if (!table_ready)
        build_table();
    crc = ~crc;
    while (n--)
        crc = table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
    return ~crc;
}
