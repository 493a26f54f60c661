/*
 * Number parsing and word splitting for the monitor and the kernel command
 * line. Pure C, host-tested and fuzzed: everything a user types passes here.
 */
#ifndef KERNEL_PARSE_H
#define KERNEL_PARSE_H

#include <stdint.h>

enum parse_status {
    PARSE_OK,
    PARSE_EMPTY,        /* nothing to parse */
    PARSE_BAD_DIGIT,    /* a character that is not a digit of the base */
    PARSE_OVERFLOW,     /* does not fit in 32 bits */
};

/* Parses all of s as an unsigned 32-bit number: decimal ("47806") or hex
 * with a 0x or 0X prefix ("0xbabe"). No sign, no spaces, no suffix. */
enum parse_status parse_u32(const char *s, uint32_t *out);

/* A short English phrase for a status, for "error: ..." lines. */
const char *parse_status_text(enum parse_status st);

/* Splits line in place at runs of spaces into at most max words.
 * Returns the number of words, or -1 when there are more than max. */
int split_words(char *line, char **words, int max);

#endif
