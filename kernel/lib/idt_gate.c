#include "kernel/lib/idt_gate.h"

struct idt_gate idt_gate_make(uint32_t handler, uint16_t selector,
                              uint8_t type, uint8_t dpl)
{
    struct idt_gate g;
    g.offset_low = (uint16_t)(handler & 0xFFFF);
    g.selector = selector;
    g.reserved = 0;
    g.type_attr = (uint8_t)(IDT_GATE_PRESENT | ((dpl & 3) << IDT_GATE_DPL_SHIFT)
                            | (type & 0x0F));
    g.offset_high = (uint16_t)(handler >> 16);
    return g;
}

uint32_t idt_gate_handler(const struct idt_gate *g)
{
    return (uint32_t)g->offset_high << 16 | g->offset_low;
}
