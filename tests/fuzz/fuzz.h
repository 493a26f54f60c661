/*
 * What the libFuzzer targets share. Each target is a host program (clang
 * -fsanitize=fuzzer,address,undefined) around one of the kernel's pure
 * parsers of outside input; an invariant that does not hold aborts, and
 * libFuzzer saves the input that broke it.
 *
 * The two table walkers (multiboot, ACPI) read "physical memory" through a
 * callback. Here that memory is the fuzz input, and every read hands out
 * a fresh heap copy of exactly the bytes asked for: a walker that reads a
 * byte past what it asked for is caught by AddressSanitizer, as it would
 * not be if the callback returned a pointer into a larger buffer.
 */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An invariant: on failure, say which and abort (libFuzzer keeps the
 * input as a crash). Unlike assert(), never compiled out. */
#define CHECK(cond)                                                       \
    do {                                                                  \
        if (!(cond)) {                                                    \
            (void)fprintf(stderr, "%s:%d: invariant failed: %s\n",        \
                          __FILE__, __LINE__, #cond);                     \
            abort();                                                      \
        }                                                                 \
    } while (0)

/* The input as a NUL-terminated string (it may hold NULs of its own:
 * the parsers then see only what comes before the first one). */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    CHECK(s != NULL);
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Physical memory [base, base + size) holding the input's bytes. */
struct fuzz_mem {
    uint32_t base;
    const uint8_t *bytes;
    size_t size;
    /* Copies handed out, freed by fuzz_mem_release (or, with free_each,
     * each one at the next read: for a walker whose contract is to be
     * done with a pointer before it reads again). */
    void *copies[4096];
    size_t count;
    int free_each;
};

static inline void fuzz_mem_release(struct fuzz_mem *m)
{
    for (size_t i = 0; i < m->count; i++)
        free(m->copies[i]);
    m->count = 0;
}

/* The read callback of kernel/lib/bootinfo.h and kernel/lib/acpi.h. A range that
 * is not wholly inside the memory, or a walker that asks for too many
 * reads, gets NULL: the walker must cope with that anyway. */
static inline const void *fuzz_mem_read(void *ctx, uint32_t addr,
                                        uint32_t len)
{
    struct fuzz_mem *m = ctx;
    if (addr < m->base || (uint64_t)addr + len > (uint64_t)m->base + m->size)
        return NULL;
    if (m->free_each)
        fuzz_mem_release(m);
    if (m->count == sizeof m->copies / sizeof m->copies[0])
        return NULL;
    /* malloc(0) may return NULL: hand out one byte, which ASan still
     * guards. */
    void *copy = malloc(len ? len : 1);
    CHECK(copy != NULL);
    memcpy(copy, m->bytes + (addr - m->base), len);
    m->copies[m->count++] = copy;
    return copy;
}

#endif
