/*
 * A cell of VGA text memory, one home for its layout: the character
 * (code page 437) in the low byte, its attribute in the high byte; in the
 * attribute, the foreground colour in bits 3..0 and the background in
 * bits 6..4 (bit 7 blinks, as the BIOS sets the Attribute Controller).
 * IBM VGA Technical Reference, "Alphanumeric Modes" and Attribute Mode
 * Control register bit 3. Pure: the driver, the panel's layout (host
 * tested) and the self-test share it.
 */
#ifndef KERNEL_LIB_VGA_CELL_H
#define KERNEL_LIB_VGA_CELL_H

#include <stdint.h>

#define VGA_ATTR_BG_SHIFT 4
#define VGA_CELL_ATTR_SHIFT 8

/* The attribute byte of foreground fg on background bg. */
#define VGA_ATTR(fg, bg) ((uint8_t)((fg) | (bg) << VGA_ATTR_BG_SHIFT))

/* The 16-bit cell of character ch with attribute byte attr. */
#define VGA_CELL(ch, attr) \
    ((uint16_t)((uint8_t)(ch) | (uint16_t)(attr) << VGA_CELL_ATTR_SHIFT))

#endif
