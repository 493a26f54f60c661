/* Host tests of kernel/lib/addrmap.c: merging the firmware's memory map with
 * the device windows into one table of the 4 GiB space (claims C6, C9). */
#include "kernel/lib/addrmap.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define KIB 1024ull
#define MIB (1024 * KIB)
#define GIB (1024 * MIB)
#define TOP ADDRMAP_SPACE_END

#define FREE ADDRMAP_RANK_FREE
#define FIRMWARE ADDRMAP_RANK_FIRMWARE
#define KERNEL ADDRMAP_RANK_KERNEL
#define WINDOW ADDRMAP_RANK_WINDOW

#define MAX_ROWS 32

static struct addrmap_row rows[MAX_ROWS];

static void assert_row(unsigned i, uint64_t base, uint64_t end,
                       enum addrmap_answer answer, const char *what)
{
    assert_int_equal(rows[i].base, base);
    assert_int_equal(rows[i].end, end);
    assert_int_equal(rows[i].answer, answer);
    if (what)
        assert_string_equal(rows[i].what, what);
    else
        assert_null(rows[i].what);
}

static void test_an_empty_map_is_one_row_of_nothing(void **state)
{
    (void)state;
    assert_int_equal(addrmap_build(0, 0, rows, MAX_ROWS), 1);
    assert_row(0, 0, TOP, ADDRMAP_NOTHING, 0);
    /* And with no room at all, it still counts. */
    assert_int_equal(addrmap_build(0, 0, 0, 0), 1);
}

/* The map QEMU's pc machine with -m 128 hands a multiboot kernel, with
 * the windows iospace adds: the table `map` prints. */
static void test_qemu_pc_128m(void **state)
{
    (void)state;
    const struct addrmap_region in[] = {
        { 0x0, 0x9FC00, ADDRMAP_RAM, FREE, "free RAM" },
        { 0x9FC00, 0x400, ADDRMAP_RESERVED, FIRMWARE, "firmware's" },
        { 0xF0000, 0x10000, ADDRMAP_RESERVED, FIRMWARE, "firmware's" },
        { 0x100000, 0x7EE0000, ADDRMAP_RAM, FREE, "free RAM" },
        { 0x7FE0000, 0x20000, ADDRMAP_RESERVED, FIRMWARE, "firmware's" },
        { 0xFFFC0000, 0x40000, ADDRMAP_ROM, FIRMWARE, "flash" },
        { 0xA0000, 0x20000, ADDRMAP_DEVICE, WINDOW, "VGA" },
        { 0xC0000, 0x40000, ADDRMAP_ROM, WINDOW, "BIOS" },
        { 0x100000, 0x1E000, ADDRMAP_RAM, KERNEL, "kernel" },
        { 0xFEC00000, 0x1000, ADDRMAP_DEVICE, WINDOW, "IO APIC" },
        { 0xFEE00000, 0x1000, ADDRMAP_DEVICE, WINDOW, "Local APIC" },
    };
    char text[128];

    assert_int_equal(addrmap_build(in, 11, rows, MAX_ROWS), 13);
    assert_row(0, 0, 0x9FC00, ADDRMAP_RAM, "free RAM");
    assert_row(1, 0x9FC00, 0xA0000, ADDRMAP_RESERVED, "firmware's");
    assert_row(2, 0xA0000, 0xC0000, ADDRMAP_DEVICE, "VGA");
    /* The BIOS window swallows the firmware's reserved 0xF0000 block. */
    assert_row(3, 0xC0000, 0x100000, ADDRMAP_ROM, "BIOS");
    /* The kernel image splits the free RAM above 1 MiB. */
    assert_row(4, 0x100000, 0x11E000, ADDRMAP_RAM, "kernel");
    assert_row(5, 0x11E000, 0x7FE0000, ADDRMAP_RAM, "free RAM");
    assert_row(6, 0x7FE0000, 0x8000000, ADDRMAP_RESERVED, "firmware's");
    assert_row(7, 0x8000000, 0xFEC00000, ADDRMAP_NOTHING, 0);
    assert_row(8, 0xFEC00000, 0xFEC01000, ADDRMAP_DEVICE, "IO APIC");
    assert_row(9, 0xFEC01000, 0xFEE00000, ADDRMAP_NOTHING, 0);
    assert_row(10, 0xFEE00000, 0xFEE01000, ADDRMAP_DEVICE, "Local APIC");
    assert_row(11, 0xFEE01000, 0xFFFC0000, ADDRMAP_NOTHING, 0);
    assert_row(12, 0xFFFC0000, TOP, ADDRMAP_ROM, "flash");

    addrmap_format_windows(rows, 13, text, sizeof text);
    assert_string_equal(text, "384 KiB below 1 MiB + 4 KiB + 4 KiB + 256 KiB"
                              " = 648 KiB of 4 GiB (0.0154%)");
}

