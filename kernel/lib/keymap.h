/*
 * Scan codes to ASCII, for a US keyboard. Pure C: no device access, so the
 * host tests feed it byte sequences directly.
 *
 * A keyboard does not send characters. It sends a scan code, a number for
 * the key's position, when a key goes down (the "make" code) and again
 * when it comes up (the "break" code); which character a key means, and
 * whether Shift is held, is the computer's business. The PC/AT keyboard
 * speaks scan code set 2, but the 8042 controller translates it to set 1,
 * the codes of the original PC keyboard, unless told not to. In set 1 a
 * break code is the make code with bit 7 set, and the keys added by the
 * 101-key keyboard (arrows, right Ctrl, keypad Enter...) send the prefix
 * 0xE0 before their code.
 *
 * Reference: IBM Personal System/2 Hardware Interface Technical Reference,
 * "Keyboards (101- and 102-Key)", scan code set 1 tables.
 */
#ifndef KERNEL_KEYMAP_H
#define KERNEL_KEYMAP_H

#include <stdbool.h>
#include <stdint.h>

/* Set 1 make codes the keymap treats specially. */
#define KEYMAP_SC_ESCAPE 0x01
#define KEYMAP_SC_BACKSPACE 0x0E
#define KEYMAP_SC_TAB 0x0F
#define KEYMAP_SC_ENTER 0x1C        /* keypad Enter: 0xE0 0x1C */
#define KEYMAP_SC_CTRL 0x1D         /* left; right Ctrl is 0xE0 0x1D */
#define KEYMAP_SC_C 0x2E            /* the C key, for Ctrl-C */
#define KEYMAP_SC_LEFT_SHIFT 0x2A
#define KEYMAP_SC_RIGHT_SHIFT 0x36
#define KEYMAP_SC_SPACE 0x39

#define KEYMAP_BREAK 0x80           /* bit 7: the key was released */
/* The next byte is a key of the 101-key keyboard. The keyboard also wraps
 * some of them (arrows, Insert, Home...) in 0xE0 0x2A / 0xE0 0xAA "fake
 * shifts" to undo or redo a held Shift: they are not the Shift key. */
#define KEYMAP_PREFIX_EXTENDED 0xE0
/* Pause, the one key with no break code, sends 0xE1 0x1D 0x45 0xE1 0x9D
 * 0xC5: each 0xE1 is followed by two bytes that are not keys. */
#define KEYMAP_PREFIX_PAUSE 0xE1
#define KEYMAP_PAUSE_TAIL 2

/* What the keymap produces besides printable ASCII. */
#define KEYMAP_CR '\r'
#define KEYMAP_BS 0x08
#define KEYMAP_CTRL_C 0x03

struct keymap_state {
    bool left_shift, right_shift;
    bool left_ctrl, right_ctrl;
    bool extended;          /* the last byte was KEYMAP_PREFIX_EXTENDED */
    uint8_t skip;           /* bytes of a Pause sequence still to come */
};

void keymap_init(struct keymap_state *s);

/* Feeds one scan code byte; returns the ASCII byte it types, or -1 when
 * it types nothing (a release, a modifier, a prefix, an unmapped key).
 * Enter gives '\r', Backspace 0x08, Ctrl-C 0x03; any other Ctrl chord,
 * Escape, Tab and the keys without a character give -1. */
int keymap_feed(struct keymap_state *s, uint8_t scancode);

#endif
