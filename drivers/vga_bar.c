/*
 * The VGA's registers reached through memory: QEMU's standard VGA as a PCI
 * function, its BAR2 (drivers/vga_bar.h). drivers/vga.c drives the card
 * through its ports; this file reaches the very same registers with `mov`
 * and says where that window is.
 *
 * Where: BAR2 holds the window's address, which the firmware chose (on
 * QEMU's pc 0xFEBF0000, on q35 0xFEBD4000) and which software may move
 * (`bar`): it is read from the BAR at init and again by vga_bar_update.
 *
 * How the two paths differ at the bus, for the same CRTC register: by
 * ports, `out 0x3D4, index` then `in 0x3D5`; by BAR2, a byte `mov` to
 * BAR2 + 0x414 then one from BAR2 + 0x415. QEMU's model sends both to the
 * one function that handles a VGA port (vga_ioport_read/_write, with the
 * BAR's offset turned back into the port: offset + 0x3C0). The VBE
 * registers differ more: by ports an index `outw` to 0x1CE then a data
 * `inw` at 0x1CF; by BAR2 one 16-bit `mov` at 0x500 + 2 * index, for
 * which QEMU itself writes the index first (so after it, port 0x1CE holds
 * that index too).
 */
#include "drivers/vga_bar.h"

#include "drivers/pci.h"
#include "drivers/vga.h"
#include "io/mmio.h"
#include "io/port.h"
#include "io/trace.h"
#include "kernel/paging.h"
#include "kernel/x86.h"

#include <stddef.h>

#define BITS_PER_BYTE 8u
#define LOW_BYTE 0xFFu

static const struct pci_function *function;
static uint32_t bar;            /* BAR2's address; 0: not answering */
static uint32_t mapped;         /* the last address mapped (the page stays) */
static const char *problem = "not initialised";

/* Names for the trace: the registers behind the BAR are named as their
 * ports are, so that a dump of either path reads alike. */
static const char *const vbe_names[VGA_BAR_VBE_REGS] = {
    "VBE ID", "VBE XRES", "VBE YRES", "VBE BPP", "VBE ENABLE", "VBE BANK",
    "VBE VIRT_WIDTH", "VBE VIRT_HEIGHT", "VBE X_OFFSET", "VBE Y_OFFSET",
    "VBE VIDEO_MEMORY_64K",
};

static const char *bar_reg_name(uint32_t where, bool write, uint32_t value)
{
    (void)write;
    (void)value;
    uint32_t offset = where - bar;
    if (offset >= VGA_BAR_VBE_OFFSET)
        return vbe_names[(offset - VGA_BAR_VBE_OFFSET) / 2];
    switch (offset) {
    case VGA_BAR_PORT(VGA_CRTC_INDEX):
        return "CRTC index";
    case VGA_BAR_PORT(VGA_CRTC_DATA):
        return "CRTC data";
    case VGA_BAR_PORT(VGA_GC_INDEX):
        return "GC index";
    case VGA_BAR_PORT(VGA_GC_DATA):
        return "GC data";
    }
    return "VGA port mirror";
}

static const char *vbe_port_name(uint32_t where, bool write, uint32_t value)
{
    (void)write;
    (void)value;
    return where == VBE_DISPI_INDEX_PORT ? "VBE index" : "VBE data";
}

/* The two parts of the window; their addresses follow the BAR. */
static struct io_trace_device trace_bar_ports = {
    "vga", IO_MMIO, 0, 0, bar_reg_name,
};
static struct io_trace_device trace_bar_vbe = {
    "vbe", IO_MMIO, 0, 0, bar_reg_name,
};
static const struct io_trace_device trace_vbe_ports = {
    "vbe", IO_PMIO, VBE_DISPI_INDEX_PORT, VBE_DISPI_PORTS_LAST,
    vbe_port_name,
};

/* With no window, first > last: the ranges match no address. */
static void trace_follow(void)
{
    if (!bar) {
        trace_bar_ports.first = trace_bar_vbe.first = UINT32_MAX;
        trace_bar_ports.last = trace_bar_vbe.last = 0;
        return;
    }
    trace_bar_ports.first = bar + VGA_BAR_PORTS_OFFSET;
    trace_bar_ports.last = bar + VGA_BAR_PORT(VGA_PORTS_LAST);
    trace_bar_vbe.first = bar + VGA_BAR_VBE_OFFSET;
    trace_bar_vbe.last = bar + VGA_BAR_VBE(VGA_BAR_VBE_REGS) - 1;
}

