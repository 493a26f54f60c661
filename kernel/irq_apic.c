/*
 * APIC delivery: device -> IO APIC input (a GSI) -> message to the Local
 * APIC -> CPU. Every register on the way is memory-mapped (claim C1).
 *
 * ISA line N arrives at the vector IRQ_APIC_VECTOR_BASE + N, so irq.c
 * dispatches it like an 8259 line; masking a line masks its IO APIC
 * redirection entry, and the EOI goes to the Local APIC. The timer is not
 * routed: the Local APIC's own timer is the tick in this mode (this file
 * makes it so; drivers/lapic.c only runs the timer).
 */
#include "kernel/irq_apic.h"

#include "drivers/ioapic.h"
#include "drivers/lapic.h"
#include "drivers/pic8259.h"
#include "kernel/console.h"
#include "kernel/lib/msi.h"
#include "kernel/tick.h"
#include "kernel/trap.h"
#include "kernel/x86.h"

static struct apic_config config;

/* The MSI vectors, IRQ_MSI_VECTOR_BASE + slot. */
static struct msi_slot {
    const char *name;           /* NULL: free */
    irq_msi_handler_fn fn;
    void *ctx;
    uint32_t count;
} msi_slots[IRQ_MSI_VECTORS];

static void apic_mask(unsigned line)
{
    ioapic_mask(config.isa[line].gsi);
}

static void apic_unmask(unsigned line)
{
    ioapic_unmask(config.isa[line].gsi);
}

static void apic_eoi(unsigned line)
{
    (void)line;
    lapic_eoi();
}

/* The Local APIC reports its spurious interrupts on a vector of their own
 * (LAPIC_SPURIOUS_VECTOR), so nothing arriving on a line is spurious. */
static bool apic_spurious(unsigned line)
{
    (void)line;
    return false;
}

static const struct irq_chip apic_chip = {
    .name = "IO APIC",
    .mask = apic_mask,
    .unmask = apic_unmask,
    .eoi = apic_eoi,
    .spurious = apic_spurious,
    .mask_while_handling = false,
};

void apic_config_defaults(struct apic_config *cfg, uint32_t lapic_base)
{
    cfg->lapic_base = lapic_base;
    cfg->ioapic_base = IOAPIC_DEFAULT_BASE;
    cfg->ioapic_gsi_base = 0;
    for (unsigned line = 0; line < IRQ_LINES; line++)
        cfg->isa[line] = (struct isa_route){ line != PIC_CASCADE_LINE, line,
                                             false, false };
    cfg->source = "PC defaults";
}

bool apic_config_from_madt(struct apic_config *cfg, uint32_t lapic_base,
                           const struct acpi_madt *madt)
{
    for (unsigned i = 0; i < madt->ioapic_count; i++) {
        if (madt->ioapics[i].gsi_base != 0)
            continue;
        cfg->lapic_base = lapic_base;
        cfg->ioapic_base = madt->ioapics[i].addr;
        cfg->ioapic_gsi_base = 0;
        for (unsigned line = 0; line < IRQ_LINES; line++) {
            struct isa_route *r = &cfg->isa[line];
            r->wired = line != PIC_CASCADE_LINE;
            r->gsi = acpi_isa_irq_to_gsi(madt, (uint8_t)line, &r->active_low,
                                         &r->level);
        }
        /* An override moves a line onto another's input (QEMU: IRQ 0 on
         * GSI 2): the line that had that GSI by default has none. */
        for (unsigned line = 0; line < IRQ_LINES; line++) {
            uint32_t gsi = cfg->isa[line].gsi;
            if (gsi != line && gsi < IRQ_LINES && cfg->isa[gsi].gsi == gsi)
                cfg->isa[gsi].wired = false;
        }
        cfg->source = "the ACPI MADT";
        return true;
    }
    return false;
}

/* A vector with no handler still needs its EOI when the Local APIC
 * delivered it (kernel/trap.c). */
static const struct trap_acknowledger lapic_acknowledger = {
    .in_service = lapic_in_service,
    .eoi = lapic_eoi,
};

