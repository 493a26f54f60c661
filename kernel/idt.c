/*
 * The Interrupt Descriptor Table: for each of the 256 vectors, the address
 * of the code the CPU runs when that vector arrives (an exception, a device
 * interrupt, or an `int n`). Reference: Intel SDM vol. 3A, 6.10 and 6.11.
 */
#include "kernel/idt.h"

#include "kernel/x86.h"

#include <stdint.h>

extern const uint32_t isr_stub_table[IDT_VECTORS];

static struct idt_gate idt[IDT_VECTORS] __attribute__((aligned(8)));

struct idt_register {
    uint16_t limit;
    uint32_t base;
} __attribute__((packed));

void idt_init(void)
{
    /* Interrupt gates everywhere: the CPU clears IF on entry, so a handler
     * runs with interrupts off until it chooses otherwise. */
    for (unsigned v = 0; v < IDT_VECTORS; v++)
        idt[v] = idt_gate_make(isr_stub_table[v], GDT_KERNEL_CODE,
                               IDT_GATE_INTERRUPT32, 0);
    struct idt_register r = { sizeof idt - 1, (uint32_t)(uintptr_t)idt };
    __asm__ volatile("lidt %0" : : "m"(r) : "memory");
}

void idt_set_task_gate(unsigned vector, uint16_t tss_selector)
{
    idt[vector] = idt_gate_make(0, tss_selector, IDT_GATE_TASK, 0);
}

const struct idt_gate *idt_gate(unsigned vector)
{
    return vector < IDT_VECTORS ? &idt[vector] : 0;
}
