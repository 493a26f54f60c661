/*
 * The formatting core behind kprintf: printf-style conversion into any
 * character sink. Pure C (no device, no global state), so the same file is
 * compiled into the kernel and into the host unit tests.
 *
 * Conversions: %s %c %d %i %u %x %X %p %%, with the flags '-' (left
 * justify) and '0' (zero padding), a width (digits or '*'), and the length
 * modifiers l (long: 32-bit in the kernel) and ll (64-bit).
 * %p prints a pointer as 0x and eight hex digits (a width pads that field
 * with spaces). Widths are capped at 1000. An unknown conversion is
 * printed as it was written, so a typo shows instead of eating arguments.
 */
#ifndef KERNEL_FMT_H
#define KERNEL_FMT_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*fmt_sink)(void *ctx, char c);

/* Formats into sink; returns the number of characters produced. */
int fmt_vformat(fmt_sink sink, void *ctx, const char *fmt, va_list ap);

/* Like C's snprintf: always NUL-terminates when size > 0, and returns the
 * length the whole output would have had. */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
