/* The memory-mapped interrupt controllers: the Local APIC's registers and
 * the IO APIC's redirection table, read with `mov` (claim C1). */
#include "drivers/ioapic.h"
#include "drivers/lapic.h"
#include "kernel/acpi_tables.h"
#include "kernel/console.h"
#include "kernel/irq.h"
#include "kernel/monitor/monitor.h"

static bool apic_active(void)
{
    if (irq_active() == IRQ_BY_APIC)
        return true;
    monitor_error("the APICs are not in use (8259 mode: irq=pic, or no "
                  "APIC on this CPU)");
    return false;
}

static void print_lapic(void)
{
    struct lapic_view v = lapic_view();

    kprintf("local apic at 0x%08x (mov to a mapped page): id %u, version "
            "0x%02x, %u LVT entries\n", v.base, v.id, v.version,
            v.lvt_entries);
    kprintf("  SVR %08x: %s, spurious vector 0x%02x; TPR %u; ESR %08x\n",
            v.svr, v.enabled ? "enabled" : "disabled", v.spurious_vector,
            v.tpr, v.esr);
    kprintf("  timer: %s, divide by 1, initial %u, current %u, %u Hz "
            "calibrated, %u interrupts\n", v.timer_mode, v.timer_initial,
            v.timer_current, v.timer_hz, v.timer_interrupts);
    for (unsigned i = 0; i < LAPIC_LVT_VIEWS; i++) {
        const struct lapic_lvt_view *e = &v.lvt[i];
        kprintf("  LVT %-6s %08x vector 0x%02x %s%s\n", e->name, e->raw,
                e->vector, e->delivery, e->masked ? " masked" : "");
    }
    kprintf("  spurious %u, errors %u (last ESR %08x)\n", v.spurious,
            v.errors, v.last_esr);
}

static void print_ioapic(void)
{
    struct ioapic_view v = ioapic_view();

    kprintf("io apic at 0x%08x (IOREGSEL/IOWIN window): id %u, version "
            "0x%02x, %u inputs from GSI %u\n", v.base, v.id, v.version,
            v.inputs, v.gsi_base);
    kprintf("  gsi  entry             vector  mask   trigger polarity dest\n");
    for (unsigned i = 0; i < v.inputs; i++) {
        struct ioapic_entry_view e = ioapic_entry_view(i);
        kprintf("  %3u  %08x%08x  0x%02x    %-6s %-7s %-8s %u%s%s\n", e.gsi,
                e.high, e.low, e.vector, e.masked ? "masked" : "open",
                e.level ? "level" : "edge", e.active_low ? "low" : "high",
                e.dest, e.pending ? " pending" : "",
                e.remote_irr ? " remote-irr" : "");
    }
}

static void cmd_apic(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (apic_active())
        print_lapic();
}

static void cmd_ioapic(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (apic_active())
        print_ioapic();
}

static void cmd_madt(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    acpi_tables_print();
}

const struct command apic_commands[] = {
    { "apic", "", "Local APIC registers: id, SVR, TPR, timer, LVT, ESR", 1,
      1, cmd_apic },
    { "ioapic", "", "IO APIC redirection entries, decoded", 1, 1,
      cmd_ioapic },
    { "madt", "", "the ACPI MADT: CPUs, IO APICs, ISA overrides", 1, 1,
      cmd_madt },
    { 0, 0, 0, 0, 0, 0 },
};
