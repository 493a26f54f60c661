/*
 * The one path every device interrupt takes:
 *
 *   device raises its line -> 8259, or IO APIC -> Local APIC -> CPU
 *   -> IDT vector -> boot/isr.asm stub -> trap_dispatch -> irq_dispatch
 *
 * irq_dispatch runs the handler with interrupts enabled. The line itself
 * is held back the chip's way (irq_chip's mask_while_handling), and what
 * else a slow handler delays depends on the chip:
 * - the 8259's line is masked and acknowledged first (Linux's "mask and
 *   ack"), so only that line waits: a timer tick arriving meanwhile is
 *   taken at once;
 * - the APIC's EOI waits until the handler is done, and until then the
 *   Local APIC's in-service bit holds back every vector of the same
 *   priority class (vector >> 4): all sixteen ISA lines, 0x30-0x3F, wait
 *   for the slow one. The Local APIC timer (0x40) is of a higher class
 *   and still comes through.
 * The chips are handed in (irq_init, irq_use_apic): this file knows no
 * interrupt controller, only struct irq_chip.
 */
#include "kernel/irq.h"

#include "kernel/trap.h"
#include "kernel/x86.h"

static const struct irq_chip *chips[IRQ_CONTROLLERS];
static const uint8_t vector_base[IRQ_CONTROLLERS] = {
    IRQ_VECTOR_BASE, IRQ_APIC_VECTOR_BASE,
};
static enum irq_controller active = IRQ_BY_PIC;

static irq_handler_fn handlers[IRQ_LINES];
static const char *names[IRQ_LINES];
static uint32_t counts[IRQ_LINES][IRQ_CONTROLLERS];

static void irq_dispatch(struct trap_frame *f)
{
    enum irq_controller by = f->vector >= IRQ_APIC_VECTOR_BASE ? IRQ_BY_APIC
                                                               : IRQ_BY_PIC;
    const struct irq_chip *chip = chips[by];
    unsigned line = f->vector - vector_base[by];

    if (chip->spurious(line))
        return;
    counts[line][by]++;
    /* A line with no handler, or arriving through the controller not in
     * use, is masked for good: it would only fire again. */
    if (!handlers[line] || by != active) {
        chip->mask(line);
        chip->eoi(line);
        return;
    }
    if (chip->mask_while_handling) {
        chip->mask(line);
        chip->eoi(line);
        sti();
        handlers[line]();
        cli();
        chip->unmask(line);
    } else {
        sti();
        handlers[line]();
        cli();
        chip->eoi(line);
    }
}

void irq_init(const struct irq_chip *pic)
{
    chips[IRQ_BY_PIC] = pic;
    for (unsigned line = 0; line < IRQ_LINES; line++) {
        trap_set_handler(IRQ_VECTOR_BASE + line, irq_dispatch);
        trap_set_handler(IRQ_APIC_VECTOR_BASE + line, irq_dispatch);
    }
}

void irq_use_apic(const struct irq_chip *apic_chip)
{
    chips[IRQ_BY_PIC]->mask_all();
    chips[IRQ_BY_APIC] = apic_chip;
    active = IRQ_BY_APIC;
    for (unsigned line = 0; line < IRQ_LINES; line++)
        if (handlers[line])
            apic_chip->unmask(line);
}

enum irq_controller irq_active(void)
{
    return active;
}

void irq_register(unsigned line, const char *name, irq_handler_fn fn)
{
    names[line] = name;
    handlers[line] = fn;
    chips[active]->unmask(line);
}

uint32_t irq_count(unsigned line, enum irq_controller by)
{
    return counts[line][by];
}

const char *irq_name(unsigned line)
{
    return names[line];
}

const char *irq_controller_name(enum irq_controller by)
{
    return by == IRQ_BY_PIC ? "8259 PIC" : "IO APIC";
}
