/*
 * The geometry of a 1.44 MB 3.5" diskette and the arithmetic on it: block
 * numbers (LBA) to cylinder/head/sector, and where a multi-sector read must
 * be split. Pure C, host-tested; drivers/floppy.c uses it.
 *
 * A 1.44 MB disk has 80 cylinders (track positions of the head arm), 2
 * heads (one per side), and 18 sectors of 512 bytes on every track:
 * 80 x 2 x 18 = 2880 sectors, 1474560 bytes. Sectors are numbered from 1
 * on each track (the address field the controller looks for); LBA runs
 * head 0 then head 1 of cylinder 0, then cylinder 1, and so on.
 */
#ifndef KERNEL_FLOPPY_GEOMETRY_H
#define KERNEL_FLOPPY_GEOMETRY_H

#include <stdint.h>

#define FD_SECTOR_SIZE 512u
#define FD_SECTORS_PER_TRACK 18u
#define FD_HEADS 2u
#define FD_CYLINDERS 80u
#define FD_FIRST_SECTOR 1u
#define FD_SECTORS (FD_CYLINDERS * FD_HEADS * FD_SECTORS_PER_TRACK)
/* The most one read may ask for: one cylinder, both sides (18 KiB). */
#define FD_MAX_READ_SECTORS (FD_HEADS * FD_SECTORS_PER_TRACK)

struct fd_chs {
    uint8_t cylinder;   /* 0..79 */
    uint8_t head;       /* 0..1 */
    uint8_t sector;     /* 1..18 */
};

enum fd_range_status {
    FD_RANGE_OK,
    FD_RANGE_BAD_LBA,       /* lba past the last sector */
    FD_RANGE_BAD_COUNT,     /* count 0 or more than FD_MAX_READ_SECTORS */
    FD_RANGE_PAST_END,      /* lba + count runs off the disk */
};

/* Cylinder, head and sector of lba (which must be below FD_SECTORS). */
struct fd_chs fd_lba_to_chs(uint32_t lba);

/* How many of count sectors from lba lie on lba's track: one READ DATA
 * command reads along one track, so a longer read is split here. */
uint32_t fd_sectors_on_track(uint32_t lba, uint32_t count);

/* Checks a read of count sectors from lba. */
enum fd_range_status fd_check_range(uint32_t lba, uint32_t count);

/* A short English phrase for a range status, for "error: ..." lines. */
const char *fd_range_text(enum fd_range_status st);

#endif