/* A window inside a reserved region splits it in three; the same window
 * listed under a lower rank than the region is hidden by it. */
static void test_a_window_inside_a_region_splits_it(void **state)
{
    (void)state;
    struct addrmap_region in[] = {
        { 0xF0000000, 0x10000000, ADDRMAP_RESERVED, FIRMWARE, "reserved" },
        { 0xFEC00000, 0x1000, ADDRMAP_DEVICE, WINDOW, "IO APIC" },
    };
    assert_int_equal(addrmap_build(in, 2, rows, MAX_ROWS), 4);
    assert_row(0, 0, 0xF0000000, ADDRMAP_NOTHING, 0);
    assert_row(1, 0xF0000000, 0xFEC00000, ADDRMAP_RESERVED, "reserved");
    assert_row(2, 0xFEC00000, 0xFEC01000, ADDRMAP_DEVICE, "IO APIC");
    assert_row(3, 0xFEC01000, TOP, ADDRMAP_RESERVED, "reserved");

    in[1].rank = FREE;
    assert_int_equal(addrmap_build(in, 2, rows, MAX_ROWS), 2);
    assert_row(1, 0xF0000000, TOP, ADDRMAP_RESERVED, "reserved");
}

/* Partial overlaps at equal rank: the region listed first answers, in
 * either order; the result does not depend on anything else. */
static void test_equal_ranks_the_first_listed_wins(void **state)
{
    (void)state;
    struct addrmap_region in[] = {
        { 0x1000, 0x3000, ADDRMAP_RAM, FREE, "a" },
        { 0x2000, 0x3000, ADDRMAP_DEVICE, FREE, "b" },
    };
    assert_int_equal(addrmap_build(in, 2, rows, MAX_ROWS), 4);
    assert_row(1, 0x1000, 0x4000, ADDRMAP_RAM, "a");
    assert_row(2, 0x4000, 0x5000, ADDRMAP_DEVICE, "b");

    struct addrmap_region swapped[] = { in[1], in[0] };
    assert_int_equal(addrmap_build(swapped, 2, rows, MAX_ROWS), 4);
    assert_row(1, 0x1000, 0x2000, ADDRMAP_RAM, "a");
    assert_row(2, 0x2000, 0x5000, ADDRMAP_DEVICE, "b");
}

/* Touching regions of the same kind become one row (firmware maps often
 * split RAM); touching regions of different kinds leave no gap. An empty
 * region changes nothing. */
static void test_touching_regions(void **state)
{
    (void)state;
    const struct addrmap_region in[] = {
        { 0x100000, 0x100000, ADDRMAP_RAM, FREE, "free RAM" },
        { 0x200000, 0x100000, ADDRMAP_RAM, FREE, "free RAM" },
        { 0x300000, 0x1000, ADDRMAP_DEVICE, WINDOW, "dev" },
        { 0x250000, 0, ADDRMAP_DEVICE, WINDOW, "empty" },
    };
    assert_int_equal(addrmap_build(in, 4, rows, MAX_ROWS), 4);
    assert_row(0, 0, 0x100000, ADDRMAP_NOTHING, 0);
    assert_row(1, 0x100000, 0x300000, ADDRMAP_RAM, "free RAM");
    assert_row(2, 0x300000, 0x301000, ADDRMAP_DEVICE, "dev");
    assert_row(3, 0x301000, TOP, ADDRMAP_NOTHING, 0);
}

