#include "kernel/lib/panel_layout.h"

#include "kernel/lib/fmt.h"
#include "kernel/lib/klib.h"
#include "kernel/lib/units.h"
#include "kernel/lib/vga_cell.h"

/* CP437's light vertical line, between the columns. */
#define RULE_CHAR 0xB3

/* Within a column: the device's name, its ports or addresses, the
 * instruction; the counters on the row below, indented. */
#define NAME_OFFSET 0
#define NAME_WIDTH 13
#define RANGE_OFFSET 14
#define RANGE_WIDTH 17
#define INSN_OFFSET 32
#define INSN_WIDTH 6
#define COUNTERS_OFFSET 2

#define RIGHT_MARGIN 1          /* a blank column after the rule */

/* The legend, in the right column below the three devices: a sample of
 * each colour, and what it means a column further on. */
#define LEGEND_FIRST_ROW PANEL_ROW_UART_BYTES
#define LEGEND_MEANING_OFFSET 9

/* Each APIC answers in one 4 KiB page (Intel SDM vol. 3A, 11.4.1; the IO
 * APIC's registers sit at the start of its page). */
#define APIC_PAGE_LAST 0xFFFu

#define COUNT_TEXT_SIZE 24      /* a 64-bit count has at most 20 digits */

/* A pen writes text along one row of the panel from a column on,
 * clipped at the column `end`, and remembers where it stopped. */
struct pen {
    uint16_t *cells;
    int row, col, end;
};

static uint16_t make_cell(char c, uint8_t attr)
{
    return VGA_CELL(c, attr);
}

static struct pen pen_at(uint16_t *cells, int row, int col, int width)
{
    struct pen p;
    p.cells = cells;
    p.row = row;
    p.col = col;
    p.end = col + width;
    return p;
}

static void pen_char(struct pen *p, uint8_t attr, char c)
{
    if (p->col < p->end)
        p->cells[p->row * PANEL_COLS + p->col] = make_cell(c, attr);
    p->col++;
}

static void pen_text(struct pen *p, uint8_t attr, const char *s)
{
    while (*s)
        pen_char(p, attr, *s++);
}

static void pen_count(struct pen *p, uint64_t v, unsigned width,
                      bool changed)
{
    char text[COUNT_TEXT_SIZE];
    panel_format_count(v, width, text, sizeof text);
    pen_text(p, changed ? PANEL_CHANGED : PANEL_STEADY, text);
}

/* text padded with spaces to width, in one colour. */
static void put_field(uint16_t *cells, int row, int col, int width,
                      uint8_t attr, const char *text)
{
    struct pen p = pen_at(cells, row, col, width);
    pen_text(&p, attr, text);
    while (p.col < p.end)
        pen_char(&p, attr, ' ');
}

int panel_format_count(uint64_t value, unsigned width, char *buf,
                       size_t size)
{
    static const char suffixes[] = "kMGTPE";
    char digits[COUNT_TEXT_SIZE];

    if (width == 0 || size <= width)
        return 0;
    int n = fmt_snprintf(digits, sizeof digits, "%llu",
                         (unsigned long long)value);
    for (const char *s = suffixes; (unsigned)n > width && *s; s++) {
        value /= SI_PREFIX_STEP;
        n = fmt_snprintf(digits, sizeof digits, "%llu%c",
                         (unsigned long long)value, *s);
    }
    if ((unsigned)n > width) {
        memset(buf, '#', width);
    } else {
        memset(buf, ' ', width - (unsigned)n);
        memcpy(buf + (width - (unsigned)n), digits, (size_t)n);
    }
    buf[width] = '\0';
    return (int)width;
}

/* A device's first row: name, ports or addresses, and the instruction
 * that reaches it, in the column's colour; all grey when the device is
 * missing or not in use. range NULL: no window to show ("-"), as for an
 * APIC the kernel has not mapped. */
