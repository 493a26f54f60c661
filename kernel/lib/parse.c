#include "kernel/lib/parse.h"

#include <stddef.h>

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

enum parse_status parse_u32(const char *s, uint32_t *out)
{
    uint32_t base = 10;

    if (!s || !*s)
        return PARSE_EMPTY;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        if (!*s)
            return PARSE_EMPTY;
    }
    uint32_t v = 0;
    for (; *s; s++) {
        int d = digit_value(*s);
        if (d < 0 || (uint32_t)d >= base)
            return PARSE_BAD_DIGIT;
        /* v * base + d > UINT32_MAX, checked without overflowing. */
        if (v > (UINT32_MAX - (uint32_t)d) / base)
            return PARSE_OVERFLOW;
        v = v * base + (uint32_t)d;
    }
    *out = v;
    return PARSE_OK;
}

const char *parse_status_text(enum parse_status st)
{
    switch (st) {
    case PARSE_OK:
        return "ok";
    case PARSE_EMPTY:
        return "no digits";
    case PARSE_BAD_DIGIT:
        return "not a number (decimal, or hex with 0x)";
    case PARSE_OVERFLOW:
        return "does not fit in 32 bits";
    }
    return "unknown parse status";
}

int split_words(char *line, char **words, int max)
{
    int n = 0;
    char *p = line;

    for (;;) {
        while (*p == ' ')
            p++;
        if (!*p)
            return n;
        if (n == max)
            return -1;
        words[n++] = p;
        while (*p && *p != ' ')
            p++;
        if (*p)
            *p++ = '\0';
    }
}
