#ifndef DRIVERS_VGA_H
#define DRIVERS_VGA_H

#include "kernel/lib/vga_cell.h"

#include <stdbool.h>
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
 * the character (code page 437) and its attribute (VGA_CELL and VGA_ATTR
 * in kernel/lib/vga_cell.h). It is where the BIOS's text mode puts the
 * window below; vga_text_address says where it answers now. */
#define VGA_TEXT_BUFFER 0xB8000u

/* The VGA's registers, all of its ports: sequencer, graphics controller,
 * CRTC, DAC, attribute controller (IBM VGA Technical Reference, "I/O
 * Address Map"; 0x3B0-0x3BF, the monochrome CRTC, is not used in colour
 * mode). */
#define VGA_PORTS_FIRST 0x3C0
#define VGA_PORTS_LAST 0x3DF

/* CRT controller ports in colour mode (Miscellaneous Output bit 0 = 1):
 * write a register's index to the first, then read or write it at the
 * second (IBM VGA Technical Reference, "CRT Controller Registers"). */
#define VGA_CRTC_INDEX 0x3D4
#define VGA_CRTC_DATA 0x3D5

/* CRTC register indexes. */
#define VGA_CRTC_CURSOR_START 0x0A  /* bit 5: cursor off; 4..0: top line */
#define VGA_CRTC_CURSOR_END 0x0B    /* 4..0: bottom scan line */
#define VGA_CRTC_CURSOR_HIGH 0x0E   /* cursor location, bits 15..8 */
#define VGA_CRTC_CURSOR_LOW 0x0F    /* cursor location, bits 7..0 */

/* The Graphics Controller's index and data ports: write a register's
 * index to the first, then read or write the register at the second (IBM
 * VGA Technical Reference, "Graphics Controller Registers"). */
#define VGA_GC_INDEX 0x3CE
#define VGA_GC_DATA 0x3CF
#define VGA_GC_MISC 0x06        /* GR06, the Miscellaneous register */

/* Where the card answers in the memory address space (claim C5): GR06
 * bits 3..2, "Memory Map Select", pick one of four windows onto video
 * memory. The window moves; the memory behind it stays. Reference: IBM VGA
 * Technical Reference, Miscellaneous Register; FreeVGA, "Graphics
 * Registers", Miscellaneous Graphics Register. */
enum vga_window {
    VGA_WINDOW_A0000_128K,      /* 00: A0000-BFFFF */
    VGA_WINDOW_A0000_64K,       /* 01: A0000-AFFFF, the graphics modes' */
    VGA_WINDOW_B0000_32K,       /* 10: B0000-B7FFF, monochrome text */
    VGA_WINDOW_B8000_32K,       /* 11: B8000-BFFFF, colour text */
    VGA_WINDOWS,
};

uint32_t vga_window_base(enum vga_window w);
uint32_t vga_window_size(enum vga_window w);
/* GR06 as the card holds it, read through the index/data ports. */
uint8_t vga_misc_read(void);
/* The window GR06 selects now. */
enum vga_window vga_window_get(void);
/* Moves the window by rewriting GR06's two bits with `out`; the console
 * follows, so it keeps writing where its text now answers. */
void vga_window_set(enum vga_window w);
/* After GR06 was written by someone else (an `outb` at the monitor): the
 * console follows the window wherever it is now, so that it never writes
 * to addresses where nothing answers. */
void vga_window_follow(void);
/* Where the first character cell answers now. */
uintptr_t vga_text_address(void);

/* Finds the card (false: none answers, and every other call here does
 * nothing), takes the window the BIOS chose, and clears the screen. */
bool vga_init(void);
bool vga_present(void);
/* What a port nobody decodes reads (the bus's pull-ups). */
#define VGA_NO_CARD 0xFF
/* Writes a title into row 0, white on blue, and keeps it there: clearing
 * and scrolling then use rows 1..24. */
void vga_set_title(const char *title);

/* The console's rows are top..24; the rows above belong to the title and
 * whoever else draws there (kernel/panel/panel.c). Moving top moves the
 * console's text with it: growing upward, the text moves up to the new
 * top and the rows freed at the bottom go blank; shrinking, the text moves
 * down until the cursor's line is the bottom one, so that as many of its
 * last lines as fit stay in view.
 * The text is read back from video memory, as scrolling does. */
void vga_set_top(int new_top);

/* Clears the console's rows. */
void vga_clear(void);
void vga_set_color(enum vga_color fg, enum vga_color bg);
void vga_putc(char c);
/* Moves the blinking hardware cursor to where the next character goes. */
void vga_sync_cursor(void);
/* One CRTC register, through the index and data ports (an `out` to
 * VGA_CRTC_INDEX, then an `in` or `out` at VGA_CRTC_DATA). With no card,
 * reads 0 and writes nothing. drivers/vga_bar.h reaches the same
 * registers through memory as well. */
uint8_t vga_crtc_read(uint8_t index);
void vga_crtc_write(uint8_t index, uint8_t value);

/* Sets and reads back the hardware cursor position (row * 80 + column). */
void vga_set_cursor(uint16_t pos);
uint16_t vga_read_cursor(void);
/* The position last written to the CRTC, as the driver remembers it: no
 * port access. */
uint16_t vga_cursor(void);

/* One cell (VGA_CELL), written with mov at position pos
 * (row * 80 + column) through the current window; the cursor and the
 * console's state are left alone. For the live panel. */
void vga_write_cell(unsigned pos, uint16_t value);

/* Text cells the driver wrote and read back with mov since boot (the
 * panel's cells included). */
struct vga_stats {
    uint32_t cells_written, cells_read;
};
struct vga_stats vga_stats(void);

/* Counts the moves of the memory window (vga_window_set): a change tells
 * whoever keeps a copy of the screen that writes may have gone to the
 * old window meanwhile. */
uint32_t vga_window_moves(void);

#endif
