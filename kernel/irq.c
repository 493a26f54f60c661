/*
 * The one path every device interrupt takes:
 *
 *   device raises its line -> controller -> CPU -> IDT vector 0x20 + line
 *   -> boot/isr.asm stub -> trap_dispatch -> irq_dispatch (here)
 *
 * irq_dispatch masks the line, sends the EOI, and runs the handler with
 * interrupts enabled, then unmasks the line. So a slow handler delays only
 * its own line: a timer tick arriving meanwhile is taken at once, and the
 * masked line's next edge stays latched in the controller until unmasked
 * (this is Linux's "mask and ack" for the 8259).
 */
#include "kernel/irq.h"

#include "drivers/pic8259.h"
#include "kernel/trap.h"
#include "kernel/x86.h"

#define IRQ_SLAVE_VECTOR_BASE (IRQ_VECTOR_BASE + 8)

static const struct irq_chip pic_chip = {
    .name = "8259",
    .mask = pic_mask,
    .unmask = pic_unmask,
    .eoi = pic_send_eoi,
    .spurious = pic_is_spurious,
};

static const struct irq_chip *chip = &pic_chip;
static enum irq_controller chip_id = IRQ_BY_PIC;

static irq_handler_fn handlers[IRQ_LINES];
static const char *names[IRQ_LINES];
static uint32_t counts[IRQ_LINES][IRQ_CONTROLLERS];

static void irq_dispatch(struct trap_frame *f)
{
    unsigned line = f->vector - IRQ_VECTOR_BASE;

    if (chip->spurious(line))
        return;
    counts[line][chip_id]++;
    chip->mask(line);
    chip->eoi(line);
    if (handlers[line]) {
        sti();
        handlers[line]();
        cli();
        chip->unmask(line);
    }
    /* A line with no handler stays masked: it would only fire again. */
}

void irq_init(void)
{
    pic_remap(IRQ_VECTOR_BASE, IRQ_SLAVE_VECTOR_BASE);
    for (unsigned line = 0; line < IRQ_LINES; line++)
        trap_set_handler(IRQ_VECTOR_BASE + line, irq_dispatch);
}

void irq_register(unsigned line, const char *name, irq_handler_fn fn)
{
    names[line] = name;
    handlers[line] = fn;
    chip->unmask(line);
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
    return by == IRQ_BY_PIC ? "8259 PIC" : "APIC";
}
