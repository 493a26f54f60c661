/*
 * The few C library functions a freestanding kernel needs. gcc may emit
 * calls to memcpy, memmove, memset and memcmp on its own (for struct copies
 * and initialisers), so these four must exist under their standard names.
 * On the host the pure files get the C library's versions instead.
 */
#ifndef KERNEL_KLIB_H
#define KERNEL_KLIB_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
int strcmp(const char *a, const char *b);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
