/*
 * The monitor's line editor: bytes in, one line out. Pure C, host-tested and
 * fuzzed, because every byte a user or a flood sends arrives here.
 *
 * - CR or LF ends a line; the LF of a CR LF pair is swallowed, so a
 *   terminal that sends both does not produce an empty second line.
 * - Backspace (0x08) and DEL (0x7f) erase the last character.
 * - Ctrl-C (0x03) abandons the line.
 * - Printable ASCII is stored and echoed. Past LINE_CAPACITY the rest of
 *   the line is counted but neither stored nor echoed, and the line is
 *   reported as too long when it ends.
 * - Any other byte (control bytes, bytes >= 0x80) is not echoed; the line
 *   is marked bad, so the monitor answers it with one error line.
 */
#ifndef KERNEL_LINE_H
#define KERNEL_LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LINE_CAPACITY 160

#define LINE_BS 0x08
#define LINE_DEL 0x7f
#define LINE_CR '\r'
#define LINE_LF '\n'
#define LINE_CTRL_C 0x03
/* Printable ASCII: 0x20 (space) to 0x7e; below are the control bytes. */
#define LINE_FIRST_PRINTABLE 0x20
#define LINE_LAST_PRINTABLE 0x7e

enum line_event {
    LINE_PENDING,       /* keep feeding */
    LINE_DONE,          /* a line has ended: read buf and the flags */
    LINE_CANCELLED,     /* Ctrl-C: the line was dropped */
};

struct line_editor {
    char buf[LINE_CAPACITY + 1];    /* NUL-terminated */
    size_t len;
    size_t dropped;     /* characters past the capacity */
    bool bad_byte;
    uint8_t first_bad;  /* the first byte that made the line bad */
    bool after_cr;      /* the last byte was CR: swallow one LF */
};

/* Writes echo output; "\b \b" erases one character on a terminal. */
typedef void (*line_echo_fn)(void *ctx, const char *s);

void line_reset(struct line_editor *ed);
enum line_event line_feed(struct line_editor *ed, uint8_t c,
                          line_echo_fn echo, void *ctx);

#endif