/* The top of the space: a region ending at exactly 2^32, one running past
 * it (cut), one wholly above it (dropped), one whose length would wrap a
 * 64-bit end. */
static void test_the_top_of_4_gib(void **state)
{
    (void)state;
    struct addrmap_region in[] = {
        { 0xFFFC0000, 0x40000, ADDRMAP_ROM, FIRMWARE, "flash" },
    };
    assert_int_equal(addrmap_build(in, 1, rows, MAX_ROWS), 2);
    assert_row(1, 0xFFFC0000, TOP, ADDRMAP_ROM, "flash");

    const struct addrmap_region beyond[] = {
        { 0xC0000000, 2 * GIB, ADDRMAP_RAM, FREE, "RAM" },
        { TOP, 4 * GIB, ADDRMAP_RAM, FREE, "high RAM" },
        { 0xFFFFF000, UINT64_MAX, ADDRMAP_DEVICE, WINDOW, "last page" },
    };
    assert_int_equal(addrmap_build(beyond, 3, rows, MAX_ROWS), 3);
    assert_row(1, 0xC0000000, 0xFFFFF000, ADDRMAP_RAM, "RAM");
    assert_row(2, 0xFFFFF000, TOP, ADDRMAP_DEVICE, "last page");
}

/* More rows than the caller's table holds: exactly cap are written (the
 * first ones), and the count says how many there are. */
static void test_more_rows_than_the_table_holds(void **state)
{
    (void)state;
    struct addrmap_region in[20];
    struct addrmap_row all[64], few[6];

    for (unsigned i = 0; i < 20; i++)
        in[i] = (struct addrmap_region){ (uint64_t)(i + 1) * 2 * MIB, MIB,
                                         ADDRMAP_DEVICE, WINDOW, "dev" };
    assert_int_equal(addrmap_build(in, 20, all, 64), 41);
    memset(few, 0xA5, sizeof few);
    assert_int_equal(addrmap_build(in, 20, few, 5), 41);
    for (unsigned i = 0; i < 5; i++) {
        assert_int_equal(few[i].base, all[i].base);
        assert_int_equal(few[i].end, all[i].end);
        assert_int_equal(few[i].answer, all[i].answer);
        assert_ptr_equal(few[i].what, all[i].what);
    }
    /* The sixth entry is untouched. */
    struct addrmap_row poison;
    memset(&poison, 0xA5, sizeof poison);
    assert_memory_equal(&few[5], &poison, sizeof poison);
    assert_int_equal(all[40].end, TOP);
}

/* The regions `bar` checks a new BAR address against on QEMU's pc with
 * -m 128: RAM, the kernel, the ROMs, the VGA's PCI windows, the APICs. */
static const struct addrmap_region fit_map[] = {
    { 0x0, 0x9FC00, ADDRMAP_RAM, FREE, "free RAM" },
    { 0x100000, 0x7EE0000, ADDRMAP_RAM, FREE, "free RAM" },
    { 0x100000, 0x8A000, ADDRMAP_RAM, KERNEL, "kernel" },
    { 0x7FE0000, 0x20000, ADDRMAP_RESERVED, FIRMWARE, "firmware's" },
    { 0xA0000, 0x20000, ADDRMAP_DEVICE, WINDOW, "VGA" },
    { 0xC0000, 0x40000, ADDRMAP_ROM, WINDOW, "ROMs" },
    { 0xFD000000, 16 * MIB, ADDRMAP_DEVICE, WINDOW, "VGA BAR0" },
    { 0xFEBF0000, 4 * KIB, ADDRMAP_DEVICE, WINDOW, "VGA BAR2" },
    { 0xFEC00000, 4 * KIB, ADDRMAP_DEVICE, WINDOW, "IO APIC" },
    { 0xFFFC0000, 0x40000, ADDRMAP_ROM, FIRMWARE, "flash" },
};
#define FIT_MAP_N (sizeof fit_map / sizeof fit_map[0])

