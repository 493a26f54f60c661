/*
 * The live panel's layout: what the top rows of the 80x25 text screen
 * show, as character cells, from a snapshot of the kernel's counters.
 * kernel/panel/panel.c takes the snapshot and writes the cells; this file only
 * decides where each character goes and in which colour. Pure C, no
 * device access: the kernel and the host tests compile it, so the layout
 * is tested on the host cell by cell (tests/unit/test_panel_layout.c).
 *
 * Two columns: on the left the port-mapped devices (in/out, the 64 KiB
 * I/O port space), on the right the memory-mapped ones (mov, the 4 GiB
 * memory space). Counterparts share rows: the 8259 beside the IO APIC
 * (the IRQ count per line, through each), the PIT beside the Local APIC
 * timer, the VGA's registers by ports beside the same registers in its
 * BAR2, with its text memory under them, and at the bottom the two disk
 * controllers, the PIIX's IDE channel (ports) beside the AHCI HBA
 * (memory). Between the VGA and the disks, the right column holds the
 * legend.
 */
#ifndef KERNEL_PANEL_LAYOUT_H
#define KERNEL_PANEL_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The text screen the panel is drawn on: the VGA's 80x25 text mode.
 * Pure code includes no driver, so the figures and the colours below are
 * the mode's own, stated here; kernel/panel/panel.c checks at compile
 * time that drivers/vga.h says the same. */
#define PANEL_COLS 80
#define PANEL_SCREEN_ROWS 25

/* The text colours the panel uses, by their number in the VGA's 16-colour
 * palette (an attribute byte holds the foreground in bits 3..0 and the
 * background in bits 6..4). */
#define PANEL_BLACK 0
#define PANEL_GREEN 2
#define PANEL_BROWN 6
#define PANEL_LIGHT_GREY 7
#define PANEL_DARK_GREY 8
#define PANEL_LIGHT_GREEN 10
#define PANEL_LIGHT_CYAN 11
#define PANEL_LIGHT_RED 12
#define PANEL_YELLOW 14
#define PANEL_WHITE 15

/* The size of QEMU's standard VGA's BAR2, its registers' window
 * (drivers/vga_bar.h: panel.c checks that they agree). */
#define PANEL_VGA_BAR_SIZE 0x1000u

#define PANEL_FIRST_ROW 1       /* the screen row below the title */
#define PANEL_ROWS 17           /* screen rows 1..17 */
#define PANEL_CELLS (PANEL_ROWS * PANEL_COLS)
/* The monitor's first row when the panel is on the screen: 7 rows for
 * it, 18..24. */
#define PANEL_CONSOLE_TOP (PANEL_FIRST_ROW + PANEL_ROWS)

/* How many IRQ lines the panel counts: the ones iospace's drivers use
 * (PIT, keyboard, COM1, floppy, as kernel/panel/panel.c names them);
 * `irqs` lists all sixteen. */
#define PANEL_IRQ_LINES 4

/* Everything the panel shows, read from the drivers at one moment. A
 * device that is missing or not in use says so instead of showing zeros
 * that would look live. */
struct panel_view {
    /* Interrupts: the IO APIC and the Local APIC deliver them, or the
     * 8259 pair does (irq=pic, or a CPU without a Local APIC). */
    bool apic_delivers;
    bool cpu_has_apic;
    uint32_t lapic_base, ioapic_base;           /* when apic_delivers */
    uint8_t irq_line[PANEL_IRQ_LINES];          /* which lines */
    bool irq_line_used[PANEL_IRQ_LINES];        /* a driver handles it */
    uint32_t irq_pic[PANEL_IRQ_LINES];          /* delivered by the 8259 */
    uint32_t irq_apic[PANEL_IRQ_LINES];         /* by the IO APIC */
    /* Timers. The kernel's tick is the PIT on IRQ 0 with the 8259, the
     * Local APIC timer with the APICs; tick_millihz 0: no tick at all. */
    bool pit_counting;
    uint32_t tick_millihz;
    uint32_t pit_ticks;                         /* IRQ 0 via the 8259 */
    uint32_t lapic_ticks;                       /* timer interrupts */
    uint32_t lapic_current;                     /* its current count */
    /* The VGA card: its CRTC cursor (row * 80 + column, as last written),
     * where its memory window starts, and the text cells moved with mov. */
    uint16_t cursor;
    uint32_t text_base;
    uint32_t cells_written, cells_read;
    /* Where QEMU's standard VGA answers as its registers (BAR2), 0 when
     * the machine has none (drivers/vga_bar.h). */
    uint32_t vga_bar;
    /* The serial line and the keyboard. */
    bool uart;
    uint32_t uart_in, uart_out;
    bool kbd;
    uint32_t keys, scancodes;
    /* DMA transfers programmed, and the diskette's sectors by each way. */
    uint32_t dma_transfers, dma_bytes;
    bool floppy;
    uint32_t sectors_dma, sectors_pio;
    /* The hard disk by the PIIX's IDE channel: a PCI IDE function there
     * (ide_controller), a disk on its primary channel (ide_disk), the
     * bus master's ports from its BAR4 (bmide_first 0: not set up), the
     * sectors moved by DMA and by PIO. */
    bool ide_controller, ide_disk;
    uint16_t bmide_first, bmide_last;
    uint32_t ide_sectors_dma, ide_sectors_pio;
    /* The hard disk by an AHCI HBA: the HBA there (ahci), its ABAR as it
     * is now, a SATA disk on one of its ports, the sectors it moved (all
     * by DMA) and the MSIs that said a command was done (ahci_msi false:
     * no MSI, completion polled). */
    bool ahci, ahci_disk, ahci_msi;
    uint32_t abar, abar_size;
    uint32_t ahci_sectors, ahci_msis;
    /* The panel itself. */
    bool paused;                /* the I/O trace is on: no drawing */
    uint32_t updates_per_s;     /* 0: no timer tick, drawn at each key */
    uint32_t panel_cells;       /* cells the panel has written */
};

