/* Host tests of kernel/lib/panel_layout.c: the live panel's cells, row by row
 * and colour by colour, for each way a machine can be (APICs or 8259,
 * devices missing, the disk behind IDE or AHCI, trace on, no tick), and
 * the fixed-width counts. */
#include "kernel/lib/panel_layout.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define RULE_CHAR 0xB3

static uint16_t cells[PANEL_CELLS];

/* A machine like QEMU's default pc: APIC delivery, every device there,
 * a disk on the IDE channel (no AHCI on pc). */
static struct panel_view pc_view(void)
{
    struct panel_view v = {
        .apic_delivers = true,
        .cpu_has_apic = true,
        .lapic_base = 0xFEE00000u,
        .ioapic_base = 0xFEC00000u,
        .irq_line = { 0, 1, 4, 6 },
        .irq_line_used = { false, true, true, true },
        .irq_pic = { 3, 0, 0, 0 },
        .irq_apic = { 0, 12, 345, 6 },
        .pit_counting = true,
        .tick_millihz = 100000,
        .pit_ticks = 3,
        .lapic_ticks = 4321,
        .lapic_current = 0x0009a3f0,
        .cursor = 24 * PANEL_COLS + 9,
        .text_base = 0xB8000,
        .cells_written = 57613,
        .cells_read = 45920,
        .vga_bar = 0xFEBF0000u,
        .uart = true,
        .uart_in = 37,
        .uart_out = 4069,
        .kbd = true,
        .keys = 7,
        .scancodes = 14,
        .dma_transfers = 2,
        .dma_bytes = 9216,
        .floppy = true,
        .sectors_dma = 18,
        .sectors_pio = 36,
        .ide_controller = true,
        .ide_disk = true,
        .bmide_first = 0xC040,
        .bmide_last = 0xC047,
        .ide_sectors_dma = 4,
        .ide_sectors_pio = 2,
        .paused = false,
        .updates_per_s = 5,
        .panel_cells = 1432,
    };
    return v;
}

/* The same machine booted with irq=pic. */
static struct panel_view pic_view(void)
{
    struct panel_view v = pc_view();
    v.apic_delivers = false;
    v.lapic_base = v.ioapic_base = 0;
    v.lapic_ticks = v.lapic_current = 0;
    v.irq_line_used[0] = true;
    /* The same lines, delivered by the 8259 now. */
    for (int i = 1; i < PANEL_IRQ_LINES; i++) {
        v.irq_pic[i] = v.irq_apic[i];
        v.irq_apic[i] = 0;
    }
    v.irq_pic[0] = v.pit_ticks = 123456;
    v.tick_millihz = 99998;
    return v;
}

/* QEMU's q35 with a SATA disk: no IDE function, the ICH9's AHCI HBA with
 * its ABAR where q35's firmware puts it, completion by MSI. */
static struct panel_view q35_view(void)
{
    struct panel_view v = pc_view();
    v.ide_controller = v.ide_disk = false;
    v.bmide_first = v.bmide_last = 0;
    v.ide_sectors_dma = v.ide_sectors_pio = 0;
    v.ahci = v.ahci_disk = v.ahci_msi = true;
    v.abar = 0xFEBD5000u;
    v.abar_size = 0x1000u;
    v.ahci_sectors = 8;
    v.ahci_msis = 3;
    return v;
}

/* Screen row r of the panel (0 = its first) as text, characters only. */
static const char *row_text(int r)
{
    static char text[PANEL_COLS + 1];
    for (int c = 0; c < PANEL_COLS; c++)
        text[c] = (char)(cells[r * PANEL_COLS + c] & 0xFF);
    text[PANEL_COLS] = '\0';
    return text;
}

/* The left (0) or right (1) column of row r, without the rule. */
static const char *column_text(int r, int right)
{
    static char text[PANEL_COLS + 1];
    const char *row = row_text(r);
    if (right)
        (void)snprintf(text, sizeof text, "%s", row + PANEL_RIGHT_COL);
    else
        (void)snprintf(text, sizeof text, "%.*s", PANEL_RULE_COL, row);
    return text;
}

static uint8_t attr_at(int r, int c)
{
    return (uint8_t)(cells[r * PANEL_COLS + c] >> 8);
}

