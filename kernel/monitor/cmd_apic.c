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

static void cmd_apic(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (apic_active())
        lapic_print();
}

static void cmd_ioapic(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (apic_active())
        ioapic_print();
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
