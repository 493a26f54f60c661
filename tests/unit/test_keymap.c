/*
 * kernel/lib/keymap.c: scan code set 1 to ASCII. The scan codes below are
 * written out from the set 1 table (IBM PS/2 Hardware Interface Technical
 * Reference), not taken from keymap.c, so the test checks the table too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernel/lib/keymap.h"

#define BREAK(code) ((uint8_t)((code) | 0x80))

/* Make codes, from the reference table. */
enum {
    SC_1 = 0x02, SC_2 = 0x03, SC_0 = 0x0B, SC_MINUS = 0x0C, SC_EQUALS = 0x0D,
    SC_Q = 0x10, SC_H = 0x23, SC_E = 0x12, SC_L = 0x26, SC_P = 0x19,
    SC_LBRACKET = 0x1A, SC_RBRACKET = 0x1B, SC_A = 0x1E,
    SC_SEMICOLON = 0x27, SC_QUOTE = 0x28, SC_BACKTICK = 0x29,
    SC_BACKSLASH = 0x2B, SC_Z = 0x2C, SC_M = 0x32, SC_COMMA = 0x33,
    SC_DOT = 0x34, SC_SLASH = 0x35, SC_X = 0x2D, SC_C = 0x2E,
    SC_LALT = 0x38, SC_CAPS = 0x3A, SC_F1 = 0x3B, SC_KEYPAD_7 = 0x47,
    SC_ARROW_UP = 0x48, SC_HOME = 0x47, SC_UNUSED = 0x7F,
};

static int setup(void **state)
{
    static struct keymap_state s;
    keymap_init(&s);
    *state = &s;
    return 0;
}

/* Feeds a sequence; returns what the last byte produced and checks that
 * every byte before it produced nothing. */
static int feed_seq(struct keymap_state *s, const uint8_t *codes, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++)
        assert_int_equal(keymap_feed(s, codes[i]), -1);
    return keymap_feed(s, codes[n - 1]);
}

#define FEED(s, ...)                                                    \
    feed_seq((s), (const uint8_t[]){ __VA_ARGS__ },                     \
             sizeof((const uint8_t[]){ __VA_ARGS__ }))

/* Presses and releases a key; returns what the press produced. */
static int tap(struct keymap_state *s, uint8_t code)
{
    int c = keymap_feed(s, code);
    assert_int_equal(keymap_feed(s, BREAK(code)), -1);
    return c;
}

static void test_letters(void **state)
{
    struct keymap_state *s = *state;
    assert_int_equal(tap(s, SC_H), 'h');
    assert_int_equal(tap(s, SC_E), 'e');
    assert_int_equal(tap(s, SC_L), 'l');
    assert_int_equal(tap(s, SC_P), 'p');
    assert_int_equal(tap(s, SC_Q), 'q');
    assert_int_equal(tap(s, SC_A), 'a');
    assert_int_equal(tap(s, SC_Z), 'z');
    assert_int_equal(tap(s, SC_M), 'm');
    assert_int_equal(tap(s, SC_X), 'x');
}