/* Where text starts in row r, and that it is there. */
static int find(int r, const char *text)
{
    const char *row = row_text(r);
    const char *at = strstr(row, text);
    if (!at) {
        print_error("row %d: no \"%s\" in \"%s\"\n", r, text, row);
        fail();
    }
    return (int)(at - row);
}

static void assert_absent(int r, const char *text)
{
    if (strstr(row_text(r), text)) {
        print_error("row %d: \"%s\" in \"%s\"\n", r, text, row_text(r));
        fail();
    }
}

/* Every cell of text in row r has colour attr. */
static void assert_colour(int r, const char *text, uint8_t attr)
{
    int c = find(r, text);
    for (size_t i = 0; i < strlen(text); i++)
        assert_int_equal(attr_at(r, c + (int)i), attr);
}

static void expect_count(uint64_t value, unsigned width, const char *want)
{
    char buf[32];
    memset(buf, 'x', sizeof buf);
    assert_int_equal(panel_format_count(value, width, buf, sizeof buf),
                     (int)width);
    assert_string_equal(buf, want);
}

static void test_counts_fit_their_width(void **state)
{
    (void)state;
    expect_count(0, 1, "0");
    expect_count(0, 5, "    0");
    expect_count(12345, 5, "12345");
    expect_count(4294967295u, 10, "4294967295");
    /* Too many digits: thousands, rounded down, never ahead. */
    expect_count(123456, 5, " 123k");
    expect_count(999999, 5, " 999k");
    expect_count(1234567, 5, "1234k");
    expect_count(12345678, 5, "  12M");
    expect_count(1999, 3, " 1k");
    expect_count(4294967295u, 5, "4294M");
    expect_count(4294967295u, 4, "  4G");
    expect_count(UINT64_MAX, 20, "18446744073709551615");
    expect_count(UINT64_MAX, 3, "18E");
    /* Nothing fits: say so rather than show a wrong number. */
    expect_count(1000, 1, "#");
    expect_count(UINT64_MAX, 2, "##");
}

static void test_count_refuses_what_it_cannot_write(void **state)
{
    (void)state;
    char buf[4] = "abc";
    assert_int_equal(panel_format_count(5, 0, buf, sizeof buf), 0);
    assert_int_equal(panel_format_count(5, 4, buf, sizeof buf), 0);
    assert_string_equal(buf, "abc");
    assert_int_equal(panel_format_count(5, 3, buf, sizeof buf), 3);
    assert_string_equal(buf, "  5");
}

static void test_headers_and_the_rule(void **state)
{
    (void)state;
    struct panel_view v = pc_view();
    panel_compose(&v, 0, cells);

    assert_int_equal(find(PANEL_ROW_HEADERS, "PORT-MAPPED I/O: in/out, "
                          "64 KiB space"), 1);
    assert_int_equal(find(PANEL_ROW_HEADERS, "MEMORY-MAPPED I/O: mov, "
                          "4 GiB space"), PANEL_RIGHT_COL + 1);
    /* Each header is a bar across its whole column. */
    for (int c = 0; c < PANEL_RULE_COL; c++)
        assert_int_equal(attr_at(PANEL_ROW_HEADERS, c), PANEL_HEAD_PMIO);
    for (int c = PANEL_RIGHT_COL; c < PANEL_COLS; c++)
        assert_int_equal(attr_at(PANEL_ROW_HEADERS, c), PANEL_HEAD_MMIO);
    for (int r = 0; r < PANEL_ROWS; r++)
        assert_int_equal(cells[r * PANEL_COLS + PANEL_RULE_COL] & 0xFF,
                         RULE_CHAR);
    /* Every cell is drawn: none is left as zero (a black NUL). */
    for (int i = 0; i < PANEL_CELLS; i++)
        assert_int_not_equal(cells[i] >> 8, 0);
}

