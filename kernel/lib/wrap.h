/*
 * Where a full line of text breaks: at a space, as on paper, so that a
 * number or a name is never cut in two at the screen's edge. The VGA
 * console asks when its row is full and another character follows. Pure:
 * host-tested (tests/unit/test_wrap.c).
 */
#ifndef KERNEL_LIB_WRAP_H
#define KERNEL_LIB_WRAP_H

/* row holds the n characters of a full row and next is the character
 * that does not fit. Returns the column from which the row's characters
 * move down to the next row: the start of the word that next continues,
 * or n when nothing moves (next is a space, the row ends in one, or one
 * word fills the whole row and must break where the row does). */
unsigned wrap_carry_from(const char *row, unsigned n, char next);

#endif
