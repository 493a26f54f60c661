/*
 * The live panel (kernel/panel/panel.h): rows 1..17 of the VGA screen, redrawn
 * five times a second from the drivers' counters.
 *
 * When it draws. The timer tick decides that an update is due, but the
 * drawing itself happens where the kernel waits anyway, after an
 * interrupt has woken it (panel_poll, from the monitor's wait for a key
 * and `recv`'s wait for a byte), never inside the interrupt handler:
 * - a handler runs with interrupts held back (the Local APIC timer's with
 *   IF clear); a full redraw, 1360 writes to video memory, would
 *   make the UART's interrupt wait, and it comes when 14 of the FIFO's 16
 *   bytes are full (the receive trigger): the 2 left fill in about 174 us
 *   at 115200 baud (87 us a byte), and the next byte is lost;
 * - drawn between two instructions of a command, the panel's writes would
 *   land in the middle of what that command does to the same card: its
 *   trace, a `vgawindow` move half done.
 * The price: a command that keeps the CPU busy (a PIO floppy read, a long
 * `trace dump`) freezes the panel until it ends. A command that waits
 * (`recv`) keeps it moving.
 *
 * What it writes. Only cells: never the CRTC's cursor, which stays the
 * console's. It keeps a copy of the cells it wrote (shadow) and writes
 * only those that differ, so an update costs a few dozen movs, not 1360.
 * It never reads its cells back: a `poke` into its rows stays until the
 * panel next changes that cell (`screen live` redraws them all). After
 * the VGA's memory window moved (`vgawindow`), it redraws in full: a
 * write made while the window moved may have gone to the old one.
 *
 * While the I/O trace is on, it neither reads a device nor writes a cell:
 * the trace shows what the command being traced did, not the panel. Its
 * legend says "paused", written just before the trace goes on.
 */
#include "kernel/panel/panel.h"

#include "drivers/ahci.h"
#include "drivers/ata.h"
#include "drivers/dma8237.h"
#include "drivers/floppy.h"
#include "drivers/kbd8042.h"
#include "drivers/lapic.h"
#include "drivers/pit8254.h"
#include "drivers/serial.h"
#include "drivers/vga.h"
#include "drivers/vga_bar.h"
#include "io/trace.h"
#include "kernel/irq.h"
#include "kernel/irq_apic.h"
#include "kernel/lib/panel_layout.h"
#include "kernel/lib/units.h"
#include "kernel/tick.h"

#define PANEL_UPDATE_MS 200u

static bool started;            /* boot is over */
static enum screen_mode mode = SCREEN_LIVE;
static bool shown;              /* the panel holds its rows */
static bool paused;             /* by the trace */
static bool cpu_has_apic;

/* kernel/lib/panel_layout.h states the text mode and its palette itself
 * (pure code includes no driver): they must be the VGA driver's. */
_Static_assert(PANEL_COLS == VGA_COLS && PANEL_SCREEN_ROWS == VGA_ROWS,
               "the panel's screen is the VGA's text mode");
_Static_assert(PANEL_BLACK == VGA_BLACK && PANEL_GREEN == VGA_GREEN
                   && PANEL_BROWN == VGA_BROWN
                   && PANEL_LIGHT_GREY == VGA_LIGHT_GREY
                   && PANEL_DARK_GREY == VGA_DARK_GREY
                   && PANEL_LIGHT_GREEN == VGA_LIGHT_GREEN
                   && PANEL_LIGHT_CYAN == VGA_LIGHT_CYAN
                   && PANEL_LIGHT_RED == VGA_LIGHT_RED
                   && PANEL_YELLOW == VGA_YELLOW && PANEL_WHITE == VGA_WHITE,
               "the panel's colours are the VGA palette's");

_Static_assert(PANEL_VGA_BAR_SIZE == VGA_BAR_MMIO_SIZE,
               "the panel's BAR2 is the standard VGA's");

/* The lines the panel counts, in its order. */
static const uint8_t irq_lines[PANEL_IRQ_LINES] = {
    IRQ_PIT, IRQ_KEYBOARD, IRQ_COM1, IRQ_FLOPPY,
};

static uint16_t shadow[PANEL_CELLS];    /* the cells as the panel wrote them */
static bool shadow_valid;
static uint32_t window_moves_seen;
static struct panel_view last;          /* what the last drawing showed */
static bool have_last;
static uint64_t next_update_ms;
static uint32_t cells_written;

/* The hard disk's controllers: the IDE channel's (its BMIDE ports as
 * ata_init found them in BAR4: I/O BARs do not move, `bar` refuses them)
 * and the AHCI HBA's. ahci_view() reads BAR5 again after `bar` moved a
 * window (pci_bar_moves): the one configuration read the panel can
 * cause, once per move. */
