#ifndef KERNEL_IDT_H
#define KERNEL_IDT_H

#include "kernel/idt_gate.h"

#define IDT_VECTORS 256

/* Installs an interrupt gate for every vector, pointing at the stubs of
 * boot/isr.asm, and loads the IDT register. */
void idt_init(void);

/* The installed gate of a vector (for the self-test and gdb). */
const struct idt_gate *idt_gate(unsigned vector);

#endif
