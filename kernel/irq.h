/*
 * Device interrupts (IRQ lines), independent of which controller delivers
 * them. A driver registers a handler for its line; irq.c counts, masks,
 * acknowledges (EOI) and dispatches, in one place for every line.
 */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <stdbool.h>
#include <stdint.h>

#define IRQ_LINES 16
#define IRQ_VECTOR_BASE 0x20    /* line N arrives as vector 0x20 + N */

/* ISA lines of the PC/AT. */
#define IRQ_PIT 0
#define IRQ_KEYBOARD 1
#define IRQ_COM1 4
#define IRQ_FLOPPY 6

/* An interrupt controller, as irq.c drives it (the Linux "irq_chip"). */
struct irq_chip {
    const char *name;
    void (*mask)(unsigned line);
    void (*unmask)(unsigned line);
    void (*eoi)(unsigned line);
    /* True when the interrupt on this line is spurious and must not be
     * handled (the chip has done whatever acknowledging it needs). */
    bool (*spurious)(unsigned line);
};

enum irq_controller { IRQ_BY_PIC, IRQ_BY_APIC, IRQ_CONTROLLERS };

typedef void (*irq_handler_fn)(void);

/* Remaps the 8259 pair to IRQ_VECTOR_BASE and installs the dispatcher. */
void irq_init(void);

/* Installs the handler of a line and unmasks it. */
void irq_register(unsigned line, const char *name, irq_handler_fn fn);

/* Counts per line, since boot, by the controller that delivered them. */
uint32_t irq_count(unsigned line, enum irq_controller by);
const char *irq_name(unsigned line);        /* NULL when unregistered */
const char *irq_controller_name(enum irq_controller by);

#endif
