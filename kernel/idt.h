#ifndef KERNEL_IDT_H
#define KERNEL_IDT_H

#include "kernel/lib/idt_gate.h"

#include <stdint.h>

#define IDT_VECTORS 256

/* Installs an interrupt gate for every vector, pointing at the stubs of
 * boot/isr.asm, and loads the IDT register. */
void idt_init(void);

/* Makes a vector a task gate: the CPU handles it by switching to the task
 * whose TSS the selector names (kernel/tss.c, for #DF). */
void idt_set_task_gate(unsigned vector, uint16_t tss_selector);

/* The installed gate of a vector (for the self-test and gdb). */
const struct idt_gate *idt_gate(unsigned vector);

#endif