/* Colours (VGA attribute bytes: background << 4 | foreground). */
#define PANEL_ATTR(fg, bg) ((uint8_t)((fg) | (bg) << 4))
#define PANEL_HEAD_PMIO PANEL_ATTR(PANEL_BLACK, PANEL_BROWN)
#define PANEL_HEAD_MMIO PANEL_ATTR(PANEL_BLACK, PANEL_GREEN)
/* ports, in/out; addresses, mov */
#define PANEL_PMIO PANEL_ATTR(PANEL_YELLOW, PANEL_BLACK)
#define PANEL_MMIO PANEL_ATTR(PANEL_LIGHT_GREEN, PANEL_BLACK)
#define PANEL_NAME PANEL_ATTR(PANEL_LIGHT_CYAN, PANEL_BLACK)
#define PANEL_LABEL PANEL_ATTR(PANEL_LIGHT_GREY, PANEL_BLACK)
#define PANEL_CHANGED PANEL_ATTR(PANEL_WHITE, PANEL_BLACK) /* a new value */
#define PANEL_STEADY PANEL_ATTR(PANEL_LIGHT_GREY, PANEL_BLACK)
#define PANEL_ABSENT PANEL_ATTR(PANEL_DARK_GREY, PANEL_BLACK)
#define PANEL_PAUSED PANEL_ATTR(PANEL_LIGHT_RED, PANEL_BLACK)

/* Where things are: the columns, and the column between them. */
#define PANEL_LEFT_COL 0
#define PANEL_RULE_COL 39
#define PANEL_RIGHT_COL 40
#define PANEL_COLUMN_WIDTH 39   /* the left one; the right one has 40 */

/* The rows, counted from the panel's first (screen row PANEL_FIRST_ROW). */
enum panel_row {
    PANEL_ROW_HEADERS,
    PANEL_ROW_PIC,              /* 8259 PIC      | IO APIC */
    PANEL_ROW_PIC_IRQS,
    PANEL_ROW_PIT,              /* 8254 PIT      | Local APIC */
    PANEL_ROW_PIT_TICKS,
    PANEL_ROW_VGA,              /* VGA CRTC, GC  | VGA BAR2 */
    PANEL_ROW_VGA_COUNTS,       /*               | VGA text */
    PANEL_ROW_UART,             /* 16550 UART */
    PANEL_ROW_UART_BYTES,       /*               | (the legend) */
    PANEL_ROW_KBD,              /* 8042 keyboard */
    PANEL_ROW_KBD_KEYS,
    PANEL_ROW_DMA,              /* 8237 DMA */
    PANEL_ROW_DMA_TRANSFERS,
    PANEL_ROW_FDC,              /* 82077AA FDC */
    PANEL_ROW_FDC_SECTORS,
    PANEL_ROW_DISK,             /* PIIX IDE      | AHCI HBA */
    PANEL_ROW_DISK_SECTORS,
};

/* The panel's cells, row by row (cells[row * PANEL_COLS + column], rows
 * counted from the panel's first), from the view now. A counter that
 * differs from before (NULL: no earlier view) is drawn in PANEL_CHANGED. */
void panel_compose(const struct panel_view *now,
                   const struct panel_view *before,
                   uint16_t cells[PANEL_CELLS]);

/* A count right-aligned in exactly width characters. When its digits do
 * not fit, it is shown in thousands, millions... with a suffix k, M, G, T,
 * P, E, rounded down (1234567 in 5: "1234k"), so a display never runs
 * ahead of the count; when even that does not fit, width '#'. Writes
 * width characters and a NUL (size must exceed width) and returns width;
 * returns 0 and writes nothing when width is 0 or size too small. */
int panel_format_count(uint64_t value, unsigned width, char *buf,
                       size_t size);

#endif