static void test_every_device_has_its_row(void **state)
{
    (void)state;
    struct panel_view v = pc_view();
    panel_compose(&v, 0, cells);

    /* The port-mapped devices on the left, with ports and in/out. */
    const struct {
        int row;
        const char *name, *ports;
    } left[] = {
        { PANEL_ROW_PIC, "8259 PIC", "20-21 A0-A1" },
        { PANEL_ROW_PIT, "8254 PIT", "40-43" },
        { PANEL_ROW_VGA, "VGA CRTC, GC", "3CE-3CF 3D4-3D5" },
        { PANEL_ROW_UART, "16550 UART", "3F8-3FF" },
        { PANEL_ROW_KBD, "8042 keyboard", "60 64" },
        { PANEL_ROW_DMA, "8237 DMA", "00-0F 81-8F C0-DF" },
        { PANEL_ROW_FDC, "82077AA FDC", "3F0-3F5 3F7" },
        { PANEL_ROW_DISK, "PIIX IDE", "1F0-1F7 C040-C047" },
    };
    for (size_t i = 0; i < sizeof left / sizeof left[0]; i++) {
        const char *col = column_text(left[i].row, 0);
        assert_ptr_equal(strstr(col, left[i].name), col);
        assert_non_null(strstr(col, left[i].ports));
        assert_non_null(strstr(col, "in/out"));
    }
    /* The memory-mapped ones on the right, with addresses and mov. */
    const struct {
        int row;
        const char *name, *range;
    } right[] = {
        { PANEL_ROW_PIC, "IO APIC", "FEC00000-FEC00FFF" },
        { PANEL_ROW_PIT, "Local APIC", "FEE00000-FEE00FFF" },
        { PANEL_ROW_VGA, "VGA BAR2", "FEBF0000-FEBF0FFF" },
        { PANEL_ROW_VGA_COUNTS, "VGA text", "B8000-B8F9F" },
    };
    for (size_t i = 0; i < sizeof right / sizeof right[0]; i++) {
        const char *col = column_text(right[i].row, 1);
        assert_non_null(strstr(col, right[i].name));
        assert_non_null(strstr(col, right[i].range));
        assert_non_null(strstr(col, " mov"));
        assert_null(strstr(col, "in/out"));
    }
    /* Colours: ports and in/out yellow, addresses and mov green. */
    assert_colour(PANEL_ROW_UART, "3F8-3FF", PANEL_PMIO);
    assert_colour(PANEL_ROW_UART, "in/out", PANEL_PMIO);
    assert_colour(PANEL_ROW_PIT, "FEE00000-FEE00FFF", PANEL_MMIO);
    assert_colour(PANEL_ROW_PIT, "mov", PANEL_MMIO);
    assert_colour(PANEL_ROW_UART, "16550 UART", PANEL_NAME);
    /* The same VGA registers by ports and by BAR2, side by side. */
    assert_colour(PANEL_ROW_VGA, "3CE-3CF 3D4-3D5", PANEL_PMIO);
    assert_colour(PANEL_ROW_VGA, "FEBF0000-FEBF0FFF", PANEL_MMIO);
    assert_true(find(PANEL_ROW_VGA, "FEBF0000") > PANEL_RULE_COL);
    /* The IDE channel's task file and its bus master's ports, BAR4's. */
    assert_colour(PANEL_ROW_DISK, "1F0-1F7 C040-C047", PANEL_PMIO);
    assert_colour(PANEL_ROW_DISK, "PIIX IDE", PANEL_NAME);
}

static void test_the_counters(void **state)
{
    (void)state;
    struct panel_view v = pc_view();
    panel_compose(&v, 0, cells);

    find(PANEL_ROW_PIC_IRQS, "IRQ 0: -    1: 12   4: 345  6: 6   ");
    find(PANEL_ROW_PIT_TICKS, "timer ticks    4321  count 0009a3f0");
    find(PANEL_ROW_VGA_COUNTS, "cursor 24,09  GR06 window B8000");
    find(PANEL_ROW_UART, "written    57613  read back    45920");
    find(PANEL_ROW_UART_BYTES, "bytes in      37  out    4069");
    find(PANEL_ROW_KBD_KEYS, "keys      7  scan codes      14");
    find(PANEL_ROW_DMA_TRANSFERS, "transfers     2  bytes     9216");
    find(PANEL_ROW_FDC_SECTORS, "sectors by DMA    18  by PIO    36");
    find(PANEL_ROW_DISK_SECTORS, "sectors by DMA     4  by PIO     2");
    find(PANEL_ROW_FDC, "cells this panel wrote     1432");
}

