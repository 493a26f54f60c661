/*
 * `map`: who answers where, in both of the PC's address spaces (claims C6,
 * C9). The memory table merges the firmware's memory map (multiboot) with
 * the windows of the devices iospace drives and those the PCI bus's
 * functions hold (kernel/monitor/memmap.c); kernel/lib/addrmap.c does the
 * merging. The port table lists the I/O ports iospace touches and the
 * PCI functions' I/O windows (kernel/monitor/portmap.c), in port order.
 *
 * `vgawindow`: moves the VGA's memory window (claim C5), so the same video
 * memory answers at another address, and shows it with a marker.
 */
#include "drivers/vga.h"
#include "io/mmio.h"
#include "kernel/lib/addrmap.h"
#include "kernel/console.h"
#include "kernel/lib/fmt.h"
#include "kernel/irq.h"
#include "kernel/lib/klib.h"
#include "kernel/monitor/memmap.h"
#include "kernel/monitor/monitor.h"
#include "kernel/monitor/portmap.h"

/* n regions cut 4 GiB into at most 2n + 1 rows, so every row fits. */
#define MAP_ROWS_MAX (2 * MEMMAP_REGIONS_MAX + 1)
/* The sum of the device windows: a term per window above 1 MiB. */
#define MAP_WINDOWS_TEXT 480

static void print_memory_map(void)
{
    /* Static: too big for the kernel's stack, and the monitor runs one
     * command at a time. */
    static struct memmap m;
    static struct addrmap_row rows[MAP_ROWS_MAX];
    static char windows[MAP_WINDOWS_TEXT];
    char size[24];

    memmap_collect(&m, NULL, 0);
    unsigned n = addrmap_build(m.in, m.n, rows, MAP_ROWS_MAX);

    kprintf("memory address space: 4 GiB, every address reached with mov\n");
    kprintf("  %-21s %10s  %-8s %-3s  %s\n", "first-last", "size",
            "answers", "via", "what");
    for (unsigned i = 0; i < n; i++) {
        addrmap_format_size(rows[i].end - rows[i].base, size, sizeof size);
        kprintf("  0x%08x-0x%08x %10s  %-8s %-3s  %s\n",
                (uint32_t)rows[i].base, (uint32_t)(rows[i].end - 1), size,
                addrmap_answer_name(rows[i].answer), "mov",
                rows[i].what ? rows[i].what : MEMMAP_NOTHING);
    }
    if (kernel_bootinfo()->mmap_truncated)
        kprintf("  (the firmware's map has more regions than the kernel "
                "keeps)\n");
    if (m.pci_truncated)
        kprintf("  (more PCI windows than the %u the map keeps)\n",
                MEMMAP_PCI_WINDOWS_MAX);
    if (irq_active() != IRQ_BY_APIC)
        kprintf("  (the APICs are not in use, so their windows are not "
                "listed)\n");
    addrmap_format_windows(rows, n, windows, sizeof windows);
    kprintf("memory addresses taken by device windows (RAM cannot use "
            "them):\n  %s\n", windows);
}

/* The chip column: as wide as its longest name, and at least this, room
 * for the fixed table's names and a space, so that a machine whose PCI
 * labels are shorter prints the same columns. */
#define PORT_CHIP_WIDTH_MIN 33

static void print_port_map(void)
{
    /* Static, as the memory map's tables. */
    static struct portmap_table t;
    char ports[16];

    portmap_collect(&t);
    unsigned width = portmap_chip_width(t.rows, t.n, PORT_CHIP_WIDTH_MIN);

    /* Every port a row holds, each once: the fixed ones iospace's drivers
     * use, and the PCI windows, used or not, which are iospace's to know
     * because it reads them off the bus. */
    kprintf("I/O port space: 64 KiB apart from memory, reached only with "
            "in/out;\n  iospace knows %u ports, none of which takes a memory "
            "address\n", portmap_ports_used(t.rows, t.n));
    if (t.windows)
        kprintf("  %u of them in %u PCI I/O window%s, which software "
                "placed (BARs)\n", t.window_ports, t.windows,
                t.windows == 1 ? "" : "s");
    kprintf("  %-13s  %-*s  %-19s %s\n", "ports", width, "chip", "driver",
            "via");
    for (unsigned i = 0; i < t.n; i++) {
        const struct portmap_range *p = &t.rows[i];
        if (p->first == p->last)
            fmt_snprintf(ports, sizeof ports, "0x%04x", p->first);
        else
            fmt_snprintf(ports, sizeof ports, "0x%04x-0x%04x", p->first,
                         p->last);
        kprintf("  %-13s  %-*s  %-19s %s\n", ports, width, p->chip,
                p->driver, portmap_access_name(p->access));
    }
    if (t.pci_truncated)
        kprintf("  (more PCI I/O windows than the %u the map keeps)\n",
                PORTMAP_PCI_WINDOWS_MAX);
}