static void device(uint16_t *cells, int row, int col, const char *name,
                   const char *range, bool in_use, uint8_t attr,
                   const char *insn)
{
    put_field(cells, row, col + NAME_OFFSET, NAME_WIDTH,
              in_use ? PANEL_NAME : PANEL_ABSENT, name);
    put_field(cells, row, col + RANGE_OFFSET, RANGE_WIDTH,
              in_use ? attr : PANEL_ABSENT, range ? range : "-");
    put_field(cells, row, col + INSN_OFFSET, INSN_WIDTH,
              in_use ? attr : PANEL_ABSENT, insn);
}

/* The row under a device, for its counters. */
static struct pen counters(uint16_t *cells, int row, int col)
{
    int width = (col == PANEL_LEFT_COL ? PANEL_RULE_COL : PANEL_COLS) - col
                - COUNTERS_OFFSET;
    return pen_at(cells, row, col + COUNTERS_OFFSET, width);
}

/* Instead of counters: why there are none. */
static void absent(uint16_t *cells, int row, int col, const char *why)
{
    struct pen p = counters(cells, row, col);
    pen_text(&p, PANEL_ABSENT, why);
}

#define CHANGED(field) (before && now->field != before->field)

/* One figure of a counters row: its label, its value in a field of width
 * digits, and whether it changed since the last update. */
struct figure {
    const char *label;
    uint64_t value;
    unsigned width;
    bool changed;
};

/* A counters row of two figures: "bytes in    12  out  3456". */
static void figure_pair(uint16_t *cells, int row, int col, struct figure a,
                        struct figure b)
{
    struct pen p = counters(cells, row, col);
    pen_text(&p, PANEL_LABEL, a.label);
    pen_count(&p, a.value, a.width, a.changed);
    pen_text(&p, PANEL_LABEL, b.label);
    pen_count(&p, b.value, b.width, b.changed);
}

/* "IRQ 0: 12k  1: 12   4: 345  6: 2   ": one controller's deliveries on
 * the lines the drivers use, each count left-aligned against its line's
 * label in a column of its own, so that the pairs read as a table; "-"
 * for a line without a handler. */
#define IRQ_COUNT_WIDTH 4
static void irq_counts(struct pen *p, const uint8_t *lines,
                       const uint32_t *now, const uint32_t *before,
                       const bool *used)
{
    pen_text(p, PANEL_LABEL, "IRQ");
    for (unsigned i = 0; i < PANEL_IRQ_LINES; i++) {
        char text[COUNT_TEXT_SIZE];
        const char *value = "-";
        uint8_t attr = PANEL_ABSENT;

        fmt_snprintf(text, sizeof text, " %u: ", lines[i]);
        pen_text(p, PANEL_LABEL, text);
        if (used[i]) {
            panel_format_count(now[i], IRQ_COUNT_WIDTH, text, sizeof text);
            for (value = text; *value == ' '; value++)
                ;
            attr = before && now[i] != before[i] ? PANEL_CHANGED
                                                 : PANEL_STEADY;
        }
        fmt_snprintf(text, sizeof text, "%-*s", IRQ_COUNT_WIDTH, value);
        pen_text(p, attr, text);
    }
}

static void headers(uint16_t *cells)
{
    put_field(cells, PANEL_ROW_HEADERS, PANEL_LEFT_COL, PANEL_COLUMN_WIDTH,
              PANEL_HEAD_PMIO, " PORT-MAPPED I/O: in/out, 64 KiB space");
    put_field(cells, PANEL_ROW_HEADERS, PANEL_RIGHT_COL,
              PANEL_COLS - PANEL_RIGHT_COL, PANEL_HEAD_MMIO,
              " MEMORY-MAPPED I/O: mov, 4 GiB space");
    for (int row = PANEL_ROW_HEADERS; row < PANEL_ROWS; row++)
        cells[row * PANEL_COLS + PANEL_RULE_COL] =
            make_cell((char)RULE_CHAR, PANEL_ABSENT);
}

