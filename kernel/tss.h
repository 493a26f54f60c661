/*
 * Task-state segments: the kernel's own, and the double-fault task that
 * catches a kernel stack overflow. See kernel/tss.c.
 */
#ifndef KERNEL_TSS_H
#define KERNEL_TSS_H

#include <stdint.h>

/* A 32-bit task-state segment (Intel SDM vol. 3A, 7.2.1, figure 7-2): the
 * registers of a task that is not running, as the CPU saves and loads them
 * on a task switch. The 16-bit fields are padded to 32 bits. */
struct tss {
    uint16_t link, reserved_link;   /* the previous task's TSS selector */
    uint32_t esp0;                  /* stacks for a switch from ring 3..1 */
    uint16_t ss0, reserved_ss0;     /* (unused: iospace runs in ring 0) */
    uint32_t esp1;
    uint16_t ss1, reserved_ss1;
    uint32_t esp2;
    uint16_t ss2, reserved_ss2;
    uint32_t cr3;                   /* loaded on a switch, never saved */
    uint32_t eip, eflags;
    uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint16_t es, reserved_es, cs, reserved_cs, ss, reserved_ss;
    uint16_t ds, reserved_ds, fs, reserved_fs, gs, reserved_gs;
    uint16_t ldt, reserved_ldt;
    uint16_t trap;                  /* bit 0: #DB on a switch to the task */
    uint16_t iomap_base;            /* offset of the I/O permission map */
} __attribute__((packed));

#define TSS_SIZE 104
_Static_assert(sizeof(struct tss) == TSS_SIZE, "figure 7-2: 104 bytes");

/* After paging_init (both tasks need its CR3): writes the two TSS
 * descriptors into the GDT, loads the task register with the kernel's
 * TSS, and makes vector 8 a task gate to the double-fault task. */
void tss_init(void);

/* The GDT descriptor of a selector (for the self-test). */
uint64_t tss_gdt_entry(uint16_t selector);

/* The two TSSes, for the self-test. */
const struct tss *tss_kernel(void);
const struct tss *tss_double_fault(void);

/* The double-fault task's C part, called by df_task_entry (boot/isr.asm)
 * on the task's own stack with the error code the CPU pushed there. */
void double_fault_task(uint32_t error);

#endif