static enum addrmap_fit fit(uint64_t base, uint64_t size, const char **what)
{
    const struct addrmap_region *hit = &fit_map[0];
    enum addrmap_fit f = addrmap_fit(fit_map, FIT_MAP_N, base, size, &hit);
    *what = hit ? hit->what : 0;
    if (f == ADDRMAP_FIT_OVERLAPS)
        assert_non_null(hit);
    else
        assert_null(hit);
    return f;
}

static void test_fit_free_addresses(void **state)
{
    (void)state;
    const char *what;
    /* Above RAM, in the hole; touching a window on either side. */
    assert_int_equal(fit(0xE0000000, 4 * KIB, &what), ADDRMAP_FITS);
    assert_int_equal(fit(0xFEBEF000, 4 * KIB, &what), ADDRMAP_FITS);
    assert_int_equal(fit(0xFEBF1000, 4 * KIB, &what), ADDRMAP_FITS);
    assert_int_equal(fit(0xFC000000, 16 * MIB, &what), ADDRMAP_FITS);
    assert_int_equal(fit(0x8000000, 128 * MIB, &what), ADDRMAP_FITS);
    /* The last page below the flash, and nothing at all to check. */
    assert_int_equal(fit(0xFFFBF000, 4 * KIB, &what), ADDRMAP_FITS);
    const struct addrmap_region *hit;
    assert_int_equal(addrmap_fit(0, 0, 0, 4 * KIB, &hit), ADDRMAP_FITS);
}

static void test_fit_refuses_bad_sizes_and_alignment(void **state)
{
    (void)state;
    const char *what;
    assert_int_equal(fit(0xE0000000, 0, &what), ADDRMAP_FIT_BAD_SIZE);
    assert_int_equal(fit(0xE0000000, 3 * KIB, &what), ADDRMAP_FIT_BAD_SIZE);
    assert_int_equal(fit(0xE0000800, 4 * KIB, &what), ADDRMAP_FIT_UNALIGNED);
    /* 16 MiB must sit on a 16 MiB boundary, even where 4 KiB would. */
    assert_int_equal(fit(0xE0001000, 16 * MIB, &what),
                     ADDRMAP_FIT_UNALIGNED);
    /* 8 GiB (a 64-bit BAR) cannot fit below 4 GiB; 4 GiB at 0 ends just
     * at the top, but overlaps everything. */
    assert_int_equal(fit(0, 8 * GIB, &what), ADDRMAP_FIT_PAST_END);
    assert_int_equal(fit(TOP, 4 * KIB, &what), ADDRMAP_FIT_PAST_END);
    assert_int_equal(fit(0, TOP, &what), ADDRMAP_FIT_OVERLAPS);
    assert_string_equal(what, "free RAM");
}

static void test_fit_names_what_is_in_the_way(void **state)
{
    (void)state;
    const char *what;
    assert_int_equal(fit(0x1000000, 4 * KIB, &what), ADDRMAP_FIT_OVERLAPS);
    assert_string_equal(what, "free RAM");
    /* Over the kernel, which wins over the free RAM it lies in. */
    assert_int_equal(fit(0x100000, 4 * KIB, &what), ADDRMAP_FIT_OVERLAPS);
    assert_string_equal(what, "kernel");
    assert_int_equal(fit(0xC0000, 4 * KIB, &what), ADDRMAP_FIT_OVERLAPS);
    assert_string_equal(what, "ROMs");
    assert_int_equal(fit(0x7FE0000, 64 * KIB, &what), ADDRMAP_FIT_OVERLAPS);
    assert_string_equal(what, "firmware's");
    assert_int_equal(fit(0xFEC00000, 4 * KIB, &what), ADDRMAP_FIT_OVERLAPS);
    assert_string_equal(what, "IO APIC");
    /* A big window over a small one: the overlap starts inside it. */
    assert_int_equal(fit(0xFEB00000, MIB, &what), ADDRMAP_FIT_OVERLAPS);
    assert_string_equal(what, "VGA BAR2");
    /* Two in the way: the lower one is named. */
    assert_int_equal(fit(0xFC000000, 64 * MIB, &what), ADDRMAP_FIT_OVERLAPS);
    assert_string_equal(what, "VGA BAR0");
    assert_int_equal(fit(0xFFFFF000, 4 * KIB, &what), ADDRMAP_FIT_OVERLAPS);
    assert_string_equal(what, "flash");
}