/* The interrupt controllers, side by side: the same lines counted
 * through each. Only one delivers; the other says so. */
static void controllers(uint16_t *cells, const struct panel_view *now,
                        const struct panel_view *before)
{
    const int left = PANEL_LEFT_COL;
    const int right = PANEL_RIGHT_COL + RIGHT_MARGIN;
    char range[RANGE_WIDTH + 1];

    device(cells, PANEL_ROW_PIC, left, "8259 PIC", "20-21 A0-A1",
           !now->apic_delivers, PANEL_PMIO, "in/out");
    if (now->apic_delivers) {
        absent(cells, PANEL_ROW_PIC_IRQS, left,
               "masked: the APICs deliver");
    } else {
        struct pen p = counters(cells, PANEL_ROW_PIC_IRQS, left);
        irq_counts(&p, now->irq_line, now->irq_pic,
                   before ? before->irq_pic : 0, now->irq_line_used);
    }

    fmt_snprintf(range, sizeof range, "%08X-%08X", now->ioapic_base,
                 now->ioapic_base + APIC_PAGE_LAST);
    device(cells, PANEL_ROW_PIC, right, "IO APIC",
           now->apic_delivers ? range : 0, now->apic_delivers, PANEL_MMIO,
           "mov");
    if (now->apic_delivers) {
        struct pen p = counters(cells, PANEL_ROW_PIC_IRQS, right);
        irq_counts(&p, now->irq_line, now->irq_apic,
                   before ? before->irq_apic : 0, now->irq_line_used);
    } else {
        absent(cells, PANEL_ROW_PIC_IRQS, right,
               now->cpu_has_apic ? "not used: the 8259 delivers"
                                 : "not used: no Local APIC in the CPU");
    }
}

/* The timers: the PIT beside the Local APIC's, whichever is the tick. */
static void timers(uint16_t *cells, const struct panel_view *now,
                   const struct panel_view *before)
{
    const int left = PANEL_LEFT_COL;
    const int right = PANEL_RIGHT_COL + RIGHT_MARGIN;
    char text[RANGE_WIDTH + 1];

    device(cells, PANEL_ROW_PIT, left, "8254 PIT", "40-43",
           now->pit_counting, PANEL_PMIO, "in/out");
    if (!now->pit_counting) {
        absent(cells, PANEL_ROW_PIT_TICKS, left,
               "absent: channel 0 does not count");
    } else if (now->apic_delivers) {
        absent(cells, PANEL_ROW_PIT_TICKS, left,
               "reference only: the APIC timer ticks");
    } else {
        struct pen p = counters(cells, PANEL_ROW_PIT_TICKS, left);
        pen_text(&p, PANEL_LABEL, "IRQ 0 ticks ");
        pen_count(&p, now->pit_ticks, 7, CHANGED(pit_ticks));
        fmt_snprintf(text, sizeof text, " at %u.%03u Hz",
                     now->tick_millihz / MILLIHZ_PER_HZ,
                     now->tick_millihz % MILLIHZ_PER_HZ);
        pen_text(&p, PANEL_LABEL, text);
    }

    fmt_snprintf(text, sizeof text, "%08X-%08X", now->lapic_base,
                 now->lapic_base + APIC_PAGE_LAST);
    device(cells, PANEL_ROW_PIT, right, "Local APIC",
           now->apic_delivers ? text : 0, now->apic_delivers, PANEL_MMIO,
           "mov");
    if (!now->cpu_has_apic) {
        absent(cells, PANEL_ROW_PIT_TICKS, right,
               "absent: this CPU has none (CPUID)");
    } else if (!now->apic_delivers) {
        absent(cells, PANEL_ROW_PIT_TICKS, right,
               "not used: the 8259 delivers");
    } else if (!now->tick_millihz) {
        absent(cells, PANEL_ROW_PIT_TICKS, right,
               "timer not calibrated: no PIT");
    } else {
        struct pen p = counters(cells, PANEL_ROW_PIT_TICKS, right);
        pen_text(&p, PANEL_LABEL, "timer ticks ");
        pen_count(&p, now->lapic_ticks, 7, CHANGED(lapic_ticks));
        pen_text(&p, PANEL_LABEL, "  count ");
        fmt_snprintf(text, sizeof text, "%08x", now->lapic_current);
        pen_text(&p, CHANGED(lapic_current) ? PANEL_CHANGED : PANEL_STEADY,
                 text);
    }
}