static void test_apic_delivery(void **state)
{
    (void)state;
    struct panel_view v = pc_view();
    panel_compose(&v, 0, cells);

    /* The 8259 is masked: no counts that would look live. */
    assert_ptr_equal(strstr(column_text(PANEL_ROW_PIC_IRQS, 0),
                            "  masked: the APICs deliver"),
                     column_text(PANEL_ROW_PIC_IRQS, 0));
    assert_colour(PANEL_ROW_PIC_IRQS, "masked", PANEL_ABSENT);
    assert_colour(PANEL_ROW_PIC, "8259 PIC", PANEL_ABSENT);
    /* Its ports are still where they were, in grey. */
    assert_colour(PANEL_ROW_PIC, "20-21 A0-A1", PANEL_ABSENT);
    assert_colour(PANEL_ROW_PIT_TICKS,
                  "reference only: the APIC timer ticks", PANEL_ABSENT);
    /* Line 0 has no handler in APIC mode: a dash, in grey. */
    int c = find(PANEL_ROW_PIC_IRQS, "0: -");
    assert_int_equal(attr_at(PANEL_ROW_PIC_IRQS, c + 3), PANEL_ABSENT);
}

static void test_pic_delivery(void **state)
{
    (void)state;
    struct panel_view v = pic_view();
    panel_compose(&v, 0, cells);

    find(PANEL_ROW_PIC_IRQS, "IRQ 0: 123k 1: 12   4: 345  6: 6   ");
    find(PANEL_ROW_PIT_TICKS, "IRQ 0 ticks  123456 at 99.998 Hz");
    /* Both APICs are there but not in use: no window, no counts. */
    assert_colour(PANEL_ROW_PIC_IRQS, "not used: the 8259 delivers",
                  PANEL_ABSENT);
    assert_colour(PANEL_ROW_PIT_TICKS, "not used: the 8259 delivers",
                  PANEL_ABSENT);
    assert_non_null(strstr(column_text(PANEL_ROW_PIC, 1), "IO APIC       -"));
    assert_non_null(strstr(column_text(PANEL_ROW_PIT, 1),
                           "Local APIC    -"));
    assert_colour(PANEL_ROW_PIT, "Local APIC", PANEL_ABSENT);
    assert_absent(PANEL_ROW_PIT, "FEE00000");
    assert_absent(PANEL_ROW_PIT_TICKS, "timer ticks");
    assert_colour(PANEL_ROW_PIC, "8259 PIC", PANEL_NAME);
}

static void test_a_486_has_no_apic(void **state)
{
    (void)state;
    struct panel_view v = pic_view();
    v.cpu_has_apic = false;
    panel_compose(&v, 0, cells);

    assert_colour(PANEL_ROW_PIT_TICKS, "absent: this CPU has none (CPUID)",
                  PANEL_ABSENT);
    assert_colour(PANEL_ROW_PIC_IRQS, "not used: no Local APIC in the CPU",
                  PANEL_ABSENT);
}

static void test_missing_devices_say_so(void **state)
{
    (void)state;
    struct panel_view v = pc_view();
    v.uart = v.kbd = v.floppy = v.pit_counting = false;
    v.tick_millihz = 0;
    v.updates_per_s = 0;
    panel_compose(&v, 0, cells);

    assert_colour(PANEL_ROW_UART_BYTES, "absent: no UART answered at 3F8",
                  PANEL_ABSENT);
    assert_colour(PANEL_ROW_UART, "16550 UART", PANEL_ABSENT);
    assert_absent(PANEL_ROW_UART_BYTES, "bytes");
    assert_colour(PANEL_ROW_KBD_KEYS, "absent: no 8042 answered at 64",
                  PANEL_ABSENT);
    assert_absent(PANEL_ROW_KBD_KEYS, "keys");
    assert_colour(PANEL_ROW_FDC_SECTORS, "absent: no diskette drive A:",
                  PANEL_ABSENT);
    assert_absent(PANEL_ROW_FDC_SECTORS, "sectors");
    assert_colour(PANEL_ROW_PIT_TICKS, "absent: channel 0 does not count",
                  PANEL_ABSENT);
    /* No PIT, no tick: the Local APIC timer could not be measured. */
    assert_colour(PANEL_ROW_PIT_TICKS, "timer not calibrated: no PIT",
                  PANEL_ABSENT);
    find(PANEL_ROW_UART_BYTES, "no tick: drawn at each key");
}

