/* 1.44 MB diskette geometry: see kernel/lib/floppy_geometry.h. Pure C. */
#include "kernel/lib/floppy_geometry.h"

#define SECTORS_PER_CYLINDER (FD_HEADS * FD_SECTORS_PER_TRACK)

struct fd_chs fd_lba_to_chs(uint32_t lba)
{
    struct fd_chs chs;
    chs.cylinder = (uint8_t)(lba / SECTORS_PER_CYLINDER);
    chs.head = (uint8_t)(lba / FD_SECTORS_PER_TRACK % FD_HEADS);
    chs.sector = (uint8_t)(lba % FD_SECTORS_PER_TRACK + FD_FIRST_SECTOR);
    return chs;
}

uint32_t fd_sectors_on_track(uint32_t lba, uint32_t count)
{
    uint32_t left = FD_SECTORS_PER_TRACK - lba % FD_SECTORS_PER_TRACK;
    return count < left ? count : left;
}

enum fd_range_status fd_check_range(uint32_t lba, uint32_t count)
{
    if (lba >= FD_SECTORS)
        return FD_RANGE_BAD_LBA;
    if (count == 0 || count > FD_MAX_READ_SECTORS)
        return FD_RANGE_BAD_COUNT;
    if (count > FD_SECTORS - lba)
        return FD_RANGE_PAST_END;
    return FD_RANGE_OK;
}

const char *fd_range_text(enum fd_range_status st)
{
    switch (st) {
    case FD_RANGE_OK:
        return "ok";
    case FD_RANGE_BAD_LBA:
        return "LBA past the last sector";
    case FD_RANGE_BAD_COUNT:
        return "COUNT out of range (one cylinder at most)";
    case FD_RANGE_PAST_END:
        return "the read runs past the last sector";
    }
    return "unknown error";
}