/* One card, both mechanisms: its registers behind ports on the left and,
 * beside them, the same registers in its BAR2 (QEMU's standard VGA);
 * under those its text memory. */
static void vga(uint16_t *cells, const struct panel_view *now,
                const struct panel_view *before)
{
    const int left = PANEL_LEFT_COL;
    const int right = PANEL_RIGHT_COL + RIGHT_MARGIN;
    char text[RANGE_WIDTH + 1];

    device(cells, PANEL_ROW_VGA, left, "VGA CRTC, GC", "3CE-3CF 3D4-3D5",
           true, PANEL_PMIO, "in/out");
    struct pen p = counters(cells, PANEL_ROW_VGA_COUNTS, left);
    pen_text(&p, PANEL_LABEL, "cursor ");
    fmt_snprintf(text, sizeof text, "%02u,%02u", now->cursor / PANEL_COLS,
                 now->cursor % PANEL_COLS);
    pen_text(&p, CHANGED(cursor) ? PANEL_CHANGED : PANEL_STEADY, text);
    pen_text(&p, PANEL_LABEL, "  GR06 window ");
    fmt_snprintf(text, sizeof text, "%05X", now->text_base);
    pen_text(&p, CHANGED(text_base) ? PANEL_CHANGED : PANEL_STEADY, text);

    /* The registers again: 4 KiB, wherever the BAR puts them. */
    fmt_snprintf(text, sizeof text, "%08X-%08X", now->vga_bar,
                 now->vga_bar + PANEL_VGA_BAR_SIZE - 1);
    device(cells, PANEL_ROW_VGA, right, "VGA BAR2",
           now->vga_bar ? text : 0, now->vga_bar != 0, PANEL_MMIO, "mov");

    /* The text itself: 80 x 25 cells of two bytes. */
    fmt_snprintf(text, sizeof text, "%05X-%05X", now->text_base,
                 now->text_base + 2u * PANEL_COLS * PANEL_SCREEN_ROWS - 1);
    device(cells, PANEL_ROW_VGA_COUNTS, right, "VGA text", text, true,
           PANEL_MMIO, "mov");
    figure_pair(cells, PANEL_ROW_UART, right,
                (struct figure){ "written ", now->cells_written, 8,
                                  CHANGED(cells_written) },
                (struct figure){ "  read back ", now->cells_read, 8,
                                  CHANGED(cells_read) });
}