/* -vga cirrus or -vga none: no standard VGA, no BAR2 to show. */
static void test_no_standard_vga_no_bar(void **state)
{
    (void)state;
    struct panel_view v = pc_view();
    v.vga_bar = 0;
    panel_compose(&v, 0, cells);

    int name = find(PANEL_ROW_VGA, "VGA BAR2");
    assert_colour(PANEL_ROW_VGA, "VGA BAR2", PANEL_ABSENT);
    /* The range's field (14 columns after the name's start) says "-". */
    assert_int_equal(cells[PANEL_ROW_VGA * PANEL_COLS + name + 14] & 0xFF,
                     '-');
    assert_int_equal(attr_at(PANEL_ROW_VGA, name + 14), PANEL_ABSENT);
    assert_absent(PANEL_ROW_VGA, "00000000");
    assert_colour(PANEL_ROW_VGA, "VGA CRTC, GC", PANEL_NAME);
}

/* A BAR moved by `bar` shows where it is now. */
static void test_the_bar_follows_a_move(void **state)
{
    (void)state;
    struct panel_view v = pc_view();
    v.vga_bar = 0xE0000000u;
    panel_compose(&v, 0, cells);
    find(PANEL_ROW_VGA, "E0000000-E0000FFF");
    assert_absent(PANEL_ROW_VGA, "FEBF");
}

/* q35: the disk is behind the AHCI HBA, whose registers are memory; the
 * IDE channel's row says there is none. */
static void test_q35_reads_its_disk_through_ahci(void **state)
{
    (void)state;
    struct panel_view v = q35_view();
    panel_compose(&v, 0, cells);

    const char *col = column_text(PANEL_ROW_DISK, 1);
    assert_non_null(strstr(col, "AHCI HBA      FEBD5000-FEBD5FFF mov"));
    assert_colour(PANEL_ROW_DISK, "AHCI HBA", PANEL_NAME);
    assert_colour(PANEL_ROW_DISK, "FEBD5000-FEBD5FFF", PANEL_MMIO);
    assert_true(find(PANEL_ROW_DISK, "FEBD5000") > PANEL_RULE_COL);
    find(PANEL_ROW_DISK_SECTORS, "sectors by DMA     8  MSIs     3");
    assert_true(find(PANEL_ROW_DISK_SECTORS, "MSIs") > PANEL_RULE_COL);

    assert_non_null(strstr(column_text(PANEL_ROW_DISK, 0),
                           "PIIX IDE      -"));
    assert_colour(PANEL_ROW_DISK, "PIIX IDE", PANEL_ABSENT);
    assert_colour(PANEL_ROW_DISK_SECTORS, "absent: no PCI IDE controller",
                  PANEL_ABSENT);
    assert_absent(PANEL_ROW_DISK, "1F0");
    assert_true(find(PANEL_ROW_DISK_SECTORS, "absent") < PANEL_RULE_COL);
}

/* pc without -drive if=ide: the controller is there, its channel empty;
 * no AHCI at all. Its task file's ports in grey, no bus master set up. */
static void test_no_disk_says_why(void **state)
{
    (void)state;
    struct panel_view v = pc_view();
    v.ide_disk = false;
    v.bmide_first = v.bmide_last = 0;
    panel_compose(&v, 0, cells);

    assert_colour(PANEL_ROW_DISK, "PIIX IDE", PANEL_ABSENT);
    assert_colour(PANEL_ROW_DISK, "1F0-1F7", PANEL_ABSENT);
    assert_absent(PANEL_ROW_DISK, "C040");
    assert_colour(PANEL_ROW_DISK_SECTORS,
                  "absent: no disk as primary master", PANEL_ABSENT);
    assert_absent(PANEL_ROW_DISK_SECTORS, "sectors");
    assert_non_null(strstr(column_text(PANEL_ROW_DISK, 1),
                           "AHCI HBA      -"));
    assert_colour(PANEL_ROW_DISK, "AHCI HBA", PANEL_ABSENT);
    assert_colour(PANEL_ROW_DISK_SECTORS,
                  "absent: no AHCI controller on PCI", PANEL_ABSENT);

    /* q35 without a disk: the HBA's window, in grey, and why. */
    v = q35_view();
    v.ahci_disk = false;
    panel_compose(&v, 0, cells);
    assert_colour(PANEL_ROW_DISK, "AHCI HBA", PANEL_ABSENT);
    assert_colour(PANEL_ROW_DISK, "FEBD5000-FEBD5FFF", PANEL_ABSENT);
    assert_colour(PANEL_ROW_DISK_SECTORS,
                  "absent: no SATA disk on its ports", PANEL_ABSENT);
    assert_absent(PANEL_ROW_DISK_SECTORS, "MSIs");
}

