#ifndef DRIVERS_VGA_H
#define DRIVERS_VGA_H

#include <stdint.h>

#define VGA_COLS 80
#define VGA_ROWS 25

/* The 16 text colours (IBM VGA palette order). */
enum vga_color {
    VGA_BLACK, VGA_BLUE, VGA_GREEN, VGA_CYAN, VGA_RED, VGA_MAGENTA,
    VGA_BROWN, VGA_LIGHT_GREY, VGA_DARK_GREY, VGA_LIGHT_BLUE,
    VGA_LIGHT_GREEN, VGA_LIGHT_CYAN, VGA_LIGHT_RED, VGA_LIGHT_MAGENTA,
    VGA_YELLOW, VGA_WHITE,
};

/* The range of the memory address space a VGA card may claim for its
 * video memory (IBM VGA Technical Reference, "Graphics Controller
 * Registers", Miscellaneous register: memory map 0 is A0000-BFFFF). */
#define VGA_MEMORY_BASE 0xA0000u
#define VGA_MEMORY_SIZE 0x20000u

/* Physical address of the colour text buffer: 80x25 cells of two bytes,
 * the character (code page 437) and its attribute (background << 4 |
 * foreground). */
#define VGA_TEXT_BUFFER 0xB8000u

void vga_init(void);
/* Writes a title into row 0, white on blue, and keeps it there: clearing
 * and scrolling then use rows 1..24. */
void vga_set_title(const char *title);
void vga_clear(void);
void vga_set_color(enum vga_color fg, enum vga_color bg);
void vga_putc(char c);
/* Moves the blinking hardware cursor to where the next character goes. */
void vga_sync_cursor(void);
/* Sets and reads back the hardware cursor position (row * 80 + column). */
void vga_set_cursor(uint16_t pos);
uint16_t vga_read_cursor(void);

#endif
