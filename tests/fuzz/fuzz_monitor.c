/*
 * The monitor's input path, as kernel/monitor/monitor.c runs it: bytes into the
 * line editor (kernel/lib/line.c), a finished line split into words, each word
 * through the number parser (kernel/lib/parse.c). The whole input is also
 * parsed as one number, to reach bytes a line never holds.
 *
 * Invariants: the buffer is NUL-terminated at len, within capacity, and
 * printable; what the echo has drawn on a terminal is exactly the buffer
 * (so the user sees the line that will run); words are non-empty, without
 * spaces, inside the line; parse_u32 agrees with a reference that
 * accumulates in 64 bits.
 */
#include "kernel/lib/line.h"
#include "kernel/lib/parse.h"
#include "tests/fuzz/fuzz.h"

#include <stdbool.h>

#define MAX_WORDS 8     /* as the monitor's MONITOR_MAX_WORDS */
#define ERASE "\b \b"
#define CANCEL "^C\n"

/* The reference: digit by digit, as the grammar in parse.h says, the value
 * kept in 64 bits, overflow reported at the first digit that makes it too
 * big (before a bad digit further on, as parse_u32 does). */
static enum parse_status ref_parse(const char *s, uint32_t *out)
{
    uint64_t base = 10, v = 0;

    if (!*s)
        return PARSE_EMPTY;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        if (!*s)
            return PARSE_EMPTY;
    }
    for (; *s; s++) {
        const char *digits = "0123456789abcdef";
        char c = (char)((*s >= 'A' && *s <= 'F') ? *s - 'A' + 'a' : *s);
        const char *d = c ? strchr(digits, c) : NULL;
        if (!d || (uint64_t)(d - digits) >= base)
            return PARSE_BAD_DIGIT;
        v = v * base + (uint64_t)(d - digits);
        if (v > UINT32_MAX)
            return PARSE_OVERFLOW;
    }
    *out = (uint32_t)v;
    return PARSE_OK;
}

static void check_number(const char *s)
{
    uint32_t got = 0xDEADBEEF, want = 0xDEADBEEF;
    enum parse_status st = parse_u32(s, &got);
    CHECK(st == ref_parse(s, &want));
    CHECK(st != PARSE_OK || got == want);
    CHECK(parse_status_text(st) != NULL);
}

/* A terminal's view of the echo: how many characters of the line it
 * shows. */
struct screen {
    size_t shown;
};

static void echo(void *ctx, const char *s)
{
    struct screen *scr = ctx;
    if (strcmp(s, ERASE) == 0) {
        CHECK(scr->shown > 0);
        scr->shown--;
    } else if (strcmp(s, "\n") == 0 || strcmp(s, CANCEL) == 0) {
        scr->shown = 0;
    } else {
        CHECK(strlen(s) == 1 && s[0] >= ' ' && s[0] < LINE_DEL);
        scr->shown++;
    }
}

static void check_editor(const struct line_editor *ed)
{
    CHECK(ed->len <= LINE_CAPACITY);
    CHECK(ed->buf[ed->len] == '\0');
    CHECK(strlen(ed->buf) == ed->len);
    for (size_t i = 0; i < ed->len; i++)
        CHECK(ed->buf[i] >= ' ' && ed->buf[i] < LINE_DEL);
    CHECK(ed->dropped == 0 || ed->len == LINE_CAPACITY);
}

static void run_line(const char *line)
{
    char copy[LINE_CAPACITY + 1];
    char *words[MAX_WORDS];
    size_t n = strlen(line);

    memcpy(copy, line, n + 1);
    int argc = split_words(copy, words, MAX_WORDS);
    CHECK(argc >= -1 && argc <= MAX_WORDS);
    for (int i = 0; i < argc; i++) {
        CHECK(words[i] >= copy && words[i] < copy + n);
        CHECK(words[i][0] != '\0' && strchr(words[i], ' ') == NULL);
        check_number(words[i]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *whole = fuzz_string(data, size);
    check_number(whole);
    free(whole);

    struct line_editor ed;
    struct screen scr = { 0 };
    memset(&ed, 0, sizeof ed);
    line_reset(&ed);
    for (size_t i = 0; i < size; i++) {
        enum line_event ev = line_feed(&ed, data[i], echo, &scr);
        check_editor(&ed);
        if (ev == LINE_PENDING) {
            CHECK(scr.shown == ed.len);
            continue;
        }
        CHECK(scr.shown == 0);
        if (ev == LINE_DONE && !ed.dropped && !ed.bad_byte)
            run_line(ed.buf);
        line_reset(&ed);
    }
    return 0;
}
