/*
 * The kernel's console: output to both the serial line and the VGA screen,
 * input from whichever device has a byte.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include "drivers/vga.h"

#include <stdarg.h>

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);
void console_write(const char *s);

/* Colour for what follows on the VGA screen (serial has no colour). */
void console_color(enum vga_color fg);

/* Prints the serial driver's warnings, if it has any (console_getc does,
 * before each look for input). */
void console_serial_warnings(void);

/* Waits for the next input byte, halting the CPU until an interrupt
 * brings one. Returns with interrupts enabled. */
int console_getc(void);

#endif
