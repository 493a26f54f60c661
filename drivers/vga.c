/*
 * VGA text console: one device, both access mechanisms.
 *
 * - The characters live in the VGA card's memory, which the card decodes at
 *   physical 0xB8000 in colour text mode: the CPU writes a character with a
 *   plain `mov` to that address (memory-mapped I/O, claim C1). Nothing tells
 *   the CPU that this store went to a device and not to RAM: the card
 *   claims the address on the bus (claim C6).
 * - The blinking cursor is a register of the CRT controller, which sits
 *   behind an index/data pair of I/O ports, 0x3D4 and 0x3D5: write the
 *   register's number to the index port, then its value to the data port
 *   (port-mapped I/O, claim C2).
 *
 * - Where the card's memory appears in the memory address space is itself
 *   a register behind ports: the Graphics Controller's Miscellaneous
 *   register (GR06) selects one of four windows (claim C5). Port I/O
 *   programs the memory map.
 *
 * Scrolling moves every cell up one row with a load and a store each: the
 * screen's contents live in the card, so they are read from the card. (Such
 * reads are slower than RAM reads, claim C12; the cost table measures it.)
 * Only the console's rows scroll: row 0 holds a title, and the live panel
 * (kernel/panel/panel.c) may hold the rows below it (vga_set_top).
 *
 * Reference: IBM VGA Technical Reference, "CRT Controller Registers",
 * "Graphics Controller Registers"; FreeVGA "CRTC Registers" (index 0Ah,
 * 0Bh, 0Eh, 0Fh), "Graphics Registers" (index 06h).
 */
#include "drivers/vga.h"

#include "io/mmio.h"
#include "io/port.h"
#include "kernel/lib/wrap.h"

/* An underline cursor on the last two of the 16 scan lines of a cell. */
#define VGA_CURSOR_TOP_LINE 14
#define VGA_CURSOR_BOTTOM_LINE 15

#define VGA_TAB_WIDTH 8

/* GR06 bits 3..2: Memory Map Select. */
#define VGA_MISC_MAP_SHIFT 2
#define VGA_MISC_MAP_MASK (3u << VGA_MISC_MAP_SHIFT)

/* The four windows, in Memory Map Select order. */
static const struct {
    uint32_t base, size;
} windows[VGA_WINDOWS] = {
    [VGA_WINDOW_A0000_128K] = { 0xA0000, 0x20000 },
    [VGA_WINDOW_A0000_64K] = { 0xA0000, 0x10000 },
    [VGA_WINDOW_B0000_32K] = { 0xB0000, 0x8000 },
    [VGA_WINDOW_B8000_32K] = { 0xB8000, 0x8000 },
};

/* Where the cells are written: the first address of the window. In text
 * mode the card addresses its memory by the offset inside the window
 * (odd/even addressing: even offsets reach plane 0, the characters, odd
 * ones plane 1, the attributes), so cell 0 answers at the window's first
 * byte, wherever the window is. */
static uintptr_t text_base = VGA_TEXT_BUFFER;

#define VGA_TEXT_BYTES (2u * VGA_ROWS * VGA_COLS)

/* Names for the trace. Video memory is registered whole: the text is
 * wherever the window put it. */
static const char *vga_reg_name(uint32_t where, bool write, uint32_t value)
{
    (void)write;
    (void)value;
    if (where == VGA_CRTC_INDEX)
        return "CRTC index";
    if (where == VGA_CRTC_DATA)
        return "CRTC data";
    if (where == VGA_GC_INDEX)
        return "GC index";
    if (where == VGA_GC_DATA)
        return "GC data";
    if (where < text_base || where - text_base >= VGA_TEXT_BYTES)
        return "video memory";
    return (where - text_base) % 2 ? "text attribute" : "text cell";
}

static const struct io_trace_device trace_crtc = {
    "vga", IO_PMIO, VGA_CRTC_INDEX, VGA_CRTC_DATA, vga_reg_name,
};
static const struct io_trace_device trace_gc = {
    "vga", IO_PMIO, VGA_GC_INDEX, VGA_GC_DATA, vga_reg_name,
};
static const struct io_trace_device trace_text = {
    "vga", IO_MMIO, VGA_MEMORY_BASE, VGA_MEMORY_BASE + VGA_MEMORY_SIZE - 1,
    vga_reg_name,
};