static void cmd_map(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    print_memory_map();
    print_port_map();
}

/* The marker goes into the last cell of the screen, which every window
 * reaches: yellow '#' on magenta, a cell the console never writes. */
#define MARK_OFFSET (2u * (VGA_ROWS * VGA_COLS - 1))
#define MARK_CELL VGA_CELL('#', VGA_ATTR(VGA_YELLOW, VGA_MAGENTA))
#define WINDOW_NAME_SIZE 12         /* "a0000-bffff" */
#define VGA_WINDOW_NAMES "a0000-bffff, a0000-affff, b0000-b7fff, b8000-bffff"

static void window_name(enum vga_window w, char *buf)
{
    fmt_snprintf(buf, WINDOW_NAME_SIZE, "%05x-%05x", vga_window_base(w),
                 vga_window_base(w) + vga_window_size(w) - 1);
}

static void print_window(enum vga_window w)
{
    char size[24];
    addrmap_format_size(vga_window_size(w), size, sizeof size);
    kprintf("  VGA memory answers at 0x%05x-0x%05x (%s), the text at "
            "0x%05x\n", vga_window_base(w),
            vga_window_base(w) + vga_window_size(w) - 1, size,
            (uint32_t)vga_text_address());
}

/* What a load at addr reaches once the window is w. */
static void print_old_address(uint32_t addr, uint16_t value, enum vga_window w,
                              uint32_t same_cell)
{
    uint32_t base = vga_window_base(w);
    if (addr == same_cell)
        kprintf("  0x%05x is the same cell in the new window\n", addr);
    else if (addr < base || addr >= base + vga_window_size(w))
        kprintf("  0x%05x now reads 0x%04x: nothing answers there\n", addr,
                value);
    else
        kprintf("  0x%05x now reads 0x%04x: other video memory (offset "
                "0x%05x of the window)\n", addr, value, addr - base);
}

static void cmd_vgawindow(int argc, char **argv)
{
    if (!vga_present()) {
        monitor_error("vgawindow: no VGA card (GR06 reads 0x%02x): no "
                      "window to show or move", VGA_NO_CARD);
        return;
    }
    enum vga_window old = vga_window_get(), new = VGA_WINDOWS;
    char name[WINDOW_NAME_SIZE];

    if (argc == 1) {
        kprintf("vgawindow: GR06 = 0x%02x, memory map select %u\n",
                vga_misc_read(), old);
        print_window(old);
        kprintf("  RANGE: " VGA_WINDOW_NAMES "\n");
        return;
    }
    for (unsigned w = 0; w < VGA_WINDOWS; w++) {
        window_name(w, name);
        if (strcmp(argv[1], name) == 0)
            new = w;
    }
    if (new == VGA_WINDOWS) {
        monitor_error("vgawindow: unknown RANGE '%s' (" VGA_WINDOW_NAMES
                      ")", argv[1]);
        return;
    }

    /* A marker through the old window, the move, the marker read back
     * through the new one; then the cell gets its character back. Nothing
     * is printed in between: the console writes through the window too. */
    uint32_t old_cell = vga_window_base(old) + MARK_OFFSET;
    uint32_t new_cell = vga_window_base(new) + MARK_OFFSET;
    uint8_t misc_before = vga_misc_read();
    uint16_t saved = mmio_read16(old_cell);
    mmio_write16(old_cell, MARK_CELL);
    vga_window_set(new);
    uint16_t through_new = mmio_read16(new_cell);
    uint16_t at_old = mmio_read16(old_cell);
    mmio_write16(new_cell, saved);

    kprintf("vgawindow: GR06 (ports 0x%03x/0x%03x) 0x%02x -> 0x%02x, memory "
            "map select %u -> %u\n", VGA_GC_INDEX, VGA_GC_DATA, misc_before,
            vga_misc_read(), old, new);
    print_window(new);
    kprintf("  marker 0x%04x written at 0x%05x before the move reads 0x%04x "
            "at 0x%05x\n", MARK_CELL, old_cell, through_new, new_cell);
    print_old_address(old_cell, at_old, new, new_cell);
}

const struct command map_commands[] = {
    { "map", "", "who answers where: memory and I/O port space", 1, 1,
      cmd_map },
    { "vgawindow", "[RANGE]", "show or move the VGA memory window (GR06)",
      1, 2, cmd_vgawindow },
    { 0, 0, 0, 0, 0, 0 },
};