/* The rest of the port-mapped devices. */
static void port_devices(uint16_t *cells, const struct panel_view *now,
                         const struct panel_view *before)
{
    const int left = PANEL_LEFT_COL;

    device(cells, PANEL_ROW_UART, left, "16550 UART", "3F8-3FF", now->uart,
           PANEL_PMIO, "in/out");
    if (now->uart) {
        figure_pair(cells, PANEL_ROW_UART_BYTES, left,
                    (struct figure){ "bytes in ", now->uart_in, 7,
                                      CHANGED(uart_in) },
                    (struct figure){ "  out ", now->uart_out, 7,
                                      CHANGED(uart_out) });
    } else {
        absent(cells, PANEL_ROW_UART_BYTES, left,
               "absent: no UART answered at 3F8");
    }

    device(cells, PANEL_ROW_KBD, left, "8042 keyboard", "60 64", now->kbd,
           PANEL_PMIO, "in/out");
    if (now->kbd) {
        figure_pair(cells, PANEL_ROW_KBD_KEYS, left,
                    (struct figure){ "keys ", now->keys, 6,
                                      CHANGED(keys) },
                    (struct figure){ "  scan codes ", now->scancodes, 7,
                                      CHANGED(scancodes) });
    } else {
        absent(cells, PANEL_ROW_KBD_KEYS, left,
               "absent: no 8042 answered at 64");
    }

    device(cells, PANEL_ROW_DMA, left, "8237 DMA", "00-0F 81-8F C0-DF",
           true, PANEL_PMIO, "in/out");
    figure_pair(cells, PANEL_ROW_DMA_TRANSFERS, left,
                (struct figure){ "transfers ", now->dma_transfers, 5,
                                  CHANGED(dma_transfers) },
                (struct figure){ "  bytes ", now->dma_bytes, 8,
                                  CHANGED(dma_bytes) });

    device(cells, PANEL_ROW_FDC, left, "82077AA FDC", "3F0-3F5 3F7",
           now->floppy, PANEL_PMIO, "in/out");
    if (now->floppy) {
        figure_pair(cells, PANEL_ROW_FDC_SECTORS, left,
                    (struct figure){ "sectors by DMA ", now->sectors_dma, 5,
                                      CHANGED(sectors_dma) },
                    (struct figure){ "  by PIO ", now->sectors_pio, 5,
                                      CHANGED(sectors_pio) });
    } else {
        absent(cells, PANEL_ROW_FDC_SECTORS, left,
               "absent: no diskette drive A:");
    }
}

/* The hard disk's two controllers, side by side: the PIIX's IDE channel
 * by ports (the primary channel's command block at the PC/AT's 1F0-1F7,
 * ATA/ATAPI-6 clause 7, and its bus master's registers BMICX-BMIDTPX
 * wherever the IDE function's BAR4 put them, PIIX4 data sheet 5.2)
 * beside the AHCI HBA, all of whose registers are memory (BAR5, the
 * ABAR: AHCI 1.3.1, 2.1.11). Both move the sectors as bus masters; the
 * IDE channel also lets the CPU move every word (PIO). A machine has one
 * or the other: pc the first, q35 the second (drivers/ata.h,
 * drivers/ahci.h). */
#define IDE_TASK_FILE "1F0-1F7"
static void disks(uint16_t *cells, const struct panel_view *now,
                  const struct panel_view *before)
{
    const int left = PANEL_LEFT_COL;
    const int right = PANEL_RIGHT_COL + RIGHT_MARGIN;
    char text[RANGE_WIDTH + 1];

    if (now->bmide_first)
        fmt_snprintf(text, sizeof text, "%s %04X-%04X", IDE_TASK_FILE,
                     now->bmide_first, now->bmide_last);
    else
        fmt_snprintf(text, sizeof text, "%s", IDE_TASK_FILE);
    device(cells, PANEL_ROW_DISK, left, "PIIX IDE",
           now->ide_controller || now->ide_disk ? text : 0, now->ide_disk,
           PANEL_PMIO, "in/out");
    if (now->ide_disk) {
        figure_pair(cells, PANEL_ROW_DISK_SECTORS, left,
                    (struct figure){ "sectors by DMA ", now->ide_sectors_dma,
                                      5, CHANGED(ide_sectors_dma) },
                    (struct figure){ "  by PIO ", now->ide_sectors_pio, 5,
                                      CHANGED(ide_sectors_pio) });
    } else {
        absent(cells, PANEL_ROW_DISK_SECTORS, left,
               now->ide_controller ? "absent: no disk as primary master"
                                   : "absent: no PCI IDE controller");
    }

    /* The ABAR as it is now: `bar` may have moved it. */
    fmt_snprintf(text, sizeof text, "%08X-%08X", now->abar,
                 now->abar + now->abar_size - 1);
    device(cells, PANEL_ROW_DISK, right, "AHCI HBA", now->ahci ? text : 0,
           now->ahci_disk, PANEL_MMIO, "mov");
    if (!now->ahci) {
        absent(cells, PANEL_ROW_DISK_SECTORS, right,
               "absent: no AHCI controller on PCI");
    } else if (!now->ahci_disk) {
        absent(cells, PANEL_ROW_DISK_SECTORS, right,
               "absent: no SATA disk on its ports");
    } else {
        struct pen p = counters(cells, PANEL_ROW_DISK_SECTORS, right);
        pen_text(&p, PANEL_LABEL, "sectors by DMA ");
        pen_count(&p, now->ahci_sectors, 5, CHANGED(ahci_sectors));
        if (now->ahci_msi) {
            pen_text(&p, PANEL_LABEL, "  MSIs ");
            pen_count(&p, now->ahci_msis, 5, CHANGED(ahci_msis));
        } else {
            pen_text(&p, PANEL_ABSENT, "  no MSI: polled");
        }
    }
}

