/*
 * The same register, two mechanisms (claims C1, C2): `vgaregs` reads each
 * of a few VGA and VBE registers by its ports and by QEMU's standard
 * VGA's BAR2 and shows both values side by side; `vgacursor` moves the
 * text cursor through one and reads it back through the other
 * (drivers/vga_bar.h).
 */
#include "drivers/vga.h"
#include "drivers/vga_bar.h"
#include "kernel/console.h"
#include "kernel/lib/fmt.h"
#include "kernel/lib/klib.h"
#include "kernel/monitor/monitor.h"
#include "kernel/x86.h"

#define CURSOR_LAST (VGA_COLS * VGA_ROWS - 1)
/* register, data port, value, data address in BAR2, value: 80 columns. */
#define HEADER_FORMAT "%-30s %-5s %6s  %-10s %6s"
#define ROW_FORMAT "%-30s 0x%03x %6s  0x%08x %6s"

/* The window where it is now (a `bar` move is followed), or an error. */
static bool bar_ready(const char *cmd)
{
    if (vga_bar_update())
        return true;
    monitor_error("%s: %s", cmd, vga_bar_problem());
    return false;
}

static const char *path_name(enum vga_path p)
{
    return p == VGA_PATH_BAR ? "BAR2" : "ports";
}

static const char *same(uint32_t a, uint32_t b)
{
    return a == b ? "same" : "DIFFERENT";
}

static const struct {
    uint8_t index;
    const char *name;
} crtc_regs[] = {
    { VGA_CRTC_CURSOR_START, "cursor start" },
    { VGA_CRTC_CURSOR_END, "cursor end" },
    { VGA_CRTC_CURSOR_HIGH, "cursor location high" },
    { VGA_CRTC_CURSOR_LOW, "cursor location low" },
}, vbe_regs[] = {
    { VBE_DISPI_INDEX_ID, "ID" },
    { VBE_DISPI_INDEX_XRES, "XRES" },
    { VBE_DISPI_INDEX_YRES, "YRES" },
    { VBE_DISPI_INDEX_BPP, "BPP" },
    { VBE_DISPI_INDEX_ENABLE, "ENABLE" },
    { VBE_DISPI_INDEX_VIDEO_MEMORY_64K, "VIDEO_MEMORY_64K" },
};

/* One row: the register, where each path reads it (the data port, the
 * data's address in BAR2) and the two values, digits wide. */
static void print_row(const char *name, uint16_t port, uint32_t address,
                      unsigned digits, uint32_t by_port, uint32_t by_bar)
{
    char a[8], b[8];
    fmt_snprintf(a, sizeof a, "0x%0*x", digits, by_port);
    fmt_snprintf(b, sizeof b, "0x%0*x", digits, by_bar);
    kprintf(ROW_FORMAT "  %s\n", name, port, a, address, b,
            same(by_port, by_bar));
}

static void cmd_vgaregs(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    char name[32];
    if (!bar_ready("vgaregs"))
        return;
    uint32_t bar = vga_bar_address();
    pci_bdf bdf = vga_bar_bdf();
    kprintf("vgaregs: QEMU standard VGA %02x:%02x.%x, BAR2 0x%08x-0x%08x; "
            "each register\n  read by its ports (in/out) and by BAR2 "
            "(mov), its index written first\n", PCI_BDF_BUS(bdf),
            PCI_BDF_DEV(bdf), PCI_BDF_FN(bdf), bar,
            bar + VGA_BAR_MMIO_SIZE - 1);
    kprintf(HEADER_FORMAT "\n", "register", "port", "value", "BAR2",
            "value");
    for (unsigned i = 0; i < ARRAY_SIZE(crtc_regs); i++) {
        uint8_t index = crtc_regs[i].index;
        uint8_t by_port = vga_crtc_read_by(VGA_PATH_PORT, index);
        uint8_t by_bar = vga_crtc_read_by(VGA_PATH_BAR, index);
        fmt_snprintf(name, sizeof name, "CRTC 0x%02x %s", index,
                     crtc_regs[i].name);
        print_row(name, VGA_CRTC_DATA, bar + VGA_BAR_PORT(VGA_CRTC_DATA),
                  2, by_port, by_bar);
    }
    for (unsigned i = 0; i < ARRAY_SIZE(vbe_regs); i++) {
        uint8_t index = vbe_regs[i].index;
        uint16_t by_port = vga_vbe_read_by(VGA_PATH_PORT, index);
        uint16_t by_bar = vga_vbe_read_by(VGA_PATH_BAR, index);
        fmt_snprintf(name, sizeof name, "VBE 0x%x %s", index,
                     vbe_regs[i].name);
        print_row(name, VBE_DISPI_DATA_PORT, bar + VGA_BAR_VBE(index), 4,
                  by_port, by_bar);
    }
}

static bool path_arg(const char *cmd, const char *s, enum vga_path *out)
{
    if (!strcmp(s, "port")) {
        *out = VGA_PATH_PORT;
    } else if (!strcmp(s, "bar")) {
        *out = VGA_PATH_BAR;
    } else {
        monitor_error("%s: '%s' is neither port nor bar", cmd, s);
        return false;
    }
    return true;
}

static void cmd_vgacursor(int argc, char **argv)
{
    (void)argc;
    uint32_t pos;
    enum vga_path by;
    if (!monitor_arg_number("vgacursor", "POS", argv[1], CURSOR_LAST, &pos)
        || !path_arg("vgacursor", argv[2], &by) || !bar_ready("vgacursor"))
        return;
    enum vga_path back = by == VGA_PATH_BAR ? VGA_PATH_PORT : VGA_PATH_BAR;
    /* The location is two registers, high and low: written and read back
     * as one step, interrupts off, so the read compares what was written
     * and the trace shows the eight accesses with no handler's between. */
    uint32_t flags = irq_save();
    vga_cursor_write_by(by, (uint16_t)pos);
    uint16_t got = vga_cursor_read_by(back);
    irq_restore(flags);
    kprintf("vgacursor: 0x%04x (row %u, column %u) by %s; read back by %s: "
            "0x%04x, %s\n", pos, pos / VGA_COLS, pos % VGA_COLS,
            path_name(by), path_name(back), got, same(pos, got));
}

const struct command vga_commands[] = {
    { "vgaregs", "", "VGA and VBE registers read by ports and by BAR2",
      1, 1, cmd_vgaregs },
    { "vgacursor", "POS port|bar",
      "move the cursor by ports or BAR2, read it back the other way", 3, 3,
      cmd_vgacursor },
    { 0, 0, 0, 0, 0, 0 },
};
