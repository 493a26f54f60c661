/* Raising CPU exceptions on purpose, to show the exception handler at work
 * (the monitor's `fault` command and the self-test). */
#ifndef KERNEL_FAULTS_H
#define KERNEL_FAULTS_H

#include <stdint.h>

struct fault_kind {
    const char *name;       /* as typed: "de", "ud", ... */
    uint32_t vector;        /* the exception it raises */
    void (*raise)(void);
};

/* The fault kinds, ending with a zeroed entry. */
extern const struct fault_kind fault_kinds[];

/* The kind with this name, or NULL. */
const struct fault_kind *fault_find(const char *name);

/* Raises the fault_kind that kind points at; written to be handed to
 * trap_try, which catches the exception. */
void fault_raise(void *kind);

/* The selector fault_raise_gp loads; it lies beyond the GDT's limit, so the
 * CPU refuses it with #GP and reports it as the error code. */
#define FAULT_GP_SELECTOR 0xFFF8

#endif