/* The legend: each colour as it appears above; how often the panel is
 * drawn (or that it is paused), what it cost, how to leave it. */
static void legend(uint16_t *cells, const struct panel_view *now,
                   const struct panel_view *before)
{
    const int col = PANEL_RIGHT_COL + RIGHT_MARGIN;
    const int width = PANEL_COLS - col;
    const struct {
        uint8_t attr;
        const char *sample, *meaning;
    } colours[] = {
        { PANEL_PMIO, "in/out", "a port: its own 64 KiB space" },
        { PANEL_MMIO, "mov", "an address in the memory space" },
        { PANEL_CHANGED, "12345", "changed, " },
        { PANEL_ABSENT, "absent", "no such device, or not in use" },
    };
    int row = LEGEND_FIRST_ROW;
    char text[40];

    struct pen p = pen_at(cells, row++, col, width);
    pen_text(&p, PANEL_NAME, "Legend");
    p.col = col + LEGEND_MEANING_OFFSET;
    if (now->paused) {
        pen_text(&p, PANEL_PAUSED, "paused: trace on");
    } else if (now->updates_per_s) {
        fmt_snprintf(text, sizeof text, "%u updates a second",
                     now->updates_per_s);
        pen_text(&p, PANEL_LABEL, text);
    } else {
        pen_text(&p, PANEL_LABEL, "no tick: drawn at each key");
    }
    for (unsigned i = 0; i < ARRAY_SIZE(colours); i++, row++) {
        p = pen_at(cells, row, col, width);
        pen_char(&p, PANEL_LABEL, ' ');
        pen_text(&p, colours[i].attr, colours[i].sample);
        p.col = col + LEGEND_MEANING_OFFSET;
        pen_text(&p, PANEL_LABEL, colours[i].meaning);
        /* A value that did not change: the same sample in grey, on the
         * changed one's row. */
        if (colours[i].attr == PANEL_CHANGED) {
            pen_text(&p, PANEL_STEADY, "12345");
            pen_text(&p, PANEL_LABEL, " unchanged");
        }
    }
    p = pen_at(cells, row++, col, width);
    pen_text(&p, PANEL_LABEL, "cells this panel wrote ");
    pen_count(&p, now->panel_cells, 8, CHANGED(panel_cells));
    put_field(cells, row, col, width, PANEL_LABEL,
              "screen console: the monitor on all rows");
}

void panel_compose(const struct panel_view *now,
                   const struct panel_view *before,
                   uint16_t cells[PANEL_CELLS])
{
    for (unsigned i = 0; i < PANEL_CELLS; i++)
        cells[i] = make_cell(' ', PANEL_LABEL);
    headers(cells);
    controllers(cells, now, before);
    timers(cells, now, before);
    vga(cells, now, before);
    port_devices(cells, now, before);
    disks(cells, now, before);
    legend(cells, now, before);
}
