#include "kernel/lib/keymap.h"

#include <stddef.h>

/*
 * The printable keys of a US keyboard sit in four runs of consecutive
 * set 1 codes, one per row of the keyboard (the codes count along the
 * rows of the original PC keyboard). Each run maps to a string without
 * Shift and one with it.
 */
#define SC_ROW_DIGITS 0x02      /* 1 2 ... 0 - =, codes 0x02-0x0D */
#define SC_ROW_TOP 0x10         /* q w e ... [ ], codes 0x10-0x1B */
#define SC_ROW_HOME 0x1E        /* a s d ... ' `, codes 0x1E-0x29 */
#define SC_ROW_BOTTOM 0x2B      /* \ z x ... /, codes 0x2B-0x35 */

struct key_run {
    uint8_t first;          /* make code of the run's first key */
    const char *plain;
    const char *shifted;
};

static const struct key_run runs[] = {
    { SC_ROW_DIGITS, "1234567890-=", "!@#$%^&*()_+" },
    { SC_ROW_TOP, "qwertyuiop[]", "QWERTYUIOP{}" },
    { SC_ROW_HOME, "asdfghjkl;'`", "ASDFGHJKL:\"~" },
    { SC_ROW_BOTTOM, "\\zxcvbnm,./", "|ZXCVBNM<>?" },
};

#define RUN_COUNT (sizeof runs / sizeof runs[0])

void keymap_init(struct keymap_state *s)
{
    s->left_shift = false;
    s->right_shift = false;
    s->left_ctrl = false;
    s->right_ctrl = false;
    s->extended = false;
    s->skip = 0;
}

/* The character of a make code, or -1. */
static int lookup(uint8_t code, bool shift)
{
    if (code == KEYMAP_SC_SPACE)
        return ' ';
    for (size_t i = 0; i < RUN_COUNT; i++) {
        const char *keys = shift ? runs[i].shifted : runs[i].plain;
        for (size_t k = 0; keys[k]; k++)
            if (code == runs[i].first + k)
                return (unsigned char)keys[k];
    }
    return -1;
}

/* A key after the 0xE0 prefix: only keypad Enter types, only right Ctrl
 * counts as a modifier. Everything else (arrows, the editing keys, fake
 * shifts) is ignored. */
static int feed_extended(struct keymap_state *s, uint8_t code, bool pressed)
{
    if (code == KEYMAP_SC_CTRL)
        s->right_ctrl = pressed;
    else if (code == KEYMAP_SC_ENTER && pressed)
        return KEYMAP_CR;
    return -1;
}

int keymap_feed(struct keymap_state *s, uint8_t scancode)
{
    uint8_t code = (uint8_t)(scancode & ~KEYMAP_BREAK);
    bool pressed = !(scancode & KEYMAP_BREAK);

    if (s->skip > 0) {
        s->skip--;
        return -1;
    }
    if (scancode == KEYMAP_PREFIX_PAUSE) {
        s->skip = KEYMAP_PAUSE_TAIL;
        return -1;
    }
    if (scancode == KEYMAP_PREFIX_EXTENDED) {
        s->extended = true;
        return -1;
    }
    if (s->extended) {
        s->extended = false;
        return feed_extended(s, code, pressed);
    }

    switch (code) {
    case KEYMAP_SC_LEFT_SHIFT:
        s->left_shift = pressed;
        return -1;
    case KEYMAP_SC_RIGHT_SHIFT:
        s->right_shift = pressed;
        return -1;
    case KEYMAP_SC_CTRL:
        s->left_ctrl = pressed;
        return -1;
    default:
        break;
    }
    if (!pressed)
        return -1;
    if (s->left_ctrl || s->right_ctrl)
        return code == KEYMAP_SC_C ? KEYMAP_CTRL_C : -1;
    if (code == KEYMAP_SC_ENTER)
        return KEYMAP_CR;
    if (code == KEYMAP_SC_BACKSPACE)
        return KEYMAP_BS;
    return lookup(code, s->left_shift || s->right_shift);
}