static void take_disks(struct panel_view *v)
{
    struct ata_totals at = ata_totals();
    struct ahci_totals ht = ahci_totals();
    struct ahci_view av = ahci_view();

    v->ide_controller = ata_controller_present();
    v->ide_disk = ata_present();
    if (!ata_bmide_ports(&v->bmide_first, &v->bmide_last))
        v->bmide_first = v->bmide_last = 0;
    v->ide_sectors_dma = at.sectors_dma;
    v->ide_sectors_pio = at.sectors_pio;
    v->ahci = ahci_present();
    v->ahci_disk = av.disk;
    v->ahci_msi = av.msi;
    v->abar = av.abar;
    v->abar_size = av.abar_size;
    v->ahci_sectors = ht.sectors;
    v->ahci_msis = ht.msis;
}

static void take_view(struct panel_view *v)
{
    struct vga_stats vs = vga_stats();
    struct serial_stats ss = serial_stats();
    struct kbd_stats ks = kbd_stats();
    struct dma_totals dt = dma_totals();
    struct fd_totals ft = floppy_totals();

    v->apic_delivers = irq_active() == IRQ_BY_APIC;
    v->cpu_has_apic = cpu_has_apic;
    v->lapic_base = v->ioapic_base = 0;
    v->lapic_ticks = v->lapic_current = 0;
    if (v->apic_delivers) {
        const struct apic_config *cfg = irq_apic_config();
        v->lapic_base = cfg->lapic_base;
        v->ioapic_base = cfg->ioapic_base;
        v->lapic_ticks = lapic_timer_interrupts();
        v->lapic_current = lapic_timer_current();       /* a mov */
    }
    for (unsigned i = 0; i < PANEL_IRQ_LINES; i++) {
        unsigned line = irq_lines[i];
        v->irq_line[i] = (uint8_t)line;
        v->irq_line_used[i] = irq_name(line) != 0;
        v->irq_pic[i] = irq_count(line, IRQ_BY_PIC);
        v->irq_apic[i] = irq_count(line, IRQ_BY_APIC);
    }
    v->pit_counting = pit_counting();
    v->tick_millihz = tick_millihz();
    v->pit_ticks = irq_count(IRQ_PIT, IRQ_BY_PIC);

    v->cursor = vga_cursor();
    v->text_base = (uint32_t)vga_text_address();
    v->cells_written = vs.cells_written;
    v->cells_read = vs.cells_read;
    /* As last read (boot, vgaregs, bench, or whoever moved it called
     * vga_bar_update): the panel reads no configuration space for it. */
    v->vga_bar = vga_bar_address();
    v->uart = serial_present();
    v->uart_in = ss.rx_bytes;
    v->uart_out = ss.tx_bytes;
    v->kbd = kbd_present();
    v->keys = ks.keys;
    v->scancodes = ks.scancodes;
    v->dma_transfers = dt.transfers;
    v->dma_bytes = dt.bytes;
    v->floppy = floppy_present();
    v->sectors_dma = ft.sectors_dma;
    v->sectors_pio = ft.sectors_pio;
    take_disks(v);

    v->paused = paused;
    v->updates_per_s = v->tick_millihz ? MS_PER_S / PANEL_UPDATE_MS : 0;
    v->panel_cells = cells_written;
}

static void draw(void)
{
    static uint16_t cells[PANEL_CELLS];
    struct panel_view now;

    take_view(&now);
    panel_compose(&now, have_last ? &last : 0, cells);
    if (vga_window_moves() != window_moves_seen) {
        window_moves_seen = vga_window_moves();
        shadow_valid = false;
    }
    for (unsigned i = 0; i < PANEL_CELLS; i++) {
        if (shadow_valid && cells[i] == shadow[i])
            continue;
        vga_write_cell(PANEL_FIRST_ROW * VGA_COLS + i, cells[i]);
        shadow[i] = cells[i];
        cells_written++;
    }
    shadow_valid = true;
    last = now;
    have_last = true;
}

void panel_start(enum screen_mode m)
{
    cpu_has_apic = lapic_detect().present;
    mode = m;
    started = true;
}

void panel_poll(void)
{
    if (!started || mode != SCREEN_LIVE || paused || io_trace_on)
        return;
    uint64_t now = tick_uptime_ms();
    if (!shown) {
        /* The console gives up the rows under the title. */
        vga_set_top(PANEL_CONSOLE_TOP);
        shown = true;
        shadow_valid = false;
    } else if (shadow_valid && vga_window_moves() == window_moves_seen
               && tick_millihz() && now < next_update_ms) {
        return;
    }
    next_update_ms = now + PANEL_UPDATE_MS;
    draw();
}

void panel_set_mode(enum screen_mode m)
{
    mode = m;
    if (m == SCREEN_CONSOLE) {
        if (shown)
            vga_set_top(PANEL_FIRST_ROW);
        shown = false;
        return;
    }
    shadow_valid = false;
    panel_poll();
}

enum screen_mode panel_mode(void)
{
    return mode;
}

bool panel_shown(void)
{
    return shown;
}

void panel_trace(bool on)
{
    if (on && shown && !paused && !io_trace_on) {
        paused = true;
        draw();
    }
    paused = on;
}
