/*
 * Encoding of one IDT gate descriptor: 8 bytes that tell the CPU where the
 * handler for a vector is and how to enter it. Pure C, host-tested.
 * Reference: Intel SDM vol. 3A, 6.11 "IDT Descriptors", figure 6-2.
 */
#ifndef KERNEL_IDT_GATE_H
#define KERNEL_IDT_GATE_H

#include <stdint.h>

struct idt_gate {
    uint16_t offset_low;    /* handler address, bits 0..15 */
    uint16_t selector;      /* code segment to run the handler in */
    uint8_t reserved;       /* must be zero */
    uint8_t type_attr;      /* P, DPL, 0, gate type */
    uint16_t offset_high;   /* handler address, bits 16..31 */
} __attribute__((packed));

/* Gate types (the low nibble of type_attr). An interrupt gate clears IF on
 * entry, so a handler is not interrupted before it has saved its state; a
 * trap gate leaves IF alone. A task gate has no handler address: its
 * selector names a TSS, and the CPU switches to that whole task (its own
 * stack included) to handle the vector (SDM vol. 3A, 7.2.5 "Task-Gate
 * Descriptor"); its offset fields are unused and left zero. */
#define IDT_GATE_TASK 0x05
#define IDT_GATE_INTERRUPT32 0x0E
#define IDT_GATE_TRAP32 0x0F
#define IDT_GATE_PRESENT 0x80
#define IDT_GATE_DPL_SHIFT 5

struct idt_gate idt_gate_make(uint32_t handler, uint16_t selector,
                              uint8_t type, uint8_t dpl);
uint32_t idt_gate_handler(const struct idt_gate *g);

#endif
