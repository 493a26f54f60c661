/*
 * DMA and the floppy (claim C7): the 8237's channels as they stand, and
 * the same sectors read once by DMA and once by the CPU, with what each
 * cost.
 */
#include "drivers/dma8237.h"
#include "drivers/floppy.h"
#include "kernel/console.h"
#include "kernel/lib/crc32.h"
#include "kernel/lib/klib.h"
#include "kernel/monitor/monitor.h"

#define DUMP_BYTES_PER_LINE 32
#define ASCII_FIRST ' '
#define ASCII_LAST '~'
#define FDREAD_BUFFER (FD_MAX_READ_SECTORS * FD_SECTOR_SIZE)

static uint8_t *fdread_buf;

/* A sector as hex and ASCII, 32 bytes a line: offset, bytes, characters
 * ('.' for anything not printable). */
static void hex_dump(const uint8_t *p, uint32_t len)
{
    for (uint32_t off = 0; off < len; off += DUMP_BYTES_PER_LINE) {
        char ascii[DUMP_BYTES_PER_LINE + 1];
        kprintf("%03x:", off);
        for (uint32_t i = 0; i < DUMP_BYTES_PER_LINE; i++) {
            uint8_t b = p[off + i];
            kprintf(" %02x", b);
            ascii[i] = '.';
            if (b >= ASCII_FIRST && b <= ASCII_LAST)
                ascii[i] = (char)b;
        }
        ascii[DUMP_BYTES_PER_LINE] = '\0';
        kprintf("  %s\n", ascii);
    }
}

static bool parse_mode(const char *s, enum fd_mode *mode)
{
    if (strcmp(s, floppy_mode_name(FD_MODE_DMA)) == 0)
        *mode = FD_MODE_DMA;
    else if (strcmp(s, floppy_mode_name(FD_MODE_PIO)) == 0)
        *mode = FD_MODE_PIO;
    else
        return false;
    return true;
}

static void cmd_fdread(int argc, char **argv)
{
    uint32_t lba, count = 1;
    enum fd_mode mode = FD_MODE_DMA;
    struct fd_stats stats;
    int next = 2;

    if (!monitor_arg_number(argv[0], "LBA", argv[1], UINT32_MAX, &lba))
        return;
    /* COUNT may be left out before the mode: `fdread 5 pio`. */
    if (next < argc && !parse_mode(argv[next], &mode)) {
        if (!monitor_arg_number(argv[0], "COUNT", argv[next], UINT32_MAX,
                                &count))
            return;
        next++;
        if (next < argc && !parse_mode(argv[next], &mode)) {
            monitor_error("fdread: mode '%s': must be %s or %s", argv[next],
                          floppy_mode_name(FD_MODE_DMA),
                          floppy_mode_name(FD_MODE_PIO));
            return;
        }
    } else if (next + 1 < argc) {
        monitor_error("usage: fdread LBA [COUNT] [dma|pio]");
        return;
    }
    enum fd_range_status range = fd_check_range(lba, count);
    if (range != FD_RANGE_OK) {
        monitor_error("fdread: %s (LBA %u, COUNT %u; sectors are 0-%u, a "
                      "read is 1-%u of them)", fd_range_text(range), lba,
                      count, FD_SECTORS - 1, FD_MAX_READ_SECTORS);
        return;
    }
    if (!fdread_buf)
        fdread_buf = dma_alloc(FDREAD_BUFFER, FD_DMA_CHANNEL);
    if (!fdread_buf) {
        monitor_error("fdread: no DMA-safe buffer of %u bytes",
                      FDREAD_BUFFER);
        return;
    }

    enum fd_status st = floppy_read(lba, count, mode, fdread_buf, &stats);
    if (st == FD_ERR_NO_DRIVE) {
        monitor_error("%s", floppy_problem());  /* no drive, or which */
        return;
    }
    if (st != FD_OK) {
        monitor_error("fdread: %s", floppy_problem());
        return;
    }
    uint32_t bytes = count * FD_SECTOR_SIZE;
    kprintf("fdread lba=%u count=%u mode=%s bytes=%u crc32=0x%08x ", lba,
            count, floppy_mode_name(mode), bytes,
            crc32_update(CRC32_INIT, fdread_buf, bytes));
    if (stats.cycles)
        kprintf("cycles=%llu", (unsigned long long)stats.cycles);
    else
        kprintf("cycles=n/a");
    kprintf(" in=%u out=%u irqs=%u\n", stats.ins, stats.outs, stats.irqs);
    if (count == 1)
        hex_dump(fdread_buf, bytes);
}

/* The channels of one controller whose status bits are set, "2 3" or
 * "none". */
/* The channels of one controller whose terminal-count bit (or request
 * bit) is set in its status register. */
static void print_channels(uint8_t status, unsigned first, bool requests)
{
    bool any = false;
    for (unsigned ch = first; ch < first + DMA_CHANNELS_PER_CONTROLLER; ch++) {
        unsigned bit = requests ? DMA_STATUS_REQUEST(ch) : DMA_STATUS_TC(ch);
        if (status & bit) {
            kprintf(" %u", ch);
            any = true;
        }
    }
    if (!any)
        kprintf(" none");
}

static void cmd_dma(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    kprintf("8237 pair: channels 0-3 move bytes (ports 0x00-0x0f), 4-7 "
            "words (0xc0-0xdf), 4 is the cascade\n");
    kprintf("%2s  %-6s  %-25s  %-4s %-6s    %-8s  %s\n", "ch", "mask",
            "mode (as written)", "page", "addr", "physical",
            "count (residue)");
    for (unsigned ch = 0; ch < DMA_CHANNELS; ch++) {
        struct dma_channel_view v = dma_channel_view(ch);
        if (ch == DMA_CASCADE_CHANNEL) {
            kprintf("%2u  %-6s  %s\n", ch, v.masked ? "masked" : "open",
                    dma_mode_select_name(v.mode));
            continue;
        }
        kprintf("%2u  %-6s  %-7s %-7s %-4s %-4s  0x%02x 0x%04x -> 0x%06x  "
                "0x%04x %s\n", ch, v.masked ? "masked" : "open",
                dma_mode_select_name(v.mode), dma_mode_transfer_name(v.mode),
                v.mode & DMA_MODE_DECREMENT ? "dec" : "inc",
                v.mode & DMA_MODE_AUTOINIT ? "auto" : "",
                v.page, v.address,
                dma_decode_address(ch, v.page, v.address), v.count,
                dma_channel_is_16bit(ch) ? "words" : "bytes");
    }
    for (unsigned first = 0; first < DMA_CHANNELS;
         first += DMA_CHANNELS_PER_CONTROLLER) {
        uint8_t status = dma_read_status(first);
        kprintf("status %u-%u: 0x%02x  terminal count:", first,
                first + DMA_CHANNELS_PER_CONTROLLER - 1, status);
        print_channels(status, first, false);
        kprintf("  request:");
        print_channels(status, first, true);
        kprintf("\n");
    }
    kprintf("(mask and mode cannot be read back from an 8237: they are what "
            "iospace wrote; reading the status cleared its TC bits)\n");
}

const struct command dma_commands[] = {
    { "fdread", "LBA [COUNT] [dma|pio]",
      "read floppy sectors by DMA or by the CPU; CRC, cycles, in/out", 2, 4,
      cmd_fdread },
    { "dma", "", "the 8237 channels: mask, mode, address, count, status", 1,
      1, cmd_dma },
    { 0, 0, 0, 0, 0, 0 },
};