bool vga_bar_update(void)
{
    bar = 0;
    if (!function)
        return false;
    uint32_t value = pci_config_read32(function->bdf,
                                       (uint16_t)(PCI_BAR0
                                                  + 4 * VGA_BAR_MMIO));
    uint16_t command = pci_config_read16(function->bdf, PCI_COMMAND);
    uint32_t address = value & PCI_BAR_MEM_MASK;
    if (value & PCI_BAR_SPACE_IO) {
        problem = "BAR2 is not a memory window";
    } else if (!(command & PCI_COMMAND_MEMORY)) {
        problem = "memory decoding is off (command register bit 1)";
    } else if (address == 0) {
        problem = "BAR2 holds no address";
    } else if (address != mapped
               && !paging_map_mmio(address, VGA_BAR_MMIO_SIZE)) {
        problem = "no page table left to map BAR2";
    } else {
        mapped = bar = address;
        problem = NULL;
    }
    trace_follow();
    return bar != 0;
}

bool vga_bar_init(void)
{
    function = pci_find_device(VGA_PCI_VENDOR, VGA_PCI_DEVICE);
    if (!function) {
        problem = "no QEMU standard VGA (PCI 1234:1111) on this machine";
        return false;
    }
    io_trace_add_device(&trace_bar_ports);
    io_trace_add_device(&trace_bar_vbe);
    io_trace_add_device(&trace_vbe_ports);
    return vga_bar_update();
}

const char *vga_bar_problem(void)
{
    return problem;
}

uint32_t vga_bar_address(void)
{
    return bar;
}

pci_bdf vga_bar_bdf(void)
{
    return function ? function->bdf : 0;
}

/* An index and its data form one access to the register: no interrupt
 * handler's access to the same index (the console's cursor, were it to
 * print) may come between them, whichever the path. */
uint8_t vga_crtc_read_by(enum vga_path path, uint8_t index)
{
    uint8_t v = 0;
    uint32_t flags = irq_save();
    if (path == VGA_PATH_PORT) {
        v = vga_crtc_read(index);
    } else if (bar) {
        mmio_write8(bar + VGA_BAR_PORT(VGA_CRTC_INDEX), index);
        v = mmio_read8(bar + VGA_BAR_PORT(VGA_CRTC_DATA));
    }
    irq_restore(flags);
    return v;
}

void vga_crtc_write_by(enum vga_path path, uint8_t index, uint8_t value)
{
    uint32_t flags = irq_save();
    if (path == VGA_PATH_PORT) {
        vga_crtc_write(index, value);
    } else if (bar) {
        mmio_write8(bar + VGA_BAR_PORT(VGA_CRTC_INDEX), index);
        mmio_write8(bar + VGA_BAR_PORT(VGA_CRTC_DATA), value);
    }
    irq_restore(flags);
}

uint16_t vga_vbe_read_by(enum vga_path path, uint8_t index)
{
    uint16_t v = 0;
    uint32_t flags = irq_save();
    if (path == VGA_PATH_BAR && bar) {
        v = mmio_read16(bar + VGA_BAR_VBE(index));
    } else if (path == VGA_PATH_PORT && function) {
        outw(VBE_DISPI_INDEX_PORT, index);
        v = inw(VBE_DISPI_DATA_PORT);
    }
    irq_restore(flags);
    return v;
}

uint16_t vga_cursor_read_by(enum vga_path path)
{
    return (uint16_t)(vga_crtc_read_by(path, VGA_CRTC_CURSOR_HIGH)
                          << BITS_PER_BYTE
                      | vga_crtc_read_by(path, VGA_CRTC_CURSOR_LOW));
}

void vga_cursor_write_by(enum vga_path path, uint16_t pos)
{
    vga_crtc_write_by(path, VGA_CRTC_CURSOR_HIGH,
                      (uint8_t)(pos >> BITS_PER_BYTE));
    vga_crtc_write_by(path, VGA_CRTC_CURSOR_LOW, (uint8_t)(pos & LOW_BYTE));
}