static void test_format_size(void **state)
{
    (void)state;
    static const struct {
        uint64_t bytes;
        const char *text;
    } cases[] = {
        { 0, "0 B" },
        { 1, "1 B" },
        { 1023, "1023 B" },
        { KIB, "1 KiB" },
        { 1536, "~1.5 KiB" },
        { 0x9FC00, "639 KiB" },
        { 0x7EC2000, "~126.7 MiB" },
        { 128 * MIB, "128 MiB" },
        { 0xF6C00000, "~3.8 GiB" },
        { TOP, "4 GiB" },
    };
    char text[24];
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int len = addrmap_format_size(cases[i].bytes, text, sizeof text);
        assert_string_equal(text, cases[i].text);
        assert_int_equal(len, strlen(cases[i].text));
    }
}

static void test_format_share(void **state)
{
    (void)state;
    char text[24];
    addrmap_format_share(0, text, sizeof text);
    assert_string_equal(text, "0.0000%");
    addrmap_format_share(TOP, text, sizeof text);
    assert_string_equal(text, "100.0000%");
    addrmap_format_share(TOP / 2, text, sizeof text);
    assert_string_equal(text, "50.0000%");
    addrmap_format_share(648 * KIB, text, sizeof text);
    assert_string_equal(text, "0.0154%");
    addrmap_format_share(4 * KIB, text, sizeof text);
    assert_string_equal(text, "0.0001%");
}

/* No windows; windows only above 1 MiB; a buffer too short, which still
 * gets a terminated prefix and the full length. */
static void test_format_windows(void **state)
{
    (void)state;
    const struct addrmap_row none[] = {
        { 0, TOP, ADDRMAP_NOTHING, 0 },
    };
    const struct addrmap_row high[] = {
        { 0, 0xFEC00000, ADDRMAP_RAM, "RAM" },
        { 0xFEC00000, 0xFEC01000, ADDRMAP_DEVICE, "IO APIC" },
        { 0xFEC01000, TOP, ADDRMAP_NOTHING, 0 },
    };
    const char *want = "4 KiB = 4 KiB of 4 GiB (0.0001%)";
    char text[64], tiny[8];

    addrmap_format_windows(none, 1, text, sizeof text);
    assert_string_equal(text, "none = 0 B of 4 GiB (0.0000%)");
    addrmap_format_windows(high, 3, text, sizeof text);
    assert_string_equal(text, want);
    assert_int_equal(addrmap_format_windows(high, 3, tiny, sizeof tiny),
                     strlen(want));
    assert_string_equal(tiny, "4 KiB =");
}

/* The port count over a table (the kernel's own is checked against
 * QEMU's decoding in tests/qemu/test_map.py), and the access names. */
static void test_port_map_counts_and_names(void **state)
{
    (void)state;
    static const struct portmap_range ranges[] = {
        { 0x0020, 0x0021, PORTMAP_IN_OUT,
          "8259 PIC, master", "drivers/pic8259.c" },
        { 0x0080, 0x0080, PORTMAP_OUT, "POST code", "io/port.h" },
        { 0x03F8, 0x03FF, PORTMAP_IN_OUT,
          "16550 UART, COM1", "drivers/serial.c" },
    };
    assert_int_equal(portmap_ports_used(ranges, 3), 2 + 1 + 8);
    assert_int_equal(portmap_ports_used(ranges, 0), 0);
    assert_string_equal(portmap_access_name(PORTMAP_IN_OUT), "in/out");
    assert_string_equal(portmap_access_name(PORTMAP_OUT), "out");
    assert_string_equal(portmap_access_name(PORTMAP_IN), "in");
}