/* irq=pic: the HBA's commands are polled, so no MSI count that would
 * look live. */
static void test_ahci_without_msi(void **state)
{
    (void)state;
    struct panel_view v = q35_view();
    v.ahci_msi = false;
    v.ahci_msis = 0;
    panel_compose(&v, 0, cells);

    find(PANEL_ROW_DISK_SECTORS, "sectors by DMA     8  no MSI: polled");
    assert_colour(PANEL_ROW_DISK_SECTORS, "no MSI: polled", PANEL_ABSENT);
    assert_colour(PANEL_ROW_DISK_SECTORS, "8", PANEL_STEADY);
}

/* `bar 00:1f.2 5 ADDR` moves the ABAR: the row shows it there. */
static void test_the_abar_follows_a_move(void **state)
{
    (void)state;
    struct panel_view v = q35_view();
    v.abar = 0xE0000000u;
    panel_compose(&v, 0, cells);
    find(PANEL_ROW_DISK, "E0000000-E0000FFF");
    assert_absent(PANEL_ROW_DISK, "FEBD");
}

static void test_changed_counters_stand_out(void **state)
{
    (void)state;
    struct panel_view before = pic_view(), now = pic_view();
    now.pit_ticks = before.pit_ticks + 20;
    now.irq_pic[0] = now.pit_ticks;
    now.uart_out = before.uart_out + 1;

    panel_compose(&now, &before, cells);
    assert_colour(PANEL_ROW_PIT_TICKS, "123476", PANEL_CHANGED);
    assert_colour(PANEL_ROW_UART_BYTES, "4070", PANEL_CHANGED);
    assert_colour(PANEL_ROW_UART_BYTES, "37", PANEL_STEADY);
    assert_colour(PANEL_ROW_PIC_IRQS, "123k", PANEL_CHANGED);
    assert_colour(PANEL_ROW_PIC_IRQS, "345", PANEL_STEADY);
    assert_colour(PANEL_ROW_UART_BYTES, "bytes in", PANEL_LABEL);

    /* Without an earlier view nothing has changed. */
    panel_compose(&now, 0, cells);
    assert_colour(PANEL_ROW_PIT_TICKS, "123476", PANEL_STEADY);

    /* A disk read moves the counts it changed: AHCI's sectors and MSIs;
     * the IDE channel's sectors by PIO, not those by DMA. */
    before = q35_view();
    now = q35_view();
    now.ahci_sectors += 4;
    now.ahci_msis++;
    panel_compose(&now, &before, cells);
    int c = find(PANEL_ROW_DISK_SECTORS, "by DMA    12  MSIs     4");
    assert_int_equal(attr_at(PANEL_ROW_DISK_SECTORS, c + 10), PANEL_CHANGED);
    assert_int_equal(attr_at(PANEL_ROW_DISK_SECTORS, c + 23), PANEL_CHANGED);
    before = pc_view();
    now = pc_view();
    now.ide_sectors_pio += 2;
    panel_compose(&now, &before, cells);
    c = find(PANEL_ROW_DISK_SECTORS, "by DMA     4  by PIO     4");
    assert_int_equal(attr_at(PANEL_ROW_DISK_SECTORS, c + 11), PANEL_STEADY);
    assert_int_equal(attr_at(PANEL_ROW_DISK_SECTORS, c + 25), PANEL_CHANGED);
}

static void test_the_window_moves_the_text(void **state)
{
    (void)state;
    struct panel_view before = pc_view(), now = pc_view();
    now.text_base = 0xA0000;
    panel_compose(&now, &before, cells);

    find(PANEL_ROW_VGA_COUNTS, "A0000-A0F9F");
    assert_colour(PANEL_ROW_VGA_COUNTS, "A0000", PANEL_CHANGED);
    assert_absent(PANEL_ROW_VGA_COUNTS, "B8000");
}

