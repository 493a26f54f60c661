#include "kernel/faults.h"

#include "kernel/lib/klib.h"
#include "kernel/trap.h"

/* Each function executes one instruction the CPU refuses. They are written
 * in assembly because the C equivalents (x / 0, *(int *)0) are undefined
 * behaviour that the compiler may delete or replace. */

static void raise_de(void)
{
    /* div ecx with ecx = 0: the quotient does not exist. */
    __asm__ volatile("xorl %%edx, %%edx; movl $1, %%eax; xorl %%ecx, %%ecx;"
                     "divl %%ecx" : : : "eax", "ecx", "edx");
}

static void raise_ud(void)
{
    /* ud2: an opcode reserved to be invalid forever. */
    __asm__ volatile("ud2");
}

static void raise_gp(void)
{
    /* Loading FS with a selector beyond the GDT limit. */
    __asm__ volatile("movw %0, %%fs" : : "r"((uint16_t)FAULT_GP_SELECTOR));
}

static void raise_pf(void)
{
    /* A read of linear address 0, which paging leaves unmapped. */
    __asm__ volatile("movl 0, %%eax" : : : "eax", "memory");
}

static void raise_bp(void)
{
    /* int3: the breakpoint instruction debuggers plant in code. */
    __asm__ volatile("int3");
}

static void raise_df(void)
{
    /* A kernel stack overflow: a function that does nothing but call
     * itself, each call pushing a return address, until ESP reaches the
     * guard page below the kernel stack. That push faults (#PF), and
     * delivering the #PF needs a push on the same stack, which faults
     * again: a double fault, caught by its own task (kernel/tss.c).
     * Interrupts go off first, so that no device interrupt is cut short by
     * the overflow before its EOI; the recovery point restores IF. */
    __asm__ volatile("cli; 1: call 1b" : : : "memory");
}

const struct fault_kind fault_kinds[] = {
    { "de", VEC_DE, raise_de },
    { "ud", VEC_UD, raise_ud },
    { "gp", VEC_GP, raise_gp },
    { "pf", VEC_PF, raise_pf },
    { "bp", VEC_BP, raise_bp },
    { "df", VEC_DF, raise_df },
    { 0, 0, 0 },
};

const struct fault_kind *fault_find(const char *name)
{
    for (const struct fault_kind *k = fault_kinds; k->name; k++)
        if (strcmp(k->name, name) == 0)
            return k;
    return 0;
}

void fault_raise(void *kind)
{
    ((const struct fault_kind *)kind)->raise();
}