/* Two ranges with the same first port, and a table out of order: the
 * sort puts them by first port and keeps the order of equal starts. */
static void test_port_sort_is_stable(void **state)
{
    (void)state;
    struct portmap_range r[] = {
        { 0xC100, 0xC13F, PORTMAP_IN_OUT, "e1000", "no driver" },
        { 0x03F8, 0x03FF, PORTMAP_IN_OUT, "UART", "drivers/serial.c" },
        { 0xC000, 0xC0FF, PORTMAP_IN_OUT, "rtl8139 first", "no driver" },
        { 0xC000, 0xC00F, PORTMAP_IN_OUT, "rtl8139 second", "no driver" },
        { 0x0020, 0x0021, PORTMAP_IN_OUT, "8259", "drivers/pic8259.c" },
    };
    portmap_sort(r, 5);
    assert_string_equal(r[0].chip, "8259");
    assert_string_equal(r[1].chip, "UART");
    assert_string_equal(r[2].chip, "rtl8139 first");
    assert_string_equal(r[3].chip, "rtl8139 second");
    assert_string_equal(r[4].chip, "e1000");
    portmap_sort(r, 0);         /* nothing to do, nothing touched */
    assert_string_equal(r[0].chip, "8259");
}

/* QEMU pc with an IDE disk and -device rtl8139: the firmware placed the
 * windows from the largest down (rtl8139 256 ports, e1000 64, the IDE
 * function's BMIDE 16) above the fixed ports, and the scan finds them in
 * the functions' order. */
static const struct portmap_range fixed_ports[] = {
    { 0x0020, 0x0021, PORTMAP_IN_OUT, "8259 PIC, master", "pic8259" },
    { 0x03F8, 0x03FF, PORTMAP_IN_OUT, "16550 UART, COM1", "serial" },
    { 0x0CF8, 0x0CFF, PORTMAP_IN_OUT, "PCI configuration", "pci" },
};
static const struct portmap_range pci_windows[] = {
    { 0xC140, 0xC14F, PORTMAP_IN_OUT, "PCI 00:01.1 BAR4: IDE controller",
      "drivers/ata_dma.c" },
    { 0xC100, 0xC13F, PORTMAP_IN_OUT, "PCI 00:03.0 BAR1: Ethernet "
      "controller", "no driver" },
    { 0xC000, 0xC0FF, PORTMAP_IN_OUT, "PCI 00:04.0 BAR0: Ethernet "
      "controller", "no driver" },
};

static void test_port_merge_puts_the_windows_in_address_order(void **state)
{
    (void)state;
    struct portmap_range out[6];
    assert_int_equal(portmap_merge(fixed_ports, 3, pci_windows, 3, out, 6),
                     6);
    static const uint16_t firsts[] = { 0x0020, 0x03F8, 0x0CF8, 0xC000,
                                       0xC100, 0xC140 };
    for (unsigned i = 0; i < 6; i++)
        assert_int_equal(out[i].first, firsts[i]);
    assert_string_equal(out[3].chip, "PCI 00:04.0 BAR0: Ethernet controller");
    assert_string_equal(out[5].driver, "drivers/ata_dma.c");
    assert_int_equal(portmap_ports_used(out, 6),
                     2 + 8 + 8 + 256 + 64 + 16);
    /* No windows: the fixed table as it was. */
    assert_int_equal(portmap_merge(fixed_ports, 3, pci_windows, 0, out, 6),
                     3);
    assert_int_equal(out[2].first, 0x0CF8);
}

static void test_port_merge_keeps_the_fixed_rows_when_full(void **state)
{
    (void)state;
    struct portmap_range out[4];
    /* Room for one window: the first the scan found, after the fixed. */
    assert_int_equal(portmap_merge(fixed_ports, 3, pci_windows, 3, out, 4),
                     4);
    assert_int_equal(out[0].first, 0x0020);
    assert_int_equal(out[3].first, 0xC140);
    assert_int_equal(portmap_merge(fixed_ports, 3, pci_windows, 3, out, 0),
                     0);
}