static bool present;    /* a card answered at its ports */
static int row, col;
static int top;         /* the console's first row: 1 under a title */
static uint16_t cursor; /* what the CRTC's cursor location holds */
static struct vga_stats stats;
static uint32_t window_moves;
/* The background is spelled out although black is 0, for the reader. */
static uint8_t attr = VGA_ATTR(VGA_LIGHT_GREY, VGA_BLACK);

static uint16_t cell(char c)
{
    return VGA_CELL(c, attr);
}

static uintptr_t cell_address(int pos)
{
    return text_base + 2 * (uintptr_t)pos;
}

static void put_cell(int pos, uint16_t v)
{
    if (!present)
        return;
    mmio_write16(cell_address(pos), v);
    stats.cells_written++;
}

static uint16_t get_cell(int pos)
{
    if (!present)
        return cell(' ');
    stats.cells_read++;
    return mmio_read16(cell_address(pos));
}

/* Copies n rows from row src to row dst, cell by cell, each read back
 * from video memory: in the order that never overwrites a row before it
 * has been copied. */
static void move_rows(int dst, int src, int n)
{
    if (dst < src) {
        for (int i = 0; i < n * VGA_COLS; i++)
            put_cell(dst * VGA_COLS + i, get_cell(src * VGA_COLS + i));
    } else if (dst > src) {
        for (int i = n * VGA_COLS - 1; i >= 0; i--)
            put_cell(dst * VGA_COLS + i, get_cell(src * VGA_COLS + i));
    }
}

static void blank_rows(int first, int n)
{
    for (int i = first * VGA_COLS; i < (first + n) * VGA_COLS; i++)
        put_cell(i, cell(' '));
}

void vga_crtc_write(uint8_t index, uint8_t value)
{
    if (!present)
        return;
    outb(VGA_CRTC_INDEX, index);
    outb(VGA_CRTC_DATA, value);
}

uint8_t vga_crtc_read(uint8_t index)
{
    if (!present)
        return 0;
    outb(VGA_CRTC_INDEX, index);
    return inb(VGA_CRTC_DATA);
}

uint32_t vga_window_base(enum vga_window w)
{
    return windows[w].base;
}

uint32_t vga_window_size(enum vga_window w)
{
    return windows[w].size;
}

uint8_t vga_misc_read(void)
{
    outb(VGA_GC_INDEX, VGA_GC_MISC);
    return inb(VGA_GC_DATA);
}

enum vga_window vga_window_get(void)
{
    return (enum vga_window)((vga_misc_read() & VGA_MISC_MAP_MASK)
                             >> VGA_MISC_MAP_SHIFT);
}

void vga_window_set(enum vga_window w)
{
    /* Read-modify-write: GR06's other bits (text or graphics, odd/even
     * chaining) stay as the mode set them. The read left GR06 selected at
     * the index port, so the write goes straight to the data port. */
    uint8_t misc = vga_misc_read() & ~VGA_MISC_MAP_MASK;
    outb(VGA_GC_DATA, (uint8_t)(misc | w << VGA_MISC_MAP_SHIFT));
    text_base = windows[w].base;
    window_moves++;
}

void vga_window_follow(void)
{
    if (!present)
        return;
    uintptr_t base = windows[vga_window_get()].base;
    if (base != text_base) {
        text_base = base;
        window_moves++;
    }
}

uint32_t vga_window_moves(void)
{
    return window_moves;
}

uintptr_t vga_text_address(void)
{
    return text_base;
}

bool vga_present(void)
{
    return present;
}

bool vga_init(void)
{
    /* With no card on the bus nothing drives the data lines: the port
     * reads all ones, which GR06 never holds (its bits 7..4 are reserved,
     * read as 0). Without a card the console writes nowhere. */
    present = vga_misc_read() != VGA_NO_CARD;
    if (!present)
        return false;
    io_trace_add_device(&trace_crtc);
    io_trace_add_device(&trace_gc);
    io_trace_add_device(&trace_text);
    /* The BIOS chose the window when it set the text mode. */
    text_base = windows[vga_window_get()].base;
    vga_crtc_write(VGA_CRTC_CURSOR_START, VGA_CURSOR_TOP_LINE);
    vga_crtc_write(VGA_CRTC_CURSOR_END, VGA_CURSOR_BOTTOM_LINE);
    vga_clear();
    return true;
}

