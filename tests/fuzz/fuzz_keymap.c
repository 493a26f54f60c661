/*
 * The scan code map (kernel/lib/keymap.c): any byte stream an 8042 might
 * deliver, prefixes and Pause sequences cut anywhere. Invariants: every
 * byte types nothing, a printable ASCII character, Enter, Backspace or
 * Ctrl-C; a release (a break code, not part of a prefix or of a Pause
 * sequence) never types; the Pause countdown never exceeds its tail.
 */
#include "kernel/lib/keymap.h"
#include "tests/fuzz/fuzz.h"

#include <stdbool.h>

#define PRINTABLE_FIRST ' '
#define PRINTABLE_LAST '~'

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct keymap_state s;

    keymap_init(&s);
    for (size_t i = 0; i < size; i++) {
        bool release = s.skip == 0 && (data[i] & KEYMAP_BREAK)
                       && data[i] != KEYMAP_PREFIX_EXTENDED
                       && data[i] != KEYMAP_PREFIX_PAUSE;
        int c = keymap_feed(&s, data[i]);
        CHECK(c == -1 || (c >= PRINTABLE_FIRST && c <= PRINTABLE_LAST)
              || c == KEYMAP_CR || c == KEYMAP_BS || c == KEYMAP_CTRL_C);
        CHECK(!release || c == -1);
        CHECK(s.skip <= KEYMAP_PAUSE_TAIL);
    }
    return 0;
}