/* A window moved over fixed ports (outl to its BAR through 0xCF8/0xCFC):
 * both rows are listed, at the same ports, the fixed one first, and the
 * ports they share are counted once. */
static void test_port_overlap_counts_each_port_once(void **state)
{
    (void)state;
    static const struct portmap_range moved[] = {
        { 0x03F0, 0x03FF, PORTMAP_IN_OUT, "PCI 00:01.1 BAR4: IDE "
          "controller", "no driver" },
        { 0x0CF8, 0x0CFB, PORTMAP_IN_OUT, "a 4-port window", "no driver" },
    };
    struct portmap_range out[5];
    assert_int_equal(portmap_merge(fixed_ports, 3, moved, 2, out, 5), 5);
    assert_int_equal(out[1].first, 0x03F0);
    assert_int_equal(out[2].first, 0x03F8);
    assert_string_equal(out[3].chip, "PCI configuration");
    assert_string_equal(out[4].chip, "a 4-port window");
    /* 0x3F0-0x3FF once, 0xCF8-0xCFF once, and the 8259's two. */
    assert_int_equal(portmap_ports_used(out, 5), 2 + 16 + 8);
    /* The top of the port space: 0xFFFF + 1 does not wrap to 0. */
    static const struct portmap_range top[] = {
        { 0xFFF0, 0xFFFF, PORTMAP_IN_OUT, "top", "no driver" },
        { 0xFFFF, 0xFFFF, PORTMAP_IN_OUT, "last", "no driver" },
    };
    assert_int_equal(portmap_ports_used(top, 2), 16);
}

static void test_port_chip_width(void **state)
{
    (void)state;
    assert_int_equal(portmap_chip_width(fixed_ports, 3, 4),
                     strlen("PCI configuration"));
    assert_int_equal(portmap_chip_width(fixed_ports, 3, 40), 40);
    assert_int_equal(portmap_chip_width(pci_windows, 3, 0),
                     strlen("PCI 00:03.0 BAR1: Ethernet controller"));
    assert_int_equal(portmap_chip_width(pci_windows, 0, 4), 4);
}

static void test_answer_names(void **state)
{
    (void)state;
    assert_string_equal(addrmap_answer_name(ADDRMAP_RAM), "RAM");
    assert_string_equal(addrmap_answer_name(ADDRMAP_DEVICE), "device");
    assert_string_equal(addrmap_answer_name(ADDRMAP_ROM), "ROM");
    assert_string_equal(addrmap_answer_name(ADDRMAP_RESERVED), "reserved");
    assert_string_equal(addrmap_answer_name(ADDRMAP_NOTHING), "nothing");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_an_empty_map_is_one_row_of_nothing),
        cmocka_unit_test(test_qemu_pc_128m),
        cmocka_unit_test(test_a_window_inside_a_region_splits_it),
        cmocka_unit_test(test_equal_ranks_the_first_listed_wins),
        cmocka_unit_test(test_touching_regions),
        cmocka_unit_test(test_the_top_of_4_gib),
        cmocka_unit_test(test_more_rows_than_the_table_holds),
        cmocka_unit_test(test_fit_free_addresses),
        cmocka_unit_test(test_fit_refuses_bad_sizes_and_alignment),
        cmocka_unit_test(test_fit_names_what_is_in_the_way),
        cmocka_unit_test(test_format_size),
        cmocka_unit_test(test_format_share),
        cmocka_unit_test(test_format_windows),
        cmocka_unit_test(test_port_map_counts_and_names),
        cmocka_unit_test(test_port_sort_is_stable),
        cmocka_unit_test(test_port_merge_puts_the_windows_in_address_order),
        cmocka_unit_test(test_port_merge_keeps_the_fixed_rows_when_full),
        cmocka_unit_test(test_port_overlap_counts_each_port_once),
        cmocka_unit_test(test_port_chip_width),
        cmocka_unit_test(test_answer_names),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