static void test_the_legend(void **state)
{
    (void)state;
    struct panel_view v = pc_view();
    panel_compose(&v, 0, cells);

    find(PANEL_ROW_UART_BYTES, "Legend   5 updates a second");
    /* Each colour's sample is drawn in that colour; changed and
     * unchanged share a row. */
    assert_colour(PANEL_ROW_KBD, "in/out", PANEL_PMIO);
    assert_colour(PANEL_ROW_KBD_KEYS, "mov", PANEL_MMIO);
    int changed = find(PANEL_ROW_DMA, " 12345   changed, 12345 unchanged");
    assert_int_equal(attr_at(PANEL_ROW_DMA, changed + 1), PANEL_CHANGED);
    assert_colour(PANEL_ROW_DMA, "12345 unchanged", PANEL_STEADY);
    assert_colour(PANEL_ROW_DMA_TRANSFERS, "absent", PANEL_ABSENT);
    find(PANEL_ROW_FDC_SECTORS, "screen console: the monitor on all rows");

    v.paused = true;
    panel_compose(&v, 0, cells);
    assert_colour(PANEL_ROW_UART_BYTES, "paused: trace on", PANEL_PAUSED);
    assert_absent(PANEL_ROW_UART_BYTES, "updates");
}

static void test_huge_counts_stay_in_their_column(void **state)
{
    (void)state;
    struct panel_view v = pc_view();
    v.apic_delivers = false;
    v.lapic_base = v.ioapic_base = 0xFFFFFFFFu;
    for (int i = 0; i < PANEL_IRQ_LINES; i++) {
        v.irq_line_used[i] = true;
        v.irq_pic[i] = v.irq_apic[i] = UINT32_MAX;
    }
    v.pit_ticks = v.cells_written = v.cells_read = UINT32_MAX;
    v.uart_in = v.uart_out = v.keys = v.scancodes = UINT32_MAX;
    v.dma_transfers = v.dma_bytes = v.sectors_dma = UINT32_MAX;
    v.sectors_pio = v.panel_cells = v.tick_millihz = UINT32_MAX;
    v.ide_sectors_dma = v.ide_sectors_pio = UINT32_MAX;
    v.ahci = v.ahci_disk = v.ahci_msi = true;
    v.abar = v.abar_size = UINT32_MAX;
    v.ahci_sectors = v.ahci_msis = UINT32_MAX;
    v.bmide_first = v.bmide_last = UINT16_MAX;
    v.cursor = UINT16_MAX;
    v.text_base = UINT32_MAX;
    panel_compose(&v, 0, cells);

    /* The rule between the columns is never written over. */
    for (int r = 0; r < PANEL_ROWS; r++)
        assert_int_equal(cells[r * PANEL_COLS + PANEL_RULE_COL] & 0xFF,
                         RULE_CHAR);
    find(PANEL_ROW_PIC_IRQS, "IRQ 0: 4G   1: 4G   4: 4G   6: 4G   ");
    find(PANEL_ROW_UART_BYTES, "bytes in   4294M  out   4294M");
    find(PANEL_ROW_DISK, "1F0-1F7 FFFF-FFFF");
    find(PANEL_ROW_DISK_SECTORS, "sectors by DMA 4294M  by PIO 4294M");
    find(PANEL_ROW_DISK_SECTORS, "sectors by DMA 4294M  MSIs 4294M");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_fit_their_width),
        cmocka_unit_test(test_count_refuses_what_it_cannot_write),
        cmocka_unit_test(test_headers_and_the_rule),
        cmocka_unit_test(test_every_device_has_its_row),
        cmocka_unit_test(test_the_counters),
        cmocka_unit_test(test_apic_delivery),
        cmocka_unit_test(test_pic_delivery),
        cmocka_unit_test(test_a_486_has_no_apic),
        cmocka_unit_test(test_missing_devices_say_so),
        cmocka_unit_test(test_changed_counters_stand_out),
        cmocka_unit_test(test_the_window_moves_the_text),
        cmocka_unit_test(test_the_legend),
        cmocka_unit_test(test_no_standard_vga_no_bar),
        cmocka_unit_test(test_the_bar_follows_a_move),
        cmocka_unit_test(test_q35_reads_its_disk_through_ahci),
        cmocka_unit_test(test_no_disk_says_why),
        cmocka_unit_test(test_ahci_without_msi),
        cmocka_unit_test(test_the_abar_follows_a_move),
        cmocka_unit_test(test_huge_counts_stay_in_their_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
