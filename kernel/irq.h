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

/* Vectors. Each controller has its own range, so the vector tells who
 * delivered an interrupt: a stray 8259 interrupt in APIC mode is known. */
#define IRQ_VECTOR_BASE 0x20        /* 8259: line N is vector 0x20 + N */
#define IRQ_APIC_VECTOR_BASE 0x30   /* IO APIC: ISA line N is 0x30 + N */
#define LAPIC_TIMER_VECTOR 0x40
#define IRQ_MSI_VECTOR_BASE 0x50    /* MSI: claimed by irq_msi_alloc */
#define IRQ_MSI_VECTORS 16          /* 0x50-0x5F: a priority class of its own */
#define LAPIC_ERROR_VECTOR 0xFE
#define LAPIC_SPURIOUS_VECTOR 0xFF  /* low nibble all ones: P6 and earlier */

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
    /* How a line is kept from re-entering its handler while other
     * interrupts stay open. true: mask it and send the EOI first (the 8259
     * keeps an edge that arrives meanwhile in its IRR). false: send the
     * EOI only after the handler (the Local APIC's in-service bit then
     * holds back every vector of the same priority class, vector >> 4,
     * and a new edge waits in its IRR; a masked IO APIC input would lose
     * it). */
    bool mask_while_handling;
    /* Masks every line, when another chip takes over; NULL for a chip
     * nothing replaces (the APIC). */
    void (*mask_all)(void);
};

enum irq_controller { IRQ_BY_PIC, IRQ_BY_APIC, IRQ_CONTROLLERS };

typedef void (*irq_handler_fn)(void);

/* Installs the dispatcher on both vector ranges; pic, the 8259 pair's
 * chip (drivers/pic8259.c), its lines already sent to IRQ_VECTOR_BASE..,
 * delivers until irq_use_apic. */
void irq_init(const struct irq_chip *pic);

/* From now on the APIC chip delivers: every 8259 line is masked (it stays
 * remapped, so a stray interrupt lands on a known vector), and the lines
 * registered so far are unmasked on the new chip. */
void irq_use_apic(const struct irq_chip *apic_chip);
enum irq_controller irq_active(void);

/* Installs the handler of a line and unmasks it on the active chip. */
void irq_register(unsigned line, const char *name, irq_handler_fn fn);

/* Counts per line, since boot, by the controller that delivered them. */
uint32_t irq_count(unsigned line, enum irq_controller by);
const char *irq_name(unsigned line);        /* NULL when unregistered */
const char *irq_controller_name(enum irq_controller by);

/*
 * Message-signalled interrupts (PCI MSI): no line and no IO APIC. The
 * device writes a message, its data a vector, to the Local APIC's address
 * range, and the Local APIC raises that vector (Intel SDM vol. 3A, 11.11;
 * kernel/lib/msi.h has the format). A driver claims a vector with a
 * handler, writes the message into its function's MSI capability
 * (pci_msi_enable) and enables it. Implemented in kernel/irq_apic.c: only
 * the Local APIC takes messages.
 */
typedef void (*irq_msi_handler_fn)(void *ctx);

/* What to program into a function's MSI capability for a claimed vector. */
struct irq_msi {
    uint8_t vector;
    uint32_t address;   /* 0xFEE00000 | this CPU's APIC ID << 12 */
    uint16_t data;      /* the vector, fixed delivery, edge triggered */
};

/* Claims a free vector from IRQ_MSI_VECTOR_BASE for fn(ctx), run on each
 * message with interrupts enabled; the Local APIC's EOI follows it. The
 * claim lasts until reboot. False, with *why set, when the Local APIC does
 * not deliver interrupts (irq=pic, a CPU without one) or every vector is
 * taken. */
bool irq_msi_alloc(const char *name, irq_msi_handler_fn fn, void *ctx,
                   struct irq_msi *out, const char **why);

/* Messages taken on a vector since boot, and who claimed it (NULL when
 * nobody did), for `irqs`: vector is IRQ_MSI_VECTOR_BASE + slot. */
uint32_t irq_msi_count(unsigned slot);
const char *irq_msi_name(unsigned slot);

#endif