bool irq_apic_start(const struct apic_config *cfg, uint32_t hz)
{
    config = *cfg;
    if (!lapic_init(config.lapic_base)) {
        kprintf("apic: cannot map the Local APIC at 0x%08x\n",
                config.lapic_base);
        return false;
    }
    trap_set_acknowledger(&lapic_acknowledger);
    if (!ioapic_init(config.ioapic_base, config.ioapic_gsi_base)) {
        kwarn("apic: no usable IO APIC at 0x%08x: %s; the 8259 PIC delivers",
              config.ioapic_base, ioapic_problem());
        return false;
    }
    uint8_t dest = (uint8_t)lapic_id();
    for (unsigned line = 0; line < IRQ_LINES; line++) {
        const struct isa_route *r = &config.isa[line];
        /* The timer is the Local APIC's own in this mode. */
        if (line == IRQ_PIT || !r->wired || r->gsi < config.ioapic_gsi_base
            || r->gsi >= config.ioapic_gsi_base + ioapic_inputs())
            continue;
        ioapic_route(r->gsi, (uint8_t)(IRQ_APIC_VECTOR_BASE + line),
                     r->active_low, r->level, dest);
    }
    irq_use_apic(&apic_chip);

    const char *why = "its rate is below the tick's";
    uint32_t timer_hz = lapic_calibrate_timer(&why);
    uint32_t tick_mhz = timer_hz ? lapic_start_periodic(hz, tick_advance) : 0;
    bool ticking = tick_mhz != 0;
    if (ticking)
        tick_set_source("lapic timer", tick_mhz);
    kprintf("apic: Local APIC at 0x%08x (id %u), IO APIC at 0x%08x with %u "
            "inputs, routing from %s\n", config.lapic_base, dest,
            config.ioapic_base, ioapic_inputs(), config.source);
    kprintf("apic: ISA lines to vectors 0x%02x-0x%02x; the 8259 is masked\n",
            IRQ_APIC_VECTOR_BASE, IRQ_APIC_VECTOR_BASE + IRQ_LINES - 1);
    if (ticking) {
        kprintf("apic: timer %u Hz (measured against the PIT), ticking at "
                "%u Hz\n", timer_hz, hz);
    } else {
        kwarn("apic: the Local APIC timer cannot be calibrated (%s); no "
              "timer tick", why);
    }
    return true;
}

/* A message arrives as a vector with no line behind it: nothing to mask at
 * an IO APIC. As for the lines, the EOI waits for the handler, and until
 * then the in-service bit holds back this priority class and those below
 * it (the ISA lines, the timer); a second message to the same vector waits
 * in the IRR. */
static void msi_dispatch(struct trap_frame *f)
{
    struct msi_slot *s = &msi_slots[f->vector - IRQ_MSI_VECTOR_BASE];
    s->count++;
    sti();
    s->fn(s->ctx);
    cli();
    lapic_eoi();
}

bool irq_msi_alloc(const char *name, irq_msi_handler_fn fn, void *ctx,
                   struct irq_msi *out, const char **why)
{
    if (irq_active() != IRQ_BY_APIC) {
        *why = "MSI needs the Local APIC, and the 8259 PIC delivers "
               "interrupts (irq=pic, or no APIC)";
        return false;
    }
    for (unsigned slot = 0; slot < IRQ_MSI_VECTORS; slot++) {
        struct msi_slot *s = &msi_slots[slot];
        if (s->name)
            continue;
        uint8_t vector = (uint8_t)(IRQ_MSI_VECTOR_BASE + slot);
        *s = (struct msi_slot){ name, fn, ctx, 0 };
        trap_set_handler(vector, msi_dispatch);
        *out = (struct irq_msi){ vector, msi_address((uint8_t)lapic_id()),
                                 msi_data(vector) };
        return true;
    }
    *why = "every MSI vector is taken";
    return false;
}

uint32_t irq_msi_count(unsigned slot)
{
    return msi_slots[slot].count;
}

const char *irq_msi_name(unsigned slot)
{
    return msi_slots[slot].name;
}

const struct apic_config *irq_apic_config(void)
{
    return &config;
}
