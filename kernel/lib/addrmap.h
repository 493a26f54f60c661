/*
 * The map of the 4 GiB physical address space (claims C6, C9): who answers
 * where. The firmware's memory map says where RAM is; the kernel knows the
 * windows of the devices it drives. This file merges both into one sorted
 * list of non-overlapping rows that covers all of 0 .. 4 GiB, with a gap
 * shown as a row where nothing answers. It also sorts, counts and names
 * the ranges of the I/O port space, a separate 64 KiB space (claim C2)
 * that costs no memory addresses at all (claim C9); their table is the
 * kernel's, in kernel/monitor/portmap.c: the fixed ranges by the drivers'
 * port names, and the PCI I/O windows, found on the bus at run time.
 *
 * Pure C, no device access: the kernel and the host tests compile it.
 * Ends are 64-bit and exclusive, so a region can end at exactly 2^32.
 */
#ifndef KERNEL_ADDRMAP_H
#define KERNEL_ADDRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ADDRMAP_SPACE_END 0x100000000ull    /* 4 GiB: a 32-bit address */
#define ADDRMAP_LOW_MEMORY_END 0x100000ull  /* 1 MiB: the 8086's space */

/* What answers a load or store at an address. */
enum addrmap_answer {
    ADDRMAP_NOTHING,    /* no RAM and no device the kernel knows of */
    ADDRMAP_RAM,
    ADDRMAP_DEVICE,     /* a device's registers or its own memory */
    ADDRMAP_ROM,        /* firmware: readable, not writable */
    ADDRMAP_RESERVED,   /* kept by the firmware, which does not say who
                         * answers (RAM it uses, or a device) */
};

/* Who wins where regions overlap, low to high: the firmware's free RAM,
 * what the firmware keeps, the kernel's image (in free RAM), the device
 * windows the kernel knows (they cut holes in whatever the firmware said;
 * the BIOS area below 1 MiB is often listed as reserved). */
enum addrmap_rank {
    ADDRMAP_RANK_FREE,
    ADDRMAP_RANK_FIRMWARE,
    ADDRMAP_RANK_KERNEL,
    ADDRMAP_RANK_WINDOW,
};

/* One region as the kernel collects it. Where regions overlap, the one
 * with the higher rank answers; at equal ranks, the one listed first. */
struct addrmap_region {
    uint64_t base, length;
    enum addrmap_answer answer;
    enum addrmap_rank rank;
    const char *what;
};

/* One row of the merged map: [base, end), end <= 4 GiB. */
struct addrmap_row {
    uint64_t base, end;
    enum addrmap_answer answer;
    const char *what;           /* NULL for a gap */
};

/* Merges n regions into rows sorted by address that cover 0 .. 4 GiB
 * without overlap; the parts of regions above 4 GiB are cut off. Touching
 * or overlapping pieces with the same answer and the same `what` become
 * one row. Writes at most cap rows and returns how many the whole map has
 * (more than cap: the rest did not fit). */
unsigned addrmap_build(const struct addrmap_region *in, unsigned n,
                       struct addrmap_row *out, unsigned cap);

/* Whether a window of size bytes (a power of two, as every PCI BAR's
 * size is) may be placed at base among the regions in (claim C5: software
 * places the window; C6: the device then answers there alone). */
enum addrmap_fit {
    ADDRMAP_FITS,
    ADDRMAP_FIT_BAD_SIZE,       /* size 0 or not a power of two */
    ADDRMAP_FIT_UNALIGNED,      /* base not a multiple of size: a BAR
                                 * holds only the address bits above its
                                 * size (PCI 3.0, 6.2.5.1) */
    ADDRMAP_FIT_PAST_END,       /* the window runs past 4 GiB */
    ADDRMAP_FIT_OVERLAPS,       /* *hit overlaps it */
};

/* Checks [base, base + size) against the n regions. On
 * ADDRMAP_FIT_OVERLAPS, *hit is the region that answers at the lowest
 * address the two share (the one `map` shows there); otherwise NULL. */
enum addrmap_fit addrmap_fit(const struct addrmap_region *in, unsigned n,
                             uint64_t base, uint64_t size,
                             const struct addrmap_region **hit);

/* "RAM", "device", "ROM", "reserved", "nothing". */
const char *addrmap_answer_name(enum addrmap_answer answer);

/* A size in the largest binary unit it reaches: "4 GiB", "639 KiB",
 * "~126.7 MiB" (the ~ marks a size cut to one decimal). Returns the length
 * of the text, as snprintf. */
int addrmap_format_size(uint64_t bytes, char *buf, size_t size);

/* The share of the 4 GiB space, rounded to 4 decimals: "0.0154%". */
int addrmap_format_share(uint64_t bytes, char *buf, size_t size);

/* What the device windows (device and ROM rows) cost, claim C9:
 * "384 KiB below 1 MiB + 4 KiB + 4 KiB + 256 KiB = 648 KiB of 4 GiB
 * (0.0154%)". Rows below 1 MiB are summed into one term. */
int addrmap_format_windows(const struct addrmap_row *rows, unsigned n,
                           char *buf, size_t size);

/* The I/O port space (claim C2): the ranges iospace touches. */
#define PORTMAP_SPACE_SIZE 0x10000u         /* 64 KiB of 8-bit ports */

enum portmap_access {
    PORTMAP_OUT = 1,            /* the driver writes with `out` */
    PORTMAP_IN = 2,             /* and/or reads with `in` */
    PORTMAP_IN_OUT = PORTMAP_IN | PORTMAP_OUT,
};

struct portmap_range {
    uint16_t first, last;       /* inclusive */
    enum portmap_access access;
    const char *chip;
    const char *driver;         /* the file that owns the ports */
};

/* "in/out", "in" or "out". */
const char *portmap_access_name(enum portmap_access access);

/* Puts n ranges in order of their first port, in place; ranges that start
 * at the same port keep the order they had. */
void portmap_sort(struct portmap_range *ranges, unsigned n);

/* The port table `map` prints: the fixed ranges (sorted) and the PCI I/O
 * windows (in the functions' order: software placed them, claim C5, so
 * their ports follow no order) copied into out and sorted by first port,
 * a fixed range before a window that starts at the same port. Writes at
 * most cap rows, the fixed ones first, and returns how many it wrote. */
unsigned portmap_merge(const struct portmap_range *fixed, unsigned n_fixed,
                       const struct portmap_range *windows,
                       unsigned n_windows, struct portmap_range *out,
                       unsigned cap);

/* How many distinct ports n ranges sorted by first port hold: a port two
 * ranges share (a window moved over another's ports by a configuration
 * write) counts once. The tables themselves are the kernel's
 * (kernel/monitor/portmap.c), written with the drivers' port names, which
 * this pure file cannot include. */
unsigned portmap_ports_used(const struct portmap_range *ranges, unsigned n);

/* The length of the longest chip name of n ranges, at least min: the
 * width of the column `map` prints them in. */
unsigned portmap_chip_width(const struct portmap_range *ranges, unsigned n,
                            unsigned min);

#endif