static void test_digits_and_punctuation(void **state)
{
    struct keymap_state *s = *state;
    static const struct { uint8_t code; char c; } keys[] = {
        { SC_1, '1' }, { SC_2, '2' }, { SC_0, '0' }, { SC_MINUS, '-' },
        { SC_EQUALS, '=' }, { SC_LBRACKET, '[' }, { SC_RBRACKET, ']' },
        { SC_SEMICOLON, ';' }, { SC_QUOTE, '\'' }, { SC_BACKTICK, '`' },
        { SC_BACKSLASH, '\\' }, { SC_COMMA, ',' }, { SC_DOT, '.' },
        { SC_SLASH, '/' }, { KEYMAP_SC_SPACE, ' ' },
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        assert_int_equal(tap(s, keys[i].code), keys[i].c);
}

static void test_shift_gives_upper_case_and_symbols(void **state)
{
    struct keymap_state *s = *state;
    static const struct { uint8_t code; char c; } keys[] = {
        { SC_H, 'H' }, { SC_Z, 'Z' }, { SC_1, '!' }, { SC_2, '@' },
        { SC_0, ')' }, { SC_MINUS, '_' }, { SC_EQUALS, '+' },
        { SC_LBRACKET, '{' }, { SC_RBRACKET, '}' }, { SC_SEMICOLON, ':' },
        { SC_QUOTE, '"' }, { SC_BACKTICK, '~' }, { SC_BACKSLASH, '|' },
        { SC_COMMA, '<' }, { SC_DOT, '>' }, { SC_SLASH, '?' },
        { KEYMAP_SC_SPACE, ' ' },
    };
    assert_int_equal(keymap_feed(s, KEYMAP_SC_LEFT_SHIFT), -1);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        assert_int_equal(tap(s, keys[i].code), keys[i].c);
}

static void test_both_shifts_and_their_release(void **state)
{
    struct keymap_state *s = *state;
    /* Right shift alone. */
    assert_int_equal(FEED(s, KEYMAP_SC_RIGHT_SHIFT, SC_A), 'A');
    assert_int_equal(FEED(s, BREAK(SC_A), BREAK(KEYMAP_SC_RIGHT_SHIFT),
                          SC_A), 'a');
    /* Both held: releasing one keeps the other in force. */
    assert_int_equal(FEED(s, KEYMAP_SC_LEFT_SHIFT, KEYMAP_SC_RIGHT_SHIFT,
                          BREAK(KEYMAP_SC_LEFT_SHIFT), SC_Q), 'Q');
    assert_int_equal(FEED(s, BREAK(KEYMAP_SC_RIGHT_SHIFT), SC_Q), 'q');
    /* Shift held across several keys (typematic repeat sends the make
     * code again: it must not toggle). */
    assert_int_equal(FEED(s, KEYMAP_SC_LEFT_SHIFT, KEYMAP_SC_LEFT_SHIFT,
                          SC_1), '!');
    assert_int_equal(keymap_feed(s, SC_2), '@');
    assert_int_equal(FEED(s, BREAK(KEYMAP_SC_LEFT_SHIFT), SC_2), '2');
}

static void test_enter_and_backspace(void **state)
{
    struct keymap_state *s = *state;
    assert_int_equal(tap(s, KEYMAP_SC_ENTER), '\r');
    assert_int_equal(tap(s, KEYMAP_SC_BACKSPACE), 0x08);
    /* Shift does not change them. */
    assert_int_equal(FEED(s, KEYMAP_SC_LEFT_SHIFT, KEYMAP_SC_ENTER), '\r');
    assert_int_equal(keymap_feed(s, KEYMAP_SC_BACKSPACE), 0x08);
}

static void test_releases_produce_nothing(void **state)
{
    struct keymap_state *s = *state;
    for (unsigned code = 0; code < 0x80; code++) {
        if (BREAK(code) == KEYMAP_PREFIX_EXTENDED
            || BREAK(code) == KEYMAP_PREFIX_PAUSE)
            continue;
        assert_int_equal(keymap_feed(s, BREAK(code)), -1);
    }
    /* Nothing was left held: a plain letter still types lower case. */
    assert_int_equal(keymap_feed(s, SC_A), 'a');
}

static void test_keys_without_a_character(void **state)
{
    struct keymap_state *s = *state;
    const uint8_t silent[] = { KEYMAP_SC_ESCAPE, KEYMAP_SC_TAB, SC_LALT,
                               SC_CAPS, SC_F1, SC_KEYPAD_7, SC_UNUSED, 0x00 };
    for (size_t i = 0; i < sizeof silent; i++)
        assert_int_equal(tap(s, silent[i]), -1);
    /* Caps Lock is not implemented: letters stay lower case. */
    assert_int_equal(tap(s, SC_A), 'a');
}

static void test_extended_keys(void **state)
{
    struct keymap_state *s = *state;
    /* Keypad Enter types like Enter; its release is silent. */
    assert_int_equal(FEED(s, 0xE0, KEYMAP_SC_ENTER), '\r');
    assert_int_equal(FEED(s, 0xE0, BREAK(KEYMAP_SC_ENTER)), -1);
    /* Arrow up is 0xE0 0x48, keypad 8 without the prefix: ignored. */
    assert_int_equal(FEED(s, 0xE0, SC_ARROW_UP), -1);
    assert_int_equal(FEED(s, 0xE0, BREAK(SC_ARROW_UP)), -1);
    /* The prefix lasts for one byte only. */
    assert_int_equal(FEED(s, 0xE0, SC_HOME, SC_H), 'h');
    /* An extended code whose plain twin is a letter types nothing
     * (0xE0 0x35 is keypad /; 0x35 alone is '/'). */
    assert_int_equal(FEED(s, 0xE0, SC_SLASH), -1);
}

static void test_fake_shifts_leave_shift_alone(void **state)
{
    struct keymap_state *s = *state;
    /* Home with Num Lock on: 0xE0 0x2A (fake shift down), 0xE0 0x47. */
    assert_int_equal(FEED(s, 0xE0, KEYMAP_SC_LEFT_SHIFT, 0xE0, SC_HOME), -1);
    assert_int_equal(keymap_feed(s, SC_A), 'a');
    assert_int_equal(FEED(s, 0xE0, KEYMAP_SC_RIGHT_SHIFT, SC_A), 'a');
    /* Shift really held, then the keyboard's fake release 0xE0 0xAA
     * before an arrow key: still shifted afterwards. */
    assert_int_equal(FEED(s, KEYMAP_SC_LEFT_SHIFT, 0xE0,
                          BREAK(KEYMAP_SC_LEFT_SHIFT), 0xE0, SC_ARROW_UP,
                          SC_A), 'A');
    assert_int_equal(FEED(s, BREAK(KEYMAP_SC_LEFT_SHIFT), SC_A), 'a');
}

static void test_pause_sequence_types_nothing(void **state)
{
    struct keymap_state *s = *state;
    /* 0x1D is Ctrl and 0x45 Num Lock outside the sequence. */
    assert_int_equal(FEED(s, 0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5, SC_C), 'c');
}

static void test_ctrl_c(void **state)
{
    struct keymap_state *s = *state;
    assert_int_equal(FEED(s, KEYMAP_SC_CTRL, SC_C), 0x03);
    /* Other Ctrl chords type nothing. */
    assert_int_equal(keymap_feed(s, SC_X), -1);
    assert_int_equal(keymap_feed(s, KEYMAP_SC_ENTER), -1);
    assert_int_equal(FEED(s, BREAK(KEYMAP_SC_CTRL), SC_C), 'c');
    /* Right Ctrl is 0xE0 0x1D. */
    assert_int_equal(FEED(s, 0xE0, KEYMAP_SC_CTRL, SC_C), 0x03);
    assert_int_equal(FEED(s, 0xE0, BREAK(KEYMAP_SC_CTRL), SC_C), 'c');
}

static void test_unknown_codes_keep_state(void **state)
{
    struct keymap_state *s = *state;
    /* Controller and keyboard replies (ACK 0xFA, resend 0xFE, overrun
     * 0x00/0xFF) and unassigned codes neither type nor disturb Shift. */
    assert_int_equal(FEED(s, KEYMAP_SC_LEFT_SHIFT, 0xFA, 0xFE, 0x00, 0xFF,
                          0x7E, SC_M), 'M');
    assert_int_equal(FEED(s, BREAK(KEYMAP_SC_LEFT_SHIFT), SC_M), 'm');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_letters, setup),
        cmocka_unit_test_setup(test_digits_and_punctuation, setup),
        cmocka_unit_test_setup(test_shift_gives_upper_case_and_symbols,
                               setup),
        cmocka_unit_test_setup(test_both_shifts_and_their_release, setup),
        cmocka_unit_test_setup(test_enter_and_backspace, setup),
        cmocka_unit_test_setup(test_releases_produce_nothing, setup),
        cmocka_unit_test_setup(test_keys_without_a_character, setup),
        cmocka_unit_test_setup(test_extended_keys, setup),
        cmocka_unit_test_setup(test_fake_shifts_leave_shift_alone, setup),
        cmocka_unit_test_setup(test_pause_sequence_types_nothing, setup),
        cmocka_unit_test_setup(test_ctrl_c, setup),
        cmocka_unit_test_setup(test_unknown_codes_keep_state, setup),
    };
    return cmocka_run_group_tests_name("keymap", tests, NULL, NULL);
}
