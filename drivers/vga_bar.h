/*
 * The same VGA registers, two mechanisms (claims C1, C2, C12). QEMU's
 * standard VGA is a PCI function (vendor 1234, device 1111) whose second
 * memory window, BAR2, is 4 KiB of registers: at offset 0x400 the VGA's
 * ports 0x3C0-0x3DF answer again, one byte each, and at 0x500 the Bochs
 * VBE ("dispi") registers, 16 bits each. So the CRTC's cursor register
 * is reached by `out 0x3D4` / `in 0x3D5` or by a `mov` to BAR2 + 0x414 /
 * + 0x415: the same register in the same chip, the same value either
 * way. Only where the window is differs from machine to machine (the
 * firmware picks the BAR's address), so it is read from the BAR, never
 * written down here.
 *
 * References: QEMU docs/specs/standard-vga.rst ("PCI Region 2: MMIO
 * bar", "MMIO area spec") and hw/display/vga-pci.c (the regions "vga ioports remapped",
 * 0x400-0x41F, byte-wide, and "bochs dispi interface", 0x500-0x515,
 * where register i is the 16-bit word at 0x500 + 2 * i); Bochs
 * iodev/display/vga.h and QEMU include/hw/display/bochs-vbe.h (the VBE
 * register indexes and ID values).
 */
#ifndef DRIVERS_VGA_BAR_H
#define DRIVERS_VGA_BAR_H

#include "drivers/pci.h"
#include "drivers/vga.h"

#include <stdbool.h>
#include <stdint.h>

/* The PCI function: QEMU's vendor ID and its standard VGA's device ID
 * (QEMU docs/specs/standard-vga.rst; pci-ids.rst). */
#define VGA_PCI_VENDOR 0x1234
#define VGA_PCI_DEVICE 0x1111

/* BAR2, the MMIO BAR (BAR0 is the 16 MiB framebuffer). */
#define VGA_BAR_MMIO 2
#define VGA_BAR_MMIO_SIZE 0x1000u
/* Ports 0x3C0-0x3DF at 0x400-0x41F, in port order. */
#define VGA_BAR_PORTS_OFFSET 0x400u
#define VGA_BAR_PORT(port) (VGA_BAR_PORTS_OFFSET + ((port) - VGA_PORTS_FIRST))
/* VBE register i at 0x500 + 2 * i, 16 bits; 11 registers (0x0-0xA). */
#define VGA_BAR_VBE_OFFSET 0x500u
#define VGA_BAR_VBE_REGS 11u
#define VGA_BAR_VBE(index) (VGA_BAR_VBE_OFFSET + 2u * (index))

/* The Bochs VBE registers behind ports: a 16-bit `out` of the register's
 * index to the index port, then a 16-bit `in` or `out` at the data port.
 * QEMU decodes 0x1CE-0x1D1 (its "vbe" region). */
#define VBE_DISPI_INDEX_PORT 0x1CE
#define VBE_DISPI_DATA_PORT 0x1CF
#define VBE_DISPI_PORTS_LAST 0x1D1

/* VBE register indexes (Bochs vga.h, VBE_DISPI_INDEX_*). */
#define VBE_DISPI_INDEX_ID 0x0      /* the interface's version: 0xB0C0-0xB0C5 */
#define VBE_DISPI_INDEX_XRES 0x1    /* mode width, pixels */
#define VBE_DISPI_INDEX_YRES 0x2    /* mode height */
#define VBE_DISPI_INDEX_BPP 0x3     /* bits per pixel */
#define VBE_DISPI_INDEX_ENABLE 0x4  /* bit 0: the VBE mode is on */
#define VBE_DISPI_INDEX_VIDEO_MEMORY_64K 0xA   /* video memory, 64 KiB units */
/* What QEMU's ID register holds after reset (VBE_DISPI_ID5). */
#define VBE_DISPI_ID5 0xB0C5

/* Which way a register is reached. */
enum vga_path {
    VGA_PATH_PORT,      /* in/out at the VGA's and the VBE's ports */
    VGA_PATH_BAR,       /* mov into BAR2 */
};

/* Finds the standard VGA on the PCI bus (after pci_init), reads BAR2 and
 * maps it uncached. False when the machine has none (-vga none, -vga
 * cirrus) or its BAR2 does not answer; vga_bar_problem() says why. */
bool vga_bar_init(void);
/* Reads BAR2 again and maps the window where it is now: call it after
 * anything moved the BAR (`bar`). False, with vga_bar_problem(), when the
 * window is gone (decoding off, address 0). */
bool vga_bar_update(void);
const char *vga_bar_problem(void);
/* BAR2's address as last read, 0 when it does not answer. */
uint32_t vga_bar_address(void);
/* The function's bus:device.function (lspci's packing). */
pci_bdf vga_bar_bdf(void);

/* One CRTC register by either path (the BAR's path: a byte `mov` to the
 * index's mirror, then one at the data's). Nothing happens by BAR when
 * it does not answer: 0 is read. */
uint8_t vga_crtc_read_by(enum vga_path path, uint8_t index);
void vga_crtc_write_by(enum vga_path path, uint8_t index, uint8_t value);

/* One VBE register by either path: by ports an index `outw` and a data
 * `inw`, by BAR2 a single 16-bit `mov` (QEMU selects the index for it). */
uint16_t vga_vbe_read_by(enum vga_path path, uint8_t index);

/* The cursor location (row * 80 + column), CRTC 0x0E and 0x0F, by either
 * path. */
uint16_t vga_cursor_read_by(enum vga_path path);
void vga_cursor_write_by(enum vga_path path, uint16_t pos);

#endif