void vga_clear(void)
{
    blank_rows(top, VGA_ROWS - top);
    row = top;
    col = 0;
    vga_sync_cursor();
}

void vga_set_title(const char *title)
{
    uint8_t saved = attr;
    vga_set_color(VGA_WHITE, VGA_BLUE);
    for (int i = 0; i < VGA_COLS; i++)
        put_cell(i, cell((char)(*title ? *title++ : ' ')));
    attr = saved;
    if (top < 1)
        top = 1;
    if (row < top)
        row = top;
    vga_sync_cursor();
}

void vga_set_top(int new_top)
{
    if (new_top < top) {
        int by = top - new_top;
        move_rows(new_top, top, VGA_ROWS - top);
        blank_rows(VGA_ROWS - by, by);
        row -= by;
    } else if (new_top > top) {
        int by = VGA_ROWS - 1 - row;
        move_rows(top + by, top, VGA_ROWS - top - by);
        blank_rows(top, by);
        row += by;
    }
    top = new_top;
    vga_sync_cursor();
}

void vga_set_color(enum vga_color fg, enum vga_color bg)
{
    attr = VGA_ATTR(fg, bg);
}

static void scroll(void)
{
    move_rows(top, top + 1, VGA_ROWS - 1 - top);
    blank_rows(VGA_ROWS - 1, 1);
    row = VGA_ROWS - 1;
}

/* The row is full and c does not fit: a new row, and the word that c
 * continues moves down with it whole (kernel/lib/wrap.c), so that no
 * number is cut in two at the edge. A space that breaks the row is
 * dropped. Waiting for c before wrapping also spares a blank row after a
 * line of exactly 80 characters. */
static void wrap(char c)
{
    char text[VGA_COLS];
    for (int i = 0; i < VGA_COLS; i++)
        text[i] = (char)(get_cell(row * VGA_COLS + i) & 0xFF);
    int from = (int)wrap_carry_from(text, VGA_COLS, c);

    col = 0;
    if (++row >= VGA_ROWS)
        scroll();
    for (int i = from; i < VGA_COLS; i++) {
        put_cell(row * VGA_COLS + col++, cell(text[i]));
        put_cell((row - 1) * VGA_COLS + i, cell(' '));
    }
}

void vga_putc(char c)
{
    switch (c) {
    case '\n':
        col = 0;
        row++;
        break;
    case '\r':
        col = 0;
        break;
    case '\b':
        if (col > 0)
            col--;
        break;
    case '\t':
        col = (col / VGA_TAB_WIDTH + 1) * VGA_TAB_WIDTH;
        break;
    default:
        if (col >= VGA_COLS) {
            wrap(c);
            if (c == ' ')
                break;
        }
        put_cell(row * VGA_COLS + col, cell(c));
        col++;
        break;
    }
    if (row >= VGA_ROWS)
        scroll();
}

void vga_set_cursor(uint16_t pos)
{
    vga_crtc_write(VGA_CRTC_CURSOR_HIGH, pos >> 8);
    vga_crtc_write(VGA_CRTC_CURSOR_LOW, pos & 0xFF);
    cursor = pos;
}

uint16_t vga_cursor(void)
{
    return cursor;
}

void vga_write_cell(unsigned pos, uint16_t value)
{
    put_cell((int)pos, value);
}

struct vga_stats vga_stats(void)
{
    return stats;
}

void vga_sync_cursor(void)
{
    vga_set_cursor((uint16_t)(row * VGA_COLS + col));
}

uint16_t vga_read_cursor(void)
{
    return (uint16_t)(vga_crtc_read(VGA_CRTC_CURSOR_HIGH) << 8
                      | vga_crtc_read(VGA_CRTC_CURSOR_LOW));
}
